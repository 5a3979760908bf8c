package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_KEY_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.pipeline.retention.KeyEvents;
import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.api.common.AttributeKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each compressed command that names a key becomes one line of a key event, which read back says of its key exactly
 * what the command's span says with retention off (the same attributes, as the same types), with the span's own ids
 * and times, alone in a carrier or among 511 others; a kept command, or one without a key, makes none; no event
 * carries anything else.
 */
class CompressedKeyEventsTest {

  private static final List<String> KEY_ATTRIBUTES = List.of("memory.key", "memory.namespace", "db.namespace",
      "server.address", "server.port", "memory.value_size", "memory.found", "memory.result_count", "memory.ttl");
  private static TreeMap<String, Object> keyAttributes(SpanRecord span) {
    TreeMap<String, Object> out = new TreeMap<>();
    span.attributes().forEach((k, v) -> {
      if (KEY_ATTRIBUTES.contains(k.getKey())) {
        out.put(k.getKey(), v);
      }
    });
    return out;
  }

  private static String hex(long id) {
    String digits = Long.toHexString(id);
    return "0000000000000000".substring(digits.length()) + digits;
  }

  /** What a command's span says of it, as a key event must say it too. */
  private static String said(String name, TreeMap<String, Object> said, String trace, String span, String parent,
      long end, long duration) {
    return name + " " + said + " trace=" + trace + " span=" + span + " parent=" + parent + " end=" + end
        + " duration=" + duration;
  }

  private static List<String> said(SpanRecord carrier) {
    assertThat(carrier.name).isEqualTo(MEMTRACE_KEY_EVENTS);
    List<String> out = new ArrayList<>();
    for (KeyEventCommands.Command c : KeyEventCommands.of(carrier.events())) {
      out.add(said(c.name(), c.said(), c.traceId(), c.spanId(), c.parentSpanId(), c.end(), c.duration()));
    }
    return out;
  }

  /**
   * 5,000 random commands, as roots and under three parents (each with its trace); {@code together}: their key
   * events go out in carriers of up to {@link KeyEvents#PER_SPAN} commands, else each in a carrier of its own.
   */
  private static void shouldSayWhatTheSpanSays(KeyPolicy keys, boolean together) {
    RedisSpanFactory whole = RetentionFirstSpanTest.factory(keys);
    RedisSpanFactory compressing = RetentionFirstSpanTest.factory(keys);
    Retention retention = new Retention(true, TimeUnit.MILLISECONDS.toNanos(5), 2, TimeUnit.MILLISECONDS.toNanos(20),
        () -> 0).withKeyEvents();
    SpanRecord written = new SpanRecord();
    SpanRecord decided = new SpanRecord();
    SpanRecord carrier = new SpanRecord();
    Random random = new Random(77);
    long now = System.nanoTime();
    List<String> expected = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    int carriers = 0;
    for (int i = 0; i < 5_000; i++) {
      SpanEvent event = new SpanEvent();
      event.type = SpanEvent.Type.REDIS_COMMAND;
      String[] command = RetentionFirstSpanTest.COMMANDS[random.nextInt(RetentionFirstSpanTest.COMMANDS.length)];
      event.command = RetentionFirstSpanTest.words(command);
      event.error = random.nextInt(40) == 0 ? new RuntimeException("WRONGTYPE Operation against a key") : null;
      event.replyLength = random.nextBoolean() ? random.nextInt(200) : -1;
      event.parentSpanId = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
      event.traceIdHigh = event.parentSpanId == 0 ? random.nextLong() : -event.parentSpanId;
      event.traceIdLow = event.parentSpanId == 0 ? i + 1 : event.parentSpanId;
      event.spanId = random.nextLong() | 1;
      now += TimeUnit.MICROSECONDS.toNanos(random.nextInt(100));
      event.startNanos = now;
      event.endNanos = now + (random.nextInt(30) == 0 ? TimeUnit.MILLISECONDS.toNanos(6) : random.nextInt(50_000));

      whole.command(event, written);
      boolean kept = compressing.command(event, decided, retention)
          && !decided.name.equals(MEMTRACE_COMPRESSED);
      retention.takeCompressed();
      boolean named = command.length > 1 && !command[0].equals("SELECT");
      if (!kept && named) {
        assertThat(keyAttributes(written)).containsKey("memory.key");
        expected.add(said(written.name, keyAttributes(written), hex(written.traceIdHigh) + hex(written.traceIdLow),
            hex(written.spanId), written.parentSpanId == 0 ? null : hex(written.parentSpanId),
            written.endEpochNanos, written.endEpochNanos - written.startEpochNanos));
      }
      if (together) {
        if (retention.keyEventsDue(false)) {
          retention.writeKeyEvents(carrier);
          sent.addAll(said(carrier));
          carriers++;
        }
        continue;
      }
      assertThat(retention.keyEventsDue(true)).as("command %d %s: an event iff compressed with a key",
          i, command[0]).isEqualTo(!kept && named);
      if (retention.keyEventsDue(true)) {
        retention.writeKeyEvents(carrier);
        assertThat(said(carrier)).as("command %d", i).containsExactly(expected.get(expected.size() - 1));
      }
    }
    if (together) {
      if (retention.keyEventsDue(true)) {
        retention.writeKeyEvents(carrier);
        sent.addAll(said(carrier));
        carriers++;
      }
      assertThat(carriers).as("full carriers, then the rest").isEqualTo((expected.size() + KeyEvents.PER_SPAN - 1)
          / KeyEvents.PER_SPAN);
      assertThat(sent).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(expected.size()).as("most commands compressed").isGreaterThan(2_500);
  }

  @Test
  void shouldSayOfTheKeyWhatTheSpanWouldHaveSaid() {
    shouldSayWhatTheSpanSays(new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern()), false);
  }

