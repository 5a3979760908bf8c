package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.store.MemoryConventions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The spans of {@code otel_traces} with the typed columns the embedded store keeps beside each span
 * ({@code memory_key}, {@code memory_namespace}, {@code db_operation_name}, ...), under the same names, so each
 * section's SQL reads like the embedded store's. A Redis span of another language's instrumentation gets its key,
 * namespace and command from {@code memtrace_ops}, where the command dictionary put them as the span was inserted
 * (one source of truth for Redis key positions); its TTL and written size, which the ops table does not keep, are
 * read from the statement's words here for the commands that set a string (SET, SETEX, PSETEX, SETNX, GETSET).
 * Times are microseconds since the epoch ({@code start_us}, {@code end_us}), as the embedded store keeps them.
 */
final class TypedSpans {

  /** A span attribute as SQL, NULL when absent (the exporter writes every value as a string). */
  static final Function<String, String> ATTRIBUTE = name -> "nullIf(s.SpanAttributes['" + name + "'], '')";

  private static final String WORDS = "splitByWhitespace(if(s.SpanAttributes['db.query.text'] != '', "
      + "s.SpanAttributes['db.query.text'], s.SpanAttributes['db.statement']))";

  private TypedSpans() {
  }

  /** Status as the embedded store writes it: ERROR, OK or UNSET. */
  static final String STATUS = "multiIf(s.StatusCode IN ('Error', 'STATUS_CODE_ERROR'), 'ERROR', "
      + "s.StatusCode IN ('Ok', 'STATUS_CODE_OK'), 'OK', 'UNSET')";

  /** Every typed column, in the order {@link #from(long, String)} gives them, with its SQL over {@code s} and {@code o}. */
  private static final Map<String, String> COLUMNS = columns();

  /** Columns read from the statement's words ({@code words}), and those that need the ops row ({@code o}). */
  private static final Set<String> FROM_WORDS = Set.of("words", "memory_value_size", "memory_ttl", "memtrace_unknown");
  private static final Set<String> FROM_OPS = Set.of("memory_key", "memory_namespace", "db_operation_name",
      "memory_value_size", "memory_ttl", "memtrace_derived_from", "memtrace_unknown");

  /**
   * The typed spans whose start is at or after {@code sinceMicros} (0 for all), as a parenthesized subquery.
   *
   * @param where a further condition on {@code s} (otel_traces), or empty
   */
  static String from(long sinceMicros, String where) {
    return from(sinceMicros, where, COLUMNS.keySet());
  }

  /**
   * {@link #from(long, String)} with only the {@code columns} named: ClickHouse analyses every column of a subquery,
   * used or not, each time the subquery appears in a statement, so a statement that names a few of them, or reads
   * the spans more than once, is planned in a fraction of the time. Without a column from the statement's words or
   * the ops table, the statement is not split and the ops table not joined.
   */
  static String from(long sinceMicros, String where, Collection<String> columns) {
    String since = sinceMicros > 0 ? " AND s.Timestamp >= fromUnixTimestamp64Micro(" + sinceMicros + ")" : "";
    String cond = where.isEmpty() ? "" : " AND (" + where + ")";
    List<String> select = new ArrayList<>();
    boolean words = false;
    boolean ops = false;
    for (Map.Entry<String, String> column : COLUMNS.entrySet()) {
      if (columns.contains(column.getKey())) {
        select.add(column.getValue() + " AS " + column.getKey());
        words |= FROM_WORDS.contains(column.getKey());
        ops |= FROM_OPS.contains(column.getKey());
      }
    }
    if (select.size() != columns.size()) {
      throw new IllegalArgumentException("not a typed span column among " + columns);
    }
    if (words && !columns.contains("words")) {
      select.add(0, COLUMNS.get("words") + " AS words");
    }
    return "(SELECT " + String.join(", ", select) + " FROM otel_traces AS s" + (ops ? OPS_JOIN : "") + " WHERE true"
        + since + cond + ")";
  }

