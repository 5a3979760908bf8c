package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.store.MemoryConventions;
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

  /**
   * The typed spans whose start is at or after {@code sinceMicros} (0 for all), as a parenthesized subquery.
   *
   * @param where a further condition on {@code s} (otel_traces), or empty
   */
  static String from(long sinceMicros, String where) {
    String since = sinceMicros > 0 ? " AND s.Timestamp >= fromUnixTimestamp64Micro(" + sinceMicros + ")" : "";
    String cond = where.isEmpty() ? "" : " AND (" + where + ")";
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
    return "(SELECT " + WORDS + " AS words, s.TraceId AS trace_id, s.SpanId AS span_id, nullIf(s.ParentSpanId, '') AS parent_span_id, "
        + "s.SpanName AS name, toString(s.ServiceName) AS service_name, " + STATUS + " AS status_code, "
        + "nullIf(s.StatusMessage, '') AS status_message, "
        + "intDiv(toUnixTimestamp64Nano(s.Timestamp), 1000) AS start_us, "
        + "intDiv(toUnixTimestamp64Nano(s.Timestamp) + s.Duration, 1000) AS end_us, "
        + "s.Duration / 1e6 AS duration_ms, "
        + MemoryConventions.operationSql(ATTRIBUTE) + " AS memory_operation, "
        + "coalesce(" + MemoryConventions.keySql(ATTRIBUTE) + ", if(o.ks = 'statement', nullIf(o.Key, ''), NULL)) "
        + "AS memory_key, "
        + "coalesce(" + MemoryConventions.namespaceSql(ATTRIBUTE) + ", if(o.ks = 'statement', nullIf(o.Namespace, ''), "
        + "NULL)) AS memory_namespace, "
        + ATTRIBUTE.apply("db.system.name") + " AS db_system_name, " + ATTRIBUTE.apply("db.system") + " AS db_system, "
        + "coalesce(" + ATTRIBUTE.apply("db.operation.name") + ", if(" + statement + ", nullIf(o.Operation, ''), NULL)) "
        + "AS db_operation_name, "
        + "coalesce(toInt64OrNull(" + ATTRIBUTE.apply("memory.value_size") + "), if(o.ks = 'statement' AND NOT "
        + hiddenWord + ", " + size + ", NULL)) AS memory_value_size, "
        + "coalesce(toInt64OrNull(" + ATTRIBUTE.apply("memory.ttl") + "), if(o.ks = 'statement' AND NOT " + hiddenWord
        + ", " + ttl + ", NULL)) AS memory_ttl, "
        + "multiIf(" + ATTRIBUTE.apply("memory.found") + " = 'true', true, " + ATTRIBUTE.apply("memory.found")
        + " = 'false', false, NULL) AS memory_found, "
        + "toInt64OrNull(" + ATTRIBUTE.apply("memtrace.compressed.count") + ") AS memtrace_compressed_count, "
        + "toInt64OrNull(" + ATTRIBUTE.apply("memory.result_count") + ") AS memory_result_count, "
        + "toInt64OrNull(" + ATTRIBUTE.apply("gen_ai.memory.record.count") + ") AS gen_ai_memory_record_count, "
        + "if(" + statement + ", if(s.SpanAttributes['db.query.text'] != '', 'db.query.text', 'db.statement'), NULL) "
        + "AS memtrace_derived_from, "
        + "if(" + statement + ", nullIf(arrayStringConcat(arrayFilter(x -> x != '', [if(o.ks = 'hidden', 'memory.key', ''), "
        + "if(" + setting + " AND (o.ks = 'hidden' OR " + hiddenWord + "), 'memory.value_size', '')]), ','), ''), NULL) "
        + "AS memtrace_unknown, "
        + "coalesce(" + ATTRIBUTE.apply("server.address") + ", " + ATTRIBUTE.apply("net.peer.name") + ") AS server_address, "
        + "coalesce(" + ATTRIBUTE.apply("server.port") + ", " + ATTRIBUTE.apply("net.peer.port") + ") AS server_port, "
        + "coalesce(" + ATTRIBUTE.apply("db.namespace") + ", " + ATTRIBUTE.apply("db.redis.database_index")
        + ") AS db_namespace, "
        + "s.SpanAttributes AS attributes, s.`Events.Name` AS event_names, s.`Events.Attributes` AS event_attributes "
        + "FROM otel_traces AS s LEFT JOIN (SELECT TraceId, SpanId, Key, Namespace, Operation, "
        // a statement of several commands joined by ';' (a pipeline as Node writes it) cannot be read word by word:
        // the embedded store's reading leaves its key unknown
        + "if(KeySource = 'statement' AND position(Key, ';') + position(Operation, 'PIPELINE') + "
        + "position(Operation, 'MULTI') > 0, 'hidden', toString(KeySource)) AS ks "
        + "FROM memtrace_ops WHERE KeySource != 'span') AS o ON o.TraceId = s.TraceId AND o.SpanId = s.SpanId "
        + "WHERE true" + since + cond + ")";
  }
}
