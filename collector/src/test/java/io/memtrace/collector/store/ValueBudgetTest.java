package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.values.ValueEventFixtures;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** key_value's own retention and budget: the oldest go first, and what each rule removed is counted. */
class ValueBudgetTest {

  @TempDir
  Path dir;

  @Test
  void shouldDeleteTheOldestPastTheBudgetAndCountThem() throws Exception {
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      store.writer().writeSpans(OtlpIngest.decodeSpans(false, bigValues(30).toByteArray())).get(30, TimeUnit.SECONDS);
      try (Connection c = store.newConnection()) {
        ValueBudget budget = new ValueBudget(c, Duration.ofDays(36500), 1024, Duration.ofHours(1));
        budget.apply();
        ValueBudget.Figures f = budget.figures();
        assertThat(f.stored()).isEqualTo(10);
        assertThat(f.storedBytes()).isEqualTo(1000);
        assertThat(f.prunedBudget()).isEqualTo(20);
        assertThat(f.prunedBudgetBytes()).isEqualTo(2000);
        assertThat(f.prunedRetention()).isZero();
        assertThat(keys(c)).isEqualTo("big:20 big:21 big:22 big:23 big:24 big:25 big:26 big:27 big:28 big:29");
      }
    }
  }

  @Test
  void shouldDeleteValuesOlderThanTheRetention() throws Exception {
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      store.writer().writeSpans(OtlpIngest.decodeSpans(false, bigValues(3).toByteArray())).get(30, TimeUnit.SECONDS);
      try (Connection c = store.newConnection()) {
        // the fixtures' values are from 2024: a week's retention takes them all, and the budget nothing
        ValueBudget budget = new ValueBudget(c, Duration.ofDays(7), 1 << 20, Duration.ofHours(1));
        budget.apply();
        assertThat(budget.figures().prunedRetention()).isEqualTo(3);
        assertThat(budget.figures().prunedBudget()).isZero();
        assertThat(budget.figures().stored()).isZero();
      }
    }
  }

  @Test
  void shouldApplyTheRulesOnItsOwnThreadOnceAServerAsks() throws Exception {
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      store.keepValues(Duration.ofDays(36500), 1024, Duration.ofMillis(50));
      store.writer().writeSpans(OtlpIngest.decodeSpans(false, bigValues(30).toByteArray())).get(30, TimeUnit.SECONDS);
      long deadline = System.currentTimeMillis() + 120_000;
      while (store.valueFigures().prunedBudget() < 20 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(store.valueFigures().prunedBudget()).isEqualTo(20);
      assertThat(store.valueFigures().stored()).isEqualTo(10);
    }
  }

  /** {@code n} SETs of 100 bytes of value (a payload of 94 and a key of 6), one millisecond apart. */
  static io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest bigValues(int n) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = String.format("big:%02d", i);
      spans.add(ValueEventFixtures.redis("SET", 1_000 + i, key,
          ValueEventFixtures.value(1_000 + i + 1, key, "replace", "string", "x".repeat(94))));
    }
    return SpanFixtures.request("values-app", spans);
  }

  private static String keys(Connection c) throws Exception {
    try (Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT string_agg(key, ' ' ORDER BY time) FROM key_value")) {
      r.next();
      return r.getString(1);
    }
  }
}
