package io.memtrace.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the start-up tables give as "+ vs no agent": the median of the differences of the runs made in turn. */
class StartupResultsTest {

  private static Forks.Outcome run(double seconds) {
    return new Forks.Outcome(new TreeMap<>(), seconds, 0, Path.of("run.log"));
  }

  @Test
  void shouldTakeTheMedianOfTheDifferencesOfRunsMadeInTurnNotTheDifferenceOfMedians() {
    // a burst of load in the second and third turns of the first round: both variants' runs slowed by 4 s in them
    Map<String, Map<Integer, List<Forks.Outcome>>> byVariant = Map.of(
        "none", Map.of(0, List.of(run(1.0), run(5.0), run(5.0)), 1, List.of(run(1.0), run(1.0), run(1.0))),
        "memtrace", Map.of(0, List.of(run(1.1), run(5.1), run(5.1)), 1, List.of(run(1.1), run(1.1), run(5.1))));

    // the medians, 1.0 and 3.1, are 2.1 s apart; every pair but the last (the load came in memtrace's run alone) 0.1 s
    assertThat(StartupResults.added(byVariant, "memtrace", o -> o.wallSeconds)).isCloseTo(0.1, offset(1e-9));
  }

  @Test
  void shouldPairOnlyTheTurnsBothVariantsRan() {
    Map<String, Map<Integer, List<Forks.Outcome>>> byVariant = Map.of(
        "none", Map.of(0, List.of(run(2.0), run(2.0))),
        "memtrace", Map.of(0, List.of(run(2.3), run(2.3), run(9.0)), 1, List.of(run(9.0))));

    assertThat(StartupResults.added(byVariant, "memtrace", o -> o.wallSeconds)).isCloseTo(0.3, offset(1e-9));
  }
}
