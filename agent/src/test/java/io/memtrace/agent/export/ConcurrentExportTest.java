package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.pipeline.PipelineFixture;
import io.memtrace.agent.pipeline.SpanConsumer;
import io.memtrace.agent.pipeline.SpanRing;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exports really in flight at once, seen from a real HTTP endpoint on a loopback socket that holds
 * its answers, and the accounting of the whole consumer path when that endpoint is slow.
 */
class ConcurrentExportTest {

  private final HoldingOtlpServer server;

  ConcurrentExportTest() throws Exception {
    server = new HoldingOtlpServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private OtlpHttpTraceExporter exporter(int lanes) {
    return new OtlpHttpTraceExporter(server.tracesUrl(), Map.of(), false, Duration.ofSeconds(10), lanes);
  }

  @Test
  void shouldHaveAsManyRequestsOpenAsLanesWhileTheEndpointHoldsItsAnswers() throws Exception {
    server.gated = true;
    OtlpHttpTraceExporter exporter = exporter(4);
    List<CompletableResultCode> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      results.add(exporter.export(OtlpHttpTraceExporterTest.SpanRecordFixture.spans(3), 3));
    }

    await().atMost(120, TimeUnit.SECONDS).until(() -> server.open.get() == 4);
    Thread.sleep(200); // the two others must wait for a lane, not open a fifth connection
    assertThat(server.open.get()).as("requests read and not yet answered").isEqualTo(4);
    assertThat(results).noneMatch(CompletableResultCode::isDone);

    server.release.release(6);
    for (CompletableResultCode result : results) {
      assertThat(result.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(server.mostOpen.get()).isEqualTo(4);
    assertThat(server.connections.get()).as("one kept-alive connection per lane").isEqualTo(4);
    assertThat(server.spans.get()).isEqualTo(18);
    exporter.shutdown();
  }

  @Test
  void shouldKeepToOneLaneAndOneConnectionWhileExportsComeOneAtATime() throws Exception {
    OtlpHttpTraceExporter exporter = exporter(4);
    for (int i = 0; i < 5; i++) {
      assertThat(exporter.export(OtlpHttpTraceExporterTest.SpanRecordFixture.spans(1), 1)
          .join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(server.connections.get()).isEqualTo(1);
    assertThat(server.mostOpen.get()).isEqualTo(1);
    exporter.shutdown();
  }

  @Test
  void shouldAccountForEverySpanExactlyAndGrowBatchesWhenTheEndpointIsSlow() throws Exception {
    server.holdMillis = 25; // as a collector that syncs each request before answering
    HealthCounters counters = new HealthCounters();
    ExportDispatcher dispatcher = new ExportDispatcher(List.of(new SpanExporters.Named("otlp", exporter(4))),
        counters, 4);
    SpanRing ring = SpanRing.create(1024);
    SpanConsumer consumer = PipelineFixture.consumer(ring, dispatcher, counters, 16);
    Thread consumerThread = consumer.start();

    long published = 0;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    while (System.nanoTime() < deadline) { // faster than 4 exports of 16 spans per 25 ms can take
      if (PipelineFixture.publishGet(ring)) {
        published++;
      } else {
        Thread.onSpinWait();
      }
    }
    consumer.drainAndStop(10_000);
    consumerThread.join(15_000);
    consumer.countEventsAfterStop();

    long exported = counters.exported.get();
    assertThat(exported + counters.dropped.get() + counters.spansInFailedExports.get())
        .as("exported %d, dropped %d, failed %d", exported, counters.dropped.get(),
            counters.spansInFailedExports.get())
        .isEqualTo(published);
    assertThat(counters.produced.get()).as("produced = exported + dropped").isEqualTo(published);
    assertThat(counters.spansInFailedExports.get()).isZero();
    assertThat(server.spans.get()).as("what the endpoint stored is what was counted exported").isEqualTo(exported);
    assertThat(server.mostOpen.get()).as("exports in flight at once").isEqualTo(4);
    assertThat(server.largestRequestSpans.get()).as("batches grew past the configured 16").isGreaterThan(16)
        .isLessThanOrEqualTo(16 * 8);
  }

  @Test
  void shouldHoldQueuedBatchesThroughAStallAndDropOnlyPastTheQueuedSpansLimit() throws Exception {
    server.gated = true; // the endpoint stalls: nothing is answered until released
    HealthCounters counters = new HealthCounters();
    ExportDispatcher dispatcher = new ExportDispatcher(List.of(new SpanExporters.Named("otlp", exporter(2))),
        counters, 2, 60);
    for (int i = 0; i < 6; i++) { // 2 in flight, 4 waiting for a lane: 60 spans outstanding
      assertThat(dispatcher.primaryHasRoom()).as("room for batch %d", i).isTrue();
      dispatcher.export(OtlpHttpTraceExporterTest.SpanRecordFixture.spans(10), 10);
    }
    assertThat(dispatcher.primaryHasRoom()).as("60 spans outstanding, the most it may have").isFalse();
    dispatcher.export(OtlpHttpTraceExporterTest.SpanRecordFixture.spans(10), 10);
    assertThat(counters.dropped.get()).as("only the batch past the limit").isEqualTo(10);

    await().atMost(120, TimeUnit.SECONDS).until(() -> server.open.get() == 2);
    server.release.release(100);
    await().atMost(120, TimeUnit.SECONDS).until(() -> counters.exported.get() == 60);
    assertThat(server.spans.get()).isEqualTo(60);
    assertThat(server.mostOpen.get()).as("the queue waits for the lanes").isEqualTo(2);
    assertThat(counters.spansInFailedExports.get()).isZero();
    dispatcher.shutdown(5_000);
  }

  @Test
  void shouldDropWhatExceedsTheLanesWhenNoSpansMayBeQueued() throws Exception {
    server.gated = true;
    HealthCounters counters = new HealthCounters();
    ExportDispatcher dispatcher = new ExportDispatcher(List.of(new SpanExporters.Named("otlp", exporter(2))),
        counters, 2, 0);
    for (int i = 0; i < 4; i++) {
      dispatcher.export(OtlpHttpTraceExporterTest.SpanRecordFixture.spans(10), 10);
    }
    assertThat(counters.dropped.get()).isEqualTo(20);
    server.release.release(100);
    await().atMost(120, TimeUnit.SECONDS).until(() -> counters.exported.get() == 20);
    dispatcher.shutdown(5_000);
  }
}
