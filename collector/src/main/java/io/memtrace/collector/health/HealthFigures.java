package io.memtrace.collector.health;

/**
 * One row of memory health: the figures of the memory calls of one store (namespace or {@code gen_ai.memory.store.id}),
 * one tenant, or all ({@code scope} {@code all}, {@code store}, {@code tenant}).
 *
 * @param operations    memory calls
 * @param reads         retrieves (and other reads)
 * @param writes        stores, creates and updates
 * @param neverRead     writes whose value was overwritten, deleted or expired before any read
 * @param searches      searches
 * @param emptySearches searches that found nothing ({@code memory.result_count} = 0)
 * @param unchanged     writes whose value fingerprint is the key's previous write's; null when no write has one
 * @param duplicates    keys that hold a value another key of the same store and tenant holds (their fingerprints
 *                      match), one less than the keys per value; null when no write has a fingerprint
 * @param redisCommands Redis commands the calls issued: their child spans and the commands retention counted
 * @param redisBytes    bytes those commands' spans carried ({@code memory.value_size})
 * @param nPlusOne      calls that issued one command per record (5 or more of one command on distinct keys)
 * @param keysWritten   distinct keys written
 */
public record HealthFigures(String scope, String name, long operations, long reads, long writes, long neverRead,
    long searches, long emptySearches, Long unchanged, Long duplicates, long redisCommands, long redisBytes,
    long nPlusOne, long keysWritten) {

  /** Reads per write, to 4 places; null with no write. */
  public Double readWriteRatio() {
    return ratio(reads, writes);
  }

  /** The share of writes never read; null with no write. */
  public Double neverReadShare() {
    return ratio(neverRead, writes);
  }

  /** The share of searches that found nothing; null with no search. */
  public Double emptySearchShare() {
    return ratio(emptySearches, searches);
  }

  /** Redis commands per memory call; null with no call. */
  public Double commandsPerOperation() {
    return ratio(redisCommands, operations);
  }

  /** Redis bytes per memory call; null with no call. */
  public Double bytesPerOperation() {
    return ratio(redisBytes, operations);
  }

  static Double ratio(long a, long b) {
    return b == 0 ? null : Math.round(a * 10_000.0 / b) / 10_000.0;
  }

  HealthFigures plus(HealthFigures o) {
    return new HealthFigures(scope, name, operations + o.operations, reads + o.reads, writes + o.writes,
        neverRead + o.neverRead, searches + o.searches, emptySearches + o.emptySearches, add(unchanged, o.unchanged),
        add(duplicates, o.duplicates), redisCommands + o.redisCommands, redisBytes + o.redisBytes,
        nPlusOne + o.nPlusOne, keysWritten + o.keysWritten);
  }

  HealthFigures named(String scope, String name) {
    return new HealthFigures(scope, name, operations, reads, writes, neverRead, searches, emptySearches, unchanged,
        duplicates, redisCommands, redisBytes, nPlusOne, keysWritten);
  }

  HealthFigures withDuplicates(Long values) {
    return new HealthFigures(scope, name, operations, reads, writes, neverRead, searches, emptySearches, unchanged,
        values, redisCommands, redisBytes, nPlusOne, keysWritten);
  }

  private static Long add(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(a + b);
  }
}
