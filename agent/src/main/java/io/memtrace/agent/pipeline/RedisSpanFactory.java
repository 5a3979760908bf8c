package io.memtrace.agent.pipeline;

import io.memtrace.agent.instrumentation.jedis.JedisArguments;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.redis.RedisReply;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Builds Redis spans from ring events, on the consumer thread only (its caches are not shared).
 * Attribute names follow the OpenTelemetry database conventions plus memtrace's {@code memory.*}.
 */
public final class RedisSpanFactory {

  static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_QUERY = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<Long> DB_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  static final AttributeKey<String> DB_STATUS = AttributeKey.stringKey("db.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> MEMORY_KEY = AttributeKey.stringKey("memory.key");
  static final AttributeKey<String> MEMORY_NAMESPACE = AttributeKey.stringKey("memory.namespace");
  static final AttributeKey<Long> MEMORY_VALUE_SIZE = AttributeKey.longKey("memory.value_size");
  static final AttributeKey<Long> MEMORY_TTL = AttributeKey.longKey("memory.ttl");
  static final AttributeKey<Boolean> MEMORY_FOUND = AttributeKey.booleanKey("memory.found");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

  /** Commands shown in a batch's {@code db.query.text}. */
  private static final int BATCH_TEXT_COMMANDS = 16;

  private final KeyPolicy keys;
  private final boolean captureValues;
  private final SpanClock clock;
  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  /** The database each connection has SELECTed; Jedis does not say, so SELECT replies are followed. */
  private final Map<Object, String> databases = new WeakHashMap<>();

  public RedisSpanFactory(KeyPolicy keys, boolean captureValues, SpanClock clock, Resource resource,
      InstrumentationScopeInfo scope) {
    this.keys = keys;
    this.captureValues = captureValues;
    this.clock = clock;
    this.resource = resource;
    this.scope = scope;
  }

  SpanData command(SpanEvent event) {
    RedisCommandInfo command = RedisCommandInfo.of(JedisArguments.decode(event.command, event.arguments));
    AttributesBuilder attrs = Attributes.builder()
        .put(DB_SYSTEM, "redis")
        .put(DB_OPERATION, command.name())
        .put(DB_QUERY, command.queryText(keys, captureValues));
    if (command.name().equals("SELECT") && event.error == null) {
      List<byte[]> args = JedisArguments.decode(event.command, event.arguments);
      if (args.size() > 1) {
        databases.put(event.connection, new String(args.get(1), java.nio.charset.StandardCharsets.US_ASCII));
      }
    }
    connection(attrs, event);
    String key = command.firstKey();
    if (key != null) {
      String shown = keys.display(key);
      if (shown != null) {
        attrs.put(MEMORY_KEY, shown);
      }
      String namespace = keys.namespace(key);
      if (namespace != null) {
        attrs.put(MEMORY_NAMESPACE, namespace);
      }
    }
    if (event.error == null) {
      long size = command.isRead() ? RedisReply.bytes(event.reply) : command.writtenBytes();
      if (size >= 0 && (command.isRead() || command.isWrite())) {
        attrs.put(MEMORY_VALUE_SIZE, size);
      }
      Boolean found = command.isRead() ? RedisReply.found(command, event.reply) : null;
      if (found != null) {
        attrs.put(MEMORY_FOUND, found);
      }
    }
    long ttl = command.ttlSeconds();
    if (ttl >= 0) {
      attrs.put(MEMORY_TTL, ttl);
    }
    return span(event, command.name(), attrs, event.error);
  }

  SpanData batch(SpanEvent event) {
    int control = 0;
    String sameName = null;
    boolean mixed = false;
    StringBuilder text = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < event.batchRecorded; i++) {
      RedisCommandInfo command = RedisCommandInfo.of(
          JedisArguments.decode(event.batchCommands[i], event.batchArguments[i]));
      if (command.isTransactionControl()) {
        control++;
        continue;
      }
      if (sameName == null) {
        sameName = command.name();
      } else if (!sameName.equals(command.name())) {
        mixed = true;
      }
      if (shown++ < BATCH_TEXT_COMMANDS) {
        if (text.length() > 0) {
          text.append("; ");
        }
        text.append(command.queryText(keys, captureValues));
      }
    }
    if (event.batchOverflow > 0) {
      RedisCommandInfo last = RedisCommandInfo.of(JedisArguments.decode(event.lastCommand, event.lastArguments));
      if (last.isTransactionControl()) {
        control++;
      }
      mixed = true; // the overflowed commands are not known
    }
    long count = event.batchRecorded + event.batchOverflow - control;
    if (count > shown) {
      text.append("; ...");
    }
    String method = event.batchMethod == null ? "sync" : event.batchMethod;
    String name = method.startsWith("exec") ? "EXEC" : method.startsWith("discard") ? "DISCARD" : "PIPELINE";
    AttributesBuilder attrs = Attributes.builder()
        .put(DB_SYSTEM, "redis")
        .put(DB_OPERATION, sameName != null && !mixed ? "BATCH " + sameName : "BATCH")
        .put(DB_BATCH_SIZE, count);
    if (text.length() > 0) {
      attrs.put(DB_QUERY, text.toString());
    }
    connection(attrs, event);
    return span(event, name, attrs, event.error);
  }

