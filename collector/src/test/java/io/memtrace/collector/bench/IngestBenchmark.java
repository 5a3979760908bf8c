package io.memtrace.collector.bench;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.RemoteSqlSource;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.store.StoreFiles;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
  static final String[] SEED_QUERIES = {
      "SELECT\n  attributes['memory.key'] as key,\n  attributes['memory.namespace'] as namespace,\n"
          + "  attributes['memory.operation_duration_ms'] as duration_ms\nFROM spans\nWHERE name LIKE 'aqe.memory.%'\n"
          + "ORDER BY duration_ms DESC\nLIMIT 10;",
      "SELECT\n  attributes['memory.key'] as key,\n  attributes['memory.value_size'] as size_bytes\nFROM spans\n"
          + "WHERE name = 'aqe.memory.store'\nORDER BY size_bytes DESC\nLIMIT 10;",
      "SELECT\n  attributes['memory.namespace'] as namespace,\n  COUNT(*) as operation_count,\n"
          + "  AVG(attributes['memory.operation_duration_ms']) as avg_duration_ms\nFROM spans\n"
          + "WHERE name LIKE 'aqe.memory.%'\nGROUP BY namespace;"};

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
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process serve = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString(), "serve", "--port", String.valueOf(port), "--grpc-port", "0",
        "--data", data.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    URI url = URI.create("http://127.0.0.1:" + port);
    HttpClient client = HttpClient.newHttpClient();
    waitForServer(client, url);

    List<byte[]> payloads = new ArrayList<>();
    for (int b = 0; b < Math.min(batches, 64); b++) {
      payloads.add((realistic != null ? realistic.batch(b) : batch(b)).toByteArray());
    }
    System.out.printf("sending %d spans in %d batches of %d (%d KiB each) with 4 connections%n",
        batches * BATCH, batches, BATCH, payloads.get(0).length / 1024);
    ExecutorService senders = Executors.newFixedThreadPool(4);
    java.time.Duration cpuBefore = cpu(serve);
    long start = System.nanoTime();
    List<Future<Integer>> results = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      int index = b;
      results.add(senders.submit(() -> {
        byte[] body = realistic != null && index >= payloads.size() ? realistic.batch(index).toByteArray()
            // every batch its own trace id, so no span repeats one already stored (which serve would skip)
            : withTrace(payloads.get(index % payloads.size()), index % payloads.size(), index);
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/v1/traces"))
            .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        // a busy collector answers 503 (retry), as an OTLP exporter would be told; on a shared machine it happens
        for (int retry = 0; status == 503 && retry < 50; retry++) {
          Thread.sleep(200);
          status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        return status;
      }));
    }
    for (Future<Integer> r : results) {
      if (r.get() != 200) {
        throw new IllegalStateException("a batch was refused: HTTP " + r.get());
      }
    }
    double ackSeconds = (System.nanoTime() - start) / 1e9;
    // CPU time per span does not drop when other work shares the machine, as spans/s does
    double cpuMillis = cpu(serve).minus(cpuBefore).toNanos() / 1e6;
    senders.shutdown();
    System.out.printf("acknowledged (committed): %.0f spans/s (%.1f s)%n", batches * BATCH / ackSeconds, ackSeconds);
    System.out.printf("serve CPU while acknowledging: %.1f ms per 1000 spans%n", cpuMillis / (batches * BATCH / 1000.0));
    String token = io.memtrace.collector.server.ApiToken.read(new StoreFiles(data)).orElseThrow();
    try (SqlSource remote = new RemoteSqlSource(url, token, "the token is read from the data directory")) {
      while (remote.query("SELECT count(*) AS n FROM span_ingest").number(0, "n") > 0) {
        Thread.sleep(100);
      }
      double allSeconds = (System.nanoTime() - start) / 1e9;
      // the move to span_store (and the key events kept with it) ends after the last acknowledgement
      double allCpuMillis = cpu(serve).minus(cpuBefore).toNanos() / 1e6;
      System.out.printf("compacted to VARIANT:     %.0f spans/s (%.1f s)%n", batches * BATCH / allSeconds, allSeconds);
      System.out.printf("serve CPU until compacted: %.1f ms per 1000 spans%n", allCpuMillis / (batches * BATCH / 1000.0));
      time("through serve /api/query", remote);
      System.out.println("serve peak RSS (VmHWM, launcher + serve): " + peakRss(serve));
    }
    serve.destroy();
    serve.waitFor(60, TimeUnit.SECONDS);
    try (SqlSource local = new LocalSqlSource(new StoreFiles(data))) {
      time("from the stopped store", local);
    }
    if (keep >= 0) {
      System.out.println("store left in " + data + "; time the analyses with AnalysisBenchmark " + data);
    }
  }

  static void time(String how, SqlSource source) {
    for (int q = 0; q < SEED_QUERIES.length; q++) {
      source.query(SEED_QUERIES[q]);
      long best = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        source.query(SEED_QUERIES[q]);
        best = Math.min(best, System.nanoTime() - t0);
      }
      System.out.printf("seed query %d %s: %d ms (best of 3)%n", q + 1, how, best / 1_000_000);
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

  /** CPU time the process and its children (serve relaunched with a bounded heap) have used so far. */
  private static java.time.Duration cpu(Process process) {
    java.time.Duration total = process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    for (ProcessHandle child : process.descendants().toList()) {
      total = total.plus(child.info().totalCpuDuration().orElse(java.time.Duration.ZERO));
    }
    return total;
  }

  /** Peak resident memory (VmHWM) of the process and its children, in MiB; -1 where /proc cannot tell. */
  private static String peakRss(Process process) {
    StringBuilder out = new StringBuilder();
    long sum = 0;
    for (ProcessHandle p : java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()),
        process.descendants()).toList()) {
      try {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(p.pid()), "status"))) {
          if (line.startsWith("VmHWM:")) {
            long mib = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            sum += mib;
            out.append(out.length() == 0 ? "" : " + ").append(mib);
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        return "-1";
      }
    }
    return out + " = " + sum + " MiB";
  }

  private static void waitForServer(HttpClient client, URI url) throws Exception {
    for (int i = 0; i < 600; i++) {
      try {
        // 401: up, and asking for the token it has just written
        if (client.send(HttpRequest.newBuilder(url.resolve("/api/status")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 401) {
          return;
        }
      } catch (java.io.IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("serve did not start");
  }
}
