package io.memtrace.collector.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of {@code clickhouse init} that brings the views an earlier init made onto the span facts ({@link
 * SpanFacts}), which read each inserted span once: the ops view and the views that read each span's copy given their
 * SELECTs over the facts, and that copy's view dropped; the facts split by whether a span needs its statement (or
 * joined again where the store keeps lineage at insert); the fingerprints' second view folded into the facts. Each
 * step is a no-op when the store has it already, and returns the line init prints when it is not (null otherwise).
 * {@link ViewUpgrades} brings the other views, {@link TableUpgrades} the tables.
 */
final class SpanFactsUpgrades {

  private SpanFactsUpgrades() {
  }

  /**
   * The ops view of an earlier init, which read otel_traces and each span's attributes and statement itself, given the
   * SELECT over {@link SpanFacts#TABLE}, which the facts view made by this run fills from otel_traces: the same rows,
   * each span read once at insert, and a statement only where the span names no key. Null when the ops view reads the
   * facts already, or there is none.
   */
  static String readSpanFacts(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String ops = MemtraceTables.OPS + "_mv";
    if (!before.contains(ops) || readsFacts(session, options, ops)) {
      return null;
    }
    session.execute("ALTER TABLE " + options.qualified(ops) + options.onCluster() + " MODIFY QUERY "
        + MemtraceViews.opsSelect(options));
    String db = options.database();
    return "redefined " + db + "." + ops + " to read " + db + "." + SpanFacts.TABLE + ", which " + db + "."
        + SpanFacts.VIEW + " fills: each span's attributes and statement are read once at insert, into the same rows";
  }

  private static boolean readsFacts(ClickHouseSession session, SchemaOptions options, String view) {
    return session.query("SELECT count() AS n FROM system.tables WHERE database = '" + options.database()
        + "' AND name = '" + SpanFacts.TABLE + "' AND has(dependencies_table, '" + view + "')").get(0).getLong("n") > 0;
  }

  /**
   * The facts view of an earlier init, which read every span's statement words, split before init's statements: the
   * Null table of the spans that need their statement and its facts view made, the facts view given the SELECT of the
   * spans that need none, then the view that sends the others to the Null table made. A span of another language's
   * Redis instrumentation inserted between the last two statements gets no facts: the other order would give it
   * twice. Null when the store keeps lineage at insert ({@link SpanFacts#split}), has no facts view, or has the split
   * already.
   */
  static String splitStatementFacts(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    if (!SpanFacts.split(options) || !before.contains(SpanFacts.VIEW) || before.contains(SpanFacts.STATEMENTS_VIEW)) {
      return null;
    }
    session.execute(SpanFacts.statementsTable(options));
    session.execute(SpanFacts.statementFactsView(options));
    session.execute("ALTER TABLE " + options.qualified(SpanFacts.VIEW) + options.onCluster() + " MODIFY QUERY "
        + SpanFacts.select(options));
    session.execute(SpanFacts.statementsView(options));
    String db = options.database();
    return "redefined " + db + "." + SpanFacts.VIEW + " to read only the spans that need no statement, and sent the "
        + "others (Redis spans that name no key) through " + db + "." + SpanFacts.STATEMENTS + " to " + db + "."
        + SpanFacts.STATEMENT_FACTS_VIEW + ": the same facts, the statement's words planned only for inserts that hold "
        + "such spans";
  }

  /**
   * The split facts views ({@link #splitStatementFacts}) joined again, on a store given the lineage at insert ({@link
   * SpanFacts#split}): the view to the statements' Null table dropped, the facts view given the SELECT that reads every
   * span's words, then the statements' facts view and table dropped. A span of another language's Redis
   * instrumentation inserted between the first two statements gets no facts: the other order would give it twice. Null
   * when the store is not split, or keeps no lineage.
   */
  static String joinStatementFacts(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    if (SpanFacts.split(options) || !before.contains(SpanFacts.STATEMENTS_VIEW)) {
      return null;
    }
    session.execute("DROP VIEW IF EXISTS " + options.qualified(SpanFacts.STATEMENTS_VIEW) + options.onCluster());
    session.execute("ALTER TABLE " + options.qualified(SpanFacts.VIEW) + options.onCluster() + " MODIFY QUERY "
        + SpanFacts.select(options));
    session.execute("DROP VIEW IF EXISTS " + options.qualified(SpanFacts.STATEMENT_FACTS_VIEW) + options.onCluster());
    session.execute("DROP TABLE IF EXISTS " + options.qualified(SpanFacts.STATEMENTS) + options.onCluster());
    String db = options.database();
    return "redefined " + db + "." + SpanFacts.VIEW + " to read every span's statement words, and dropped " + db + "."
        + SpanFacts.STATEMENTS_VIEW + ", " + db + "." + SpanFacts.STATEMENT_FACTS_VIEW + " and " + db + "."
        + SpanFacts.STATEMENTS + ": the lineage kept at insert joins each insert's reads and writes in one block";
  }