  private void connection(AttributesBuilder attrs, SpanEvent event) {
    attrs.put(DB_NAMESPACE, databases.getOrDefault(event.connection, "0"));
    if (event.socket instanceof Socket) {
      SocketAddress remote = ((Socket) event.socket).getRemoteSocketAddress();
      if (remote instanceof InetSocketAddress) {
        InetSocketAddress address = (InetSocketAddress) remote;
        attrs.put(SERVER_ADDRESS, address.getHostString());
        attrs.put(SERVER_PORT, (long) address.getPort());
      }
    }
  }

  private SpanData span(SpanEvent event, String name, AttributesBuilder attrs, Throwable error) {
    long end = clock.toEpochNanos(event.endNanos);
    List<EventData> events = Collections.emptyList();
    StatusData status = StatusData.unset();
    if (error != null) {
      String message = String.valueOf(error.getMessage());
      String prefix = errorPrefix(message);
      attrs.put(ERROR_TYPE, prefix != null ? prefix : error.getClass().getName());
      if (prefix != null) {
        attrs.put(DB_STATUS, prefix);
      }
      events = new ArrayList<>(1);
      events.add(EventData.create(end, "exception", Attributes.builder()
          .put(EXCEPTION_TYPE, error.getClass().getName())
          .put(EXCEPTION_MESSAGE, message)
          .put(EXCEPTION_STACKTRACE, stackTrace(error))
          .build()));
      status = StatusData.create(StatusCode.ERROR, message);
    }
    SpanContext context = SpanContext.create(TraceId.fromLongs(event.traceIdHigh, event.traceIdLow),
        SpanId.fromLong(event.spanId), TraceFlags.getSampled(), TraceState.getDefault());
    SpanContext parent = event.parentSpanId == 0 ? SpanContext.getInvalid()
        : SpanContext.create(context.getTraceId(), SpanId.fromLong(event.parentSpanId),
            TraceFlags.getSampled(), TraceState.getDefault());
    return new MemtraceSpanData(name, SpanKind.CLIENT, context, parent, status,
        clock.toEpochNanos(event.startNanos), end, attrs.build(), events, scope, resource);
  }

  /** The Redis error code that starts an error reply ({@code WRONGTYPE}, {@code ERR}), if any. */
  static String errorPrefix(String message) {
    int space = message.indexOf(' ');
    String first = space < 0 ? message : message.substring(0, space);
    if (first.isEmpty() || first.length() > 32) {
      return null;
    }
    for (int i = 0; i < first.length(); i++) {
      char c = first.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && c != '_') {
        return null;
      }
    }
    return first;
  }

  private static String stackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    String text = out.toString();
    return text.length() > 4096 ? text.substring(0, 4096) : text;
  }
}
