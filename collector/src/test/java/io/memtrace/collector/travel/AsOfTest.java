package io.memtrace.collector.travel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The moment of restore --as-of: a time as written, or when a trace in the store began. */
class AsOfTest {

  @Test
  void shouldTakeATimeAsWrittenAndATracesFirstSpanStart(@TempDir Path dir) throws Exception {
    assertThat(AsOf.resolve("2026-11-27T07:00:00.5Z", null)).isEqualTo(Instant.parse("2026-11-27T07:00:00.5Z"));
    TestStores.fill(dir, SpanFixtures.seedTrace());
    try (StoreReader reader = EmbeddedReader.local(new StoreFiles(dir))) {
      assertThat(AsOf.resolve(SpanFixtures.SEED_TRACE, reader)).isEqualTo(Instant.ofEpochSecond(0, SpanFixtures.T0));
      assertThat(AsOf.resolve(SpanFixtures.SEED_TRACE.substring(0, 12).toUpperCase(), reader))
          .isEqualTo(Instant.ofEpochSecond(0, SpanFixtures.T0));
      assertThatThrownBy(() -> AsOf.resolve("ffffffffffffffffffffffffffffffff", reader))
          .isInstanceOf(CollectorException.class).hasMessageStartingWith("no trace ffff");
    }
    assertThatThrownBy(() -> AsOf.resolve("yesterday; rm -rf /", null)).isInstanceOf(CollectorException.class)
        .hasMessageContaining("neither a time");
  }
}
