package io.memtrace.collector.clickhouse;

import io.memtrace.collector.report.KeyOperations;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.values.ValueChange;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The materialized views that keep memtrace's tables as the exporter inserts spans. Each runs on the block being
 * inserted, never on stored spans. What a span means (its key, namespace and operation under either memory
 * convention, the kind of access) comes from the same SQL generators the embedded store's report uses
 * ({@link MemoryConventions}, {@link KeyOperations}); a key of another language's Redis statement comes from the
 * command dictionary ({@link RedisCommandTable}).
 */
final class MemtraceViews {

  /** A span attribute as SQL, NULL when absent, the way the report's generators expect it. */
  static final Function<String, String> ATTRIBUTE = name -> "nullIf(SpanAttributes['" + name + "'], '')";

  private MemtraceViews() {
  }

  static List<String> all(SchemaOptions options) {
    return List.of(ops(options), keyTotals(options), namespaceGrowth(options), spans(options), keyValues(options));
  }

  /**
   * otel_traces to memtrace_ops. On a cluster it reads a node's local spans and writes to the Distributed ops table,
   * which sends each row to its key's shard.
   */
  static String ops(SchemaOptions options) {
    String inner = facts(options, "SpanAttributes, ResourceAttributes") + "\nWHERE MemoryKey IS NOT NULL OR FromStatement";
    String store = "if(IsRedis, concat(coalesce(" + ATTRIBUTE.apply("server.address") + ", "
        + ATTRIBUTE.apply("net.peer.name") + ", ''), ':', coalesce(" + ATTRIBUTE.apply("server.port") + ", "
        + ATTRIBUTE.apply("net.peer.port") + ", ''), '/', coalesce(" + ATTRIBUTE.apply("db.namespace") + ", "
        + ATTRIBUTE.apply("db.redis.database_index") + ", '0')), '')";
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(MemtraceTables.OPS + "_mv")
        + options.onCluster() + "\nTO " + options.qualified(MemtraceTables.OPS) + "\nAS SELECT\n    "
        + store + " AS Store,\n    "
        + namespace(options) + " AS Namespace,\n    Key, Timestamp, Operation,\n    "
        + KeyOperations.sqlCase("Operation") + " AS Kind,\n    "
        + "if(IsRedis, " + RedisCommandTable.access("Operation") + ", 'other') AS Access,\n    "
        + KEY_SOURCE + " AS KeySource,\n    "
        + "ServiceName, TraceId, SpanId, ParentSpanId, Duration,\n    "
        + "toUInt64OrNull(SpanAttributes['memory.value_size']) AS ValueSize,\n    "
        + "toInt64OrNull(SpanAttributes['memory.ttl']) AS Ttl,\n    "
        + "multiIf(SpanAttributes['memory.found'] = 'true', 1, SpanAttributes['memory.found'] = 'false', 0, NULL) "
        + "AS Found,\n    StatusCode IN ('Error', 'STATUS_CODE_ERROR') AS Error\nFROM (\n" + inner + "\n)";
  }

  /** An operation's namespace: the span's, else the namespace rule's reading of its key. */
  private static String namespace(SchemaOptions options) {
    return "coalesce(" + MemoryConventions.namespaceSql(ATTRIBUTE) + ", " + RULE_CALL + literal(options.namespaceRegex())
        + "', 1), ''), '')";
  }

  /** How the views apply the namespace rule, up to the rule's literal, which {@link #ruleOf} reads back. */
  private static final String RULE_CALL = "nullIf(regexpExtract(Key, '";

  /** How the key values' view applies the rule to a value event's key. */
  private static final String VALUE_RULE_CALL = "regexpExtract(A['memory.key'], '";

  /** Whether the view {@code statement} creates reads keys with the namespace rule. */
  static boolean readsNamespaces(String statement) {
    return statement.contains(RULE_CALL) || statement.contains(VALUE_RULE_CALL);
  }

  /** {@code text} as the inside of a ClickHouse string literal. */
  static String literal(String text) {
    return text.replace("\\", "\\\\").replace("'", "\\'");
  }

