package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.DB_OPERATION_NAME;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_KEY;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_NAMESPACE;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_RESULT_COUNT;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_TTL;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_VALUE_SIZE;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_BATCH_COMMAND;

import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.redis.RedisReply;
import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.List;

/**
 * The {@code memtrace.batch.command} events of a pipeline's or transaction's span: one per recorded command that names
 * a key and is not a read, in command order, timed at the batch's end, with what the command's own span would have
 * said of its key ({@code db.operation.name}, {@code memory.key} as shown under the redaction rules,
 * {@code memory.namespace}, {@code memory.value_size} written, {@code memory.ttl} set, and {@code memory.result_count}
 * for a DEL or UNLINK whose reply was read: a pipeline's own, a transaction's from its {@code EXEC}). So lineage and
 * the timelines see the batch's writes and deletes of each key, where the span's name and text say only
 * {@code PIPELINE SET}. Never a value. Consumer thread only.
 */
final class BatchKeyEvents {

  private final KeyPolicy keys;

  BatchKeyEvents(KeyPolicy keys) {
    this.keys = keys;
  }

  /**
   * Adds the event of command {@code i} of the batch, parsed in {@code command}, to {@code attrs}; {@code reply} is
   * its reply when known (a count), else null.
   */
  void add(RedisCommandInfo command, Object reply, SpanRecord attrs) {
    if (command.isTransactionControl() || command.isRead() || command.firstKeyBytes() == null) {
      return;
    }
    String key = command.firstKeyShown(keys);
    if (key == null) {
      return; // keys not captured: the batch's span names none either
    }
    AttributesBuilder a = Attributes.builder().put(DB_OPERATION_NAME, command.name()).put(MEMORY_KEY, key);
    String namespace = command.firstKeyNamespace(keys);
    if (namespace != null) {
      a.put(MEMORY_NAMESPACE, namespace);
    }
    long size = command.isWrite() ? command.writtenBytes() : -1;
    if (size >= 0) {
      a.put(MEMORY_VALUE_SIZE, size);
    }
    long ttl = command.ttlSeconds();
    if (ttl >= 0) {
      a.put(MEMORY_TTL, ttl);
    }
    long removed = reply != null && command.isCountedDelete() ? RedisReply.count(reply) : -1;
    if (removed >= 0) {
      a.put(MEMORY_RESULT_COUNT, removed);
    }
    attrs.addEvent(EventData.create(attrs.endEpochNanos, MEMTRACE_BATCH_COMMAND, a.build()));
  }

  /**
   * The reply of each of the batch's {@code recorded} commands as far as it is known: a pipeline's are its
   * {@code replies}; a transaction's queued commands are answered by its {@code EXEC}'s array, in order, when that
   * was recorded and ran (an aborted transaction's EXEC replies nil). Written into {@code out}.
   */
  static void replies(Object[] commandNames, Object[] replies, int recorded, boolean transaction, Object[] out) {
    java.util.Arrays.fill(out, 0, recorded, null);
    if (replies == null) {
      return;
    }
    if (!transaction) {
      System.arraycopy(replies, 0, out, 0, recorded);
      return;
    }
    List<?> exec = null;
    for (int i = 0; i < recorded; i++) {
      if ("EXEC".equals(commandNames[i]) && replies[i] instanceof List) {
        exec = (List<?>) replies[i];
      }
    }
    if (exec == null) {
      return;
    }
    int queued = 0;
    for (int i = 0; i < recorded && queued < exec.size(); i++) {
      Object name = commandNames[i];
      if (!"MULTI".equals(name) && !"EXEC".equals(name) && !"DISCARD".equals(name)) {
        out[i] = exec.get(queued++);
      }
    }
  }
}
