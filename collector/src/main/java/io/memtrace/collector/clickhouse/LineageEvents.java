package io.memtrace.collector.clickhouse;

import io.memtrace.collector.lineage.LineageViews;
import io.memtrace.collector.reader.Layer;
import java.util.List;

/**
 * The key events lineage is made of, as SQL over typed spans: a memory span's and a Redis span's, each with its
 * place (the memory store and key, or the Redis, database and key) and its access (read, write, delete, other). One
 * generator for the two places that derive them: the reader, over the stored spans a question names, and the
 * {@code memtrace_lineage} views ({@link LineageRows}), over each block of spans as it is inserted; so a read's writer
 * kept at insert and one joined at a question are the same rows.
 */
public final class LineageEvents {

  /** The typed span columns ({@link SpanColumns}) the events are made of. */
  public static final List<String> SPAN_COLUMNS = List.of("trace_id", "span_id", "name", "service_name",
      "status_code", "start_us", "end_us", "memory_operation", "memory_key", "memory_namespace", "db_system_name",
      "db_system", "db_operation_name", "memory_value_size", "memory_ttl", "memory_found", "memory_result_count",
      "gen_ai_memory_record_count", "server_address", "server_port", "db_namespace");

  private LineageEvents() {
  }

  /**
   * How a place of {@code layer} begins: a memory place with {@code m|}, a Redis one with {@code r|}. The kept lineage
   * is sorted by place, so a layer's rows are one range of its primary key ({@link #inLayer}).
   */
  public static String placePrefix(Layer layer) {
    return layer == Layer.MEMORY ? "m|" : "r|";
  }

  /**
   * A condition that the place {@code column} is one of {@code layer}'s: exactly the events of that layer, and a range
   * of a table sorted by place, so ClickHouse reads (and merges, with {@code FINAL}) that layer's granules only.
   */
  public static String inLayer(String column, Layer layer) {
    return "startsWith(" + column + ", '" + placePrefix(layer) + "')";
  }

  /**
   * The key events of both layers among {@code spans} (a parenthesized subquery with {@link #SPAN_COLUMNS}), as a
   * parenthesized subquery: a memory span's and a Redis span's in one pass over the spans (each span twice, once per
   * layer, kept where it is one), which ClickHouse plans in half the time of a union of two.
   */
  public static String select(String spans) {
    String memory = "layer = 'memory'";
    String results = "coalesce(memory_result_count, if(lower(memory_operation) IN ('retrieve', 'search'), "
        + "gen_ai_memory_record_count, NULL))";
    return "(SELECT start_us AS time_us, end_us, trace_id, span_id, service_name, name, layer, "
        + "if(" + memory + ", CAST(NULL AS Nullable(String)), if(server_address IS NOT NULL, concat(server_address, ':', "
        + "coalesce(server_port, '')), NULL)) AS redis, "
        + "if(" + memory + ", CAST(NULL AS Nullable(Int32)), toInt32OrNull(db_namespace)) AS db, memory_key AS key, "
        + "memory_namespace AS namespace, "
        + "if(" + memory + ", " + LineageViews.MEMORY_ACCESS + ", " + LineageViews.NOTHING_REMOVED + " THEN 'other' "
        + "ELSE " + access("upper(coalesce(db_operation_name, ''))") + " END) AS access, "
        + "if(" + memory + ", lower(memory_operation), db_operation_name) AS operation, "
        + "if(" + memory + ", coalesce(memory_found, " + results + " > 0), memory_found) AS found, "
        + "memory_value_size AS value_size, memory_ttl AS ttl, status_code, "
        + "if(" + memory + ", concat('" + placePrefix(Layer.MEMORY) + "', coalesce(memory_namespace, ''), '|', "
        + "coalesce(memory_key, '')), concat('" + placePrefix(Layer.REDIS) + "', coalesce(redis, ''), '|', "
        + "toString(coalesce(db, 0)), '|', memory_key)) AS place "
        + "FROM " + spans + " ARRAY JOIN ['memory', 'redis'] AS layer "
        + "WHERE if(" + memory + ", memory_operation IS NOT NULL AND (memory_key IS NOT NULL OR lower(memory_operation) "
        + "= 'search'), (db_system_name IS NOT NULL OR db_system IS NOT NULL) AND memory_key IS NOT NULL))";
  }

  /** A Redis command's lineage access, from the command table ({@link RedisCommandTable}). */
  public static String access(String command) {
    return RedisCommandTable.access(command);
  }
}
