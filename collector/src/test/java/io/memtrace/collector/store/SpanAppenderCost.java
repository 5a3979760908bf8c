package io.memtrace.collector.store;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.ingest.OtlpIngest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: the floor under the collector's ingest, measured on the rows {@code IngestBenchmark --realistic}
 * sends. The spans are decoded and prepared before the clock starts; what is timed is only DuckDB's appender
 * writing them into {@code span_ingest} of a store opened as {@code serve} opens it (its schema, memory limit,
 * threads and checkpoint threshold), a commit per 4 requests of 512 spans, as the writer's group commit does
 * under load. No ingest log, no HTTP, no duplicates window, no compaction. Prints, per round, the appending
 * thread's CPU and the process's CPU (DuckDB's own threads included) per row.
 * Run: {@code java -Xmx2g -cp target/test-classes:target/memtrace-collector.jar
 * io.memtrace.collector.store.SpanAppenderCost [spans=102400] [rounds=3]}.
 */
public final class SpanAppenderCost {

  private static final int BATCH = 512;
  private static final int REQUESTS_PER_COMMIT = 4;

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 102_400;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int batches = spans / BATCH;
    RealisticSpans mix = new RealisticSpans((long) batches * BATCH * rounds, Conventions.SEED);
    Path dir = Files.createTempDirectory("span-appender-cost");
    long seq = 0;
    try (DuckDBConnection c = Database.openWritable(new StoreFiles(dir))) {
      appendRounds(c, rounds, batches, mix, seq);
    } finally {
      io.memtrace.collector.bench.ScratchStore.delete(dir);
    }
  }

  private static void appendRounds(DuckDBConnection c, int rounds, int batches, RealisticSpans mix, long seq)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int round = 0; round < rounds; round++) {
      // each round its own spans of the mix, as a serve would get them: distinct trace and span ids
      List<PreparedSpans> requests = new ArrayList<>(batches);
      for (int b = 0; b < batches; b++) {
        requests.add(PreparedSpans.of(OtlpIngest.decodeSpans(false, mix.batch(round * batches + b).toByteArray())));
      }
      int columns = PromotedAttributes.COLUMNS.size();
      long thread0 = threads.getCurrentThreadCpuTime();
      long process0 = os.getProcessCpuTime();
      long rows = 0;
      for (int from = 0; from < batches; from += REQUESTS_PER_COMMIT) {
        long received = System.currentTimeMillis() * 1000;
        try (DuckDBAppender a = c.createAppender("main", "span_ingest")) {
          for (PreparedSpans p : requests.subList(from, Math.min(batches, from + REQUESTS_PER_COMMIT))) {
            for (int i = 0; i < p.size(); i++) {
              RowAppender.appendSpan(a, seq++, p.rows.get(i), p.promoted, i * columns, received);
              rows++;
            }
          }
        }
      }
      System.out.printf("round %d: %d rows, %.2f us of the appending thread's CPU per row, %.2f us of the process's%n",
          round, rows, (threads.getCurrentThreadCpuTime() - thread0) / 1000.0 / rows,
          (os.getProcessCpuTime() - process0) / 1000.0 / rows);
    }
  }

  private SpanAppenderCost() {
  }
}
