package io.memtrace.collector.clickhouse;

import java.util.List;

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

  /** The spans whose facts need their statement ({@link SpanColumns#readsStatement}), as inserted: a Null table. */
  static final String STATEMENTS = "memtrace_statement_spans";

  /** otel_traces to {@link #STATEMENTS}. */
  static final String STATEMENTS_VIEW = STATEMENTS + "_mv";

  /** {@link #STATEMENTS} to the facts, reading each statement's words. */
  static final String STATEMENT_FACTS_VIEW = "memtrace_statement_facts_mv";

  /** The columns of a span the statement's facts read ({@code SpanFactsSelect.facts}). */
  private static final String STATEMENT_COLUMNS = "Timestamp, ServiceName, TraceId, SpanId, ParentSpanId, Duration, "
      + "StatusCode, SpanName, StatusMessage, SpanAttributes";

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

  /** The same from otel_traces' kept column ({@link SpanColumns#KEPT}), for the facts view that reads no statement. */
  private static final String KEPT_FINGERPRINT_FACT = ",\n    s." + AttributeColumns.COLUMNS.get(
      "memory.value.fingerprint") + " != '' AS " + FINGERPRINTED;

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

  /** The Null table of the spans whose facts need their statement: the columns the statement's facts read. */
  static String statementsTable(SchemaOptions options) {
    return "CREATE TABLE IF NOT EXISTS " + options.qualified(STATEMENTS) + options.onCluster() + " (\n    "
        + String.join(",\n    ", "Timestamp DateTime64(9)", "ServiceName LowCardinality(String)", "TraceId String",
            "SpanId String", "ParentSpanId String", "Duration UInt64", "StatusCode LowCardinality(String)",
            "SpanName LowCardinality(String)", "StatusMessage String",
            "SpanAttributes Map(LowCardinality(String), String)")
        + "\n) ENGINE = Null\n"
        + "COMMENT 'memtrace: the inserted spans whose facts need their statement (a Redis span that names no key)'";
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
    return "(" + SpanFactsSelect.spansSelect(options, FINGERPRINT_FACT) + ")";
  }

  /**
   * Whether the facts come in two views ({@link #views}): on a store that keeps no lineage at insert. The lineage's
   * views join the reads of a block to the writes of the same block and of the stored parts; split, one insert gave the
   * facts two blocks, and the contract corpus' Node reads (in the statements' block) lost their writers from the other
   * block (c231df03, reverted). So a store that keeps lineage at insert reads each span's facts in one view, and plans
   * the statement's SELECT at every insert.
   */
  static boolean split(SchemaOptions options) {
    return !options.keptLineage();
  }

  /**
   * otel_traces to the facts, the node's own spans. Split ({@link #split}): those that need no statement straight, the
   * others through {@link #STATEMENTS}, whose view reads their words. ClickHouse runs a view on a block only when its
   * source got rows, so an insert of memtrace's spans alone (each names its key) never plans the statement's SELECT
   * (16 ms of planning an insert, against 64 with the statement's). Else one view reads every span's words.
   */
  static List<String> views(SchemaOptions options) {
    return split(options) ? List.of(statementFactsView(options), view(options), statementsView(options))
        : List.of(view(options));
  }

  /** otel_traces to the facts: the node's own spans, split ({@link #split}) those that need no statement. */
  static String view(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(VIEW) + options.onCluster() + "\nTO "
        + options.qualified(TABLE) + "\nAS " + select(options);
  }

  /** {@link #STATEMENTS} to the facts. */
  static String statementFactsView(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(STATEMENT_FACTS_VIEW) + options.onCluster()
        + "\nTO " + options.qualified(TABLE) + "\nAS " + select(options, STATEMENTS);
  }

  /** otel_traces to {@link #STATEMENTS}: the node's own spans whose facts need their statement. */
  static String statementsView(SchemaOptions options) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + options.qualified(STATEMENTS_VIEW) + options.onCluster()
        + "\nTO " + options.qualified(STATEMENTS) + "\nAS SELECT " + STATEMENT_COLUMNS + "\nFROM "
        + options.qualified(OtelTracesTable.spans().local(options)) + " AS s\nWHERE " + SpanColumns.readsStatement();
  }

  /**
   * The facts view's SELECT, which {@link SpanFactsUpgrades} gives the facts view of an earlier init: split ({@link
   * #split}) the spans that need no statement, else every span with its statement's words.
   */
  static String select(SchemaOptions options) {
    String spans = OtelTracesTable.spans().local(options);
    return split(options) ? SpanFactsSelect.ownSpansSelect(options, KEPT_FINGERPRINT_FACT, spans, false)
        : select(options, spans);
  }

  /**
   * The facts of the key events' spans ({@code source}, unqualified), read straight from each span as {@link #view}
   * reads a span that needs no statement: the views that expand the carriers give a span no {@code db.query.text} or
   * {@code db.statement}, so its statement's words would give nothing, and the same facts come without planning them
   * at each insert that holds a carrier (view_cost.py --plan, 2026-12-01: 14 ms, 56-64 with the words' SELECT).
   */
  static String keyEventSelect(SchemaOptions options, String source) {
    return SpanFactsSelect.ownSpansSelect(options, KEPT_FINGERPRINT_FACT, source, true);
  }

  /**
   * The key events' facts view of an earlier init, which read each key event's span with its statement's words (and,
   * before that, looked commands up in a dictionary that init drops), given {@link #keyEventSelect}: the same facts in
   * one {@code MODIFY QUERY}, so no insert is counted twice or missed. Null when the store has no such view.
   */
  static String readKeyEventsOwn(ClickHouseSession session, SchemaOptions options, java.util.Set<String> before) {
    String view = KeyEventSpansTable.FACTS_VIEW;
    if (!before.contains(view) || session.query("SELECT count() AS n FROM system.tables WHERE database = '"
        + options.database() + "' AND name = '" + view + "' AND position(create_table_query, 'splitByWhitespace') > 0")
        .get(0).getLong("n") == 0) {
      return null;
    }
    session.execute("ALTER TABLE " + options.qualified(view) + options.onCluster() + " MODIFY QUERY "
        + keyEventSelect(options, KeyEventSpansTable.table().local(options)));
    return "redefined " + options.database() + "." + view + " to read the key events' spans without statements' "
        + "words, which they never carry: the same facts, with no statement to plan at an insert that holds a carrier";
  }

  /** The facts of the spans of the table {@code source} (unqualified): otel_traces', or the key events' spans. */
  static String select(SchemaOptions options, String source) {
    return SpanFactsSelect.spansSelect(options, SpanFactsSelect.OPS_FACTS + FINGERPRINT_FACT, source);
  }
}