  /**
   * The views of an earlier init that read each span's copy in {@code memtrace_spans} (the memory calls, the layers'
   * keys and operations, the lineage's events) given their SELECTs over {@link SpanFacts#TABLE}, which holds the same
   * columns of the same block, each in one statement, so no insert is counted twice or missed; then the view that
   * copied every span into {@code memtrace_spans} dropped: the reader asks {@code otel_traces} for spans. The table and
   * its rows are left, with the statement that frees them. Null when there was no such view.
   */
  static String stopSpanCopies(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String copy = MemtraceTables.SPANS + "_mv";
    if (!before.contains(copy)) {
      return null;
    }
    String db = options.database();
    List<String> moved = new ArrayList<>();
    for (String statement : ClickHouseSchema.statements(options)) {
      String view = ClickHouseSchema.viewName(statement);
      if (view != null && before.contains(view) && statement.contains("FROM " + SpanFacts.source(options))
          && !view.equals(MemtraceTables.OPS + "_mv") && !readsFacts(session, options, view)) {
        session.execute("ALTER TABLE " + options.qualified(view) + options.onCluster() + " MODIFY QUERY "
            + ClickHouseSchema.viewSelect(statement));
        moved.add(db + "." + view);
      }
    }
    session.execute("DROP VIEW IF EXISTS " + options.qualified(copy) + options.onCluster());
    String table = MemtraceTables.SPANS;
    String drop = "DROP TABLE " + options.qualified(table) + options.onCluster() + (options.clustered()
        ? "; DROP TABLE " + options.qualified(table + "_local") + options.onCluster() : "");
    return (moved.isEmpty() ? "" : "redefined " + String.join(", ", moved) + " to read " + db + "." + SpanFacts.TABLE
        + ", and ") + "dropped " + db + "." + copy + ": spans are read from " + db + "." + OtelTracesTable.NAME
        + ", so inserts no longer copy each span into " + db + "." + table + "; its rows stay until you run " + drop;
  }

  /**
   * The view of an earlier init that read each inserted span's attributes a second time, for the calls that carry a
   * value's fingerprint, folded into the facts ({@link TableUpgrades#addFingerprintColumn} gave them the column):
   * their view given the query that sets it, the calls' view the query that reads it, then the second view dropped.
   * Until the drop both views mark a call, which its merged row keeps once ({@code max}), so no insert is missed. Null
   * when the store has no such view.
   */
  static String foldFingerprints(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String old = MemoryCallRows.FINGERPRINTS_VIEW;
    if (!before.contains(old)) {
      return null;
    }
    session.execute("ALTER TABLE " + options.qualified(SpanFacts.VIEW) + options.onCluster() + " MODIFY QUERY "
        + SpanFacts.select(options));
    session.execute("ALTER TABLE " + options.qualified(MemoryCallRows.VIEW) + options.onCluster() + " MODIFY QUERY "
        + MemoryCallRows.callsSelect(SpanFacts.source(options)));
    session.execute("DROP VIEW IF EXISTS " + options.qualified(old) + options.onCluster());
    String db = options.database();
    return "redefined " + db + "." + SpanFacts.VIEW + " and " + db + "." + MemoryCallRows.VIEW + " to keep whether a "
        + "call carries a value's fingerprint in the span facts, and dropped " + db + "." + old + ": inserts no "
        + "longer read each span's attributes a second time for it";
  }
}
