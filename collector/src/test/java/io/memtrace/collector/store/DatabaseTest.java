package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connections' settings: ingest throughput and the memory bound depend on them. */
class DatabaseTest {

  @TempDir
  Path dir;

  @Test
  void shouldLetTheWriteAheadLogGrowTo256MbBeforeCheckpointing() throws Exception {
    assertThat(writableSetting("checkpoint_threshold")).isEqualTo("256.0 MiB");
  }

  @Test
  void shouldWriteVariantsUnshreddedWhereShreddingCostMoreThanTheRestOfAMove() throws Exception {
    assertThat(writableSetting("variant_minimum_shredding_size")).isEqualTo("-1");
  }

  private String writableSetting(String name) throws Exception {
    try (DuckDBConnection connection = Database.openWritable(new StoreFiles(dir));
         Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT current_setting('" + name + "')::VARCHAR")) {
      r.next();
      return r.getString(1);
    }
  }

  @Test
  void shouldGiveTheWriterTwoFifthsOfTheBudgetAndOneThread() throws Exception {
    try (DuckDBConnection connection = Database.openWritable(new StoreFiles(dir), 1L << 30);
         Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT current_setting('memory_limit'), current_setting('threads')")) {
      r.next();
      assertThat(r.getString(1)).isEqualTo("409.0 MiB");
      assertThat(r.getLong(2)).as("a budget of four threads' worth").isEqualTo(1);
    }
  }

  @Test
  void shouldOpenReadOnlyWithinTheSameDefaultBudgetAsServe() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    Database.openWritable(files).close();
    long budget = MemoryLimit.defaultBudget();
    try (DuckDBConnection connection = Database.openReadOnly(files);
         Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT current_setting('memory_limit'), current_setting('threads')")) {
      r.next();
      assertThat(r.getString(1)).isEqualTo((MemoryLimit.duckdbBytes(budget) >> 20) + ".0 MiB");
      assertThat(r.getLong(2)).isEqualTo(MemoryLimit.threads(budget));
    }
  }

  @Test
  void shouldDefaultToAQuarterOfTheHostWithin256MiBAnd1GiB() {
    long host = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getTotalMemorySize();
    assertThat(MemoryLimit.defaultBudget()).isEqualTo(Math.min(1L << 30, Math.max(256L << 20, host / 4)));
    assertThat(MemoryLimit.heapBytes(1L << 30) + MemoryLimit.duckdbBytes(1L << 30)).isLessThan(3L << 28);
    assertThat(MemoryLimit.threads(1L << 30)).isEqualTo(Math.min(4, Runtime.getRuntime().availableProcessors()));
    // to the nearest 256 MiB: 512 MiB less a launcher's 64 keeps the two threads of 512
    assertThat(MemoryLimit.threads(448L << 20)).isEqualTo(Math.min(2, Runtime.getRuntime().availableProcessors()));
    assertThat(MemoryLimit.threads(383L << 20)).isEqualTo(1);
  }
}
