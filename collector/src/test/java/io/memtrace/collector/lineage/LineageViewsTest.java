package io.memtrace.collector.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.LegacyStores;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageViewsTest {

  @TempDir
  static Path dir;
  static LocalSqlSource store;
  /** Every row of the view by read time, asked once: the store does not change, and each question costs a second. */
  static ResultTable lineage;

  @BeforeAll
  static void fill() throws Exception {
    TestStores.fill(dir, LineageFixtures.writer(), LineageFixtures.reader(), LineageFixtures.memory());
    store = TestQueryLimits.local(new StoreFiles(dir));
    lineage = store.query("SELECT * FROM lineage ORDER BY read_time");
    assertThat(lineage.truncated()).isFalse();
  }

  @AfterAll
  static void close() {
    store.close();
  }

  /** The view's rows of {@code key} read in {@code layer}, by read time. */
  static ResultTable lineageOf(String key, String layer) {
    return LineageRowsByKey.where(LineageRowsByKey.where(lineage, "key", key), "read_layer", layer);
  }

  @Test
  void shouldFindTheWriteOfAnotherServiceOnTheSameRedisAndDatabase() {
    ResultTable user = lineageOf("user:1", "redis");
    assertThat(user.size()).isEqualTo(1);
    assertThat(user.text(0, "writer")).isEqualTo("seen");
    assertThat(user.text(0, "read_service")).isEqualTo("reader-svc");
    assertThat(user.text(0, "write_service")).isEqualTo("writer-svc");
    assertThat(user.text(0, "write_trace_id")).isEqualTo(LineageFixtures.WRITER_TRACE);
    assertThat(user.text(0, "redis")).isEqualTo("10.0.0.5:6379");
    assertThat(user.decimal(0, "value_age_ms")).isEqualTo(100.0);
  }

  @Test
  void shouldSayNotInStoreRatherThanGuess() {
    assertThat(lineageOf("never:1", "redis").text(0, "writer")).isEqualTo("not_in_store");
    assertThat(lineageOf("never:1", "redis").value(0, "write_span_id")).isNull();
    ResultTable slow = lineageOf("slow:1", "redis");
    assertThat(slow.text(0, "writer")).as("the write ended after the read began").isEqualTo("not_in_store");
  }

  @Test
  void shouldTellWhyAReadFoundNothing() {
    assertThat(lineageOf("gone:1", "redis").text(0, "miss")).isEqualTo("deleted");
    assertThat(lineageOf("gone:1", "redis").text(0, "write_access")).isEqualTo("delete");
    assertThat(lineageOf("short:1", "redis").text(0, "miss")).isEqualTo("expired");
    assertThat(lineageOf("evicted:1", "redis").text(0, "miss")).as("no TTL ran out, nothing recorded says why")
        .isEqualTo("unknown");
    assertThat(lineageOf("user:1", "redis").value(0, "miss")).isNull();
  }

  @Test
  void shouldSayCompressedWhenRetentionHidAWriteThatMayBeTheLast() {
    ResultTable hidden = lineageOf("hid:1", "redis");
    assertThat(hidden.text(0, "writer")).isEqualTo("compressed");
    assertThat(hidden.value(0, "write_span_id")).isNull();
    assertThat(lineageOf("hid:2", "redis").text(0, "writer")).as("written after the compressed span ended")
        .isEqualTo("seen");
    assertThat(lineageOf("user:1", "redis").text(0, "writer")).as("compressed GETs hide no write").isEqualTo("seen");
    assertThat(lineageOf("late:1", "redis").text(0, "writer")).as("counted under _OTHER: any namespace")
        .isEqualTo("compressed");
    assertThat(lineageOf("late:2", "redis").text(0, "writer")).isEqualTo("seen");
  }

  @Test
  void shouldReadTheAccessFromTheOverlay() {
    ResultTable rows = store.query("SELECT operation, access FROM key_events WHERE key = 'user:2' ORDER BY time");
    assertThat(column(rows, "access")).containsExactly("write", "read", "other");
  }

  @Test
  void shouldJoinMemoryManagerRecordsByNamespaceAndKey() {
    ResultTable plan = lineageOf("plan-a", "memory");
    assertThat(plan.size()).isEqualTo(2);
    assertThat(plan.text(0, "namespace")).isEqualTo("plans");
    assertThat(plan.text(0, "writer")).isEqualTo("seen");
    assertThat(plan.decimal(0, "value_age_ms")).isEqualTo(192.0);
    assertThat(plan.text(1, "namespace")).isEqualTo("reports");
    assertThat(plan.text(1, "writer")).isEqualTo("not_in_store");
    ResultTable search = store.query("SELECT access, results, found FROM key_events WHERE operation = 'search'");
    assertThat(search.text(0, "access")).isEqualTo("other");
    assertThat(search.bool(0, "found")).isFalse();
  }

  @Test
  void shouldGiveAStoreAnOlderCollectorWroteTheseViewsWhenOpenedReadOnly(@TempDir Path old) throws Exception {
    LegacyStores.writeBeforeTypedColumns(old, LineageFixtures.writer(), LineageFixtures.reader());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + new StoreFiles(old).database());
         Statement s = c.createStatement()) {
      s.execute("DROP VIEW key_events");
      s.execute("DROP TABLE redis_command_access");
      // a view of an older collector's rules: the reader's own shadow it
      s.execute("CREATE OR REPLACE VIEW lineage AS SELECT 1 AS stale");
    }
    try (LocalSqlSource readOnly = TestQueryLimits.local(new StoreFiles(old))) {
      ResultTable user = readOnly.query("SELECT writer, write_service, value_age_ms, read_status_code FROM lineage "
          + "WHERE key = 'user:1'");
      assertThat(user.text(0, "writer")).isEqualTo("seen");
      assertThat(user.text(0, "write_service")).isEqualTo("writer-svc");
      assertThat(user.decimal(0, "value_age_ms")).isEqualTo(100.0);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + new StoreFiles(old).database());
         Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM duckdb_views() "
             + "WHERE view_name IN ('lineage', 'key_events')")) {
      r.next();
      assertThat(r.getLong(1)).as("a read-only open changes nothing in the file: the stale view only").isEqualTo(1);
    }
  }

  static List<String> column(ResultTable t, String name) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      out.add(t.text(i, name));
    }
    return out;
  }
}
