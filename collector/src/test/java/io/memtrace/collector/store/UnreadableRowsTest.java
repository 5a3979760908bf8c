package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memtrace.collector.SpanFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows an older collector stored with text DuckDB cannot read (escaped lone surrogates) are
 * repaired or set aside; they never stop compaction, queries or the opening of the store.
 */
class UnreadableRowsTest {

  static final String HOPELESS = LegacyStores.HOPELESS;

  @TempDir
  Path dir;

  @Test
  void shouldOpenAStoreThatAnOlderVersionLeftWithUnreadableRows() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    LegacyStores.write(dir);

    try (SpanStore store = SpanStore.open(files, false); Connection c = store.newConnection()) {
      assertThat(rows(c, "SELECT name, attributes['k']::VARCHAR FROM spans ORDER BY name"))
          .containsExactly(List.of("good", "fine"), List.of("lone", "x\ufffdy"));
      assertThat(rows(c, "SELECT events->>'$[0].attributes.a', resource_attributes->>'host' FROM spans "
          + "WHERE name = 'lone'")).containsExactly(List.of("\ufffd", "\ufffd"));
      assertThat(rows(c, "SELECT seq, name, attributes, reason LIKE '%Malformed JSON%' FROM span_quarantine"))
          .containsExactly(List.of("3", "hopeless", HOPELESS, "true"));
      assertThat(rows(c, "SELECT attributes->>'k' FROM metrics")).containsExactly(List.of("x\ufffdy"));
      assertThat(rows(c, "SELECT count(*) FROM span_ingest")).containsExactly(List.of("0"));
    }
  }

  @Test
  void shouldMoveTheRowsAroundAnUnreadableOneWhileServing() throws Exception {
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      TestStores.write(store, SpanFixtures.seedTrace());
      try (DuckDBConnection c = store.newConnection()) {
        try (DuckDBAppender a = c.createAppender("main", "span_ingest")) {
          RowAppender.appendSpan(a, 0, LegacyStores.row("hopeless", HOPELESS, "[]", "{}"), 0);
        }
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
            assertThat(rows(c, "SELECT count(*) FROM span_ingest")).containsExactly(List.of("0")));
        assertThat(rows(c, "SELECT count(*) FROM span_store")).containsExactly(List.of("12"));
        assertThat(rows(c, "SELECT name FROM span_quarantine")).containsExactly(List.of("hopeless"));
        TestStores.write(store, SpanFixtures.seedTrace());
      }
    }
    try (SpanStore reopened = SpanStore.open(new StoreFiles(dir)); Connection c = reopened.newConnection()) {
      assertThat(rows(c, "SELECT count(*) FROM span_store")).containsExactly(List.of("24"));
    }
  }

  @Test
  void shouldRepairOnlyEscapedLoneSurrogates() {
    assertThat(JsonEscapes.repairLoneSurrogates("\"a\\ud800b\\udc00c\\ud83d\\ude00\\\\ud800\\u0041\""))
        .isEqualTo("\"a\\ufffdb\\ufffdc\\ud83d\\ude00\\\\ud800\\u0041\"");
    String valid = "{\"k\":\"\\ud83d\\ude00\"}";
    assertThat(JsonEscapes.repairLoneSurrogates(valid)).isSameAs(valid);
    assertThat(JsonEscapes.repairLoneSurrogates("\"\\ud800")).isEqualTo("\"\\ufffd");
  }

  static List<List<String>> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      List<List<String>> out = new java.util.ArrayList<>();
      while (r.next()) {
        List<String> row = new java.util.ArrayList<>();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
          row.add(r.getString(i));
        }
        out.add(row);
      }
      return out;
    }
  }
}
