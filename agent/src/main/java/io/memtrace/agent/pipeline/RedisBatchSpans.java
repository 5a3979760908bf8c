package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.DB_OPERATION_BATCH_SIZE;
import static io.memtrace.agent.semconv.AttributeNames.DB_OPERATION_NAME;
import static io.memtrace.agent.semconv.AttributeNames.DB_QUERY_TEXT;
import static io.memtrace.agent.semconv.AttributeNames.DB_SYSTEM_NAME;

import io.memtrace.agent.bootstrap.RedisBatch;
import io.memtrace.agent.metrics.MemoryMetrics;
import io.memtrace.agent.pipeline.retention.KeyEvents;
import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.redis.BatchSummary;
import io.memtrace.agent.redis.CommandDecoder;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the span of a pipeline or transaction, one ring event for the whole batch, for {@link RedisSpanFactory}: its
 * name and query text from its commands ({@link BatchSummary}), an event for each command that changes a key ({@link
 * BatchKeyEvents}) and the values it wrote when they are captured ({@link BatchValueEvents}); compressed with key
 * events on, the key events that stand for it. Consumer thread only; it shares the factory's decoder, what the
 * factory follows of each connection, and of each connection's WATCH.
 */
final class RedisBatchSpans {

  private final CommandDecoder decoder;
  private final KeyPolicy keys;
  private final SpanFactorySupport support;
  private final ConnectionAttributes connections;
  private final BatchValueEvents batchValues;
  private final MemoryMetrics metrics;
  /** The arguments of the command being read, and what they say; both reused. */
  private final List<byte[]> args = new ArrayList<>(16);
  private final RedisCommandInfo info = RedisCommandInfo.reusable();
  private final BatchSummary batchSummary = new BatchSummary();
  private final BatchKeyEvents batchKeys;
  /** A batch's command names and the replies known of each, reused ({@link BatchKeyEvents#replies}). */
  private final Object[] batchNames = new Object[RedisBatch.CAPACITY];
  /** Whether the batch {@link #writeBatch} wrote last holds a command that changes a whole database. */
  private boolean batchChangesWholeDatabase;
  private final Object[] batchReplies = new Object[RedisBatch.CAPACITY];

  RedisBatchSpans(CommandDecoder decoder, KeyPolicy keys, SpanFactorySupport support, ConnectionAttributes connections,
      BatchValueEvents batchValues, MemoryMetrics metrics) {
    this.decoder = decoder;
    this.keys = keys;
    this.batchKeys = new BatchKeyEvents(keys);
    this.support = support;
    this.connections = connections;
    this.batchValues = batchValues;
    this.metrics = metrics;
  }

  /** {@link RedisSpanFactory#batch(SpanEvent, SpanRecord, Retention)}. */
  boolean batch(SpanEvent event, SpanRecord record, Retention retention) {
    boolean listed = writeBatch(event, record);
    KeyEvents keyEvents = retention.keyEvents();
    if (keyEvents == null) {
      return retention.admit(record, batchChangesWholeDatabase);
    }
    keyEvents.header(record); // before a summary may take the record
    SpanRecord keyed = keyEvents.record();
    connections.put(keyed, event);
    List<EventData> commands = record.events(); // a summary written into the record is given a list of its own
    int decided = retention.decideWritten(record, listed && event.batchOverflow == 0, batchChangesWholeDatabase);
    if (decided == Retention.KEPT) {
      return true;
    }
    keyEvents.addBatch(keyed, commands);
    return decided == Retention.SUMMARY;
  }

  /**
   * Writes the span of a pipeline or transaction into {@code record}; whether its span lists every recorded command
   * that changed a key.
   */
  boolean writeBatch(SpanEvent event, SpanRecord record) {
    String method = event.batchMethod == null ? "sync" : event.batchMethod;
    boolean transaction = method.startsWith("exec") || method.startsWith("discard");
    BatchSummary summary = batchSummary.reset(transaction);
    batchChangesWholeDatabase = false;
    for (int i = 0; i < event.batchRecorded; i++) {
      RedisCommandInfo command = info.parse(decoder.decode(event.batchCommands[i], event.batchArguments[i], args));
      summary.add(command, keys);
      batchNames[i] = command.name();
      batchChangesWholeDatabase |= RedisSpanFactory.changesWholeDatabase(command.name());
    }
    summary.notRecorded(event.batchOverflow);
    String name = summary.name();
    SpanRecord attrs = support.begin(record, event, name, SpanKind.CLIENT)
        .put(DB_SYSTEM_NAME, "redis")
        .put(DB_OPERATION_NAME, name);
    if (summary.hasBatchSize()) {
      attrs.put(DB_OPERATION_BATCH_SIZE, summary.size());
    }
    String text = summary.queryText();
    if (text != null) {
      attrs.put(DB_QUERY_TEXT, text);
    }
    connections.put(attrs, event);
    boolean listed = batchKeyEvents(event, attrs, transaction, method);
    batchValues.add(event, attrs, decoder, info, args);
    if (metrics != null) {
      metrics.redisCommand(name, event.error == null ? null : RedisErrorCodes.errorType(event.error),
          (event.endNanos - event.startNanos) / 1e9, -1, null);
    }
    RedisErrorCodes.markFailed(support, event, attrs, event.error);
    return listed;
  }

  /**
   * The batch's {@link BatchKeyEvents}: none for a discarded transaction, nor for one whose EXEC's reply is not the
   * array of its commands' replies (WATCH aborted it, or it was not recorded): what ran is then not known.
   *
   * @return whether the events are all the batch changed: not for a transaction whose EXEC's reply is not its
   *     commands' replies
   */
  private boolean batchKeyEvents(SpanEvent event, SpanRecord attrs, boolean transaction, String method) {
    if (method.startsWith("discard")) {
      return true; // nothing ran
    }
    BatchKeyEvents.replies(batchNames, event.batchReplies, event.batchRecorded, transaction, batchReplies);
    boolean ran = !transaction;
    for (int i = 0; i < event.batchRecorded && !ran; i++) {
      ran = "EXEC".equals(batchNames[i]) && event.batchReplies != null && event.batchReplies[i] instanceof List;
    }
    for (int i = 0; ran && i < event.batchRecorded; i++) {
      RedisCommandInfo command = info.parse(decoder.decode(event.batchCommands[i], event.batchArguments[i], args));
      batchKeys.add(command, batchReplies[i], attrs);
    }
    Arrays.fill(batchNames, null);
    Arrays.fill(batchReplies, null);
    // a transaction whose EXEC did not reply with its commands' replies: WATCH aborted it (nothing ran), or its reply
    // was not recorded; a ring slot's reply array does not tell them apart, so neither is complete
    return ran;
  }
}
