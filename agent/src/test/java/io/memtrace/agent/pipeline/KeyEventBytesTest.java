package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.export.OtlpHttpSender;
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
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a compressed command costs on the wire as a key event against its full span (issue 77: at most a quarter),
 * in the exporter's own request bytes ({@link OtlpTraceEncoder}, then gzipped as {@code OTEL_EXPORTER_OTLP_COMPRESSION
 * =gzip} sends them): the same 10,240 commands through two span factories, one keeping every span (sent 512 to a
 * request, the exporter's batch) and one compressing every span into key events (each carrier a request of its
 * own). The commands are those of an application's memory on one Redis: SET and GET of roots, and SET, GET, EXPIRE
 * and DEL under memory-manager spans, a few to a trace.
 */
class KeyEventBytesTest {

  private static final int COMMANDS = 10_240;

  private static RedisSpanFactory factory() {
    return new RedisSpanFactory(JedisArguments::decode,
        new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern()), ValueCapture.NONE, new SpanClock(),
        Resource.create(Attributes.builder().put("service.name", "shop").put("telemetry.sdk.name", "memtrace")
            .put("telemetry.sdk.language", "java").build()),
        InstrumentationScopeInfo.create("io.memtrace.redis"), new ChildBytes(), null);
  }

  private static List<SpanEvent> commands() {
    Random random = new Random(77);
    Object connection = new Object();
    InetSocketAddress server = InetSocketAddress.createUnresolved("redis", 6379);
    List<SpanEvent> out = new ArrayList<>();
    long now = System.nanoTime();
    long traceHigh = 0;
    long traceLow = 0;
    long parent = 0;
    int inTrace = 0;
    for (int i = 0; i < COMMANDS; i++) {
      SpanEvent event = new SpanEvent();
      event.type = SpanEvent.Type.REDIS_COMMAND;
      event.connection = connection;
      event.socket = server;
      event.replyLength = -1;
      boolean root = inTrace == 0 && random.nextInt(10) < 7;
      if (root) {
        String key = "cache:item:" + random.nextInt(100_000);
        if (random.nextBoolean()) {
          event.command = RetentionFirstSpanTest.words("SET", key, "value-" + i);
          event.reply = "OK";
        } else {
          event.command = RetentionFirstSpanTest.words("GET", key);
          event.replyLength = 5 + random.nextInt(40);
        }
        event.traceIdHigh = random.nextLong();
        event.traceIdLow = random.nextLong() | 1;
      } else {
        if (inTrace == 0) { // a memory-manager call: its trace and span, four commands under it
          inTrace = 4;
          traceHigh = random.nextLong();
          traceLow = random.nextLong() | 1;
          parent = random.nextLong() | 1;
        }
        String key = "session:" + Long.toHexString(traceLow).substring(0, 8) + ":messages";
        switch (inTrace--) {
          case 4:
            event.command = RetentionFirstSpanTest.words("SET", key, "a message of some length " + i);
            event.reply = "OK";
            break;
          case 3:
            event.command = RetentionFirstSpanTest.words("EXPIRE", key, "3600");
            event.reply = 1L;
            break;
          case 2:
            event.command = RetentionFirstSpanTest.words("GET", key);
            event.replyLength = 30;
            break;
          default:
            event.command = RetentionFirstSpanTest.words("DEL", key);
            event.reply = 1L;
        }
        event.traceIdHigh = traceHigh;
        event.traceIdLow = traceLow;
        event.parentSpanId = parent;
      }
      now = stamped(event, random, now);
      out.add(event);
    }
    return out;
  }

  /**
   * Gives a generated command a span id and its times: it starts 20-100 µs after {@code now} and lasts 15-75 µs.
   * Returns its start, the next command's {@code now}.
   */
  static long stamped(SpanEvent event, Random random, long now) {
    event.spanId = random.nextLong() | 1;
    long start = now + 20_000 + random.nextInt(80_000);
    event.startNanos = start;
    event.endNanos = start + 15_000 + random.nextInt(60_000);
    return start;
  }

  /** Bytes of the requests, and gzipped. */
  private static long[] requests(List<SpanRecord> spans, int perRequest) throws Exception {
    OtlpTraceEncoder encoder = new OtlpTraceEncoder();
    ProtoWriter out = new ProtoWriter(64 * 1024);
    long[] bytes = new long[2];
    for (int from = 0; from < spans.size(); from += perRequest) {
      List<SpanRecord> batch = spans.subList(from, Math.min(spans.size(), from + perRequest));
      encoder.encode(batch.toArray(new SpanRecord[0]), batch.size(), out);
      bytes[0] += out.size();
      bytes[1] += OtlpHttpSender.gzip(out.array(), out.size()).length;
    }
    return bytes;
  }

  /** Each command or batch as the factory writes its span. */
  private static List<SpanRecord> kept(List<SpanEvent> events) {
    RedisSpanFactory whole = factory();
    List<SpanRecord> full = new ArrayList<>();
    for (SpanEvent event : events) {
      SpanRecord record = new SpanRecord();
      if (event.type == SpanEvent.Type.REDIS_BATCH) {
        whole.batch(event, record);
      } else {
        whole.command(event, record);
      }
      full.add(record);
    }
    return full;
  }

  /** The carriers of the key events of each command or batch, every one compressed: no sample, one interval. */
  private static List<SpanRecord> compressed(List<SpanEvent> events) {
    Retention retention = new Retention(true, TimeUnit.HOURS.toNanos(1), 0, TimeUnit.DAYS.toNanos(1), () -> 0)
        .withKeyEvents();
    RedisSpanFactory compressing = factory();
    SpanRecord scratch = new SpanRecord();
    List<SpanRecord> carriers = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      SpanEvent event = events.get(i);
      boolean kept = event.type == SpanEvent.Type.REDIS_BATCH ? compressing.batch(event, scratch, retention)
          : compressing.command(event, scratch, retention);
      assertThat(kept).as("compressed").isFalse();
      if (retention.keyEventsDue(i == events.size() - 1)) {
        SpanRecord carrier = new SpanRecord();
        retention.writeKeyEvents(carrier);
        carriers.add(carrier);
      }
    }
    assertThat(retention.takeCompressed()).isEqualTo(events.size());
    assertThat(retention.keyEventsDue(true)).as("all sent").isFalse();
    return carriers;
  }

  @Test
  void shouldCostAtMostAQuarterOfAFullSpan() throws Exception {
    List<SpanEvent> commands = commands();
    List<SpanRecord> full = kept(commands);
    List<SpanRecord> carriers = compressed(commands);
    assertThat(carriers.stream().mapToInt(c -> KeyEventCommands.of(c.events()).size()).sum()).isEqualTo(COMMANDS);

    long[] spans = requests(full, 512);
    long[] events = requests(carriers, 1);
    double ratio = (double) events[0] / spans[0];
    double gzipped = (double) events[1] / spans[1];
    System.out.printf("bytes a compressed command, %d commands: %.1f as a key event, %.1f as a full span (%.3f); "
        + "gzipped %.1f against %.1f (%.3f)%n", COMMANDS, (double) events[0] / COMMANDS, (double) spans[0] / COMMANDS,
        ratio, (double) events[1] / COMMANDS, (double) spans[1] / COMMANDS, gzipped);
    assertThat(ratio).as("issue 77: at most a quarter of a full span's bytes").isLessThanOrEqualTo(0.25);
  }

  /**
   * The same for commands in pipelines and transactions: 2,048 batches of 1 to 8 commands (SET, EXPIRE, DEL and GET
   * of a trace's session keys; a GET is not listed, kept or compressed) on one connection, kept as batch spans with
   * their {@code memtrace.batch.command} events, against compressed into key events; bytes per command listed.
   */
  @Test
  void shouldCostAtMostAQuarterOfAFullBatchSpanForAPipelinedCommand() throws Exception {
    Random random = new Random(77);
    Object connection = new Object();
    InetSocketAddress server = InetSocketAddress.createUnresolved("redis", 6379);
    long now = System.nanoTime();
    List<SpanEvent> batches = new ArrayList<>();
    for (int b = 0; b < 2_048; b++) {
      SpanEvent event = new SpanEvent();
      event.type = SpanEvent.Type.REDIS_BATCH;
      event.connection = connection;
      event.socket = server;
      boolean transaction = random.nextInt(4) == 0;
      event.batchMethod = transaction ? "exec" : "sync";
      event.batchCommands = new Object[16];
      event.batchArguments = new Object[16];
      event.batchReplies = new Object[16];
      String key = "session:" + Long.toHexString(random.nextLong()).substring(0, 8) + ":messages";
      int at = 0;
      if (transaction) {
        event.batchCommands[at++] = RetentionFirstSpanTest.words("MULTI");
      }
      List<Object> replies = new ArrayList<>();
      for (int c = 1 + random.nextInt(8); c > 0; c--) {
        switch (random.nextInt(4)) {
          case 0:
            event.batchCommands[at] = RetentionFirstSpanTest.words("SET", key + ":" + c, "a message of some length");
            replies.add("OK");
            break;
          case 1:
            event.batchCommands[at] = RetentionFirstSpanTest.words("EXPIRE", key + ":" + c, "3600");
            replies.add(1L);
            break;
          case 2:
            event.batchCommands[at] = RetentionFirstSpanTest.words("DEL", key + ":" + c);
            replies.add(1L);
            break;
          default:
            event.batchCommands[at] = RetentionFirstSpanTest.words("GET", key + ":" + c);
            replies.add("a message of some length");
        }
        event.batchReplies[at] = transaction ? "QUEUED" : replies.get(replies.size() - 1);
        at++;
      }
      if (transaction) {
        event.batchCommands[at] = RetentionFirstSpanTest.words("EXEC");
        event.batchReplies[at++] = replies;
      }
      event.batchRecorded = at;
      event.traceIdHigh = random.nextLong();
      event.traceIdLow = random.nextLong() | 1;
      event.parentSpanId = random.nextLong() | 1;
      event.spanId = random.nextLong() | 1;
      now += 50_000 + random.nextInt(200_000);
      event.startNanos = now;
      event.endNanos = now + 30_000 + random.nextInt(100_000);
      batches.add(event);
    }
    List<SpanRecord> full = kept(batches);
    long listed = full.stream().mapToLong(b -> b.events().size()).sum();
    List<SpanRecord> carriers = compressed(batches);
    assertThat(carriers.stream().flatMap(c -> KeyEventCommands.batches(c.events()).stream())
        .mapToLong(b -> b.split("\n  ", -1).length - 1).sum()).as("every listed command sent").isEqualTo(listed);

    long[] spans = requests(full, 512);
    long[] events = requests(carriers, 1);
    double ratio = (double) events[0] / spans[0];
    System.out.printf("bytes a pipelined command, %d commands listed in %d batches: %.1f as a key event, %.1f as "
        + "its share of a full batch span (%.3f); gzipped %.1f against %.1f (%.3f)%n", listed, batches.size(),
        (double) events[0] / listed, (double) spans[0] / listed, ratio, (double) events[1] / listed,
        (double) spans[1] / listed, (double) events[1] / spans[1]);
    assertThat(ratio).as("issue 77: at most a quarter of a full span's bytes").isLessThanOrEqualTo(0.25);
  }
}
