package io.memtrace.collector.bench;

import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.server.http.FrontLimits;
import io.memtrace.collector.server.http.HttpFront;
import io.memtrace.collector.server.http.Lane;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: the HTTP front alone. It takes OTLP batches of 512 spans from 4 connections; its handler
 * reads the body and answers 200 without storing it, so what is measured is the front's CPU (its I/O
 * threads and the handler threads) per 1,000 spans, not the store's. Run: {@code java -cp
 * target/test-classes:target/memtrace-collector.jar io.memtrace.collector.bench.FrontBenchmark [requests]
 * [repetitions]}; prints each run and the median. (Until the hand-written front was deleted it ran both
 * side by side; docs/history/performance-2026-11-23-to-26.md has those figures.)
 */
public final class FrontBenchmark {


  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<byte[]> payloads = new ArrayList<>();
    for (int b = 0; b < 16; b++) {
      payloads.add(IngestBenchmark.batch(b).toByteArray());
    }
    System.out.printf("%d requests of %d spans (%d KiB) per run, 4 connections, %d repetitions%n", requests,
        IngestBenchmark.BATCH, payloads.get(0).length / 1024, repetitions);
    List<double[]> runs = new ArrayList<>();
    for (int r = 0; r < repetitions; r++) {
      double[] run = run(payloads, requests);
      runs.add(run);
      System.out.printf("run %d: %.2f ms CPU per 1000 spans, %.0f requests/s%n", r + 1, run[0], run[1]);
    }
    System.out.printf("median: %.2f ms CPU per 1000 spans, %.0f requests/s%n", median(runs, 0), median(runs, 1));
  }

  private static double[] run(List<byte[]> payloads, int requests) throws Exception {
    FrontLimits limits = new FrontLimits(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30), 64,
        FrontLimits.defaultBudget(16 << 20));
    HttpHandler read = exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1); // an OTLP success in protobuf is empty
    };
    try (Lane lane = new Lane("bench-lane", 8, 256);
        HttpFront front = new HttpFront(new InetSocketAddress("127.0.0.1", 0), limits)) {
      front.route("/v1/traces", read, lane, 16 << 20);
      front.start();
      URI url = URI.create("http://127.0.0.1:" + front.address().getPort() + "/v1/traces");
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      send(client, url, payloads, requests / 10); // warm up
      Map<Long, Long> before = frontCpu();
      long start = System.nanoTime();
      send(client, url, payloads, requests);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<Long, Long> after = frontCpu();
      long nanos = 0;
      for (Map.Entry<Long, Long> e : after.entrySet()) {
        nanos += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
      double spans = (double) requests * IngestBenchmark.BATCH;
      return new double[] {nanos / 1e6 / (spans / 1000), requests / seconds};
    }
  }

  private static void send(HttpClient client, URI url, List<byte[]> payloads, int requests) throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        byte[] body = payloads.get(i % payloads.size());
        results.add(senders.submit(() -> client.send(HttpRequest.newBuilder(url)
            .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()));
      }
      for (Future<Integer> r : results) {
        if (r.get() != 200) {
          throw new IllegalStateException("HTTP " + r.get());
        }
      }
    } finally {
      senders.shutdown();
    }
  }

  /** CPU time by thread id of the front's I/O threads and the lane's handler threads. */
  private static Map<Long, Long> frontCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && (info.getThreadName().startsWith("memtrace-http-front")
          || info.getThreadName().startsWith("bench-lane"))) {
        cpu.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return cpu;
  }

  private static double median(List<double[]> runs, int column) {
    double[] values = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return values[values.length / 2];
  }
}
