package io.memtrace.collector.clickhouse.reader;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.lineage.KeyspaceAtStart;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyspaceState;
import io.memtrace.collector.view.TraceSpan;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keyspace watcher's samples from the fleet store ({@code memtrace_keyspace}), under the embedded store's column
 * names: the latest pass or every sample since a time, and the samples nearest a trace's start for its keyspace
 * lines ({@link KeyspaceAtStart}); and the web view's pages of them (gauges by layer, series, growth, the samples
 * near a trace).
 */
final class ClickHouseKeyspace {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SqlSource source;

  ClickHouseKeyspace(SqlSource source) {
    this.source = source;
  }

  List<String> keyspaceAtStart(List<TraceSpan> trace) {
    if (trace.isEmpty()) {
      return List.of();
    }
    Set<KeyspaceAtStart.Place> places = new LinkedHashSet<>();
    for (TraceSpan s : trace) {
      if (s.namespace() != null && (s.database() || s.isMemoryOperation())) {
        places.add(new KeyspaceAtStart.Place(s.database() ? s.redis() : null, s.database() ? s.db() : null,
            s.namespace()));
      }
    }
    List<String> namespaces = places.stream().map(KeyspaceAtStart.Place::namespace).distinct().sorted().toList();
    if (namespaces.isEmpty()) {
      return List.of();
    }
    long start = trace.stream().mapToLong(TraceSpan::startMicros).min().orElse(0);
    String offset = "toUnixTimestamp64Micro(Time) - " + start;
    ResultTable samples = source.query("SELECT Redis AS redis, toInt64(Db) AS db, toString(Namespace) AS namespace, "
        + "argMin(toJSONString(CAST((Keys, Bytes, BytesError, Stale, (" + offset + ") / 1e6, Sampled), "
        + "'Tuple(keys UInt64, bytes UInt64, bytes_error UInt64, stale Bool, offset_s Float64, sampled Bool)')), "
        + "abs(" + offset + ")) AS nearest FROM memtrace_keyspace WHERE Namespace IN ("
        + namespaces.stream().map(ClickHouseTraces::literal).collect(Collectors.joining(", "))
        + ") GROUP BY redis, db, namespace ORDER BY namespace, redis, db");
    List<List<Object>> parsed = new ArrayList<>();
    for (List<Object> row : samples.rows()) {
      List<Object> copy = new ArrayList<>(row);
      try {
        copy.set(3, JSON.readValue((String) row.get(3), LinkedHashMap.class));
      } catch (IOException e) {
        throw new CollectorException("ClickHouse gave a keyspace sample that is not JSON: " + e.getMessage(), e);
      }
      parsed.add(copy);
    }
    return KeyspaceAtStart.lines(new ResultTable(samples.columns(), parsed, false), places);
  }

