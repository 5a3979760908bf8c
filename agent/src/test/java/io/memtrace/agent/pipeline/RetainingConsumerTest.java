package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED_COUNT;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_KEY_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.pipeline.retention.KeyEvents;
import io.memtrace.agent.pipeline.retention.Retention;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consumer with retention on: what it exports, and the accounting
 * produced = exported + compressed + dropped, also when exports fail.
 */
class RetainingConsumerTest {

  private final SpanRing ring = SpanRing.create(4096);
  private final HealthCounters counters = new HealthCounters();
  private final SpanClock clock = new SpanClock();

  /** A GET under {@code parent} (0: a root) that took {@code millis} and failed when {@code error}. */
  private void publishGet(long parent, long millis, boolean error) {
    assertThat(ring.buffer.tryPublishEvent((event, sequence) -> {
      event.type = SpanEvent.Type.REDIS_COMMAND;
      event.command = List.of(PipelineFixture.GET, PipelineFixture.KEY);
      event.replyLength = error ? -1 : 3;
      event.error = error ? new RuntimeException("WRONGTYPE Operation against a key") : null;
      event.traceIdLow = 1;
      event.spanId = sequence + 1;
      event.parentSpanId = parent;
      event.endNanos = System.nanoTime();
      event.startNanos = event.endNanos - TimeUnit.MILLISECONDS.toNanos(millis);
    })).as("the ring has room").isTrue();
  }

  /** A pipeline under {@code parent} (0: a root): SET of a key of its own, then DEL of the one before. */
  private void publishPipeline(long parent, int i) {
    assertThat(ring.buffer.tryPublishEvent((event, sequence) -> {
      event.type = SpanEvent.Type.REDIS_BATCH;
      event.batchCommands = new Object[] {RetentionFirstSpanTest.words("SET", "cart:" + i, "v"),
          RetentionFirstSpanTest.words("DEL", "cart:" + (i - 1))};
      event.batchArguments = new Object[2];
      event.batchReplies = new Object[] {"OK", 1L};
      event.batchRecorded = 2;
      event.batchMethod = "sync";
      event.traceIdLow = 1;
      event.spanId = sequence + 1;
      event.parentSpanId = parent;
      event.endNanos = System.nanoTime();
      event.startNanos = event.endNanos;
    })).as("the ring has room").isTrue();
  }

  /** A command of {@code words} under the root span 5, or a pipeline of them when more than one. */
  private void publish(List<List<byte[]>> commands) {
    assertThat(ring.buffer.tryPublishEvent((event, sequence) -> {
      if (commands.size() == 1) {
        event.type = SpanEvent.Type.REDIS_COMMAND;
        event.command = commands.get(0);
        event.replyLength = -1;
        event.reply = "OK";
      } else {
        event.type = SpanEvent.Type.REDIS_BATCH;
        event.batchCommands = commands.toArray();
        event.batchArguments = new Object[commands.size()];
        event.batchReplies = commands.stream().map(c -> "OK").toArray();
        event.batchRecorded = commands.size();
        event.batchMethod = "sync";
      }
      event.traceIdLow = 1;
      event.spanId = sequence + 1;
      event.parentSpanId = 5;
      event.endNanos = System.nanoTime();
      event.startNanos = event.endNanos;
    })).as("the ring has room").isTrue();
  }

  /** Published in {@link #run} after the rest. */
  private Runnable more = () -> { };

  /** The consumer's batch size (OTEL_BSP_MAX_EXPORT_BATCH_SIZE) in {@link #run}. */
  private int maxBatch = 16;

  private GatedExporter run(int failEvery, int roots, int children, int errors, int slow) throws Exception {
    return run(failEvery, roots, children, errors, slow, false);
  }

  private GatedExporter run(int failEvery, int roots, int children, int errors, int slow, boolean keyEvents)
      throws Exception {
    return run(failEvery, roots, children, errors, slow, keyEvents, 0);
  }

