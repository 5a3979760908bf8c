package io.memtrace.collector.provenance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import io.memtrace.collector.OtlpJsonMetrics;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.ingest.MetricMapper;
import io.memtrace.collector.ingest.OtlpJson;
import io.memtrace.collector.ingest.PayloadException;
import io.memtrace.collector.query.QueryRunner;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.SpanStore;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code serve}'s counter {@code memory.tenant.cross_reads}: the records of another tenant that went into model calls'
 * prompts ({@link Provenance}, by the tenant rule), per calling service, cumulative since {@code serve} started. Every
 * interval it judges the model calls received since the last (in ingest order, see {@link JudgedCalls}: a call whose
 * memory spans arrive later is judged again when they do), and exports the counts as one OTLP/JSON metrics request: sent
 * upstream through the {@link Forwarder}, where an OpenTelemetry Collector's Prometheus exporter serves it as
 * {@code memory_tenant_cross_reads_total}, and stored in the {@code metrics} table, as the keyspace gauges are. A
 * service is counted from its first model call on, at 0 until a cross-tenant read, so that a rate is defined.
 */
public final class CrossTenantMeter implements AutoCloseable {

  static final String NAME = "memory.tenant.cross_reads";
  static final String SCOPE = "io.memtrace.collector.provenance";


  private final SpanStore store;
  private final Forwarder forwarder;
  private final TenantRule rule;
  private final long intervalMillis;
  private final Map<String, Long> counts = new TreeMap<>();
  private final long startNanos = System.currentTimeMillis() * 1_000_000L;
  private final Thread thread;
  private final JudgedCalls judged;
  private volatile boolean closing;

  /** {@code forwarder} may be null. */
  public CrossTenantMeter(SpanStore store, Forwarder forwarder, TenantRule rule, long intervalMillis) {
    this.store = store;
    this.forwarder = forwarder;
    this.rule = rule;
    this.intervalMillis = intervalMillis;
    this.judged = new JudgedCalls(System.currentTimeMillis() * 1000);
    this.thread = new Thread(this::run, "memtrace-cross-tenant-meter");
    thread.setDaemon(true);
  }

  public CrossTenantMeter start() {
    thread.start();
    return this;
  }

  private void run() {
    while (!closing) {
      try {
        Thread.sleep(intervalMillis);
        tick(System.currentTimeMillis() * 1000);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | SQLException e) {
        Log.warn("memory.tenant.cross_reads not measured this interval: " + e.getMessage());
      }
    }
  }

  /** Judges the calls received up to {@code nowMicros} (and those waiting for their memory), and exports the counts. */
  void tick(long nowMicros) throws SQLException {
    try (Connection connection = store.newConnection()) {
      SqlSource source = SqlSource.of("the store", sql -> QueryRunner.run(connection, sql));
      judged.judge(source, rule, nowMicros, counts);
    }
    if (counts.isEmpty()) {
      return;
    }
    byte[] body = encode(counts, startNanos, System.currentTimeMillis() * 1_000_000L);
    if (forwarder != null) {
      forwarder.offer("/v1/metrics", "application/json", null, body);
    }
    try {
      store.writer().writeMetrics(MetricMapper.map(OtlpJson.merge(body, ExportMetricsServiceRequest.newBuilder()).build()))
          .join();
    } catch (PayloadException e) {
      throw new CollectorException("memory.tenant.cross_reads is not valid OTLP: " + e.getMessage(), e);
    }
  }

  /** The counts as a cumulative, monotonic OTLP sum, one point per service, in OTLP/JSON. */
  static byte[] encode(Map<String, Long> counts, long startNanos, long timeNanos) {
    OtlpJsonMetrics export = new OtlpJsonMetrics(SCOPE);
    ObjectNode sum = export.metrics().addObject().put("name", NAME)
        .put("description", "Records of another tenant that went into model calls' prompts (memory-state.tenant)")
        .put("unit", "{read}").putObject("sum");
    sum.put("aggregationTemporality", 2).put("isMonotonic", true);
    ArrayNode points = sum.putArray("dataPoints");
    counts.forEach((service, n) -> {
      ObjectNode point = points.addObject();
      point.putArray("attributes").addObject().put("key", "service").putObject("value")
          .put("stringValue", service);
      point.put("startTimeUnixNano", Long.toString(startNanos)).put("timeUnixNano", Long.toString(timeNanos))
          .put("asInt", Long.toString(n));
    });
    return export.bytes();
  }

  @Override
  public void close() {
    closing = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
