package io.memtrace.collector.cli;

import io.memtrace.collector.keyspace.notify.EventsMode;
import io.memtrace.collector.keyspace.notify.NotificationSettings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Whether and how the keyspace watcher takes Redis's keyspace notifications, for {@code watch} and {@code serve} alike. */
final class WatchEvents {

  @Option(names = "--keyspace-events", paramLabel = "on|off|auto", defaultValue = "auto",
      description = "Record expiries, evictions, writes, deletes and TTL changes of every key, in every database, as "
          + "Redis reports them (keyspace notifications), into key_notification, and what they cover (namespaces, "
          + "since when, disconnections and losses) into key_notification_status. auto (default): subscribe when the "
          + "server's notify-keyspace-events already sends them, change nothing; on: add the flags the watcher needs "
          + "(Eg$lshzxet) to that setting with CONFIG SET, keeping every flag already set; off: do not subscribe. "
          + "Outside what they cover, why a key changed or went away is \"not watched\".")
  String mode;

  @Option(names = "--keyspace-events-rate", paramLabel = "N",
      defaultValue = "" + NotificationSettings.DEFAULT_PER_SECOND,
      description = "Most notifications recorded a second per Redis; above it namespaces are sampled, each row "
          + "weighted for those it stands for, and the loss counted in key_notification_status (default: "
          + "${DEFAULT-VALUE}).")
  int perSecond;

  @Option(names = "--keyspace-events-namespaces", paramLabel = "GLOB", split = ",",
      description = "Narrows the notifications recorded to these namespaces, as globs (default: *, every key); a key "
          + "of another namespace is then \"not watched\" in timelines and lineage.")
  List<String> namespaces = new ArrayList<>();

  NotificationSettings settings() {
    return new NotificationSettings(Units.choice("--keyspace-events", mode, EventsMode.class), perSecond,
        NotificationSettings.DEFAULT_QUEUE, namespaces);
  }
}
