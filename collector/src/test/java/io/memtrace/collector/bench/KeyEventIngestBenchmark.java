package io.memtrace.collector.bench;

import io.memtrace.collector.Conventions;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Not a test: issue 77's question for the collector, what {@code serve} spends on a compressed command's key event
 * against a span, side by side in one run. The same Redis commands ({@link RealisticSpans#commands}: root commands of
 * the realistic mix, each its own trace) go to a {@code serve} on a fresh store three ways, in turn, each over
 * {@link BatchSender#CONNECTIONS} connections paced to {@code rate} commands/s: as key events (a
 * {@code memtrace.key_events} carrier of 512 a request, {@link RealisticSpans#keyEvents}); as the spans full capture
 * sends of them; and, for the issue 73 figure beside them, as many spans of the realistic mix
 * ({@link RealisticSpans#batch}). Each way's CPU (launcher and serving JVM, by thread too) from the first request until
 * every command is stored with its key events, divided by the commands; then medians over {@code pairs} and the key
 * event's ratio to either span. Run from {@code collector/}: {@code java -Xmx1g -cp
 * target/test-classes:target/memtrace-collector.jar:../test-support/target/memtrace-test-support-0.1.0-SNAPSHOT.jar
 * io.memtrace.collector.bench.KeyEventIngestBenchmark [commands=245760] [rate=40000] [pairs=2] [serve's JVM options…]};
 * {@code -Dbench.ways=KEY_EVENTS,COMMAND_SPANS} runs only the ways named. {@code -Dbench.warmup=N} first sends N
 * other commands the same way and waits until they are stored, so that the figure leaves out a fresh JVM's warm-up
 * (its compilers), which grows far slower than the commands.
 */
public final class KeyEventIngestBenchmark {

  private enum Way {
    KEY_EVENTS, COMMAND_SPANS, REALISTIC_SPANS
  }

  public static void main(String[] args) throws Exception {
    int commands = args.length > 0 ? Integer.parseInt(args[0]) : 245_760;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 40_000;
    int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    List<String> jvm = args.length > 3 ? List.of(args).subList(3, args.length) : List.of();
    int batches = commands / RealisticSpans.BATCH;
    int warmup = Integer.getInteger("bench.warmup", 0) / RealisticSpans.BATCH;
    RealisticSpans mix = new RealisticSpans((long) (batches + warmup) * RealisticSpans.BATCH, Conventions.SEED);
    Way[] ways = System.getProperty("bench.ways") == null ? Way.values()
        : java.util.Arrays.stream(System.getProperty("bench.ways").split(",")).map(Way::valueOf).toArray(Way[]::new);
    double[][] us = new double[Way.values().length][pairs];
    for (int p = 0; p < pairs; p++) {
      for (int w = 0; w < ways.length; w++) {
        // each pair starts one way further on, so that no way is always first
        Way way = ways[(w + p) % ways.length];
        IntFunction<byte[]> body = switch (way) {
          case KEY_EVENTS -> b -> mix.keyEvents(b).toByteArray();
          case COMMAND_SPANS -> b -> mix.commands(b).toByteArray();
          case REALISTIC_SPANS -> b -> mix.batch(b).toByteArray();
        };
        us[way.ordinal()][p] = serve(way, body, batches, warmup, rate, jvm);
      }
    }
    double events = median(us[Way.KEY_EVENTS.ordinal()]);
    double spans = median(us[Way.COMMAND_SPANS.ordinal()]);
    double realistic = median(us[Way.REALISTIC_SPANS.ordinal()]);
    System.out.printf("%nmedian of %d, us of serve's CPU per stored command: as key events %.2f, as spans %.2f, "
        + "realistic spans %.2f; a key event / the command's span %.2f, / a realistic span %.2f%n", pairs, events, spans,
        realistic, events / spans, events / realistic);
  }

  /**
   * Serve's CPU per command, in us, from the first request until every command is stored; after {@code warmup}
   * batches of other commands (those after the measured ones) are stored, when there are any.
   */
  private static double serve(Way way, IntFunction<byte[]> body, int batches, int warmup, int rate, List<String> jvm)
      throws Exception {
    Path jar = Paths.get("target/memtrace-collector.jar").toAbsolutePath();
    Path data = ScratchStore.create("key-event-ingest");
    long commands = (long) batches * RealisticSpans.BATCH;
    try (ServeProcess serve = ServeProcess.start(jar, data, jvm)) {
      if (warmup > 0) {
        send(serve, body, batches, batches + warmup, rate, System.nanoTime());
        try (var remote = serve.remote()) {
          serve.awaitCompacted(remote);
        }
      }
      java.time.Duration cpu0 = serve.cpu();
      Map<String, Long> threads0 = serve.cpuMillisByThread();
      long start = System.nanoTime();
      BatchSender.Sent sent = send(serve, body, 0, batches, rate, start);
      try (var remote = serve.remote()) {
        serve.awaitCompacted(remote);
        long stored = remote.query("SELECT count(*) AS n FROM spans").number(0, "n") - (long) warmup * RealisticSpans.BATCH;
        double us = serve.cpu().minus(cpu0).toNanos() / 1000.0 / commands;
        StringBuilder byThread = new StringBuilder();
        Map<String, Long> threads = serve.cpuMillisByThread();
        threads.forEach((name, ms) -> {
          double per = (ms - threads0.getOrDefault(name, 0L)) * 1000.0 / commands;
          if (per >= 0.2) {
            byThread.append(String.format(" %s %.1f;", name, per));
          }
        });
        String status = serve.status();
        System.out.printf("%s: %d commands acknowledged at %.0f/s, %d stored (%s in bulk), %s requests read back from "
            + "the log, %.1f s to the last; %.2f us of serve's CPU per command; by thread:%s%n", way, commands,
            commands / sent.seconds(), stored, statusFigure(status, "spans_loaded_in_bulk"),
            statusFigure(status, "requests_read_back"), (System.nanoTime() - start) / 1e9, us, byThread);
        return us;
      }
    } finally {
      ScratchStore.delete(data);
    }
  }

  /** A whole number {@code name} of serve's status, or "?". */
  private static String statusFigure(String status, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":\\s*(\\d+)").matcher(status);
    return m.find() ? m.group(1) : "?";
  }

  /** Sends batches {@code from} to {@code to} over {@link BatchSender#CONNECTIONS}, paced to {@code rate} from {@code start}. */
  private static BatchSender.Sent send(ServeProcess serve, IntFunction<byte[]> body, int from, int to, int rate,
      long start) throws Exception {
    long apartNanos = rate <= 0 ? 0 : 1_000_000_000L * RealisticSpans.BATCH / rate;
    try (BatchSender sender = new BatchSender(serve.url, b -> {
      byte[] bytes = body.apply(b);
      long wait = start + (b - from) * apartNanos - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      return bytes;
    })) {
      return sender.send(from, to);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  private KeyEventIngestBenchmark() {
  }
}
