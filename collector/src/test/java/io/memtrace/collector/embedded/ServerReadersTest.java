package io.memtrace.collector.embedded;

import static io.memtrace.collector.SpanFixtures.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running server's reader reads one state of the store: spans loaded between two of its statements are not in the
 * second (a report's sections, a page's parts and a health look's statements agree with each other), the next reader
 * sees them, and a statement that fails leaves the reader able to ask on.
 */
class ServerReadersTest {

  @TempDir
  Path dir;

  @Test
  void shouldReadOneStateOfTheStoreWhileSpansAreLoaded() throws Exception {
    try (SpanStore store = TestStores.open(dir, false)) {
      TestStores.write(store, batch("00000000000000000000000000000a01"));
      ServerReaders readers = new ServerReaders(store, QueryLimits.DEFAULT);
      try (StoreReader reader = readers.open()) {
        assertThat(spans(reader)).isEqualTo(2);
        TestStores.write(store, batch("00000000000000000000000000000a02"));
        assertThat(spans(reader)).as("the reader's second statement, after a load").isEqualTo(2);
        try (StoreReader next = readers.open()) {
          assertThat(spans(next)).as("a reader opened after the load").isEqualTo(4);
        }
        assertThatThrownBy(() -> reader.query("SELECT * FROM no_such_table")).isInstanceOf(CollectorException.class)
            .hasMessageContaining("no_such_table");
        assertThat(spans(reader)).as("after a failed statement: a new state, still read-only").isEqualTo(4);
        assertThatThrownBy(() -> reader.query("DELETE FROM span_ingest")).isInstanceOf(CollectorException.class);
      }
      try (StoreReader reader = readers.open()) {
        assertThat(spans(reader)).as("nothing was deleted").isEqualTo(4);
      }
    }
  }

  private static long spans(StoreReader reader) {
    return reader.query("SELECT count(*) AS n FROM spans").number(0, "n");
  }

  private static ExportTraceServiceRequest batch(String trace) {
    return SpanFixtures.request("svc", List.of(span(trace, null, "a", 0, 1).build(), span(trace, null, "b", 1, 1)
        .build()));
  }
}
