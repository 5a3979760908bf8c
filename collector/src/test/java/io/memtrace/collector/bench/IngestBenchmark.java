package io.memtrace.collector.bench;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.SeedQueries;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: measures OTLP protobuf ingest (batches of 512) into a real {@code serve} process,
 * then times the seed 000 queries over the stored spans, through the server and from the file.
 * Run: {@code java -cp target/test-classes:target/memtrace-collector.jar io.memtrace.collector.bench.IngestBenchmark
 * [spans] [--realistic [--conventions seed|both|genai]] [--keep DIR]}. By default it sends 64 batches of
 * memory-manager spans over and over; {@code --realistic} sends distinct spans of a service's mix
 * ({@link RealisticSpans}), their memory-manager spans with the names the agent's {@code conventions} gives, and
 * {@code --keep DIR} stores them in {@code DIR} (new or empty) and leaves the store there, for
 * {@link AnalysisBenchmark}.
 */
public final class IngestBenchmark {

  static final int BATCH = 512;
  static final String[] OPS = {"store", "retrieve", "search", "delete"};
  static final String[] SEED_QUERIES = SeedQueries.ALL.toArray(String[]::new);

  public static void main(String[] args) throws Exception {
    List<String> options = List.of(args);
    int total = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 1_000_000;
    int batches = (total + BATCH - 1) / BATCH;
    int conventions = options.indexOf("--conventions");
    RealisticSpans realistic = options.contains("--realistic") ? new RealisticSpans((long) batches * BATCH,
        conventions < 0 ? Conventions.SEED : Conventions.valueOf(args[conventions + 1].toUpperCase(Locale.ROOT))) : null;
    int keep = options.indexOf("--keep");
    Path jar = Paths.get("target/memtrace-collector.jar").toAbsolutePath();
    Path data = keep < 0 ? Files.createTempDirectory("memtrace-bench") : Files.createDirectories(Paths.get(args[keep + 1]));
    if (keep >= 0 && new StoreFiles(data).databaseExists()) {
      throw new IllegalArgumentException("--keep " + data + " already holds a store; name a new directory");
    }
    try {
      try (ServeProcess serve = ServeProcess.start(jar, data)) {
        send(serve, batches, realistic);
      }
      try (SqlSource local = new LocalSqlSource(new StoreFiles(data))) {
        time("from the stopped store", local);
      }
    } finally {
      if (keep < 0) {
        ScratchStore.delete(data);
      }
    }
    if (keep >= 0) {
      System.out.println("store left in " + data + "; time the analyses with AnalysisBenchmark " + data);
    }
  }

  private static void send(ServeProcess serve, int batches, RealisticSpans realistic) throws Exception {
    List<byte[]> payloads = new ArrayList<>();
    for (int b = 0; b < Math.min(batches, 64); b++) {
      payloads.add((realistic != null ? realistic.batch(b) : batch(b)).toByteArray());
    }
    System.out.printf("sending %d spans in %d batches of %d (%d KiB each) with %d connections%n",
        batches * BATCH, batches, BATCH, payloads.get(0).length / 1024, BatchSender.CONNECTIONS);
    java.time.Duration cpuBefore = serve.cpu();
    Map<String, Long> threadsBefore = serve.cpuMillisByThread();
    long start = System.nanoTime();
    try (BatchSender sender = new BatchSender(serve.url, index -> realistic != null && index >= payloads.size()
        ? realistic.batch(index).toByteArray()
        // every batch its own trace id, so no span repeats one already stored (which serve would skip)
        : withTrace(payloads.get(index % payloads.size()), index % payloads.size(), index))) {
      sender.send(0, batches);
    }
    double ackSeconds = (System.nanoTime() - start) / 1e9;
    // CPU time per span does not drop when other work shares the machine, as spans/s does
    double cpuMillis = serve.cpu().minus(cpuBefore).toNanos() / 1e6;
    System.out.printf("acknowledged (durable): %.0f spans/s (%.1f s)%n", batches * BATCH / ackSeconds, ackSeconds);
    System.out.printf("serve CPU while acknowledging: %.1f ms per 1000 spans%n", cpuMillis / (batches * BATCH / 1000.0));
    byThread("while acknowledging", threadsBefore, serve.cpuMillisByThread(), batches * BATCH);
    String liveReport = System.getProperty("bench.liveReport");
    if (liveReport != null) {
      liveReport(serve, liveReport.isBlank() ? List.of() : List.of(liveReport.trim().split("\\s+")));
    }
    try (SqlSource remote = serve.remote()) {
      serve.awaitCompacted(remote);
      double allSeconds = (System.nanoTime() - start) / 1e9;
      // the move to span_store (and the key events kept with it) ends after the last acknowledgement
      double allCpuMillis = serve.cpu().minus(cpuBefore).toNanos() / 1e6;
      System.out.printf("compacted to VARIANT:     %.0f spans/s (%.1f s)%n", batches * BATCH / allSeconds, allSeconds);
      System.out.printf("serve CPU until compacted: %.1f ms per 1000 spans%n", allCpuMillis / (batches * BATCH / 1000.0));
      byThread("until compacted", threadsBefore, serve.cpuMillisByThread(), batches * BATCH);
      if (liveReport != null) {
        System.out.println("the same report once every span is loaded and serve is idle:");
        liveReport(serve, List.of());
      }
      time("through serve /api/query", remote);
      System.out.println("serve peak RSS (VmHWM, launcher + serve): " + serve.describePeakRss());
    }
  }