  @Test
  void shouldSayWhatEachSpanWouldHaveSaidInFullCarriers() {
    shouldSayWhatTheSpanSays(new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern()), true);
  }

  @Test
  void shouldShowARedactedKeyAsItsSpanDoes() {
    shouldSayWhatTheSpanSays(new KeyPolicy(true, List.of("secret:*"), Pattern.compile("^([^:]+):")), true);
  }

  /**
   * A key shown as it is has its line written straight from what the factory holds, any other from the attributes of
   * the span it stands for; either way the carrier's bytes are those written from the attributes of the command's
   * span, kept: 5,000 random commands (every one compressed but the errors) over two connections, under the default
   * rule, a rule of its own (a namespace found on the decoded key) and a redaction rule.
   */
  @Test
  void shouldWriteTheLinesOfTheSpansAttributesStraightFromTheCommand() {
    for (KeyPolicy keys : List.of(new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern()),
        new KeyPolicy(true, List.of(), Pattern.compile("^([^:]+):")),
        new KeyPolicy(true, List.of("secret:*", "user:2"), NamespaceRule.defaultRule().pattern()))) {
      RedisSpanFactory whole = RetentionFirstSpanTest.factory(keys);
      RedisSpanFactory compressing = RetentionFirstSpanTest.factory(keys);
      Retention retention = new Retention(true, TimeUnit.HOURS.toNanos(1), 0, TimeUnit.DAYS.toNanos(1), () -> 0)
          .withKeyEvents();
      KeyEvents fromSpans = new KeyEvents();
      Object[] connections = {new Object(), new Object()};
      Object[] sockets = {InetSocketAddress.createUnresolved("redis", 6379),
          InetSocketAddress.createUnresolved("replica", 6380)};
      SpanRecord written = new SpanRecord();
      SpanRecord decided = new SpanRecord();
      List<String> straight = new ArrayList<>();
      List<String> fromAttributes = new ArrayList<>();
      Random random = new Random(77);
      long now = System.nanoTime();
      for (int i = 0; i < 5_000; i++) {
        SpanEvent event = new SpanEvent();
        event.type = SpanEvent.Type.REDIS_COMMAND;
        event.connection = connections[i % 2];
        event.socket = sockets[i % 2];
        String[] command = RetentionFirstSpanTest.COMMANDS[random.nextInt(RetentionFirstSpanTest.COMMANDS.length)];
        event.command = RetentionFirstSpanTest.words(command);
        event.error = random.nextInt(40) == 0 ? new RuntimeException("WRONGTYPE Operation against a key") : null;
        event.reply = command[0].equals("DEL") ? (Object) (long) random.nextInt(3) : null;
        event.replyLength = random.nextBoolean() ? random.nextInt(200) : -1;
        event.parentSpanId = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
        event.traceIdHigh = random.nextLong();
        event.traceIdLow = random.nextLong();
        event.spanId = random.nextLong() | 1;
        now += TimeUnit.MICROSECONDS.toNanos(random.nextInt(100));
        event.startNanos = now;
        event.endNanos = now + random.nextInt(50_000);

        whole.command(event, written);
        boolean kept = compressing.command(event, decided, retention);
        retention.takeCompressed();
        if (!kept && written.attributes().get(AttributeKey.stringKey("memory.key")) != null) {
          fromSpans.add(written);
        }
        boolean last = i == 4_999;
        assertThat(fromSpans.full()).as("command %d", i).isEqualTo(retention.keyEventsDue(false));
        if (retention.keyEventsDue(last)) {
          SpanRecord carrier = new SpanRecord();
          retention.writeKeyEvents(carrier);
          straight.add(carrier.events().toString());
          SpanRecord other = new SpanRecord();
          fromSpans.writeTo(other);
          fromAttributes.add(other.events().toString());
        }
      }
      assertThat(straight).as("carriers").hasSizeGreaterThan(5).isEqualTo(fromAttributes);
    }
  }

  @Test
  void shouldMakeNoEventsWhenSwitchedOff() {
    Retention retention = new Retention(true, 0, 0, TimeUnit.SECONDS.toNanos(10), () -> 0);
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_COMMAND;
    event.command = RetentionFirstSpanTest.words("GET", "user:1");
    event.spanId = 1;
    event.endNanos = 1;
    RetentionFirstSpanTest.factory(new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern()))
        .command(event, new SpanRecord(), new Retention(true, TimeUnit.SECONDS.toNanos(1), 0,
            TimeUnit.SECONDS.toNanos(10), () -> 0));
    assertThat(retention.keyEvents()).isNull();
    assertThat(retention.keyEventsDue(true)).isFalse();
    assertThat(Retention.off().withKeyEvents().keyEvents()).as("no retention, no events: every span is kept")
        .isNull();
  }
}
