package io.memtrace.collector.clickhouse;

import io.memtrace.common.KeyEventLines;
import java.util.List;

/**
 * The agent's compact key events (ADR 0004) on ClickHouse: each line of a {@code memtrace.key_events} carrier's
 * {@code memtrace.commands} events, stored as the Redis span it stands for, as serve's ingest ({@code KeyEventSpans})
 * stores it in the embedded store. ClickHouse refuses a view that writes back into the table it reads ("dependencies
 * are cyclic"), so the spans go to {@code memtrace_key_event_spans}, a table of {@code otel_traces}' layout; a view on
 * it feeds the span facts (and so the ops, the memory calls, the layers and the kept lineage) as the facts view of
 * {@code otel_traces} does, and another the trace lookup; the reader reads both tables as one
 * ({@code TypedSpans}). The expanding view reads carriers only ({@code WHERE SpanName}, the sorting key's second
 * column): every other span of an insert costs it one comparison.
 *
 * <p>An event whose lines leave the form ({@link KeyEventLines}; also a name or key holding a line break, which the
 * split into lines cannot tell from the line's end) gives no span at all, never a failed insert: the exporter's whole
 * block would fail with it.
 */
public final class KeyEventSpansTable {

  public static final String NAME = "memtrace_key_event_spans";
  /** The carrier span's name ({@code KeyEventSpans.CARRIER}). */
  public static final String CARRIER = "memtrace.key_events";
  static final String VIEW = NAME + "_mv";
  static final String FACTS_VIEW = NAME + "_facts_mv";
  static final String LOOKUP_VIEW = NAME + "_trace_id_ts_mv";

  /**
   * A line, as {@code extractGroups} reads it: end, duration, span id, context (trace id and parent, or empty), name
   * (plain, or {@code length:name}), key attributes, the key's length, and the rest of the line (the key, and a
   * namespace that is not its prefix).
   */
  private static final String LINE = "^(-?[0-9]+) ([0-9]+) ([A-Za-z0-9_-]{11}) "
      + "((?:[A-Za-z0-9_-]{22}(?:[.][A-Za-z0-9_-]{11})?)?) ([^ ]+) ([*0-9]*(?:,[0-9]*)*) ([0-9]+):(.*)$";

  /** The columns {@link #expand} gives, in its order; the others take their defaults (no events, no links). */
  static final String COLUMNS = "Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName, "
      + "ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage";

  private KeyEventSpansTable() {
  }

  static Table table() {
    return OtelTracesTable.spans(NAME, "memtrace: the Redis spans the agent sent as key events (memtrace.key_events "
        + "carriers of otel_traces), as the spans they stand for");
  }

  /** The views: carriers to spans, spans to the span facts, spans to the trace lookup. */
  static List<String> views(SchemaOptions options) {
    Table table = table();
    return List.of("CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(VIEW) + options.onCluster() + "\nTO "
            + options.qualified(NAME) + "\nAS " + expand(options.qualified(OtelTracesTable.spans().local(options))),
        "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(FACTS_VIEW) + options.onCluster() + "\nTO "
            + options.qualified(SpanFacts.TABLE) + "\nAS " + SpanFacts.select(options, table.local(options)),
        OtelTracesTable.lookupView(options, LOOKUP_VIEW, table));
  }

