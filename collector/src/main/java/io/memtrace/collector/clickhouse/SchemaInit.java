package io.memtrace.collector.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import io.memtrace.collector.CollectorException;
import io.memtrace.common.NamespaceRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code clickhouse init}: creates what is missing of {@link ClickHouseSchema} and says what it did. An
 * {@code otel_traces} the exporter made already is adopted when it has every column the exporter writes, with the
 * type it writes; otherwise init refuses, naming the first difference, and creates nothing. Run again, it creates
 * nothing and inserts nothing.
 */
public final class SchemaInit {

  private SchemaInit() {
  }

  /** Brings the schema to {@code options}; returns one line per thing done, in order. */
  public static List<String> run(ClickHouseSession session, SchemaOptions options) {
    String db = options.database();
    Set<String> before = objects(session, db);
    List<String> done = new ArrayList<>();
    String storedRule = storedNamespaceRule(session, options, before);
    if (options.namespaceRule() == null) {
      options = options.withNamespaceRule(storedRule);
    } else {
      refuseUnlessClickHouseReads(session, options.namespaceRule());
    }
    boolean ruleChanged = storedRule != null && !storedRule.equals(options.namespaceRegex());
    if (before.contains(OtelTracesTable.NAME)) {
      refuseUnlessCompatible(session, options);
      done.add("adopted " + db + "." + OtelTracesTable.NAME + ": it has every column the exporter writes");
    }
    // before the statements: the spans view they make reads the columns
    String added = addAttributeColumns(session, options, before);
    if (added != null) {
      done.add(added);
    }
    String late = markLateRows(session, options, before);
    if (late != null) {
      done.add(late);
    }
    String nextAccess = addNextAccess(session, options, before);
    if (nextAccess != null) {
      done.add(nextAccess);
    }
    for (String statement : ClickHouseSchema.statements(options)) {
      session.execute(statement);
    }
    boolean changed = false;
    String spans = MemtraceTables.spans().local(options);
    boolean newCalls = !before.contains(MemoryCallRows.table().local(options));
    if (before.contains(OtelTracesTable.spans().local(options)) && !before.contains(spans)) {
      done.add(fillSpans(session, options));
      if (newCalls) {
        // the calls view saw memtrace_spans filled; the fingerprints' view reads otel_traces, which was not
        session.execute(MemoryCallRows.fill(options).get(1));
      }
    } else {
      if (newCalls && before.contains(spans)) {
        // the totals' views saw the calls filled
        done.add(fillCalls(session, options));
      } else if (!newCalls && !before.contains(MemoryCallTotals.tables().get(0).local(options))) {
        done.add(fillCallTotals(session, options));
      }
      if (!before.contains(LayerKeyRows.table().local(options)) && before.contains(spans)) {
        done.add(fillLayerKeys(session, options));
      }
      if (!before.contains(LayerOpsRows.table().local(options)) && before.contains(spans)) {
        done.add(fillLayerOps(session, options));
      }
      if (options.keptLineage() && before.contains(spans) && !before.contains(LineageRows.table().local(options))) {
        done.add(fillLineage(session, options));
      } else if (options.keptLineage() && before.contains(LineageRows.table().local(options))
          && !before.contains(NextAccessRows.table().local(options))) {
        done.add(fillNextAccess(session, options));
      }
      if (options.keptLineage() && before.contains(LineageRows.table().local(options))
          && !before.contains(LineageReadRows.table().local(options))) {
        done.add(fillReads(session, options));
      }
    }
    changed |= added != null || late != null || nextAccess != null;
    if (before.contains(SpansView.NAME) && !hasColumn(session, db, SpansView.NAME, AttributeColumns.LAST)) {
      session.execute(SpansView.replace(options));
      done.add("replaced " + db + "." + SpansView.NAME + " with a view that has the attribute columns (memory_key, "
          + "...), which query reads for attributes['memory.key'] and the like");
      changed = true;
    }
    for (String name : objects(session, db)) {
      if (!before.contains(name)) {
        done.add("created " + db + "." + name);
        changed = true;
      }
    }
    for (String line : retention(session, options)) {
      done.add(line);
      changed = true;
    }
    String quiet = quietMerge(session, options, before);
    if (quiet != null) {
      done.add(quiet);
      changed = true;
    }
    List<String> commands = redefineLookups(session, options, before, ruleChanged);
    done.addAll(commands);
    changed |= !commands.isEmpty();
    if (!changed) {
      done.add("nothing to do: every table and view of the schema is in " + db);
    }
    return done;
  }

