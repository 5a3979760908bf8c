package io.memtrace.collector.truth;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import org.junit.jupiter.api.Test;

/**
 * The truth suite (issue 72): seeded scenarios against a real Redis, a traced service under the real agent and an
 * untraced client, each traced read's answers from memtrace ({@code lineage}, the key's timeline) judged against the
 * oracle's record of what Redis did. No answer may be wrong but by a cause {@link KnownWrong} lists.
 *
 * <p>{@code -Dtruth.scenarios=N} (default 200) from seed {@code -Dtruth.from} (default 1); {@code -Dtruth.seed=S}
 * replays one; {@code -Dtruth.ops=common} keeps to SET/GET/DEL/PEXPIRE, pauses and memory pressure;
 * {@code -Dtruth.namespaces=GLOB} is given to serve as {@code --keyspace-events-namespaces}.
 */
class TruthSuiteIT {

  @Test
  void shouldGiveEveryReadTheOraclesAnswerOrUnknown() throws Exception {
    assertThat(BuildPaths.AGENT_JAR).as("the agent jar; build it first").exists();
    TruthSuite.Outcome outcome = TruthSuite.fromProperties();
    String report = outcome.report(30);
    System.out.println(report);
    assertThat(outcome.inconsistencies())
        .as("reads the oracle could not explain (a fault of the suite), or that the stores answered apart").isEmpty();
    assertThat(outcome.unexpected()).as("wrong answers of no known cause:\n" + report).isEmpty();
  }
}
