package io.memtrace.collector.lineage;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compressed count whose commands all went out as key events ({@code memtrace.compressed.key_events}, ADR 0004)
 * hides no write: the read after it is answered by the write stored from the key event, in the tail and once
 * compacted; a count with one command not sent so still makes the read {@code compressed}.
 */
class KeyEventCountsTest {

  @TempDir
  Path dir;

  /** A task whose SET of hid:1 was compressed and sent as a key event ({@code keyEvents} of its 2 commands), a GET after. */
  private static ExportTraceServiceRequest scenario(long keyEvents) {
    String trace = "00000000000000000000000000007701";
    return SpanFixtures.request("svc", List.of(
        LineageFixtures.redis(trace, null, "SET", 1000, 1, "hid:1", "10.0.0.5", 6379, "0", "memtrace.key_event", true),
        span(trace, null, "app.task.bulk", 900, 600).addAttributes(attr("memtrace.compressed.count", 2L))
            .addEvents(LineageFixtures.compressed("SET", "hid", 2).toBuilder()
                .addAttributes(attr("memtrace.compressed.key_events", keyEvents))).build(),
        LineageFixtures.redis(trace, null, "GET", 2000, 1, "hid:1", "10.0.0.5", 6379, "0", "memory.found", true)));
  }

  private String writer(long keyEvents) throws Exception {
    Path store = dir.resolve("k" + keyEvents);
    String tail;
    try (SpanStore s = TestStores.open(store, false)) {
      TestStores.write(s, scenario(keyEvents));
      try (Connection connection = s.newConnection()) {
        tail = writerOf(TestStores.source(connection));
      }
    }
    try (LocalSqlSource source = TestQueryLimits.local(new StoreFiles(store))) {
      assertThat(writerOf(source)).as("compacted, as in the tail").isEqualTo(tail);
    }
    return tail;
  }

  private static String writerOf(SqlSource source) throws Exception {
    return source.query("SELECT writer FROM lineage WHERE read_layer = 'redis' AND key = 'hid:1'").text(0, "writer");
  }

  @Test
  void shouldAnswerTheReadByItsStoredWriterWhenEveryCompressedCommandWentOutAsAKeyEvent() throws Exception {
    assertThat(writer(2)).isEqualTo("seen");
  }

  @Test
  void shouldStillSayCompressedWhenACommandOfTheCountWasNotSent() throws Exception {
    assertThat(writer(1)).isEqualTo("compressed");
  }
}
