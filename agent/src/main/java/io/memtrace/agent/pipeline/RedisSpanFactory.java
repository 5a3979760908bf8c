package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.*;

import io.memtrace.agent.fingerprint.ValueFingerprint;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.agent.redis.CommandDecoder;
import io.memtrace.agent.metrics.MemoryMetrics;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.redis.RedisReply;
import io.memtrace.agent.util.Utf8Text;
import io.memtrace.agent.values.RedisValueEvents;
import io.memtrace.agent.values.ValueCapture;
import io.memtrace.agent.pipeline.retention.KeyEvents;
import io.memtrace.agent.pipeline.retention.Retention;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds Redis spans from ring events, on the consumer thread only (its caches are not shared).
 * Attribute names follow the OpenTelemetry database conventions plus memtrace's {@code memory.*};
 * those of the connection come from {@link ConnectionAttributes}, those of the key (which a
 * compressed command's key event says too) from {@link RedisKeyAttributes}. The span of a
 * pipeline or transaction is built by {@link RedisBatchSpans}.
 */
public final class RedisSpanFactory {

  private final CommandDecoder decoder;
  private final KeyPolicy keys;
  /** The {@code memory.value} events of captured writes; off unless {@code capture.values} says. */
  private final RedisValueEvents valueEvents;
  private final BatchValueEvents batchValues;
  private final SpanFactorySupport support;
  private final ChildBytes childBytes;
  private final MemoryMetrics metrics;
  private final ConnectionAttributes connections = new ConnectionAttributes();
  private final RedisKeyAttributes keyAttributes;
  /** The arguments of the command being turned into a span, and what they say; both reused. */
  private final List<byte[]> args = new ArrayList<>(16);
  private final RedisCommandInfo info = RedisCommandInfo.reusable();
  private final RedisBatchSpans batches;
  /** {@code capture.fingerprints}: off until {@link #fingerprinting} says. */
  private final CommandFingerprints fingerprints = new CommandFingerprints();

  /**
   * @param decoder reads the command objects the client instrumentation captured (Jedis's for the
   *     Jedis spans, Lettuce's for the Lettuce spans: one factory per client)
   */
  public RedisSpanFactory(CommandDecoder decoder, KeyPolicy keys, ValueCapture values, SpanClock clock,
      Resource resource, InstrumentationScopeInfo scope, ChildBytes childBytes, MemoryMetrics metrics) {
    this.decoder = decoder;
    this.keys = keys;
    this.valueEvents = new RedisValueEvents(values);
    this.batchValues = new BatchValueEvents(valueEvents);
    this.support = new SpanFactorySupport(clock, resource, scope);
    this.childBytes = childBytes;
    this.metrics = metrics;
    this.keyAttributes = new RedisKeyAttributes(keys);
    this.batches = new RedisBatchSpans(decoder, keys, support, connections, batchValues, metrics);
  }

  /**
   * Gives spans of commands that write or read a value its {@code memory.value.fingerprint}, and the memory span
   * around them the one value they wrote or read; {@code null} gives none. Before any event is handled.
   */
  public RedisSpanFactory fingerprinting(ValueFingerprint fingerprints) {
    this.fingerprints.use(fingerprints);
    return this;
  }

  /** Writes the span of one command into {@code attrs}, a reused record of the batch. */
  void command(SpanEvent event, SpanRecord attrs) {
    command(event, attrs, Retention.off());
  }

  /**
   * Writes the span of one command into {@code attrs}, a reused record of the batch, when {@code retention} keeps
   * it. What every command feeds whatever is decided (the connection's state, the metrics, the bytes its parent
   * carries) is done first; the span's attributes are written only for a span that is kept.
   *
   * @return whether {@code attrs} now holds a span to export: this one, or the summary retention wrote there
   */
  boolean command(SpanEvent event, SpanRecord attrs, Retention retention) {
    List<byte[]> args = decoder.decode(event.command, event.arguments, this.args);
    RedisCommandInfo command = info.parse(args);
    connections.follow(command, event, args);
    batchValues.follow(command, event);
    byte[] key = command.firstKeyBytes();
    int namespaceLength = key == null ? 0 : keys.namespaceLength(key);
    String namespace = namespaceLength == -2 ? command.firstKeyNamespace(keys) : null;
    long size = -1;
    Boolean found = null;
    if (event.error == null) {
      boolean bulk = event.replyLength >= 0;
      size = !command.isRead() ? (command.isWrite() ? command.writtenBytes() : -1)
          : bulk ? event.replyLength : RedisReply.bytes(event.reply);
      if (size >= 0) {
        childBytes.add(event.otelParent ? 0 : event.parentSpanId, command.isWrite() ? size : 0, command.isRead() ? size : 0);
      }
      found = !command.isRead() ? null
          : bulk ? RedisReply.foundInBulk(command) : RedisReply.found(command, event.reply);
    }
    // fingerprinted when a memory span waits for it, or when the span is kept; -1 not yet tried, 0 none, 1 made
    int fingerprinted = fingerprints.on() && size >= 0 && !Boolean.FALSE.equals(found) ? -1 : 0;
    if (fingerprinted < 0 && event.parentSpanId != 0 && !event.otelParent) {
      fingerprinted = fingerprints.of(command, event) ? 1 : 0;
      if (fingerprinted == 1) {
        childBytes.fingerprint(event.parentSpanId, command.isRead() ? ChildBytes.READ : ChildBytes.WRITTEN,
            fingerprints.last());
      }
    }
    // a captured write's span is kept whatever retention would decide: its value is in no other span
    boolean valued = event.error == null && !event.handshake
        && valueEvents.wanted(command, event.reply, event.replyLength);
    // a handshake command's error reply is handled by the client itself (Redis before 7.2 rejects
    // Jedis 5's CLIENT SETINFO): the reply's code is kept, but it is not an error of the application
    Throwable error = event.handshake ? null : event.error;
    if (metrics != null) {
      metrics.redisCommand(command.name(), error == null ? null : RedisErrorCodes.errorType(error),
          (event.endNanos - event.startNanos) / 1e9, size, found);
    }
    support.begin(attrs, event, command.name(), SpanKind.CLIENT);
    byte[] decoded = namespace == null ? null : namespace.getBytes(StandardCharsets.UTF_8); // a redacted or non-ASCII key's
    KeyEvents keyEvents = key == null ? null : retention.keyEvents();
    KeyEvents.Command keyed = keyEvents == null ? null : keyEvents.header(attrs); // before a summary may take attrs
    // kept whatever the sample says: an error, a captured write, and a change of a whole database, which names no
    // key and so has no key event to stand for it when compressed (they are rare)
    boolean keep = error != null || valued || key == null && changesWholeDatabase(command.name());
    int decided = namespaceLength > 0 ? retention.decide(attrs, keep, key, namespaceLength, true)
        : retention.decide(attrs, keep, decoded, decoded == null ? 0 : decoded.length, key != null);
    if (decided != Retention.KEPT) {
      if (keyed != null) {
        keyEvent(keyEvents, keyed, event, command, key, namespaceLength, namespace, size, found);
      }
      return decided == Retention.SUMMARY;
    }
    Utf8Text text = command.queryTextUtf8(keys);
    attrs.put(DB_SYSTEM_NAME, "redis")
        .put(DB_OPERATION_NAME, command.name())
        .putUtf8(DB_QUERY_TEXT, text.bytes(), text.length());
    byte[] procedure = command.storedProcedureBytes(); // EVALSHA's digest, FCALL's function
    if (procedure != null) {
      attrs.putUtf8(DB_STORED_PROCEDURE_NAME, procedure, procedure.length);
    }
    connections.put(attrs, event);
    keyAttributes.put(attrs, event, command, key, namespaceLength, namespace, size, found);
    if (fingerprinted < 0) {
      fingerprinted = fingerprints.of(command, event) ? 1 : 0;
    }
    if (fingerprinted == 1) {
      attrs.putUtf8(MEMORY_VALUE_FINGERPRINT, fingerprints.lastHex(), ValueFingerprint.HEX_DIGITS);
    }
    RedisKeyAttributes.putTtl(attrs, command);
    if (event.handshake && event.error != null) {
      String code = RedisErrorCodes.prefix(String.valueOf(event.error.getMessage()));
      if (code != null) {
        attrs.put(DB_RESPONSE_STATUS_CODE, code);
      }
    }
    if (valued) {
      valueEvents.addWanted(command, attrs.endEpochNanos, attrs);
    }
    RedisErrorCodes.markFailed(support, event, attrs, error);
    return true;
  }

  /**
   * The key event of a compressed command ({@code keyed}, its header): a key shown as its ASCII bytes, the common
   * case, goes straight into its line; any other (redacted, not ASCII, or a namespace that is not its prefix) as
   * the attributes its span would have, read back ({@link KeyEvents#add(SpanRecord)}). Both write the same line.
   */
  private void keyEvent(KeyEvents keyEvents, KeyEvents.Command keyed, SpanEvent event, RedisCommandInfo command,
      byte[] key, int namespaceLength, String namespace, long size, Boolean found) {
    int prefix = namespaceLength > 0 ? namespaceLength
        : namespaceLength == -2 ? RedisKeyAttributes.prefix(key, namespace) : -1;
    if (prefix == -2 || !keys.showsKeysAsIs() || !Utf8Text.isAscii(key, key.length)) {
      SpanRecord record = keyEvents.record();
      connections.put(record, event);
      keyAttributes.put(record, event, command, key, namespaceLength, namespace, size, found);
      RedisKeyAttributes.putTtl(record, command);
      keyEvents.add(record);
      return;
    }
    connections.place(keyed, event);
    keyed.key = key;
    keyed.keyLength = key.length;
    keyed.namespaceLength = prefix;
    keyed.valueSize = size;
    keyed.found = found == null ? -1 : found ? 1 : 0;
    keyed.ttl = command.ttlSeconds();
    keyed.resultCount = RedisKeyAttributes.removed(event, command);
    keyEvents.add(keyed);
  }

  /**
   * {@code FLUSHDB}, {@code FLUSHALL} and {@code SWAPDB}: what lineage, timelines and time travel call a whole
   * database's change. Retention keeps their spans, in a batch too.
   */
  static boolean changesWholeDatabase(String command) {
    return command.equals("FLUSHDB") || command.equals("FLUSHALL") || command.equals("SWAPDB");
  }

  /** A hidden handshake command: no span, but a {@code SELECT} or {@code READONLY} still sets up the connection. */
  void setUp(SpanEvent event) {
    List<byte[]> args = decoder.decode(event.command, event.arguments, this.args);
    connections.follow(info.parse(args), event, args);
  }

  /**
   * Writes the span of a pipeline or transaction into {@code record} when {@code retention} keeps it. Compressed
   * with key events on, what the kept span would have listed of its commands' keys goes out as key events
   * ({@link KeyEvents#addBatch}), and its count says so when every command of it was recorded and what ran is known
   * (not for a transaction WATCH aborted, or whose EXEC's reply was not recorded).
   *
   * @return whether {@code record} now holds a span to export: this one, or the summary retention wrote there
   */
  boolean batch(SpanEvent event, SpanRecord record, Retention retention) {
    return batches.batch(event, record, retention);
  }

  /** Writes the span of a pipeline or transaction into {@code record} ({@link RedisBatchSpans}). */
  void batch(SpanEvent event, SpanRecord record) {
    batches.writeBatch(event, record);
  }
}
