package io.memtrace.collector.snapshots;

import io.memtrace.collector.CollectorException;

/**
 * When {@code serve --watch-redis} snapshots which namespaces, how hard that may work Redis, and how long the files
 * are kept. Declared once here; the {@code serve} options read it.
 *
 * @param everyMillis       time between the starts of two snapshots of one Redis
 * @param keep              the most snapshots kept per Redis and database (the newest); 0 for no count limit
 * @param retentionMillis   snapshots older than this are removed; 0 for no age limit
 * @param maxKeys           the most keys one snapshot holds; the rest are skipped and counted
 * @param maxElements       a hash, list, set, sorted set or stream with more elements is skipped and named: reading
 *                          it whole would hold Redis up
 * @param commandsPerSecond the ceiling on the commands a snapshot sends, SCAN and reads alike
 */
public record SnapshotSchedule(long everyMillis, NamespaceGlobs namespaces, int keep, long retentionMillis,
    long maxKeys, long maxElements, int commandsPerSecond) {

  public static final String DEFAULT_KEEP = "24";
  public static final String DEFAULT_MAX_KEYS = "100000";
  public static final String DEFAULT_MAX_ELEMENTS = "10000";
  public static final String DEFAULT_COMMANDS_PER_SECOND = "5000";

  public SnapshotSchedule {
    if (everyMillis < 1_000) {
      throw new CollectorException("--snapshot-every must be at least 1s");
    }
    if (keep < 0 || retentionMillis < 0) {
      throw new CollectorException("--snapshot-keep and --snapshot-retention must not be negative");
    }
    if (keep == 0 && retentionMillis == 0) {
      throw new CollectorException("scheduled snapshots need a retention rule: --snapshot-keep N or "
          + "--snapshot-retention DURATION");
    }
    if (maxKeys < 1 || maxElements < 1 || commandsPerSecond < 1) {
      throw new CollectorException("--snapshot-max-keys, --snapshot-max-elements and "
          + "--snapshot-commands-per-second must be at least 1");
    }
  }

  /** In words, for the start-up line. */
  public String describe() {
    return "every " + everyMillis / 1000 + "s of namespaces " + namespaces + " (at most " + maxKeys + " keys, "
        + commandsPerSecond + " commands/s), keeping " + (keep > 0 ? "the newest " + keep : "")
        + (keep > 0 && retentionMillis > 0 ? " and " : "")
        + (retentionMillis > 0 ? "those of the last " + retentionMillis / 1000 + "s" : "");
  }
}
