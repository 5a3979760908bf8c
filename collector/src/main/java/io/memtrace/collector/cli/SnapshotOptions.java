package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.snapshots.NamespaceGlobs;
import io.memtrace.collector.snapshots.SnapshotSchedule;
import io.memtrace.common.NamespaceRule;
import picocli.CommandLine.Option;

/** The scheduled snapshots of {@code serve --watch-redis} (issue 51): the base time travel starts from. */
final class SnapshotOptions {

  @Option(names = "--snapshot-every", paramLabel = "DURATION",
      description = "Snapshot the --snapshot-namespaces of every --watch-redis this often (and once at start), into "
          + "DIR/snapshots/, for `restore --as-of`; off unless given.")
  String every;

  @Option(names = "--snapshot-namespaces", paramLabel = "GLOB[,GLOB]", defaultValue = "*",
      description = "The namespaces (by redis.namespace-from-key) the scheduled snapshots take (default: ${DEFAULT-VALUE}).")
  String namespaces;

  @Option(names = "--snapshot-keep", paramLabel = "N", defaultValue = SnapshotSchedule.DEFAULT_KEEP,
      description = "Keep the newest N snapshots per Redis and database; 0 for no count limit (default: ${DEFAULT-VALUE}).")
  int keep;

  @Option(names = "--snapshot-retention", paramLabel = "DURATION",
      description = "Also remove snapshots older than this (default: none).")
  String retention;

  @Option(names = "--snapshot-max-keys", paramLabel = "N", defaultValue = SnapshotSchedule.DEFAULT_MAX_KEYS,
      description = "The most keys one snapshot takes; keys beyond are skipped and counted (default: ${DEFAULT-VALUE}).")
  long maxKeys;

  @Option(names = "--snapshot-max-elements", paramLabel = "N", defaultValue = SnapshotSchedule.DEFAULT_MAX_ELEMENTS,
      description = "A hash, list, set, sorted set or stream with more elements is skipped and named, not read: "
          + "reading it whole would hold Redis up (default: ${DEFAULT-VALUE}).")
  long maxElements;

  @Option(names = "--snapshot-commands-per-second", paramLabel = "N",
      defaultValue = SnapshotSchedule.DEFAULT_COMMANDS_PER_SECOND,
      description = "Ceiling on the commands a snapshot sends to one Redis, SCAN and reads alike (default: "
          + "${DEFAULT-VALUE}).")
  int commandsPerSecond;

  /** The schedule asked for, or null when none was; {@code watching}: whether --watch-redis names a Redis. */
  SnapshotSchedule schedule(boolean watching, NamespaceRule rule) {
    if (every == null) {
      return null;
    }
    if (!watching) {
      throw new CollectorException("--snapshot-every snapshots the Redis of --watch-redis; name one");
    }
    return new SnapshotSchedule(Units.duration("--snapshot-every", every).toMillis(),
        NamespaceGlobs.parse("--snapshot-namespaces", namespaces, rule), keep,
        retention == null ? 0 : Units.duration("--snapshot-retention", retention).toMillis(), maxKeys, maxElements,
        commandsPerSecond);
  }
}