  /**
   * The spans of the carriers among {@code spans}' rows (a table or a subquery), with {@code otel_traces}' columns as
   * the exporter writes a span: hex ids, the start as Timestamp, attributes as text, kind {@code Client}.
   */
  static String expand(String spans) {
    String event = "SELECT ServiceName, ResourceAttributes, ScopeName, ScopeVersion, A, toUnixTimestamp64Nano(T) AS T0,\n"
        + "        A['" + KeyEventLines.ATTRIBUTE + "'] AS Text\n"
        + "    FROM " + spans + "\n"
        + "    ARRAY JOIN `Events.Attributes` AS A, `Events.Timestamp` AS T\n"
        + "    WHERE SpanName = '" + CARRIER + "' AND mapContains(A, '" + KeyEventLines.ATTRIBUTE + "')";
    // a line is whole when its name, key and namespace are as long as they say
    String whole = "length(x) = 8 AND length(x[8]) >= toUInt64OrZero(x[7])"
        + " AND (NOT match(x[5], '^[0-9]') OR length(x[5]) = length(extract(x[5], '^([0-9]+):')) + 1 "
        + "+ toUInt64OrZero(extract(x[5], '^([0-9]+):')))"
        + " AND if(startsWith(x[6], '*'), length(substring(x[8], toUInt64OrZero(x[7]) + 1)) = "
        + "length(extract(substring(x[8], toUInt64OrZero(x[7]) + 1), '^ ([0-9]+):')) + 2 "
        + "+ toUInt64OrZero(extract(substring(x[8], toUInt64OrZero(x[7]) + 1), '^ ([0-9]+):'))"
        + " AND extract(substring(x[8], toUInt64OrZero(x[7]) + 1), '^ ([0-9]+):') != '', "
        + "length(x[8]) = toUInt64OrZero(x[7]) AND toUInt64OrZero(splitByChar(',', x[6])[1]) <= toUInt64OrZero(x[7]))";
    String lines = "SELECT *, arrayMap(l -> extractGroups(l, '" + MemtraceViews.literal(LINE) + "'), "
        + "arrayPopBack(splitByChar('\\n', Text))) AS G\n"
        + "    FROM (" + event + ")";
    String line = "SELECT ServiceName, ResourceAttributes, ScopeName, ScopeVersion, A, g, ctx,\n"
        + "        T0 + e AS End, toInt64(toUInt64OrZero(g[2])) AS Dur, toUInt64OrZero(g[7]) AS KeyLength,\n"
        + "        substring(g[8], 1, KeyLength) AS Key, splitByChar(',', g[6]) AS F,\n"
        + "        if(match(g[5], '^[0-9]'), substring(g[5], position(g[5], ':') + 1), g[5]) AS Name,\n"
        + "        multiIf(F[1] = '*', substring(g[8], KeyLength + 3 + length(extract(substring(g[8], KeyLength + 1), "
        + "'^ ([0-9]+):'))), F[1] != '', substring(Key, 1, toUInt64OrZero(F[1])), '') AS Namespace\n"
        + "    FROM (" + lines + ")\n"
        + "    ARRAY JOIN G AS g, arrayFill(c -> c != '', arrayMap(x -> x[4], G)) AS ctx, "
        + "arrayCumSum(arrayMap(x -> toInt64OrZero(x[1]), G)) AS e\n"
        + "    WHERE endsWith(Text, '\\n') AND G[1][4] != '' AND arrayAll(x -> " + whole + ", G)";
    String id = "lower(hex(tryBase64URLDecode(%s)))";
    return "SELECT fromUnixTimestamp64Nano(greatest(End - Dur, 0)) AS Timestamp,\n"
        + "    " + String.format(id, "substring(ctx, 1, 22)") + " AS TraceId, " + String.format(id, "g[3]")
        + " AS SpanId,\n    if(length(ctx) > 22, " + String.format(id, "substring(ctx, 24)") + ", '') AS ParentSpanId,\n"
        + "    '' AS TraceState, Name AS SpanName, 'Client' AS SpanKind, ServiceName, ResourceAttributes, ScopeName, "
        + "ScopeVersion,\n"
        + "    mapFilter((k, v) -> v != '', map('db.system.name', 'redis', 'db.operation.name', Name, "
        + "'db.namespace', A['db.namespace'],\n"
        + "        'memory.found', if(F[3] = '', '', if(toInt64OrZero(F[3]) != 0, 'true', 'false')), "
        + "'memory.key', Key, 'memory.namespace', Namespace,\n"
        + "        'memory.result_count', F[5], 'memory.ttl', F[4], 'memory.value_size', F[2],\n"
        + "        'server.address', A['server.address'], 'server.port', A['server.port'], "
        + "'memtrace.key_event', 'true')) AS SpanAttributes,\n"
        + "    toUInt64(End - greatest(End - Dur, 0)) AS Duration, 'Unset' AS StatusCode, '' AS StatusMessage\n"
        + "FROM (" + line + ")";
  }
}
