package io.memtrace.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        + "\"duplicate_spans_skipped\":512}}"), 900 * 1024, "memtrace collector stopped: 5 spans");

    assertThat(report.rows()).containsEntry("p99 acknowledgement latency", "9.5 (`ingest.ack_p99_ms`)")
        .containsEntry("serve status `ingest.duplicate_spans_skipped`", "512")
        .containsEntry("serve peak RSS (VmHWM)", "900 MiB")
        .containsEntry("spans received by serve", "5")
        .doesNotContainKey("serve status `backlog`");
  }

  @Test
  void shouldSayNaWhenServeHasNoAckLatency() {
    LoadReport report = new LoadReport();
    report.collector(FlatJson.parse("{\"spans_received\":5}"), -1, "stopped");

    assertThat(report.rows().get("p99 acknowledgement latency")).startsWith("n/a");
    assertThat(report.rows()).containsEntry("serve peak RSS (VmHWM)", "n/a");
  }
}