  /**
   * memtrace_spans made beside an otel_traces that holds spans already (a schema of an earlier memtrace, or the
   * exporter's): the view sees new spans only, so the stored ones are derived once, those the view wrote meanwhile
   * left out. On a cluster the node's own spans only: the other nodes' are filled by running init on them.
   */
  private static String fillSpans(ClickHouseSession session, SchemaOptions options) {
    String table = options.qualified(MemtraceTables.spans().local(options));
    session.execute("INSERT INTO " + table + " SELECT * FROM (" + MemtraceViews.spansSelect(options)
        + ") WHERE (TraceId, SpanId) NOT IN (SELECT TraceId, SpanId FROM " + table + ")");
    long n = session.query("SELECT count() AS n FROM " + table).get(0).getLong("n");
    return "filled " + options.database() + "." + MemtraceTables.spans().local(options) + " from the spans stored "
        + "before it (" + n + " spans" + (options.clustered() ? " on this node" : "") + ")";
  }

  /**
   * memtrace_memory_calls made beside a memtrace_spans that holds spans already (a schema of an earlier memtrace): the
   * stored calls and commands, and the fingerprints of otel_traces, once, as the views would have at insert. On a
   * cluster the node's own spans: a call's spans are on its trace's node.
   */
  private static String fillCalls(ClickHouseSession session, SchemaOptions options) {
    for (String statement : MemoryCallRows.fill(options)) {
      session.execute(statement);
    }
    String table = options.qualified(MemoryCallRows.table().local(options));
    long n = session.query("SELECT count() AS n FROM " + table + " FINAL WHERE IsCall > 0").get(0).getLong("n");
    return "filled " + options.database() + "." + MemoryCallRows.table().local(options) + " from the spans stored "
        + "before it (" + n + " memory calls" + (options.clustered() ? " on this node; run init on each node" : "") + ")";
  }

  /**
   * memory health's counts (memtrace_memory_call_totals and its tables) made beside a memtrace_memory_calls that holds
   * calls already (a schema of an earlier memtrace): each stored call counted once with every command stored so far,
   * as one insert would have. On a cluster the node's own calls.
   */
  private static String fillCallTotals(ClickHouseSession session, SchemaOptions options) {
    for (String statement : MemoryCallTotals.fill(options)) {
      session.execute(statement);
    }
    String table = MemoryCallTotals.tables().get(0).local(options);
    long n = session.query("SELECT toUInt64(sum(Calls)) AS n FROM " + options.qualified(table)).get(0).getLong("n");
    return "filled " + options.database() + "." + table + " and the tables beside it from the calls stored before "
        + "them (" + n + " memory calls" + (options.clustered() ? " on this node; run init on each node" : "") + ")";
  }

  /**
   * memtrace_layer_keys made beside a memtrace_spans that holds spans already (a schema of an earlier memtrace): the
   * stored spans' totals per layer and key, once, as the view would have made them at insert. On a cluster the node's
   * own spans, each key's rows sent to its shard.
   */
  private static String fillLayerKeys(ClickHouseSession session, SchemaOptions options) {
    session.execute(LayerKeyRows.fill(options));
    long n = session.query("SELECT count() AS n FROM " + options.qualified(LayerKeyRows.TABLE) + " FINAL").get(0)
        .getLong("n");
    return "filled " + options.database() + "." + LayerKeyRows.TABLE + " from the spans stored before it (" + n
        + " keys of the two layers" + (options.clustered() ? " so far; run init on each node" : "") + ")";
  }

