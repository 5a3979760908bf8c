package io.memtrace.collector.bench;

import static io.memtrace.collector.bench.GrowthRow.fmt;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.StoreFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: how serve's costs grow with its store (issue 31). One {@code serve} with its defaults takes one
 * continuous stream of {@link RealisticSpans} (batches of 512 over {@link BatchSender#CONNECTIONS} connections);
 * each time the spans sent reach the next checkpoint it stops sending, waits until the store is compacted and
 * measures at that size, through the running serve's {@code /api/query}: the segment's ingest cost and
 * acknowledgement latency, {@code report}, the seed 000 queries, {@code traces --last 10}, serve's peak RSS and the
 * data directory's size; then it sends on. One Markdown table at the end, a row per checkpoint ({@link GrowthRow}).
 * Run: {@code bench/load.sh --growth 1000000,10000000,30000000 [--keep DIR]}, or {@code java -cp
 * target/test-classes:target/memtrace-collector.jar io.memtrace.collector.bench.GrowthBenchmark --at LIST [--keep
 * DIR]}. Without {@code --keep} the store goes in a temporary directory that is deleted at the end.
 */
public final class GrowthBenchmark {

  static final String USAGE = "usage: bench/load.sh --growth SPANS,SPANS,... [--keep DIR]   (GrowthBenchmark --at "
      + "SPANS,SPANS,... [--keep DIR] when run directly; e.g. 1000000,10000000,30000000; DIR new or empty, left there)";

  private final ServeProcess serve;
  private final SqlSource remote;
  private final BatchSender sender;
  /** What the run was doing, for the message when a checkpoint fails. */
  private String step = "starting";

  private GrowthBenchmark(ServeProcess serve, BatchSender sender) {
    this.serve = serve;
    this.remote = serve.remote();
    this.sender = sender;
  }

  public static void main(String[] args) throws Exception {
    List<Integer> checkpoints = new ArrayList<>();
    Path keep = null;
    try {
      for (int i = 0; i < args.length; i += 2) {
        if (!List.of("--at", "--keep").contains(args[i]) || i + 1 >= args.length) {
          throw new IllegalArgumentException(List.of("--at", "--keep").contains(args[i]) ? args[i] + " needs a value"
              : "unknown option " + args[i]);
        }
        if (args[i].equals("--at")) {
          checkpoints = batches(args[i + 1]);
        } else {
          keep = Paths.get(args[i + 1]).toAbsolutePath();
        }
      }
      if (checkpoints.isEmpty()) {
        throw new IllegalArgumentException("--at is required");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("growth: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    }
    Path data = keep == null ? Files.createTempDirectory("memtrace-growth") : Files.createDirectories(keep);
    if (keep != null && new StoreFiles(data).databaseExists()) {
      System.err.println("growth: --keep " + data + " already holds a store; name a new directory");
      System.exit(2);
    }
    List<GrowthRow> rows = new ArrayList<>();
    boolean failed;
    try {
      failed = run(checkpoints, data, rows);
    } finally {
      if (keep == null) {
        ScratchStore.delete(data); // never a --keep directory
      }
    }
    System.out.println();
    System.out.printf("Growth run, %s, %d cores, realistic mix, batches of %d over %d connections%s%n%n",
        Instant.now().truncatedTo(ChronoUnit.MINUTES), Runtime.getRuntime().availableProcessors(),
        RealisticSpans.BATCH, BatchSender.CONNECTIONS, keep == null ? "" : ", store left in " + data);
    System.out.print(GrowthRow.table(rows));
    System.exit(failed ? 1 : 0);
  }

  /** Sends and measures up to each checkpoint in turn; true when one failed (the rows before it are kept). */
  private static boolean run(List<Integer> checkpoints, Path data, List<GrowthRow> rows) throws Exception {
    int last = checkpoints.get(checkpoints.size() - 1);
    // one key space for the whole stream (a tenth of the final size): a read names the key its write had
    RealisticSpans spans = new RealisticSpans((long) last * RealisticSpans.BATCH, Conventions.SEED);
    try (ServeProcess serve = ServeProcess.start(WatcherProcess.jar(), data);
         BatchSender sender = new BatchSender(serve.url, b -> spans.batch(b).toByteArray())) {
      log("serve pid %d at %s, store %s; checkpoints at %s spans", serve.pid(), serve.url, data,
          String.join(", ", checkpoints.stream().map(b -> fmt("%,d", (long) b * RealisticSpans.BATCH)).toList()));
      GrowthBenchmark growth = new GrowthBenchmark(serve, sender);
      int from = 0;
      for (int to : checkpoints) {
        try {
          rows.add(growth.segment(from, to));
        } catch (Exception e) {
          System.err.printf("growth: the checkpoint at %,d spans failed while %s: %s%s%n",
              (long) to * RealisticSpans.BATCH, growth.step, e, serve.exitNote());
          return true;
        }
        from = to;
      }
    }
    return false;
  }

  /** Sends batches {@code from} to {@code to}, waits until they are compacted and measures the store. */
  private GrowthRow segment(int from, int to) throws IOException, InterruptedException {
    long spans = (long) (to - from) * RealisticSpans.BATCH;
    long total = (long) to * RealisticSpans.BATCH;
    String loadStart = loadAverage();
    Duration cpu0 = serve.cpu();
    step = fmt("sending spans %,d to %,d", (long) from * RealisticSpans.BATCH, total);
    log("%s", step);
    BatchSender.Sent sent = sender.send(from, to);
    Duration cpuAcked = serve.cpu().minus(cpu0);
    long acked = System.nanoTime();
    step = "waiting until compacted";
    log("acknowledged in %.1f s; %s", sent.seconds(), step);
    serve.awaitCompacted(remote);
    double compactedAfter = (System.nanoTime() - acked) / 1e9;
    Duration cpuCompacted = serve.cpu().minus(cpu0);
    step = "counting the stored spans";
    long stored = remote.query("SELECT count(*) AS n FROM spans").number(0, "n");
    step = "building the report";
    log("compacted %.1f s later; timing the analyses over %,d spans", compactedAfter, stored);
    long report = AnalysisTimer.report(remote);
    step = "timing the seed 000 queries";
    long[] seed = AnalysisTimer.seedQueries(remote);
    step = "timing traces --last 10";
    long lastTraces = AnalysisTimer.lastTraces(remote);
    step = "reading serve's peak RSS and the store's size";
    GrowthRow row = new GrowthRow(total, stored, micros(cpuAcked, spans), micros(cpuCompacted, spans),
        spans / sent.seconds(), sent, compactedAfter, report, seed, lastTraces, serve.peakRssMib(), DiskUse.of(serve.data),
        loadStart, loadAverage());
    log("done: %s", GrowthRow.table(List.of(row)).lines().reduce((a, b) -> b).orElse(""));
    return row;
  }

  /** The checkpoints, in batches: each figure of {@code list} rounded up to whole batches. */
  static List<Integer> batches(String list) {
    List<Integer> out = new ArrayList<>();
    for (String figure : list.split(",")) {
      long spans;
      try {
        spans = Long.parseLong(figure.strip().replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--at " + list + ": '" + figure + "' is not a span count");
      }
      long batches = (spans + RealisticSpans.BATCH - 1) / RealisticSpans.BATCH;
      if (spans <= 0 || batches > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("--at " + figure + ": not a span count from 1 to 2^31 batches");
      }
      if (!out.isEmpty() && batches <= out.get(out.size() - 1)) {
        throw new IllegalArgumentException("--at " + list + ": each checkpoint must be at least a batch ("
            + RealisticSpans.BATCH + " spans) past the one before");
      }
      out.add((int) batches);
    }
    return out;
  }

  private static double micros(Duration cpu, long spans) {
    return cpu.toNanos() / 1e3 / spans;
  }

  /** The 1-minute load average, or n/a off Linux. */
  private static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static void log(String format, Object... args) {
    System.out.println("[growth] " + fmt(format, args));
    System.out.flush();
  }
}
