package io.memtrace.collector.clickhouse;

import io.memtrace.collector.store.MemoryConventions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The SELECTs that derive each span's facts ({@link SpanFacts}) from a table of spans: its own columns, its typed
 * columns ({@link SpanColumns#STORED}), and the key the ops table reads, a Redis statement's words read with the
 * command table ({@link RedisCommandTable}) only where the span names no key. The facts views run them on each insert
 * and {@link SchemaFills} once over the spans stored before the views existed, so both derive the same facts; the
 * namespace rule is applied as {@link MemtraceViews} applies it, so that {@link MemtraceViews#ruleOf} reads it back.
 */
final class SpanFactsSelect {

  private SpanFactsSelect() {
  }

  /** The ops row's key source ({@link SpanFacts#OPS_KEY_SOURCE}) of a span that has one, over {@link #facts}. */
  private static final String KEY_SOURCE = "multiIf(MemoryKey IS NOT NULL, 'span', Hidden, 'hidden', 'statement')";

  /**
   * Each span of the block with its key facts: the key a memory span names, or the one the command table reads
   * from a Redis statement, the command, and whether the statement hid the key.
   *
   * <p>In three layers, each a subquery. ClickHouse's analyzer expands an alias wherever it is used, so the command
   * table's two lookups (each an array of every command's name) are columns of a layer of their own before the words
   * after them use them several times. In one layer the spans view cost 148-156 ms of CPU an insert of one span,
   * against 93-111 ms in layers ({@code bench/clickhouse/view_cost.py}; docs/fleet.md, "Keys from other languages'
   * statements").
   */
  private static String facts(SchemaOptions options, String columns, String source) {
    String memoryKey = MemoryConventions.keySql(MemtraceViews.ATTRIBUTE);
    String statement = "if(SpanAttributes['db.query.text'] != '', SpanAttributes['db.query.text'], "
        + "SpanAttributes['db.statement'])";
    String words = String.join("\n",
        "SELECT Timestamp, ServiceName, TraceId, SpanId, ParentSpanId, Duration, StatusCode,",
        "    " + memoryKey + " AS MemoryKey,",
        "    (SpanAttributes['db.system.name'] = 'redis' OR SpanAttributes['db.system'] = 'redis') AS IsRedis,",
        // a statement is read only where the span names no key (memtrace's agent always names one)
        "    splitByWhitespace(if(MemoryKey IS NULL AND IsRedis, " + statement + ", '')) AS Words,",
        "    upper(Words[1]) AS Name1,",
        "    concat(Name1, '|', upper(Words[2])) AS Name2,",
        "    " + columns,
        "FROM " + options.qualified(source));
    String positions = String.join("\n",
        "SELECT *, " + RedisCommandTable.firstKey("Name2", "toUInt8(0)") + " AS Position2,",
        "    " + RedisCommandTable.firstKey("Name1", "toUInt8(0)") + " AS Position1",
        "FROM (\n" + words + "\n)");
    return String.join("\n",
        "SELECT *,",
        "    if(Position2 > 0, Position2, Position1) AS Position,",
        "    if(Position2 > 0, Name2, Name1) AS Command,",
        "    Words[Position + 1] AS Word,",
        // a hidden key: Python's and the Java agent's ?, Node's [N other arguments], or a statement cut before it
        "    Word = '' OR Word = '?' OR (startsWith(Word, '[') AND Words[Position + 2] = 'other') AS Hidden,",
        "    MemoryKey IS NULL AND IsRedis AND Position > 0 AS FromStatement,",
        "    multiIf(MemoryKey IS NOT NULL, MemoryKey, FromStatement AND NOT Hidden, Word, '') AS Key,",
        "    upper(coalesce(" + MemoryConventions.operationSql(MemtraceViews.ATTRIBUTE) + ", "
            + MemtraceViews.ATTRIBUTE.apply("db.operation.name")
            + ", if(FromStatement, Command, NULL), '')) AS Operation",
        "FROM (\n" + positions + "\n)");
  }

  /** The span's own columns of the facts, before the typed ones. */
  private static final List<String> SPANS_COLUMNS = List.of("TraceId", "SpanId", "ParentSpanId", "SpanName",
      "ServiceName", "StatusCode", "StatusMessage", "Timestamp", "Duration");

  /**
   * Each span's own and typed columns over the node's otel_traces, as the facts view derives them, which {@link
   * SchemaFills} reads once over the spans stored before the views existed ({@link SpanFacts#stored}).
   */
  static String spansSelect(SchemaOptions options) {
    return spansSelect(options, "");
  }

  /**
   * {@link #spansSelect(SchemaOptions)} with {@code extra} columns after the typed ones (each {@code ,\n    EXPR AS
   * NAME}), over the facts of {@link #facts} and the typed columns' own ({@code o_ks}, ...).
   */
  static String spansSelect(SchemaOptions options, String extra) {
    return spansSelect(options, extra, OtelTracesTable.spans().local(options));
  }

  /** {@link #spansSelect(SchemaOptions, String)} over the spans of the table {@code source} (unqualified). */
  static String spansSelect(SchemaOptions options, String extra, String source) {
    Map<String, String> all = SpanColumns.all("o_");
    StringBuilder select = new StringBuilder(SPANS_COLUMNS.stream().map(c -> "s." + c + " AS " + c)
        .collect(Collectors.joining(", ")));
    for (String name : SpanColumns.STORED.keySet()) {
      select.append(",\n    ").append(all.get(name)).append(" AS ").append(name);
    }
    String ops = "if(MemoryKey IS NULL AND FromStatement, " + KEY_SOURCE + ", '')";
    return "SELECT " + select + extra + "\nFROM (SELECT *, " + SpanColumns.keySource(ops, "Key", "Operation")
        + " AS o_ks, Key AS o_Key, " + namespace(options) + " AS o_Namespace, Operation AS o_Operation, Words AS words"
        + "\nFROM (\n" + facts(options, "SpanName, StatusMessage, SpanAttributes", source) + "\n) AS s) AS s";
  }

  /**
   * The facts of the spans of {@code source} (unqualified) that need no statement (each but {@link
   * SpanColumns#readsStatement}'s), with {@code extra} columns after the typed ones, read straight from the span: its
   * ops key is its own key, or none. With {@code every}, every span of {@code source}: one whose spans never carry a
   * statement (the key events').
   */
  static String ownSpansSelect(SchemaOptions options, String extra, String source, boolean every) {
    Map<String, String> own = SpanColumns.own();
    StringBuilder select = new StringBuilder(SPANS_COLUMNS.stream().map(c -> "s." + c + " AS " + c)
        .collect(Collectors.joining(", ")));
    for (String name : SpanColumns.STORED.keySet()) {
      select.append(",\n    ").append(own.get(name)).append(" AS ").append(name);
    }
    // the key by its alias: the typed column memory_key is the span's own key here, and its CASE analysed once where
    // it was written out four times (the facts' view planned 15.0 against 17.0 ms, 2026-12-02)
    String key = "memory_key";
    return "SELECT " + select + ",\n    ifNull(" + key + ", '') AS " + SpanFacts.OPS_KEY + ",\n    if(" + key
        + " IS NOT NULL, 'span', '') AS " + SpanFacts.OPS_KEY_SOURCE + extra + "\nFROM "
        + options.qualified(source) + " AS s" + (every ? "" : "\nWHERE NOT (" + SpanColumns.readsStatement(key) + ")");
  }

  /** What the ops table reads of a span: empty where the span names no key and is no Redis statement. */
  static final String OPS_FACTS = ",\n    if(MemoryKey IS NOT NULL OR FromStatement, Key, '') AS " + SpanFacts.OPS_KEY
      + ",\n    if(MemoryKey IS NOT NULL OR FromStatement, " + KEY_SOURCE + ", '') AS " + SpanFacts.OPS_KEY_SOURCE;

  /** An operation's namespace: the span's, else the namespace rule's reading of its key. */
  private static String namespace(SchemaOptions options) {
    return "coalesce(" + MemoryConventions.namespaceSql(MemtraceViews.ATTRIBUTE) + ", " + MemtraceViews.RULE_CALL
        + MemtraceViews.literal(options.namespaceRegex()) + "', 1), ''), '')";
  }
}
