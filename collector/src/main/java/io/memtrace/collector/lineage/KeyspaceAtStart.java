package io.memtrace.collector.lineage;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The state of memory when a trace ran: for each namespace the trace touched, its size in the keyspace
 * watcher's sample (table {@code keyspace}) nearest the trace's start, before or after it. A Redis span
 * names its namespace's Redis and database, and matches that sample; a memory-manager span names only
 * its namespace, and matches it on any Redis the watcher samples, unless a Redis span of the trace places
 * the same namespace.
 */
public final class KeyspaceAtStart {

  /** A namespace a trace touched; {@code redis} and {@code db} null for a memory-manager namespace. */
  public record Place(String redis, Integer db, String namespace) {
  }

  private KeyspaceAtStart() {
  }

  /**
   * Lines for under the trace view, the first a heading; none when the watcher has no samples (or the
   * store has no {@code keyspace} table: a server from before it).
   *
   * @param startMicros the trace's start, microseconds since the epoch
   */
  public static List<String> lines(SqlSource source, long startMicros, Collection<Place> places) {
    List<String> lines = new ArrayList<>();
    List<String> namespaces = places.stream().map(Place::namespace).filter(Objects::nonNull).distinct().sorted().toList();
    if (namespaces.isEmpty()) {
      return lines;
    }
    String query = "SELECT redis, db, namespace, arg_min({'keys': keys, 'bytes': bytes, "
        + "'bytes_error': bytes_error, 'stale': stale, 'offset_s': (epoch_us(time) - " + startMicros + ") / 1e6"
        + "%s}, abs(epoch_us(time) - " + startMicros + ")) AS nearest FROM keyspace WHERE namespace IN ("
        + namespaces.stream().map(TraceLineage::literal).collect(Collectors.joining(", "))
        + ") GROUP BY redis, db, namespace ORDER BY namespace, redis, db";
    ResultTable samples;
    try {
      samples = source.query(String.format(Locale.ROOT, query, ", 'keys_error': keys_error, 'sampled': sampled"));
    } catch (RuntimeException e) {
      // a store written before sampled passes, opened read-only: no estimates in it
      samples = source.query(String.format(Locale.ROOT, query, ""));
    }
    return lines(samples, places);
  }

  /**
   * The lines from the samples nearest the trace's start, one row per Redis, database and namespace ({@code redis,
   * db, namespace, nearest}, {@code nearest} a map of {@code keys, bytes, bytes_error, stale, offset_s} and
   * optionally {@code keys_error, sampled}), whichever store found them.
   */
  public static List<String> lines(ResultTable samples, Collection<Place> places) {
    List<String> lines = new ArrayList<>();
    // a namespace that Redis spans of the trace place matches there only
    java.util.Set<String> onRedis = places.stream().filter(p -> p.redis() != null).map(Place::namespace)
        .collect(Collectors.toSet());
    for (int i = 0; i < samples.size(); i++) {
      String redis = samples.text(i, "redis");
      int db = (int) samples.number(i, "db");
      String namespace = samples.text(i, "namespace");
      boolean touched = places.stream().anyMatch(p -> p.namespace().equals(namespace) && (p.redis() == null
          ? !onRedis.contains(namespace) : p.redis().equals(redis) && (p.db() == null || p.db() == db)));
      if (touched) {
        lines.add("  " + (namespace.isEmpty() ? "(none)" : namespace) + " on " + redis + " db " + db + ": "
            + describe((Map<?, ?>) samples.value(i, "nearest")));
      }
    }
    if (!lines.isEmpty()) {
      lines.add(0, "Keyspace at trace start (the watcher's nearest sample):");
    }
    return lines;
  }

  private static String describe(Map<?, ?> sample) {
    double offset = ((Number) sample.get("offset_s")).doubleValue();
    Object bytes = sample.get("bytes");
    Object error = sample.get("bytes_error");
    String size = bytes == null ? "" : ", " + (Boolean.TRUE.equals(sample.get("sampled")) ? "~" : "")
        + bytes(((Number) bytes).longValue())
        + (error instanceof Number e && e.longValue() > 0 ? " ±" + bytes(e.longValue()) : "");
    String about = Boolean.TRUE.equals(sample.get("sampled")) ? "~" : "";
    String keys = sample.get("keys") instanceof Number k ? about + String.format(Locale.ROOT, "%,d", k.longValue())
        + (sample.get("keys_error") instanceof Number e && e.longValue() > 0 ? String.format(Locale.ROOT, " ±%,d",
        e.longValue()) : "") : "?";
    return String.format(Locale.ROOT, "%s keys%s, sampled %s %s%s", keys, size,
        ReadLineage.age(Math.abs(offset) * 1000), offset < 0 ? "before" : "after",
        Boolean.TRUE.equals(sample.get("stale")) ? " (stale: Redis could not be read then)" : "");
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", n / 1024.0)
        : n < 1024L * 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024))
        : String.format(Locale.ROOT, "%.1f GB", n / (1024.0 * 1024 * 1024));
  }
}
