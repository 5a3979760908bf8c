package io.memtrace.collector.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import io.memtrace.collector.CollectorException;
import io.memtrace.common.NamespaceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of {@code clickhouse init} that brings the views an earlier init made to this memtrace's: the views that
 * look commands up or read keys' namespaces redefined when what they read changed (and the namespace rule read back,
 * and checked before anything is made), the ops view given the query that reads the rule only where a span names no
 * namespace, the views no question reads dropped. Each step is a no-op when the store has it already, and returns the
 * line init prints when it is not (null, or nothing, otherwise). {@link SpanFactsUpgrades} brings the views onto the
 * span facts; {@link TableUpgrades} does the same for the tables.
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
