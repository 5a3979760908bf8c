package io.memtrace.collector.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The results of queries running at once share one bound, and a query gives its share back when read. */
class ResultBudgetTest {

  private static final String ROWS = "SELECT repeat('x', 200) AS big FROM range(100)";

  @Test
  void shouldCutAQueryAtWhatTheOthersLeaveAndSaySo() throws Exception {
    ResultBudget budget = new ResultBudget(10_000);
    assertThat(budget.take(9_000)).isTrue(); // another query, still reading
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(ROWS)) {
      ResultTable table = BoundedRows.read(rs, QueryLimits.DEFAULT, budget);
      assertThat(table.rows()).hasSize(4); // 203 bytes a row: four fit in the 1,000 left
      assertThat(table.truncation()).contains("the first 4 rows").contains("10000 bytes")
          .contains("all queries running at once");
    }
    assertThat(budget.held()).as("its share given back, the other's kept").isEqualTo(9_000);
  }

  @Test
  void shouldReadEveryRowWhenTheBoundLeavesRoom() throws Exception {
    ResultBudget budget = new ResultBudget(1_000_000);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(ROWS)) {
      ResultTable table = BoundedRows.read(rs, QueryLimits.DEFAULT, budget);
      assertThat(table.rows()).hasSize(100);
      assertThat(table.truncation()).isNull();
    }
    assertThat(budget.held()).isZero();
  }
}
