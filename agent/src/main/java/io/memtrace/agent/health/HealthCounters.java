package io.memtrace.agent.health;

import io.memtrace.agent.bootstrap.Bridge;
import io.memtrace.agent.bootstrap.ObservedModelHooks;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * memtrace's own health, in spans: what it produced, and what became of each. Updated from any
 * thread; read for the shutdown summary and the health metrics.
 *
 * <p>The accounting, exact once the agent has shut down (while it runs, the parts are updated one
 * after the other, so a reading may be a batch apart):
 * <pre>produced = exported + compressed + dropped</pre>
 * where {@code dropped} is {@link #dropped} plus {@link #spansInFailedExports}. A span is
 * <em>produced</em> when the consumer hands it to the exporters or compresses it ({@link #built}),
 * or when one the agent would have built is lost before that ({@link #lost}): a Redis command or
 * batch, or the end of an instrumented method, that found the ring full or whose reply could not
 * be read; and, when the consumer is given up on at shutdown, every event it had not yet handed
 * over (the agent cannot tell then which of them would have made a span, so each counts as one).
 * The start of a method makes no span of its own and counts nothing. The summary spans of
 * retention are produced like any other.
 */
public final class HealthCounters {

  /** Spans built or lost before they could be built; see the class comment. */
  public final AtomicLong produced = new AtomicLong();
  /**
   * Spans that never reached an exporter: lost before the consumer built them, or handed to the
   * first exporter while it was behind. Spans lost in failed exports are in {@link #spansInFailedExports}.
   */
  public final AtomicLong dropped = new AtomicLong();
  /** Spans the first exporter acknowledged. */
  public final AtomicLong exported = new AtomicLong();
  /** Spans retention folded into counts on a parent or summary span instead of exporting them. */
  public final AtomicLong compressed = new AtomicLong();
  /** Export calls that failed after the exporter's own retries. */
  public final AtomicLong exportFailures = new AtomicLong();
  /**
   * Spans lost in those failed exports, and in exports still in flight when the shutdown time ran
   * out. Only the first exporter's count: its acknowledgements are what {@link #exported} counts.
   */
  public final AtomicLong spansInFailedExports = new AtomicLong();
  /**
   * Key-event carriers the first exporter acknowledged ({@code retention.key-events}), and the commands they list: a
   * carrier counts as one span in {@link #exported}, its commands stay counted in {@link #compressed}, and a collector
   * stores each command as a span of its own. {@link #keyEventsLost}: the commands of carriers dropped or lost in
   * failed exports.
   */
  public final AtomicLong keyEventSpansExported = new AtomicLong();
  public final AtomicLong keyEventsExported = new AtomicLong();
  public final AtomicLong keyEventsLost = new AtomicLong();
  /** Events the consumer could not turn into spans because memtrace's code failed. */
  public final AtomicLong consumerErrors = new AtomicLong();

  /**
   * The Redis clients the application loaded that memtrace does not trace ({@code "Lettuce 8.0.0"}): their
   * commands make no spans and count nowhere else, so they are named here, in the summary and in a metric.
   */
  private final Set<String> untracedClients = ConcurrentHashMap.newKeySet();

  /** The application loaded {@code client} (name and version), whose commands memtrace does not trace. */
  public void untraced(String client) {
    untracedClients.add(client);
  }

  /** The clients {@link #untraced} named, sorted. */
  public Set<String> untracedClients() {
    return new TreeSet<>(untracedClients);
  }

  /** {@code spans} the agent would have built were lost before the consumer built them. */
  public void lost(long spans) {
    dropped.addAndGet(spans);
    produced.addAndGet(spans);
  }

  /**
   * The consumer hands {@code handedOver} spans to the exporters (who count each as exported or
   * dropped) and has compressed {@code compressedSpans} more since its last hand-over.
   */
  public void built(long handedOver, long compressedSpans) {
    compressed.addAndGet(compressedSpans);
    produced.addAndGet(handedOver + compressedSpans);
  }

  private String keyEventsSummary() {
    long spans = keyEventSpansExported.get();
    long lost = keyEventsLost.get();
    return spans + lost == 0 ? "" : " memtrace.events.key_event_spans=" + spans + " memtrace.events.key_events="
        + keyEventsExported.get() + " memtrace.events.key_events_lost=" + lost;
  }

  /** Every span produced and not exported or compressed: {@link #dropped} and {@link #spansInFailedExports}. */
  public long droppedTotal() {
    return dropped.get() + spansInFailedExports.get();
  }

  /**
   * The shutdown line: {@code memtrace.events.produced=P memtrace.events.exported=E
   * memtrace.events.compressed=C memtrace.events.dropped=D (in failed exports: F)
   * memtrace.export.failures=X internal errors: I}, where P = E + C + D; then, when key events went out,
   * {@code memtrace.events.key_event_spans=S memtrace.events.key_events=K memtrace.events.key_events_lost=L} (S of
   * the E spans were carriers listing K of the C compressed commands); then, when the application loaded
   * a Redis client memtrace does not trace, {@code untraced Redis clients: Lettuce 8.0.0}; when a model span made
   * by Spring AI's observations ended before memtrace had given it its links, {@code model spans ended without
   * their links: N}.
   */
  public String summary() {
    long failedSpans = spansInFailedExports.get();
    return "memtrace.events.produced=" + produced.get()
        + " memtrace.events.exported=" + exported.get()
        + " memtrace.events.compressed=" + compressed.get()
        + " memtrace.events.dropped=" + (dropped.get() + failedSpans)
        + " (in failed exports: " + failedSpans + ")"
        + " memtrace.export.failures=" + exportFailures.get()
        + " internal errors: " + (Bridge.internalErrors() + consumerErrors.get())
        + keyEventsSummary()
        + (untracedClients.isEmpty() ? "" : " untraced Redis clients: " + String.join(", ", untracedClients()))
        + (ObservedModelHooks.late() == 0 ? "" : " model spans ended without their links: " + ObservedModelHooks.late());
  }
}
