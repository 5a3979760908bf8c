package io.memtrace.collector.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual's lineage queries, as written there (read from docs/lineage.md, each {@code sql} block of its
 * section "Questions as plain queries"), run through {@code query}'s checks on {@link ExampleFixtures}: one record's
 * timeline, a memory store's health, and what each LLM call of a trace read.
 */
class ExampleQueriesTest {

  static final Path PAGE = Paths.get("../docs/lineage.md");

  @TempDir
  static Path dir;
  static LocalSqlSource store;
  static List<String> queries;

  @BeforeAll
  static void fill() throws Exception {
    TestStores.fill(dir, ExampleFixtures.fleet(), ExampleFixtures.chat());
    store = TestQueryLimits.local(new StoreFiles(dir));
    queries = queries();
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void shouldShowOneRecordsTimelineWithItsExpiryAndTheOtherClient() {
    ResultTable timeline = store.query(queries.get(0));
    assertThat(column(timeline, "access")).containsExactly("write", "read", "write", "write", "expiry", "read");
    assertThat(column(timeline, "note")).containsOnlyOnce("write by another client");
    assertThat(timeline.text(3, "service")).isEqualTo("aqe-planner");
    assertThat(timeline.text(4, "time")).startsWith("2024-11-20 08:00:07.001");
    assertThat(timeline.bool(5, "found")).isFalse();
  }

  @Test
  void shouldShowAMemoryStoresHealth() {
    ResultTable health = store.query(queries.get(1));
    int plans = row(health, "namespace", "aqe/test-plans");
    assertThat(health.number(plans, "records")).isEqualTo(1);
    assertThat(health.decimal(plans, "read_write_ratio")).isEqualTo(0.5);
    assertThat(health.number(plans, "same_size_rewrites")).as("stored twice at 262 bytes").isEqualTo(1);
    assertThat(health.number(plans, "empty_searches")).isEqualTo(1);
    assertThat(health.decimal(row(health, "namespace", "chat"), "never_read_share")).isEqualTo(0.0);
  }

  @Test
  void shouldShowWhatEachLlmCallReadAndHowOld() {
    ResultTable reads = store.query(queries.get(2));
    assertThat(column(reads, "llm_call")).containsExactly("chat gpt-4o", "chat gpt-4o", "chat gpt-4o-mini");
    assertThat(column(reads, "key")).containsExactly("conversation-42", "user-profile-7", "conversation-42");
    assertThat(reads.decimal(0, "age_ms")).isEqualTo(8008.0);
    assertThat(reads.text(1, "writer")).isEqualTo("not_in_store");
    assertThat(reads.decimal(2, "age_ms")).isEqualTo(9998.0);
  }

  /** The {@code sql} blocks of the page's section of questions (up to the next heading outside a code block), in order. */
  static List<String> queries() throws Exception {
    List<String> sql = new ArrayList<>();
    boolean inSection = false;
    boolean inBlock = false;
    StringBuilder query = null;
    for (String line : Files.readAllLines(PAGE)) {
      if (!inSection) {
        inSection = line.equals("## Questions as plain queries");
      } else if (!inBlock && line.startsWith("## ")) {
        break;
      } else if (line.startsWith("```")) {
        if (inBlock && query != null) {
          sql.add(query.toString());
        }
        query = !inBlock && line.equals("```sql") ? new StringBuilder() : null;
        inBlock = !inBlock;
      } else if (query != null) {
        query.append(line).append('\n');
      }
    }
    assertThat(sql).as("the lineage queries of docs/lineage.md").hasSize(3);
    return sql;
  }

  static List<String> column(ResultTable t, String name) {
    return LineageViewsTest.column(t, name);
  }

  static int row(ResultTable t, String column, String value) {
    return column(t, column).indexOf(value);
  }
}
