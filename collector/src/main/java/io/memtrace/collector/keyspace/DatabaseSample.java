package io.memtrace.collector.keyspace;

/**
 * What a sampled pass knows of a whole database: how many keys it holds ({@code INFO keyspace} at the
 * start of the pass) and how many keys its SCANs at random cursors returned in all. A namespace's keys
 * are the database's times its share of the returned keys; that share is binomial, since keys land in
 * buckets by a hash that has nothing to do with their name.
 */
record DatabaseSample(long keys, long returned) {

  /** The estimated keys of a namespace of which the SCANs returned {@code seen}. */
  double keysOf(long seen) {
    return returned == 0 ? 0 : (double) keys * seen / returned;
  }

  /** The variance of {@link #keysOf}: N² p (1 - p) / n. */
  double keysVariance(long seen) {
    if (returned == 0) {
      return 0;
    }
    double p = (double) seen / returned;
    return (double) keys * keys * p * (1 - p) / returned;
  }

  /** The relative variance of a namespace's share, which its mean size need not beat. */
  static double shareRelativeVariance(long seen, long returned) {
    return seen == 0 ? Double.MAX_VALUE : Math.max(0, 1 - (double) seen / Math.max(1, returned)) / seen;
  }
}