  private GatedExporter run(int failEvery, int roots, int children, int errors, int slow, boolean keyEvents,
      int pipelines) throws Exception {
    GatedExporter exporter = failEvery == 0 ? GatedExporter.open() : GatedExporter.failingEvery(failEvery);
    // intervals lie on a grid since the epoch: a run that crossed a line would sample twice and sum twice, so the
    // interval is an hour and a run does not start in the last half minute of one
    long interval = TimeUnit.HOURS.toNanos(1);
    long intoInterval = Math.floorMod(clock.toEpochNanos(System.nanoTime()), interval);
    if (interval - intoInterval < TimeUnit.SECONDS.toNanos(30)) {
      TimeUnit.NANOSECONDS.sleep(interval - intoInterval + TimeUnit.MILLISECONDS.toNanos(100));
    }
    Retention retention = new Retention(true, TimeUnit.MILLISECONDS.toNanos(50), 1, interval,
        () -> clock.toEpochNanos(System.nanoTime()));
    SpanConsumer consumer = PipelineFixture.consumer(ring, exporter, counters, maxBatch)
        .retaining(keyEvents ? retention.withKeyEvents() : retention);
    Thread thread = consumer.start();
    for (int i = 0; i < roots; i++) {
      publishGet(0, 0, false);
    }
    for (int i = 0; i < children; i++) {
      publishGet(77, 0, false); // a parent that never ends: summarised at shutdown
    }
    for (int i = 0; i < errors; i++) {
      publishGet(0, 0, true);
    }
    for (int i = 0; i < slow; i++) {
      publishGet(0, 60, false);
    }
    for (int i = 0; i < pipelines; i++) {
      publishPipeline(i % 2 == 0 ? 0 : 77, i);
    }
    more.run();
    counters.lost(3); // three commands that found the ring full
    consumer.drainAndStop(10_000);
    thread.join(10_000);
    return exporter;
  }

  private static long compressedOnSummaries(GatedExporter exporter) {
    return exporter.received.stream().filter(s -> s.getName().equals(MEMTRACE_COMPRESSED))
        .mapToLong(s -> s.getAttributes().get(MEMTRACE_COMPRESSED_COUNT)).sum();
  }

