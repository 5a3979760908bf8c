package io.memtrace.collector.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of {@code clickhouse init} that brings the tables an earlier init made (or the exporter) to this
 * memtrace's: columns added, TTLs and settings changed. Each step is a no-op when the store has it already, and
 * returns the line init prints when it is not (null, or nothing, otherwise). {@link ViewUpgrades} and {@link
 * SpanFactsUpgrades} do the same for the views.
 */
final class TableUpgrades {

  private TableUpgrades() {
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
    List<String> added = new ArrayList<>();
    // the key events' spans have otel_traces' columns: the reader reads both as one table (merge())
    for (Table traces : List.of(OtelTracesTable.spans(), KeyEventSpansTable.table())) {
      String local = traces.local(options);
      if (!before.contains(local) || hasColumn(session, options.database(), local, AttributeColumns.LAST)) {
        continue;
      }
      String add = AttributeColumns.definitions().stream().map(d -> "ADD COLUMN IF NOT EXISTS " + d)
          .collect(java.util.stream.Collectors.joining(", "));
      session.execute("ALTER TABLE " + options.qualified(local) + options.onCluster() + " " + add);
      if (!local.equals(traces.name())) {
        session.execute("ALTER TABLE " + options.qualified(traces.name()) + options.onCluster() + " " + add);
      }
      added.add(options.database() + "." + local);
    }
    return added.isEmpty() ? null : "added to " + String.join(" and ", added) + " the attribute columns query reads "
        + "(memory_key, ...), computed as spans are inserted; the spans stored before compute them when read";
  }


  /**
   * The facts of an earlier init that read the calls' fingerprints with a view of their own given {@link
   * SpanFacts#FINGERPRINTED}, before init's statements: ClickHouse checks a view's columns against its table even
   * where the view exists. {@link SpanFactsUpgrades#foldFingerprints} then redefines the views.
   */
  static void addFingerprintColumn(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    if (before.contains(MemoryCallRows.FINGERPRINTS_VIEW) && before.contains(SpanFacts.TABLE)) {
      session.execute("ALTER TABLE " + options.qualified(SpanFacts.TABLE) + options.onCluster()
          + " ADD COLUMN IF NOT EXISTS " + SpanFacts.FINGERPRINTED_COLUMN);
    }
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
  static String systemTables(ClickHouseSession session, SchemaOptions options, String table, String column) {
    return session.query("SELECT " + column + " FROM system.tables WHERE database = '" + options.database()
        + "' AND name = '" + table + "'").get(0).getString(column);
  }
}
