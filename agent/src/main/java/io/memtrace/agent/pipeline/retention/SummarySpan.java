package io.memtrace.agent.pipeline.retention;

import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_SUMMARY_INTERVAL_MS;

import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The interval's summary of compressed Redis spans that had no memtrace parent: one span named
 * {@code memtrace.compressed}, kind INTERNAL, a root of its own trace, spanning the interval, with
 * the counts of {@link CompressedCounts#writeTo}. The interval that just ended waits here until the
 * consumer has a free record of its batch for it; should another end meanwhile, they are merged
 * into one span covering both. Consumer thread only.
 */
final class SummarySpan {

  /** Pairs of (command, namespace) per interval before namespaces fold into {@code _OTHER}. */
  static final int KEYS_PER_INTERVAL = 256;

  private final long intervalNanos;
  private CompressedCounts current = new CompressedCounts(KEYS_PER_INTERVAL);
  private CompressedCounts ended = new CompressedCounts(KEYS_PER_INTERVAL);
  private long endedStart;
  private long endedEnd;
  private Resource resource;
  private InstrumentationScopeInfo scope;

  SummarySpan(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** The counts of the interval in progress. */
  CompressedCounts current() {
    return current;
  }

  /** The summary takes the resource and scope of the spans it summarises. */
  void describedBy(SpanRecord compressed) {
    resource = compressed.resource;
    scope = compressed.scope;
  }

  /** The interval that began at {@code start} ended at {@code end}: its counts wait for a record. */
  void endInterval(long start, long end) {
    if (current.isEmpty()) {
      return;
    }
    if (ended.isEmpty()) {
      CompressedCounts swap = ended;
      ended = current;
      current = swap;
      endedStart = start;
    } else {
      ended.addAll(current);
      current.clear();
    }
    endedEnd = end;
  }

  /** Whether an ended interval waits to be written. */
  boolean ready() {
    return !ended.isEmpty();
  }

  /** Spans counted and not yet written: the interval in progress and one that waits. */
  long pending() {
    return current.total() + ended.total();
  }

  /** Writes the interval that waits into {@code record} (which it resets) and forgets it. */
  void writeTo(SpanRecord record) {
    OwnRootSpan.begin(record, MEMTRACE_COMPRESSED, resource, scope, endedStart, endedEnd);
    record.put(MEMTRACE_SUMMARY_INTERVAL_MS, intervalNanos / 1_000_000);
    ended.writeTo(record, endedEnd);
    ended.clear();
  }
}
