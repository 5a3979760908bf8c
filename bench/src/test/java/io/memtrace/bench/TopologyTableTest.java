package io.memtrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.bench.TopologyTable.Cell;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTableTest {

  private static final String HEADER = "header";

  @Test
  void everyCellIsReadAgainstWhatTheAgentAddsToJedisOnAStandaloneServer() {
    String table = TopologyTable.render(List.of(
        new Cell("lettuce", "cluster", 100_000, 103_000, 20_000, 21_500, 4.0),
        new Cell("jedis", "standalone", 80_000, 81_000, 10_000, 10_500, 2.0)), HEADER);

    assertThat(row(table, "lettuce", "cluster"))
        .containsSubsequence("100000", "103000", "+3000", "3.0x", "+1500", "3.0x", "4.00");
    assertThat(row(table, "jedis", "standalone"))
        .containsSubsequence("80000", "81000", "+1000", "1.0x", "+500", "1.0x", "2.00");
  }

  @Test
  void rowsComeInClientThenTopologyOrderWhateverOrderTheRunsEndedIn() {
    String table = TopologyTable.render(List.of(
        cell("redisson", "tls"), cell("jedis", "replica"), cell("lettuce", "standalone"),
        cell("jedis", "standalone"), cell("jedis", "cluster")), HEADER);

    assertThat(table.indexOf("| jedis    | standalone")).isPositive()
        .isLessThan(table.indexOf("| jedis    | cluster"));
    assertThat(table.indexOf("| jedis    | cluster")).isLessThan(table.indexOf("| jedis    | replica"));
    assertThat(table.indexOf("| jedis    | replica")).isLessThan(table.indexOf("| lettuce  | standalone"));
    assertThat(table.indexOf("| lettuce  | standalone")).isLessThan(table.indexOf("| redisson | tls"));
    assertThat(table).startsWith(HEADER + "\n");
  }

  @Test
  void withoutAReferenceThatAddedSomethingNoRatioIsMadeUp() {
    String noReference = TopologyTable.render(List.of(
        new Cell("lettuce", "tls", 100_000, 102_000, 20_000, 21_000, 4.0)), HEADER);
    // the agent run was faster than the baseline for the reference: noise, not a denominator
    String negativeReference = TopologyTable.render(List.of(
        new Cell("jedis", "standalone", 80_000, 79_000, 10_000, 9_900, 2.0),
        new Cell("lettuce", "tls", 100_000, 102_000, 20_000, 21_000, 4.0)), HEADER);

    assertThat(row(noReference, "lettuce", "tls")).containsSubsequence("+2000", "n/a", "+1000", "n/a");
    assertThat(row(negativeReference, "lettuce", "tls")).containsSubsequence("+2000", "n/a", "+1000", "n/a");
    assertThat(row(negativeReference, "jedis", "standalone")).containsSubsequence("-1000", "n/a", "-100", "n/a");
  }

  @Test
  void unknownRingCountsShowAsNotAvailable() {
    String table = TopologyTable.render(List.of(
        new Cell("jedis", "standalone", 80_000, 81_000, 10_000, 10_500, Double.NaN)), HEADER);

    assertThat(row(table, "jedis", "standalone")).endsWith("n/a |");
  }

  @Test
  void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
    assertThat(TopologyTable.median(5, 1, 100)).isEqualTo(5);
    assertThat(TopologyTable.median(4, 1, 100, 2)).isEqualTo(3);
    assertThat(TopologyTable.median()).isNaN();
  }

  @Test
  void ratiosNeedAPositiveReference() {
    assertThat(TopologyTable.ratio(3000, 1000)).isEqualTo("3.0x");
    assertThat(TopologyTable.ratio(-500, 1000)).isEqualTo("-0.5x");
    assertThat(TopologyTable.ratio(3000, 0)).isEqualTo("n/a");
    assertThat(TopologyTable.ratio(3000, Double.NaN)).isEqualTo("n/a");
  }

  private static Cell cell(String client, String topology) {
    return new Cell(client, topology, 1, 2, 1, 2, 2);
  }

  private static String row(String table, String client, String topology) {
    return table.lines().filter(line -> line.matches("\\| " + client + " +\\| " + topology + " +\\|.*"))
        .findFirst().orElseThrow(() -> new AssertionError("no row " + client + "/" + topology + " in\n" + table));
  }
}
