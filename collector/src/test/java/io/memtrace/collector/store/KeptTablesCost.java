package io.memtrace.collector.store;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.ingest.OtlpIngest;
import java.lang.management.ManagementFactory;
import java.sql.Statement;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: what each {@link KeptTables} set adds to a move, in CPU per span. Each round appends {@code spans}
 * of {@code IngestBenchmark --realistic}'s rows to {@code span_ingest} of a store opened as {@code serve} opens it,
 * then, in one transaction each and in turn, has every installed set add the rows of a move of them (the
 * compactor's relation, duplicates check against {@code span_store} included), and rolls back; then moves them.
 * Prints the process's CPU (DuckDB's threads included) per span for each set. With {@code bulk}, the rows are a bulk
 * load's (the writer's temporary table, as {@link ServeWrite#bulk} fills it) instead of {@code span_ingest}'s; with
 * {@code probe}, each set's statements too ({@link StatementProbe}). Run: {@code java -Xmx2g -cp
 * target/test-classes:target/memtrace-collector.jar:TEST_SUPPORT_JAR io.memtrace.collector.store.KeptTablesCost
 * [spans=102400] [rounds=4] [ingest|bulk] [probe]}; with {@code -Dbench.key-events=true}, the realistic mix's root
 * commands as compact key events ({@link RealisticSpans#keyEvents}, kept as {@link KeyEventRows}) instead.
 */
public final class KeptTablesCost {

  private static final int BATCH = 512;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    int[] sizes = {102_400, 4};
    for (int i = 0; i < Math.min(args.length, sizes.length); i++) {
      sizes[i] = Integer.parseInt(args[i]);
    }
    int batches = sizes[0] / BATCH;
    int rounds = sizes[1];
    boolean bulk = args.length > 2 && args[2].equals("bulk");
    StatementProbe probe = args.length > 3 && args[3].equals("probe") ? new StatementProbe() : null;
    String source = bulk ? Schema.BULK_TABLE : "span_ingest";
    List<KeptTables> sets = KeptTables.installed();
    boolean keyEvents = Boolean.getBoolean("bench.key-events");
    List<KeptTables> measured = probe == null ? sets : probe.wrap(sets);
    long seq = 0;
    try (DuckDBConnection c = Database.openWritable(new StoreFiles(io.memtrace.collector.bench.ScratchStore.create("kept-tables-cost")))) {
      RealisticSpans mix = new RealisticSpans((long) batches * BATCH * rounds, Conventions.SEED);
      for (KeptTables set : sets) {
        set.prepareForWriting(c);
      }
      int columns = PromotedAttributes.COLUMNS.size();
      for (int round = 0; round < rounds; round++) {
        long first = seq;
        if (bulk) {
          try (Statement s = c.createStatement()) {
            s.execute(Schema.BULK);
          }
          List<PreparedSpans> requests = new java.util.ArrayList<>();
          for (int b = 0; b < batches; b++) {
            requests.add(PreparedSpans.of(OtlpIngest.decodeSpans(false, (keyEvents ? mix.keyEvents(round * batches + b)
                : mix.batch(round * batches + b)).toByteArray())));
          }
          c.setAutoCommit(false);
          ServeWrite.appendOnly(c, requests);
          c.commit();
          c.setAutoCommit(true);
          seq += (long) batches * BATCH;
        } else try (DuckDBAppender a = c.createAppender("main", "span_ingest")) {
          for (int b = 0; b < batches; b++) {
            PreparedSpans p = PreparedSpans.of(OtlpIngest.decodeSpans(false, (keyEvents ? mix.keyEvents(round * batches + b)
                : mix.batch(round * batches + b)).toByteArray()));
            for (int i = 0; i < p.size(); i++) {
              RowAppender.appendSpan(a, seq++, p.rows.get(i), p.promoted, i * columns, System.currentTimeMillis() * 1000);
            }
          }
        }
        long rows = seq - first;
        long[] range = MovingRows.startRange(c, source, Long.MAX_VALUE);
        String moving;
        try (Statement s = c.createStatement()) { // the rows a move would take, as the compactor finds them
          moving = MovingRows.relation(s, source, Long.MAX_VALUE, range, Long.MAX_VALUE);
        }
        StringBuilder line = new StringBuilder("round " + round + " (" + rows + " spans, " + first + " in span_store):");
        for (int i = 0; i < sets.size(); i++) {
          KeptTables set = sets.get(i);
          c.setAutoCommit(false);
          long cpu0 = OS.getProcessCpuTime();
          try (Statement s = c.createStatement()) {
            measured.get(i).add(s, moving);
          }
          long cpu = OS.getProcessCpuTime() - cpu0;
          c.rollback();
          c.setAutoCommit(true);
          line.append(String.format(" %s %.2f us", set.getClass().getSimpleName(), cpu / 1000.0 / rows));
        }
        System.out.println(line + " of CPU per span");
        if (probe != null) {
          probe.print(rows);
        }
        // the rows moved for real, so the next round's duplicates check reads a bigger span_store, as a serve's does
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          for (KeptTables set : sets) {
            set.add(s, moving);
          }
          s.execute("INSERT INTO span_store BY NAME SELECT " + Schema.CONVERTED_COLUMNS + " FROM " + moving + " WHERE NOT ("
              + KeyEventRows.IN_INGEST + ")");
          s.execute(KeyEventRows.insert(moving));
          s.execute("DELETE FROM " + source);
        }
        c.commit();
        c.setAutoCommit(true);
      }
    }
  }

  private KeptTablesCost() {
  }
}
