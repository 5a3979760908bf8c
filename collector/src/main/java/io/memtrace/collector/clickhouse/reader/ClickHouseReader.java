package io.memtrace.collector.clickhouse.reader;

import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.AttributeColumns;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.RecordingSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TypedAttributes;
import io.memtrace.collector.reader.KeyspaceState;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TraceRequest;
import io.memtrace.collector.store.PromotedAttributes;
import io.memtrace.collector.view.TraceSpan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fleet store's answers: every question as ClickHouse SQL over the tables {@code clickhouse init} makes
 * ({@code otel_traces} as the OpenTelemetry Collector's exporter writes it, {@code memtrace_ops} and
 * the rollups that their materialized views fill, {@code memtrace_keyspace}, the {@code spans} view), each statement
 * read-only and bounded by ClickHouse's own settings ({@link ClickHouseRows}). Answers are the embedded store's, row for row.
 */
public final class ClickHouseReader implements StoreReader {

  private final ClickHouseRows rows;
  /** The database the URL names, for the one question about the spans view's columns. */
  private final String database;

  ClickHouseReader(ClickHouseSession session, QueryLimits limits) {
    this.rows = new ClickHouseRows(session, limits);
    this.database = session.url().database();
  }

  /** Connects, so that a bad URL, an unreachable server or refused credentials fail here in one line. */
  public static ClickHouseReader open(ClickHouseUrl url, QueryLimits limits) {
    return new ClickHouseReader(ClickHouseSession.open(url), limits);
  }

  /** Readers of one ClickHouse, each on a connection of its own. */
  public static StoreReader.Factory factory(ClickHouseUrl url, QueryLimits limits) {
    return () -> open(url, limits);
  }

  /**
   * The memory health gauges' figures of the memory calls that started at or after {@code since}, measured as the
   * embedded store's {@code serve} measures its own ({@link io.memtrace.collector.health.HealthGauges}).
   */
  public io.memtrace.collector.health.HealthGauges.Measurement health(java.time.Instant since,
      io.memtrace.collector.provenance.TenantRule tenant) {
    long micros = since.getEpochSecond() * 1_000_000L + since.getNano() / 1_000;
    return io.memtrace.collector.health.HealthGauges.measure(new ClickHouseHealth(
        new io.memtrace.collector.health.HealthScope(rows, io.memtrace.collector.reader.Layer.MEMORY, null, tenant),
        micros), tenant.any());
  }

  /** The statements' way to ClickHouse, for a harness that records them. */
  ClickHouseRows rows() {
    return rows;
  }

  @Override
  public String describe() {
    return rows.describe();
  }

  @Override
  public long pendingSpans() {
    return 0;
  }

  @Override
  public Report report(ReportRequest request) {
    return report(request, rows);
  }

  /** The headline's sections alone ({@code memory_overview}), each asked as {@link #report} asks it. */
  @Override
  public Report headline(ReportRequest request) {
    return report(request, rows, true);
  }

  /** {@link #report(ReportRequest)} through {@code source} (a harness's view of the same ClickHouse). */
  Report report(ReportRequest request, io.memtrace.collector.query.SqlSource source) {
    return report(request, source, false);
  }

  /** {@link #headline(ReportRequest)} through {@code source}. */
  Report headline(ReportRequest request, io.memtrace.collector.query.SqlSource source) {
    return report(request, source, true);
  }

  private Report report(ReportRequest request, io.memtrace.collector.query.SqlSource source, boolean headline) {
    RecordingSource recording = new RecordingSource(source);
    long since = request.since() == null ? 0
        : request.since().getEpochSecond() * 1_000_000L + request.since().getNano() / 1_000;
    ClickHouseReport report = new ClickHouseReport(recording, since, request.windows(), request.layer(),
        request.tenant(), request.records());
    List<io.memtrace.collector.reader.Section> sections = new ArrayList<>(headline ? report.headline() : report.build());
    // the model calls' sections before latency (last in the headline), as the embedded store orders them; assembled
    // as it assembles them
    int at = headline ? sections.size()
        : sections.indexOf(sections.stream().filter(s -> s.id().equals("latency")).findFirst().orElseThrow());
    sections.addAll(at, io.memtrace.collector.embedded.ModelCallSections.sections(new ClickHouseProvenance(recording)
        .since(since, request.tenant()), request.tenant()));
    return new Report(report.layer().description(), sections, recording.statements());
  }

  @Override
  public List<ModelCall> modelCalls(String traceId, long fromMicros, long toMicros, TenantRule tenant) {
    return new ClickHouseProvenance(rows).ofTrace(traceId, fromMicros, toMicros, tenant);
  }

  @Override
  public Map<String, List<TraceSpan>> traces(TraceRequest request) {
    ClickHouseTraces traces = new ClickHouseTraces(rows);
    Map<String, List<TraceSpan>> loaded = traces.load(traces.choose(request.traceId(), request.last(), request.service()));
    io.memtrace.collector.view.ModelCallLines.attach(loaded, (trace, from, to) -> modelCalls(trace, from, to,
        request.tenant()));
    return loaded;
  }

  @Override
  public List<String> keyspaceAtStart(List<TraceSpan> trace) {
    return new ClickHouseKeyspace(rows).keyspaceAtStart(trace);
  }

