package io.memtrace.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaselineBudgetTest {

  @Test
  void shouldHoldTheMedianOfTheRoundsNotTheirWorst() {
    Check check = BaselineScenario.budgetCheck(new double[] {1.2, 2.6, 1.1, 1.4, 1.3}, 2, 1.5);

    assertThat(check.holds()).isTrue();
    assertThat(check.measured()).isEqualTo("1.30x (rounds: 1.20x, 2.60x, 1.10x, 1.40x, 1.30x)");
    assertThat(check.what()).endsWith("2 JVMs each, median of 5 rounds");
    assertThat(check.bound()).isEqualTo("<= 1.50x");
  }

  @Test
  void shouldFailWhenMostRoundsAreOverTheBound() {
    Check check = BaselineScenario.budgetCheck(new double[] {1.6, 1.2, 1.7, 1.9}, 2, 1.5);

    assertThat(check.holds()).isFalse();
    assertThat(check.measured()).startsWith("1.65x");
  }

  @Test
  void shouldSayWhenOnlyOneRoundOfOneJvmEachRan() {
    Check one = BaselineScenario.budgetCheck(new double[] {3.2}, 1, 3.0);

    assertThat(one.holds()).isFalse();
    assertThat(one.measured()).isEqualTo("3.20x");
    assertThat(one.what()).endsWith("one JVM each, one round");
  }
}
