package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_KEY_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.EventData;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each compressed command that names a key becomes one key event that says of its key exactly what the command's
 * span says with retention off (the same attributes, as the same types), with the span's own ids and times; a
 * kept command, or one without a key, makes none; no event carries anything else.
 */
class CompressedKeyEventsTest {

  private static final List<String> KEY_ATTRIBUTES = List.of("memory.key", "memory.namespace", "db.namespace",
      "server.address", "server.port", "memory.value_size", "memory.found", "memory.result_count", "memory.ttl");
  private static final List<String> ID_ATTRIBUTES = List.of("memtrace.trace_id", "memtrace.span_id",
      "memtrace.parent_span_id", "memtrace.duration_ns");
  private static TreeMap<String, Object> keyAttributes(SpanRecord span) {
    TreeMap<String, Object> out = new TreeMap<>();
    span.attributes().forEach((k, v) -> {
      if (KEY_ATTRIBUTES.contains(k.getKey())) {
        out.put(k.getKey(), v);
      }
    });
    return out;
  }

  private static TreeMap<String, Object> keyAttributes(EventData event) {
    TreeMap<String, Object> out = new TreeMap<>();
    event.getAttributes().forEach((k, v) -> {
      if (!ID_ATTRIBUTES.contains(k.getKey())) {
        out.put(k.getKey(), v);
      }
    });
    return out;
  }

  private static String hex(long id) {
    String digits = Long.toHexString(id);
    return "0000000000000000".substring(digits.length()) + digits;
  }

  private static void shouldSayWhatTheSpanSays(KeyPolicy keys) {
    RedisSpanFactory whole = RetentionFirstSpanTest.factory(keys);
    RedisSpanFactory compressing = RetentionFirstSpanTest.factory(keys);
    Retention retention = new Retention(true, TimeUnit.MILLISECONDS.toNanos(5), 2, TimeUnit.MILLISECONDS.toNanos(20),
        () -> 0).withKeyEvents();
    SpanRecord written = new SpanRecord();
    SpanRecord decided = new SpanRecord();
    SpanRecord carrier = new SpanRecord();
    Random random = new Random(77);
    long now = System.nanoTime();
    int events = 0;
    for (int i = 0; i < 5_000; i++) {
      SpanEvent event = new SpanEvent();
      event.type = SpanEvent.Type.REDIS_COMMAND;
      String[] command = RetentionFirstSpanTest.COMMANDS[random.nextInt(RetentionFirstSpanTest.COMMANDS.length)];
      event.command = RetentionFirstSpanTest.words(command);
      event.error = random.nextInt(40) == 0 ? new RuntimeException("WRONGTYPE Operation against a key") : null;
      event.replyLength = random.nextBoolean() ? random.nextInt(200) : -1;
      event.traceIdHigh = random.nextLong();
      event.traceIdLow = i + 1;
      event.spanId = random.nextLong() | 1;
      event.parentSpanId = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
      now += TimeUnit.MICROSECONDS.toNanos(random.nextInt(100));
      event.startNanos = now;
      event.endNanos = now + (random.nextInt(30) == 0 ? TimeUnit.MILLISECONDS.toNanos(6) : random.nextInt(50_000));

      whole.command(event, written);
      boolean kept = compressing.command(event, decided, retention)
          && !decided.name.equals(MEMTRACE_COMPRESSED);
      retention.takeCompressed();
      boolean named = command.length > 1 && !command[0].equals("SELECT");
      assertThat(retention.keyEventsDue(true)).as("command %d %s: an event iff compressed with a key",
          i, command[0]).isEqualTo(!kept && named);
      if (!retention.keyEventsDue(true)) {
        continue;
      }
      retention.writeKeyEvents(carrier);
      assertThat(carrier.name).isEqualTo(MEMTRACE_KEY_EVENTS);
      assertThat(carrier.events()).hasSize(1);
      EventData e = carrier.events().get(0);
      assertThat(e.getName()).isEqualTo(written.name);
      assertThat(e.getEpochNanos()).isEqualTo(written.endEpochNanos);
      assertThat(keyAttributes(e)).as("command %d", i).isEqualTo(keyAttributes(written)).containsKey("memory.key");
      assertThat(e.getAttributes().get(AttributeKey.stringKey("memtrace.trace_id")))
          .isEqualTo(hex(written.traceIdHigh) + hex(written.traceIdLow));
      assertThat(e.getAttributes().get(AttributeKey.stringKey("memtrace.span_id"))).isEqualTo(hex(written.spanId));
      assertThat(e.getAttributes().get(AttributeKey.stringKey("memtrace.parent_span_id")))
          .isEqualTo(written.parentSpanId == 0 ? null : hex(written.parentSpanId));
      assertThat(e.getAttributes().get(AttributeKey.longKey("memtrace.duration_ns")))
          .isEqualTo(written.endEpochNanos - written.startEpochNanos);
      events++;
    }
    assertThat(events).as("most commands compressed").isGreaterThan(2_500);
  }

  @Test
  void shouldSayOfTheKeyWhatTheSpanWouldHaveSaid() {
    shouldSayWhatTheSpanSays(new KeyPolicy(true, List.of(), Pattern.compile("^(.*)[:/][^:/]*$")));
  }

  @Test
  void shouldShowARedactedKeyAsItsSpanDoes() {
    shouldSayWhatTheSpanSays(new KeyPolicy(true, List.of("secret:*"), Pattern.compile("^([^:]+):")));
  }

  @Test
  void shouldMakeNoEventsWhenSwitchedOff() {
    Retention retention = new Retention(true, 0, 0, TimeUnit.SECONDS.toNanos(10), () -> 0);
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_COMMAND;
    event.command = RetentionFirstSpanTest.words("GET", "user:1");
    event.spanId = 1;
    event.endNanos = 1;
    RetentionFirstSpanTest.factory(new KeyPolicy(true, List.of(), Pattern.compile("^(.*)[:/][^:/]*$")))
        .command(event, new SpanRecord(), new Retention(true, TimeUnit.SECONDS.toNanos(1), 0,
            TimeUnit.SECONDS.toNanos(10), () -> 0));
    assertThat(retention.keyEvents()).isNull();
    assertThat(retention.keyEventsDue(true)).isFalse();
    assertThat(Retention.off().withKeyEvents().keyEvents()).as("no retention, no events: every span is kept")
        .isNull();
  }
}
