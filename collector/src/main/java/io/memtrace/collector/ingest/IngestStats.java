package io.memtrace.collector.ingest;

import java.util.concurrent.atomic.AtomicLong;

/** What the receiver has taken and refused since it started; shown by {@code /api/status}. */
public final class IngestStats {

  final AtomicLong spans = new AtomicLong();
  final AtomicLong metricPoints = new AtomicLong();
  final AtomicLong requests = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong storeFailures = new AtomicLong();
  final AckLatency ackLatency = new AckLatency();

  public long spans() {
    return spans.get();
  }

  public long metricPoints() {
    return metricPoints.get();
  }

  public long requests() {
    return requests.get();
  }

  public long rejected() {
    return rejected.get();
  }

  public long storeFailures() {
    return storeFailures.get();
  }

  /** From a {@code /v1/traces} request read whole to its 200 written. */
  public AckLatency ackLatency() {
    return ackLatency;
  }
}
