package io.memtrace.agent.health;

import io.memtrace.agent.bootstrap.Bridge;
import java.util.concurrent.atomic.AtomicLong;

/**
 * memtrace's own health: what it dropped, exported and failed to export. Updated from any thread;
 * read for the shutdown summary and the health metrics.
 */
public final class HealthCounters {

  /** Events that never became spans: ring full, queue overflow, export queue full. */
  public final AtomicLong dropped = new AtomicLong();
  /** Spans an exporter acknowledged. */
  public final AtomicLong exported = new AtomicLong();
  /** Export calls that failed after the exporter's own retries. */
  public final AtomicLong exportFailures = new AtomicLong();
  /** Spans lost in those failed exports. */
  public final AtomicLong spansInFailedExports = new AtomicLong();
  /** Events the consumer could not turn into spans because memtrace's code failed. */
  public final AtomicLong consumerErrors = new AtomicLong();

  public String summary() {
    return "memtrace.events.exported=" + exported.get()
        + " memtrace.events.dropped=" + dropped.get()
        + " memtrace.export.failures=" + exportFailures.get()
        + " (spans in failed exports: " + spansInFailedExports.get() + ")"
        + " internal errors: " + (Bridge.internalErrors() + consumerErrors.get());
  }
}
