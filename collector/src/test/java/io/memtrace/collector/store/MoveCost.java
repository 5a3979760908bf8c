package io.memtrace.collector.store;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.ingest.OtlpIngest;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: what the {@link Compactor} costs per span, apart from ingest. Each round appends {@code spans} of the
 * rows {@code IngestBenchmark --realistic} sends into {@code span_ingest} of a store opened as {@code serve} opens
 * it (decoded before, no clock), then moves them all ({@link Compactor#compactAll}, as at shutdown: whole moves and
 * what is left) with the tables the store keeps, and prints the process's CPU per span moved (DuckDB's threads
 * included) and the moves' wall time. Later rounds move into a store that holds the rounds before; the store is
 * deleted at the end.
 * With {@code probe}, each kept set's statements are timed one by one ({@link StatementProbe}).
 * Run: {@code java -Xmx2g -cp target/test-classes:target/memtrace-collector.jar:TEST_SUPPORT_JAR
 * io.memtrace.collector.store.MoveCost [spans=1000448] [rounds=2] [probe]}.
 */
public final class MoveCost {

  private static final int BATCH = 512;
  private static final int REQUESTS_PER_COMMIT = 4;

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_448;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    StatementProbe probe = args.length > 2 && args[2].equals("probe") ? new StatementProbe() : null;
    int batches = spans / BATCH;
    RealisticSpans mix = new RealisticSpans((long) batches * BATCH * rounds, Conventions.SEED);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Path dir = Files.createTempDirectory("move-cost");
    long[] seq = {0};
    try (DuckDBConnection c = Database.openWritable(new StoreFiles(dir))) {
      int columns = PromotedAttributes.COLUMNS.size();
      Compactor compactor = new Compactor(c.duplicate(), () -> seq[0], () -> false, moved -> Long.MAX_VALUE,
          probe == null ? KeptTables.installed() : probe.wrap(KeptTables.installed()));
      for (int round = 0; round < rounds; round++) {
        for (int from = 0; from < batches; from += REQUESTS_PER_COMMIT) {
          try (DuckDBAppender a = c.createAppender("main", "span_ingest")) {
            for (int b = from; b < Math.min(batches, from + REQUESTS_PER_COMMIT); b++) {
              PreparedSpans p = PreparedSpans.of(OtlpIngest.decodeSpans(false, mix.batch(round * batches + b).toByteArray()));
              for (int i = 0; i < p.size(); i++) {
                RowAppender.appendSpan(a, seq[0]++, p.rows.get(i), p.promoted, i * columns, System.currentTimeMillis() * 1000);
              }
            }
          }
        }
        long rows = (long) batches * BATCH;
        long process0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        compactor.compactAll();
        System.out.printf("round %d: %d spans moved into a store of %d, %.2f us of the process's CPU per span, %.1f s%n",
            round, rows, round * rows, (os.getProcessCpuTime() - process0) / 1000.0 / rows,
            (System.nanoTime() - wall0) / 1e9);
        if (probe != null) {
          probe.print(rows);
        }
      }
    } finally {
      // a round's store is gigabytes: leave nothing behind
      io.memtrace.collector.bench.ScratchStore.delete(dir);
    }
  }

  private MoveCost() {
  }
}
