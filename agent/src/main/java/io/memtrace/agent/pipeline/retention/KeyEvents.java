package io.memtrace.agent.pipeline.retention;

import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_KEY_EVENTS;

import io.memtrace.agent.span.SpanRecord;
import io.memtrace.common.KeyEventLines;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.List;

/**
 * The key events of compressed Redis commands (issue 77, ADR 0004): what each command that names a key would have
 * said of its key on its span (the key as shown under the redaction rules, namespace, database, server, value bytes,
 * TTL, found, the keys a DEL removed), with its own trace, span and parent ids, end and duration; never a value.
 * They travel in a {@code memtrace.key_events} span, kind INTERNAL, a root of its own trace, of up to
 * {@link #PER_SPAN} commands, which the consumer writes into its batch when it is full or when the consumer is idle.
 * Its events are one per connection ({@code server.address}, {@code server.port}, {@code db.namespace}, said once
 * on the event), named {@code memtrace.commands}, each listing its commands in a {@code memtrace.commands}
 * attribute ({@link KeyEventLines}: the form, about a fifth of a full span's bytes); a connection's compressed
 * pipelines and transactions, each with the commands its kept span would list, in a {@code memtrace.batches} event
 * ({@link KeyEventGroups}). A command whose key is at hand as its bytes is written here; one whose key facts are
 * attributes (a redacted or non-ASCII key), and a batch's commands, by {@link AttributeLines}. Consumer thread only.
 */
public final class KeyEvents {

  /** Commands per carrier span: a few tens of KB on the wire, well under any collector's request limit. */
  public static final int PER_SPAN = 512;
  /** Events (connections) per carrier span, past which it is written. */
  static final int GROUPS = 64;

  private final SpanRecord command = new SpanRecord();
  private final KeyEventGroups groups = new KeyEventGroups();
  private int commands;
  private Resource resource;
  private InstrumentationScopeInfo scope;
  private long first = Long.MAX_VALUE;
  private long last = Long.MIN_VALUE;

  /**
   * What a compressed command's key event says beyond its span's header ({@link #header}), filled by the span factory
   * from what it already holds and handed to {@link #add(Command)}, which writes its line straight from it: no span
   * attributes are built for it. Reused; consumer thread only.
   */
  public static final class Command {
    /** The connection's {@code server.address} (null: none, and no port), {@code server.port}, {@code db.namespace}. */
    public String address;
    public long port;
    public String database;
    /** The key's first {@code keyLength} bytes, ASCII and shown as they are (no redaction rule matched). */
    public byte[] key;
    public int keyLength;
    /** How many of the key's first bytes are its {@code memory.namespace}; -1: it has none. */
    public int namespaceLength;
    /** {@code memory.value_size}, {@code memory.ttl}, {@code memory.result_count}; -1: the span would not say. */
    public long valueSize;
    public long ttl;
    public long resultCount;
    /** {@code memory.found}: 1 or 0; -1: the span would not say. */
    public int found;
  }

  private final Command next = new Command();

  /**
   * Copies the header of a command's span ({@code span}: ids, name, times, resource, scope) into this buffer's own
   * record, so that what retention writes into {@code span} afterwards (an interval's summary) does not change the
   * event; the caller then fills in the command this returns and hands it to {@link #add(Command)}, or gives
   * {@link #record()} the attributes the span would have and hands that to {@link #add(SpanRecord)}.
   */
  public Command header(SpanRecord span) {
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
    return next;
  }

  /**
   * The record {@link #header} wrote, for the attributes of the command's span: the way for a key that is redacted,
   * not ASCII, or whose namespace is not its prefix, and for a batch.
   */
  public SpanRecord record() {
    return command;
  }

  /**
   * A compressed command whose key is shown as its ASCII bytes joins its connection's event: its line written
   * straight from {@code c} and the header, the same bytes {@link #add(SpanRecord)} writes from its span's attributes.
   */
  public void add(Command c) {
    SpanRecord h = command;
    long end = h.endEpochNanos;
    groups.of(c.address, c.port, c.database).lines
        .command(h.name, end, end - h.startEpochNanos, h.spanId, h.traceIdHigh, h.traceIdLow, h.parentSpanId)
        .attributes(c.namespaceLength, c.valueSize, c.found, c.ttl, c.resultCount)
        .key(c.key, c.keyLength)
        .end();
    added(h.startEpochNanos, end, h.resource, h.scope, 1);
  }

  /** The command in {@link #record()}, with its connection and key attributes, joins its event. */
  public void add(SpanRecord command) {
    if (AttributeLines.command(groups, command)) {
      added(command.startEpochNanos, command.endEpochNanos, command.resource, command.scope, 1);
    }
  }

  /**
   * A pipeline or transaction compressed as a whole: the batch span in {@link #record()}, with its
   * connection's attributes, and {@code events}, the {@code memtrace.batch.command} events its span was given
   * (one per command that names a key and is not a read, saying what that command's span would of its key), go
   * out as the batch and its commands ({@link KeyEventLines#BATCHES}). A batch that lists no command sends nothing.
   */
  public void addBatch(SpanRecord batch, List<EventData> events) {
    int listed = AttributeLines.batch(groups, batch, events);
    if (listed > 0) {
      added(batch.startEpochNanos, batch.endEpochNanos, batch.resource, batch.scope, listed);
    }
  }

  private void added(long start, long end, Resource resource, InstrumentationScopeInfo scope, int count) {
    commands += count;
    this.resource = resource;
    this.scope = scope;
    first = Math.min(first, start);
    last = Math.max(last, end);
  }

  /** Whether a carrier span is full and should be written now. */
  public boolean full() {
    return commands >= PER_SPAN || groups.size() >= GROUPS;
  }

  /** Whether any event waits for a carrier span. */
  public boolean pending() {
    return commands > 0;
  }

  /**
   * What a carrier of {@code commands} weighs in a batch, in spans: a key event is about a quarter of a full span's
   * bytes (0.22 measured, KeyEventBytesTest), so a full carrier weighs 128 and a batch of the default 512 holds four.
   */
  public static int spanWeight(int commands) {
    return Math.max(1, (commands + 3) / 4);
  }

  /**
   * Writes the events that wait into {@code record} (which it resets), as one carrier span, and forgets them; returns
   * how many commands it holds.
   */
  public int writeTo(SpanRecord record) {
    OwnRootSpan.begin(record, MEMTRACE_KEY_EVENTS, resource, scope, first, Math.max(first, last));
    groups.writeTo(record);
    int written = commands;
    record.keyEvents = written;
    commands = 0;
    first = Long.MAX_VALUE;
    last = Long.MIN_VALUE;
    return written;
  }
}
