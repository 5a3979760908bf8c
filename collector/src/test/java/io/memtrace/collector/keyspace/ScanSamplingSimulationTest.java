package io.memtrace.collector.keyspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sampled passes simulated over Redis's own SCAN ({@link ScanTable}: whole buckets, in runs of about ten keys, some
 * keys returned again, none past the end of the table), with {@code KeyspaceSamplingIT}'s fixture and sample: 20,000
 * keys in namespaces of 55 % (strings of spread sizes), 25 % (hashes), 17 % (sets of near-equal sizes) and 3 %, a
 * third of them with a TTL, 8,000 returns of SCAN COUNT 10, measured as {@link KeyspacePass} measures. Each run is a
 * new table (Redis seeds its hash at start) and a new sample. For keys, bytes and keys without TTL of every
 * namespace the misses are measured in stated standard errors (a quarter of the bound): their mean is the bias,
 * their root mean square the accuracy of the stated error, and the share beyond four the real coverage of the bound.
 * Seeded, so the same on any machine; {@code -Dsim.runs=10000} prints the figures docs/memory-state.md quotes.
 */
class ScanSamplingSimulationTest {

  private static final String[] NAMESPACES = {"big", "hashes", "sets", "small"};
  private static final String[] FIGURES = {"keys", "bytes", "keys without TTL"};
  private static final int KEYS = 20_000;
  private static final int RETURNS = 8_000;

  @Test
  void shouldBeUnbiasedAndMissByTheStatedErrorOverScansOfAHashTable() {
    int runs = Integer.getInteger("sim.runs", 1_000);
    double[][] sum = new double[NAMESPACES.length][FIGURES.length];
    double[][] squares = new double[NAMESPACES.length][FIGURES.length];
    double max = 0;
    int beyondFour = 0;
    for (int run = 0; run < runs; run++) {
      double[][] z = oneRun(new Random(run));
      for (int k = 0; k < NAMESPACES.length; k++) {
        for (int f = 0; f < FIGURES.length; f++) {
          sum[k][f] += z[k][f];
          squares[k][f] += z[k][f] * z[k][f];
          max = Math.max(max, Math.abs(z[k][f]));
          beyondFour += Math.abs(z[k][f]) > 4 ? 1 : 0;
        }
      }
    }
    int figures = runs * NAMESPACES.length * FIGURES.length;
    for (int k = 0; k < NAMESPACES.length; k++) {
      for (int f = 0; f < FIGURES.length; f++) {
        double bias = sum[k][f] / runs;
        double rms = Math.sqrt(squares[k][f] / runs);
        System.out.printf("%-7s %-17s mean miss %+.3f SE, root mean square %.3f SE%n", NAMESPACES[k], FIGURES[f],
            bias, rms);
        assertThat(bias).as("%s %s: mean miss in standard errors", NAMESPACES[k], FIGURES[f]).isBetween(-0.1, 0.1);
        assertThat(rms).as("%s %s: root mean square miss", NAMESPACES[k], FIGURES[f]).isBetween(0.95, 1.08);
      }
    }
    System.out.printf("%d of %d figures beyond four standard errors (%.1e); the largest miss %.2f%n", beyondFour,
        figures, (double) beyondFour / figures, max);
    // the normal tail beyond 4 is 6.3e-5; the Wald share and the sample's own spread make it a few times that
    assertThat((double) beyondFour / figures).as("share of figures beyond their bound").isLessThan(5e-4);
    assertThat(max).as("the largest miss, in standard errors").isLessThan(5.5);
  }

  /** One database sampled once: each namespace's misses (keys, bytes, keys without TTL) in stated standard errors. */
  private static double[][] oneRun(Random random) {
    int[] ns = new int[KEYS];
    long[] size = new long[KEYS];
    boolean[] noTtl = new boolean[KEYS];
    long[][] exact = new long[NAMESPACES.length][FIGURES.length];
    for (int i = 0; i < KEYS; i++) {
      double u = random.nextDouble();
      ns[i] = u < 0.55 ? 0 : u < 0.80 ? 1 : u < 0.97 ? 2 : 3;
      size[i] = switch (ns[i]) {
        case 0 -> 56 + (long) (random.nextDouble() * random.nextDouble() * 2_000);
        case 1 -> 72 + random.nextInt(100) + random.nextInt(300);
        case 2 -> random.nextInt(10) == 0 ? 80 : 72;
        default -> 90 + random.nextInt(200);
      };
      noTtl[i] = random.nextInt(3) != 0;
      exact[ns[i]][0]++;
      exact[ns[i]][1] += size[i];
      exact[ns[i]][2] += noTtl[i] ? 1 : 0;
    }
    ScanTable table = new ScanTable(KEYS, random);
    NamespaceTally[] tallies = new NamespaceTally[NAMESPACES.length];
    for (int k = 0; k < NAMESPACES.length; k++) {
      tallies[k] = new NamespaceTally(NAMESPACES[k], random);
    }
    long returned = 0;
    long measured = 0;
    while (returned < RETURNS) {
      for (int i : table.scan(WatchSettings.SAMPLE_SCAN_COUNT, random)) {
        returned++;
        int least = measured < RETURNS / 8 ? WatchSettings.DEFAULT_EXACT_KEYS : 2;
        Stratum s = tallies[ns[i]].returned(least, returned);
        if (s != null) {
          measured++;
          tallies[ns[i]].measured(s, "string", noTtl[i] ? -1L : 60_000L, 1L, null, size[i]);
        }
      }
    }
    double[][] z = new double[NAMESPACES.length][];
    for (int k = 0; k < NAMESPACES.length; k++) {
      KeyspaceSample e = tallies[k].toSample(Instant.EPOCH, "h:1", 0, null, 1, true, true,
          new DatabaseSample(KEYS, returned));
      z[k] = new double[] {miss(e.keys(), exact[k][0], e.keysError()), miss(e.bytes(), exact[k][1], e.bytesError()),
          miss(e.keysWithoutTtl(), exact[k][2], e.keysWithoutTtlError())};
    }
    return z;
  }

  private static double miss(long estimate, long exact, long bound) {
    return NamespaceTally.Z * (estimate - exact) / Math.max(1, bound);
  }
}
