package io.memtrace.collector.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * The life every table kept beside {@code span_store} must live across collector versions, in the store at a
 * directory: while it is absent (a store an older collector wrote) or built under other rules, a read-only open
 * answers from the spans; the next open for writing builds it, says so, and does so once; and the answers stay the
 * same throughout.
 */
final class KeptTableLife {

  private final Path dir;
  private final Predicate<SqlSource> kept;
  private final String building;
  private final Callable<String> answers;
  private final String before;

  /**
   * @param kept      whether the store answers from the kept table
   * @param building  what an open for writing says when it builds the table
   * @param answers   the questions the table serves, asked of the stopped store
   */
  KeptTableLife(Path dir, Predicate<SqlSource> kept, String building, Callable<String> answers) throws Exception {
    this.dir = dir;
    this.kept = kept;
    this.building = building;
    this.answers = answers;
    this.before = answers.call();
  }

  /** Makes the store one an older collector left with {@code statements}: then a read-only open reads the spans. */
  void leftByAnOlderCollector(String... statements) throws Exception {
    execute(statements);
    assertThat(kept()).as("read-only: from the spans").isFalse();
    assertThat(answers.call()).isEqualTo(before);
  }

  /** The next open for writing builds the table, saying so. */
  void builtWhenOpenedForWriting() throws Exception {
    assertThat(TestStores.openForWriting(dir)).contains(building, "a store from an older collector");
    assertThat(kept()).isTrue();
    assertThat(answers.call()).isEqualTo(before);
  }

  /**
   * Makes the table one built under other rules with {@code statements}, which also change its rows: a read-only
   * open reads the spans, and the next open for writing builds it again, once.
   */
  void builtAgainUnderOtherRules(String... statements) throws Exception {
    execute(statements);
    assertThat(kept()).isFalse();
    assertThat(answers.call()).isEqualTo(before);
    assertThat(TestStores.openForWriting(dir)).contains("this collector's rules differ");
    assertThat(answers.call()).isEqualTo(before);
    assertThat(TestStores.openForWriting(dir)).as("once").doesNotContain(building);
  }

  private boolean kept() {
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(dir))) {
      return kept.test(source);
    }
  }

  private void execute(String... statements) throws Exception {
    try (Connection c = TestStores.connect(dir, false); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
