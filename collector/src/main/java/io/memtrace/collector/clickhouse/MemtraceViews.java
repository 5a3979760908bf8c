package io.memtrace.collector.clickhouse;

import io.memtrace.collector.report.KeyOperations;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.values.ValueChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The materialized views that keep memtrace's tables as the exporter inserts spans. Each runs on the block being
 * inserted, never on stored spans. What a span means (its key, namespace and operation under either memory
 * convention, the kind of access) comes from the same SQL generators the embedded store's report uses
 * ({@link MemoryConventions}, {@link KeyOperations}); a key of another language's Redis statement comes from the
 * command dictionary ({@link RedisCommandTable}). The span facts most of them read are derived by {@link
 * SpanFactsSelect}.
 */
final class MemtraceViews {

  /** A span attribute as SQL, NULL when absent, the way the report's generators expect it. */
  static final Function<String, String> ATTRIBUTE = name -> "nullIf(SpanAttributes['" + name + "'], '')";

  private MemtraceViews() {
  }

  static List<String> all(SchemaOptions options) {
    List<String> views = new ArrayList<>(SpanFacts.views(options));
    views.add(ops(options));
    views.add(keyValues(options));
    views.add(ValueSpans.view(options));
    return views;
  }

  /**
   * memtrace_span_facts to memtrace_ops: the spans that name a key (the span's own, or the one the command table read
   * from a statement, or a statement that hid it), with the key facts the facts view read, so a statement's words are
   * read once per span at insert. On a cluster it reads the node's facts and writes to the Distributed ops table, which
   * sends each row to its key's shard.
   */
  static String ops(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(MemtraceTables.OPS + "_mv")
        + options.onCluster() + "\nTO " + options.qualified(MemtraceTables.OPS) + "\nAS " + opsSelect(options);
  }

  /**
   * The ops view's SELECT, which {@link ViewUpgrades} and {@link SpanFactsUpgrades} also give the ops view of an
   * earlier init: the typed columns where they are the ops row's, the ops reading of the key ({@link
   * SpanFacts#OPS_KEY}) where the typed spans read it otherwise (a statement's key holding a ';', which the spans take
   * as hidden), and the size and TTL the span's own attributes give.
   */
  static String opsSelect(SchemaOptions options) {
    String redis = "(ifNull(db_system_name, '') = 'redis' OR ifNull(db_system, '') = 'redis')";
    String store = "if(" + redis + ", concat(coalesce(server_address, ''), ':', coalesce(server_port, ''), '/', "
        + "coalesce(db_namespace, '0')), '')";
    String fromSpan = SpanFacts.OPS_KEY_SOURCE + " = 'span'";
    // the rule only where the span names no namespace: if() evaluates a branch on the rows that take it, where
    // coalesce() computed the regular expression on every row (1.0 us a span of a 20,000-span insert)
    String namespace = "if(memory_namespace IS NOT NULL, assumeNotNull(memory_namespace), coalesce(" + RULE_CALL
        + literal(options.namespaceRegex()) + "', 1), ''), ''))";
    return "SELECT\n    " + store + " AS Store,\n    " + namespace + " AS Namespace,\n    "
        + SpanFacts.OPS_KEY + " AS Key, Timestamp, "
        + "upper(coalesce(memory_operation, db_operation_name, '')) AS Operation,\n    "
        + KeyOperations.sqlCase("Operation") + " AS Kind,\n    "
        + "if(" + redis + ", " + RedisCommandTable.access("Operation") + ", 'other') AS Access,\n    "
        + SpanFacts.OPS_KEY_SOURCE + " AS KeySource,\n    "
        // a Redis command's parent: the timeline ties a command to the memory call above it; a memory operation's
        // parent is read by no question, and was 3.2 of the table's 39.4 bytes a sizing span
        + "ServiceName, TraceId, SpanId, if(" + redis + ", ParentSpanId, '') AS ParentSpanId, Duration,\n    "
        + "if(" + fromSpan + " AND memory_value_size >= 0, toUInt64(memory_value_size), NULL) AS ValueSize,\n    "
        + "if(" + fromSpan + ", memory_ttl, NULL) AS Ttl,\n    "
        + "CAST(memory_found, 'Nullable(UInt8)') AS Found,\n    StatusCode IN ('Error', 'STATUS_CODE_ERROR') AS Error\n"
        + "FROM " + options.qualified(SpanFacts.TABLE) + "\nWHERE " + SpanFacts.OPS_KEY_SOURCE + " != ''";
  }

  /** How the views apply the namespace rule, up to the rule's literal, which {@link #ruleOf} reads back. */
  static final String RULE_CALL = "nullIf(regexpExtract(Key, '";

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
   * The namespace rule of a view made by {@link #ops}, or of a facts view ({@link SpanFactsSelect#spansSelect}), read
   * back from its stored definition ({@code system.tables.create_table_query}, which keeps the literal as written);
   * null when it has none.
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

  /**
   * The spans that carry a value ({@link ValueSpans}) to memtrace_key_values: each {@code memory.value} event of a
   * span, with its place among the span's value events ({@code Seq}, from 0) and the span's Redis, database and
   * operation, as the embedded store's ingest takes them ({@code ValueEvents}, {@code SpanOrigin}). An event without a
   * key or with an unknown change is left out. Reads the node's own spans and writes to the Distributed table on a
   * cluster, as the ops view does.
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
        + "            EventTimes AS ET, EventAttributes AS EA,\n"
        + "            arrayFilter(i -> EventNames[i] = 'memory.value', arrayEnumerate(EventNames)) AS Idx\n"
        + "        FROM " + options.qualified(ValueSpans.TABLE) + ")\n"
        + "    ARRAY JOIN Idx AS I, arrayEnumerate(Idx) AS N)\n"
        + "WHERE A['memory.key'] != '' AND A['memory.value.change'] IN (" + changes + ")";
  }
}
