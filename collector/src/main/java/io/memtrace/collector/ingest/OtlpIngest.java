package io.memtrace.collector.ingest;

import io.memtrace.collector.store.IngestLog;
import io.memtrace.collector.store.MetricRow;
import io.memtrace.collector.store.SpanRow;
import io.memtrace.collector.store.SpanWriter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One OTLP payload into the store, whichever receiver it came by (OTLP/HTTP or OTLP/gRPC): decoded
 * and checked whole before a single row is handed to the store, so a refused payload leaves the store
 * as it was, and returned from only once it is durable: a trace request once it is in the store's ingest log on
 * disk (its rows are loaded behind), a metric request once its rows are committed.
 */
public final class OtlpIngest {

  private static final long COMMIT_TIMEOUT_SECONDS = 30;

  private final OtlpHandler.Signal signal;
  private final SpanWriter writer;
  private final IngestListener listener;
  private final IngestStats stats;

  public OtlpIngest(OtlpHandler.Signal signal, SpanWriter writer, IngestListener listener, IngestStats stats) {
    this.signal = signal;
    this.writer = writer;
    this.listener = listener;
    this.stats = stats;
  }

  public OtlpHandler.Signal signal() {
    return signal;
  }

  public IngestStats stats() {
    return stats;
  }

  /**
   * Stores {@code content}; returns a warning for the sender (text that had to be repaired) or null.
   *
   * @throws PayloadException the payload is malformed; nothing of it was stored
   * @throws StoreUnavailable the store did not commit it; the sender should retry
   */
  public String store(PayloadFormat format, byte[] content) throws PayloadException, StoreUnavailable {
    TextRepairs repairs = new TextRepairs();
    if (signal == OtlpHandler.Signal.TRACES) {
      List<SpanRow> rows = decodeSpans(format, content, repairs);
      if (!rows.isEmpty()) {
        await(writer.acknowledgeSpans(format == PayloadFormat.JSON, content, rows));
        stats.spans.addAndGet(rows.size());
        listener.committed(rows);
      }
    } else {
      ExportMetricsServiceRequest request = format == PayloadFormat.JSON
          ? OtlpJson.merge(content, ExportMetricsServiceRequest.newBuilder(), repairs).build()
          : ProtobufPayload.parse(content, ExportMetricsServiceRequest.parser(),
              ExportMetricsServiceRequest.getDescriptor(), repairs);
      List<MetricRow> rows = MetricMapper.map(request);
      if (!rows.isEmpty()) {
        await(writer.writeMetrics(rows));
        stats.metricPoints.addAndGet(rows.size());
      }
    }
    return repairs.warning();
  }

  /** A trace request's spans, decoded as {@link #store} decodes them; for the ingest log to read its bodies back. */
  public static List<SpanRow> decodeSpans(boolean json, byte[] content) throws PayloadException {
    return decodeSpans(json ? PayloadFormat.JSON : PayloadFormat.PROTOBUF, content, new TextRepairs());
  }

  private static List<SpanRow> decodeSpans(PayloadFormat format, byte[] content, TextRepairs repairs)
      throws PayloadException {
    List<SpanRow> rows = format == PayloadFormat.PROTOBUF ? SpanDecoder.decode(content) : null;
    if (rows == null) {
      ExportTraceServiceRequest request = format == PayloadFormat.JSON
          ? OtlpJson.merge(content, ExportTraceServiceRequest.newBuilder(), repairs).build()
          : ProtobufPayload.parse(content, ExportTraceServiceRequest.parser(),
              ExportTraceServiceRequest.getDescriptor(), repairs);
      rows = TraceMapper.map(request);
    }
    return rows;
  }

  private static void await(Future<Void> committed) throws StoreUnavailable {
    try {
      committed.get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IngestLog.LogUnavailable refused) {
        throw new StoreUnavailable(refused.getMessage());
      }
      throw new StoreUnavailable("the span store could not commit the request: " + e.getCause());
    } catch (TimeoutException e) {
      throw new StoreUnavailable("the span store did not commit the request within " + COMMIT_TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailable("the collector is shutting down");
    }
  }

  /** The store did not commit a payload: nothing was acknowledged, the sender retries. */
  public static final class StoreUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    StoreUnavailable(String message) {
      super(message);
    }
  }
}
