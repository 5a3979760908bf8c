package io.memtrace.collector.clickhouse.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * How {@link Parts} splits one statement's answer into its queries' tables, and asks each query alone when
 * ClickHouse cut that answer. The SQL itself runs on ClickHouse in {@code ClickHouseReaderContractIT}, whose report
 * sections come from it; a cut answer needs more rows than that corpus has, so it is answered here.
 */
class PartsTest {

  private static ResultTable.Column column(String name, String type) {
    return new ResultTable.Column(name, type);
  }

  /**
   * The combined answer of two queries, {@code a} (key, n) and {@code b} (total), as ClickHouse gives it: of its
   * {@code allRows} rows, those {@code rows} that it kept.
   */
  private static ResultTable combined(long allRows, List<List<Object>> rows) {
    List<ResultTable.Column> columns = List.of(column("part", "BIGINT"), column("ord", "BIGINT"),
        column("p0_0", "VARCHAR"), column("p0_1", "BIGINT"), column("p1_0", "DOUBLE"), column("all_rows", "BIGINT"));
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      List<Object> r = new ArrayList<>(row);
      r.add(allRows);
      out.add(r);
    }
    return new ResultTable(columns, out, false);
  }

  private static SqlSource answering(List<String> asked, Function<String, ResultTable> answer) {
    return Unanswered.answering(asked, answer, "test");
  }

  private static Parts parts(SqlSource source) {
    return new Parts(source, "WITH t AS MATERIALIZED (SELECT 1)", ", join_use_nulls = 1")
        .add("a", new Parts.Part("SELECT key, n, x FROM t ORDER BY n DESC, key LIMIT 3", List.of("key", "n"),
            "n DESC, key"))
        .add("b", new Parts.Part("SELECT avg(n) AS total FROM t", List.of("total"), ""));
  }

  @Test
  void shouldAskOneStatementAndGiveEachQueryItsRowsColumnsAndTypes() {
    List<String> asked = new ArrayList<>();
    Map<String, ResultTable> got = parts(answering(asked, sql -> combined(3, List.of(
        Arrays.asList(0L, 1L, "k2", 7L, null), Arrays.asList(0L, 2L, "k1", 5L, null),
        Arrays.asList(1L, 1L, null, null, 6.0))))).query();

    assertThat(asked).hasSize(1);
    assertThat(asked.get(0)).startsWith("WITH t AS MATERIALIZED (SELECT 1) SELECT *, count() OVER () AS all_rows FROM (")
        .contains("SELECT 0 AS part, row_number() OVER (ORDER BY n DESC, key) AS ord, `key` AS p0_0, `n` AS p0_1, "
            + "NULL AS p1_0 FROM (SELECT key, n, x FROM t ORDER BY n DESC, key LIMIT 3)")
        .contains(" UNION ALL SELECT 1 AS part, toUInt64(1) AS ord, NULL AS p0_0, NULL AS p0_1, `total` AS p1_0 FROM ")
        .endsWith("ORDER BY part, ord SETTINGS enable_materialized_cte = 1, join_use_nulls = 1");
    assertThat(got.get("a").columns()).containsExactly(column("key", "VARCHAR"), column("n", "BIGINT"));
    assertThat(got.get("a").rows()).containsExactly(List.of("k2", 7L), List.of("k1", 5L));
    assertThat(got.get("b").columns()).containsExactly(column("total", "DOUBLE"));
    assertThat(got.get("b").rows()).containsExactly(List.of(6.0));
  }

  @Test
  void shouldAskEachQueryAloneWhenClickHouseCutTheCombinedAnswer() {
    List<String> asked = new ArrayList<>();
    ResultTable alone = new ResultTable(List.of(column("key", "VARCHAR"), column("n", "BIGINT")),
        List.of(List.of("k3", 9L)), false);
    // of 4 rows (query a's 3, b's 1), the answer kept 2 (max_result_rows with result_overflow_mode = break): b's row
    // is gone, which alone would look like an empty query
    Map<String, ResultTable> got = parts(answering(asked, sql -> asked.size() == 1 ? combined(4, List.of(
        Arrays.asList(0L, 1L, "k2", 7L, null), Arrays.asList(0L, 2L, "k1", 5L, null))) : alone)).query();

    assertThat(asked).hasSize(3);
    assertThat(asked.get(1)).isEqualTo("WITH t AS MATERIALIZED (SELECT 1) SELECT `key`, `n` FROM (SELECT key, n, x "
        + "FROM t ORDER BY n DESC, key LIMIT 3) ORDER BY n DESC, key SETTINGS enable_materialized_cte = 1, "
        + "join_use_nulls = 1");
    assertThat(asked.get(2)).isEqualTo("WITH t AS MATERIALIZED (SELECT 1) SELECT `total` FROM (SELECT avg(n) AS total "
        + "FROM t) SETTINGS enable_materialized_cte = 1, join_use_nulls = 1");
    assertThat(got.get("a")).isSameAs(alone);
  }
}
