package io.memtrace.collector.keyspace;

import java.util.Map;
import java.util.TreeMap;

/**
 * The keys of a namespace measured one way: all of its first keys (the census), or each of the
 * rest with one probability (the sample). Sums of what was measured, and how many keys of the
 * stratum there are, from which {@link NamespaceTally} estimates the stratum's totals.
 */
final class Stratum {

  long keys;
  long measured;
  long withBytes;
  double bytes;
  double bytesSquared;
  long withTtlAnswer;
  long noTtl;
  final Map<String, Long> types = new TreeMap<>();

  void add(String type, Long pttl, Long bytes) {
    measured++;
    types.merge(type, 1L, Long::sum);
    if (pttl != null) {
      withTtlAnswer++;
      noTtl += pttl == -1 ? 1 : 0;
    }
    if (bytes != null) {
      withBytes++;
      this.bytes += bytes;
      bytesSquared += (double) bytes * bytes;
    }
  }

  double meanBytes() {
    return bytes / withBytes;
  }

  /** The sample variance of the bytes per key, 0 below two values. */
  double varianceBytes() {
    if (withBytes < 2) {
      return 0;
    }
    double mean = meanBytes();
    return Math.max(0, (bytesSquared - withBytes * mean * mean) / (withBytes - 1));
  }
}
