package io.memtrace.collector.clickhouse;

/**
 * Each inserted span's facts, derived once: its typed columns ({@link SpanColumns#STORED}) and the key the ops table
 * reads, the statement's words read only where the span names no key. A {@code Null} table keeps none of it; the views
 * on it (the ops rows, the memory calls, the layers' keys and operations, the lineage's events) read the same block,
 * so none reads the attributes map or a statement again, and no span is copied whole: a question about spans reads
 * {@code otel_traces}. On a cluster each node's facts stay on the node: the ops view sends its rows to their keys'
 * shards.
 */
final class SpanFacts {

  static final String TABLE = "memtrace_span_facts";
  static final String VIEW = TABLE + "_mv";

  /** The key as the ops table keeps it: a span's own, a statement's word, or empty where the statement hid it. */
  static final String OPS_KEY = "OpsKey";

  /** The ops row's key source ({@code span}, {@code statement}, {@code hidden}); empty for a span with no ops row. */
  static final String OPS_KEY_SOURCE = "OpsKeySource";

  /** Whether the span carries a value's fingerprint ({@code memory.value.fingerprint}), which memory health reads. */
  static final String FINGERPRINTED = "Fingerprinted";

  /** Its column, which {@link TableUpgrades#addFingerprintColumn} adds to the facts of an earlier init. */
  static final String FINGERPRINTED_COLUMN = FINGERPRINTED + " UInt8";

  /** How the facts view and {@link #stored} derive it. */
  static final String FINGERPRINT_FACT = ",\n    s.SpanAttributes['memory.value.fingerprint'] != '' AS "
      + FINGERPRINTED;

  private SpanFacts() {
  }

  /** The Null table: the span's own columns, the typed ones, and the ops facts. */
  static String table(SchemaOptions options) {
    StringBuilder columns = new StringBuilder(String.join(",\n    ", "TraceId String", "SpanId String",
        "ParentSpanId String", "SpanName LowCardinality(String)", "ServiceName LowCardinality(String)",
        "StatusCode LowCardinality(String)", "StatusMessage String", "Timestamp DateTime64(9)", "Duration UInt64"));
    SpanColumns.STORED.forEach((name, type) -> columns.append(",\n    ").append(name).append(' ').append(type));
    return "CREATE TABLE IF NOT EXISTS " + options.qualified(TABLE) + options.onCluster() + " (\n    " + columns
        + ",\n    " + OPS_KEY + " String,\n    " + OPS_KEY_SOURCE + " LowCardinality(String),\n    "
        + FINGERPRINTED_COLUMN + "\n) ENGINE = Null\n"
        + "COMMENT 'memtrace: each inserted span\\'s typed columns and key facts, for the views that keep them'";
  }

  /** Where the views on each inserted span's typed columns read them: the facts, on a cluster the node's. */
  static String source(SchemaOptions options) {
    return options.qualified(TABLE);
  }

  /**
   * The same rows over the spans {@code otel_traces} holds (the node's own on a cluster), as a subquery: what a table
   * made beside stored spans is filled from, as its view would have at insert.
   */
  static String stored(SchemaOptions options) {
    return "(" + MemtraceViews.spansSelect(options, FINGERPRINT_FACT) + ")";
  }

  /** otel_traces to the facts: the node's own spans. */
  static String view(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(VIEW) + options.onCluster() + "\nTO "
        + options.qualified(TABLE) + "\nAS " + select(options);
  }

  /** The facts view's SELECT, which {@link ViewUpgrades#foldFingerprints} gives the facts view of an earlier init. */
  static String select(SchemaOptions options) {
    return select(options, OtelTracesTable.spans().local(options));
  }

  /** The facts of the spans of the table {@code source} (unqualified): otel_traces', or the key events' spans. */
  static String select(SchemaOptions options, String source) {
    return MemtraceViews.spansSelect(options, MemtraceViews.OPS_FACTS + FINGERPRINT_FACT, source);
  }
}
