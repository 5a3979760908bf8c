package io.memtrace.agent.span;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One finished span, written in place by the span factories into a slot of the consumer's batch
 * and reused for the next batch. The OTLP exporter encodes it straight to protobuf
 * ({@code OtlpTraceEncoder}); only the console and file exporters, which take the SDK's
 * {@link SpanData}, get a copy made with {@link #toSpanData()}.
 *
 * <p>Why not build {@code SpanData} for every span, as the SDK does: profiling the consumer showed
 * about half its time in building and sorting {@code Attributes}, allocating span objects, and the
 * SDK marshaler walking them again to size and then write them. Here attributes are kept in
 * parallel arrays ({@link AttributeSlots}), and nothing is allocated once they have grown to the
 * widest span seen.
 */
public final class SpanRecord {

  public long traceIdHigh;
  public long traceIdLow;
  public long spanId;
  public long parentSpanId;
  /** The parent is an OpenTelemetry span memtrace joined (see OtelSpanReader), not a memtrace span. */
  public boolean otelParent;
  public String name;
  public SpanKind kind;
  public InstrumentationScopeInfo scope;
  public Resource resource;
  public long startEpochNanos;
  public long endEpochNanos;
  public StatusCode statusCode = StatusCode.UNSET;
  public String statusMessage;
  /** The commands a key-event carrier lists ({@code retention.key-events}); 0 for every other span. */
  public int keyEvents;

  private final AttributeSlots attributes = new AttributeSlots();
  private List<EventData> events = Collections.emptyList();
  /** The {@link LinesEvent}s this record has held, reused: {@link #linesEventsUsed} of them are in {@link #events}. */
  private final List<LinesEvent> linesEvents = new ArrayList<>();
  private int linesEventsUsed;
  /** Span links (a model call's links to the memory reads in its prompt); rare, so in the SDK's shape. */
  private List<LinkData> links = Collections.emptyList();

  public void reset() {
    attributes.clear();
    name = null;
    statusCode = StatusCode.UNSET;
    statusMessage = null;
    events = Collections.emptyList();
    linesEventsUsed = 0;
    links = Collections.emptyList();
    parentSpanId = 0;
    otelParent = false;
    keyEvents = 0;
  }

  public SpanRecord put(AttributeKey<String> key, String value) {
    return put(key.getKey(), value);
  }

  public SpanRecord put(AttributeKey<Long> key, long value) {
    return put(key.getKey(), value);
  }

  public SpanRecord put(AttributeKey<Boolean> key, boolean value) {
    return put(key.getKey(), value);
  }

  public SpanRecord put(AttributeKey<Double> key, double value) {
    return put(key.getKey(), value);
  }

  /** Sets a string attribute; a null value sets nothing. */
  public SpanRecord put(String key, String value) {
    attributes.put(key, value);
    return this;
  }

  /**
   * A string attribute given as UTF-8: the first {@code length} bytes of {@code value}, which must
   * be valid UTF-8 (see {@code Utf8Text}). They are copied, so the caller may reuse its buffer; a
   * value longer than {@link AttributeSlots#MAX_KEPT_UTF8} is kept as a String.
   */
  public SpanRecord putUtf8(AttributeKey<String> key, byte[] value, int length) {
    attributes.putUtf8(key.getKey(), value, length);
    return this;
  }

  public SpanRecord put(String key, long value) {
    attributes.put(key, AttributeSlots.LONG, value);
    return this;
  }

  public SpanRecord put(String key, boolean value) {
    attributes.put(key, AttributeSlots.BOOLEAN, value ? 1 : 0);
    return this;
  }

  public SpanRecord put(String key, double value) {
    attributes.put(key, AttributeSlots.DOUBLE, Double.doubleToRawLongBits(value));
    return this;
  }

  /** Adds an event; events are rare (errors, memory spans), so they keep the SDK's shape. */
  public void addEvent(EventData event) {
    if (events.isEmpty()) {
      events = new ArrayList<>(2);
    }
    events.add(event);
  }

  /**
   * Adds an event whose attributes are {@code place}'s and then {@code textKey} with the first {@code length} bytes of
   * {@code utf8} as its text, copied into a {@link LinesEvent} this record owns and reuses.
   */
  public void addLinesEvent(long epochNanos, String name, Attributes place, AttributeKey<String> textKey, byte[] utf8,
      int length) {
    if (linesEventsUsed == linesEvents.size()) {
      linesEvents.add(new LinesEvent());
    }
    LinesEvent event = linesEvents.get(linesEventsUsed++);
    event.set(epochNanos, name, place, textKey, utf8, length);
    addEvent(event);
  }

  /** Adds a span link. */
  public void addLink(LinkData link) {
    if (links.isEmpty()) {
      links = new ArrayList<>(2);
    }
    links.add(link);
  }

  public List<LinkData> links() {
    return links;
  }

  public void status(StatusCode code, String message) {
    statusCode = code;
    statusMessage = message;
  }

  /** The attributes as the record holds them, slot by slot. */
  public AttributeSlots slots() {
    return attributes;
  }

  public long traceIdHigh() {
    return traceIdHigh;
  }

  public long traceIdLow() {
    return traceIdLow;
  }

  public long spanId() {
    return spanId;
  }

  /** 0 for a root span. */
  public long parentSpanId() {
    return parentSpanId;
  }

  public String name() {
    return name;
  }

  public SpanKind kind() {
    return kind;
  }

  public InstrumentationScopeInfo scope() {
    return scope;
  }

  public Resource resource() {
    return resource;
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long endEpochNanos() {
    return endEpochNanos;
  }

  public StatusCode statusCode() {
    return statusCode;
  }

  /** The status description, or {@code null}. */
  public String statusMessage() {
    return statusMessage;
  }

  public List<EventData> events() {
    return events;
  }

  /** The attributes as the SDK's {@link Attributes} (for the events' own, see {@link #events()}). */
  public Attributes attributes() {
    return attributes.toAttributes();
  }

  /** A self-contained copy in the SDK's shape, for exporters that take {@link SpanData}. */
  public SpanData toSpanData() {
    return MemtraceSpanData.copyOf(this);
  }
}
