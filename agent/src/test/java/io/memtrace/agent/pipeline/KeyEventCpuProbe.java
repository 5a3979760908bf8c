package io.memtrace.agent.pipeline;

import io.memtrace.agent.export.OtlpTraceEncoder;
import io.memtrace.agent.export.ProtoWriter;
import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.agent.values.ValueCapture;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: the consumer thread's CPU per compressed command, retention alone against retention with key events
 * (the span factory, and each full carrier encoded as the exporter does). 4,096 Jedis SET and GET commands of 1,000
 * keys over four connections, all compressed but the first of each, are run 100 times a round; it prints the
 * thread's CPU time and allocated bytes per command each round. Run with the agent's test class path:
 * {@code java -cp agent/target/classes:agent/target/test-classes:DEPS io.memtrace.agent.pipeline.KeyEventCpuProbe
 * keys|retention ROUNDS}.
 */
public class KeyEventCpuProbe {
  static RedisSpanFactory factory() {
    return new RedisSpanFactory(JedisArguments::decode,
        new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern()), ValueCapture.NONE, new SpanClock(),
        Resource.create(Attributes.builder().put("service.name", "shop").build()),
        InstrumentationScopeInfo.create("io.memtrace.redis"), new ChildBytes(), null);
  }

  static List<SpanEvent> commands(int n) {
    Random random = new Random(77);
    Object[] connections = {new Object(), new Object(), new Object(), new Object()};
    InetSocketAddress server = InetSocketAddress.createUnresolved("localhost", 6379);
    List<SpanEvent> out = new ArrayList<>();
    long now = System.nanoTime();
    for (int i = 0; i < n; i++) {
      SpanEvent event = new SpanEvent();
      event.type = SpanEvent.Type.REDIS_COMMAND;
      event.connection = connections[i & 3];
      event.socket = server;
      event.replyLength = -1;
      String key = "key:" + random.nextInt(1000);
      if ((i & 4) == 0) {
        event.command = words("SET", key, "v".repeat(100));
        event.reply = "OK";
      } else {
        event.command = words("GET", key);
        event.replyLength = 100;
      }
      event.traceIdHigh = random.nextLong();
      event.traceIdLow = random.nextLong() | 1;
      now = KeyEventBytesTest.stamped(event, random, now);
      out.add(event);
    }
    return out;
  }

  static final java.util.Map<String, byte[]> NAMES = new java.util.HashMap<>();

  static List<byte[]> words(String... words) {
    List<byte[]> args = new ArrayList<>();
    for (String word : words) {
      args.add(args.isEmpty() ? NAMES.computeIfAbsent(word, w -> w.getBytes(java.nio.charset.StandardCharsets.UTF_8))
          : word.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return args;
  }

  public static void main(String[] args) {
    boolean keys = args[0].equals("keys");
    int rounds = Integer.parseInt(args[1]);
    List<SpanEvent> events = commands(4096);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Retention retention = new Retention(true, TimeUnit.HOURS.toNanos(1), 1, TimeUnit.DAYS.toNanos(1), () -> 0);
    if (keys) {
      retention.withKeyEvents();
    }
    RedisSpanFactory f = factory();
    SpanRecord scratch = new SpanRecord();
    SpanRecord[] carrier = {new SpanRecord()};
    OtlpTraceEncoder encoder = new OtlpTraceEncoder();
    ProtoWriter out = new ProtoWriter(64 * 1024);
    long sink = 0;
    for (int r = 0; r < rounds; r++) {
      long cpu = mx.getCurrentThreadCpuTime();
      long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
      for (int rep = 0; rep < 100; rep++) {
        for (int i = 0; i < events.size(); i++) {
          scratch.reset();
          f.command(events.get(i), scratch, retention);
          if (retention.keyEventsDue(false)) {
            carrier[0].reset();
            retention.writeKeyEvents(carrier[0]);
            encoder.encode(carrier, 1, out);
            sink += out.size();
          }
        }
      }
      long ns = mx.getCurrentThreadCpuTime() - cpu;
      long bytes = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocated;
      System.out.printf("round %d %s: %.1f ns CPU, %.1f bytes allocated per command (%d)%n", r,
          keys ? "keys" : "retention", ns / (100.0 * events.size()), bytes / (100.0 * events.size()), sink);
    }
    retention.takeCompressed();
  }
}