  /**
   * Issue 73's live report: {@code java -jar memtrace-collector.jar report --data DIR [args]} started the moment the
   * burst is acknowledged, against the running serve. Prints the spans still waiting to load as it starts and as it
   * ends, its wall time, its own CPU (bash's {@code times} of its child), serve's CPU meanwhile and by thread, and
   * the report's note on spans left out. {@code -Dbench.liveReport=} (empty) or {@code =--wait-loaded}.
   */
  static void liveReport(ServeProcess serve, List<String> args) throws Exception {
    Path jar = Paths.get("target/memtrace-collector.jar").toAbsolutePath();
    Path out = Files.createTempFile("memtrace-live-report", ".md");
    String command = BuildPaths.JAVA + " -jar " + jar + " report --data " + serve.data + " " + String.join(" ", args)
        + " > " + out + "; code=$?; times; exit $code";
    Thread.sleep(Long.getLong("bench.liveReportDelay", 0)); // ms after the acknowledgement, to catch a later moment
    String token = io.memtrace.collector.server.ApiToken.read(new StoreFiles(serve.data)).orElseThrow();
    try (SqlSource now = new io.memtrace.collector.query.RemoteSqlSource(serve.url, token, "bench", false)) {
      var counts = now.query("SELECT (SELECT count(*) FROM " + io.memtrace.collector.store.Schema.TAIL
          + ") AS tail, (SELECT count(*) FROM spans) AS loaded");
      System.out.printf("  as the report starts: %d spans loaded, %d of them in the tail%n", counts.number(0, "loaded"),
          counts.number(0, "tail"));
    }
    String unloadedBefore = unloaded(serve.status());
    java.time.Duration cpuBefore = serve.cpu();
    Map<String, Long> threadsBefore = serve.cpuMillisByThread();
    // -Dbench.idleWriter=true: the store's writer in Linux's idle class while the report runs, an experiment
    // on whether a report given the cores meets the target (chrt on the writer's thread, put back after)
    String writer = Boolean.getBoolean("bench.idleWriter") ? writerThread(serve) : null;
    if (writer != null) {
      new ProcessBuilder("chrt", "--idle", "-p", "0", writer).inheritIO().start().waitFor();
    }
    long start = System.nanoTime();
    Process report = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    String times = new String(report.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    int code = report.waitFor();
    double wall = (System.nanoTime() - start) / 1e9;
    if (writer != null) {
      new ProcessBuilder("chrt", "--other", "-p", "0", writer).inheritIO().start().waitFor();
      System.out.println("  the writer (thread " + writer + ") was in the idle class meanwhile");
    }
    double serveCpu = serve.cpu().minus(cpuBefore).toNanos() / 1e9;
    Map<String, Long> threadsAfter = serve.cpuMillisByThread();
    String unloadedAfter = unloaded(serve.status());
    // times: the shell's user and sys, then its children's (the report's JVM)
    String[] lines = times.strip().split("\n");
    String child = lines[lines.length - 1];
    System.out.printf("live report %s: exit %d, wall %.2f s, report's CPU (user sys) %s, serve's CPU %.2f s; "
        + "unloaded spans %s at start, %s at end%n", args, code, wall, child, serveCpu, unloadedBefore, unloadedAfter);
    List<Map.Entry<String, Long>> deltas = new ArrayList<>();
    threadsAfter.forEach((name, ms) -> deltas.add(Map.entry(name, ms - threadsBefore.getOrDefault(name, 0L))));
    deltas.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    System.out.println("  serve's threads meanwhile (ms): " + deltas.subList(0, Math.min(8, deltas.size())));
    for (String line : Files.readAllLines(out)) {
      if (line.contains("waiting to be loaded") || line.startsWith("Source") || line.contains("spans")
          && line.startsWith("_")) {
        System.out.println("  report: " + line);
      }
    }
    System.out.println("  report's output: " + out + " (" + Files.size(out) + " bytes)");
    if (!times.contains("m") || code != 0) {
      System.out.println("  report's shell said: " + times);
    }
  }

  /** The thread id of serve's store writer: the first of its threads the kernel names {@code memtrace-store-}. */
  private static String writerThread(ServeProcess serve) throws java.io.IOException {
    long first = Long.MAX_VALUE;
    List<ProcessHandle> all = new ArrayList<>(ProcessHandle.of(serve.pid()).orElseThrow().descendants().toList());
    all.add(ProcessHandle.of(serve.pid()).orElseThrow());
    for (ProcessHandle p : all) {
      try (java.util.stream.Stream<Path> tasks = Files.list(Paths.get("/proc", Long.toString(p.pid()), "task"))) {
        for (Path task : tasks.toList()) {
          if (Files.readString(task.resolve("comm")).strip().equals("memtrace-store-")) {
            first = Math.min(first, Long.parseLong(task.getFileName().toString()));
          }
        }
      }
    }
    return first == Long.MAX_VALUE ? null : Long.toString(first);
  }

  private static String unloaded(String status) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"unloaded_spans\":\\s*(\\d+)").matcher(status);
    return m.find() ? m.group(1) : "?";
  }

  /**
   * Where serve's CPU went, per 1000 spans: the store's threads (the writer, which loads the ingest log into
   * DuckDB, and the compactor), and the rest (HTTP, decoding, the ingest log, GC, the JIT, DuckDB's own threads).
   */
  static void byThread(String when, Map<String, Long> before, Map<String, Long> after, long spans) {
    long store = 0;
    long rest = 0;
    StringBuilder top = new StringBuilder();
    List<Map.Entry<String, Long>> deltas = new ArrayList<>();
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (e.getKey().startsWith("memtrace-store-")) {
        store += delta;
      } else {
        rest += delta;
      }
      deltas.add(Map.entry(e.getKey(), delta));
    }
    deltas.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> e : deltas.subList(0, Math.min(6, deltas.size()))) {
      top.append(top.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
          .append(String.format("%.1f", e.getValue() / (spans / 1000.0)));
    }
    System.out.printf("  by thread %s: store writer and compactor %.1f, the rest %.1f ms per 1000 spans (%s)%n",
        when, store / (spans / 1000.0), rest / (spans / 1000.0), top);
  }

  static void time(String how, SqlSource source) {
    long[] nanos = AnalysisTimer.seedQueries(source);
    for (int q = 0; q < nanos.length; q++) {
      System.out.printf("seed query %d %s: %d ms (best of 3)%n", q + 1, how, nanos[q] / 1_000_000);
    }
  }

  static io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest batch(int b) {
    List<Span> spans = new ArrayList<>(BATCH);
    String trace = traceId(b);
    for (int i = 0; i < BATCH; i++) {
      int n = b * BATCH + i;
      String op = OPS[n % OPS.length];
      spans.add(SpanFixtures.memory(trace, null, op, i, n % 97, "key-" + n, "aqe/ns" + (n % 10),
          op.equals("store") ? (long) (n % 5000) : null, "agent.id", "agent-" + (n % 7), "memory.ttl", 3600L));
    }
    return SpanFixtures.request("bench", spans);
  }

  private static String traceId(int b) {
    return String.format("%032x", 0xbe000000L + b);
  }

  /** The payload of batch {@code template} as if it were batch {@code b}: its trace id replaced, bytes for bytes. */
  static byte[] withTrace(byte[] payload, int template, int b) {
    byte[] from = java.util.HexFormat.of().parseHex(traceId(template));
    byte[] to = java.util.HexFormat.of().parseHex(traceId(b));
    byte[] out = payload.clone();
    for (int i = 0; i + from.length <= out.length; i++) {
      if (java.util.Arrays.equals(out, i, i + from.length, from, 0, from.length)) {
        System.arraycopy(to, 0, out, i, to.length);
        i += from.length - 1;
      }
    }
    return out;
  }
}
