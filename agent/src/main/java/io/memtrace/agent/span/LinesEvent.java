package io.memtrace.agent.span;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.EventData;
import java.nio.charset.StandardCharsets;

/**
 * An event of a {@link SpanRecord} whose last attribute is a long text held as UTF-8 bytes: a carrier's
 * {@code memtrace.commands} or {@code memtrace.batches} event, tens of KB of key-event lines. The OTLP encoder writes
 * the bytes as they are; {@link #getAttributes()} makes the text only for a reader in the SDK's shape (the console
 * and file exporters' copies, tests). Owned by its record and reused with it, so a carrier allocates no copy of its
 * lines: as a {@code String} they were two copies of every byte, about 140 bytes a compressed command, which added
 * two fifths to what the application's own Redis commands allocated (issue 77). Consumer thread only.
 */
public final class LinesEvent implements EventData {

  private long epochNanos;
  private String name;
  private Attributes place;
  private AttributeKey<String> textKey;
  private byte[] utf8 = new byte[0];
  private int length;

  /** Sets this event: {@code place}'s attributes, then {@code textKey} with the first {@code length} bytes of {@code text}. */
  void set(long epochNanos, String name, Attributes place, AttributeKey<String> textKey, byte[] text, int length) {
    this.epochNanos = epochNanos;
    this.name = name;
    this.place = place;
    this.textKey = textKey;
    if (utf8.length < length) {
      utf8 = new byte[Math.max(length, utf8.length * 2)];
    }
    System.arraycopy(text, 0, utf8, 0, length);
    this.length = length;
  }

  /** The attributes before the text. */
  public Attributes place() {
    return place;
  }

  public AttributeKey<String> textKey() {
    return textKey;
  }

  /** The text's UTF-8 bytes: the first {@link #utf8Length()}. */
  public byte[] utf8() {
    return utf8;
  }

  public int utf8Length() {
    return length;
  }

  /** A copy in the SDK's shape, which stays as it is when this record is reused. */
  public EventData copy() {
    return EventData.create(epochNanos, name, getAttributes());
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public Attributes getAttributes() {
    return place.toBuilder().put(textKey, new String(utf8, 0, length, StandardCharsets.UTF_8)).build();
  }

  @Override
  public long getEpochNanos() {
    return epochNanos;
  }

  @Override
  public int getTotalAttributeCount() {
    return place.size() + 1;
  }

  @Override
  public String toString() {
    return "LinesEvent{" + name + ", " + getAttributes() + "}";
  }
}
