package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_BATCH_COMMAND;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED_COUNT;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED_KEY_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.pipeline.retention.Retention;
import io.memtrace.agent.redis.KeyPolicy;
import io.memtrace.agent.span.SpanRecord;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.sdk.trace.data.EventData;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A pipeline or transaction compressed as a whole, with key events on, goes out as the batch and the commands its
 * kept span would have listed ({@code memtrace.batch.command}: each that names a key and is not a read): read back,
 * the same name, ids, times and place as the kept span, and the same attributes for each command, in order; a kept
 * batch, or one that lists none, sends nothing. Its count says its commands went out, unless some of them were not
 * recorded (past the batch's capacity) or what ran is not known (a transaction whose EXEC's reply is not its
 * commands': not recorded, or aborted), which the count then still stands for.
 */
class CompressedBatchKeyEventsTest {

  private static final String[][] COMMANDS = {
      {"SET", "user:1", "value"}, {"GET", "user:1"}, {"DEL", "user:2", "user:3"}, {"EXPIRE", "user:1", "60"},
      {"SETEX", "cart:9", "30", "v"}, {"INCR", "counter:visits"}, {"SET", "ключ:1", "v"}, {"HSET", "secret:h", "f", "v"},
      {"PING"}};
  private static final long PARENT = 7;

  private static String hex(long id) {
    String digits = Long.toHexString(id);
    return "0000000000000000".substring(digits.length()) + digits;
  }

  /** The kept batch span as {@link KeyEventCommands#batches} reads its key events. */
  private static String said(SpanRecord span) {
    TreeMap<String, Object> place = new TreeMap<>();
    span.attributes().forEach((k, v) -> {
      if (List.of("db.namespace", "server.address", "server.port").contains(k.getKey())) {
        place.put(k.getKey(), v);
      }
    });
    StringBuilder out = new StringBuilder();
    out.append(span.name + " trace=" + hex(span.traceIdHigh) + hex(span.traceIdLow) + " span=" + hex(span.spanId)
        + " parent=" + (span.parentSpanId == 0 ? null : hex(span.parentSpanId)) + " end=" + span.endEpochNanos
        + " duration=" + (span.endEpochNanos - span.startEpochNanos) + " place=" + place);
    for (EventData e : span.events()) {
      if (e.getName().equals(MEMTRACE_BATCH_COMMAND)) {
        TreeMap<String, Object> said = new TreeMap<>();
        e.getAttributes().forEach((k, v) -> said.put(k.getKey(), v));
        out.append("\n  " + said.get("db.operation.name") + " " + said);
      }
    }
    return out.toString();
  }

  private static SpanEvent batch(Random random, int i, long now, Object connection) {
    SpanEvent event = new SpanEvent();
    event.type = SpanEvent.Type.REDIS_BATCH;
    event.connection = connection;
    event.socket = InetSocketAddress.createUnresolved("redis-" + random.nextInt(2), 6379);
    boolean transaction = random.nextBoolean();
    event.batchMethod = transaction ? "exec" : "sync";
    event.batchCommands = new Object[16];
    event.batchArguments = new Object[16];
    event.batchReplies = new Object[16];
    int n = 1 + random.nextInt(4);
    List<Object> queued = new ArrayList<>();
    int at = 0;
    if (transaction) {
      event.batchCommands[at] = RetentionFirstSpanTest.words("MULTI");
      event.batchReplies[at++] = "OK";
    }
    for (int c = 0; c < n; c++) {
      String[] command = COMMANDS[random.nextInt(COMMANDS.length)];
      Object reply = command[0].equals("DEL") ? (Object) (long) random.nextInt(3)
          : command[0].equals("GET") ? "value" : command[0].equals("EXPIRE") || command[0].equals("INCR")
          || command[0].equals("HSET") ? (Object) 1L : "OK";
      event.batchCommands[at] = RetentionFirstSpanTest.words(command);
      event.batchReplies[at++] = transaction ? "QUEUED" : reply;
      queued.add(reply);
    }
    if (transaction) {
      event.batchCommands[at] = RetentionFirstSpanTest.words("EXEC");
      event.batchReplies[at++] = queued;
    }
    event.batchRecorded = at;
    if (transaction && random.nextInt(8) == 0) {
      // WATCH aborted it, or its EXEC's reply was not recorded (the slot's array, cleared): its span lists nothing
      java.util.Arrays.fill(event.batchReplies, null);
    }
    event.batchOverflow = random.nextInt(10) == 0 ? 3 : 0;
    event.error = random.nextInt(40) == 0 ? new RuntimeException("ERR something") : null;
    event.parentSpanId = random.nextInt(3) == 0 ? PARENT : 0;
    event.traceIdHigh = event.parentSpanId == 0 ? random.nextLong() : 77;
    event.traceIdLow = event.parentSpanId == 0 ? i + 1 : 78;
    event.spanId = random.nextLong() | 1;
    event.startNanos = now;
    event.endNanos = now + (random.nextInt(30) == 0 ? TimeUnit.MILLISECONDS.toNanos(6) : random.nextInt(50_000));
    return event;
  }

  private static void shouldSayWhatTheBatchSpanSays(KeyPolicy keys) {
    RedisSpanFactory whole = RetentionFirstSpanTest.factory(keys);
    RedisSpanFactory compressing = RetentionFirstSpanTest.factory(keys);
    // intervals of 20 ms: some batches end one, and the record they were written in takes its summary
    Retention retention = new Retention(true, TimeUnit.MILLISECONDS.toNanos(5), 2, TimeUnit.MILLISECONDS.toNanos(20),
        () -> 0).withKeyEvents();
    int summaries = 0;
    Random random = new Random(77);
    Object connection = new Object();
    long now = System.nanoTime();
    List<String> expected = new ArrayList<>();
    int compressedUnderParent = 0;
    int recordedWholeUnderParent = 0;
    for (int i = 0; i < 3_000; i++) {
      now += TimeUnit.MICROSECONDS.toNanos(random.nextInt(100));
      SpanEvent event = batch(random, i, now, connection);
      SpanRecord written = new SpanRecord();
      whole.batch(event, written);
      SpanRecord decided = new SpanRecord();
      boolean exported = compressing.batch(event, decided, retention);
      if (exported && decided.name.equals(MEMTRACE_COMPRESSED)) {
        summaries++;
      } else if (exported) {
        continue; // kept
      }
      if (event.parentSpanId == PARENT) {
        compressedUnderParent++;
        boolean ran = !event.batchMethod.equals("exec") || event.batchReplies[event.batchRecorded - 1] != null;
        recordedWholeUnderParent += event.batchOverflow == 0 && ran ? 1 : 0;
      }
      String said = said(written);
      if (said.contains("\n")) {
        expected.add(said);
      }
    }
    List<String> sent = new ArrayList<>();
    while (retention.keyEventsDue(true)) {
      SpanRecord carrier = new SpanRecord();
      retention.writeKeyEvents(carrier);
      assertThat(KeyEventCommands.of(carrier.events())).as("batches only").isEmpty();
      sent.addAll(KeyEventCommands.batches(carrier.events()));
    }
    assertThat(String.join("\n", expected).split("\n  ").length).as("commands listed").isGreaterThan(1_500);
    assertThat(expected.toString()).contains("  DEL ", "memory.result_count", "  EXPIRE ", "memory.ttl", "  INCR ");
    assertThat(sent).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(summaries).as("batches whose record took a summary").isPositive();

    SpanRecord parent = new SpanRecord();
    parent.spanId = PARENT;
    retention.ended(parent);
    long count = 0;
    long keyed = 0;
    for (EventData e : parent.events()) {
      if (e.getName().equals(MEMTRACE_COMPRESSED)) {
        count += e.getAttributes().get(MEMTRACE_COMPRESSED_COUNT);
        Long k = e.getAttributes().get(MEMTRACE_COMPRESSED_KEY_EVENTS);
        keyed += k == null ? 0 : k;
      }
    }
    assertThat(count).isEqualTo(compressedUnderParent);
    assertThat(keyed).as("every batch recorded whole, with what ran known: its commands went out")
        .isEqualTo(recordedWholeUnderParent)
        .isLessThan(count);
  }

  @Test
  void shouldSendWhatTheKeptBatchSpanWouldHaveListed() {
    shouldSayWhatTheBatchSpanSays(new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern()));
  }

  @Test
  void shouldShowARedactedKeyAsTheBatchSpanDoes() {
    shouldSayWhatTheBatchSpanSays(new KeyPolicy(true, List.of("secret:*", "user:*"), Pattern.compile("^([^:]+):")));
  }
}
