package io.memtrace.collector.lineage;

import static io.memtrace.collector.lineage.LineageFixtures.redis;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands the truth suite (issue 72) found lineage taking for changes they did not make: a DEL of a key already
 * gone (its reply, {@code memory.result_count}, 0), and RENAME and MOVE, which take their key away rather than write
 * it; COPY only reads its source.
 */
class NoChangeLineageTest {

  private static final String T = "7e570000000000000000000000000001";

  @Test
  void shouldTakeNoDeleteThatRemovedNothingAndTheMoversAsTheyChangeTheirKey(@TempDir Path dir) throws Exception {
    TestStores.fill(dir, SpanFixtures.request("svc", List.of(
        redis(T, "SET", 10, "gone:1"), redis(T, "DEL", 20, "gone:1", "memory.result_count", 1L),
        redis(T, "DEL", 30, "gone:1", "memory.result_count", 0L),
        redis(T, "GET", 40, "gone:1", "memory.found", false),
        redis(T, "DEL", 20, "never:1", "memory.result_count", 0L),
        redis(T, "GET", 40, "never:1", "memory.found", false),
        redis(T, "SET", 10, "moved:1"), redis(T, "RENAME", 20, "moved:1"),
        redis(T, "GET", 40, "moved:1", "memory.found", false),
        redis(T, "SET", 10, "kept:1"), redis(T, "MOVE", 20, "kept:1", "memory.result_count", 0L),
        redis(T, "COPY", 25, "kept:1", "memory.result_count", 1L),
        redis(T, "GET", 40, "kept:1", "memory.found", true))));
    try (LocalSqlSource store = TestQueryLimits.local(new StoreFiles(dir))) {
      // every Redis read's row in one question of the view (each costs about a second), each key's looked up below
      ResultTable all = store.query("SELECT key, writer, write_access, write_name, miss, value_age_ms::VARCHAR AS "
          + "value_age_ms FROM lineage WHERE read_layer = 'redis'");
      assertThat(all.truncated()).isFalse();
      ResultTable gone = lineage(all, "gone:1");
      assertThat(gone.text(0, "write_access")).isEqualTo("delete");
      assertThat(gone.text(0, "value_age_ms")).as("the DEL that removed it, at 20 ms, not the one at 30")
          .startsWith("19");
      assertThat(lineage(all, "never:1").text(0, "writer")).isEqualTo("not_in_store");
      ResultTable moved = lineage(all, "moved:1");
      assertThat(moved.text(0, "write_access")).isEqualTo("delete");
      assertThat(moved.text(0, "miss")).isEqualTo("deleted");
      ResultTable kept = lineage(all, "kept:1");
      assertThat(kept.text(0, "write_access")).as("a MOVE that moved nothing and a COPY changed nothing")
          .isEqualTo("write");
      assertThat(kept.text(0, "write_name")).isEqualTo("SET");
    }
  }

  private static ResultTable lineage(ResultTable all, String key) {
    return LineageRowsByKey.where(all, "key", key);
  }
}
