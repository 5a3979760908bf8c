package io.memtrace.agent;

import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.config.OtelSettings;
import io.memtrace.agent.config.Settings;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.fingerprint.ValueFingerprint;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import io.memtrace.agent.instrumentation.lettuce.common.LettuceObjects;
import io.memtrace.agent.instrumentation.method.RuleRegistry;
import io.memtrace.agent.instrumentation.redisson.v3_16_8.RedissonObjects;
import io.memtrace.agent.metrics.MemoryMetrics;
import io.memtrace.agent.metrics.MetricsPipeline;
import io.memtrace.agent.pipeline.AsyncCommandSpans;
import io.memtrace.agent.pipeline.ChildBytes;
import io.memtrace.agent.pipeline.MethodSpanFactory;
import io.memtrace.agent.pipeline.RedisSpanFactory;
import io.memtrace.agent.pipeline.SpanClock;
import io.memtrace.agent.pipeline.SpanConsumer;
import io.memtrace.agent.pipeline.SpanRing;
import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.redis.CommandDecoder;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.values.ValueCapture;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;

/**
 * Builds the consumer side from the configuration: a Redis span factory per client (each with the client's command
 * decoder and instrumentation scope), the memory and task span factory, retention, and the pairing of the clients
 * whose commands end on another thread. Everything it makes shares one clock, one key policy and one fingerprint
 * key, and runs on the consumer thread.
 */
final class ConsumerAssembly {

  private final SpanClock clock = new SpanClock();
  /** The bytes each memory span's Redis commands moved, shared by the factories of both. */
  private final ChildBytes childBytes = new ChildBytes();
  private final KeyPolicy keys;
  private final ValueCapture values;
  /** One instance: every factory runs on the consumer thread. */
  private final ValueFingerprint fingerprints;
  private final Resource resource;
  private final MemoryMetrics metrics;

  ConsumerAssembly(MemtraceConfig config, Resource resource, MetricsPipeline metrics) {
    this.keys = KeyPolicy.from(config);
    this.values = ValueCapture.from(config, keys);
    this.fingerprints = ValueFingerprint.from(config);
    this.resource = resource;
    this.metrics = metrics.metrics();
  }

  SpanConsumer consumer(MemtraceConfig config, RuleRegistry rules, SpanRing ring, ExportDispatcher exporters, HealthCounters counters) {
    MethodSpanFactory methodSpans = new MethodSpanFactory(rules, keys,
        config.get(Settings.CAPTURE_VALUE_SIZE).equals("json"), clock, resource, scope("io.memtrace.memory"),
        childBytes, metrics)
        .naming(config.get(Settings.CONVENTIONS), values)
        .fingerprinting(fingerprints);
    LettuceObjects lettuce = new LettuceObjects();
    RedissonObjects redisson = new RedissonObjects();
    boolean handshakeSpans = config.get(Settings.REDIS_HANDSHAKE_SPANS);
    return new SpanConsumer(ring, redisSpans(JedisArguments::decode, "jedis"), methodSpans, exporters, counters,
        config.get(OtelSettings.BSP_MAX_EXPORT_BATCH_SIZE), config.get(OtelSettings.BSP_SCHEDULE_DELAY))
        .retaining(Retention.from(config, () -> clock.toEpochNanos(System.nanoTime())))
        // Redisson's pairing first: it owns only its own commands, Lettuce's every other
        .pairing(new AsyncCommandSpans(redisSpans(redisson.decoder(), "redisson"), redisson, handshakeSpans, counters))
        .pairing(new AsyncCommandSpans(redisSpans(lettuce.decoder(), "lettuce"), lettuce, handshakeSpans, counters));
  }

  /** The Redis spans of one client, whose command objects {@code decoder} reads; scope {@code io.memtrace.<client>}. */
  private RedisSpanFactory redisSpans(CommandDecoder decoder, String client) {
    return new RedisSpanFactory(decoder, keys, values, clock, resource, scope("io.memtrace." + client), childBytes,
        metrics)
        .fingerprinting(fingerprints);
  }

  private static InstrumentationScopeInfo scope(String name) {
    return InstrumentationScopeInfo.builder(name).setVersion(Agent.VERSION).build();
  }
}
