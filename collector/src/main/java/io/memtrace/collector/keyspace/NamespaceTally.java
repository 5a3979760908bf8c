package io.memtrace.collector.keyspace;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * What one pass learns of one namespace in one database. Every key SCAN returns is counted; the
 * first {@code exactKeys} are measured (the census), each later one with probability {@code p}
 * (the sample). SCAN returns keys in the order of their hash, which has nothing to do with their
 * size, so both strata are random with respect to what is measured.
 *
 * <p>Totals are the census's plus the sample's mean times the count of keys it stands for. The
 * error bound of {@code bytes} is {@link #Z} standard errors of that estimate (with the finite
 * population correction), 0 when every key was measured; a sample of fewer than two keys borrows
 * the census's mean and variance. The spread used is at least {@link #MIN_SPREAD} of the mean: a
 * sample of keys all of one size does not show that every key has that size.
 */
final class NamespaceTally {

  /** Standard errors in the stated bound: 99.99 % two-sided under the normal approximation. */
  static final double Z = 4.0;
  /** The least standard deviation of bytes per key assumed, as a share of the mean. */
  static final double MIN_SPREAD = 0.01;

  final String namespace;
  final Stratum census = new Stratum();
  final Stratum sample = new Stratum();
  final ValueSample ttl;
  final ValueSample idle;
  final ValueSample freq;

  NamespaceTally(String namespace, Random random) {
    this.namespace = namespace;
    this.ttl = new ValueSample(random);
    this.idle = new ValueSample(random);
    this.freq = new ValueSample(random);
  }

  long keys() {
    return census.keys + sample.keys;
  }

  /** Counts a key SCAN returned; the stratum that measures it, or {@code null} when it is not measured. */
  Stratum counted(int exactKeys, double p, Random random) {
    if (census.keys < exactKeys) {
      census.keys++;
      return census;
    }
    sample.keys++;
    return p >= 1 || random.nextDouble() < p ? sample : null;
  }

  void measured(Stratum stratum, String type, Long pttl, Long idleSeconds, Long lfuFreq, Long bytes) {
    stratum.add(type, pttl, bytes);
    if (pttl != null && pttl >= 0) {
      ttl.add(pttl / 1000.0);
    }
    if (idleSeconds != null) {
      idle.add(idleSeconds);
    }
    if (lfuFreq != null) {
      freq.add(lfuFreq);
    }
  }

  KeyspaceSample toSample(Instant time, String redis, int db, String layer, long passId, boolean complete,
      boolean bytesMeasured) {
    Stratum rest = sample.withBytes >= 2 ? sample : census;
    Long bytes = null;
    Long error = null;
    if (bytesMeasured && (census.withBytes > 0 || sample.withBytes > 0)) {
      Stratum first = census.withBytes > 0 ? census : sample;
      double total = census.keys * (census.withBytes > 0 ? census.meanBytes() : first.meanBytes())
          + sample.keys * (sample.keys == 0 ? 0 : rest.withBytes > 0 ? rest.meanBytes() : first.meanBytes());
      bytes = Math.round(total);
      error = sample.keys == 0 ? 0L : (long) Math.ceil(Z * sample.keys * Math.sqrt(meanVariance(rest)));
    }
    return new KeyspaceSample(time, redis, db, namespace, layer, keys(), bytes, error, census.measured + sample.measured,
        noTtl(), ttl.percentile(50), ttl.percentile(90), ttl.percentile(99), idle.percentile(50), idle.percentile(90),
        idle.percentile(99), freq.percentile(50), types(), passId, complete, false);
  }

  /** The variance of the mean bytes per key that stands for the sample's keys. */
  private double meanVariance(Stratum rest) {
    if (rest.withBytes == 0) {
      return 0;
    }
    double floor = MIN_SPREAD * rest.meanBytes();
    double v = Math.max(rest.varianceBytes(), floor * floor) / rest.withBytes;
    if (rest == sample && sample.keys > 0) {
      v *= Math.max(0, 1 - (double) sample.withBytes / sample.keys);
    }
    return v;
  }

  private Long noTtl() {
    if (census.withTtlAnswer + sample.withTtlAnswer == 0) {
      return null;
    }
    Stratum rest = sample.withTtlAnswer > 0 ? sample : census;
    return Math.round(share(census.noTtl, census.withTtlAnswer) * census.keys
        + share(rest.noTtl, rest.withTtlAnswer) * sample.keys);
  }

  private Map<String, Long> types() {
    Stratum rest = sample.measured > 0 ? sample : census;
    Map<String, Double> estimate = new TreeMap<>();
    census.types.forEach((t, n) -> estimate.merge(t, share(n, census.measured) * census.keys, Double::sum));
    rest.types.forEach((t, n) -> estimate.merge(t, share(n, rest.measured) * sample.keys, Double::sum));
    Map<String, Long> out = new LinkedHashMap<>();
    estimate.forEach((t, n) -> {
      if (Math.round(n) > 0) {
        out.put(t, Math.round(n));
      }
    });
    return out;
  }

  private static double share(long count, long of) {
    return of == 0 ? 0 : (double) count / of;
  }
}
