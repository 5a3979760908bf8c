package io.memtrace.collector.bench;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.store.Database;
import io.memtrace.collector.store.FloorWrite;
import io.memtrace.collector.store.SpanRow;
import io.memtrace.collector.store.StoreFiles;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: issue 73's floor and serve's whole cost, in one run, on the same spans ({@link RealisticSpans}).
 * <ol>
 *   <li>The floor: the spans decoded and prepared before the clock, then written by each {@link FloorWrite.Way}
 *   in turn, a round at a time (a round is {@code floorRows}, at least a row group so a bulk write skips the WAL);
 *   the process's CPU per row, a checkpoint included. In the same rounds, on the same rows, serve's own database
 *   write ({@link FloorWrite.Way#serve}: {@code span_ingest} and the move with the kept tables, and the bulk load),
 *   each in a store of its own, so that the floor and the path it is the floor of are side by side.</li>
 *   <li>Serve: {@code java -jar target/memtrace-collector.jar serve} on a fresh store takes {@code serveSpans} of the
 *   same mix over {@link BatchSender#CONNECTIONS} connections, paced to {@code rate} spans/s (0: unpaced), and its
 *   CPU (launcher and serving JVM) until every span is stored with its key events (nothing left in
 *   {@code span_ingest}) is divided by the spans: receive, decode, log, write, key events, rollups.</li>
 * </ol>
 * Prints both and their ratio. With {@code pairs} above 0, serve runs {@code pairs} times each way, in turn: the usual
 * way (every span through {@code span_ingest} and the compactor's move: bulk loads off, as before issue 73) and the
 * default (a backlog of a row group loaded straight into {@code span_store}); medians and ratios of both. Run from
 * {@code collector/}: {@code java -Xmx2g -cp
 * target/test-classes:target/memtrace-collector.jar:../test-support/target/memtrace-test-support-0.1.0-SNAPSHOT.jar
 * io.memtrace.collector.bench.IngestFloorBenchmark [floorRows=122880] [rounds=3] [serveSpans=491520] [rate=40000]
 * [pairs=0]}.
 */
public final class IngestFloorBenchmark {

  private static final int BATCH = RealisticSpans.BATCH;
  /** Requests of the mix, after the rounds' own, that each way writes once before the rounds, not counted (the JIT). */
  private static final int WARM_UP_BATCHES = 16;

  public static void main(String[] args) throws Exception {
    int floorRows = args.length > 0 ? Integer.parseInt(args[0]) : 122_880;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int serveSpans = args.length > 2 ? Integer.parseInt(args[2]) : 491_520;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 40_000;
    int pairs = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    int floorBatches = floorRows / BATCH;
    int serveBatches = serveSpans / BATCH;
    long spans = (long) Math.max(floorBatches * rounds + WARM_UP_BATCHES, serveBatches) * BATCH;
    RealisticSpans mix = new RealisticSpans(spans, Conventions.SEED);
    Map<FloorWrite.Way, Double> floor = floor(mix, floorBatches, rounds);
    FloorWrite.Way cheapest = floor.keySet().stream().filter(w -> !w.serve())
        .min(java.util.Comparator.comparing(floor::get)).orElseThrow();
    double best = floor.get(cheapest);
    System.out.printf("%nfloor (cheapest way, %s, median of %d rounds): %.2f us of CPU per span%n", cheapest, rounds,
        best);
    for (FloorWrite.Way way : FloorWrite.Way.values()) {
      if (!way.serve()) {
        continue;
      }
      System.out.printf("serve's database write, %s: %.2f us of CPU per span, %.1fx the floor%n", way, floor.get(way),
          floor.get(way) / best);
    }
    if (serveBatches == 0) {
      return;
    }
    if (pairs == 0) {
      double serve = serve(mix, serveBatches, rate, List.of());
      System.out.printf("serve all in: %.2f us of CPU per stored span%n", serve);
      System.out.printf("ratio: %.1fx the floor%n", serve / best);
      return;
    }
    double[] usual = new double[pairs];
    double[] bulk = new double[pairs];
    for (int p = 0; p < pairs; p++) {
      System.out.printf("pair %d, the usual way:%n", p);
      usual[p] = serve(mix, serveBatches, rate, USUAL);
      System.out.printf("pair %d, the default (bulk loads):%n", p);
      bulk[p] = serve(mix, serveBatches, rate, List.of());
    }
    double u = median(usual);
    double b = median(bulk);
    System.out.printf("serve all in, median of %d: the usual way %.2f us of CPU per stored span (%.1fx the floor), "
        + "the default %.2f us (%.1fx the floor); default / usual %.2f%n", pairs, u, u / best, b, b / best, b / u);
  }

  /** serve with bulk loads off: every span through span_ingest and the compactor's move. */
  private static final List<String> USUAL = List.of("-Dmemtrace.store.bulk-rows=" + Integer.MAX_VALUE);

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  /**
   * The median over the rounds of each way's process CPU per row, in us. The floor's ways share a store; each of
   * serve's ways has its own, since a span it stored already would be skipped as a repeat. Each round starts one way
   * further on, so that no way is always first after the decoding.
   */
  private static Map<FloorWrite.Way, Double> floor(RealisticSpans mix, int batches, int rounds) throws Exception {
    Map<FloorWrite.Way, double[]> perRound = new EnumMap<>(FloorWrite.Way.class);
    Map<FloorWrite.Way, Path> dirs = new EnumMap<>(FloorWrite.Way.class);
    Map<FloorWrite.Way, DuckDBConnection> connections = new EnumMap<>(FloorWrite.Way.class);
    FloorWrite.Way[] ways = FloorWrite.Way.values();
    try {
      Path shared = ScratchStore.create("ingest-floor");
      DuckDBConnection floorStore = Database.openWritable(new StoreFiles(shared));
      dirs.put(FloorWrite.Way.TEXT_BULK, shared);
      for (FloorWrite.Way way : ways) {
        if (way.serve()) {
          dirs.put(way, ScratchStore.create("ingest-floor-" + way.name().toLowerCase(java.util.Locale.ROOT)));
          connections.put(way, Database.openWritable(new StoreFiles(dirs.get(way))));
        } else {
          connections.put(way, floorStore);
        }
      }
      List<List<SpanRow>> warmUp = new ArrayList<>(WARM_UP_BATCHES);
      for (int b = 0; b < WARM_UP_BATCHES; b++) {
        warmUp.add(OtlpIngest.decodeSpans(false, mix.batch(rounds * batches + b).toByteArray()));
      }
      FloorWrite first = FloorWrite.of(connections, warmUp);
      for (FloorWrite.Way way : ways) {
        first.write(way);
      }
      for (int round = 0; round < rounds; round++) {
        List<List<SpanRow>> requests = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
          requests.add(OtlpIngest.decodeSpans(false, mix.batch(round * batches + b).toByteArray()));
        }
        FloorWrite rows = FloorWrite.of(connections, requests);
        for (int w = 0; w < ways.length; w++) {
          FloorWrite.Way way = ways[(w + round) % ways.length];
          FloorWrite.Cpu cpu = rows.write(way);
          perRound.computeIfAbsent(way, k -> new double[rounds])[round] = cpu.processNanos() / 1000.0 / rows.rows();
          System.out.printf("floor round %d, %s: %d rows, %.2f us of the appending thread's CPU per row, "
              + "%.2f us of the process's%n", round, way, rows.rows(), cpu.threadNanos() / 1000.0 / rows.rows(),
              cpu.processNanos() / 1000.0 / rows.rows());
        }
      }
    } finally {
      for (DuckDBConnection c : new java.util.HashSet<>(connections.values())) {
        c.close();
      }
      for (Path dir : dirs.values()) {
        ScratchStore.delete(dir);
      }
    }
    Map<FloorWrite.Way, Double> medians = new EnumMap<>(FloorWrite.Way.class);
    perRound.forEach((way, us) -> medians.put(way, median(us)));
    medians.forEach((way, us) -> System.out.printf("median of %d rounds, %s: %.2f us of the process's CPU per row%n",
        rounds, way, us));
    return medians;
  }

  /** Serve's CPU per span, in us, from the first request until every span is stored. */
  private static double serve(RealisticSpans mix, int batches, int rate, List<String> jvm) throws Exception {
    Path jar = Paths.get("target/memtrace-collector.jar").toAbsolutePath();
    Path data = ScratchStore.create("ingest-floor-serve");
    long spans = (long) batches * BATCH;
    try (ServeProcess serve = ServeProcess.start(jar, data, jvm)) {
      java.time.Duration cpu0 = serve.cpu();
      long start = System.nanoTime();
      long apartNanos = rate <= 0 ? 0 : 1_000_000_000L * BATCH / rate;
      try (BatchSender sender = new BatchSender(serve.url, b -> {
        byte[] body = mix.batch(b).toByteArray();
        // paced: a batch leaves no earlier than its turn at the rate
        long wait = start + b * apartNanos - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        return body;
      })) {
        BatchSender.Sent sent = sender.send(0, batches);
        System.out.printf("serve: %d spans acknowledged at %.0f spans/s, ack p99 %.1f ms, %d retried%n", spans,
            spans / sent.seconds(), sent.latencyMillis(0.99), sent.retries());
      }
      try (var remote = serve.remote()) {
        serve.awaitCompacted(remote);
      }
      double us = serve.cpu().minus(cpu0).toNanos() / 1000.0 / spans;
      System.out.printf("serve: every span stored after %.1f s; %.2f us of serve's CPU per span; %s%n",
          (System.nanoTime() - start) / 1e9, us, bulkLoaded(serve));
      return us;
    } finally {
      ScratchStore.delete(data);
    }
  }

  /** What {@code /api/status} says serve loaded straight into span_store ({@code ingest_log.spans_loaded_in_bulk}). */
  private static String bulkLoaded(ServeProcess serve) throws InterruptedException {
    java.util.regex.Matcher bulk = java.util.regex.Pattern.compile("\"spans_loaded_in_bulk\":\\s*(\\d+)")
        .matcher(serve.status());
    return bulk.find() ? bulk.group(1) + " of them loaded in bulk" : "no bulk loads in this build";
  }

  private IngestFloorBenchmark() {
  }
}
