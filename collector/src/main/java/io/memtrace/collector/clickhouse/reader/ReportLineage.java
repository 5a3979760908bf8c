package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.clickhouse.LineageReadRows;
import io.memtrace.collector.embedded.LineageSections;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.reader.Section;
import io.memtrace.collector.timeline.MissCauses;
import java.util.List;
import java.util.Map;

/**
 * The report's lineage over a whole layer ({@link Lineage}'s rows): value age and the misses after a write from one
 * statement, which also finds the stale reads memory health's TTL section asks ({@link #staleReads}), and the writes
 * nobody read.
 */
final class ReportLineage {

  private final SqlSource source;
  private final Lineage lineage;
  private final ReportWastedWrites wastedWrites;

  ReportLineage(SqlSource source) {
    this.source = source;
    this.lineage = new Lineage(source);
    this.wastedWrites = new ReportWastedWrites(source, lineage);
  }

  /** The lineage rows of the layer's reads, for a statement that joins them itself ({@link Lineage#layerRows}). */
  String layerRows(Layer layer, long since) {
    return lineage.layerRows(layer, since);
  }

  /**
   * Value age and the misses after a write, from one statement ({@link Parts}): over each read's current row kept
   * apart where the store keeps them and the report reads the kept lineage ({@link #keptParts}); otherwise over the
   * layer's lineage rows, computed once ({@link #joinedParts}).
   */
  List<Section> sections(Layer layer, long since) {
    try {
      Parts asked = lineage.keptFor(since) && readsKept() ? keptParts(layer) : joinedParts(layer, since);
      Map<String, ResultTable> parts = asked.query();
      ResultTable stale = parts.get("stale");
      staleReads = stale.size() > STALE_ROWS ? null : staleRows(stale);
      staleOf = layer + "@" + since;
      return List.of(LineageSections.valueAge(parts.get("ages")), LineageSections.misses(parts.get("misses"),
          parts.get("latest"), MissCauses.ifNotified(source, "SELECT 1 FROM memtrace_key_notification_status LIMIT 1",
              new ClickHouseTimeline(source)::timeline)));
    } catch (CollectorException e) {
      String note = "Not computed: " + e.getMessage() + ". Joining every read to its write takes longest over the "
          + "Redis layer of a large store; narrow it with --since.";
      ResultTable empty = new ResultTable(List.of(), List.of(), false);
      return List.of(new Section("value_age", "Value age at read", note, empty),
          new Section("misses_after_write", "Reads that found nothing after a write", note, empty));
    }
  }

  /** The four queries of {@link #sections} over the layer's lineage rows ({@link #layerRows}), computed once. */
  private Parts joinedParts(Layer layer, long since) {
    String aged = "writer = 'seen' AND write_access = 'write' AND (found IS NULL OR found) "
        + "AND read_status_code != 'ERROR'";
    String missed = NoticedMissRows.of("(SELECT * FROM lin WHERE found = false)");
    return new Parts(source, "WITH lin AS MATERIALIZED (" + lineage.layerRows(layer, since) + ")",
        ", join_use_nulls = 1")
        .add("ages", new Parts.Part("SELECT namespace, reads, writer_seen, writer_not_in_store, writer_compressed, "
            + "if(aged = 0, NULL, round(q[1], 3)) AS age_p50_ms, if(aged = 0, NULL, round(q[2], 3)) AS age_p99_ms FROM ("
            + "SELECT coalesce(namespace, '(none)') AS namespace, count() AS reads, countIf(writer = 'seen') AS writer_seen, "
            + "countIf(writer = 'not_in_store') AS writer_not_in_store, countIf(writer = 'compressed') AS writer_compressed, "
            + "countIf(" + aged + ") AS aged, quantilesExactInclusiveIf(0.5, 0.99)(value_age_ms, " + aged + ") AS q "
            + "FROM lin GROUP BY namespace)",
            AGES, AGES_ORDER))
        .add("misses", new Parts.Part("SELECT coalesce(namespace, '(none)') AS namespace, "
            + "countIf(miss = 'expired') AS expired, countIf(miss = 'evicted') AS evicted, "
            + "countIf(miss = 'deleted') AS after_delete, countIf(miss = 'unknown') AS unknown FROM " + missed
            + " GROUP BY namespace", MISSES, "namespace"))
        .add("latest", new Parts.Part("SELECT key, namespace, miss, " + ClickHouseReport.time("read_time_us")
            + " AS read_time, round(value_age_ms, 3) AS written_ms_before, write_ttl AS ttl_s, read_trace_id, "
            + "write_trace_id, read_span_id, read_time_us FROM " + missed
            + " WHERE miss IN ('expired', 'evicted', 'unknown') ORDER BY " + LATEST_ORDER + " LIMIT " + ClickHouseReport.LIST,
            LATEST, LATEST_ORDER))
        .add("stale", new Parts.Part("SELECT " + String.join(", ", STALE) + " FROM lin WHERE " + STALE_READ
            + " ORDER BY " + STALE_ORDER + " LIMIT " + (STALE_ROWS + 1), STALE, STALE_ORDER));
  }

