package io.memtrace.agent.pipeline;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.export.SpanExporters;
import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import io.memtrace.agent.redis.CommandDecoder;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import io.memtrace.agent.values.ValueCapture;

/** A consumer in front of a stand-in exporter, and Redis events to feed it, for tests in any package. */
public final class PipelineFixture {

  static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
  static final byte[] KEY = "user:1".getBytes(StandardCharsets.US_ASCII);

  /** The default of {@code export.max-in-flight}. */
  public static final int MAX_IN_FLIGHT = 4;

  private PipelineFixture() {
  }

  /**
   * The end of a memory-manager call as the ring carries it: rule {@code rule}'s method on {@code self}, span
   * {@code spanId} of trace 1, from 1 ms to {@code endNanos}, having returned {@code returned} or thrown {@code error}.
   */
  static SpanEvent methodEnd(int rule, Object self, Object[] args, Object returned, Throwable error, long spanId,
      long endNanos) {
    SpanEvent ended = new SpanEvent();
    ended.type = SpanEvent.Type.METHOD_END;
    ended.rule = rule;
    ended.self = self;
    ended.methodArgs = args;
    ended.reply = returned;
    ended.error = error;
    ended.spanId = spanId;
    ended.traceIdLow = 1;
    ended.startNanos = 1_000_000;
    ended.endNanos = endNanos;
    return ended;
  }

  /** A consumer of {@code ring} (not started) that hands batches of {@code maxBatch} to {@code exporter}. */
  public static SpanConsumer consumer(SpanRing ring, SpanExporter exporter, HealthCounters counters, int maxBatch) {
    return consumer(ring, dispatcher(exporter, counters), counters, maxBatch);
  }

  /** A consumer of {@code ring} (not started) that hands batches of {@code maxBatch} to {@code exporters}. */
  public static SpanConsumer consumer(SpanRing ring, ExportDispatcher exporters, HealthCounters counters,
      int maxBatch) {
    return new SpanConsumer(ring, redisSpans(JedisArguments::decode), null, exporters, counters, maxBatch, 60_000);
  }

  /**
   * Redis spans as the agent makes them by default (keys captured, none redacted, the default namespace rule, no
   * values), from commands {@code decoder} reads, for an empty resource and scope {@code test}, with no metrics.
   */
  static RedisSpanFactory redisSpans(CommandDecoder decoder) {
    return new RedisSpanFactory(decoder, new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern()),
        ValueCapture.NONE, new SpanClock(), Resource.empty(), InstrumentationScopeInfo.create("test"),
        new ChildBytes(), null);
  }

  /** The dispatcher in front of {@code exporter}, as the consumer built by {@link #consumer} has it. */
  public static ExportDispatcher dispatcher(SpanExporter exporter, HealthCounters counters) {
    return new ExportDispatcher(List.of(new SpanExporters.Named("stand-in", exporter)), counters,
        MAX_IN_FLIGHT);
  }

  /** Publishes a {@code GET user:1} as the Jedis advice would; whether the ring had room. */
  public static boolean publishGet(SpanRing ring) {
    return publishCommand(ring, List.of(GET, KEY));
  }

  /** Publishes a Redis command whose Jedis 4+ arguments are {@code command}; whether the ring had room. */
  public static boolean publishCommand(SpanRing ring, Object command) {
    return ring.buffer.tryPublishEvent((event, sequence) -> {
      event.type = SpanEvent.Type.REDIS_COMMAND;
      event.command = command;
      event.replyLength = 3;
      event.spanId = sequence + 1;
      event.traceIdLow = 1;
    });
  }
}
