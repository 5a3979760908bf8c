package io.memtrace.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Acknowledgement latency percentiles: never below the truth, at most an eighth above it. */
class AckLatencyTest {

  @Test
  void shouldReportPercentilesWithinAnEighthOfTheTrueValue() {
    AckLatency latency = new AckLatency();
    for (int i = 1; i <= 1000; i++) {
      latency.record(i * 1_000_000L); // 1 ms to 1000 ms
    }

    assertThat(latency.count()).isEqualTo(1000);
    assertThat(latency.percentileMicros(0.50)).isBetween(500_000L, 562_500L);
    assertThat(latency.percentileMicros(0.99)).isBetween(990_000L, 1_000_000L);
    assertThat(latency.maxMicros()).isEqualTo(1_000_000L);
    assertThat(latency.summary()).startsWith("p50 5").contains("max 1000.0 ms");
  }

  @Test
  void shouldSayZeroBeforeTheFirstAnswer() {
    assertThat(new AckLatency().percentileMicros(0.99)).isZero();
  }

  @Test
  void shouldPutEveryValueInABucketWhoseUpperBoundHoldsIt() {
    for (long v = 1; v < 1L << 40; v = v * 3 / 2 + 1) {
      int bucket = AckLatency.bucket(v);
      assertThat(AckLatency.upperBound(bucket)).isGreaterThanOrEqualTo(v).isLessThanOrEqualTo(v + v / 8);
      if (bucket > 0) {
        assertThat(AckLatency.upperBound(bucket - 1)).isLessThan(v);
      }
    }
  }
}
