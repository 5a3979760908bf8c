package io.memtrace.collector.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import io.memtrace.collector.CollectorException;
import io.memtrace.common.NamespaceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of {@code clickhouse init} that brings the views an earlier init made to this memtrace's: the views that
 * look commands up or read keys' namespaces redefined when what they read changed, the views that read what is now
 * read once given the query that reads it, the views no question reads dropped. Each step is a no-op when the store
 * has it already, and returns the line init prints when it is not (null, or nothing, otherwise). {@link
 * TableUpgrades} does the same for the tables.
 */
final class ViewUpgrades {

  private ViewUpgrades() {
  }

  /**
   * The command table brought to this memtrace's, and the views that look commands up made again with it when it
   * was not, or when they read the dictionary an earlier init made (which loads as the {@code default} user, see
   * {@link RedisCommandTable}); that dictionary dropped once no view reads it. The views that read keys' namespaces
   * made again when {@code ruleChanged}. Views made by this run are current already. One line per thing done.
   */
  static List<String> redefineLookups(ClickHouseSession session, SchemaOptions options, Set<String> before,
      boolean ruleChanged) {
    String db = options.database();
    boolean current = commandsCurrent(session, options);
    boolean dictionary = before.contains(RedisCommandTable.OLD_DICTIONARY);
    List<String> done = new ArrayList<>();
    if (current && !dictionary && !ruleChanged) {
      return done;
    }
    if (!current) {
      // emptied first: a command an earlier memtrace had and this one has not would otherwise stay, and every init
      // after would find the table different again; no view reads the table, so it may be empty for a moment
      session.execute("TRUNCATE TABLE IF EXISTS " + options.qualified(RedisCommandTable.TABLE) + options.onCluster());
      session.execute(RedisCommandTable.insert(options));
      done.add("loaded " + RedisCommandTable.ROWS.size() + " Redis commands into " + db + "." + RedisCommandTable.TABLE);
    }
    for (String statement : ClickHouseSchema.statements(options)) {
      String view = ClickHouseSchema.viewName(statement);
      if (view == null || !before.contains(view)) {
        continue;
      }
      List<String> why = new ArrayList<>();
      if ((!current || dictionary) && RedisCommandTable.looksUp(statement)) {
        why.add("the current command table");
      }
      if (ruleChanged && MemtraceViews.readsNamespaces(statement)) {
        why.add("the namespace rule '" + options.namespaceRegex() + "'");
      }
      if (!why.isEmpty()) {
        session.execute("ALTER TABLE " + options.qualified(view) + options.onCluster() + " MODIFY QUERY "
            + ClickHouseSchema.viewSelect(statement));
        done.add("redefined " + db + "." + view + " with " + String.join(" and ", why));
      }
    }
    if (dictionary) {
      session.execute("DROP DICTIONARY IF EXISTS " + options.qualified(RedisCommandTable.OLD_DICTIONARY)
          + options.onCluster());
      done.add("dropped " + db + "." + RedisCommandTable.OLD_DICTIONARY + ": the views look commands up in their own "
          + "SQL now, with no dictionary to load as the default user");
    }
    return done;
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

  /** How the ops view of an earlier init (to 2026-11-29) read an operation's namespace: the rule on every key. */
  static final String RULE_ON_EVERY_KEY = "coalesce(memory_namespace, nullIf(regexpExtract(Key, '";

  /**
   * The ops view of an earlier init, which read every operation's key with the namespace rule, also where the span
   * named its namespace ({@code coalesce} computes each of its arguments), given the query that reads the rule only
   * where the span names none: the same rows for less of each insert's CPU. Null when the view reads it so already.
   */
  static String ruleOnlyWhereRead(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String view = MemtraceTables.OPS + "_mv";
    if (!before.contains(view)
        || !TableUpgrades.systemTables(session, options, view, "create_table_query").contains(RULE_ON_EVERY_KEY)) {
      return null;
    }
    session.execute("ALTER TABLE " + options.qualified(view) + options.onCluster() + " MODIFY QUERY "
        + MemtraceViews.opsSelect(options));
    return "redefined " + options.database() + "." + view + " to read a key's namespace with the rule only where its "
        + "span names none: the same rows, and no regular expression over the keys of memtrace's own spans";
  }

  /**
   * The tables an earlier init kept by a view that no question of this memtrace reads: the report's key sections and
   * growth read {@code memtrace_layer_keys} and {@code memtrace_layer_ops}, per report layer.
   */
  static final List<String> UNREAD = List.of("memtrace_key_totals", "memtrace_namespace_growth");

  /**
   * The views of an earlier init that fed {@link #UNREAD} tables dropped, so inserts stop paying for them; the tables
   * and their rows are left for whoever reads them by hand, with the statement that frees them. One line per view.
   */
  static List<String> dropUnreadViews(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    List<String> done = new ArrayList<>();
    for (String table : UNREAD) {
      String view = table + "_mv";
      if (!before.contains(view)) {
        continue;
      }
      session.execute("DROP VIEW IF EXISTS " + options.qualified(view) + options.onCluster());
      String drop = "DROP TABLE " + options.qualified(table) + options.onCluster() + (options.clustered()
          ? "; DROP TABLE " + options.qualified(table + "_local") + options.onCluster() : "");
      done.add("dropped " + options.database() + "." + view + ": no question memtrace asks reads " + options.database()
          + "." + table + " (the report reads memtrace_layer_keys and memtrace_layer_ops), so inserts no longer pay "
          + "for it; its rows stay until you run " + drop);
    }
    return done;
  }

  /** The namespace rule the store's ops view reads keys with; null when there is no ops view yet. */
  static String storedNamespaceRule(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String view = MemtraceTables.OPS + "_mv";
    if (!before.contains(view)) {
      return null;
    }
    return MemtraceViews.ruleOf(TableUpgrades.systemTables(session, options, view, "create_table_query"));
  }

  /** Refuses, before anything is made, a rule that ClickHouse's regular expressions (RE2) do not read. */
  static void refuseUnlessClickHouseReads(ClickHouseSession session, String rule) {
    try {
      session.query("SELECT regexpExtract('', '" + MemtraceViews.literal(rule) + "', 1) AS n");
    } catch (CollectorException e) {
      throw new CollectorException(NamespaceRule.KEY + " '" + rule + "' is not a regular expression ClickHouse reads "
          + "(RE2, which has no look-around or back-references): " + e.getMessage());
    }
  }

  private static boolean commandsCurrent(ClickHouseSession session, SchemaOptions options) {
    List<GenericRecord> rows = session.query("SELECT Name, FirstKey, Access FROM "
        + options.qualified(RedisCommandTable.TABLE) + " FINAL ORDER BY Name");
    if (rows.size() != RedisCommandTable.ROWS.size()) {
      return false;
    }
    for (int i = 0; i < rows.size(); i++) {
      String[] want = RedisCommandTable.ROWS.get(i);
      GenericRecord has = rows.get(i);
      if (!has.getString("Name").equals(want[0]) || has.getLong("FirstKey") != Long.parseLong(want[1])
          || !has.getString("Access").equals(want[2])) {
        return false;
      }
    }
    return true;
  }
}
