package io.memtrace.bench.jedissuite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Jedis suite run calls a status change, read from Surefire's XML reports. */
class StatusComparisonTest {

  private static final String PASSING = "<testcase name=\"passes\" classname=\"redis.clients.jedis.ATest\"/>";
  private static final String FAILING = "<testcase name=\"passes\" classname=\"redis.clients.jedis.ATest\">"
      + "<failure message=\"expected:&lt;1&gt; but was:&lt;2&gt;\" type=\"java.lang.AssertionError\">trace</failure>"
      + "</testcase>";
  private static final String ENV_ERROR = "<testcase name=\"needsRedis74[1]\" classname=\"redis.clients.jedis.ATest\">"
      + "<error message=\"ERR unknown command\" type=\"redis.clients.jedis.exceptions.JedisDataException\"/>"
      + "</testcase>";
  private static final String SKIPPED = "<testcase name=\"ignored\" classname=\"redis.clients.jedis.ATest\">"
      + "<skipped/></testcase>";

  @TempDir
  Path dir;

  @Test
  void shouldCallAPassThatFailsWithTheAgentAChange() throws IOException {
    assertOneChange(PASSING + SKIPPED, FAILING + SKIPPED, "redis.clients.jedis.ATest#passes",
        "| ATest | 2 | 1/0/0/1 | 0/1/0/1 |", "CHANGED ATest#passes: pass -> fail (expected:<1> but was:<2>)");
  }

  @Test
  void shouldListTheSameFailureInBothRunsApartAndNotAsAChange() throws IOException {
    StatusComparison comparison = compare(PASSING + ENV_ERROR, PASSING + ENV_ERROR);

    assertThat(comparison.changes()).isEmpty();
    assertThat(comparison.report()).contains("Status changes with the agent: none")
        .contains("Not passing in either run (the same status both times): 1")
        .contains("ATest#needsRedis74[1]: error (ERR unknown command)");
  }

  @Test
  void shouldCallATestThatRanInOneRunOnlyAChange() throws IOException {
    assertOneChange(PASSING + SKIPPED, PASSING, "redis.clients.jedis.ATest#ignored",
        "CHANGED ATest#ignored: skip -> (missing)", "| ATest | 2 | 1/0/0/1 | 1/0/0/0 (1 missing) |");
  }

  @Test
  void shouldKeepARepeatedNameAsTwoTests() throws IOException {
    assertOneChange(PASSING + PASSING, PASSING + FAILING, "redis.clients.jedis.ATest#passes#2");
  }

  @Test
  void shouldShowControlCharactersOfAMessageWithoutEmittingThem() {
    assertThat(StatusComparison.printable("red \u001b[31mtext\r\n")).isEqualTo("red \\u001b[31mtext\\u000d\\u000a");
  }

  /** Compares the two runs' cases: {@code change} is the only change; the report has each of {@code reportLines}. */
  private void assertOneChange(String plainCases, String agentCases, String change, String... reportLines)
      throws IOException {
    StatusComparison comparison = compare(plainCases, agentCases);

    assertThat(comparison.changes()).containsExactly(change);
    for (String line : reportLines) {
      assertThat(comparison.report()).contains(line);
    }
  }

  private StatusComparison compare(String plainCases, String agentCases) throws IOException {
    return new StatusComparison(SurefireReports.read(reports("plain", plainCases)),
        SurefireReports.read(reports("agent", agentCases)));
  }

  private Path reports(String run, String testCases) throws IOException {
    Path reports = Files.createDirectories(dir.resolve(run));
    Files.writeString(reports.resolve("TEST-redis.clients.jedis.ATest.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuite name=\"redis.clients.jedis.ATest\">"
            + "<properties><property name=\"k\" value=\"v\"/></properties>" + testCases + "</testsuite>");
    return reports;
  }
}