  /**
   * The ops row of a Redis span of another language's instrumentation: its key, namespace and command. A statement of
   * several commands joined by ';' (a pipeline as Node writes it) cannot be read word by word: the embedded store's
   * reading leaves its key unknown ({@code ks} 'hidden').
   */
  private static final String OPS_JOIN = " LEFT JOIN (SELECT TraceId, SpanId, Key, Namespace, Operation, "
      + "if(KeySource = 'statement' AND position(Key, ';') + position(Operation, 'PIPELINE') + "
      + "position(Operation, 'MULTI') > 0, 'hidden', toString(KeySource)) AS ks "
      + "FROM memtrace_ops WHERE KeySource != 'span') AS o ON o.TraceId = s.TraceId AND o.SpanId = s.SpanId";

  private static Map<String, String> columns() {
    String statement = "o.ks != ''";
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
    c.put("memory_operation", MemoryConventions.operationSql(ATTRIBUTE));
    c.put("memory_key", "coalesce(" + MemoryConventions.keySql(ATTRIBUTE)
        + ", if(o.ks = 'statement', nullIf(o.Key, ''), NULL))");
    c.put("memory_namespace", "coalesce(" + MemoryConventions.namespaceSql(ATTRIBUTE)
        + ", if(o.ks = 'statement', nullIf(o.Namespace, ''), NULL))");
    c.put("db_system_name", ATTRIBUTE.apply("db.system.name"));
    c.put("db_system", ATTRIBUTE.apply("db.system"));
    c.put("db_operation_name", "coalesce(" + ATTRIBUTE.apply("db.operation.name") + ", if(" + statement
        + ", nullIf(o.Operation, ''), NULL))");
    c.put("memory_value_size", "coalesce(toInt64OrNull(" + ATTRIBUTE.apply("memory.value_size")
        + "), if(o.ks = 'statement' AND NOT " + hiddenWord + ", " + size + ", NULL))");
    c.put("memory_ttl", "coalesce(toInt64OrNull(" + ATTRIBUTE.apply("memory.ttl") + "), if(o.ks = 'statement' AND NOT "
        + hiddenWord + ", " + ttl + ", NULL))");
    c.put("memory_found", "multiIf(" + ATTRIBUTE.apply("memory.found") + " = 'true', true, "
        + ATTRIBUTE.apply("memory.found") + " = 'false', false, NULL)");
    c.put("memtrace_compressed_count", "toInt64OrNull(" + ATTRIBUTE.apply("memtrace.compressed.count") + ")");
    c.put("memory_result_count", "toInt64OrNull(" + ATTRIBUTE.apply("memory.result_count") + ")");
    c.put("gen_ai_memory_record_count", "toInt64OrNull(" + ATTRIBUTE.apply("gen_ai.memory.record.count") + ")");
    c.put("memtrace_derived_from", "if(" + statement
        + ", if(s.SpanAttributes['db.query.text'] != '', 'db.query.text', 'db.statement'), NULL)");
    c.put("memtrace_unknown", "if(" + statement + ", nullIf(arrayStringConcat(arrayFilter(x -> x != '', "
        + "[if(o.ks = 'hidden', 'memory.key', ''), if(" + setting + " AND (o.ks = 'hidden' OR " + hiddenWord
        + "), 'memory.value_size', '')]), ','), ''), NULL)");
    c.put("server_address", "coalesce(" + ATTRIBUTE.apply("server.address") + ", " + ATTRIBUTE.apply("net.peer.name") + ")");
    c.put("server_port", "coalesce(" + ATTRIBUTE.apply("server.port") + ", " + ATTRIBUTE.apply("net.peer.port") + ")");
    c.put("db_namespace", "coalesce(" + ATTRIBUTE.apply("db.namespace") + ", " + ATTRIBUTE.apply("db.redis.database_index")
        + ")");
    c.put("attributes", "s.SpanAttributes");
    c.put("event_names", "s.`Events.Name`");
    c.put("event_attributes", "s.`Events.Attributes`");
    return Collections.unmodifiableMap(c);
  }
}
