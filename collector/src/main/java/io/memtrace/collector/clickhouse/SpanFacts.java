package io.memtrace.collector.clickhouse;

/**
 * Each inserted span's facts, derived once: the typed columns {@code memtrace_spans} keeps and the key the ops table
 * reads, the statement's words read only where the span names no key. A {@code Null} table keeps none of it; the views
 * on it ({@link MemtraceViews#spans}, {@link MemtraceViews#ops}) write {@code memtrace_spans} and {@code memtrace_ops}
 * from the same block, so neither reads the attributes map or a statement again. On a cluster each node's facts stay
 * on the node: the ops view sends its rows to their keys' shards.
 */
final class SpanFacts {

  static final String TABLE = "memtrace_span_facts";
  static final String VIEW = TABLE + "_mv";

  /** The key as the ops table keeps it: a span's own, a statement's word, or empty where the statement hid it. */
  static final String OPS_KEY = "OpsKey";

  /** The ops row's key source ({@code span}, {@code statement}, {@code hidden}); empty for a span with no ops row. */
  static final String OPS_KEY_SOURCE = "OpsKeySource";

  private SpanFacts() {
  }

  /** The Null table: memtrace_spans' columns without their codecs, and the ops facts. */
  static String table(SchemaOptions options) {
    String columns = MemtraceTables.spans().columns().replaceAll(" CODEC\\((?:[^()]|\\([^()]*\\))*\\)", "");
    return "CREATE TABLE IF NOT EXISTS " + options.qualified(TABLE) + options.onCluster() + " (\n" + columns.strip()
        + ",\n    " + OPS_KEY + " String,\n    " + OPS_KEY_SOURCE + " LowCardinality(String)\n) ENGINE = Null\n"
        + "COMMENT 'memtrace: each inserted span\\'s typed columns and key facts, for the views that keep them'";
  }

  /** otel_traces to the facts: the node's own spans. */
  static String view(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(VIEW) + options.onCluster() + "\nTO "
        + options.qualified(TABLE) + "\nAS " + MemtraceViews.spansSelect(options, MemtraceViews.OPS_FACTS);
  }
}
