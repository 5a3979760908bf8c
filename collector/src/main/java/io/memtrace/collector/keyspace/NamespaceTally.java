package io.memtrace.collector.keyspace;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * What one pass learns of one namespace in one database, counted whole or sampled.
 *
 * <p>Counted whole: every key SCAN returns is counted; the first {@code exactKeys} are measured (the
 * census), each later one with probability {@code p} (the sample). Totals are the census's plus the
 * sample's mean times the count of keys it stands for.
 *
 * <p>Sampled ({@link #returned}): the keys that SCANs at random cursors return are a uniform sample of the
 * database, and the namespace's keys are estimated from its share of them ({@link DatabaseSample}). Its
 * first {@code minProbes} keys are measured, and later ones while the mean size is known less well than
 * the share of keys, so that neither dominates the error. Bytes are estimated keys times mean size.
 *
 * <p>SCAN returns keys in the order of their hash, which has nothing to do with their size, so whatever
 * is measured is random with respect to it. Every estimate states a bound: {@link #Z} standard errors,
 * 0 when nothing was estimated. The spread of sizes used is at least {@link #MIN_SPREAD} of the mean: a
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
  private long chosen;

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

  /**
   * A key a SCAN at a random cursor returned, when the SCANs have returned {@code returned} keys in all;
   * the stratum that measures it, or {@code null} when the namespace's mean size is known well enough.
   */
  Stratum returned(int minProbes, long returned) {
    sample.keys++;
    boolean measure = chosen < minProbes || sample.withBytes >= 2
        && meanRelativeVariance(sample) > DatabaseSample.shareRelativeVariance(sample.keys, returned);
    chosen += measure ? 1 : 0;
    return measure ? sample : null;
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

  /** The row; {@code database} is null for a namespace counted whole, else the sampled database's figures. */
  KeyspaceSample toSample(Instant time, String redis, int db, String layer, long passId, boolean complete,
      boolean bytesMeasured, DatabaseSample database) {
    Estimate e = database == null ? Estimate.counted(this, bytesMeasured) : Estimate.sampled(this, database, bytesMeasured);
    return new KeyspaceSample(time, redis, db, namespace, layer, e.keys(), e.bytes(), e.bytesError(),
        census.measured + sample.measured, e.noTtl(), ttl.percentile(50), ttl.percentile(90), ttl.percentile(99),
        idle.percentile(50), idle.percentile(90), idle.percentile(99), freq.percentile(50), types(e.keys()), passId,
        complete, false, e.keysError(), e.noTtlError(), keys(), database != null);
  }

  /** The relative variance of a stratum's mean bytes per key (without the finite population correction). */
  static double meanRelativeVariance(Stratum s) {
    if (s.withBytes == 0 || s.meanBytes() == 0) {
      return 0;
    }
    double floor = MIN_SPREAD * s.meanBytes();
    return Math.max(s.varianceBytes(), floor * floor) / (s.meanBytes() * s.meanBytes() * s.withBytes);
  }

  /** The type mix, scaled to {@code keys}: the census's as counted, the rest in the sample's shares. */
  private Map<String, Long> types(long keys) {
    Stratum rest = sample.measured > 0 ? sample : census;
    long restKeys = keys - census.keys;
    Map<String, Double> estimate = new TreeMap<>();
    census.types.forEach((t, n) -> estimate.merge(t, share(n, census.measured) * census.keys, Double::sum));
    rest.types.forEach((t, n) -> estimate.merge(t, share(n, rest.measured) * restKeys, Double::sum));
    Map<String, Long> out = new LinkedHashMap<>();
    estimate.forEach((t, n) -> {
      if (Math.round(n) > 0) {
        out.put(t, Math.round(n));
      }
    });
    return out;
  }

  static double share(long count, long of) {
    return of == 0 ? 0 : (double) count / of;
  }
}
