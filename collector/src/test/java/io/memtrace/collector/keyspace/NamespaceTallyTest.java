package io.memtrace.collector.keyspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The estimator alone, on sizes made up here; the real MEMORY USAGE check is KeyspaceWatcherIT. */
class NamespaceTallyTest {

  @Test
  void shouldBeExactWhenEveryKeyIsMeasured() {
    Random random = new Random(1);
    NamespaceTally tally = new NamespaceTally("cache", random);
    long exact = 0;
    for (int i = 0; i < 300; i++) {
      Stratum s = tally.counted(1000, 0.1, random);
      tally.measured(s, i % 3 == 0 ? "hash" : "string", i % 2 == 0 ? -1L : 5_000L, 7L, null, 100L + i);
      exact += 100 + i;
    }
    KeyspaceSample sample = tally.toSample(Instant.now(), "h:1", 0, "cache", 1, true, true);
    assertThat(sample.bytes()).isEqualTo(exact);
    assertThat(sample.bytesError()).isZero();
    assertThat(sample.sampledKeys()).isEqualTo(300);
    assertThat(sample.keysWithoutTtl()).isEqualTo(150);
    assertThat(sample.types()).containsEntry("hash", 100L).containsEntry("string", 200L);
    assertThat(sample.ttlP50()).isEqualTo(5.0);
  }

  @Test
  void shouldStayWithinTheStatedBoundWhenSampling() {
    int misses = 0;
    for (int run = 0; run < 200; run++) {
      Random random = new Random(run);
      NamespaceTally tally = new NamespaceTally("big", random);
      long exact = 0;
      for (int i = 0; i < 50_000; i++) {
        long size = 50 + (long) (random.nextDouble() * random.nextDouble() * 2_000);
        exact += size;
        Stratum s = tally.counted(500, 0.02, random);
        if (s != null) {
          tally.measured(s, "string", -1L, 1L, null, size);
        }
      }
      KeyspaceSample sample = tally.toSample(Instant.now(), "h:1", 0, null, 1, true, true);
      assertThat(sample.keys()).isEqualTo(50_000);
      assertThat(sample.sampledKeys()).isBetween(1_200L, 1_800L);
      assertThat(sample.bytesError()).isPositive().isLessThan(exact / 5);
      misses += Math.abs(sample.bytes() - exact) > sample.bytesError() ? 1 : 0;
    }
    assertThat(misses).as("runs outside four standard errors").isLessThanOrEqualTo(1);
  }
}
