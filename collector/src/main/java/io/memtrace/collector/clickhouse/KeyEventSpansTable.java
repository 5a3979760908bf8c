package io.memtrace.collector.clickhouse;

import io.memtrace.collector.ingest.KeyEventSpans;
import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.common.KeyEventLines;
import java.util.List;

/**
 * The agent's compact key events (ADR 0004) on ClickHouse: each line of a {@code memtrace.key_events} carrier's
 * {@code memtrace.commands} events stored as the Redis span it stands for, and each pipeline or transaction of its
 * {@code memtrace.batches} events as its batch span with a {@code memtrace.batch.command} event per command, as
 * serve's ingest ({@code KeyEventSpans}) stores them in the embedded store. ClickHouse refuses a view that writes back into the table it reads ("dependencies
 * are cyclic"), so the spans go to {@code memtrace_key_event_spans}, a table of {@code otel_traces}' layout; a view on
 * it feeds the span facts (and so the ops, the memory calls, the layers and the kept lineage) as the facts view of
 * {@code otel_traces} does, and another the trace lookup; the reader reads both tables as one
 * ({@code TypedSpans}). Between {@code otel_traces} and the expanding views stands a narrow view of the carriers alone
 * into a {@code Null} table ({@link #carriers}): an insert with no carrier costs it one comparison a span and the
 * planning of that view.
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
  static final String BATCHES_VIEW = "memtrace_key_event_batches_mv";
  static final String CARRIERS = "memtrace_key_event_carriers";
  static final String CARRIERS_VIEW = CARRIERS + "_mv";
  static final String FACTS_VIEW = NAME + "_facts_mv";
  static final String LOOKUP_VIEW = NAME + "_trace_id_ts_mv";

  /** The columns {@link #expand} gives, in its order; the others take their defaults (no events, no links). */
  static final String COLUMNS = "Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName, "
      + "ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage";
  /** The columns {@link #expandBatches} gives, in its order. */
  static final String BATCH_COLUMNS = COLUMNS + ", `Events.Timestamp`, `Events.Name`, `Events.Attributes`";

  private KeyEventSpansTable() {
  }

  static Table table() {
    return OtelTracesTable.spans(NAME, "memtrace: the Redis spans the agent sent as key events (memtrace.key_events "
        + "carriers of otel_traces), as the spans they stand for");
  }

  /**
   * The carriers' part the expanding views read, kept nowhere ({@code Null}): a view as narrow as can be stands between
   * {@code otel_traces} and them, since ClickHouse plans a view of {@code otel_traces} at every insert (the
   * expanding views' SELECTs take 20-40 ms of CPU to plan, 1-2 us a span of a 20,000-span insert), and plans the views
   * of a table a view writes to only when rows reach it.
   */
  static String carriers(SchemaOptions options) {
    return "CREATE TABLE IF NOT EXISTS " + options.qualified(CARRIERS) + options.onCluster() + " (\n"
        + "    ServiceName LowCardinality(String),\n    ResourceAttributes Map(LowCardinality(String), String),\n"
        + "    ScopeName String,\n    ScopeVersion String,\n    EventTimes Array(DateTime64(9)),\n"
        + "    EventAttributes Array(Map(LowCardinality(String), String))\n) ENGINE = Null\n"
        + "COMMENT 'memtrace: the key events\\' carriers of each insert into otel_traces, for the views that expand them'";
  }

  /** The carriers of {@code spans} (a table) as {@link #carriers} holds them. */
  static String carriersOf(String spans) {
    return "SELECT ServiceName, ResourceAttributes, ScopeName, ScopeVersion, `Events.Timestamp` AS EventTimes, "
        + "`Events.Attributes` AS EventAttributes\nFROM " + spans + "\nWHERE SpanName = '" + CARRIER + "'";
  }

  /**
   * The views: otel_traces to the carriers, the carriers to spans (commands, and batches), the spans to the span facts
   * and to the trace lookup. On a cluster the node's carriers, and their spans sent to their traces' shards.
   */
  static List<String> views(SchemaOptions options) {
    Table table = table();
    String carriers = options.qualified(CARRIERS);
    return List.of("CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(CARRIERS_VIEW) + options.onCluster()
            + "\nTO " + carriers + "\nAS " + carriersOf(options.qualified(OtelTracesTable.spans().local(options))),
        "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(VIEW) + options.onCluster() + "\nTO "
            + options.qualified(NAME) + "\nAS " + expand(carriers),
        "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(BATCHES_VIEW) + options.onCluster() + "\nTO "
            + options.qualified(NAME) + "\nAS " + expandBatches(carriers),
        "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(FACTS_VIEW) + options.onCluster() + "\nTO "
            + options.qualified(SpanFacts.TABLE) + "\nAS " + SpanFacts.keyEventSelect(options, table.local(options)),
        OtelTracesTable.lookupView(options, LOOKUP_VIEW, table));
  }

  /** A line's head: end, duration, span id, context (trace id and parent, or empty), each followed by a space. */
  private static final String HEAD = "^(-?[0-9]+) ([0-9]+) ([A-Za-z0-9_-]{11}) "
      + "((?:[A-Za-z0-9_-]{22}(?:[.][A-Za-z0-9_-]{11})?)?) ";
  /** A command's key attributes, its key's length and the rest of the line (the key, and a namespace after it). */
  private static final String KEY = "([*0-9]*(?:,[0-9]*)*) ([0-9]+):(.*)$";
  /** A command line: the head, the name (plain, or {@code length:name}), the key part. */
  private static final String LINE = HEAD + "([^ ]+) " + KEY;
  /** A batch's line: the head and the batch span's name. */
  private static final String BATCH = HEAD + "(.+)$";
  /** A command of the batch before: {@code + name} and the key part. */
  private static final String COMMAND = "^[+] ([^ ]+) " + KEY;
  /** Each line's context, an empty one being the line's before. */
  private static final String CONTEXTS = "arrayFill(c -> c != '', arrayMap(x -> x[4], G))";
  /** Each line's end after the event's time. */
  private static final String ENDS = "arrayCumSum(arrayMap(x -> toInt64OrZero(x[1]), G))";
  /** What a line's span is made of: its event's columns, its groups, context and end. */
  private static final String JOINED = "ServiceName, ResourceAttributes, ScopeName, ScopeVersion, A, T0, g, ctx, e";
  /** The columns of the span every command or batch is stored as; its attributes and events follow. */
  private static final String ATTRIBUTES = "'db.system.name', 'redis', 'db.operation.name', Name, "
      + "'db.namespace', A['db.namespace'], 'server.address', A['server.address'], 'server.port', A['server.port'], '"
      + KeyEventSpans.MARK + "', 'true'";

  /**
   * The spans of the {@code memtrace.commands} events of {@code carriers} (a table or subquery of {@link #carriersOf}),
   * with
   * {@code otel_traces}' columns as the exporter writes a span: hex ids, the start as Timestamp, attributes as text,
   * kind {@code Client}; in {@link #COLUMNS}' order.
   */
  static String expand(String carriers) {
    String lines = "SELECT *, arrayMap(l -> extractGroups(l, '" + MemtraceViews.literal(LINE) + "'), Lines) AS G\n"
        + "    FROM (" + events(carriers, KeyEventLines.ATTRIBUTE) + ")";
    String each = "SELECT " + JOINED + "\n    FROM (" + lines + ")\n    ARRAY JOIN G AS g, " + CONTEXTS + " AS ctx, " + ENDS
        + " AS e\n    WHERE G[1][4] != '' AND arrayAll(x -> length(x) = 8 AND " + whole("x[5]") + " AND "
        + keyWhole("x", 6) + ", G)";
    return span("mapFilter((k, v) -> v != '', mapConcat(map(" + ATTRIBUTES + "), " + keyAttributes("g", 6) + "))", "",
        each);
  }

  /**
   * The batch spans of the {@code memtrace.batches} events (compressed pipelines and transactions) of {@code carriers}: each batch's span with a {@code memtrace.batch.command} event per command it lists, as serve
   * stores it ({@code KeyEventSpans}); {@link #COLUMNS} and then the events' columns.
   */
  static String expandBatches(String carriers) {
    // each line a batch's, or (after '+ ') a command of the batch before
    String lines = "SELECT *, arrayMap(l -> startsWith(l, '+ '), Lines) AS IsCommand,\n"
        + "        arrayMap(l -> extractGroups(l, '" + MemtraceViews.literal(BATCH) + "'), "
        + "arrayFilter((l, c) -> NOT c, Lines, IsCommand)) AS G,\n"
        + "        arrayMap(l -> extractGroups(l, '" + MemtraceViews.literal(COMMAND) + "'), Lines) AS C,\n"
        + "        arrayCumSum(arrayMap(c -> toUInt64(NOT c), IsCommand)) AS Of\n"
        + "    FROM (" + events(carriers, KeyEventLines.BATCHES) + ")";
    String each = "SELECT " + JOINED + ", arrayFilter((x, i, c) -> c AND i = n, C, Of, IsCommand) AS Commands\n"
        + "    FROM (" + lines + ")\n"
        + "    ARRAY JOIN G AS g, arrayEnumerate(G) AS n, " + CONTEXTS + " AS ctx, " + ENDS + " AS e\n"
        + "    WHERE NOT IsCommand[1] AND G[1][4] != '' AND arrayAll(x -> length(x) = 5 AND " + whole("x[5]") + ", G)\n"
        + "        AND arrayAll((x, c) -> NOT c OR (length(x) = 4 AND " + whole("x[1]") + " AND " + keyWhole("x", 2)
        + "), C, IsCommand)";
    return span("mapFilter((k, v) -> v != '', map(" + ATTRIBUTES + "))",
        ",\n    arrayMap(x -> fromUnixTimestamp64Nano(End), Commands) AS `Events.Timestamp`, arrayMap(x -> '"
            + LineageViews.BATCH_COMMAND + "', Commands) AS `Events.Name`,\n    arrayMap(x -> mapFilter((k, v) -> "
            + "v != '', mapConcat(map('db.operation.name', " + name("x[1]") + "), " + keyAttributes("x", 2)
            + ")), Commands) AS `Events.Attributes`", each);
  }

  /** The events of {@code carriers} (rows of {@link #carriersOf}) that hold {@code attribute}, their lines and time. */
  private static String events(String carriers, String attribute) {
    return "SELECT ServiceName, ResourceAttributes, ScopeName, ScopeVersion, A, toUnixTimestamp64Nano(T) AS T0, "
        + "arrayPopBack(splitByChar('\\n', A['" + attribute + "'])) AS Lines\n"
        + "    FROM " + carriers + "\n"
        + "    ARRAY JOIN EventAttributes AS A, EventTimes AS T\n"
        + "    WHERE mapContains(A, '" + attribute + "') AND endsWith(A['" + attribute + "'], '\\n')";
  }

  /** The span of each head {@code g} of {@code each}, its context {@code ctx} and end {@code e} after the event's. */
  private static String span(String attributes, String events, String each) {
    String id = "lower(hex(tryBase64URLDecode(%s)))";
    return "SELECT fromUnixTimestamp64Nano(greatest(End - Dur, 0)) AS Timestamp,\n"
        + "    " + String.format(id, "substring(ctx, 1, 22)") + " AS TraceId, " + String.format(id, "g[3]")
        + " AS SpanId,\n    if(length(ctx) > 22, " + String.format(id, "substring(ctx, 24)") + ", '') AS ParentSpanId,\n"
        + "    '' AS TraceState, Name AS SpanName, 'Client' AS SpanKind, ServiceName, ResourceAttributes, ScopeName, "
        + "ScopeVersion,\n    " + attributes + " AS SpanAttributes,\n"
        + "    toUInt64(End - greatest(End - Dur, 0)) AS Duration, 'Unset' AS StatusCode, '' AS StatusMessage" + events
        + "\nFROM (SELECT *, T0 + e AS End, toInt64(toUInt64OrZero(g[2])) AS Dur, " + name("g[5]") + " AS Name\n"
        + "    FROM (" + each + "))";
  }

  /** A name as written: plain, or {@code length:name}. */
  private static String name(String field) {
    return "if(match(" + field + ", '^[0-9]'), substring(" + field + ", position(" + field + ", ':') + 1), " + field
        + ")";
  }

  /** Whether a name is as long as it says, or plain. */
  private static String whole(String field) {
    String length = "extract(" + field + ", '^([0-9]+):')";
    return "if(match(" + field + ", '^[0-9]'), length(" + field + ") = length(" + length + ") + 1 + toUInt64OrZero("
        + length + "), position(" + field + ", ' ') = 0)";
  }

  /** The key's length in bytes, of the key part of the groups {@code x} from group {@code k}. */
  private static String keyLength(String x, int k) {
    return "toUInt64OrZero(" + x + "[" + (k + 1) + "])";
  }

  /** What follows the key: empty, or a namespace that is not its prefix. */
  private static String tail(String x, int k) {
    return "substring(" + x + "[" + (k + 2) + "], " + keyLength(x, k) + " + 1)";
  }

  /** Whether the key, and a namespace after it, are as long as they say, and a prefix namespace within the key. */
  private static String keyWhole(String x, int k) {
    String rest = x + "[" + (k + 2) + "]";
    String nsLength = "extract(" + tail(x, k) + ", '^ ([0-9]+):')";
    return "length(" + rest + ") >= " + keyLength(x, k) + " AND if(startsWith(" + x + "[" + k + "], '*'), "
        + nsLength + " != '' AND length(" + tail(x, k) + ") = length(" + nsLength + ") + 2 + toUInt64OrZero("
        + nsLength + "), length(" + rest + ") = " + keyLength(x, k) + " AND toUInt64OrZero(splitByChar(',', " + x + "["
        + k + "])[1]) <= " + keyLength(x, k) + ")";
  }

  /** The attributes the key part says, as a map of text ({@code ''} where the command's span would not have one). */
  private static String keyAttributes(String x, int k) {
    String key = "substring(" + x + "[" + (k + 2) + "], 1, " + keyLength(x, k) + ")";
    String field = "splitByChar(',', " + x + "[" + k + "])[%d]";
    String namespace = "multiIf(startsWith(" + x + "[" + k + "], '*'), substring(" + tail(x, k) + ", 3 + length(extract("
        + tail(x, k) + ", '^ ([0-9]+):'))), " + String.format(field, 1) + " != '', substring(" + key + ", 1, "
        + "toUInt64OrZero(" + String.format(field, 1) + ")), '')";
    String found = "if(" + String.format(field, 3) + " = '', '', if(toInt64OrZero(" + String.format(field, 3)
        + ") != 0, 'true', 'false'))";
    return "map('memory.key', " + key + ", 'memory.namespace', " + namespace + ", 'memory.value_size', "
        + String.format(field, 2) + ", 'memory.found', " + found + ", 'memory.ttl', " + String.format(field, 4)
        + ", 'memory.result_count', " + String.format(field, 5) + ")";
  }
}
