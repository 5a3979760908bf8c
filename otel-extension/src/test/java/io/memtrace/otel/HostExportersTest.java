package io.memtrace.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HostExportersTest {

  /** A fresh pair for each test: memtrace's handle on the agent's exporters, and the agent's exporter. */
  private final HostExporters exporters = new HostExporters();
  private final Recording agent = new Recording();

  /** memtrace's exporter through {@code exporters}: sampled by {@code sampler}, flushed within {@code budgetMillis}. */
  private SpanExporter memtrace(Sampler sampler, long budgetMillis) {
    return exporters.forMemtrace(new TraceSampling(sampler, new JoinedTraces()), budgetMillis);
  }

  /** The OpenTelemetry agent's exporter, as far as these tests can tell. */
  private static final class Recording implements SpanExporter {
    final List<String> calls = new ArrayList<>();

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
      calls.add("export " + spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public synchronized CompletableResultCode flush() {
      calls.add("flush");
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public synchronized CompletableResultCode shutdown() {
      calls.add("shutdown");
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void shouldFlushButNeverCloseTheAgentsExporterAtMemtracesShutdown() {
    exporters.capture(agent);
    SpanExporter memtrace = memtrace(Sampler.alwaysOn(), 5_000);

    memtrace.export(List.of(TestSpans.span("GET", "0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", true)));
    memtrace.shutdown().join(1, TimeUnit.SECONDS);

    assertThat(agent.calls).containsExactly("export 1", "flush");
  }

  @Test
  void shouldLetTheSdkCloseTheExporterAfterMemtracesLastExport() {
    SpanExporter sdkHandle = exporters.capture(agent);
    SpanExporter memtrace = memtrace(Sampler.alwaysOn(), 60_000);
    memtrace.shutdown();

    long started = System.nanoTime();
    sdkHandle.shutdown();

    assertThat(agent.calls).containsExactly("flush", "shutdown");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
        .as("no wait for memtrace's 60 s flush budget once memtrace is done").isLessThan(60_000);
  }

  /** The OpenTelemetry agent's metric reader: its shutdown is its last collection. */
  private static final class RecordingReader implements MetricReader {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void register(CollectionRegistration registration) {
      calls.add("register");
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      calls.add("flush");
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      calls.add("last collection");
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void shouldHoldTheMetricReadersLastCollectionUntilMemtracesLastEventsAreIn() throws Exception {
    exporters.capture(agent);
    RecordingReader agentReader = new RecordingReader();
    MetricReader sdkHandle = exporters.metricsAfterMemtrace(agentReader);
    SpanExporter memtrace = memtrace(Sampler.alwaysOn(), 60_000);

    Thread sdkShutdown = new Thread(sdkHandle::shutdown, "sdk-shutdown");
    sdkShutdown.start();
    while (sdkShutdown.getState() != Thread.State.TIMED_WAITING && sdkShutdown.isAlive()) {
      Thread.onSpinWait();
    }
    assertThat(agentReader.calls).as("waiting for memtrace, which still drains its ring").doesNotContain("last collection");

    memtrace.shutdown();
    sdkShutdown.join();
    assertThat(agentReader.calls).containsExactly("last collection");
  }

  @Test
  void shouldNotHoldTheMetricReaderWhenMemtraceNeverStarted() {
    RecordingReader agentReader = new RecordingReader();
    MetricReader sdkHandle = exporters.metricsAfterMemtrace(agentReader);

    sdkHandle.forceFlush();
    sdkHandle.shutdown();

    assertThat(agentReader.calls).containsExactly("flush", "last collection");
  }

  @Test
  void shouldNotHoldTheSdksShutdownWhenMemtraceNeverStarted() {
    SpanExporter sdkHandle = exporters.capture(agent);

    sdkHandle.shutdown();

    assertThat(agent.calls).containsExactly("shutdown");
  }

  @Test
  void shouldPassNothingToTheAgentForABatchTheSamplerDropsEntirely() {
    exporters.capture(agent);
    SpanExporter memtrace = memtrace(Sampler.alwaysOff(), 5_000);

    CompletableResultCode result = memtrace.export(
        List.of(TestSpans.span("GET", "0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", true)));

    assertThat(result.isSuccess()).isTrue();
    assertThat(agent.calls).isEmpty();
  }
}
