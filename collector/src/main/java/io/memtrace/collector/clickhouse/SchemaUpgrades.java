package io.memtrace.collector.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import io.memtrace.collector.CollectorException;
import io.memtrace.common.NamespaceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of {@code clickhouse init} that brings tables and views an earlier init made (or the exporter) to this
 * memtrace's: columns added, settings and TTLs changed, and the views that look commands up or read keys' namespaces
 * redefined when what they read changed. Each step is a no-op when the store has it already, and returns the line init
 * prints when it is not (null, or nothing, otherwise).
 */
final class SchemaUpgrades {

  private SchemaUpgrades() {
  }

  private static final java.util.regex.Pattern TTL_DAYS = java.util.regex.Pattern.compile(
      "\\bTTL .*?toIntervalDay\\((\\d+)\\)");

  /**
   * A memtrace_lineage of an earlier init given the column that says a row is a late write's ({@link
   * LineageRows#LATE_COLUMN}) and its late view the query that says so, before the view on the lineage that reads the
   * column is made. Null when the column was there.
   */
  static String markLateRows(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String local = LineageRows.table().local(options);
    if (!options.keptLineage() || !before.contains(local) || hasColumn(session, options.database(), local, "Late")) {
      return null;
    }
    String add = " ADD COLUMN IF NOT EXISTS " + LineageRows.LATE_COLUMN;
    session.execute("ALTER TABLE " + options.qualified(local) + options.onCluster() + add);
    if (!local.equals(LineageRows.TABLE)) {
      session.execute("ALTER TABLE " + options.qualified(LineageRows.TABLE) + options.onCluster() + add);
    }
    session.execute("ALTER TABLE " + options.qualified(LineageRows.LATE_VIEW) + options.onCluster() + " MODIFY QUERY "
        + LineageRows.lateSelect(options));
    return "added to " + options.database() + "." + local + " the column Late, which the late view now sets on the "
        + "versions it writes";
  }

  /**
   * A memtrace_next_access of an earlier init given {@link NextAccessRows#NEXT_ACCESS_COLUMN}, the next access without
   * its ids that wasted writes read: the rows inserted from now on compute it from their {@code Next}, the parts
   * stored before compute it when read, until merged. Null when the column was there.
   */
  static String addNextAccess(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    Table table = NextAccessRows.table();
    String local = table.local(options);
    if (!options.keptLineage() || !before.contains(local)
        || hasColumn(session, options.database(), local, "NextAccess")) {
      return null;
    }
    String add = " ADD COLUMN IF NOT EXISTS " + NextAccessRows.NEXT_ACCESS_COLUMN;
    session.execute("ALTER TABLE " + options.qualified(local) + options.onCluster() + add);
    if (!local.equals(table.name())) {
      session.execute("ALTER TABLE " + options.qualified(table.name()) + options.onCluster() + add);
    }
    return "added to " + options.database() + "." + local + " the column NextAccess, each write's next access "
        + "without its ids, which wasted writes read; the rows stored before compute it when read";
  }

  /**
   * A memtrace_key_notification_status of an earlier init given the coverage columns
   * ({@link MemtraceTables#NOTIFICATION_COVERAGE_COLUMNS}); its rows from before say no namespaces, which covers none.
   * Null when they were there.
   */
  static String addNotificationCoverage(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String table = MemtraceTables.KEY_NOTIFICATION_STATUS;
    if (!before.contains(table) || hasColumn(session, options.database(), table, "DroppedNamespaces")) {
      return null;
    }
    session.execute("ALTER TABLE " + options.qualified(table) + options.onCluster() + " " + java.util.Arrays.stream(
        MemtraceTables.NOTIFICATION_COVERAGE_COLUMNS).map(c -> "ADD COLUMN IF NOT EXISTS " + c)
        .collect(java.util.stream.Collectors.joining(", ")));
    return "added to " + options.database() + "." + table + " the columns Namespaces and DroppedNamespaces, what the "
        + "watcher's notifications cover";
  }

  /**
   * An {@code otel_traces} of an earlier init (or of the exporter) given the {@link AttributeColumns}: the spans
   * inserted from now on keep them, the parts stored before compute them from the map when read, until rewritten
   * ({@code ALTER TABLE otel_traces MATERIALIZE COLUMN memory_key}). Null when there was nothing to add. Together with
   * the {@code spans} view replaced, {@code query} reads a column rather than every span's whole attribute map.
   */
  static String addAttributeColumns(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    Table traces = OtelTracesTable.spans();
    String local = traces.local(options);
    if (!before.contains(local) || hasColumn(session, options.database(), local, AttributeColumns.LAST)) {
      return null;
    }
    String add = AttributeColumns.definitions().stream().map(d -> "ADD COLUMN IF NOT EXISTS " + d)
        .collect(java.util.stream.Collectors.joining(", "));
    session.execute("ALTER TABLE " + options.qualified(local) + options.onCluster() + " " + add);
    if (!local.equals(traces.name())) {
      session.execute("ALTER TABLE " + options.qualified(traces.name()) + options.onCluster() + " " + add);
    }
    return "added to " + options.database() + "." + local + " the attribute columns query reads (memory_key, ...), "
        + "computed as spans are inserted; the spans stored before compute them when read";
  }

