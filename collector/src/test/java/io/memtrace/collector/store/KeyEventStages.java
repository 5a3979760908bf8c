package io.memtrace.collector.store;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.bench.ScratchStore;
import io.memtrace.collector.ingest.OtlpIngest;
import java.lang.management.ManagementFactory;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: where the store's CPU for a compact key event goes, stage by stage, as {@code serve}'s writer and
 * compactor spend it. Per round, {@code rows} of the realistic mix's compact key events (decoded before the clock) are
 * appended to {@link KeyEventRows#INGEST_TABLE} a commit per {@code flush} rows, then moved in one move (each statement
 * of {@link Compactor#insert} and the deletes timed on their own, each kept set's statements through
 * {@link StatementProbe}), then checkpointed. With {@code inplace}, the design of keeping the narrow row where it is
 * appended, as a throw-away stand-in: the rows go to a compressed table of the same columns, the move adds the kept
 * sets from its new rows and neither copies nor deletes them, and the checkpoint compresses them. Prints µs of the
 * process's CPU per key event for each stage. Run: {@code java -Xmx2g -cp
 * target/test-classes:target/memtrace-collector.jar:TEST_SUPPORT_JAR io.memtrace.collector.store.KeyEventStages
 * [rows=122880] [rounds=4] [flush=2048] [usual|inplace]}.
 */
public final class KeyEventStages {

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final int BATCH = 512;
  private static final String IN_PLACE = "key_event_in_place";

  private final Map<String, long[]> stages = new LinkedHashMap<>();

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 122_880;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int flush = args.length > 2 ? Integer.parseInt(args[2]) : 2_048;
    boolean inPlace = args.length > 3 && args[3].equals("inplace");
    int batches = rows / BATCH;
    RealisticSpans mix = new RealisticSpans((long) batches * BATCH * rounds, Conventions.SEED);
    KeyEventStages stages = new KeyEventStages();
    StatementProbe probe = new StatementProbe();
    List<KeptTables> kept = probe.wrap(KeptTables.installed());
    long seq = 1;
    try (DuckDBConnection c = Database.openWritable(new StoreFiles(ScratchStore.create("key-event-stages")))) {
      if (inPlace) {
        try (Statement s = c.createStatement()) {
          s.execute(KeyEventRows.ingestTable("TABLE", IN_PLACE).replace(" USING COMPRESSION uncompressed", ""));
        }
      }
      for (int round = 0; round < rounds; round++) {
        List<PreparedSpans> requests = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
          requests.add(PreparedSpans.of(OtlpIngest.decodeSpans(false, mix.keyEvents(round * batches + b).toByteArray())));
        }
        long firstOfRound = seq;
        int perFlush = Math.max(1, flush / BATCH);
        for (int from = 0; from < requests.size(); from += perFlush) {
          seq = stages.append(c, requests.subList(from, Math.min(requests.size(), from + perFlush)), seq, inPlace);
        }
        long upTo = seq - 1;
        String source = Schema.TAIL;
        if (inPlace) {
          source = "in_place_tail";
          try (Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TEMPORARY VIEW " + source + " AS SELECT * FROM (" + KeyEventRows.asIngestRows(
                IN_PLACE) + ") WHERE seq >= " + firstOfRound);
          }
        }
        stages.move(c, kept, source, upTo, inPlace);
        try (Statement s = c.createStatement()) {
          long before = OS.getProcessCpuTime();
          s.execute("CHECKPOINT");
          stages.add("checkpoint", before);
        }
        System.out.printf("round %d (%s), %d key events, us of the process's CPU a key event:%n", round,
            inPlace ? "in place" : "usual", upTo - firstOfRound + 1);
        stages.print(upTo - firstOfRound + 1);
        System.out.println(" the kept sets' statements:");
        probe.print(upTo - firstOfRound + 1);
      }
    }
  }

  /** One flush of the writer: {@code part}'s rows from {@code seq}, in a transaction; the next seq. */
  private long append(DuckDBConnection c, List<PreparedSpans> part, long seq, boolean inPlace) throws Exception {
    long before = OS.getProcessCpuTime();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT 1");
    }
    add("append: begin", before);
    before = OS.getProcessCpuTime();
    int columns = PromotedAttributes.COLUMNS.size();
    long micros = System.currentTimeMillis() * 1000;
    if (inPlace) {
      try (DuckDBAppender a = c.createAppender("main", IN_PLACE)) {
        for (PreparedSpans p : part) {
          for (int i = 0; i < p.size(); i++) {
            RowAppender.appendKeyEvent(a, seq++, p.rows.get(i), p.promoted, i * columns, micros);
          }
        }
        add("append: rows", before);
        before = OS.getProcessCpuTime();
        Appenders.flush(a);
      }
    } else {
      try (SpanAppenders a = SpanAppenders.ingest(c)) {
        for (PreparedSpans p : part) {
          for (int i = 0; i < p.size(); i++) {
            a.append(seq++, p.rows.get(i), p.promoted, i * columns, micros);
          }
        }
        add("append: rows", before);
        before = OS.getProcessCpuTime();
        a.flush();
      }
    }
    add("append: flush and close", before);
    before = OS.getProcessCpuTime();
    c.commit();
    c.setAutoCommit(true);
    add("append: commit", before);
    return seq;
  }

  /** The compactor's move of every row of {@code source} up to {@code upTo}, each statement timed. */
  private void move(DuckDBConnection c, List<KeptTables> kept, String source, long upTo, boolean inPlace)
      throws Exception {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      long before = OS.getProcessCpuTime();
      s.execute("SELECT 1");
      long[] range = MovingRows.startRange(c, source, upTo);
      add("move: start range", before);
      before = OS.getProcessCpuTime();
      String moving = MovingRows.relation(s, source, upTo, range, Long.MAX_VALUE);
      add("move: repeats", before);
      before = OS.getProcessCpuTime();
      for (KeptTables t : kept) {
        t.add(s, moving);
      }
      add("move: kept sets", before);
      if (!inPlace) {
        before = OS.getProcessCpuTime();
        s.executeUpdate("INSERT INTO span_store BY NAME SELECT " + Schema.CONVERTED_COLUMNS + " FROM " + moving
            + " WHERE NOT (" + KeyEventRows.IN_INGEST + ")");
        add("move: insert span_store (none)", before);
        before = OS.getProcessCpuTime();
        s.executeUpdate(KeyEventRows.insert(moving));
        add("move: insert key_event_span_store", before);
        before = OS.getProcessCpuTime();
        s.executeUpdate("DELETE FROM span_ingest WHERE seq <= " + upTo);
        s.executeUpdate("DELETE FROM " + KeyEventRows.INGEST_TABLE + " WHERE seq <= " + upTo);
        add("move: deletes", before);
      }
      before = OS.getProcessCpuTime();
      s.execute("DROP TABLE IF EXISTS " + MovingRows.SKIPPED);
      c.commit();
      add("move: commit", before);
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void add(String stage, long before) {
    stages.computeIfAbsent(stage, s -> new long[1])[0] += OS.getProcessCpuTime() - before;
  }

  private void print(long n) {
    long total = 0;
    for (Map.Entry<String, long[]> e : stages.entrySet()) {
      System.out.printf("  %6.2f  %s%n", e.getValue()[0] / 1000.0 / n, e.getKey());
      total += e.getValue()[0];
    }
    System.out.printf("  %6.2f  all%n", total / 1000.0 / n);
    stages.clear();
  }
}
