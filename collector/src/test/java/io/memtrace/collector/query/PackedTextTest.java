package io.memtrace.collector.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text columns packed by DuckDB into one and read back whole, through the real driver. */
class PackedTextTest {

  private static final List<String> COLUMNS = List.of("a", "b", "c");

  @Test
  void everyTextComesBackAsItWasStored() throws Exception {
    String[][] rows = {
        {"plain", "", null},
        {null, null, null},
        {"1:2:3", ":", "12:"},
        {"astral \uD83D\uDE00 and e\u0301 combined", "line\nbreak\ttab", "\u202Ebidi\u202C"},
        {"", "0:", "x".repeat(70_000)},
        {"\u202Eright to left", "caf\u00e9 \u4e2d\u6587", "no pair here"},
    };
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (n INTEGER, a VARCHAR, b VARCHAR, c VARCHAR)");
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < rows.length; i++) {
          insert.setInt(1, i);
          for (int j = 0; j < 3; j++) {
            insert.setString(j + 2, rows[i][j]);
          }
          insert.execute();
        }
      }
      List<String[]> read = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT n, " + PackedText.sql(COLUMNS, "packed") + " FROM t ORDER BY n")) {
        RowCursor cursor = PackedText.cursor(RowCursor.of(rs), "packed", COLUMNS);
        int n = cursor.column("n");
        int[] at = {cursor.column("a"), cursor.column("b"), cursor.column("c")};
        while (cursor.next()) {
          assertThat(cursor.number(n)).isEqualTo(read.size());
          read.add(new String[] {cursor.text(at[0]), cursor.text(at[1]), cursor.text(at[2])});
        }
      }
      assertThat(read).hasSize(rows.length);
      for (int i = 0; i < rows.length; i++) {
        assertThat(read.get(i)).as("row %d", i).isEqualTo(rows[i]);
      }
    }
  }

  @Test
  void aResultAlreadyReadUnpacksTheSameWay() {
    ResultTable table = new ResultTable(List.of(new ResultTable.Column("packed", "VARCHAR")),
        List.of(Arrays.asList((Object) "3:a:b:0:")), false);
    RowCursor cursor = PackedText.cursor(RowCursor.of(table), "packed", COLUMNS);
    assertThat(cursor.next()).isTrue();
    assertThat(new String[] {cursor.text(cursor.column("a")), cursor.text(cursor.column("b")),
        cursor.text(cursor.column("c"))}).isEqualTo(new String[] {"a:b", null, ""});
    assertThat(cursor.next()).isFalse();
  }
}
