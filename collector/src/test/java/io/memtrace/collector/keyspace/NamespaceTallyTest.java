package io.memtrace.collector.keyspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
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
    KeyspaceSample sample = tally.toSample(Instant.now(), "h:1", 0, "cache", 1, true, true, null);
    assertThat(sample.bytes()).isEqualTo(exact);
    assertThat(sample.bytesError()).isZero();
    assertThat(sample.keysError()).isZero();
    assertThat(sample.keysWithoutTtlError()).isZero();
    assertThat(sample.sampled()).isFalse();
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
      KeyspaceSample sample = tally.toSample(Instant.now(), "h:1", 0, null, 1, true, true, null);
      assertThat(sample.keys()).isEqualTo(50_000);
      assertThat(sample.sampledKeys()).isBetween(1_200L, 1_800L);
      assertThat(sample.bytesError()).isPositive().isLessThan(exact / 5);
      misses += Math.abs(sample.bytes() - exact) > sample.bytesError() ? 1 : 0;
    }
    assertThat(misses).as("runs outside four standard errors").isLessThanOrEqualTo(1);
  }

  /**
   * A database of 200,000 keys in namespaces of 50 % (strings of spread sizes), 10 % (equal sizes) and 0.5 %;
   * 20,000 keys drawn uniformly stand for the SCANs at random cursors. Keys, bytes and keys without TTL stay
   * within their stated bounds; the small namespace's bounds are wide, as they should be.
   */
  @Test
  void shouldStayWithinTheStatedBoundsWhenTheDatabaseIsSampled() {
    int[] misses = new int[3];
    for (int run = 0; run < 100; run++) {
      Random random = new Random(run);
      int n = 200_000;
      int[] ns = new int[n];
      long[] size = new long[n];
      boolean[] noTtl = new boolean[n];
      long[][] exact = new long[3][3];
      for (int i = 0; i < n; i++) {
        double u = random.nextDouble();
        ns[i] = u < 0.5 ? 0 : u < 0.6 ? 1 : u < 0.605 ? 2 : -1;
        size[i] = ns[i] == 1 ? 120 : 50 + (long) (random.nextDouble() * random.nextDouble() * 2_000);
        noTtl[i] = random.nextInt(3) > 0;
        if (ns[i] >= 0) {
          exact[ns[i]][0]++;
          exact[ns[i]][1] += size[i];
          exact[ns[i]][2] += noTtl[i] ? 1 : 0;
        }
      }
      NamespaceTally[] tallies = {new NamespaceTally("a", random), new NamespaceTally("b", random),
          new NamespaceTally("c", random), new NamespaceTally("rest", random)};
      int returned = 20_000;
      for (int r = 1; r <= returned; r++) {
        int i = random.nextInt(n);
        NamespaceTally t = tallies[ns[i] < 0 ? 3 : ns[i]];
        Stratum s = t.returned(200, r);
        if (s != null) {
          t.measured(s, "string", noTtl[i] ? -1L : 60_000L, 1L, null, size[i]);
        }
      }
      for (int k = 0; k < 3; k++) {
        KeyspaceSample e = tallies[k].toSample(Instant.now(), "h:1", 0, null, 1, true, true,
            new DatabaseSample(n, returned));
        assertThat(e.sampled()).isTrue();
        assertThat(e.keysError()).isPositive();
        assertThat(e.scannedKeys()).isEqualTo(tallies[k].keys());
        misses[0] += Math.abs(e.keys() - exact[k][0]) > e.keysError() ? 1 : 0;
        misses[1] += Math.abs(e.bytes() - exact[k][1]) > e.bytesError() ? 1 : 0;
        misses[2] += Math.abs(e.keysWithoutTtl() - exact[k][2]) > e.keysWithoutTtlError() ? 1 : 0;
        if (k == 0) {
          assertThat((double) e.bytesError() / exact[k][1]).as("the big namespace's bound").isLessThan(0.06);
          assertThat(e.sampledKeys()).as("spread sizes: measured beyond the minimum").isGreaterThan(1_000);
        }
        if (k == 1) {
          assertThat(e.sampledKeys()).as("equal sizes: the minimum is enough").isLessThan(300);
        }
        if (k == 2) {
          assertThat((double) e.keysError() / exact[k][0]).as("the small namespace's bound").isGreaterThan(0.25);
        }
      }
    }
    assertThat(java.util.Arrays.stream(misses).max().getAsInt()).as("estimates of keys, bytes, no TTL outside four "
        + "standard errors, of 300 each: %s", java.util.Arrays.toString(misses)).isLessThanOrEqualTo(2);
  }

  /**
   * SCANs at random cursors return some keys again, and each return of a key is measured again: the keys measured are
   * drawn with replacement, so there is no finite population to correct for, however many were measured. A namespace
   * of spread sizes (55 % of the keys, measured at most of its returns) in 300 databases sampled as
   * {@code KeyspaceSamplingIT}'s restart case samples (8,000 returns of 20,000 keys) and in 300 sampled to as many
   * returns as keys: its keys, bytes and keys without TTL must miss their true figures by their stated standard error
   * on average (the root mean square of the misses, in standard errors, near 1). Corrected as if the measured keys were
   * distinct, the bounds of bytes and keys without TTL were a tenth too narrow in the first case, and half as wide as
   * they should be in the second.
   */
  @Test
  void shouldStateTheStandardErrorOfASampleThatReturnsKeysAgain() {
    assertThat(rmsMisses(20_000, 8_000)).as("keys, bytes, keys without TTL: 8,000 returns of 20,000 keys")
        .allSatisfy(z -> assertThat(z).isBetween(0.85, 1.15));
    assertThat(rmsMisses(10_000, 10_000)).as("keys, bytes, keys without TTL: 10,000 returns of 10,000 keys")
        .allSatisfy(z -> assertThat(z).isBetween(0.85, 1.15));
  }

  /** Over 300 databases of {@code n} keys each sampled to {@code returned} returns: the big namespace's misses. */
  private static List<Double> rmsMisses(int n, int returned) {
    double[] squares = new double[3];
    int runs = 300;
    for (int run = 0; run < runs; run++) {
      Random random = new Random(1_000 + run);
      boolean[] big = new boolean[n];
      long[] size = new long[n];
      boolean[] noTtl = new boolean[n];
      long[] exact = new long[3];
      for (int i = 0; i < n; i++) {
        big[i] = random.nextDouble() < 0.55;
        size[i] = 60 + (long) (random.nextDouble() * random.nextDouble() * 2_000);
        noTtl[i] = random.nextInt(3) > 0;
        if (big[i]) {
          exact[0]++;
          exact[1] += size[i];
          exact[2] += noTtl[i] ? 1 : 0;
        }
      }
      NamespaceTally tally = new NamespaceTally("big", random);
      NamespaceTally rest = new NamespaceTally("rest", random);
      for (int r = 1; r <= returned; r++) {
        int i = random.nextInt(n);
        NamespaceTally t = big[i] ? tally : rest;
        Stratum s = t.returned(500, r);
        if (s != null) {
          t.measured(s, "string", noTtl[i] ? -1L : 60_000L, 1L, null, size[i]);
        }
      }
      KeyspaceSample e = tally.toSample(Instant.now(), "h:1", 0, null, 1, true, true, new DatabaseSample(n, returned));
      assertThat(e.sampledKeys()).as("most returns measured").isGreaterThan(e.scannedKeys() / 2);
      squares[0] += sq(4.0 * (e.keys() - exact[0]) / e.keysError());
      squares[1] += sq(4.0 * (e.bytes() - exact[1]) / e.bytesError());
      squares[2] += sq(4.0 * (e.keysWithoutTtl() - exact[2]) / e.keysWithoutTtlError());
    }
    List<Double> rms = java.util.Arrays.stream(squares).mapToObj(q -> Math.sqrt(q / runs)).toList();
    return rms;
  }

  private static double sq(double x) {
    return x * x;
  }
}
