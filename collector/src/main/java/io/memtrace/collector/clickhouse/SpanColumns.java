package io.memtrace.collector.clickhouse;

import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.PromotedAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The typed columns the embedded store keeps beside each span ({@code memory_key}, {@code memory_namespace},
 * {@code db_operation_name}, ...), as SQL over an {@code otel_traces} row {@code s} and the ops facts of its statement
 * (the command dictionary's reading, {@code ks}, {@code Key}, {@code Namespace}, {@code Operation} under a prefix).
 * One generator for the two places that compute them: the span facts' view, as spans are inserted, and the reader, at
 * each question. A Redis span of another language's instrumentation gets its TTL and written size from the statement's
 * words, for the commands that set a string (SET, SETEX, PSETEX, SETNX, GETSET).
 */
public final class SpanColumns {

  /** A span attribute as SQL, NULL when absent (the exporter writes every value as a string). */
  public static final Function<String, String> ATTRIBUTE = name -> "nullIf(s.SpanAttributes['" + name + "'], '')";

  /** The kept attribute columns' types, by attribute key (the embedded store's type names). */
  private static final Map<String, String> KEPT_TYPES = PromotedAttributes.COLUMNS.stream()
      .filter(AttributeColumns::kept).collect(java.util.stream.Collectors.toMap(PromotedAttributes.Column::key,
          PromotedAttributes.Column::type));

  /**
   * A span attribute as {@link #ATTRIBUTE} reads it, from otel_traces' {@code MATERIALIZED} column where the table
   * keeps one as text ({@link AttributeColumns}): the same text, computed once as the span was inserted, so a view on
   * otel_traces plans no lookup in the map for it (the span facts' view planned 14.7-18.6 ms an insert with the
   * lookups, 13.5-13.8 without, 2026-12-01).
   */
  static final Function<String, String> KEPT = name -> KEPT_TYPES.getOrDefault(name, "").equals("VARCHAR")
      ? "nullIf(s." + AttributeColumns.COLUMNS.get(name) + ", '')" : ATTRIBUTE.apply(name);

  /** The statement's words. */
  public static final String WORDS = "splitByWhitespace(if(s.SpanAttributes['db.query.text'] != '', "
      + "s.SpanAttributes['db.query.text'], s.SpanAttributes['db.statement']))";

  /**
   * Whether a span with the typed columns belongs to a report layer: a memory operation, or a Redis command (by either
   * generation of the database convention). The reader's sections and the rows kept at insert per layer
   * ({@code memtrace_layer_ops}) must draw the layer alike.
   */
  public static String inLayer(io.memtrace.collector.reader.Layer layer) {
    return switch (layer) {
      case MEMORY -> "memory_operation IS NOT NULL";
      case REDIS -> "(db_system_name IS NOT NULL OR db_system IS NOT NULL)";
    };
  }

  /** Status as the embedded store writes it: ERROR, OK or UNSET. */
  public static final String STATUS = "multiIf(s.StatusCode IN ('Error', 'STATUS_CODE_ERROR'), 'ERROR', "
      + "s.StatusCode IN ('Ok', 'STATUS_CODE_OK'), 'OK', 'UNSET')";

  /** The typed columns the span facts carry, derived as the span is inserted, with their ClickHouse types. */
  public static final Map<String, String> STORED = stored();

  private SpanColumns() {
  }

  private static Map<String, String> stored() {
    Map<String, String> c = new LinkedHashMap<>();
    for (String name : List.of("memory_operation", "memory_key", "memory_namespace", "db_system_name", "db_system",
        "db_operation_name")) {
      c.put(name, "Nullable(String)");
    }
    c.put("memory_value_size", "Nullable(Int64)");
    c.put("memory_ttl", "Nullable(Int64)");
    c.put("memory_found", "Nullable(Bool)");
    for (String name : List.of("memtrace_compressed_count", "memory_result_count", "gen_ai_memory_record_count")) {
      c.put(name, "Nullable(Int64)");
    }
    for (String name : List.of("memtrace_derived_from", "memtrace_unknown", "server_address", "server_port",
        "db_namespace")) {
      c.put(name, "Nullable(String)");
    }
    return Collections.unmodifiableMap(c);
  }

  /**
   * Every typed column with its SQL, in the reader's order.
   *
   * @param ops the prefix of the ops facts: {@code o.} for a joined {@code memtrace_ops} row, {@code o_} for columns
   */
  public static Map<String, String> all(String ops) {
    return columns(ops, true, ATTRIBUTE);
  }

  /**
   * The typed columns of a span that is read without its statement: one that names its key, or no Redis span (every
   * span of memtrace's agent). Each is {@link #all}'s where the statement gives nothing ({@code ks} empty), with no
   * word of a statement in its SQL: ClickHouse plans a view's SELECT at every insert, and the statement's part was
   * three quarters of the span facts view's.
   */
  public static Map<String, String> own() {
    return columns("o_", false, KEPT);
  }

  /**
   * Whether the span {@code s} is one whose facts need its statement: a Redis span that names no key (another
   * language's instrumentation). {@link #own} is the rest's.
   */
  public static String readsStatement() {
    return readsStatement(MemoryConventions.keySql(KEPT));
  }

  /** {@link #readsStatement()} with the span's own key given as {@code key} (an alias of it, in the facts' view). */
  static String readsStatement(String key) {
    return key + " IS NULL AND (s." + AttributeColumns.COLUMNS.get("db.system.name") + " = 'redis' OR s."
        + AttributeColumns.COLUMNS.get("db.system") + " = 'redis')";
  }

  /**
   * The columns, each attribute read by {@code attribute}: {@link #KEPT} for a view on otel_traces that reads no
   * statement, where a number the table keeps is its column too (its {@code accurateCastOrNull} is this {@code
   * toInt64OrNull} for every text, the empty one included).
   */
  private static Map<String, String> columns(String ops, boolean statements, Function<String, String> attribute) {
    Function<String, String> int64 = name -> attribute == KEPT && KEPT_TYPES.getOrDefault(name, "").equals("BIGINT")
        ? "s." + AttributeColumns.COLUMNS.get(name) : "toInt64OrNull(" + attribute.apply(name) + ")";
    String ks = ops + "ks";
    String statement = ks + " != ''";
    String cmd = "upper(words[1])";
    String hiddenWord = "arrayExists(w -> w = '?' OR startsWith(w, '['), arraySlice(words, 2))";
    String size = "multiIf(" + cmd + " IN ('SET', 'SETNX', 'GETSET', 'APPEND'), toInt64(length(words[3])), "
        + cmd + " IN ('SETEX', 'PSETEX'), toInt64(length(words[4])), NULL)";
    String upperWords = "arrayMap(w -> upper(w), words)";
    String ttl = "multiIf(" + cmd + " = 'SETEX', toInt64OrNull(words[3]), " + cmd + " = 'PSETEX', "
        + "intDiv(toInt64OrNull(words[3]), 1000), " + cmd + " = 'SET' AND indexOf(" + upperWords + ", 'EX') > 2, "
        + "toInt64OrNull(words[indexOf(" + upperWords + ", 'EX') + 1]), " + cmd + " = 'SET' AND indexOf(" + upperWords
        + ", 'PX') > 2, intDiv(toInt64OrNull(words[indexOf(" + upperWords + ", 'PX') + 1]), 1000), NULL)";
    String setting = cmd + " IN ('SET', 'SETNX', 'GETSET', 'APPEND', 'SETEX', 'PSETEX')";
    Map<String, String> c = new LinkedHashMap<>();
    c.put("words", WORDS);
    c.put("trace_id", "s.TraceId");
    c.put("span_id", "s.SpanId");
    c.put("parent_span_id", "nullIf(s.ParentSpanId, '')");
    c.put("name", "s.SpanName");
    c.put("service_name", "toString(s.ServiceName)");
    c.put("status_code", STATUS);
    c.put("status_message", "nullIf(s.StatusMessage, '')");
    c.put("start_us", "intDiv(toUnixTimestamp64Nano(s.Timestamp), 1000)");
    c.put("end_us", "intDiv(toUnixTimestamp64Nano(s.Timestamp) + s.Duration, 1000)");
    c.put("duration_ms", "s.Duration / 1e6");
    c.put("memory_operation", MemoryConventions.operationSql(attribute));
    c.put("memory_key", withStatement(statements, MemoryConventions.keySql(attribute),
        "if(" + ks + " = 'statement', nullIf(" + ops + "Key, ''), NULL)"));
    c.put("memory_namespace", withStatement(statements, MemoryConventions.namespaceSql(attribute),
        "if(" + ks + " = 'statement', nullIf(" + ops + "Namespace, ''), NULL)"));
    c.put("db_system_name", attribute.apply("db.system.name"));
    c.put("db_system", attribute.apply("db.system"));
    c.put("db_operation_name", withStatement(statements, attribute.apply("db.operation.name"), "if(" + statement
        + ", nullIf(" + ops + "Operation, ''), NULL)"));
    c.put("memory_value_size", withStatement(statements, int64.apply("memory.value_size"), "if(" + ks
        + " = 'statement' AND NOT " + hiddenWord + ", " + size + ", NULL)"));
    c.put("memory_ttl", withStatement(statements, int64.apply("memory.ttl"), "if(" + ks
        + " = 'statement' AND NOT " + hiddenWord + ", " + ttl + ", NULL)"));
    c.put("memory_found", "multiIf(" + attribute.apply("memory.found") + " = 'true', true, "
        + attribute.apply("memory.found") + " = 'false', false, NULL)");
    c.put("memtrace_compressed_count", int64.apply("memtrace.compressed.count"));
    c.put("memory_result_count", int64.apply("memory.result_count"));
    c.put("gen_ai_memory_record_count", int64.apply("gen_ai.memory.record.count"));
    // not among the span facts: read when asked (memory health's rewrites and duplicates)
    c.put("memory_value_fingerprint", attribute.apply("memory.value.fingerprint"));
    String none = "CAST(NULL AS Nullable(String))";
    c.put("memtrace_derived_from", statements ? "if(" + statement
        + ", if(s.SpanAttributes['db.query.text'] != '', 'db.query.text', 'db.statement'), NULL)" : none);
    c.put("memtrace_unknown", statements ? "if(" + statement + ", nullIf(arrayStringConcat(arrayFilter(x -> x != '', "
        + "[if(" + ks + " = 'hidden', 'memory.key', ''), if(" + setting + " AND (" + ks + " = 'hidden' OR " + hiddenWord
        + "), 'memory.value_size', '')]), ','), ''), NULL)" : none);
    c.put("server_address", "coalesce(" + attribute.apply("server.address") + ", " + attribute.apply("net.peer.name") + ")");
    c.put("server_port", "coalesce(" + attribute.apply("server.port") + ", " + attribute.apply("net.peer.port") + ")");
    c.put("db_namespace", "coalesce(" + attribute.apply("db.namespace") + ", " + attribute.apply("db.redis.database_index")
        + ")");
    c.put("attributes", "s.SpanAttributes");
    c.put("event_names", "s.`Events.Name`");
    c.put("event_attributes", "s.`Events.Attributes`");
    return Collections.unmodifiableMap(c);
  }

  /** {@code own}, or where a statement is read the first of the two that is not NULL. */
  private static String withStatement(boolean statements, String own, String fromStatement) {
    return statements ? "coalesce(" + own + ", " + fromStatement + ")" : own;
  }

  /**
   * The ops facts of a statement as {@code memtrace_ops} keeps them, the reader's {@code ks}: empty for a span that
   * names its key or is no Redis statement, else 'statement' or 'hidden'. A statement of several commands joined by
   * ';' (a pipeline as Node writes it) cannot be read word by word: the embedded store's reading leaves its key
   * unknown ('hidden').
   */
  public static String keySource(String keySource, String key, String operation) {
    return "if(" + keySource + " = 'statement' AND position(" + key + ", ';') + position(" + operation
        + ", 'PIPELINE') + position(" + operation + ", 'MULTI') > 0, 'hidden', toString(" + keySource + "))";
  }
}
