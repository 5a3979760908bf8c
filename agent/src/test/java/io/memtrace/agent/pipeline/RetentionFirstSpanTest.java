package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.instrumentation.jedis.common.JedisArguments;
import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import io.memtrace.agent.values.ValueCapture;

/**
 * A Redis command's span decided by retention before its attributes are written
 * ({@code RedisSpanFactory.command(event, record, retention)}) comes out exactly as one written whole and then
 * admitted ({@code command(event, record)} then {@code Retention.admit}): the same spans kept, the same records,
 * the same summaries, over commands of every kind the decision reads (errors, slow ones, keys whose namespace is
 * cut from the bytes or decoded, no key, handshakes, parents) and intervals that end.
 */
class RetentionFirstSpanTest {

  private static final SpanClock CLOCK = new SpanClock();
  static final String[][] COMMANDS = {
      {"GET", "user:1"}, {"SET", "user:2", "value"}, {"GET", "session:abc:x"}, {"SET", "ключ:1", "v"},
      {"GET", "plain"}, {"PING"}, {"EXPIRE", "user:1", "60"}, {"SETEX", "cart:9", "30", "v"},
      {"GET", "secret:token"}, {"SELECT", "2"}, {"DEL", "user:3", "user:4"}, {"EVALSHA", "abc", "1", "k:1"}};

  static RedisSpanFactory factory(KeyPolicy keys) {
    return new RedisSpanFactory(JedisArguments::decode, keys, ValueCapture.NONE, CLOCK, Resource.empty(),
        InstrumentationScopeInfo.create("test"), new ChildBytes(), null);
  }

  private static Retention retention() {
    return new Retention(true, TimeUnit.MILLISECONDS.toNanos(5), 2, TimeUnit.MILLISECONDS.toNanos(20), () -> 0);
  }

  static List<byte[]> words(String... words) {
    List<byte[]> args = new ArrayList<>();
    for (String word : words) {
      args.add(word.getBytes(StandardCharsets.UTF_8));
    }
    return args;
  }

  /** Everything an exported span carries, in the order the record holds it; a summary's ids are random. */
  private static String describe(SpanRecord r) {
    boolean summary = r.name.equals(MEMTRACE_COMPRESSED);
    StringBuilder s = new StringBuilder().append(r.name).append(' ').append(r.kind).append(' ')
        .append(summary ? "" : r.traceIdHigh + "/" + r.traceIdLow + "/" + r.spanId + "/")
        .append(r.parentSpanId).append(' ').append(r.startEpochNanos).append('-').append(r.endEpochNanos).append(' ')
        .append(r.statusCode).append(':').append(r.statusMessage).append(" {");
    for (int i = 0; i < r.slots().count(); i++) {
      String key = r.slots().key(i);
      s.append(key).append('=').append(SpanRecords.attribute(r, key)).append(';');
    }
    return s.append("} events ").append(r.events().size()).toString();
  }

  private static void shouldMatch(KeyPolicy keys) {
    RedisSpanFactory whole = factory(keys);
    RedisSpanFactory first = factory(keys);
    Retention admitting = retention();
    Retention deciding = retention();
    SpanRecord written = new SpanRecord();
    SpanRecord decided = new SpanRecord();
    Random random = new Random(47);
    long now = System.nanoTime();
    int kept = 0;
    int summaries = 0;
    for (int i = 0; i < 5_000; i++) {
      SpanEvent event = new SpanEvent();
      event.type = SpanEvent.Type.REDIS_COMMAND;
      event.command = words(COMMANDS[random.nextInt(COMMANDS.length)]);
      event.handshake = random.nextInt(50) == 0;
      event.error = random.nextInt(40) == 0 ? new RuntimeException("WRONGTYPE Operation against a key") : null;
      event.replyLength = random.nextBoolean() ? random.nextInt(200) : -1;
      event.traceIdLow = i + 1;
      event.spanId = i + 1;
      event.parentSpanId = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
      event.otelParent = event.parentSpanId != 0 && random.nextInt(3) == 0;
      now += TimeUnit.MICROSECONDS.toNanos(random.nextInt(100)); // an interval every few hundred commands
      event.startNanos = now;
      event.endNanos = now + (random.nextInt(30) == 0 ? TimeUnit.MILLISECONDS.toNanos(6) : random.nextInt(50_000));

      whole.command(event, written);
      boolean keptWhole = admitting.admit(written);
      boolean keptFirst = first.command(event, decided, deciding);

      assertThat(keptFirst).as("command %d kept or summary", i).isEqualTo(keptWhole);
      if (keptWhole) {
        assertThat(describe(decided)).as("command %d", i).isEqualTo(describe(written));
        kept++;
        summaries += written.name.equals(MEMTRACE_COMPRESSED) ? 1 : 0;
      }
      assertThat(deciding.takeCompressed()).isEqualTo(admitting.takeCompressed());
    }
    deciding.close();
    admitting.close();
    assertThat(deciding.summaryDue()).isEqualTo(admitting.summaryDue()).isTrue();
    deciding.writeSummary(decided);
    admitting.writeSummary(written);
    assertThat(describe(decided)).isEqualTo(describe(written));
    assertThat(kept).as("some kept, most compressed").isBetween(100, 4_000);
    assertThat(summaries).as("intervals ended and their summaries took records").isGreaterThan(5);
  }

  @Test
  void shouldKeepAndWriteTheSameSpansAsWritingThemWholeThenAdmitting() {
    shouldMatch(new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern()));
  }

  @Test
  void shouldMatchWithARegexNamespaceAndRedactedKeys() {
    shouldMatch(new KeyPolicy(true, List.of("secret:*"), Pattern.compile("^([^:]+):")));
  }
}
