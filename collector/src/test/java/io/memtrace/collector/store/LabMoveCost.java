package io.memtrace.collector.store;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.lineage.KeyEventTables;
import io.memtrace.collector.lineage.LabAnswersInIngest;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Not a test, and not kept: {@link MoveCost} for the lab {@link LabAnswersInIngest}, each key event's answer in
 * {@code span_ingest} before the move. The same spans, appended to a stage table, then moved with their answers
 * (found by the store's SQL, untimed) into {@code span_ingest}, then moved by the {@link Compactor} with the lab's
 * statements in place of {@link KeyEventTables}'. Prints what {@link MoveCost} prints.
 * Run: {@code java -Xmx2g -cp target/test-classes:target/memtrace-collector.jar:TEST_SUPPORT_JAR
 * io.memtrace.collector.store.LabMoveCost [spans=1000448] [rounds=2] [probe|-] [main]}.
 */
public final class LabMoveCost {

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
      try (Statement s = c.createStatement()) {
        s.execute(Schema.ingestTable("lab_stage"));
        for (String column : LabAnswersInIngest.COLUMNS_DDL.split(", ")) {
          s.execute("ALTER TABLE span_ingest ADD COLUMN " + column);
        }
      }
      // "main": the same spans and columns, moved by the store's own statements (to compare the rows kept)
      boolean main = args.length > 3 && args[3].equals("main");
      List<KeptTables> kept = KeptTables.installed().stream()
          .map(t -> t instanceof KeyEventTables && !main ? (KeptTables) new LabAnswersInIngest() : t).toList();
      int columns = PromotedAttributes.COLUMNS.size();
      Compactor compactor = new Compactor(c.duplicate(), () -> seq[0], () -> false, moved -> Long.MAX_VALUE,
          probe == null ? kept : probe.wrap(kept));
      for (int round = 0; round < rounds; round++) {
        for (int from = 0; from < batches; from += REQUESTS_PER_COMMIT) {
          try (DuckDBAppender a = c.createAppender("main", "lab_stage")) {
            for (int b = from; b < Math.min(batches, from + REQUESTS_PER_COMMIT); b++) {
              PreparedSpans p = PreparedSpans.of(OtlpIngest.decodeSpans(false, mix.batch(round * batches + b).toByteArray()));
              for (int i = 0; i < p.size(); i++) {
                RowAppender.appendSpan(a, seq[0]++, p.rows.get(i), p.promoted, i * columns, System.currentTimeMillis() * 1000);
              }
            }
          }
        }
        LabAnswersInIngest.fill(c, "lab_stage");
        try (Statement s = c.createStatement()) {
          s.execute("CHECKPOINT");
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
      try (Statement s = c.createStatement();
          java.sql.ResultSet r = s.executeQuery("SELECT count(*), count(write_end), count(DISTINCT (write_end, write_ref)), "
              + "sum(hash(place_a, write_end, write_ref, write_access, write_ttl)) FROM key_event_store")) {
        r.next();
        System.out.printf("key events %d, answered %d, distinct writers %d, checksum %s%n", r.getLong(1), r.getLong(2),
            r.getLong(3), r.getString(4));
      }
    } finally {
      io.memtrace.collector.bench.ScratchStore.delete(dir);
    }
  }

  private LabMoveCost() {
  }
}
