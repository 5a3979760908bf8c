package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writing connection's settings, which ingest throughput depends on. */
class DatabaseTest {

  @TempDir
  Path dir;

  @Test
  void shouldLetTheWriteAheadLogGrowTo256MbBeforeCheckpointing() throws Exception {
    try (DuckDBConnection connection = Database.openWritable(new StoreFiles(dir));
         Statement s = connection.createStatement();
         ResultSet r = s.executeQuery("SELECT current_setting('checkpoint_threshold')")) {
      r.next();
      assertThat(r.getString(1)).isEqualTo("256.0 MiB");
    }
  }
}
