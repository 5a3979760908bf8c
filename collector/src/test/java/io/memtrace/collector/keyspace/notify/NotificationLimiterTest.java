package io.memtrace.collector.keyspace.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NotificationLimiterTest {

  private static final long MS = 1_000_000L;

  @Test
  void shouldRecordEverythingUnderTheCapWithWeightOne() {
    NotificationLimiter limiter = new NotificationLimiter(100, 1_000);
    for (int second = 0; second < 5; second++) {
      for (int i = 0; i < 90; i++) {
        assertThat(limiter.admit("ns" + i % 3, second * 1_000 * MS + i * 10 * MS)).isEqualTo(1.0);
      }
    }
  }

  @Test
  void shouldHoldTheCapWhenAFloodStartsBeforeSamplingKnowsOfIt() {
    NotificationLimiter limiter = new NotificationLimiter(1_000, 1_000);
    int recorded = 0;
    int overCap = 0;
    for (int i = 0; i < 100_000; i++) { // 100k within 100 ms
      double w = limiter.admit("flood", i * 1_000L);
      recorded += w > 0 ? 1 : 0;
      overCap += w == NotificationLimiter.OVER_CAP ? 1 : 0;
    }
    assertThat(recorded).as("one second of burst and 100 ms of refill").isBetween(1_000, 1_101);
    assertThat(recorded + overCap).isEqualTo(100_000);
  }

  @Test
  void shouldSampleTheFloodingNamespaceAndKeepEveryChangeOfAQuietOne() {
    NotificationLimiter limiter = new NotificationLimiter(1_000, 1_000);
    int[] quiet = new int[2];
    double floodWeight = 0;
    int floodRows = 0;
    for (int second = 0; second < 4; second++) {
      long base = second * 1_000 * MS;
      for (int i = 0; i < 10_000; i++) {
        long t = base + i * 90_000L; // 10,000 over 0.9 s
        double w = limiter.admit("flood", t);
        if (second == 3 && w > 0) {
          floodWeight += w;
          floodRows++;
        }
        if (i % 500 == 0) {
          double q = limiter.admit("quiet", t + 1);
          if (second == 3) {
            quiet[0]++;
            quiet[1] += q == 1.0 ? 1 : 0;
          }
        }
      }
    }
    assertThat(quiet[1]).as("the quiet namespace's 20 changes a second all recorded, at weight 1").isEqualTo(quiet[0]);
    assertThat(floodRows).as("the flood gets the rest of the cap").isBetween(970, 990);
    assertThat(floodWeight).as("its rows stand for what arrived").isCloseTo(10_000, within(20.0));
  }

  @Test
  void shouldShareTheCapByWaterFilling() {
    assertThat(NotificationLimiter.level(new long[] {10, 20, 5_000, 9_000}, 1_000)).isEqualTo(485.0);
    assertThat(NotificationLimiter.level(new long[] {10, 20}, 1_000)).isEqualTo(Double.MAX_VALUE);
    assertThat(NotificationLimiter.level(new long[] {600, 600}, 1_000)).isEqualTo(500.0);
  }

  @Test
  void shouldForgetTheRatesAfterAQuietGap() {
    NotificationLimiter limiter = new NotificationLimiter(10, 100);
    for (int i = 0; i < 1_000; i++) {
      limiter.admit("a", i * MS / 2); // 1,000 in 0.5 s
    }
    limiter.admit("a", 1_100 * MS); // rolls: a is sampled at about 1 in 100
    assertThat(limiter.admit("a", 1_200 * MS)).isEqualTo(NotificationLimiter.SAMPLED_OUT);
    assertThat(limiter.admit("a", 10_000 * MS)).as("after seconds of nothing").isEqualTo(1.0);
  }

  @Test
  void shouldBoundTheNamespacesItTracks() {
    NotificationLimiter limiter = new NotificationLimiter(1_000_000, 10);
    for (int i = 0; i < 1_000; i++) {
      assertThat(limiter.admit("ns" + i, i * 1_000L)).isEqualTo(1.0);
    }
  }
}