  /**
   * memtrace_layer_ops made beside a memtrace_spans that holds spans already (a schema of an earlier memtrace): the
   * stored spans' rows per layer, namespace, operation and hour, once, as the view would have made them at insert. On
   * a cluster the node's own spans, into the node's own table.
   */
  private static String fillLayerOps(ClickHouseSession session, SchemaOptions options) {
    session.execute(LayerOpsRows.fill(options));
    long n = session.query("SELECT toUInt64(sum(Spans)) AS n FROM " + options.qualified(LayerOpsRows.table()
        .local(options)) + " WHERE Layer = 'span'").get(0).getLong("n");
    return "filled " + options.database() + "." + LayerOpsRows.table().local(options) + " from the spans stored "
        + "before it (" + n + " spans" + (options.clustered() ? " on this node; run init on each node" : "") + ")";
  }

  /**
   * memtrace_lineage made beside a memtrace_spans that holds spans already (a schema of an earlier memtrace): the
   * stored spans' events go through the lineage views once, as they would have at insert. (Where memtrace_spans was
   * filled just now, its views filled the lineage with it.) On a cluster the node's own spans, each event sent to its
   * place's shard.
   */
  private static String fillLineage(ClickHouseSession session, SchemaOptions options) {
    session.execute(LineageRows.fill(options));
    String table = options.qualified(LineageRows.table().local(options));
    long n = session.query("SELECT count() AS n FROM " + table + " FINAL WHERE Row = 'read'").get(0).getLong("n");
    return "filled " + options.database() + "." + LineageRows.table().local(options) + " from the spans stored before "
        + "it (" + n + " reads with their writers" + (options.clustered() ? " on this node; run init on each node" : "")
        + ")";
  }

  /**
   * memtrace_next_access made beside a memtrace_lineage that holds rows already (a schema of an earlier memtrace): each
   * stored write with its next access, once. (Where the lineage was filled just now, its events filled this table
   * too.) On a cluster the node's own rows.
   */
  private static String fillNextAccess(ClickHouseSession session, SchemaOptions options) {
    session.execute(NextAccessRows.fill(options));
    String table = NextAccessRows.table().local(options);
    long n = session.query("SELECT count() AS n FROM " + options.qualified(table) + " FINAL").get(0).getLong("n");
    return "filled " + options.database() + "." + table + " from the lineage stored before it (" + n + " writes with "
        + "their next access" + (options.clustered() ? " on this node; run init on each node" : "") + ")";
  }

  /**
   * memtrace_lineage_reads made beside a memtrace_lineage that holds reads already (a schema of an earlier memtrace):
   * each stored read's rows once, a read with more than one taken as late ({@link LineageReadRows#fill}). (Where the
   * lineage was filled just now, its rows filled this table too.) On a cluster the node's own rows.
   */
  private static String fillReads(ClickHouseSession session, SchemaOptions options) {
    session.execute(LineageReadRows.fill(options));
    String table = LineageReadRows.table().local(options);
    long n = session.query("SELECT count() AS n FROM " + options.qualified(table)).get(0).getLong("n");
    return "filled " + options.database() + "." + table + " from the lineage stored before it (" + n + " rows of "
        + "reads" + (options.clustered() ? " on this node; run init on each node" : "") + ")";
  }

