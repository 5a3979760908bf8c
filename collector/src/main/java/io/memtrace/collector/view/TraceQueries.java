package io.memtrace.collector.view;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import io.memtrace.collector.lineage.KeyspaceAtStart;
import io.memtrace.collector.lineage.ReadLineage;
import io.memtrace.collector.lineage.TraceLineage;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.PromotedAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Loads whole traces. The queries go through the same read-only path as user SQL (they may
 * travel to a running server), so values are inlined after validation instead of bound.
 */
public final class TraceQueries {

  /**
   * Reads an attribute as its typed column would hold it, the counts (which have none) as {@code BIGINT}.
   * From {@code attributes}, not the columns: a trace is a few rows, and an old store has no columns.
   */
  private static final Function<String, String> ATTRIBUTE = key -> {
    PromotedAttributes.Column column = PromotedAttributes.of(key);
    return "TRY_CAST(attributes['" + key + "'] AS " + (column == null ? "BIGINT" : column.type()) + ")";
  };

  private static final String SPAN_FIELDS = "trace_id, span_id, parent_span_id, name, service_name, "
      + "epoch_us(start_time) AS start_us, duration_ms, status_code, status_message, "
      + MemoryConventions.keySql(ATTRIBUTE) + " AS key, attributes['agent.id']::VARCHAR AS agent, "
      + "attributes['test.case.name']::VARCHAR AS test_case, "
      + MemoryConventions.namespaceSql(ATTRIBUTE) + " AS namespace, "
      + "TRY_CAST(attributes['memory.value_size'] AS BIGINT) AS size, "
      + "TRY_CAST(attributes['memory.found'] AS BOOLEAN) AS found, "
      + MemoryConventions.resultCountSql(ATTRIBUTE) + " AS results, "
      + MemoryConventions.itemCountSql(ATTRIBUTE) + " AS items, "
      + MemoryConventions.operationSql(ATTRIBUTE) + " AS memory_operation, "
      + "attributes['db.operation.name']::VARCHAR AS db_operation, "
      + "(attributes['db.system.name'] IS NOT NULL OR attributes['db.system'] IS NOT NULL) AS is_database, "
      + "attributes['error.type']::VARCHAR AS error_type, "
      + "CASE WHEN attributes['server.address'] IS NOT NULL THEN attributes['server.address']::VARCHAR || ':' "
      + "|| coalesce(attributes['server.port']::VARCHAR, '') END AS redis, "
      + "TRY_CAST(attributes['db.namespace'] AS INTEGER) AS db, "
      // events are read only from spans that carry compressed counts
      + "CASE WHEN attributes['memtrace.compressed.count'] IS NOT NULL THEN events::VARCHAR END AS compressed_events";

  private TraceQueries() {
  }

  /** Trace ids: the given one, or the {@code last} most recent (optionally of one service), oldest first. */
  public static List<String> traceIds(SqlSource source, String traceId, int last, String service) {
    if (traceId != null) {
      String id = traceId.trim().toLowerCase();
      if (!id.matches("[0-9a-f]{1,32}")) {
        throw new CollectorException("--trace '" + traceId + "' is not a hex trace id");
      }
      return List.of(id);
    }
    String where = service == null ? "" : " WHERE service_name = " + literal(service);
    ResultTable ids = source.query("SELECT trace_id, max(start_time) AS latest FROM spans" + where
        + " GROUP BY trace_id ORDER BY latest DESC, trace_id LIMIT " + Math.max(1, last));
    List<String> result = new ArrayList<>();
    for (int i = ids.size() - 1; i >= 0; i--) {
      result.add(ids.text(i, "trace_id"));
    }
    return result;
  }

  /** The spans of each trace, keyed by trace id in the order given; a prefix of an id matches too. */
  public static Map<String, List<TraceSpan>> load(SqlSource source, List<String> traceIds) {
    Map<String, List<TraceSpan>> traces = new LinkedHashMap<>();
    if (traceIds.isEmpty()) {
      return traces;
    }
    String match = traceIds.stream().map(id -> "starts_with(trace_id, " + literal(id) + ")")
        .collect(Collectors.joining(" OR "));
    ResultTable rows = source.query("SELECT " + SPAN_FIELDS + " FROM spans WHERE " + match
        + " ORDER BY start_time, span_id");
    for (String id : traceIds) {
      traces.put(id, new ArrayList<>());
    }
    for (int i = 0; i < rows.size(); i++) {
      TraceSpan span = TraceSpan.of(rows, i);
      String owner = traceIds.stream().filter(span.traceId::startsWith).findFirst().orElse(span.traceId);
      traces.computeIfAbsent(owner, k -> new ArrayList<>()).add(span);
    }
    traces.values().forEach(spans -> attachLineage(source, spans));
    return traces;
  }

  /**
   * Sets {@link TraceSpan#lineage} on each read of the trace (a trace has one id, though a prefix
   * loaded it). A server too old to have the view gets its traces without.
   */
  private static void attachLineage(SqlSource source, List<TraceSpan> spans) {
    Set<String> keys = spans.stream().filter(TraceSpan::namesKey).map(s -> s.key).collect(Collectors.toCollection(TreeSet::new));
    if (spans.isEmpty() || keys.isEmpty()) {
      return;
    }
    Map<String, ReadLineage> reads;
    try {
      long start = spans.stream().mapToLong(s -> s.startMicros).min().orElse(0);
      long end = spans.stream().mapToLong(s -> s.startMicros + (long) Math.ceil(s.durationMillis * 1000)).max().orElse(start);
      reads = TraceLineage.of(source, spans.get(0).traceId, keys, start, end);
    } catch (CollectorException e) {
      Log.warn("no lineage for trace " + spans.get(0).traceId + ": " + e.getMessage());
      return;
    }
    for (TraceSpan span : spans) {
      ReadLineage read = reads.get(span.spanId);
      if (read != null) {
        span.lineage = read.describe(span.traceId);
      }
    }
  }

  /**
   * The size of each namespace the trace touched in the keyspace sample nearest its start
   * ({@link KeyspaceAtStart}); no lines when there is no sample, or no {@code keyspace} table.
   */
  public static List<String> keyspaceAtStart(SqlSource source, List<TraceSpan> spans) {
    if (spans.isEmpty()) {
      return List.of();
    }
    Set<KeyspaceAtStart.Place> places = new LinkedHashSet<>();
    for (TraceSpan s : spans) {
      if (s.namespace != null && (s.database || s.isMemoryOperation())) {
        places.add(new KeyspaceAtStart.Place(s.database ? s.redis : null, s.database ? s.db : null, s.namespace));
      }
    }
    long start = spans.stream().mapToLong(s -> s.startMicros).min().orElse(0);
    try {
      return KeyspaceAtStart.lines(source, start, places);
    } catch (CollectorException e) {
      return List.of();
    }
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
