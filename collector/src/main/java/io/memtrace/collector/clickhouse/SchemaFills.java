package io.memtrace.collector.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of {@code clickhouse init} that fills a table it has just made beside rows stored before it (by an earlier
 * memtrace's schema, or by the exporter): a materialized view sees only the rows inserted after it, so what is stored
 * already is derived once, as the view would have at insert. Each fill says what it did and how many rows it counted.
 * On a cluster each runs over the node's own rows; init is then run on each node.
 */
final class SchemaFills {

  private SchemaFills() {
  }

  /** Fills each table init made now beside stored rows; {@code before} is what the database held. One line each. */
  static List<String> run(ClickHouseSession session, SchemaOptions options, Set<String> before) {
    List<String> done = new ArrayList<>();
    // every fill reads the spans otel_traces holds, as the facts view derives them (SpanFacts.stored)
    boolean stored = before.contains(OtelTracesTable.spans().local(options));
    boolean newCalls = !before.contains(MemoryCallRows.table().local(options));
    if (newCalls && stored) {
      // the totals' views see the calls filled
      done.add(fillCalls(session, options));
    } else if (!newCalls && !before.contains(MemoryCallTotals.table().local(options))) {
      done.add(fillCallTotals(session, options));
    }
    if (!before.contains(LayerKeyRows.table().local(options)) && stored) {
      done.add(fillLayerKeys(session, options));
    }
    if (!before.contains(LayerOpsRows.table().local(options)) && stored) {
      done.add(fillLayerOps(session, options));
    }
    if (options.keptLineage() && stored && !before.contains(LineageRows.table().local(options))) {
      done.add(fillLineage(session, options));
    } else if (options.keptLineage() && before.contains(LineageRows.table().local(options))
        && !before.contains(NextAccessRows.table().local(options))) {
      done.add(fillNextAccess(session, options));
    }
    if (options.keptLineage() && before.contains(LineageRows.table().local(options))
        && !before.contains(LineageReadRows.table().local(options))) {
      done.add(fillReads(session, options));
    }
    // last: the spans of stored carriers run the views of the tables filled above, as an insert would
    if (stored && !before.contains(KeyEventSpansTable.table().local(options))) {
      String filled = fillKeyEventSpans(session, options);
      if (filled != null) {
        done.add(filled);
      }
    }
    return done;
  }

  /**
   * memtrace_key_event_spans made beside an otel_traces that holds the agent's key events already: the stored carriers'
   * commands as the spans they stand for, once, which the views make the facts, ops and lookup rows of. Nothing (null)
   * where no carrier is stored. On a cluster the node's own carriers.
   */
  private static String fillKeyEventSpans(ClickHouseSession session, SchemaOptions options) {
    String spans = options.qualified(OtelTracesTable.spans().local(options));
    long carriers = session.query("SELECT count() AS n FROM " + spans + " WHERE SpanName = '"
        + KeyEventSpansTable.CARRIER + "'").get(0).getLong("n");
    if (carriers == 0) {
      return null;
    }
    String table = options.qualified(KeyEventSpansTable.NAME);
    long before = session.query("SELECT count() AS n FROM " + table).get(0).getLong("n");
    String stored = "(" + KeyEventSpansTable.carriersOf(spans) + ")";
    session.execute("INSERT INTO " + table + " (" + KeyEventSpansTable.COLUMNS + ") " + KeyEventSpansTable.expand(stored));
    session.execute("INSERT INTO " + table + " (" + KeyEventSpansTable.BATCH_COLUMNS + ") "
        + KeyEventSpansTable.expandBatches(stored));
    long n = session.query("SELECT count() AS n FROM " + table).get(0).getLong("n") - before;
    return "filled " + options.database() + "." + KeyEventSpansTable.NAME + " from the " + carriers + " key events' "
        + "carriers stored before it (" + n + " Redis commands and batches" + (options.clustered() ? " of this node's carriers; run "
        + "init on each node" : "") + ")";
  }

  /**
   * memtrace_memory_calls made beside an otel_traces that holds spans already (a schema of an earlier memtrace): the
   * stored calls and commands, and the fingerprints of otel_traces, once, as the views would have at insert. On a
   * cluster the node's own spans: a call's spans are on its trace's node.
   */
  private static String fillCalls(ClickHouseSession session, SchemaOptions options) {
    for (String statement : MemoryCallRows.fill(options)) {
      session.execute(statement);
    }
    String table = options.qualified(MemoryCallRows.table().local(options));
    long n = session.query("SELECT uniqExactIf(Call, IsCall > 0) AS n FROM " + table).get(0).getLong("n");
    return "filled " + options.database() + "." + MemoryCallRows.table().local(options) + " from the spans stored "
        + "before it (" + n + " memory calls" + (options.clustered() ? " on this node; run init on each node" : "") + ")";
  }

  /**
   * memory health's counts (memtrace_memory_call_counts) made beside a memtrace_memory_calls that holds calls already
   * (a schema of an earlier memtrace, which kept them in four tables or none): each stored call counted once with every
   * command stored so far, as one insert would have. On a cluster the node's own calls.
   */
  private static String fillCallTotals(ClickHouseSession session, SchemaOptions options) {
    for (String statement : MemoryCallTotals.fill(options)) {
      session.execute(statement);
    }
    String table = MemoryCallTotals.table().local(options);
    long n = session.query("SELECT toUInt64(sum(Calls)) AS n FROM " + options.qualified(table) + " WHERE Kind = "
        + "'totals'").get(0).getLong("n");
    return "filled " + options.database() + "." + table + " from the calls stored before it (" + n + " memory calls"
        + (options.clustered() ? " on this node; run init on each node" : "") + ")";
  }

  /**
   * memtrace_layer_keys made beside an otel_traces that holds spans already (a schema of an earlier memtrace): the
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
   * memtrace_layer_ops made beside an otel_traces that holds spans already (a schema of an earlier memtrace): the
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
   * memtrace_lineage made beside an otel_traces that holds spans already (a schema of an earlier memtrace): the
   * stored spans' events go through the lineage views once, as they would have at insert. On a cluster the node's own
   * spans, each event sent to its place's shard.
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
}
