package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.memtrace.collector.Failures;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.TraceMapper;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer thread never dies silently, and nothing waits on it once it has stopped. */
class SpanWriterTest {

  @TempDir
  Path dir;

  @Test
  void shouldFailTheBatchAndKeepWritingWhenAFlushThrowsAnError() throws Exception {
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      CompletableFuture<Void> broken = store.writer().writeSpans(rowWhoseAttributesThrow(new LinkageError("odd")));
      assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(LinkageError.class);

      store.writer().writeSpans(TraceMapper.map(SpanFixtures.seedTrace())).get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldExitNonZeroWhenTheWriterRunsOutOfMemory() throws Exception {
    List<Integer> exits = new CopyOnWriteArrayList<>();
    IntConsumer previous = Failures.exitWith(exits::add);
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      CompletableFuture<Void> broken = store.writer().writeSpans(
          rowWhoseAttributesThrow(new OutOfMemoryError("Java heap space")));
      assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(OutOfMemoryError.class);
      // the batch fails first, then the writer reports
      await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !exits.isEmpty());
      assertThat(exits).containsExactly(Failures.EXIT_FATAL);
    } finally {
      Failures.exitWith(previous);
    }
  }

  @Test
  void shouldAnswerEverySubmitAtOnceWhileTheWriterStops() throws Exception {
    try (DuckDBConnection connection = Database.openWritable(new StoreFiles(dir))) {
      List<SpanRow> rows = TraceMapper.map(SpanFixtures.seedTrace());
      for (int round = 0; round < 20; round++) {
        SpanWriter writer = new SpanWriter(connection.duplicate(), 1);
        List<CompletableFuture<Void>> submitted = new CopyOnWriteArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          Thread sender = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
              submitted.add(writer.writeSpans(rows));
            }
          });
          sender.start();
          senders.add(sender);
        }
        writer.close();
        for (Thread sender : senders) {
          sender.join();
        }
        for (CompletableFuture<Void> f : submitted) {
          // committed or refused, either at once; a request queued behind a stopped writer waited 30 s for a 503
          f.handle((done, refused) -> null).get(2, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Good rows whose attribute types throw {@code error} when the writer thread records them. */
  private static PreparedSpans rowWhoseAttributesThrow(Throwable error) throws Exception {
    Map<String, Set<String>> throwing = new AbstractMap<>() {
      @Override
      public Set<Entry<String, Set<String>>> entrySet() {
        sneakyThrow(error);
        return Set.of();
      }
    };
    return PreparedSpans.of(List.of(TraceMapper.map(SpanFixtures.seedTrace()).get(0))).withTypes(throwing);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }
}
