package io.memtrace.agent.pipeline.retention;

import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_DURATION_NS;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_KEY_EVENTS;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_PARENT_SPAN_ID;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_SPAN_ID;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_TRACE_ID;

import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.ArrayList;
import java.util.List;

/**
 * The key events of compressed Redis commands (issue 77, ADR 0004): one span event per command that names a key,
 * named after the command, with what the command's span would have said of its key (the key as shown under the
 * redaction rules, namespace, database, server, value bytes, TTL, found) and the command's own trace, span and
 * parent ids, time and duration; never a value. They travel as the events of a {@code memtrace.key_events} span,
 * kind INTERNAL, a root of its own trace, of up to {@link #PER_SPAN} events, which the consumer writes into its
 * batch when it is full or when the consumer is idle. Consumer thread only.
 */
public final class KeyEvents {

  /** Events per carrier span: a few tens of KB on the wire, well under any collector's request limit. */
  public static final int PER_SPAN = 512;
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private final SpanRecord command = new SpanRecord();
  private final List<EventData> events = new ArrayList<>(PER_SPAN);
  private Resource resource;
  private InstrumentationScopeInfo scope;
  private long first = Long.MAX_VALUE;
  private long last = Long.MIN_VALUE;

  /**
   * Copies the header of a command's span ({@code span}: ids, name, times, resource, scope) into this buffer's own
   * record, which the caller then gives the command's key attributes and hands back to {@link #add}; so that what
   * retention writes into {@code span} afterwards (an interval's summary) does not change the event.
   */
  public SpanRecord header(SpanRecord span) {
    command.reset();
    command.traceIdHigh = span.traceIdHigh;
    command.traceIdLow = span.traceIdLow;
    command.spanId = span.spanId;
    command.parentSpanId = span.parentSpanId;
    command.name = span.name;
    command.resource = span.resource;
    command.scope = span.scope;
    command.startEpochNanos = span.startEpochNanos;
    command.endEpochNanos = span.endEpochNanos;
    return command;
  }

  /** The command in {@link #header}'s record, with its key attributes, becomes an event. */
  public void add(SpanRecord command) {
    AttributesBuilder b = command.attributes().toBuilder()
        .put(MEMTRACE_TRACE_ID, hex(command.traceIdHigh, command.traceIdLow))
        .put(MEMTRACE_SPAN_ID, hex(command.spanId))
        .put(MEMTRACE_DURATION_NS, Math.max(0, command.endEpochNanos - command.startEpochNanos));
    if (command.parentSpanId != 0) {
      b.put(MEMTRACE_PARENT_SPAN_ID, hex(command.parentSpanId));
    }
    events.add(EventData.create(command.endEpochNanos, command.name, b.build()));
    resource = command.resource;
    scope = command.scope;
    first = Math.min(first, command.startEpochNanos);
    last = Math.max(last, command.endEpochNanos);
  }

  /** Whether a carrier span is full and should be written now. */
  public boolean full() {
    return events.size() >= PER_SPAN;
  }

  /** Whether any event waits for a carrier span. */
  public boolean pending() {
    return !events.isEmpty();
  }

  /** Writes the events that wait into {@code record} (which it resets), as one carrier span, and forgets them. */
  public void writeTo(SpanRecord record) {
    OwnRootSpan.begin(record, MEMTRACE_KEY_EVENTS, resource, scope, first, Math.max(first, last));
    for (EventData event : events) {
      record.addEvent(event);
    }
    events.clear(); // the record holds its own list of them
    first = Long.MAX_VALUE;
    last = Long.MIN_VALUE;
  }

  /** The ids as lowercase hex, as OTLP/JSON and the stores spell them. */
  static String hex(long... ids) {
    char[] out = new char[16 * ids.length];
    for (int i = 0; i < ids.length; i++) {
      for (int d = 0; d < 16; d++) {
        out[i * 16 + d] = DIGITS[(int) (ids[i] >>> (60 - 4 * d)) & 0xf];
      }
    }
    return new String(out);
  }
}
