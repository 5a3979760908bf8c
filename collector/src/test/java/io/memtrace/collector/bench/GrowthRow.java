package io.memtrace.collector.bench;

import java.util.List;
import java.util.Locale;

/**
 * What {@link GrowthBenchmark} measured at one checkpoint: the ingest figures of the segment that led to it and the
 * analyses at the store size it reached. bench/README.md ("How cost grows with the store") says what each column is.
 *
 * @param spansSent         spans sent since the start of the run
 * @param spansStored       {@code count(*)} of {@code spans} once compacted
 * @param cpuAckMicros      serve's CPU time per span of the segment, from its first send to its last 200
 * @param cpuCompactedMicros the same, until {@code span_ingest} was empty
 * @param ackSpansPerSecond the segment's spans over the time from its first send to its last 200
 * @param sent              the segment's requests: their latency from first send to 200, and the 503s retried
 * @param compactedAfter    seconds from the last 200 until {@code span_ingest} was empty
 * @param peakRssMib        VmHWM of serve's processes so far, launcher first
 * @param disk              the data directory's files once compacted, with the write-ahead log among them
 * @param loadStart         {@code /proc/loadavg}'s 1-minute average when the segment began sending
 * @param loadEnd           the same once the checkpoint's measurements were done
 */
record GrowthRow(long spansSent, long spansStored, double cpuAckMicros, double cpuCompactedMicros,
    double ackSpansPerSecond, BatchSender.Sent sent, double compactedAfter, long reportNanos, long[] seedNanos,
    long lastTracesNanos, List<Long> peakRssMib, DiskUse disk, String loadStart, String loadEnd) {

  private static final String HEADER = "| spans stored | serve CPU µs/span, acked / compacted | acked spans/s "
      + "| ack ms p50 / p99 / max | 503s | compacted after | `report` | seed 000 queries, ms | `traces --last 10` "
      + "| serve peak RSS | disk | load 1-min |\n"
      + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

  /** The rows as one Markdown table. */
  static String table(List<GrowthRow> rows) {
    StringBuilder out = new StringBuilder(HEADER);
    rows.forEach(r -> out.append(r.markdown()).append('\n'));
    return out.toString();
  }

  private String markdown() {
    long rss = peakRssMib.stream().mapToLong(Long::longValue).sum();
    String stored = spansStored == spansSent ? fmt("%,d", spansStored) : fmt("%,d of %,d sent", spansStored, spansSent);
    return fmt("| %s | %.1f / %.1f | %,.0f | %,.1f / %,.1f / %,.1f | %,d | %.1f s | %.1f s | %s | %d ms | %s | %s "
            + "| %s → %s |", stored, cpuAckMicros, cpuCompactedMicros, ackSpansPerSecond, sent.latencyMillis(0.5),
        sent.latencyMillis(0.99), sent.latencyMillis(1), sent.retries(), compactedAfter, reportNanos / 1e9,
        millis(seedNanos), lastTracesNanos / 1_000_000, peakRssMib.isEmpty() ? "n/a" : peakRssMib.size() == 1
            ? fmt("%,d MiB", rss) : fmt("%,d MiB (%s)", rss, join(peakRssMib)), disk.describe(), loadStart, loadEnd);
  }

  private static String millis(long[] nanos) {
    StringBuilder out = new StringBuilder();
    for (long n : nanos) {
      out.append(out.length() == 0 ? "" : " / ").append(n / 1_000_000);
    }
    return out.toString();
  }

  private static String join(List<Long> mib) {
    return String.join(" + ", mib.stream().map(m -> fmt("%,d", m)).toList());
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
