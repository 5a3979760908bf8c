package io.memtrace.collector.store;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.bench.ScratchStore;
import io.memtrace.collector.ingest.OtlpIngest;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: {@code serve}'s bulk load ({@link ServeWrite#bulk}) alone, round after round into one store, for a
 * profiler: the process's CPU per span of the load's transaction and of the checkpoint after it, with the kept
 * tables named (all, none, or simple class names, comma-separated) and, with {@code probe}, each set's statements
 * ({@link StatementProbe}). {@code -Dsteps=true} times the load's steps (the append, the kept tables with the insert into
 * {@code span_store}, the commit); {@code -Dtransient=true} prints, before each checkpoint, each table's values not
 * yet written to the file (what the checkpoint compresses). Run from {@code collector/}: {@code java -Xmx2g -cp
 * target/test-classes:target/memtrace-collector.jar:TEST_SUPPORT_JAR io.memtrace.collector.store.BulkProfile
 * [rows=122880] [rounds=4] [kept=all] [probe]}.
 */
public final class BulkProfile {

  private static final int BATCH = 512;

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 122_880;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    String names = args.length > 2 ? args[2] : "all";
    StatementProbe probe = args.length > 3 && args[3].equals("probe") ? new StatementProbe() : null;
    List<KeptTables> kept = KeptTables.installed().stream()
        .filter(k -> names.equals("all") || List.of(names.split(",")).contains(k.getClass().getSimpleName())).toList();
    if (probe != null) {
      kept = probe.wrap(kept);
    }
    int batches = rows / BATCH;
    RealisticSpans mix = new RealisticSpans((long) batches * BATCH * (rounds + 1), Conventions.SEED);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Path dir = ScratchStore.create("bulk-profile");
    try (DuckDBConnection c = Database.openWritable(new StoreFiles(dir))) {
      ServeWrite.bulk(c, requests(mix, rounds * batches, 16), kept); // the JIT, not counted
      if (probe != null) {
        probe.print(16 * BATCH);
      }
      for (int round = 0; round < rounds; round++) {
        List<PreparedSpans> requests = requests(mix, round * batches, batches);
        try (Statement s = c.createStatement()) {
          s.execute("CHECKPOINT");
        }
        long cpu0 = os.getProcessCpuTime();
        if (Boolean.getBoolean("steps")) {
          steps(c, requests, kept, rows);
        } else {
          ServeWrite.bulk(c, requests, kept);
        }
        long load = os.getProcessCpuTime() - cpu0;
        if (Boolean.getBoolean("transient")) {
          transientRows(c);
        }
        long cpu1 = os.getProcessCpuTime();
        try (Statement s = c.createStatement()) {
          s.execute("CHECKPOINT");
        }
        long checkpoint = os.getProcessCpuTime() - cpu1;
        System.out.printf("round %d (%s): %.2f us a span, the load %.2f and the checkpoint %.2f%n", round, names,
            (load + checkpoint) / 1000.0 / rows, load / 1000.0 / rows, checkpoint / 1000.0 / rows);
        if (probe != null) {
          probe.print(rows);
        }
      }
    } finally {
      ScratchStore.delete(dir);
    }
  }

  /** Each table's rows in segments not yet written to the file (what the checkpoint will compress and write). */
  private static void transientRows(DuckDBConnection c) throws Exception {
    List<String> tables = new ArrayList<>();
    try (Statement s = c.createStatement();
         java.sql.ResultSet r = s.executeQuery("SELECT table_name FROM duckdb_tables() WHERE NOT temporary")) {
      while (r.next()) {
        tables.add(r.getString(1));
      }
    }
    StringBuilder line = new StringBuilder("  transient:");
    for (String t : tables) {
      try (Statement s = c.createStatement();
           java.sql.ResultSet r = s.executeQuery("SELECT count(*), sum(count) FILTER (WHERE NOT persistent), "
               + "count(*) FILTER (WHERE NOT persistent) FROM pragma_storage_info('" + t + "') WHERE segment_type <> 'VALIDITY'")) {
        r.next();
        if (r.getLong(3) > 0) {
          line.append(String.format(" %s %d segments, %d values;", t, r.getLong(3), r.getLong(2)));
        }
      }
    }
    System.out.println(line);
  }

  /**
   * {@link ServeWrite#bulk}'s steps, each timed: the append, {@link Compactor#insert} (with {@code probe}, the kept
   * sets' share of it is printed after), the delete and the commit.
   */
  private static void steps(DuckDBConnection c, List<PreparedSpans> requests, List<KeptTables> kept, int rows)
      throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    java.util.LinkedHashMap<String, Long> t = new java.util.LinkedHashMap<>();
    long[] at = {os.getProcessCpuTime()};
    java.util.function.Consumer<String> step = name -> {
      long now = os.getProcessCpuTime();
      t.merge(name, now - at[0], Long::sum);
      at[0] = now;
    };
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute(Schema.BULK);
      step.accept("create bulk");
      ServeWrite.appendOnly(c, requests);
      step.accept("append");
      Compactor.insert(c, kept, Schema.BULK_TABLE, Long.MAX_VALUE, Long.MAX_VALUE);
      step.accept("the kept tables and span_store");
      s.execute("DELETE FROM " + Schema.BULK_TABLE);
      step.accept("delete");
      c.commit();
      step.accept("commit");
    } finally {
      c.setAutoCommit(true);
    }
    StringBuilder line = new StringBuilder("  steps:");
    t.forEach((k, v) -> line.append(String.format(" %s %.2f;", k, v / 1000.0 / rows)));
    System.out.println(line);
  }

  private static List<PreparedSpans> requests(RealisticSpans mix, int from, int batches) throws Exception {
    List<PreparedSpans> requests = new ArrayList<>(batches);
    for (int b = from; b < from + batches; b++) {
      requests.add(PreparedSpans.of(OtlpIngest.decodeSpans(false, mix.batch(b).toByteArray())));
    }
    return requests;
  }

  private BulkProfile() {
  }
}
