package io.memtrace.agent.pipeline.retention;

import static io.memtrace.agent.semconv.AttributeNames.DB_OPERATION_NAME;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_KEY;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_NAMESPACE;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_RESULT_COUNT;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_TTL;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_VALUE_SIZE;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_BATCH_COMMAND;

import io.memtrace.agent.semconv.AttributeNames;
import io.memtrace.agent.span.AttributeSlots;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.agent.util.Utf8Text;
import io.memtrace.common.KeyEventLineWriter;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.List;

/**
 * The lines of {@link KeyEvents} written from attributes, where a command's key facts are not at hand as bytes: a
 * command's span record (its key redacted, not ASCII, or with a namespace that is not its prefix), and the
 * {@code memtrace.batch.command} events of a pipeline's or transaction's span. They write the same line as {@link
 * KeyEvents#add(KeyEvents.Command)} does for the same command, in {@link io.memtrace.common.KeyEventLines}' form; a
 * namespace that is not the key's prefix goes after the key. Consumer thread only.
 */
final class AttributeLines {

  // the command span attributes a key event keeps, spelled by AttributeNames
  private static final String KEY = AttributeNames.MEMORY_KEY.getKey();
  private static final String NAMESPACE = AttributeNames.MEMORY_NAMESPACE.getKey();
  private static final String VALUE_SIZE = AttributeNames.MEMORY_VALUE_SIZE.getKey();
  private static final String TTL = AttributeNames.MEMORY_TTL.getKey();
  private static final String FOUND = AttributeNames.MEMORY_FOUND.getKey();
  private static final String RESULT_COUNT = AttributeNames.MEMORY_RESULT_COUNT.getKey();

  private AttributeLines() {
  }

  /**
   * Writes the line of {@code command}, a command's span header with its connection and key attributes, into its
   * connection's group; false, writing nothing, when it names no key.
   */
  static boolean command(KeyEventGroups groups, SpanRecord command) {
    AttributeSlots s = command.slots();
    long size = -1;
    long ttl = -1;
    long removed = -1;
    int found = -1;
    int key = -1;
    int namespace = -1;
    for (int i = 0, n = s.count(); i < n; i++) {
      // the names come from AttributeNames, the one place that spells them; the connection's are KeyEventGroups',
      // and any other attribute (the replica mark) is not a key's, and never read from a key event
      String name = s.key(i);
      if (name.equals(KEY)) {
        key = i;
      } else if (name.equals(NAMESPACE)) {
        namespace = i;
      } else if (name.equals(VALUE_SIZE)) {
        size = s.longValue(i);
      } else if (name.equals(TTL)) {
        ttl = s.longValue(i);
      } else if (name.equals(FOUND)) {
        found = s.booleanValue(i) ? 1 : 0;
      } else if (name.equals(RESULT_COUNT)) {
        removed = s.longValue(i);
      }
    }
    if (key < 0) {
      return false;
    }
    KeyEventGroups.Group group = groups.of(s);
    long end = command.endEpochNanos;
    group.lines.command(command.name, end, end - command.startEpochNanos, command.spanId, command.traceIdHigh,
        command.traceIdLow, command.parentSpanId);
    boolean asciiKey = s.type(key) == AttributeSlots.UTF8 && Utf8Text.isAscii(s.utf8Bytes(key), s.utf8Length(key));
    int prefix = namespace < 0 ? -1 : prefix(s, key, asciiKey, namespace);
    group.lines.attributes(prefix, size, found, ttl, removed);
    if (asciiKey) {
      group.lines.key(s.utf8Bytes(key), s.utf8Length(key));
    } else {
      group.lines.key(s.stringValue(key));
    }
    if (prefix == -2) {
      group.lines.namespace(s.stringValue(namespace));
    }
    group.lines.end();
    return true;
  }

  /**
   * Writes the lines of a pipeline or transaction compressed as a whole into its connection's group: the batch span's
   * line ({@code batch}, its header with its connection's attributes), then a line for each of {@code events} that is
   * a {@code memtrace.batch.command} event, from what the event says of its command's key. Returns how many commands
   * it wrote; none, and no line, when the batch lists none.
   */
  static int batch(KeyEventGroups groups, SpanRecord batch, List<EventData> events) {
    int listed = 0;
    for (EventData e : events) {
      listed += e.getName().equals(MEMTRACE_BATCH_COMMAND) ? 1 : 0;
    }
    if (listed == 0) {
      return 0;
    }
    KeyEventLineWriter lines = groups.of(batch.slots()).batches;
    long end = batch.endEpochNanos;
    lines.batch(batch.name, end, end - batch.startEpochNanos, batch.spanId, batch.traceIdHigh, batch.traceIdLow,
        batch.parentSpanId);
    for (EventData e : events) {
      if (!e.getName().equals(MEMTRACE_BATCH_COMMAND)) {
        continue;
      }
      Attributes a = e.getAttributes();
      String key = a.get(MEMORY_KEY);
      String namespace = a.get(MEMORY_NAMESPACE);
      int prefix = namespace == null ? -1 : prefix(key, namespace);
      lines.batchCommand(a.get(DB_OPERATION_NAME))
          .attributes(prefix, orNone(a.get(MEMORY_VALUE_SIZE)), -1, orNone(a.get(MEMORY_TTL)),
              orNone(a.get(MEMORY_RESULT_COUNT)))
          .key(key);
      if (prefix == -2) {
        lines.namespace(namespace);
      }
      lines.end();
    }
    return listed;
  }

  private static long orNone(Long value) {
    return value == null ? -1 : value;
  }

  /** The namespace's length when it is the key's prefix (in UTF-8 bytes), else -2: it goes after the key. */
  private static int prefix(AttributeSlots s, int key, boolean asciiKey, int namespace) {
    if (asciiKey && s.type(namespace) == AttributeSlots.UTF8) {
      byte[] k = s.utf8Bytes(key);
      byte[] ns = s.utf8Bytes(namespace);
      int length = s.utf8Length(namespace);
      if (length > s.utf8Length(key)) {
        return -2;
      }
      for (int i = 0; i < length; i++) {
        if (k[i] != ns[i]) {
          return -2;
        }
      }
      return length;
    }
    return prefix(s.stringValue(key), s.stringValue(namespace));
  }

  /** {@link #prefix(AttributeSlots, int, boolean, int)} of a key and namespace as text. */
  private static int prefix(String key, String ns) {
    boolean whole = ns.isEmpty() || !Character.isHighSurrogate(ns.charAt(ns.length() - 1)); // no pair cut in two
    return whole && key.startsWith(ns) ? Utf8Text.encodedLength(ns) : -2;
  }
}
