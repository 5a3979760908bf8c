package io.memtrace.collector.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole fleet schema as DDL, in the order it must run: the command table, {@code otel_traces} as the
 * exporter makes it with its lookup, memtrace's tables, then the views that feed them (a view created before its
 * target would fail). Every statement is {@code IF NOT EXISTS}, so running it again changes nothing.
 * {@code clickhouse schema} prints {@link #script} of it for any options, and {@code deploy/clickhouse/schema.sql} is
 * that script for the defaults, the one copy kept in the repository.
 */
public final class ClickHouseSchema {

  /** The database {@code clickhouse schema} names unless told another: the exporter's default. */
  public static final String DATABASE = "otel";

  private ClickHouseSchema() {
  }

  /** The tables, Distributed twins included on a cluster, in creation order. */
  static List<Table> tables(SchemaOptions options) {
    List<Table> tables = new ArrayList<>(List.of(RedisCommandTable.table(), OtelTracesTable.spans(),
        OtelTracesTable.lookup(), MemtraceTables.ops(), MemtraceTables.keyspace(),
        MemtraceTables.keyNotifications(), MemtraceTables.keyNotificationStatus(), MemtraceTables.keyValues(),
        MemoryCallRows.table(), LayerKeyRows.table(), LayerOpsRows.table(), KeyEventSpansTable.table()));
    tables.addAll(MemoryCallTotals.tables());
    if (options.keptLineage()) {
      tables.add(LineageRows.table());
      tables.add(NextAccessRows.table());
      tables.add(LineageReadRows.table());
    }
    return tables;
  }

  /** Every statement, without semicolons. */
  public static List<String> statements(SchemaOptions options) {
    List<String> out = new ArrayList<>();
    out.add("CREATE DATABASE IF NOT EXISTS \"" + options.database() + "\"" + options.onCluster());
    for (Table table : tables(options)) {
      out.addAll(table.ddl(options));
    }
    out.add(SpanFacts.table(options));
    if (SpanFacts.split(options)) {
      out.add(SpanFacts.statementsTable(options));
    }
    out.add(ValueSpans.table(options));
    out.add(KeyEventSpansTable.carriers(options));
    if (options.keptLineage()) {
      out.addAll(LineageRows.eventTables(options));
    }
    out.addAll(OtelTracesTable.lookupView(options));
    out.addAll(overBlock(MemtraceViews.all(options)));
    out.addAll(overBlock(MemoryCallRows.views(options)));
    out.addAll(overBlock(MemoryCallTotals.views(options)));
    out.addAll(overBlock(LayerKeyRows.views(options)));
    out.addAll(overBlock(LayerOpsRows.views(options)));
    if (options.keptLineage()) {
      out.addAll(LineageRows.views(options));
      out.add(NextAccessRows.view(options));
      out.add(LineageReadRows.view(options));
    }
    // last: a carrier's spans run the views above (KeyEventSpansTable)
    out.addAll(overBlock(KeyEventSpansTable.views(options)));
    out.add(SpansView.ddl(options));
    return out;
  }

  /**
   * The settings of a view that reads only the inserted block (every view but the exporter's lookup and the lineage's,
   * which read stored parts too), after its SELECT, which ClickHouse analyses at every insert and applies them to.
   * {@code optimize_and_compare_chain} adds to each AND chain the comparisons it implies, for a filter on stored parts'
   * indexes, which a block has none of; it only adds conditions its chain implies, so the rows are the same. Without
   * it, memory health's view analysed in 13.1 ms against 19.6 and the statements' facts in 40.8 against 57.3, and an
   * insert of 20,000 sizing spans took 0.2-2.5 us a span less of memtrace's 17-25 (docs/history/fleet-2026-12-01.md).
   */
  static final String OVER_BLOCK = "\nSETTINGS optimize_and_compare_chain = 0";

  private static List<String> overBlock(List<String> views) {
    return views.stream().map(view -> view + OVER_BLOCK).toList();
  }

  /** The name of the materialized view that {@code statement} (one of {@link #statements}) creates; else null. */
  static String viewName(String statement) {
    String create = "CREATE MATERIALIZED VIEW IF NOT EXISTS ";
    if (!statement.startsWith(create)) {
      return null;
    }
    String name = statement.substring(create.length()).split("[\\s]", 2)[0];
    return name.substring(name.lastIndexOf('.') + 1).replace("\"", "");
  }

  /** The SELECT of the materialized view that {@code statement} creates. */
  static String viewSelect(String statement) {
    return statement.substring(statement.indexOf("\nAS ") + 4);
  }

  /** The DDL as a file a team applies by hand ({@code clickhouse-client --multiquery < schema.sql}). */
  public static String script(SchemaOptions options) {
    StringBuilder out = new StringBuilder()
        .append("-- memtrace's fleet schema on ClickHouse, ").append(options.clustered()
            ? "on the cluster '" + options.cluster() + "': Replicated tables NAME_local, Distributed tables NAME"
            : "on one server").append(options.keptLineage() ? ", each read's writer kept at insert (memtrace_lineage)"
            : "").append(".\n")
        .append("-- Printed by `java -jar memtrace-collector.jar clickhouse schema").append(flags(options))
        .append("`; `clickhouse init` with the same options applies the same statements.\n")
        .append("-- deploy/clickhouse/schema.sql is the output without options; do not edit it: ClickHouseSchemaFilesTest "
            + "fails while it differs.\n")
        .append("-- Database: ").append(options.database()).append(options.ttlDays() > 0
            ? "; retention: " + options.ttlDays() + " days" : "; retention: none (add --ttl DAYS)").append(".\n")
        .append("-- Why each ORDER BY, partition and codec: docs/fleet.md, \"Schema\".\n");
    for (String statement : statements(options)) {
      out.append('\n').append(statement).append(";\n");
    }
    out.append('\n').append(RedisCommandTable.insert(options)).append(";\n");
    return out.toString();
  }

  /** The options of {@code clickhouse schema} that print the script for {@code options}, each with a space before it. */
  static String flags(SchemaOptions options) {
    StringBuilder flags = new StringBuilder();
    if (!options.database().equals(DATABASE)) {
      flags.append(" --database ").append(options.database());
    }
    if (options.clustered()) {
      flags.append(" --cluster ").append(options.cluster());
    }
    if (options.ttlDays() > 0) {
      flags.append(" --ttl ").append(options.ttlDays());
    }
    if (options.keptLineage()) {
      flags.append(" --lineage-at-insert");
    }
    if (options.namespaceRule() != null) {
      flags.append(" --config FILE");
    }
    return flags.toString();
  }
}