  /**
   * The watcher's samples kept in {@code memtrace_keyspace} ({@link ClickHouseKeyspace#keyspace}); the fleet schema
   * keeps no server figures ({@code keyspace_server}), so {@code servers} is empty.
   */
  @Override
  public KeyspaceState keyspace(Instant since) {
    return new ClickHouseKeyspace(rows).keyspace(since);
  }

  @Override
  public io.memtrace.collector.reader.KeyTimeline timeline(io.memtrace.collector.reader.TimelineRequest request) {
    return new ClickHouseTimeline(rows).timeline(request);
  }

  /**
   * Several records' timelines at once, each as {@link #timeline} gives it, each table asked once for all their keys
   * ({@link ClickHouseTimeline#timelines}).
   */
  public Map<io.memtrace.collector.reader.TimelineRequest, io.memtrace.collector.reader.KeyTimeline> timelines(
      java.util.Collection<io.memtrace.collector.reader.TimelineRequest> requests) {
    return new ClickHouseTimeline(rows).timelines(requests);
  }

  /**
   * The write each read of the traces {@code traceIds} saw, many reads in one lineage statement: the {@code lineage}
   * view's rows of their reads ({@code read_trace_id}, {@code read_span_id}, {@code writer}, {@code write_span_id},
   * {@code found}, {@code miss}, ...) over the spans naming their keys (found in {@code memtrace_ops}), with the
   * changes only keyspace notifications know of taken in for the reads of the first
   * {@link io.memtrace.collector.timeline.MissCauses#MAX_KEYS} keys ({@link NoticedLineage}). The web view's
   * {@code read_lineage} asks the same rows of one read, and {@code traces} of a trace's reads.
   */
  public ResultTable readLineage(java.util.Collection<String> traceIds) {
    if (traceIds.isEmpty()) {
      return new ResultTable(List.of(), List.of(), false);
    }
    for (String id : traceIds) {
      if (!id.matches("[0-9a-f]{32}")) {
        throw new io.memtrace.collector.CollectorException("a trace id is 32 hex digits, not " + id);
      }
    }
    ResultTable keys = rows.query("SELECT DISTINCT Key FROM memtrace_ops WHERE TraceId IN (" + traceIds.stream()
        .map(ClickHouseTraces::literal).collect(Collectors.joining(", ")) + ") AND Key != '' ORDER BY Key");
    List<String> named = new java.util.ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      named.add(keys.text(i, "Key"));
    }
    return named.isEmpty() ? new ResultTable(List.of(), List.of(), false)
        : new NoticedLineage(rows).readRows(traceIds, named, null);
  }

  @Override
  public List<io.memtrace.collector.timeline.RecordRows.StatusRow> notificationCoverage() {
    return io.memtrace.collector.timeline.RecordTables.statuses(new ClickHouseTimeline(rows).statuses());
  }

  @Override
  public List<io.memtrace.collector.reader.KeyChange> keyChanges(
      io.memtrace.collector.reader.KeyChangesRequest request) {
    return ClickHouseKeyChanges.changes(rows, request);
  }

  /**
   * ClickHouse SQL over the documented views. The attributes that have one type (the embedded store's typed columns)
   * are read as that type, as the embedded store reads them, so the example queries sort and average numbers. In a
   * query of one {@code SELECT}, those attributes are read from the {@code spans} view's columns that hold exactly
   * that ({@code attributes['memory.key']} from {@code memory_key}), kept in {@code otel_traces} at insert
   * ({@link AttributeColumns}), rather than from every span's whole attribute map; not from the view of an earlier
   * init, which lacks them.
   */
  @Override
  public ResultTable query(String sql) {
    ClickHouseValues.refuseUnlessAsked(sql);
    return queryWithValues(sql);
  }

  @Override
  public List<io.memtrace.collector.values.CapturedValue> capturedValues(
      io.memtrace.collector.values.ValuesRequest request) {
    return ClickHouseValues.values(rows, request);
  }

  @Override
  public ResultTable queryWithValues(String sql) {
    return rows.bounded(TypedAttributes.rewrite(sql, CASTS, AttributeColumns::typed,
        spansHasColumns() ? AttributeColumns.COLUMNS : Map.of()));
  }

  /** Whether the {@code spans} view has the attribute columns; once it has, it keeps them. */
  private boolean spansHasColumns() {
    if (!spansColumns) {
      spansColumns = rows.query("SELECT count() AS n FROM system.columns WHERE database = '" + database + "' "
          + "AND table = 'spans' AND name = '" + AttributeColumns.LAST + "'").value(0, "n").toString().equals("1");
    }
    return spansColumns;
  }

  private volatile boolean spansColumns;

  /** The attributes of a numeric or boolean typed column, with its type. */
  private static final Map<String, String> CASTS = PromotedAttributes.COLUMNS.stream()
      .filter(c -> AttributeColumns.cast(c.type()))
      .collect(Collectors.toMap(PromotedAttributes.Column::key, PromotedAttributes.Column::type));

  @Override
  public io.memtrace.collector.reader.ViewAnswer view(io.memtrace.collector.reader.ViewQuestion question) {
    return view(question, rows);
  }

  /**
   * {@link #view(io.memtrace.collector.reader.ViewQuestion)} through {@code source} (a harness's view of the same
   * ClickHouse).
   */
  io.memtrace.collector.reader.ViewAnswer view(io.memtrace.collector.reader.ViewQuestion question,
      io.memtrace.collector.query.SqlSource source) {
    return ClickHouseViews.answer(source, question, Instant.now());
  }

  @Override
  public void close() {
    rows.close();
  }
}
