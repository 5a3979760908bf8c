package io.memtrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.config.ConfigLoader;
import io.memtrace.agent.config.MemtraceConfig;
import io.memtrace.agent.export.ExportDispatcher;
import io.memtrace.agent.metrics.MetricsPipeline;
import io.memtrace.agent.pipeline.GatedExporter;
import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.pipeline.PipelineFixture;
import io.memtrace.agent.pipeline.SpanConsumer;
import io.memtrace.agent.pipeline.SpanRing;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shutdown hook of a JVM that may exit while memtrace is still building its consumer: events
 * recorded into the ring meanwhile are exported once it is built, or counted when it never is.
 */
class ShutdownHookTest {

  private static final MemtraceConfig NO_METRICS =
      ConfigLoader.load(null, Map.of("OTEL_METRICS_EXPORTER", "none"), new Properties()).config();

  private final SpanRing ring = SpanRing.create(64);
  private final HealthCounters counters = new HealthCounters();
  private final GatedExporter exporter = GatedExporter.open();

  private boolean handOverConsumer(ShutdownHook hook) {
    SpanConsumer consumer = PipelineFixture.consumer(ring, exporter, counters, 2);
    ExportDispatcher exporters = PipelineFixture.dispatcher(exporter, counters);
    MetricsPipeline metrics = MetricsPipeline.create(NO_METRICS, Resource.empty(), counters, "test");
    return hook.started(consumer, metrics, exporters);
  }

  /** A hook with {@code budgetMillis} to shut down, recording the ring, in which {@code waiting} GETs wait. */
  private ShutdownHook recordingHook(long budgetMillis, int waiting) {
    ShutdownHook hook = new ShutdownHook(budgetMillis);
    hook.recording(ring, counters);
    for (int i = 0; i < waiting; i++) {
      assertThat(PipelineFixture.publishGet(ring)).isTrue();
    }
    return hook;
  }

  @Test
  void shouldWaitForTheConsumerStillBeingBuiltAndExportWhatWaitedInTheRing() throws Exception {
    ShutdownHook hook = recordingHook(20_000, 3); // the application's first commands, before the consumer exists
    Thread exiting = new Thread(hook, "test-shutdown");
    exiting.start();
    while (exiting.getState() != Thread.State.TIMED_WAITING) { // waiting for the consumer
      Thread.onSpinWait();
    }

    assertThat(handOverConsumer(hook)).as("the consumer started").isTrue();
    exiting.join(20_000);

    assertThat(exiting.isAlive()).isFalse();
    assertThat(exporter.spans.get()).isEqualTo(3);
    assertThat(counters.exported.get()).isEqualTo(3);
    assertThat(counters.dropped.get()).isZero();
  }

  @Test
  void shouldCountWhatWaitedInTheRingWhenTheRestOfTheStartFailed() {
    ShutdownHook hook = recordingHook(20_000, 2);
    hook.failed();

    hook.run();

    assertThat(counters.dropped.get()).isEqualTo(2);
    assertThat(exporter.spans.get()).isZero();
  }

  @Test
  void shouldCountWhatWaitedAndStartNoConsumerWhenTheStartOutlastsTheShutdownBudget() {
    ShutdownHook hook = recordingHook(200, 2);

    hook.run(); // the consumer is still being built when the budget runs out

    assertThat(counters.dropped.get()).isEqualTo(2);
    assertThat(handOverConsumer(hook)).as("too late: the events were counted already").isFalse();
    assertThat(exporter.spans.get()).isZero();
  }

  @Test
  void shouldNotWaitForTheConsumerWhenNothingWasRecorded() {
    ShutdownHook hook = recordingHook(20_000, 0);
    long started = System.nanoTime();

    hook.run();

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("not the hook's 20 s budget")
        .isLessThan(20_000);
    assertThat(counters.dropped.get()).isZero();
    assertThat(handOverConsumer(hook)).as("no consumer once the JVM is exiting").isFalse();
  }

  @Test
  void shouldPrintTheSummaryWhenTheJvmExitsIdleBeforeTheConsumerIsBuilt() {
    ShutdownHook recording = recordingHook(20_000, 0); // a client that failed its handshake: no event, no consumer
    ShutdownHook starting = new ShutdownHook(20_000); // memtrace not even recording yet

    for (ShutdownHook hook : List.of(recording, starting)) {
      assertThat(stderrOf(hook)).as("the summary, all zeros").singleElement().asString()
          .startsWith("[memtrace] INFO shutdown: memtrace.events.produced=0 memtrace.events.exported=0 ")
          .contains(" memtrace.events.dropped=0 ");
    }
  }

  /** The lines {@code hook} prints on standard error as it runs. */
  private static List<String> stderrOf(ShutdownHook hook) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      hook.run();
    } finally {
      System.setErr(before);
    }
    return err.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
  }
}