  /**
   * A memtrace_lineage of an earlier init given the column that says a row is a late write's ({@link
   * LineageRows#LATE_COLUMN}) and its late view the query that says so, before the view on the lineage that reads the
   * column is made. Null when the column was there.
   */
  private static String markLateRows(ClickHouseSession session, SchemaOptions options, Set<String> before) {
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
  private static String addNextAccess(ClickHouseSession session, SchemaOptions options, Set<String> before) {
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
   * An {@code otel_traces} of an earlier init (or of the exporter) given the {@link AttributeColumns}: the spans
   * inserted from now on keep them, the parts stored before compute them from the map when read, until rewritten
   * ({@code ALTER TABLE otel_traces MATERIALIZE COLUMN memory_key}). Null when there was nothing to add. Together with
   * the {@code spans} view replaced, {@code query} reads a column rather than every span's whole attribute map.
   */
  private static String addAttributeColumns(ClickHouseSession session, SchemaOptions options, Set<String> before) {
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

  private static boolean hasColumn(ClickHouseSession session, String db, String table, String column) {
    return session.query("SELECT count() AS n FROM system.columns WHERE database = '" + db + "' AND table = '" + table
        + "' AND name = '" + column + "'").get(0).getLong("n") > 0;
  }

  /**
   * With {@code --ttl}, the TTL of each table that grows set to it where it differs (a table made earlier, by an
   * init without --ttl or with another, or by the exporter); without it, whatever TTL a table has stays.
   */
  private static List<String> retention(ClickHouseSession session, SchemaOptions options) {
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
  private static String quietMerge(ClickHouseSession session, SchemaOptions options, Set<String> before) {
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

  private static final java.util.regex.Pattern TTL_DAYS = java.util.regex.Pattern.compile(
      "\\bTTL .*?toIntervalDay\\((\\d+)\\)");

  private static Set<String> objects(ClickHouseSession session, String db) {
    Set<String> names = new TreeSet<>();
    for (GenericRecord row : session.query("SELECT name FROM system.tables WHERE database = '" + db + "'")) {
      names.add(row.getString("name"));
    }
    return names;
  }

  /** Refuses an otel_traces the exporter cannot write as it is, or that does not fit the layout asked for. */
  static void refuseUnlessCompatible(ClickHouseSession session, SchemaOptions options) {
    String table = options.database() + "." + OtelTracesTable.NAME;
    String engine = session.query("SELECT engine FROM system.tables WHERE database = '" + options.database()
        + "' AND name = '" + OtelTracesTable.NAME + "'").get(0).getString("engine");
    boolean distributed = engine.equals("Distributed");
    if (options.clustered() != distributed) {
      throw new CollectorException("refusing to adopt " + table + ": it is a " + engine + " table, and "
          + (options.clustered() ? "--cluster " + options.cluster() + " needs the Distributed table over "
              + OtelTracesTable.NAME + "_local that init makes" : "without --cluster init expects a MergeTree table")
          + "; rename it or drop it, and run init again");
    }
    Map<String, String> columns = new LinkedHashMap<>();
    for (GenericRecord row : session.query("SELECT name, type FROM system.columns WHERE database = '"
        + options.database() + "' AND table = '" + OtelTracesTable.NAME + "'")) {
      columns.put(row.getString("name"), row.getString("type"));
    }
    String difference = difference(columns);
    if (difference != null) {
      throw new CollectorException("refusing to adopt " + table + ": " + difference
          + "; the exporter (v0.140 or later) writes the schema in deploy/clickhouse/schema.sql");
    }
  }

  /** The first way {@code columns} (name to type) differ from what the exporter writes; null when none. */
  static String difference(Map<String, String> columns) {
    for (Map.Entry<String, String> wanted : OtelTracesTable.INSERTED.entrySet()) {
      String has = columns.get(wanted.getKey());
      if (has == null) {
        return "it has no column " + wanted.getKey() + " (" + wanted.getValue() + "), which the exporter writes";
      }
      if (!has.equals(wanted.getValue())) {
        return "its column " + wanted.getKey() + " is " + has + " where the exporter writes " + wanted.getValue();
      }
    }
    return null;
  }

  /**
   * The command table brought to this memtrace's, and the views that look commands up made again with it when it
   * was not, or when they read the dictionary an earlier init made (which loads as the {@code default} user, see
   * {@link RedisCommandTable}); that dictionary dropped once no view reads it. The views that read keys' namespaces
   * made again when {@code ruleChanged}. Views made by this run are current already. One line per thing done.
   */
  private static List<String> redefineLookups(ClickHouseSession session, SchemaOptions options, Set<String> before,
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

  /** The namespace rule the store's ops view reads keys with; null when there is no ops view yet. */
  private static String storedNamespaceRule(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    String view = MemtraceTables.OPS + "_mv";
    if (!before.contains(view)) {
      return null;
    }
    return MemtraceViews.ruleOf(systemTables(session, options, view, "create_table_query"));
  }

  /** Refuses, before anything is made, a rule that ClickHouse's regular expressions (RE2) do not read. */
  private static void refuseUnlessClickHouseReads(ClickHouseSession session, String rule) {
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
