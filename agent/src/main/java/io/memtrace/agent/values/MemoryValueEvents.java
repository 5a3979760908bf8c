package io.memtrace.agent.values;

import io.memtrace.agent.span.SpanRecord;

/**
 * The {@code memory.value} event of a memory-manager call whose rule names its {@code value:} and that writes it
 * (its GenAI operation creates, updates or upserts): the value as a whole ({@code replace}), a String as
 * {@code string}, anything else as JSON ({@code object}). Read on the consumer thread, from the reference the call
 * was given: an application that changes the object after its store returns may be seen with the change.
 */
public final class MemoryValueEvents {

  private final ValueCapture capture;
  private final ValueEventWriter writer;

  public MemoryValueEvents(ValueCapture capture) {
    this.capture = capture;
    this.writer = new ValueEventWriter(Math.max(capture.maxBytes(), 16));
  }

  /**
   * Whether a call of GenAI operation {@code genAiOperation} writing {@code value} to {@code key} in {@code namespace}
   * (the rule's, or {@code null}) gets an event.
   */
  public boolean wanted(String genAiOperation, Object value, String key, Object namespace) {
    return !capture.isOff() && value != null && key != null && writes(genAiOperation)
        && capture.captures(key, namespace == null ? null : String.valueOf(namespace));
  }

  /** Adds the event; {@code namespace} is the rule's, or {@code null} for the key's by the namespace rule. */
  public void add(SpanRecord record, Object value, long epochNanos, String key, Object namespace) {
    String ns = namespace != null ? String.valueOf(namespace) : capture.namespaceOf(key);
    record.addEvent(writer.object(value, epochNanos, key, ns));
  }

  private static boolean writes(String genAiOperation) {
    return "upsert_memory".equals(genAiOperation) || "create_memory".equals(genAiOperation)
        || "update_memory".equals(genAiOperation);
  }
}
