package io.memtrace.collector.cli;

import io.memtrace.collector.keyspace.KeyspaceWatchers;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.keyspace.RedisUrl;
import io.memtrace.collector.keyspace.WatchSettings;
import io.memtrace.common.NamespaceRule;
import io.memtrace.collector.snapshots.ScheduledSnapshots;
import io.memtrace.collector.snapshots.SnapshotSchedule;
import io.memtrace.collector.snapshots.SnapshotShelf;
import io.memtrace.collector.store.StoreFiles;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of {@code serve} that also watch Redis's own keyspace beside the spans it receives (issue 29): the
 * Redis servers, the passes' pace and sampling, their keyspace notifications, and scheduled snapshots of them.
 */
final class ServeWatchOptions {

  @Option(names = "--watch-redis", paramLabel = "URL",
      description = "Also watch this Redis's keyspace (redis://[user:password@]host:port; repeatable): tables "
          + "keyspace and keyspace_server, GET /api/keyspace, gauges with --forward, and its keyspace notifications "
          + "(--keyspace-events) in key_notification and key_notification_status. Credentials are never printed.")
  List<String> redis = new ArrayList<>();

  @Option(names = "--watch-interval", paramLabel = "DURATION", defaultValue = WatchSettings.DEFAULT_INTERVAL,
      description = "Time between keyspace passes (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--watch-commands-per-second", paramLabel = "N", defaultValue = "" + WatchSettings.DEFAULT_COMMANDS_PER_SECOND,
      description = "Ceiling on the commands the watcher sends to one Redis (default: ${DEFAULT-VALUE}).")
  int commandsPerSecond;

  @Mixin
  WatchSampling sampling;

  @Mixin
  WatchEvents events;

  @Mixin
  SnapshotOptions snapshots;

  /** Whether --watch-redis names a Redis. */
  boolean any() {
    return !redis.isEmpty();
  }

  /** The watchers of the Redis servers named, not started; null when none is. */
  KeyspaceWatchers watchers(MemoryStateConfig memoryState) {
    if (!any()) {
      return null;
    }
    WatchSettings settings = WatchSettings.defaults(Units.duration("--watch-interval", interval).toMillis(),
        commandsPerSecond);
    return new KeyspaceWatchers("--watch-redis", redis, sampling.apply(settings), events.settings(), memoryState);
  }

  /** The snapshot schedule asked for, or null when none was. */
  SnapshotSchedule schedule(NamespaceRule rule) {
    return snapshots.schedule(any(), rule);
  }

  /** Starts taking the snapshots of {@code schedule} onto the shelf in the data directory; null when none. */
  ScheduledSnapshots startSnapshots(SnapshotSchedule schedule, StoreFiles files) {
    return schedule == null ? null : new ScheduledSnapshots(redis.stream()
        .map(u -> RedisUrl.parse("--watch-redis", u)).toList(), schedule, new SnapshotShelf(files.dir())).start();
  }
}
