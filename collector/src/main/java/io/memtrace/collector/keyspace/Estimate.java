package io.memtrace.collector.keyspace;

/**
 * A namespace's keys, bytes and keys without TTL with their bounds ({@link NamespaceTally#Z} standard
 * errors; 0 for a figure counted or measured in full). A product of two estimates, keys times a mean,
 * has the variance m²·Var(K) + K²·Var(m) + Var(K)·Var(m), the two being independent: which namespace a
 * key is in says nothing about where SCAN meets it.
 */
record Estimate(long keys, long keysError, Long bytes, Long bytesError, Long noTtl, Long noTtlError) {

  /** Every key counted: the census's figures plus the sample's means times the keys it stands for. */
  static Estimate counted(NamespaceTally t, boolean bytesMeasured) {
    Stratum census = t.census;
    Stratum sample = t.sample;
    Long bytes = null;
    Long bytesError = null;
    if (bytesMeasured && (census.withBytes > 0 || sample.withBytes > 0)) {
      Stratum rest = sample.withBytes >= 2 ? sample : census;
      Stratum first = census.withBytes > 0 ? census : sample;
      double total = census.keys * first.meanBytes()
          + sample.keys * (sample.keys == 0 ? 0 : rest.withBytes > 0 ? rest.meanBytes() : first.meanBytes());
      double meanVariance = rest.withBytes == 0 ? 0 : NamespaceTally.meanRelativeVariance(rest) * rest.meanBytes()
          * rest.meanBytes() * (rest == sample ? correction(sample.withBytes, sample.keys) : 1);
      bytes = Math.round(total);
      bytesError = sample.keys == 0 ? 0L : bound(sample.keys * (double) sample.keys * meanVariance);
    }
    Long noTtl = null;
    Long noTtlError = null;
    if (census.withTtlAnswer + sample.withTtlAnswer > 0) {
      Stratum rest = sample.withTtlAnswer > 0 ? sample : census;
      double r = NamespaceTally.share(rest.noTtl, rest.withTtlAnswer);
      noTtl = Math.round(NamespaceTally.share(census.noTtl, census.withTtlAnswer) * census.keys + r * sample.keys);
      noTtlError = sample.keys == 0 ? 0L : bound(sample.keys * (double) sample.keys * shareVariance(r, rest.withTtlAnswer)
          * (rest == sample ? correction(sample.withTtlAnswer, sample.keys) : 1));
    }
    return new Estimate(t.keys(), 0, bytes, bytesError, noTtl, noTtlError);
  }

  /**
   * Keys from the namespace's share of a sampled database, the rest from its measured keys. SCANs at random cursors
   * return some keys more than once, and each return may be measured: the measured keys are drawn with replacement,
   * so their means take no finite population correction (measuring as many returns as the namespace has keys does
   * not measure each of its keys).
   */
  static Estimate sampled(NamespaceTally t, DatabaseSample database, boolean bytesMeasured) {
    Stratum s = t.sample;
    double keys = database.keysOf(s.keys);
    double keysVariance = database.keysVariance(s.keys);
    Long bytes = null;
    Long bytesError = null;
    if (bytesMeasured && s.withBytes > 0) {
      double m = s.meanBytes();
      double mv = NamespaceTally.meanRelativeVariance(s) * m * m;
      bytes = Math.round(keys * m);
      bytesError = bound(m * m * keysVariance + keys * keys * mv + keysVariance * mv);
    }
    Long noTtl = null;
    Long noTtlError = null;
    if (s.withTtlAnswer > 0) {
      double r = NamespaceTally.share(s.noTtl, s.withTtlAnswer);
      double rv = shareVariance(r, s.withTtlAnswer);
      noTtl = Math.round(keys * r);
      noTtlError = bound(r * r * keysVariance + keys * keys * rv + keysVariance * rv);
    }
    return new Estimate(Math.round(keys), bound(keysVariance), bytes, bytesError, noTtl, noTtlError);
  }

  /**
   * The variance of a share {@code r} seen in {@code n} keys, at least that of one key in {@code n}: none
   * of 500 keys without a TTL does not show that no key lacks one.
   */
  private static double shareVariance(double r, long n) {
    return Math.max(r * (1 - r), 1.0 / n) / n;
  }

  /** The finite population correction: measuring most of the keys leaves little to guess. */
  private static double correction(long measured, double of) {
    return of <= 0 ? 0 : Math.max(0, 1 - measured / of);
  }

  private static long bound(double variance) {
    return (long) Math.ceil(NamespaceTally.Z * Math.sqrt(variance));
  }
}
