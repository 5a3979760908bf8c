package io.memtrace.collector.redis;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A whole snapshot file: its keys and what it says of itself.
 *
 * @param created     when it began reading keys
 * @param finished    when it had read the last one; null in a file that does not say (the {@code snapshot} command's
 *                    files before scheduled snapshots)
 * @param source      the Redis it was taken from, without credentials
 * @param db          the database it was taken from; null when the file does not say
 * @param namespaces  the namespace globs it covers; empty for every key
 * @param skipped     keys it left out (over its ceilings)
 * @param skippedKeys the first of those by name ({@link SnapshotWriter#NAMED_SKIPS})
 * @param entries     its keys
 */
public record SnapshotFile(Instant created, Instant finished, String source, Integer db, List<String> namespaces,
    long skipped, Set<String> skippedKeys, List<SnapshotEntry> entries) {

  public SnapshotFile {
    namespaces = List.copyOf(namespaces);
    skippedKeys = Set.copyOf(skippedKeys);
  }

  /** When the keys were read: the end of the reading when the file says, else its start. */
  public Instant takenAt() {
    return finished != null ? finished : created;
  }
}
