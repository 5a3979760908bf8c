package io.memtrace.agent.pipeline.retention;

import static io.memtrace.agent.semconv.AttributeNames.MEMORY_NAMESPACE;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.span.AttributeSlots;
import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.trace.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides, on the consumer thread, which Redis spans are exported and which are compressed into
 * counts. Kept: every memory-manager and task span (they never come here), every span with ERROR
 * status, every span at least as slow as the threshold, every command that changes a whole database
 * (the caller says so, as for an error), and the first {@code sample} spans of each (command, namespace)
 * in each interval. Every other Redis span, a single command or a pipeline or
 * transaction, is compressed: its count and duration go to its parent, the memtrace span open
 * around it, which carries them when it ends ({@link #ended}), or, for a span without one, to the
 * interval's summary span ({@link SummarySpan}).
 *
 * <p>The span factories have already recorded every event's metrics when a span comes here, so
 * metrics count all of them whatever is decided. The consumer reads {@link #takeCompressed} when it
 * hands a batch over, so that compressed spans are accounted for with the events they came from.
 */
public final class Retention {

  private static final Retention OFF = new Retention(false, 0, 0, 1, () -> 0);

  private final boolean enabled;
  private final long slowNanos;
  private final int sample;
  private final long intervalNanos;
  private final LongSupplier epochNanos;
  private final CompressedCounts sampled = new CompressedCounts(SummarySpan.KEYS_PER_INTERVAL);
  private final ParentCounts parents = new ParentCounts();
  private final SummarySpan summary;
  /** The interval in progress, on a grid of whole intervals since the epoch; -1 before the first. */
  private long intervalStart = -1;
  private long compressedSinceTaken;
  /** The key events of compressed commands; null when {@code retention.key-events} is off. */
  private KeyEvents keyEvents;

  /**
   * @param slowNanos spans taking at least this long are kept
   * @param sample spans kept per (command, namespace) and interval before compressing
   * @param intervalNanos the length of a sampling interval and of a summary span
   * @param epochNanos the time now, on the spans' clock
   */
  public Retention(boolean enabled, long slowNanos, int sample, long intervalNanos, LongSupplier epochNanos) {
    this.enabled = enabled;
    this.slowNanos = slowNanos;
    this.sample = sample;
    this.intervalNanos = intervalNanos;
    this.epochNanos = epochNanos;
    this.summary = new SummarySpan(intervalNanos);
  }

  /** Retention that keeps every span. */
  public static Retention off() {
    return OFF;
  }

  /** Retention as the {@code retention.*} settings say; {@code epochNanos} is the spans' clock. */
  public static Retention from(MemtraceConfig config, LongSupplier epochNanos) {
    if (!config.get(Settings.RETENTION_ENABLED)) {
      return OFF;
    }
    Retention retention = new Retention(true,
        TimeUnit.MILLISECONDS.toNanos(config.get(Settings.RETENTION_SLOW_THRESHOLD)),
        config.get(Settings.RETENTION_SAMPLE_PER_INTERVAL),
        TimeUnit.MILLISECONDS.toNanos(config.get(Settings.RETENTION_INTERVAL)), epochNanos);
    return config.get(Settings.RETENTION_KEY_EVENTS) ? retention.withKeyEvents() : retention;
  }

  /** This retention, which also makes a key event of each compressed command that names a key. */
  public Retention withKeyEvents() {
    if (enabled && keyEvents == null) {
      keyEvents = new KeyEvents();
    }
    return this;
  }

  /** Where compressed commands' key events go; null when none are made. */
  public KeyEvents keyEvents() {
    return keyEvents;
  }

  /**
   * Whether a carrier span of key events should be written now: when it is full, or, {@code idle}, when any event
   * waits (the consumer is idle or shutting down, so none waits for more commands).
   */
  public boolean keyEventsDue(boolean idle) {
    return keyEvents != null && (idle ? keyEvents.pending() : keyEvents.full());
  }

  /**
   * Writes the key events that wait into {@code record}, as one {@code memtrace.key_events} span; returns what it
   * weighs in a batch, in spans ({@link KeyEvents#spanWeight}).
   */
  public int writeKeyEvents(SpanRecord record) {
    return KeyEvents.spanWeight(keyEvents.writeTo(record));
  }

  public boolean enabled() {
    return enabled;
  }

  /** {@link #decide}: the span is kept; its record is to be completed and exported. */
  public static final int KEPT = 0;
  /** {@link #decide}: the span was compressed into counts; its record is free again. */
  public static final int COMPRESSED = 1;
  /** {@link #decide}: the span was compressed, and its record now holds an ended interval's summary. */
  public static final int SUMMARY = 2;

  /**
   * A Redis span was written into {@code record}, a record of the batch. Returns whether the record
   * now holds a span to export: the span itself when it is kept; when it is compressed, either
   * nothing (the record is free again) or, when an ended interval waited for a record, its summary.
   */
  public boolean admit(SpanRecord record) {
    return admit(record, false);
  }

  /** {@link #admit(SpanRecord)}; {@code keep}: the span is kept whatever the sample says, as an error is. */
  public boolean admit(SpanRecord record, boolean keep) {
    return decideWritten(record, false, keep) != COMPRESSED;
  }

  /**
   * {@link #admit}'s decision, {@link #KEPT}, {@link #COMPRESSED} or {@link #SUMMARY}, for a span written whole
   * (a pipeline's or transaction's); {@code keyed}: as {@link #decide(SpanRecord, boolean, byte[], int, boolean)}
   * says, whether all it hides goes out as key events when it is compressed.
   */
  public int decideWritten(SpanRecord record, boolean keyed) {
    return decideWritten(record, keyed, false);
  }

  /** {@link #decideWritten(SpanRecord, boolean)}; {@code keep}: kept whatever the sample says, as an error is. */
  public int decideWritten(SpanRecord record, boolean keyed, boolean keep) {
    if (!enabled) {
      return KEPT;
    }
    int ns = namespaceIndex(record);
    byte[] namespace = null;
    int length = 0;
    if (ns >= 0) {
      AttributeSlots slots = record.slots();
      namespace = slots.type(ns) == AttributeSlots.UTF8 ? slots.utf8Bytes(ns)
          : slots.stringValue(ns).getBytes(StandardCharsets.UTF_8); // a redacted or non-ASCII key's
      length = slots.type(ns) == AttributeSlots.UTF8 ? slots.utf8Length(ns) : namespace.length;
    }
    return decide(record, keep || record.statusCode == StatusCode.ERROR, namespace, length, keyed);
  }

  /**
   * {@link #admit} for a span of which only the header is written yet (ids, name, times, scope), with what the
   * decision reads of the rest given apart: so that a span to be compressed, most of them with retention on, is
   * not first given attributes that are then thrown away. The caller writes the rest only when {@link #KEPT}.
   *
   * @param error whether the span's status will be ERROR
   * @param namespace the first {@code length} bytes are its {@code memory.namespace} in UTF-8; {@code null}: none
   * @return {@link #KEPT}, {@link #COMPRESSED} or {@link #SUMMARY}
   */
  public int decide(SpanRecord record, boolean error, byte[] namespace, int length) {
    return decide(record, error, namespace, length, false);
  }

  /**
   * {@link #decide(SpanRecord, boolean, byte[], int)}, saying whether the span names a key ({@code keyed}): when
   * {@link #keyEvents} are made, such a span's count says its key event went out, so that no reader takes it for
   * a write it cannot see.
   */
  public int decide(SpanRecord record, boolean error, byte[] namespace, int length, boolean keyed) {
    if (!enabled) {
      return KEPT;
    }
    long end = record.endEpochNanos;
    if (end >= intervalStart + intervalNanos) {
      startInterval(end);
    }
    long nanos = end - record.startEpochNanos;
    if (error || nanos >= slowNanos) {
      return KEPT;
    }
    if (sampled.add(record.name, namespace, length, 0) <= sample) {
      return KEPT;
    }
    compressedSinceTaken++;
    CompressedCounts counts = record.parentSpanId != 0 && !record.otelParent
        ? parents.of(record.parentSpanId, summary.current()) : summary.current();
    summary.describedBy(record);
    counts.add(record.name, namespace, length, nanos, keyed && keyEvents != null);
    if (summary.ready()) {
      summary.writeTo(record); // the record is free: the ended interval's summary takes it
      return SUMMARY;
    }
    return COMPRESSED;
  }

  /** A memtrace span was written into {@code record}: it carries the counts of its compressed children. */
  public void ended(SpanRecord record) {
    CompressedCounts counts = parents.take(record.spanId);
    if (counts != null) {
      counts.writeTo(record, record.endEpochNanos);
      parents.recycle(counts);
    }
  }

  /** A memtrace span ended without a span (its rule is gone): its children go to the summary. */
  public void endedWithoutSpan(long spanId) {
    CompressedCounts counts = parents.take(spanId);
    if (counts != null) {
      summary.current().addAll(counts);
      parents.recycle(counts);
    }
  }

  /**
   * Whether a summary waits for a record, once the interval in progress has ended by the clock:
   * the consumer asks when it is idle, so that a summary does not wait for the next Redis span.
   */
  public boolean summaryDue() {
    if (!enabled || intervalStart < 0) {
      return false;
    }
    long now = epochNanos.getAsLong();
    if (now >= intervalStart + intervalNanos) {
      startInterval(now);
    }
    return summary.ready();
  }

  /** Writes the summary that {@link #summaryDue} said waits into {@code record}. */
  public void writeSummary(SpanRecord record) {
    summary.writeTo(record);
  }

  /**
   * The agent shuts down: the counts of parents still open and of the interval in progress become
   * a summary that {@link #summaryDue} then reports, ending now.
   */
  public void close() {
    if (!enabled || intervalStart < 0) {
      return;
    }
    parents.drainInto(summary.current());
    summary.endInterval(intervalStart, Math.max(intervalStart, epochNanos.getAsLong()));
  }

  /** Spans compressed since the last call. */
  public long takeCompressed() {
    long n = compressedSinceTaken;
    compressedSinceTaken = 0;
    return n;
  }

  private void startInterval(long now) {
    if (intervalStart >= 0) {
      summary.endInterval(intervalStart, intervalStart + intervalNanos);
    }
    intervalStart = now - Math.floorMod(now, intervalNanos);
    sampled.clear();
  }

  private static int namespaceIndex(SpanRecord record) {
    String key = MEMORY_NAMESPACE.getKey();
    AttributeSlots slots = record.slots();
    for (int i = 0, n = slots.count(); i < n; i++) {
      String k = slots.key(i);
      if (k == key || k.equals(key)) {
        return i;
      }
    }
    return -1;
  }
}