  @Test
  void shouldExportErrorsSlowSpansAndASampleAndCountTheRestOnTheSummary() throws Exception {
    GatedExporter exporter = run(0, 300, 200, 7, 5);

    long errors = exporter.received.stream().filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR).count();
    long summaries = exporter.received.stream().filter(s -> s.getName().equals(MEMTRACE_COMPRESSED)).count();
    assertThat(errors).as("every error kept").isEqualTo(7);
    assertThat(summaries).as("one interval, one summary").isEqualTo(1);
    // kept: 1 sample GET user + 7 errors + 5 slow + the summary
    assertThat(exporter.received).hasSize(1 + 7 + 5 + 1);
    assertThat(counters.compressed.get()).isEqualTo(300 + 200 - 1);
    assertThat(compressedOnSummaries(exporter)).as("the summary counts every compressed span")
        .isEqualTo(counters.compressed.get());
    assertThat(counters.produced.get()).as("the 512 commands, the 3 lost, the summary").isEqualTo(512 + 3 + 1);
    assertThat(counters.produced.get())
        .isEqualTo(counters.exported.get() + counters.compressed.get() + counters.droppedTotal());
    assertThat(counters.summary()).contains("memtrace.events.produced=516 ", "memtrace.events.exported=14 ",
        "memtrace.events.compressed=499 ", "memtrace.events.dropped=3 ");
  }

  /**
   * FLUSHDB, FLUSHALL and SWAPDB name no key, so no key event could stand for one compressed: each is kept, alone or
   * in a pipeline, while the PINGs beside them are sampled. With key events and without.
   */
  @ParameterizedTest(name = "key events {0}")
  @ValueSource(booleans = {false, true})
  void shouldKeepEveryCommandThatChangesAWholeDatabase(boolean keyEvents) throws Exception {
    more = () -> {
      for (int i = 0; i < 4; i++) {
        publish(List.of(RetentionFirstSpanTest.words("FLUSHDB")));
        publish(List.of(RetentionFirstSpanTest.words("SWAPDB", "0", "1")));
        publish(List.of(RetentionFirstSpanTest.words("FLUSHALL", "ASYNC")));
        publish(List.of(RetentionFirstSpanTest.words("PING")));
        publish(List.of(RetentionFirstSpanTest.words("SET", "cart:" + i, "v"), RetentionFirstSpanTest.words("FLUSHDB")));
        publish(List.of(RetentionFirstSpanTest.words("SET", "cart:" + i, "v"), RetentionFirstSpanTest.words("DEL", "x")));
      }
    };
    GatedExporter exporter = run(0, 0, 0, 0, 0, keyEvents);

    List<String> names = exporter.received.stream().map(SpanData::getName).collect(Collectors.toList());
    assertThat(names).filteredOn("FLUSHDB"::equals).hasSize(4);
    assertThat(names).filteredOn("SWAPDB"::equals).hasSize(4);
    assertThat(names).filteredOn("FLUSHALL"::equals).hasSize(4);
    assertThat(names).as("the PINGs sampled").filteredOn("PING"::equals).hasSize(1);
    assertThat(exporter.received.stream().filter(s -> s.getName().equals("PIPELINE")).map(s -> String.valueOf(
        s.getAttributes().get(AttributeKey.stringKey("db.query.text")))).filter(t -> t.contains("FLUSHDB")))
        .as("every pipeline with a FLUSHDB").hasSize(4);
    assertThat(counters.compressed.get()).as("the other PINGs and pipelines").isEqualTo(3 + 3);
    assertThat(counters.produced.get())
        .isEqualTo(counters.exported.get() + counters.compressed.get() + counters.droppedTotal());
  }

  @Test
  void shouldKeepTheAccountingExactWhenExportsFail() throws Exception {
    GatedExporter exporter = run(2, 100, 0, 40, 0);

    assertThat(counters.spansInFailedExports.get()).as("some exports failed").isPositive();
    assertThat(counters.exported.get()).isEqualTo(exporter.received.size());
    assertThat(counters.produced.get()).isEqualTo(100 + 40 + 3 + 1);
    assertThat(counters.produced.get())
        .isEqualTo(counters.exported.get() + counters.compressed.get() + counters.droppedTotal());
  }

  @Test
  void shouldSendAKeyEventForEveryCompressedCommandAndCountItsCarrierLikeASpan() throws Exception {
    GatedExporter exporter = run(0, 1200, 200, 7, 5, true);

    List<SpanData> carriers = exporter.received.stream().filter(s -> s.getName().equals(MEMTRACE_KEY_EVENTS))
        .collect(Collectors.toList());
    List<KeyEventCommands.Command> commands = KeyEventCommands.of(carriers.stream()
        .flatMap(c -> c.getEvents().stream()).collect(Collectors.toList()));
    long events = commands.size();
    assertThat(counters.compressed.get()).isEqualTo(1200 + 200 - 1);
    assertThat(events).as("one key event per compressed command").isEqualTo(counters.compressed.get());
    assertThat(exporter.received.stream().flatMap(s -> s.getEvents().stream())
        .filter(e -> e.getName().equals(MEMTRACE_COMPRESSED))
        .mapToLong(e -> e.getAttributes().get(AttributeKey.longKey("memtrace.compressed.key_events"))).sum())
        .as("the counts say their commands' key events went out").isEqualTo(events);
    assertThat(carriers).as("full carriers, then what waited at shutdown")
        .allSatisfy(c -> assertThat(KeyEventCommands.of(c.getEvents())).hasSizeBetween(1, KeyEvents.PER_SPAN));
    assertThat(commands.stream().map(KeyEventCommands.Command::spanId).distinct().count())
        .as("each compressed command once").isEqualTo(events);
    // kept: 1 sample + 7 errors + 5 slow + the summary + the carriers
    assertThat(exporter.received).hasSize(1 + 7 + 5 + 1 + carriers.size());
    assertThat(counters.produced.get()).as("the commands, the 3 lost, the summary, the carriers")
        .isEqualTo(1412 + 3 + 1 + carriers.size());
    assertThat(counters.produced.get())
        .isEqualTo(counters.exported.get() + counters.compressed.get() + counters.droppedTotal());
  }

  /**
   * A carrier of key events weighs its commands in a batch ({@link KeyEvents#spanWeight}): counted as one span, a
   * batch of the default 512 held up to 512 carriers, a request of 262,144 commands, which a collector on the same
   * cores took seconds to acknowledge while the ring filled and dropped (bench/load.sh with key events, 2026-11-29).
   */
  @Test
  void shouldWeighACarrierByItsCommandsSoThatARequestHoldsNoMoreCommandsThanItsBatchCapWeighs() throws Exception {
    maxBatch = 512;
    GatedExporter exporter = run(0, 4000, 0, 0, 0, true); // within the ring, whenever the consumer starts

    // full carriers up to the batch's largest limit: the sizer lets a full batch grow while the exporter is busy (the
    // gated exporter here, whenever the consumer finds it so), so a request holds up to its cap's weight, not 512's
    int perBatch = new BatchSizer(maxBatch).cap() / KeyEvents.spanWeight(KeyEvents.PER_SPAN) * KeyEvents.PER_SPAN;
    long sent = 0;
    for (List<SpanData> batch : exporter.batches) {
      long commands = KeyEventCommands.of(batch.stream().filter(s -> s.getName().equals(MEMTRACE_KEY_EVENTS))
          .flatMap(s -> s.getEvents().stream()).collect(Collectors.toList())).size();
      assertThat(commands).as("the key events in one export").isLessThanOrEqualTo(perBatch);
      sent += commands;
    }
    assertThat(sent).as("every compressed command").isEqualTo(counters.compressed.get()).isEqualTo(4000 - 1);
    assertThat(exporter.batches).as("several requests, not one").hasSizeGreaterThan(1);
  }

  @Test
  void shouldSendTheCommandsOfEveryCompressedPipelineAsKeyEventsAndKeepTheAccountingExact() throws Exception {
    GatedExporter exporter = run(0, 10, 0, 0, 0, true, 600);

    List<SpanData> carriers = exporter.received.stream().filter(s -> s.getName().equals(MEMTRACE_KEY_EVENTS))
        .collect(Collectors.toList());
    List<String> batches = KeyEventCommands.batches(carriers.stream().flatMap(c -> c.getEvents().stream())
        .collect(Collectors.toList()));
    assertThat(counters.compressed.get()).as("all but the first GET and the first pipeline").isEqualTo(10 + 600 - 2);
    assertThat(batches).as("every compressed pipeline, as its span would have listed its SET and DEL").hasSize(599)
        .allSatisfy(b -> assertThat(b).startsWith("PIPELINE ").contains("\n  SET {", "\n  DEL {",
            "memory.result_count=1"));
    assertThat(exporter.received.stream().flatMap(s -> s.getEvents().stream())
        .filter(e -> e.getName().equals(MEMTRACE_COMPRESSED))
        .mapToLong(e -> e.getAttributes().get(AttributeKey.longKey("memtrace.compressed.key_events"))).sum())
        .as("the counts say every compressed command's and pipeline's key events went out")
        .isEqualTo(counters.compressed.get());
    assertThat(counters.produced.get()).as("the commands, the pipelines, the 3 lost, the summary, the carriers")
        .isEqualTo(10 + 600 + 3 + 1 + carriers.size());
    assertThat(counters.produced.get())
        .isEqualTo(counters.exported.get() + counters.compressed.get() + counters.droppedTotal());
  }

  @Test
  void shouldExportEverySpanWhenRetentionIsOff() throws Exception {
    GatedExporter exporter = GatedExporter.open();
    SpanConsumer consumer = PipelineFixture.consumer(ring, exporter, counters, 16);
    Thread thread = consumer.start();
    for (int i = 0; i < 50; i++) {
      publishGet(0, 0, false);
    }
    consumer.drainAndStop(10_000);
    thread.join(10_000);

    assertThat(exporter.received).hasSize(50);
    assertThat(counters.produced.get()).isEqualTo(50);
    assertThat(counters.compressed.get()).isZero();
  }
}
