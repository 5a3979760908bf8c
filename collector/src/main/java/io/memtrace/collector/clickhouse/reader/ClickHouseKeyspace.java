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
 * lines ({@link KeyspaceAtStart}).
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
}
