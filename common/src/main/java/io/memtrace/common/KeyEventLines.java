package io.memtrace.common;

import java.util.List;

/**
 * The text of a key event's {@code memtrace.commands} attribute (ADR 0004): the compressed commands sent on one
 * connection, one line each, written by the agent and read by the collector. What the event itself holds once
 * ({@code server.address}, {@code server.port}, {@code db.namespace}, the first command's end as its time) no line
 * repeats. A line, {@code '\n'}-terminated:
 *
 * <pre>
 * end duration span-id context name key-attributes key-length:key[ namespace-length:namespace]
 * </pre>
 *
 * <ul>
 *   <li>{@code end}: nanoseconds after the previous line's end (the first line's after the event's time, so 0),
 *       signed decimal; {@code duration}: nanoseconds, decimal;</li>
 *   <li>{@code span-id}: 8 bytes as unpadded base64url (11 characters);</li>
 *   <li>{@code context}: empty when trace and parent are the previous line's; else the trace id, 16 bytes as
 *       unpadded base64url (22 characters), followed by {@code .} and the parent span id when there is one;</li>
 *   <li>{@code name}: the command's, as its span's name, written as it is when it is letters, digits and
 *       {@code _.|-} not starting with a digit, else as {@code length:name};</li>
 *   <li>{@code key-attributes}: {@code namespace,value_size,found,ttl,result_count}, each empty when the span would
 *       not have it, trailing commas left out; {@code namespace} is the length in UTF-8 bytes of the key's prefix
 *       that is {@code memory.namespace}, or {@code *} when the namespace follows the key; {@code found} 1 or 0;</li>
 *   <li>the key, and a namespace that is not the key's prefix, as their length in UTF-8 bytes, {@code :} and the
 *       text, so that a key may hold any character.</li>
 * </ul>
 *
 * <p>Pipelines and transactions compressed as a whole go in a {@code memtrace.batches} attribute of an event of
 * their own (same connection attributes), so that a collector that knows only single commands leaves them out as
 * a malformed event rather than reading them as commands. A batch is its span's line, with the span's name
 * ({@code PIPELINE SET}, {@code MULTI}) and no key, then a line for each of its commands that the batch span lists
 * as a {@code memtrace.batch.command} event (one that names a key and is not a read), in order:
 *
 * <pre>
 * end duration span-id context name
 * + name key-attributes key-length:key[ namespace-length:namespace]
 * </pre>
 *
 * <p>The agent writes the lines with a {@link KeyEventLineWriter}; the collector reads them with {@link #read} and
 * {@link #readBatches}.
 */
public final class KeyEventLines {

  /** The event attribute holding the lines. */
  public static final String ATTRIBUTE = "memtrace.commands";
  /** The event attribute (and the event's name) holding the lines of compressed pipelines and transactions. */
  public static final String BATCHES = "memtrace.batches";

  private KeyEventLines() {
  }

  /** One command of an event, as read; a field the command's span would not have is null. */
  public static final class Line {
    public final String name;
    public final long end;
    public final long duration;
    public final String spanId;
    public final String traceId;
    public final String parentSpanId;
    public final String key;
    public final String namespace;
    public final Long valueSize;
    public final Boolean found;
    public final Long ttl;
    public final Long resultCount;

    Line(String name, long end, long duration, String spanId, String traceId, String parentSpanId, String key, String namespace,
        Long valueSize, Boolean found, Long ttl, Long resultCount) {
      this.name = name;
      this.end = end;
      this.duration = duration;
      this.spanId = spanId;
      this.traceId = traceId;
      this.parentSpanId = parentSpanId;
      this.key = key;
      this.namespace = namespace;
      this.valueSize = valueSize;
      this.found = found;
      this.ttl = ttl;
      this.resultCount = resultCount;
    }

    /** The line's key facts as the attributes a span of the command carries ({@code memory.key}, …), those it has. */
    public java.util.Map<String, Object> attributes() {
      java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("memory.key", key);
      String[] names = {"memory.namespace", "memory.value_size", "memory.found", "memory.ttl", "memory.result_count"};
      Object[] values = {namespace, valueSize, found, ttl, resultCount};
      for (int i = 0; i < names.length; i++) {
        if (values[i] != null) {
          out.put(names[i], values[i]);
        }
      }
      return out;
    }
  }

  /** A pipeline or transaction of a {@link #BATCHES} event: its span, and the commands its span lists. */
  public static final class Batch {
    /** The batch span's name, times and ids; its {@code key} and key attributes are null. */
    public final Line span;
    /** Its commands, each with the batch's ids and times. */
    public final List<Line> commands;

    Batch(Line span, List<Line> commands) {
      this.span = span;
      this.commands = commands;
    }
  }

  /**
   * The batches in {@code text}, the {@link #BATCHES} lines of an event at {@code time}; ids as lowercase hex.
   *
   * @throws IllegalArgumentException naming what is wrong, when a line does not follow the form
   */
  public static List<Batch> readBatches(String text, long time) {
    return KeyEventLineReader.readBatches(text, time);
  }

  /**
   * The commands in {@code text}, the lines of an event at {@code time}; ids as lowercase hex.
   *
   * @throws IllegalArgumentException naming what is wrong, when a line does not follow the form (or its first line
   *     has no context)
   */
  public static List<Line> read(String text, long time) {
    return KeyEventLineReader.read(text, time);
  }
}
