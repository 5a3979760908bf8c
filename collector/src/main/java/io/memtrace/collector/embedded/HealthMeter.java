package io.memtrace.collector.embedded;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import io.memtrace.collector.forward.Forwarder;
import io.memtrace.collector.health.HealthGauges;
import io.memtrace.collector.health.HealthScope;
import io.memtrace.collector.ingest.MetricMapper;
import io.memtrace.collector.ingest.OtlpJson;
import io.memtrace.collector.ingest.PayloadException;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.store.SpanStore;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code serve}'s memory health gauges ({@link HealthGauges}): every interval, on a thread of its own and never on
 * the ingest path, the memory calls of the last window are measured, in one statement over the spans since then (the
 * window bounds what it reads, and /api/query's limits its time and memory; the look's other statements read the
 * same state of the store, so a load between them cannot give a store's calls without their commands), and exported as one OTLP/JSON metrics
 * request: sent upstream through the {@link Forwarder}, where an OpenTelemetry Collector's Prometheus exporter serves
 * it (deploy/prometheus/alerts.yml alerts on it), and, by the embedded store, stored in its {@code metrics} table, as
 * the keyspace gauges are. {@code serve --clickhouse} measures the fleet's ClickHouse the same way and only sends.
 */
public final class HealthMeter implements AutoCloseable {

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
      .withZone(ZoneOffset.UTC);

  /** One look of a store: the memory calls that started at or after {@code since}. */
  public interface Look {
    HealthGauges.Measurement measure(Instant since) throws SQLException;
  }

  private final Look look;
  private final Forwarder forwarder;
  private final Consumer<byte[]> keep;
  private final long intervalMillis;
  private final long windowMillis;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "memtrace-health-meter");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * The embedded store's gauges, sent upstream and kept in its {@code metrics} table.
   *
   * @param forwarder may be null
   * @param windowMillis how far back each look reads
   */
  public HealthMeter(SpanStore store, Forwarder forwarder, TenantRule rule, long intervalMillis, long windowMillis) {
    this(store, forwarder, true, rule, intervalMillis, windowMillis);
  }

  /**
   * The embedded store's gauges, sent to {@code forwarder}, and kept in its {@code metrics} table only when
   * {@code keepHere}: not when they come back to this store through the endpoint they are sent to.
   */
  public HealthMeter(SpanStore store, Forwarder forwarder, boolean keepHere, TenantRule rule, long intervalMillis,
      long windowMillis) {
    this(since -> measure(store, rule, since), forwarder, keepHere ? body -> keep(store, body) : null,
        intervalMillis, windowMillis);
  }

  /**
   * @param forwarder where the gauges go; may be null
   * @param keep what else is done with each export (the embedded store stores it), or null
   */
  public HealthMeter(Look look, Forwarder forwarder, Consumer<byte[]> keep, long intervalMillis, long windowMillis) {
    this.look = look;
    this.forwarder = forwarder;
    this.keep = keep;
    this.intervalMillis = intervalMillis;
    this.windowMillis = windowMillis;
  }

  /** Measures every interval, the next one an interval after the last ended: looks never pile up. */
  public HealthMeter start() {
    timer.scheduleWithFixedDelay(this::measure, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  private void measure() {
    try {
      tick(Instant.now());
    } catch (RuntimeException | SQLException e) {
      Log.warn("memory health not measured this interval: " + e.getMessage());
    }
  }

  /** Measures the memory calls that started in the window before {@code now}, and exports the gauges. */
  void tick(Instant now) throws SQLException {
    HealthGauges.Measurement measurement = look.measure(now.minusMillis(windowMillis));
    if (measurement.figures().size() <= 1) {
      return; // no memory call in the window: nothing to say
    }
    byte[] body = HealthGauges.encode(measurement, now.toEpochMilli() * 1_000_000L);
    if (forwarder != null) {
      forwarder.offer("/v1/metrics", "application/json", null, body);
    }
    if (keep != null) {
      keep.accept(body);
    }
  }

  private static HealthGauges.Measurement measure(SpanStore store, TenantRule rule, Instant since) throws SQLException {
    // within the limits of /api/query (a time and memory budget): a look never runs away with the server
    try (SqlSource source = StoreSqlSource.snapshot(store.newConnection(), QueryLimits.DEFAULT)) {
      SpanTable spans = SpanTable.of(source);
      String from = " AND start_time >= TIMESTAMP '" + UTC.format(since) + "'";
      return HealthGauges.measure(new EmbeddedHealth(new HealthScope(source, Layer.MEMORY, null, rule),
          spans.of(Layer.MEMORY), spans.from(), from), rule.any());
    }
  }

  private static void keep(SpanStore store, byte[] body) {
    try {
      store.writer().writeMetrics(MetricMapper.map(OtlpJson.merge(body, ExportMetricsServiceRequest.newBuilder()).build()))
          .join();
    } catch (PayloadException e) {
      throw new CollectorException("the memory health gauges are not valid OTLP: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
