package io.memtrace.collector.truth;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import org.junit.jupiter.api.Test;

/**
 * The truth suite (issue 72): seeded scenarios against a real Redis, two traced services (Java under the real agent,
 * Node under the OpenTelemetry instrumentation of ioredis) and an untraced client, each traced read's answers from
 * memtrace ({@code lineage}, the key's timeline) judged against the oracle's record of what Redis did. No answer may
 * be wrong but by a cause {@link KnownWrong} lists, and the oracle must explain every read.
 *
 * <p>The properties ({@code -Dtruth.seed=S} replays one scenario, {@code -Dtruth.scenarios=N},
 * {@code -Dtruth.clickhouse=true}, ...) are {@link TruthSuite#fromProperties}'s.
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