  static boolean hasColumn(ClickHouseSession session, String db, String table, String column) {
    return session.query("SELECT count() AS n FROM system.columns WHERE database = '" + db + "' AND table = '" + table
        + "' AND name = '" + column + "'").get(0).getLong("n") > 0;
  }

  /**
   * With {@code --ttl}, the TTL of each table that grows set to it where it differs (a table made earlier, by an
   * init without --ttl or with another, or by the exporter); without it, whatever TTL a table has stays.
   */
  static List<String> retention(ClickHouseSession session, SchemaOptions options) {
    List<String> done = new ArrayList<>();
    if (options.ttlDays() == 0) {
      return done;
    }
    for (Table table : ClickHouseSchema.tables(options)) {
      if (table.ttlTime() == null) {
        continue;
      }
      String local = table.local(options);
      String engine = systemTables(session, options, local, "engine_full");
      java.util.regex.Matcher days = TTL_DAYS.matcher(engine);
      String was = days.find() ? days.group(1) : null;
      if (!String.valueOf(options.ttlDays()).equals(was)) {
        session.execute("ALTER TABLE " + options.qualified(local) + options.onCluster() + " MODIFY TTL "
            + table.ttlTime() + " + toIntervalDay(" + options.ttlDays() + ")");
        done.add("set the TTL of " + options.database() + "." + local + " to " + options.ttlDays() + " days (was "
            + (was == null ? "none" : was + " days") + ")");
      }
    }
    return done;
  }

  /**
   * memtrace_layer_keys of an earlier init, without {@link LayerKeyRows#QUIET_MERGE}: given the setting, so that its
   * parts merge into one once the store is quiet. Null when the table was just made or has it.
   */
  static String quietMerge(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String local = LayerKeyRows.table().local(options);
    if (!before.contains(local)) {
      return null;
    }
    String engine = systemTables(session, options, local, "engine_full");
    if (engine.contains("min_age_to_force_merge_seconds")) {
      return null;
    }
    session.execute("ALTER TABLE " + options.qualified(local) + options.onCluster() + " MODIFY SETTING "
        + LayerKeyRows.QUIET_MERGE);
    return "set " + options.database() + "." + local + " to merge into one part once no insert has come for 10 "
        + "minutes (the report's key sections read one part without merging)";
  }

  /**
   * A column of {@code system.tables} for one table of the database: {@code engine_full} (its engine, settings and TTL
   * included), {@code create_table_query} (its statement as stored).
   */
  private static String systemTables(ClickHouseSession session, SchemaOptions options, String table, String column) {
    return session.query("SELECT " + column + " FROM system.tables WHERE database = '" + options.database()
        + "' AND name = '" + table + "'").get(0).getString(column);
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
   * The facts of an earlier init that read the calls' fingerprints with a view of their own given {@link
   * SpanFacts#FINGERPRINTED}, before init's statements: ClickHouse checks a view's columns against its table even
   * where the view exists. {@link #foldFingerprints} then redefines the views.
   */
  static void addFingerprintColumn(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    if (before.contains(MemoryCallRows.FINGERPRINTS_VIEW) && before.contains(SpanFacts.TABLE)) {
      session.execute("ALTER TABLE " + options.qualified(SpanFacts.TABLE) + options.onCluster()
          + " ADD COLUMN IF NOT EXISTS " + SpanFacts.FINGERPRINTED_COLUMN);
    }
  }

  /**
   * The view of an earlier init that read each inserted span's attributes a second time, for the calls that carry a
   * value's fingerprint, folded into the facts ({@link #addFingerprintColumn} gave them the column): their view given
   * the query that sets it, the calls' view the query that reads it, then the second view dropped. Until the
   * drop both views mark a call, which its merged row keeps once ({@code max}), so no insert is missed. Null when the
   * store has no such view.
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
        || !systemTables(session, options, view, "create_table_query").contains(RULE_ON_EVERY_KEY)) {
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
    return MemtraceViews.ruleOf(systemTables(session, options, view, "create_table_query"));
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
