package io.memtrace.collector.clickhouse.reader;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.AttributeColumns;
import io.memtrace.collector.lineage.KeyspaceAtStart;
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
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fleet store's answers: every question as ClickHouse SQL over the tables {@code clickhouse init} makes
 * ({@code otel_traces} as the OpenTelemetry Collector's exporter writes it, {@code memtrace_ops} and
 * the rollups that their materialized views fill, {@code memtrace_keyspace}, the {@code spans} view), each statement
 * read-only and bounded by ClickHouse's own settings ({@link ClickHouseRows}). Answers are the embedded store's, row for row.
 */
public final class ClickHouseReader implements StoreReader {

  private static final ObjectMapper JSON = new ObjectMapper();

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
    return io.memtrace.collector.health.HealthGauges.measure(new ClickHouseHealth(rows, micros,
        io.memtrace.collector.reader.Layer.MEMORY, null, tenant), tenant.any());
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

  /** {@link #report(ReportRequest)} through {@code source} (a harness's view of the same ClickHouse). */
  Report report(ReportRequest request, io.memtrace.collector.query.SqlSource source) {
    RecordingSource recording = new RecordingSource(source);
    long since = request.since() == null ? 0
        : request.since().getEpochSecond() * 1_000_000L + request.since().getNano() / 1_000;
    ClickHouseReport report = new ClickHouseReport(recording, since, request.windows(), request.layer(),
        request.tenant(), request.records());
    List<io.memtrace.collector.reader.Section> sections = new ArrayList<>(report.build());
    // the model calls' sections before latency, as the embedded store orders them; assembled as it assembles them
    sections.addAll(sections.indexOf(sections.stream().filter(s -> s.id().equals("latency")).findFirst().orElseThrow()),
        io.memtrace.collector.embedded.ModelCallSections.sections(new ClickHouseProvenance(recording)
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
    if (trace.isEmpty()) {
      return List.of();
    }
    Set<KeyspaceAtStart.Place> places = new LinkedHashSet<>();
    for (TraceSpan s : trace) {
      if (s.namespace() != null && (s.database() || s.isMemoryOperation())) {
        places.add(new KeyspaceAtStart.Place(s.database() ? s.redis() : null, s.database() ? s.db() : null,
            s.namespace()));
      }
    }
    List<String> namespaces = places.stream().map(KeyspaceAtStart.Place::namespace).distinct().sorted().toList();
    if (namespaces.isEmpty()) {
      return List.of();
    }
    long start = trace.stream().mapToLong(TraceSpan::startMicros).min().orElse(0);
    String offset = "toUnixTimestamp64Micro(Time) - " + start;
    ResultTable samples = rows.query("SELECT Redis AS redis, toInt64(Db) AS db, toString(Namespace) AS namespace, "
        + "argMin(toJSONString(CAST((Keys, Bytes, BytesError, Stale, (" + offset + ") / 1e6, Sampled), "
        + "'Tuple(keys UInt64, bytes UInt64, bytes_error UInt64, stale Bool, offset_s Float64, sampled Bool)')), "
        + "abs(" + offset + ")) AS nearest FROM memtrace_keyspace WHERE Namespace IN ("
        + namespaces.stream().map(ClickHouseTraces::literal).collect(Collectors.joining(", "))
        + ") GROUP BY redis, db, namespace ORDER BY namespace, redis, db");
    List<List<Object>> parsed = new ArrayList<>();
    for (List<Object> row : samples.rows()) {
      List<Object> copy = new ArrayList<>(row);
      try {
        copy.set(3, JSON.readValue((String) row.get(3), LinkedHashMap.class));
      } catch (IOException e) {
        throw new CollectorException("ClickHouse gave a keyspace sample that is not JSON: " + e.getMessage(), e);
      }
      parsed.add(copy);
    }
    return KeyspaceAtStart.lines(new ResultTable(samples.columns(), parsed, false), places);
  }

  /**
   * The watcher's samples kept in {@code memtrace_keyspace}, under the embedded store's column names: the latest pass
   * of each Redis, database and namespace, or every sample since {@code since}. The fleet schema keeps no server
   * figures ({@code keyspace_server}), so {@code servers} is empty.
   */
  @Override
  public KeyspaceState keyspace(Instant since) {
    String columns = "toString(Time) AS time, Redis AS redis, toInt64(Db) AS db, toString(Namespace) AS namespace, "
        + "toString(Layer) AS layer, Keys AS keys, Bytes AS bytes, BytesError AS bytes_error, SampledKeys AS sampled_keys, "
        + "KeysWithoutTtl AS keys_without_ttl, PassId AS pass_id, Complete AS complete, Stale AS stale";
    String sql = since == null
        ? "SELECT " + columns + " FROM memtrace_keyspace ORDER BY Redis, Db, Namespace, Time DESC "
            + "LIMIT 1 BY Redis, Db, Namespace"
        : "SELECT " + columns + " FROM memtrace_keyspace WHERE Time >= fromUnixTimestamp64Milli(" + since.toEpochMilli()
            + ") ORDER BY Time, Redis, Db, Namespace";
    ResultTable table = rows.query(sql);
    List<Map<String, Object>> samples = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (ResultTable.Column c : table.columns()) {
        Object v = table.value(i, c.name());
        row.put(c.name(), c.name().equals("time") ? java.time.LocalDateTime.parse(v.toString().replace(' ', 'T'))
            .toInstant(java.time.ZoneOffset.UTC).toString() : v);
      }
      samples.add(row);
    }
    return new KeyspaceState(samples, List.of());
  }

  @Override
  public io.memtrace.collector.reader.KeyTimeline timeline(io.memtrace.collector.reader.TimelineRequest request) {
    return new ClickHouseTimeline(rows).timeline(request);
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
    return ClickHouseViews.answer(rows, question, Instant.now());
  }

  @Override
  public void close() {
    rows.close();
  }
}
