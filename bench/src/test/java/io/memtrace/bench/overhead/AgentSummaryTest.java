package io.memtrace.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** memtrace's shutdown line, as the agent prints it today and with the counters retention adds. */
class AgentSummaryTest {

  @Test
  void shouldReadTheCountersOfTodaysShutdownLine() {
    AgentSummary s = AgentSummary.parse("[memtrace] INFO memtrace started\n"
        + "[memtrace] INFO shutdown: memtrace.events.exported=701077 memtrace.events.dropped=1298923 "
        + "memtrace.export.failures=1 (spans in failed exports: 512) internal errors: 0; exported per exporter: otlp 701077\n");

    assertThat(s.found()).isTrue();
    assertThat(s.get("events.exported")).hasValue(701077);
    assertThat(s.get("events.dropped")).hasValue(1298923);
    assertThat(s.get("export.failures")).hasValue(1);
    assertThat(s.get("events.produced")).isEmpty();
    assertThat(s.get("events.compressed")).isEmpty();
  }

  @Test
  void shouldReadProducedAndCompressedWhereverTheyStand() {
    AgentSummary s = AgentSummary.parse("[memtrace] INFO shutdown: memtrace.events.produced=2000000 "
        + "memtrace.events.exported=150000 memtrace.events.compressed=1850000 memtrace.events.dropped=0 "
        + "(in failed exports: 0) memtrace.export.failures=0 internal errors: 0; exported per exporter: otlp 150000");
    Map<String, Double> values = new HashMap<>();
    s.copyInto(values);

    assertThat(values).containsEntry("memtrace_produced", 2_000_000.0).containsEntry("memtrace_exported", 150_000.0)
        .containsEntry("memtrace_compressed", 1_850_000.0).containsEntry("memtrace_dropped", 0.0)
        .containsEntry("memtrace_export_failures", 0.0);
  }

  @Test
  void shouldTakeTheLastShutdownLineWhenTheAgentPrintedTwo() {
    AgentSummary s = AgentSummary.parse("[memtrace] INFO shutdown: memtrace.events.exported=1 memtrace.events.dropped=2\n"
        + "[memtrace] INFO shutdown: memtrace.events.exported=10 memtrace.events.dropped=20\n");

    assertThat(s.get("events.exported")).hasValue(10);
  }

  @Test
  void shouldFindNothingWhenTheLogHasNoShutdownLine() {
    AgentSummary s = AgentSummary.parse("memtrace.events.exported=5 in some other message\n");

    assertThat(s.found()).isFalse();
    assertThat(s.get("events.exported")).isEqualTo(OptionalLong.empty());
  }
}
