package io.memtrace.collector.truth;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import org.junit.jupiter.api.Test;

/**
 * The truth suite (issue 72): seeded scenarios against a real Redis, two traced services (Java under the real agent,
 * Node under the OpenTelemetry instrumentation of ioredis) and an untraced client, each traced read's answers from
 * memtrace ({@code lineage}, the key's timeline) judged against the oracle's record of what Redis did. No answer may
 * be wrong but by a cause {@link KnownWrong} lists, and the oracle must explain every read. Then the first seeds run
 * again with the Java service under memtrace's defaults and key events (issue 77's "Exact"), and each read's answers
 * must equal full capture's but by a cause {@link ExactByDefault} lists.
 *
 * <p>The properties ({@code -Dtruth.seed=S} replays one scenario, {@code -Dtruth.scenarios=N},
 * {@code -Dtruth.clickhouse=true}, ...) are {@link TruthSuite#fromProperties}'s; {@code -Dtruth.defaults.scenarios=N}
 * (0: none) and {@code -Dtruth.defaults.control=true} are {@link ExactByDefault#fromProperties}'s.
 */
class TruthSuiteIT {

  @Test
  void shouldGiveEveryReadTheOraclesAnswerOrUnknown() throws Exception {
    assertThat(BuildPaths.AGENT_JAR).as("the agent jar; build it first").exists();
    TruthSuite.Outcome outcome = TruthSuite.fromProperties();
    String report = outcome.report(30);
    System.out.println(report);
    java.util.Optional<ExactByDefault.Run> defaults = ExactByDefault.fromProperties(outcome);
    defaults.ifPresent(d -> System.out.println(d.report()));
    assertThat(outcome.inconsistencies())
        .as("reads the oracle could not explain (a fault of the suite), or that the stores answered apart").isEmpty();
    assertThat(outcome.unexpected()).as("wrong answers of no known cause:\n" + report).isEmpty();
    if (defaults.isPresent()) {
      ExactByDefault.Run d = defaults.get();
      assertThat(d.outcome().inconsistencies()).as("under the defaults: reads the oracle could not explain, steps "
          + "without their span").isEmpty();
      assertThat(d.outcome().unexpected()).as("under the defaults: wrong answers of no known cause:\n" + d.report())
          .isEmpty();
      assertThat(d.comparison().unexplained()).as("reads answered otherwise under the defaults than at full capture, "
          + "or compressed, with no listed cause (ExactByDefault.CAUSES):\n" + d.report()).isEmpty();
    }
  }
}
