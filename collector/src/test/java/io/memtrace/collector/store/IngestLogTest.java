package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.ingest.OtlpIngest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest log: a request is acknowledged once its body is on disk and loaded behind; what a stop without
 * warning left in it is loaded at the next open, once; a damaged log says what it lost and loses nothing else.
 */
class IngestLogTest {

  @TempDir
  Path dir;

  @Test
  void shouldLoadWhatItAcknowledgedAndLeaveNoSegmentAfterAStop() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    try (SpanStore store = SpanStore.open(files, OtlpIngest::decodeSpans)) {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int r = 0; r < 20; r++) {
        byte[] body = body(trace(r), 50);
        acks.add(store.writer().acknowledgeSpans(false, body, OtlpIngest.decodeSpans(false, body)));
      }
      for (CompletableFuture<Void> ack : acks) {
        ack.get(10, TimeUnit.SECONDS);
      }
      // acknowledged is not loaded: a reader that must see every span waits for them
      assertThat(store.awaitLoaded()).isZero();
      assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(1000);
      assertThat(store.ingestLog().unloadedSpans()).isZero();
    }
    assertThat(segments()).as("a clean stop loads everything and keeps no segment").isEmpty();
    try (SpanStore store = SpanStore.open(files, OtlpIngest::decodeSpans)) {
      assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(1000);
    }
  }

  @Test
  void shouldCommitAMetricRequestAheadOfLoggedRequestsTheStoreCannotLoadYet() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    AtomicInteger failures = new AtomicInteger(6);
    try (SpanStore store = SpanStore.open(files)) {
      IngestLog log = IngestLog.open(files.ingestLog(), OtlpIngest::decodeSpans, store.writer(), 1L << 20, 1L << 30);
      byte[] body = body(trace(1), 20);
      List<SpanRow> rows = OtlpIngest.decodeSpans(false, body);
      String warnings = stderrOf(() -> {
        // acknowledged, and then failing to load for six seconds, at the head of 40,000 logged spans
        log.append(false, body, 20, () -> failing(rows, failures), 1L).get(10, TimeUnit.SECONDS);
        for (int r = 0; r < 40; r++) {
          byte[] more = body(trace(100 + r), 1000);
          log.append(false, more, OtlpIngest.decodeSpans(false, more), 1L).get(10, TimeUnit.SECONDS);
        }
        store.writer().writeMetrics(List.of(new MetricRow(SpanFixtures.T0, 0, "app", "io.memtrace",
            "memtrace.events.dropped", null, null, "sum", "cumulative", true, "{}", 2.0, null, null, null, null, null,
            null))).get(30, TimeUnit.SECONDS);
        // committed at the writer's next turn, not behind the logged requests (a metric request waited minutes so):
        // when it is committed, every one of them is still waiting to be loaded
        assertThat(log.unloadedSpans()).as("the logged requests are still waiting").isEqualTo(40_020);
        assertThat(log.awaitLoaded(20_000)).isZero();
      });
      // the failing request and whichever were logged before the writer took its batch (one, or more on a busy
      // machine): said once, within the minute
      assertThat(warnings).containsPattern("could not load [1-9][0-9]* acknowledged requests")
          .containsOnlyOnce("acknowledged requests");
      assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(40_020);
      assertThat(count(store, "SELECT count(*) FROM metrics")).isEqualTo(1);
    }
  }

  @Test
  void shouldReadBodiesBackWhenTooManyRowsWouldBeKeptInMemory() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    List<byte[]> bodies = IntStream.range(0, 10).mapToObj(r -> body(trace(r), 30)).toList();
    try (SpanStore store = SpanStore.open(files, OtlpIngest::decodeSpans)) {
      store.ingestLog().close(); // the store's own log, replaced by one that keeps nothing in memory
      IngestLog log = IngestLog.open(files.ingestLog(), OtlpIngest::decodeSpans, store.writer(), 0, 1L << 30);
      for (byte[] body : bodies) {
        log.append(false, body, OtlpIngest.decodeSpans(false, body), 1_700_000_000_000_000L).get(10, TimeUnit.SECONDS);
      }
      assertThat(log.awaitLoaded(20_000)).isZero();
      assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(300);
      assertThat(log.readBack()).as("every request was read back from disk").isEqualTo(10);
      assertThat(count(store, "SELECT count(DISTINCT span_id) FROM spans")).isEqualTo(300);
      assertThat(count(store, "SELECT count(*) FROM spans WHERE received_at = make_timestamp(1700000000000000)"))
          .as("the time the request was received, kept in the log").isEqualTo(300);
    }
  }

  @Test
  void shouldLoadWhatAStopWithoutWarningLeftOnceEvenWhatWasLoadedAlready() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    byte[] first = body(trace(1), 40);
    byte[] second = body(trace(2), 40);
    try (SpanStore store = SpanStore.open(files)) {
      // the first request was loaded before the stop; the note of what was loaded did not say so yet
      store.writer().writeSpans(OtlpIngest.decodeSpans(false, first)).get(10, TimeUnit.SECONDS);
    }
    writeSegment(segment(files, 1), List.of(first, second), 1);

    String warnings = stderrOf(() -> {
      try (SpanStore store = SpanStore.open(files, OtlpIngest::decodeSpans)) {
        assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(80);
        assertThat(count(store, "SELECT count(DISTINCT span_id) FROM spans")).isEqualTo(80);
        assertThat(store.duplicatesSkipped()).as("the first request's spans, found stored").isEqualTo(40);
      }
    });
    assertThat(warnings).contains("2 acknowledged requests (80 spans)").contains("loaded again");
  }

  @Test
  void shouldCutOffARecordTheStopCutShortAndLoadTheRest() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    Path segment = segment(files, 1);
    writeSegment(segment, List.of(body(trace(1), 25), body(trace(2), 25)), 1);
    Files.write(segment, new byte[] {0, 0, 1, 0, 7, 7}, StandardOpenOption.APPEND);

    String warnings = openCounting(files, "SELECT count(*) FROM spans", 50);
    assertThat(warnings).contains("the last 6 bytes were a record cut short").doesNotContain("damaged");
  }

  @Test
  void shouldCutOffAZeroedOrHalfWrittenLastRecordAsATornTail() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    Path zeroed = segment(files, 1);
    writeSegment(zeroed, List.of(body(trace(1), 15)), 1);
    // a file system that grew the file before the crash, and never wrote the bytes
    Files.write(zeroed, new byte[4096], StandardOpenOption.APPEND);
    String first = openCounting(files, "SELECT count(*) FROM spans", 15);
    assertThat(first).contains("the last 4096 bytes were a record cut short").doesNotContain("damaged");

    Path torn = segment(files, 2);
    writeSegment(torn, List.of(body(trace(2), 15), body(trace(3), 15)), 2);
    try (var channel = java.nio.channels.FileChannel.open(torn, StandardOpenOption.WRITE)) {
      // the last record's body half written: its length is right, its bytes are not
      channel.write(ByteBuffer.wrap(new byte[64]), Files.size(torn) - 64);
    }
    String second = openCounting(files, "SELECT count(DISTINCT trace_id) FROM spans", 2);
    assertThat(second).contains("bytes were a record cut short").doesNotContain("damaged");
  }

  @Test
  void shouldSetADamagedSegmentAsideAndSayWhatItLost() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    Path damaged = segment(files, 1);
    long secondRecord = writeSegment(damaged, List.of(body(trace(1), 10), body(trace(2), 10), body(trace(3), 10)), 1);
    // one byte of the second record's body flipped: its checksum no longer matches
    try (var channel = java.nio.channels.FileChannel.open(damaged, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      channel.read(b, secondRecord + 40);
      b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
      channel.write(b, secondRecord + 40);
    }
    writeSegment(segment(files, 4), List.of(body(trace(4), 10)), 4);

    // the traces before the damage, and after it
    String warnings = openCounting(files, "SELECT count(DISTINCT trace_id) FROM spans", 2);
    assertThat(warnings).contains("does not match its checksum").contains("the 1 records before it are loaded")
        .contains(".damaged");
    assertThat(damaged.resolveSibling(damaged.getFileName() + ".damaged")).exists();
  }

  @Test
  void shouldRefuseRequestsOnceTooMuchWaitsAndLoadTheRestWhenTheStoreRecovers() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    AtomicInteger failures = new AtomicInteger(3);
    try (SpanStore store = SpanStore.open(files)) {
      IngestLog log = IngestLog.open(files.ingestLog(), OtlpIngest::decodeSpans, store.writer(), 1L << 20, 1);
      byte[] body = body(trace(1), 20);
      String warnings = stderrOf(() -> {
        // the store fails to load this request three times, a second apart; it was acknowledged all the same
        List<SpanRow> rows = OtlpIngest.decodeSpans(false, body);
        log.append(false, body, 20, () -> failing(rows, failures), 1L).get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> refused = log.append(false, body(trace(2), 20),
            OtlpIngest.decodeSpans(false, body(trace(2), 20)), 1L);
        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IngestLog.LogUnavailable.class)
            .hasMessageContaining("acknowledged and not yet loaded into the store");
        assertThat(log.awaitLoaded(20_000)).as("loaded once the store took it").isZero();
      });
      assertThat(warnings).contains("could not load 1 acknowledged requests from the ingest log")
          .contains("tried again every second");
      assertThat(failures.get()).isNegative();
      assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(20);
    }
  }

  @Test
  void shouldRefuseToOpenWithoutTheLogWhenItHoldsRequests() throws Exception {
    StoreFiles files = new StoreFiles(dir);
    writeSegment(segment(files, 1), List.of(body(trace(1), 5)), 1);
    assertThatThrownBy(() -> SpanStore.open(files)).isInstanceOf(CollectorException.class)
        .hasMessageContaining("without its ingest log").hasMessageContaining("may not be loaded yet");
  }

  private static PreparedSpans failing(List<SpanRow> rows, AtomicInteger failures) {
    return HeldBacklog.onLoad(rows, () -> {
      if (failures.getAndDecrement() > 0) {
        throw new IllegalStateException("the store is failing on purpose");
      }
    });
  }

  private List<Path> segments() throws Exception {
    try (Stream<Path> list = Files.list(dir.resolve("ingest-log"))) {
      return list.filter(p -> p.toString().endsWith(".log")).toList();
    }
  }

  private static String trace(int r) {
    return String.format("%032x", 0xabc000L + r);
  }

  private static byte[] body(String trace, int spans) {
    List<Span> list = IntStream.range(0, spans).mapToObj(i -> SpanFixtures.span(trace, null, "GET", i, 1)
        .addAttributes(SpanFixtures.attr("memory.key", "k:" + i)).build()).toList();
    return SpanFixtures.request("logged", list).toByteArray();
  }

  /** Writes a segment as the log does; returns the offset of its second record (or of its end). */
  static long writeSegment(Path file, List<byte[]> bodies, long firstPosition) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(4).putInt(IngestLogFiles.MAGIC).array());
    long second = -1;
    long position = firstPosition;
    for (byte[] body : bodies) {
      if (position == firstPosition + 1) {
        second = out.size();
      }
      ByteBuffer rest = ByteBuffer.allocate(IngestLogFiles.FIXED + body.length);
      rest.put((byte) 0).putLong(position++).putLong(1_700_000_000_000_000L)
          .putInt(OtlpIngest.decodeSpans(false, body).size()).put(body);
      CRC32C crc = new CRC32C();
      crc.update(rest.array());
      out.write(ByteBuffer.allocate(8).putInt(rest.capacity()).putInt((int) crc.getValue()).array());
      out.write(rest.array());
    }
    Files.write(file, out.toByteArray());
    return second < 0 ? out.size() : second;
  }

  private static long count(SpanStore store, String sql) throws Exception {
    try (Connection c = store.newConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  /** The path of the segment that begins at {@code first} in {@code files}' ingest log, the folder made. */
  private static Path segment(StoreFiles files, long first) throws Exception {
    return Files.createDirectories(files.ingestLog()).resolve(String.format("%019d.log", first));
  }

  /** Opens the store at {@code files}, checks that {@code sql} counts {@code expected}, and returns what it said on stderr. */
  private static String openCounting(StoreFiles files, String sql, long expected) throws Exception {
    return stderrOf(() -> {
      try (SpanStore store = SpanStore.open(files, OtlpIngest::decodeSpans)) {
        assertThat(count(store, sql)).as(sql).isEqualTo(expected);
      }
    });
  }

  private static String stderrOf(Body body) throws Exception {
    PrintStream previous = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(previous);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
