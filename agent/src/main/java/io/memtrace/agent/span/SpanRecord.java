package io.memtrace.agent.span;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
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
 * parallel arrays (numbers unboxed), a key set twice keeps its last value, as
 * {@code AttributesBuilder} does, and nothing is allocated once the arrays have grown to the
 * widest span seen.
 */
public final class SpanRecord {

  public static final byte STRING = 0;
  public static final byte LONG = 1;
  public static final byte DOUBLE = 2;
  public static final byte BOOLEAN = 3;
  /** A string held as UTF-8 bytes in the record ({@link #utf8Bytes}), written to OTLP as they are. */
  public static final byte UTF8 = 4;

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

  private int attributeCount;
  private String[] keys = new String[16];
  private int[] hashes = new int[16];
  private byte[] types = new byte[16];
  private long[] numbers = new long[16];
  private String[] strings = new String[16];
  /**
   * Longest {@link #UTF8} value kept as bytes (the query text is cut at 1024 bytes; keys are not):
   * with up to three such attributes in each of a batch's 512 records, the buffers stay under
   * 2 MB whatever the application's keys look like. Longer values are held as a String.
   */
  public static final int MAX_KEPT_UTF8 = 1024;
  /** Per attribute slot, a buffer the slot keeps across spans for {@link #UTF8} values. */
  private byte[][] utf8 = new byte[16][];
  private int[] utf8Lengths = new int[16];

  private List<EventData> events = Collections.emptyList();
  /** Span links (a model call's links to the memory reads in its prompt); rare, so in the SDK's shape. */
  private List<LinkData> links = Collections.emptyList();

  public void reset() {
    for (int i = 0; i < attributeCount; i++) {
      strings[i] = null;
    }
    attributeCount = 0;
    name = null;
    statusCode = StatusCode.UNSET;
    statusMessage = null;
    events = Collections.emptyList();
    links = Collections.emptyList();
    parentSpanId = 0;
    otelParent = false;
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

  public SpanRecord put(String key, String value) {
    if (value != null) {
      int i = slot(key);
      types[i] = STRING;
      strings[i] = value;
    }
    return this;
  }

  /**
   * A string attribute given as UTF-8: the first {@code length} bytes of {@code value}, which must
   * be valid UTF-8 (see {@code Utf8Text}). They are copied, so the caller may reuse its buffer.
   */
  public SpanRecord putUtf8(AttributeKey<String> key, byte[] value, int length) {
    if (length > MAX_KEPT_UTF8) {
      // a huge key must not leave a buffer that size in every record of the batch for good
      return put(key.getKey(), new String(value, 0, length, StandardCharsets.UTF_8));
    }
    int i = slot(key.getKey());
    types[i] = UTF8;
    strings[i] = null;
    byte[] into = utf8[i];
    if (into == null || into.length < length) {
      into = utf8[i] = new byte[Math.max(length, 64)];
    }
    System.arraycopy(value, 0, into, 0, length);
    utf8Lengths[i] = length;
    return this;
  }

  public SpanRecord put(String key, long value) {
    int i = slot(key);
    types[i] = LONG;
    numbers[i] = value;
    strings[i] = null;
    return this;
  }

  public SpanRecord put(String key, boolean value) {
    int i = slot(key);
    types[i] = BOOLEAN;
    numbers[i] = value ? 1 : 0;
    strings[i] = null;
    return this;
  }

  public SpanRecord put(String key, double value) {
    int i = slot(key);
    types[i] = DOUBLE;
    numbers[i] = Double.doubleToRawLongBits(value);
    strings[i] = null;
    return this;
  }

  /** Adds an event; events are rare (errors, memory spans), so they keep the SDK's shape. */
  public void addEvent(EventData event) {
    if (events.isEmpty()) {
      events = new ArrayList<>(2);
    }
    events.add(event);
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

  private int slot(String key) {
    int hash = key.hashCode(); // cached by String: comparing hashes first keeps this scan cheap
    for (int i = 0; i < attributeCount; i++) {
      String k = keys[i];
      if (k == key || (hashes[i] == hash && k.equals(key))) {
        return i;
      }
    }
    if (attributeCount == keys.length) {
      int n = keys.length * 2;
      keys = java.util.Arrays.copyOf(keys, n);
      hashes = java.util.Arrays.copyOf(hashes, n);
      types = java.util.Arrays.copyOf(types, n);
      numbers = java.util.Arrays.copyOf(numbers, n);
      strings = java.util.Arrays.copyOf(strings, n);
      utf8 = java.util.Arrays.copyOf(utf8, n);
      utf8Lengths = java.util.Arrays.copyOf(utf8Lengths, n);
    }
    keys[attributeCount] = key;
    hashes[attributeCount] = hash;
    return attributeCount++;
  }

  public int attributeCount() {
    return attributeCount;
  }

  public String key(int i) {
    return keys[i];
  }

  public byte type(int i) {
    return types[i];
  }

  /** A {@link #STRING} value, or a {@link #UTF8} one decoded (which allocates). */
  public String stringValue(int i) {
    return types[i] == UTF8 ? new String(utf8[i], 0, utf8Lengths[i], StandardCharsets.UTF_8) : strings[i];
  }

  /** The bytes of a {@link #UTF8} value: the first {@link #utf8Length} of them. */
  public byte[] utf8Bytes(int i) {
    return utf8[i];
  }

  public int utf8Length(int i) {
    return utf8Lengths[i];
  }

  public long longValue(int i) {
    return numbers[i];
  }

  public double doubleValue(int i) {
    return Double.longBitsToDouble(numbers[i]);
  }

  public boolean booleanValue(int i) {
    return numbers[i] != 0;
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
    AttributesBuilder b = Attributes.builder();
    for (int i = 0; i < attributeCount; i++) {
      switch (types[i]) {
        case LONG:
          b.put(AttributeKey.longKey(keys[i]), numbers[i]);
          break;
        case DOUBLE:
          b.put(AttributeKey.doubleKey(keys[i]), doubleValue(i));
          break;
        case BOOLEAN:
          b.put(AttributeKey.booleanKey(keys[i]), numbers[i] != 0);
          break;
        default:
          b.put(AttributeKey.stringKey(keys[i]), stringValue(i));
      }
    }
    return b.build();
  }

  /** A self-contained copy in the SDK's shape, for exporters that take {@link SpanData}. */
  public SpanData toSpanData() {
    return MemtraceSpanData.copyOf(this);
  }
}
