package io.memtrace.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.bench.overhead.Forks;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the load run reads from serve's /api/status, whatever names the statistics have. */
class LoadReportTest {

  @Test
  void shouldFlattenNestedStatusJson() {
    Map<String, String> flat = FlatJson.parse("{\"status\":\"ok\",\"spans_received\":1200,"
        + "\"ack_latency_ms\":{\"p50\":1.5,\"p99\":12.25,\"max\":40},\"list\":[1,{\"a\":\"x\\\"y\"}],\"n\":null}");

    assertThat(flat).containsEntry("spans_received", "1200").containsEntry("ack_latency_ms.p99", "12.25")
        .containsEntry("list.0", "1").containsEntry("list.1.a", "x\"y").containsEntry("n", "null");
  }

  @Test
  void shouldNameTheOffsetOfBrokenJson() {
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":1,"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset 7");
  }

  @Test
  void shouldReportTheP99AckLatencyUnderItsOwnName() {
    LoadReport report = new LoadReport();
    report.collector(FlatJson.parse("{\"spans_received\":5,\"backlog\":3,\"ingest\":{\"ack_p50_ms\":2,\"ack_p99_ms\":9.5,"
        + "\"duplicate_spans_skipped\":512}}"), new CollectorProcess.Memory(900 * 1024, 960 * 1024, 2),
        "memtrace collector stopped: 5 spans");

    assertThat(report.rows()).containsEntry("p99 acknowledgement latency", "9.5 (`ingest.ack_p99_ms`)")
        .containsEntry("serve status `ingest.duplicate_spans_skipped`", "512")
        .containsEntry("serve peak RSS (VmHWM)", "900 MiB (the serving JVM; 960 MiB with the launcher, 2 processes)")
        .containsEntry("spans received by serve", "5")
        .doesNotContainKey("serve status `backlog`");
  }

  @Test
  void shouldCheckTheAgentsAccountingWhenItPrintsProducedAndCompressed() {
    LoadReport exact = new LoadReport();
    exact.app(outcome(200_006, 80, 199_529, 397));
    LoadReport off = new LoadReport();
    off.app(outcome(200_006, 80, 199_529, 390));

    assertThat(exact.rows()).containsEntry("produced = exported + compressed + dropped", "exact")
        .containsEntry("memtrace.events.compressed", "199,529");
    assertThat(off.rows()).containsEntry("produced = exported + compressed + dropped", "**off by 7**");
  }

  @Test
  void shouldSayNaForCountersTheAgentDoesNotPrint() {
    Map<String, Double> values = new HashMap<>(Map.of("commands", 10.0, "seconds", 1.0, "memtrace_exported", 10.0,
        "memtrace_dropped", 0.0));
    LoadReport report = new LoadReport();
    report.app(new Forks.Outcome(values, 2, 0, Path.of("app.log")));

    assertThat(report.rows()).containsEntry("memtrace.events.produced", "n/a")
        .containsEntry("memtrace.events.compressed", "n/a").doesNotContainKey("produced = exported + compressed + dropped");
  }

  private static Forks.Outcome outcome(double produced, double exported, double compressed, double dropped) {
    Map<String, Double> values = new HashMap<>(Map.of("commands", 200_000.0, "seconds", 8.0,
        "memtrace_produced", produced, "memtrace_exported", exported, "memtrace_compressed", compressed,
        "memtrace_dropped", dropped));
    return new Forks.Outcome(values, 10, 0, Path.of("app.log"));
  }

  @Test
  void shouldSayNaWhenServeHasNoAckLatency() {
    LoadReport report = new LoadReport();
    report.collector(FlatJson.parse("{\"spans_received\":5}"), new CollectorProcess.Memory(-1, -1, 0), "stopped");

    assertThat(report.rows().get("p99 acknowledgement latency")).startsWith("n/a");
    assertThat(report.rows()).containsEntry("serve peak RSS (VmHWM)", "n/a");
  }
}
