package io.memtrace.collector.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import io.memtrace.collector.CollectorException;
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
 * nothing and inserts nothing. {@link SchemaFills} fills the tables it makes beside stored rows; {@link TableUpgrades},
 * {@link ViewUpgrades} and {@link SpanFactsUpgrades} bring an earlier init's tables and views to this memtrace's.
 */
public final class SchemaInit {

  private SchemaInit() {
  }

  /** Brings the schema to {@code options}; returns one line per thing done, in order. */
  public static List<String> run(ClickHouseSession session, SchemaOptions options) {
    String db = options.database();
    Set<String> before = objects(session, db);
    List<String> done = new ArrayList<>();
    String storedRule = ViewUpgrades.storedNamespaceRule(session, options, before);
    if (options.namespaceRule() == null) {
      options = options.withNamespaceRule(storedRule);
    } else {
      ViewUpgrades.refuseUnlessClickHouseReads(session, options.namespaceRule());
    }
    if (!options.keptLineage() && before.contains(LineageRows.table().local(options))) {
      // a store that keeps lineage at insert keeps it whole, and its span facts in one view (SpanFacts.split)
      options = options.withKeptLineage();
    }
    boolean ruleChanged = storedRule != null && !storedRule.equals(options.namespaceRegex());
    if (before.contains(OtelTracesTable.NAME)) {
      refuseUnlessCompatible(session, options);
      done.add("adopted " + db + "." + OtelTracesTable.NAME + ": it has every column the exporter writes");
    }
    // before the statements: the spans view they make reads the columns
    String added = TableUpgrades.addAttributeColumns(session, options, before);
    if (added != null) {
      done.add(added);
    }
    String late = TableUpgrades.markLateRows(session, options, before);
    if (late != null) {
      done.add(late);
    }
    String nextAccess = TableUpgrades.addNextAccess(session, options, before);
    if (nextAccess != null) {
      done.add(nextAccess);
    }
    String coverage = TableUpgrades.addNotificationCoverage(session, options, before);
    if (coverage != null) {
      done.add(coverage);
    }
    TableUpgrades.addFingerprintColumn(session, options, before);
    // before the statements, which would make the view to the spans that need a statement beside the old facts view
    String split = SpanFactsUpgrades.splitStatementFacts(session, options, before);
    if (split == null) {
      split = SpanFactsUpgrades.joinStatementFacts(session, options, before);
    }
    if (split != null) {
      done.add(split);
    }
    String values = ValueSpans.narrowKeyValues(session, options, before);
    if (values != null) {
      done.add(values);
    }
    for (String statement : ClickHouseSchema.statements(options)) {
      session.execute(statement);
    }
    done.addAll(SchemaFills.run(session, options, before));
    // after the fills: the counts' table is made and filled from the stored calls before the views it replaces go
    String counts = MemoryCallTotals.dropEarlierViews(session, options, before);
    if (counts != null) {
      done.add(counts);
    }
    boolean changed = false;
    changed |= added != null || late != null || nextAccess != null || coverage != null || split != null
        || values != null || counts != null;
    if (before.contains(SpansView.NAME)
        && !TableUpgrades.hasColumn(session, db, SpansView.NAME, AttributeColumns.LAST)) {
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
    for (String line : TableUpgrades.retention(session, options)) {
      done.add(line);
      changed = true;
    }
    String quiet = TableUpgrades.quietMerge(session, options, before);
    if (quiet != null) {
      done.add(quiet);
      changed = true;
    }
    String facts = SpanFactsUpgrades.readSpanFacts(session, options, before);
    if (facts != null) {
      done.add(facts);
      changed = true;
    }
    String copies = SpanFactsUpgrades.stopSpanCopies(session, options, before);
    if (copies != null) {
      done.add(copies);
      changed = true;
    }
    String fingerprints = SpanFactsUpgrades.foldFingerprints(session, options, before);
    if (fingerprints != null) {
      done.add(fingerprints);
      changed = true;
    }
    // before the lookups: an earlier key events' facts view may read the dictionary they drop
    String keyEvents = SpanFacts.readKeyEventsOwn(session, options, before);
    if (keyEvents != null) {
      done.add(keyEvents);
      changed = true;
    }
    List<String> commands = ViewUpgrades.redefineLookups(session, options, before, ruleChanged);
    done.addAll(commands);
    changed |= !commands.isEmpty();
    String rule = ViewUpgrades.ruleOnlyWhereRead(session, options, before);
    if (rule != null) {
      done.add(rule);
      changed = true;
    }
    List<String> dropped = ViewUpgrades.dropUnreadViews(session, options, before);
    done.addAll(dropped);
    changed |= !dropped.isEmpty();
    if (!changed) {
      done.add("nothing to do: every table and view of the schema is in " + db);
    }
    return done;
  }

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

}