  /**
   * The same four queries over each read's current row kept in {@code memtrace_lineage_reads} ({@link KeptReads}):
   * no {@code FINAL} and no rows computed for all four; each query reads what it asks (1.0-1.2 s of CPU against
   * 0.18 s for the memory layer at 10M spans, 1.7 s against 0.22-0.24 s for the Redis layer).
   */
  private Parts keptParts(Layer layer) {
    KeptReads reads = new KeptReads(layer);
    // on a cluster each shard's reads are checked against its own late reads: a read's versions are on its place's
    // shard, as the lineage's
    return new Parts(source, "", ", distributed_product_mode = 'local'")
        .add("ages", new Parts.Part(reads.ages(), AGES, AGES_ORDER))
        .add("misses", new Parts.Part(reads.misses(), MISSES, "namespace"))
        .add("latest", new Parts.Part(reads.latest(ClickHouseReport.LIST), LATEST, LATEST_ORDER))
        .add("stale", new Parts.Part(reads.stale(STALE, STALE_ROWS + 1), STALE, STALE_ORDER));
  }

  private static final List<String> AGES = List.of("namespace", "reads", "writer_seen", "writer_not_in_store",
      "writer_compressed", "age_p50_ms", "age_p99_ms");
  private static final String AGES_ORDER = "reads DESC, namespace";
  private static final List<String> MISSES = List.of("namespace", "expired", "evicted", "after_delete", "unknown");
  private static final List<String> LATEST = List.of("key", "namespace", "miss", "read_time", "written_ms_before",
      "ttl_s", "read_trace_id", "write_trace_id", "read_span_id");
  private static final String LATEST_ORDER = "read_time_us DESC, key, read_trace_id";
  private static final String STALE_ORDER = "read_time_us DESC, read_trace_id, key";

  private Boolean readsKept;

  /** Whether the store keeps each read's rows apart ({@code memtrace_lineage_reads}; an earlier schema has not). */
  private boolean readsKept() {
    if (readsKept == null) {
      readsKept = KeptTable.exists(source, LineageReadRows.TABLE);
    }
    return readsKept;
  }

  /** The columns memory health asks of a stale read ({@link io.memtrace.collector.health.HealthDialect#lineage}). */
  private static final List<String> STALE = List.of("key", "namespace", "found", "writer", "write_ttl",
      "value_age_ms", "read_trace_id", "read_time_us");
  private static final String STALE_TYPES = "key Nullable(String), namespace Nullable(String), found Nullable(Bool), "
      + "writer String, write_ttl Nullable(Int64), value_age_ms Nullable(Float64), read_trace_id String, "
      + "read_time_us Int64";
  /** A read whose value outlived the TTL its write set, as memory health's TTL section finds one. */
  private static final String STALE_READ = "writer = 'seen' AND coalesce(found, true) AND write_ttl > 0 "
      + "AND value_age_ms > write_ttl * 1000";
  /**
   * Up to this many stale reads (and {@code STALE_CHARS} of SQL) are handed to memory health as rows; past it, health
   * joins the reads again.
   */
  static final int STALE_ROWS = 1000;
  private static final int STALE_CHARS = 100_000;

  /** The stale reads {@link #sections} found, as a parenthesized subquery of rows; null if not found or too many. */
  private String staleReads;
  private String staleOf;

  /**
   * The stale reads of {@code layer} since {@code since} as {@link #sections} found them with the other lineage
   * sections, as rows in the statement (at most {@link #STALE_ROWS} of them), or null: then they are to be found by
   * joining the reads again ({@link #layerRows}).
   */
  String staleReads(Layer layer, long since) {
    return (layer + "@" + since).equals(staleOf) ? staleReads : null;
  }

  /** Whether the store keeps each read's writer at insert ({@code memtrace_lineage}), which wasted writes then read. */
  boolean kept() {
    return lineage.kept();
  }

  private static String staleRows(ResultTable stale) {
    if (stale.size() == 0) {
      return "(SELECT * FROM values('" + STALE_TYPES + "', (NULL, NULL, NULL, '', NULL, NULL, '', 0)) WHERE false)";
    }
    List<String> rows = new java.util.ArrayList<>();
    for (List<Object> row : stale.rows()) {
      List<String> values = new java.util.ArrayList<>();
      for (Object v : row) {
        values.add(v == null ? "NULL" : v instanceof String text ? ClickHouseTraces.literal(text) : v instanceof Double d
            ? d.isNaN() || d.isInfinite() ? "NULL" : d.toString() : v.toString());
      }
      rows.add("(" + String.join(", ", values) + ")");
    }
    String values = String.join(", ", rows);
    // well inside ClickHouse's max_query_size (256 KiB), with the statement around it
    return values.length() > STALE_CHARS ? null : "(SELECT * FROM values('" + STALE_TYPES + "', " + values + "))";
  }

  /** Writes nobody read (see the embedded store's {@code WastedWrites}), each followed to the next access of its place. */
  Section wastedWrites(Layer layer, long since) {
    return wastedWrites(layer, since, false);
  }

  /** {@link ReportWastedWrites#section}: with {@code memoryToo}, also counts the memory layer's for {@link #wasted}. */
  Section wastedWrites(Layer layer, long since, boolean memoryToo) {
    return wastedWrites.section(layer, since, memoryToo);
  }

  /**
   * The writes of {@code layer} since {@code since} nobody read, per namespace, as {@link #wastedWrites} counted them;
   * null when it has not, or could not ({@link ReportWastedWrites#wasted}).
   */
  Map<String, Long> wasted(Layer layer, long since) {
    return wastedWrites.wasted(layer, since);
  }
}