  /**
   * The namespace rule of a view made by {@link #ops} or {@link #spans}, read back from its stored definition
   * ({@code system.tables.create_table_query}, which keeps the literal as written); null when it has none.
   */
  static String ruleOf(String definition) {
    int start = definition.indexOf(RULE_CALL);
    if (start < 0) {
      return null;
    }
    StringBuilder rule = new StringBuilder();
    for (int i = start + RULE_CALL.length(); i < definition.length(); i++) {
      char c = definition.charAt(i);
      if (c == '\\' && i + 1 < definition.length()) {
        rule.append(definition.charAt(++i));
      } else if (c == '\'') {
        return rule.toString();
      } else {
        rule.append(c);
      }
    }
    return null;
  }

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
  private static String facts(SchemaOptions options, String columns) {
    String memoryKey = MemoryConventions.keySql(ATTRIBUTE);
    String statement = "if(SpanAttributes['db.query.text'] != '', SpanAttributes['db.query.text'], "
        + "SpanAttributes['db.statement'])";
    String words = String.join("\n",
        "SELECT Timestamp, ServiceName, TraceId, SpanId, ParentSpanId, Duration, StatusCode,",
        "    " + memoryKey + " AS MemoryKey,",
        "    (SpanAttributes['db.system.name'] = 'redis' OR SpanAttributes['db.system'] = 'redis') AS IsRedis,",
        "    splitByWhitespace(" + statement + ") AS Words,",
        "    upper(Words[1]) AS Name1,",
        "    concat(Name1, '|', upper(Words[2])) AS Name2,",
        "    " + columns,
        "FROM " + options.qualified(OtelTracesTable.spans().local(options)));
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
        "    upper(coalesce(" + MemoryConventions.operationSql(ATTRIBUTE) + ", " + ATTRIBUTE.apply("db.operation.name")
            + ", if(FromStatement, Command, NULL), '')) AS Operation",
        "FROM (\n" + positions + "\n)");
  }

  /**
   * otel_traces to memtrace_spans: every span with the typed columns of {@link SpanColumns#STORED}, the statement's
   * facts read as the ops view reads them (a span that names no key, or is no statement, has none), so the reader's
   * columns are the same whether it reads this table or derives them from otel_traces and memtrace_ops. Spans are
   * sharded by trace, as otel_traces is, so on a cluster it writes to the node's own table.
   */
  static String spans(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(MemtraceTables.SPANS + "_mv")
        + options.onCluster() + "\nTO " + options.qualified(MemtraceTables.spans().local(options))
        + "\nAS " + spansSelect(options);
  }

  /**
   * The spans view's SELECT over the node's otel_traces, which {@link SchemaInit} also runs once over the spans stored
   * before the view existed.
   */
  static String spansSelect(SchemaOptions options) {
    Map<String, String> all = SpanColumns.all("o_");
    StringBuilder select = new StringBuilder("s.TraceId AS TraceId, s.SpanId AS SpanId, s.ParentSpanId AS ParentSpanId, "
        + "s.SpanName AS SpanName, s.ServiceName AS ServiceName, s.StatusCode AS StatusCode, "
        + "s.StatusMessage AS StatusMessage, s.Timestamp AS Timestamp, s.Duration AS Duration");
    for (String name : SpanColumns.STORED.keySet()) {
      select.append(",\n    ").append(all.get(name)).append(" AS ").append(name);
    }
    String ops = "if(MemoryKey IS NULL AND FromStatement, " + KEY_SOURCE + ", '')";
    return "SELECT " + select + "\nFROM (SELECT *, " + SpanColumns.keySource(ops, "Key", "Operation") + " AS o_ks, "
        + "Key AS o_Key, " + namespace(options) + " AS o_Namespace, Operation AS o_Operation, " + SpanColumns.WORDS + " AS words"
        + "\nFROM (\n" + facts(options, "SpanName, StatusMessage, SpanAttributes") + "\n) AS s) AS s";
  }

  /**
   * otel_traces to memtrace_key_values: each {@code memory.value} event of a span, with its place among the span's
   * value events ({@code Seq}, from 0) and the span's Redis, database and operation, as the embedded store's ingest
   * takes them ({@code ValueEvents}, {@code SpanOrigin}). An event without a key or with an unknown change is left
   * out. Reads the node's local spans and writes to the Distributed table on a cluster, as the ops view does.
   */
  static String keyValues(SchemaOptions options) {
    String changes = Arrays.stream(ValueChange.values())
        .map(c -> "'" + c.wire() + "'").collect(Collectors.joining(", "));
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(MemtraceTables.KEY_VALUES + "_mv")
        + options.onCluster() + "\nTO " + options.qualified(MemtraceTables.KEY_VALUES) + "\nAS SELECT\n"
        + "    multiIf(A['memory.namespace'] != '', A['memory.namespace'],\n"
        + "        A['memory.key'] = SpanAttributes['memory.key'] AND SpanAttributes['memory.namespace'] != '', "
        + "SpanAttributes['memory.namespace'],\n"
        + "        " + VALUE_RULE_CALL + literal(options.namespaceRegex()) + "', 1)) AS Namespace,\n"
        + "    A['memory.key'] AS Key, EventTime AS Timestamp, TraceId, SpanId, toUInt32(N - 1) AS Seq, ServiceName,\n"
        + "    if(IsRedis AND SpanAttributes['server.address'] != '', concat(SpanAttributes['server.address'], ':', "
        + "SpanAttributes['server.port']), '') AS Redis,\n"
        + "    if(IsRedis, toUInt16OrZero(SpanAttributes['db.namespace']), 0) AS Db,\n"
        + "    multiIf(SpanAttributes['memory.operation'] != '', SpanAttributes['memory.operation'], "
        + "SpanAttributes['db.operation.name'] != '', SpanAttributes['db.operation.name'], toString(SpanName)) AS Operation,\n"
        + "    A['memory.value.change'] AS Change, A['memory.value.type'] AS Type,\n"
        + "    A['memory.value.encoding'] = 'base64' AS Base64, A['memory.value'] AS Value,\n"
        + "    if(A['memory.value.size'] != '', toUInt64OrZero(A['memory.value.size']), length(A['memory.value'])) AS Size,\n"
        + "    A['memory.value.truncated'] = 'true' AS Truncated\n"
        + "FROM (SELECT TraceId, SpanId, ServiceName, SpanName, SpanAttributes, IsRedis, EA[I] AS A, ET[I] AS EventTime, N\n"
        + "    FROM (SELECT TraceId, SpanId, ServiceName, SpanName, SpanAttributes,\n"
        + "            (SpanAttributes['db.system.name'] = 'redis' OR SpanAttributes['db.system'] = 'redis') AS IsRedis,\n"
        + "            `Events.Timestamp` AS ET, `Events.Attributes` AS EA,\n"
        + "            arrayFilter(i -> `Events.Name`[i] = 'memory.value', arrayEnumerate(`Events.Name`)) AS Idx\n"
        + "        FROM " + options.qualified(OtelTracesTable.spans().local(options)) + "\n"
        + "        WHERE has(`Events.Name`, 'memory.value'))\n"
        + "    ARRAY JOIN Idx AS I, arrayEnumerate(Idx) AS N)\n"
        + "WHERE A['memory.key'] != '' AND A['memory.value.change'] IN (" + changes + ")";
  }

  /** memtrace_ops to memtrace_key_totals, shard-local on a cluster: a key's operations are on its shard. */
  static String keyTotals(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(MemtraceTables.KEY_TOTALS + "_mv")
        + options.onCluster() + "\nTO " + options.qualified(MemtraceTables.keyTotals().local(options))
        + "\nAS SELECT Store, Namespace, Key,\n"
        + "    countIf(Kind = 'read') AS Reads, countIf(Kind = 'write') AS Writes, countIf(Kind = 'delete') AS Deletes,\n"
        + "    countIf(Kind = 'expire') AS Expires, countIf(Kind = 'other') AS Others,\n"
        + "    countIf(Kind = 'read' AND Found = 0) AS Misses, countIf(Error = 1) AS Errors,\n"
        + "    sumIf(assumeNotNull(ValueSize), Kind = 'write') AS BytesWritten,\n"
        + "    max(assumeNotNull(ValueSize)) AS MaxValueSize,\n"
        + "    min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen,\n"
        + "    minIf(toNullable(Timestamp), Kind = 'write') AS FirstWrite,\n"
        + "    argMaxStateIf(coalesce(Ttl, -1), Timestamp, Kind = 'write') AS LastWriteTtl,\n"
        + "    groupUniqArray(toString(ServiceName)) AS Services\n"
        + "FROM " + options.qualified(MemtraceTables.ops().local(options)) + "\nGROUP BY Store, Namespace, Key";
  }

  /** memtrace_ops to memtrace_namespace_growth. */
  static String namespaceGrowth(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(MemtraceTables.NAMESPACE_GROWTH + "_mv")
        + options.onCluster() + "\nTO " + options.qualified(MemtraceTables.namespaceGrowth().local(options))
        + "\nAS SELECT Store, Namespace, toStartOfHour(Timestamp) AS Hour,\n"
        + "    count() AS Ops, countIf(Kind = 'write') AS Writes,\n"
        + "    sumIf(assumeNotNull(ValueSize), Kind = 'write') AS BytesWritten,\n"
        + "    uniqStateIf(Key, Kind = 'write') AS KeysWritten\n"
        + "FROM " + options.qualified(MemtraceTables.ops().local(options)) + "\nGROUP BY Store, Namespace, Hour";
  }
}