  /**
   * The watcher's samples kept in {@code memtrace_keyspace}, under the embedded store's column names: the latest pass
   * of each Redis, database and namespace, or every sample since {@code since}. The fleet schema keeps no server
   * figures ({@code keyspace_server}), so {@code servers} is empty.
   */
  KeyspaceState keyspace(Instant since) {
    String columns = "toString(Time) AS time, Redis AS redis, toInt64(Db) AS db, toString(Namespace) AS namespace, "
        + "toString(Layer) AS layer, Keys AS keys, Bytes AS bytes, BytesError AS bytes_error, SampledKeys AS sampled_keys, "
        + "KeysWithoutTtl AS keys_without_ttl, PassId AS pass_id, Complete AS complete, Stale AS stale";
    String sql = since == null
        ? "SELECT " + columns + " FROM memtrace_keyspace ORDER BY Redis, Db, Namespace, Time DESC "
            + "LIMIT 1 BY Redis, Db, Namespace"
        : "SELECT " + columns + " FROM memtrace_keyspace WHERE Time >= fromUnixTimestamp64Milli(" + since.toEpochMilli()
            + ") ORDER BY Time, Redis, Db, Namespace";
    ResultTable table = source.query(sql);
    List<Map<String, Object>> samples = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (ResultTable.Column c : table.columns()) {
        Object v = table.value(i, c.name());
        row.put(c.name(), c.name().equals("time") ? java.time.LocalDateTime.parse(v.toString().replace(' ', 'T'))
            .toInstant(java.time.ZoneOffset.UTC).toString() : v);
      }
      samples.add(row);
    }
    return new KeyspaceState(samples, List.of());
  }

  /** How many samples the watcher has kept: none when no watcher sends them here (column {@code n}). */
  ResultTable samples() {
    return source.query("SELECT count() AS n FROM memtrace_keyspace");
  }

  /** The latest pass of each Redis and database, summed by layer: the web view's gauges when a watcher samples. */
  ResultTable byLayer() {
    return source.query("WITH latest AS (SELECT Redis AS r, Db AS d, max(Time) AS latest FROM memtrace_keyspace "
        + "GROUP BY Redis, Db)\n"
        + "SELECT toString(k.Layer) AS layer, toInt64(sum(k.Bytes)) AS bytes, toInt64(sum(k.Keys)) AS records, "
        + "toString(max(k.Time)) AS sampled_at, max(k.Sampled) AS estimated, true AS watched\n"
        + "FROM memtrace_keyspace AS k INNER JOIN latest AS l ON k.Redis = l.r AND k.Db = l.d AND k.Time = l.latest\n"
        + "WHERE layer IN ('session', 'cache', 'deep') GROUP BY layer ORDER BY layer");
  }

  /** Each namespace's bytes and keys per sample time, since {@code since} (microseconds; null: all kept). */
  ResultTable series(Long since) {
    return source.query("SELECT toUnixTimestamp64Micro(Time) AS t, toString(Namespace) AS namespace, "
        + "toInt64(sum(Bytes)) AS bytes, toInt64(sum(Keys)) AS keys\nFROM memtrace_keyspace WHERE true"
        + since(since) + "\nGROUP BY Time, Namespace ORDER BY Time, namespace");
  }

  /** The last sample of each Redis, database and namespace between an hour before {@code startUs} and {@code endUs}. */
  ResultTable near(long startUs, long endUs) {
    return source.query("SELECT Redis AS redis, toInt64(Db) AS db, toString(Namespace) AS namespace, "
        + "toInt64(argMax(Keys, Time)) AS keys,\n  toInt64(argMax(KeysError, Time)) AS keys_error, argMax(Sampled, Time) AS estimated, "
        + "toInt64(argMax(Bytes, Time)) AS bytes,\n  toInt64(argMax(BytesError, Time)) AS bytes_error, "
        + "toInt64(argMax(KeysWithoutTtl, Time)) AS keys_without_ttl,\n  toUnixTimestamp64Micro(max(Time)) AS sampled_us\n"
        + "FROM memtrace_keyspace\nWHERE Time <= " + ClickHouseTraces.micros(endUs) + " AND Time >= "
        + ClickHouseTraces.micros(startUs) + " - INTERVAL 1 HOUR\nGROUP BY Redis, Db, Namespace\n"
        + "ORDER BY bytes DESC, namespace LIMIT 50");
  }

  /**
   * Each namespace's growth since {@code since} (null: all kept): its last bytes and keys, whether the change from the
   * first sample is within the samples' error, and the change per hour.
   */
  ResultTable growth(Long since) {
    String change = "(argMax(%1$s, time) - argMin(%1$s, time))";
    String within = "abs" + change + " <= sqrt(pow(argMax(%2$s, time), 2) + pow(argMin(%2$s, time), 2))\n"
        + "    AND (argMax(%2$s, time) > 0 OR argMin(%2$s, time) > 0)";
    String perHour = change + " * 3600 / nullIf((toUnixTimestamp64Micro(max(time)) - toUnixTimestamp64Micro(min(time)))"
        + " / 1e6, 0)";
    return source.query("WITH s AS (\n  SELECT Time AS time, toString(Namespace) AS ns, toInt64(sum(Bytes)) AS b, "
        + "toInt64(sum(Keys)) AS k,"
        + " toInt64(sum(KeysWithoutTtl)) AS nt,\n    sqrt(sum(pow(BytesError, 2))) AS be, sqrt(sum(pow(KeysError, 2))) AS ke, "
        + "max(Sampled) AS est\n  FROM memtrace_keyspace WHERE true" + since(since)
        + " GROUP BY Time, Namespace)\nSELECT ns AS namespace, argMax(b, time) AS bytes, argMax(be, time) AS bytes_error, "
        + "argMax(k, time) AS keys,\n  argMax(ke, time) AS keys_error, argMax(est, time) AS estimated, argMax(nt, time) "
        + "AS keys_without_ttl,\n  " + String.format(within, "b", "be") + " AS bytes_within_bounds,\n  "
        + String.format(within, "k", "ke") + " AS keys_within_bounds,\n  " + String.format(perHour, "b")
        + " AS bytes_per_hour,\n  " + String.format(perHour, "k") + " AS keys_per_hour\n"
        + "FROM s GROUP BY ns ORDER BY bytes DESC, namespace");
  }

  private static String since(Long since) {
    return since == null ? "" : " AND Time >= " + ClickHouseTraces.micros(since);
  }
}
