package io.memtrace.collector.embedded;

import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.Provenance;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.RecordingSource;
import io.memtrace.collector.query.RemoteSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyspaceState;
import io.memtrace.collector.reader.Report;
import io.memtrace.collector.reader.ReportRequest;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TraceRequest;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.view.ModelCallLines;
import io.memtrace.collector.view.TraceSpan;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The embedded DuckDB store's answers: every question as DuckDB SQL over a {@link SqlSource}, which is the data
 * directory opened read-only, a running {@code serve} asked over {@code /api/query}, or the server's own store. The
 * SQL travels as text in each case, so the same statements answer wherever the store is. The statements are this
 * package's: the report's sections ({@link ReportBuilder}), the traces ({@link TraceQueries}); the lineage views
 * they read are the store's ({@code io.memtrace.collector.lineage}).
 */
public final class EmbeddedReader implements StoreReader {

  private final SqlSource source;
  private final long pendingSpans;
  /** Whether the store was seen to have the captured values' table: then each read skips asking again. */
  private volatile boolean valuesKept;

  /** @param source the store's rows, which this reader closes */
  public EmbeddedReader(SqlSource source) {
    this(source, -1);
  }

  /** The data directory opened read-only, for when no server is running on it. */
  public static EmbeddedReader local(StoreFiles files) {
    return new EmbeddedReader(new LocalSqlSource(files));
  }

  /** As {@link #local(StoreFiles)}, each query within {@code limits}. */
  public static EmbeddedReader local(StoreFiles files, QueryLimits limits) {
    return new EmbeddedReader(new LocalSqlSource(files, limits));
  }

  /**
   * A running {@code serve}, asked over its {@code POST /api/query} with the API token.
   *
   * @param token      the API token, or null when none was found
   * @param tokenHint  where the token came from, or how to give one, for the message on a 401
   * @param waitLoaded whether each query waits for the spans acknowledged before it to be loaded
   */
  public static EmbeddedReader remote(URI server, String token, String tokenHint, boolean waitLoaded) {
    return new EmbeddedReader(new RemoteSqlSource(server, token, tokenHint, waitLoaded));
  }

  /**
   * @param pendingSpans the spans acknowledged and not loaded, as the store counted them when this reader opened;
   *                     -1 to ask the source
   */
  EmbeddedReader(SqlSource source, long pendingSpans) {
    this.source = source;
    this.pendingSpans = pendingSpans;
  }

  @Override
  public String describe() {
    return source.describe();
  }

  @Override
  public long pendingSpans() {
    return pendingSpans >= 0 ? pendingSpans : source.pendingSpans();
  }

  @Override
  public Report report(ReportRequest request) {
    return report(request, false);
  }

  @Override
  public Report headline(ReportRequest request) {
    return report(request, true);
  }

  /**
   * The source for one answer made of the collector's own statements (traces, the keyspace, model calls): a store read
   * in this process runs them as it runs a report's ({@link SqlSource#queryOwn}), planned once and not re-checked.
   */
  private SqlSource own() {
    return new RecordingSource(source, true);
  }

  /** The whole report, or only its headline's sections, asked alone. */
  private Report report(ReportRequest request, boolean headline) {
    // the sections' statements are the collector's own: a store read in this process runs them unchecked
    RecordingSource recording = new RecordingSource(source, true);
    ReportBuilder builder = new ReportBuilder(recording, request.since(), request.windows(), request.layer())
        .tenantRule(request.tenant()).recordPattern(request.records());
    return new Report(builder.layer(), headline ? builder.headline() : builder.build(), recording.statements());
  }

  @Override
  public Map<String, List<TraceSpan>> traces(TraceRequest request) {
    // a running server answers the traces' statements and their keyspace lines in one request (null values left out)
    Map<String, String> question = new java.util.HashMap<>();
    question.put("trace", request.traceId());
    question.put("last", String.valueOf(request.last()));
    question.put("service", request.service());
    source.askAhead("traces", question);
    SqlSource own = own();
    Map<String, List<TraceSpan>> traces = TraceQueries.load(own,
        TraceQueries.choose(own, request.traceId(), request.last(), request.service()));
    ModelCallLines.attach(own, traces, request.tenant());
    return traces;
  }

  @Override
  public List<String> keyspaceAtStart(List<TraceSpan> trace) {
    return KeyspaceRows.keyspaceAtStart(own(), trace);
  }

  @Override
  public KeyspaceState keyspace(Instant since) {
    return KeyspaceRows.read(own(), since);
  }

  @Override
  public List<ModelCall> modelCalls(String traceId, long fromMicros, long toMicros, TenantRule tenant) {
    return Provenance.ofTrace(own(), traceId, fromMicros, toMicros, tenant);
  }

  @Override
  public io.memtrace.collector.reader.KeyTimeline timeline(io.memtrace.collector.reader.TimelineRequest request) {
    Map<String, String> question = new java.util.HashMap<>();
    question.put("key", request.key());
    question.put("namespace", request.namespace());
    question.put("redis", request.redis());
    question.put("limit", String.valueOf(request.limit()));
    source.askAhead("timeline", question);
    return TimelineQueries.timeline(source, request);
  }

  @Override
  public List<io.memtrace.collector.timeline.RecordRows.StatusRow> notificationCoverage() {
    return io.memtrace.collector.timeline.RecordTables.statuses(TimelineQueries.statuses(source));
  }

  @Override
  public List<io.memtrace.collector.reader.KeyChange> keyChanges(
      io.memtrace.collector.reader.KeyChangesRequest request) {
    return KeyChangeQueries.changes(source, request);
  }

  @Override
  public int rowsPerRead() {
    return source.streamsOwn() ? io.memtrace.collector.travel.AsOfRestore.MAX_ROWS + 1 : StoreReader.super.rowsPerRead();
  }

  @Override
  public List<io.memtrace.collector.values.CapturedValue> capturedValues(
      io.memtrace.collector.values.ValuesRequest request) {
    if (!valuesKept && !(valuesKept = ValueQueries.kept(source))) {
      return List.of();
    }
    return ValueQueries.values(source, request);
  }

  @Override
  public ResultTable query(String sql) {
    return source.query(sql);
  }

  @Override
  public ResultTable queryWithValues(String sql) {
    return source.queryWithValues(sql);
  }

  @Override
  public io.memtrace.collector.reader.ViewAnswer view(io.memtrace.collector.reader.ViewQuestion question) {
    return EmbeddedViews.answer(source, question, Instant.now());
  }

  @Override
  public void close() {
    source.close();
  }
}
