package io.memtrace.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ThreadChecksTest {

  /** One second with {@code sockets} open and {@code agentThreads} of memtrace's 20 threads. */
  private static Sample second(int i, long sockets, long agentThreads) {
    return new Sample(1_000_000 + i * 1000L, 2000, 0, 0, 100, 1000, 1000, 1000, 10, 5, 20, 8, sockets, 0, 0, 0, 0, 0,
        0, 0, 8192, 10, 0, agentThreads, Double.NaN);
  }

  private static List<Sample> seconds(long... sockets) {
    return IntStream.range(0, sockets.length).mapToObj(i -> second(i, sockets[i], 8)).toList();
  }

  private static Check socketCheck(ScenarioResult r) {
    return r.checks().stream().filter(c -> c.what().startsWith("sockets")).findFirst().orElseThrow();
  }

  // recovery's first round, as measured on a fresh clone: 10 sockets, 8 while the collector is down,
  // 12 once the restarted collector's connections are all open; the second round stays at 12
  private static final List<Sample> ROUND_1 = seconds(10, 10, 10, 10, 10, 10, 8, 8, 9, 10, 11, 12, 12, 12);

  @Test
  void shouldHoldWhenTheLaterRoundStaysAtTheMostTheRoundThatOpenedThePoolsReached() {
    ScenarioResult r = new ScenarioResult("recovery", "");
    ThreadChecks.check(r, ROUND_1, seconds(12, 12, 10, 12, 12, 12, 12), "round 1", "round 2", true);

    assertThat(socketCheck(r).holds()).isTrue();
  }

  @Test
  void shouldFailWhenEachFaultOfTheLaterRoundLeavesASocketOpen() {
    ScenarioResult r = new ScenarioResult("recovery", "");
    ThreadChecks.check(r, ROUND_1, seconds(12, 13, 13, 14, 14, 15, 15), "round 1", "round 2", true);

    assertThat(socketCheck(r).holds()).isFalse();
    assertThat(socketCheck(r).measured()).isEqualTo("14");
  }

  @Test
  void shouldCompareMediansWhenTheEarlierStretchHadItsPoolsOpenAlready() {
    ScenarioResult flat = new ScenarioResult("endurance", "");
    ThreadChecks.check(flat, seconds(11, 11, 12, 11, 11), seconds(11, 12, 11, 11, 11), "middle third", "last third");
    ScenarioResult leaking = new ScenarioResult("endurance", "");
    ThreadChecks.check(leaking, seconds(11, 11, 12, 11, 11), seconds(12, 12, 13, 13, 14), "middle third", "last third");

    assertThat(socketCheck(flat).holds()).isTrue();
    assertThat(socketCheck(leaking).holds()).isFalse();
  }
}
