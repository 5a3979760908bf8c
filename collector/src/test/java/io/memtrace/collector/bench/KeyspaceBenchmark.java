package io.memtrace.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Not a test: the keyspace watcher at its defaults over a big keyspace (issue 29's targets). Loads
 * {@code keys} keys in 20 namespaces by pipelined writes into an empty Redis, then runs the real
 * collector ({@code java -jar memtrace-collector.jar watch --passes 1}, its own JVM) for one pass alone:
 * seconds, commands and their cost from Redis's own INFO commandstats, Redis's CPU from INFO cpu, the
 * watcher's CPU, bytes per namespace against the exact sum of MEMORY USAGE. Then {@code rounds} rounds,
 * each a closed {@link GetLoop} in this JVM without a watcher and then with a pass running, each measured
 * after a warm-up for as long as a pass; medians of the rounds. Arguments after the third go to {@code watch}.
 * {@code -Dbench.again=SECONDS} skips the load and the pass alone (the keys are there) and measures for that
 * long; {@code -Dbench.watch} runs another watcher command (see {@link WatcherProcess}); {@code
 * -Dbench.watchRedis=URL} points the watcher at another Redis than the GET loop's (a control: what the
 * watcher's process costs the loop on this machine without touching its Redis).
 * Run (the Redis is flushed!): start a redis-server, e.g. {@code redis-server --port 6399 --save '' --appendonly no},
 * then {@code java -cp collector/target/test-classes:collector/target/memtrace-collector.jar
 * io.memtrace.collector.bench.KeyspaceBenchmark redis://127.0.0.1:6399 [keys=1000000] [rounds=3] [watch options]}.
 */
public final class KeyspaceBenchmark {

  static final int NAMESPACES = 20;
  static final double WARMUP_SECONDS = 3;
  static final double WINDOW_SECONDS = 5;
  /** Paired windows wanted ({@code -Dbench.pairs}); as many passes run as they take. */
  static final int PAIRS = 12;

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<String> extra = args.length > 3 ? List.of(args).subList(3, args.length) : List.of();
    URI uri = URI.create(url);
    Path out = Files.createTempFile("bench-watch-", ".jsonl");
    try (Jedis jedis = new Jedis(uri.getHost(), uri.getPort(), 120_000)) {
      String again = System.getProperty("bench.again"); // seconds: the keys are loaded, skip to the rounds
      double seconds = again != null ? Double.parseDouble(again) : loadAndPassAlone(jedis, url, keys, out, extra);
      double[][] p = new double[2][rounds];
      for (int r = 0; r < rounds; r++) {
        String loadStart = loadAverage();
        double[] cpuAt = new double[1];
        GetLoop.Result without = new GetLoop(uri, keys).run(WARMUP_SECONDS, started(jedis, () -> true, cpuAt),
            deadline(seconds));
        double cpuWithout = cpu(jedis) - cpuAt[0];
        WatcherProcess watcher = WatcherProcess.start(url, out, extra);
        AtomicBoolean scanning = new AtomicBoolean();
        Thread probe = new Thread(() -> awaitFirstScan(uri, watcher, scanning));
        probe.start();
        Map<String, long[]> statsBefore = commandStats(jedis);
        GetLoop.Result with = new GetLoop(uri, keys).run(WARMUP_SECONDS, started(jedis, scanning::get, cpuAt),
            () -> !watcher.alive());
        watcher.await();
        probe.join();
        double redisCpu = cpu(jedis) - cpuAt[0];
        String sent = watcherCommands(statsBefore, commandStats(jedis));
        p[0][r] = without.percentileMicros(99);
        p[1][r] = with.percentileMicros(99);
        System.out.printf(Locale.ROOT, "round %d (load average %s at the start, %s at the end)%n"
            + "  without: %s; Redis CPU %.1f %% of a core%n  with:    %s; Redis CPU %.1f %% of a core%n"
            + "  the watcher's JVM %.1f s of CPU; its commands %s%n", r + 1, loadStart, loadAverage(), without.line(),
            100 * cpuWithout / without.seconds(), with.line(), 100 * redisCpu / with.seconds(), watcher.cpuSeconds(),
            sent);
      }
      if (rounds > 0) {
        System.out.printf(Locale.ROOT, "GET p99, median of %d rounds: without %.1f us, with %.1f us (%+.1f %%)%n",
            rounds, median(p[0]), median(p[1]), 100 * (median(p[1]) - median(p[0])) / median(p[0]));
      }
      pairedWindows(uri, url, keys, out, extra);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Loads the keys, then one pass alone with its figures; returns the pass's seconds. */
  private static double loadAndPassAlone(Jedis jedis, String url, int keys, Path out, List<String> extra)
      throws Exception {
    long t = System.nanoTime();
    load(jedis, keys);
    System.out.printf(Locale.ROOT, "loaded %,d keys in %d namespaces by pipelined writes in %.1f s; used_memory %s; "
        + "Redis %s%n", keys, NAMESPACES, (System.nanoTime() - t) / 1e9, info(jedis, "memory", "used_memory_human"),
        info(jedis, "server", "redis_version"));
    Map<String, Long> exact = exactBytes(jedis);

    System.out.println("one pass alone (load average " + loadAverage() + "): " + String.join(" ", extra));
    double cpuBefore = cpu(jedis);
    jedis.configResetStat();
    WatcherProcess alone = WatcherProcess.start(url, out, extra);
    alone.await();
    double cpu = cpu(jedis) - cpuBefore;
    Map<String, long[]> stats = commandStats(jedis);
    JsonNode line = lastLine(out);
    JsonNode server = line.get("keyspace_servers").elements().next();
    double seconds = server.get("pass_seconds").asDouble();
    long calls = stats.values().stream().mapToLong(c -> c[0]).sum() - 1; // less the INFO cpu above
    System.out.printf(Locale.ROOT, "  %.1f s, %,d commands (INFO commandstats), %.0f commands/s, Redis CPU %.2f s "
        + "= %.2f %% of a core, the watcher's JVM %.1f s of CPU%n", seconds, calls, calls / seconds, cpu,
        100 * cpu / seconds, alone.cpuSeconds());
    stats.forEach((name, c) -> System.out.printf(Locale.ROOT, "  %-14s %,9d calls %8.3f s %7.2f us/call%n", name, c[0],
        c[1] / 1e6, (double) c[1] / c[0]));
    bytesTable(line, exact, keys / NAMESPACES);

    return seconds;
  }

  /**
   * Windows of {@link #WINDOW_SECONDS} within passes (as many as {@link #PAIRS} pairs take), the watcher's
   * JVM paused (SIGSTOP) and running in turn, so that each pair shares the machine's load of the moment: the
   * median of the pairs' p99 ratios is what a drifting load average moves least.
   */
  private static void pairedWindows(URI uri, String url, int keys, Path out, List<String> extra) throws Exception {
    int wanted = Integer.getInteger("bench.pairs", PAIRS);
    GetLoop loop = new GetLoop(uri, keys);
    List<Double> ratios = new ArrayList<>();
    List<Double> without = new ArrayList<>();
    List<Double> with = new ArrayList<>();
    String loadStart = loadAverage();
    int passes = 0;
    while (ratios.size() < wanted && passes++ < 2 * wanted) {
      WatcherProcess watcher = WatcherProcess.start(url, out, extra);
      AtomicBoolean scanning = new AtomicBoolean();
      awaitFirstScan(uri, watcher, scanning);
      while (watcher.alive() && ratios.size() < wanted) {
        watcher.pause();
        GetLoop.Result paused = loop.run(0.5, () -> true, deadline(WINDOW_SECONDS));
        watcher.resume();
        GetLoop.Result running = loop.run(0.5, () -> true, deadline(WINDOW_SECONDS));
        if (!watcher.alive()) {
          break; // the pass ended within the window
        }
        without.add(paused.percentileMicros(99));
        with.add(running.percentileMicros(99));
        ratios.add(running.percentileMicros(99) / paused.percentileMicros(99));
      }
      watcher.await();
    }
    System.out.printf(Locale.ROOT, "paired windows of %.0f s within %d passes (load average %s at the start, %s at the "
        + "end):%n  p99 without %s%n  p99 with    %s%n  median p99 without %.1f us, with %.1f us; median of the %d pairs' "
        + "ratios %+.1f %%%n", WINDOW_SECONDS, passes, loadStart, loadAverage(), micros(without), micros(with),
        median(without), median(with), ratios.size(), 100 * (median(ratios) - 1));
  }

  private static String micros(List<Double> values) {
    StringBuilder b = new StringBuilder();
    values.forEach(v -> b.append(String.format(Locale.ROOT, " %.1f", v)));
    return b.toString();
  }

  private static double median(List<Double> values) {
    return values.isEmpty() ? Double.NaN : median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** What the watcher sent during a round, from the difference of two INFO commandstats. */
  private static String watcherCommands(Map<String, long[]> before, Map<String, long[]> after) {
    StringBuilder b = new StringBuilder();
    after.forEach((name, c) -> {
      long[] was = before.getOrDefault(name, new long[2]);
      long calls = c[0] - was[0];
      if (calls > 0 && !name.equals("get") && !name.equals("exists") && !name.equals("info")) {
        b.append(String.format(Locale.ROOT, "%s%s %,d x %.1f us", b.isEmpty() ? "" : ", ", name, calls,
            (double) (c[1] - was[1]) / calls));
      }
    });
    return b.toString();
  }

  /**
   * Polls until the watcher's first SCAN (its JVM has started and connected), then stops polling and gives the
   * watcher {@link #WARMUP_SECONDS} to compile its loop: a {@code serve} that watches has its JIT done after its
   * first pass, and the start of a JVM beside the application is not what a pass costs it.
   */
  private static void awaitFirstScan(URI loop, WatcherProcess watcher, AtomicBoolean scanning) {
    URI uri = URI.create(System.getProperty("bench.watchRedis", loop.toString()));
    try (Jedis jedis = new Jedis(uri.getHost(), uri.getPort())) {
      long before = commandStats(jedis).getOrDefault("scan", new long[1])[0];
      while (watcher.alive() && commandStats(jedis).getOrDefault("scan", new long[1])[0] == before) {
        Thread.sleep(20);
      }
      Thread.sleep((long) (WARMUP_SECONDS * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      scanning.set(true);
    }
  }

  /** {@code start}, noting Redis's CPU seconds in {@code cpuAt} when it first says yes. */
  private static BooleanSupplier started(Jedis jedis, BooleanSupplier start, double[] cpuAt) {
    boolean[] seen = {false};
    return () -> {
      if (!seen[0] && start.getAsBoolean()) {
        seen[0] = true;
        cpuAt[0] = cpu(jedis);
      }
      return seen[0];
    };
  }

  private static BooleanSupplier deadline(double seconds) {
    long[] end = {0};
    return () -> {
      if (end[0] == 0) {
        end[0] = System.nanoTime() + (long) (seconds * 1e9);
      }
      return System.nanoTime() >= end[0];
    };
  }

  /** Each namespace's keys and bytes against the exact figures (keys: a 20th of all, as loaded), with the bounds stated. */
  private static void bytesTable(JsonNode line, Map<String, Long> exact, long exactKeys) {
    double worst = 0;
    double worstKeys = 0;
    System.out.println("namespace  sampled       keys  ± keys  error %  measured       bytes(est)        exact   error %"
        + "   bound %");
    for (Map.Entry<String, JsonNode> ns : iterable(line.get("namespaces").fields())) {
      JsonNode s = ns.getValue().get("keyspace").elements().next();
      long e = exact.get(ns.getKey());
      double err = 100.0 * (s.get("bytes").asLong() - e) / e;
      double keysErr = 100.0 * (s.get("keys").asLong() - exactKeys) / exactKeys;
      worst = Math.max(worst, Math.abs(err));
      worstKeys = Math.max(worstKeys, Math.abs(keysErr));
      System.out.printf(Locale.ROOT, "%-10s %7s %10d %7d %+8.2f %9d %16d %12d %+8.2f %9.2f%n", ns.getKey(),
          s.path("sampled").asBoolean() ? "yes" : "no", s.get("keys").asLong(), s.path("keys_error").asLong(), keysErr,
          s.get("sampled_keys").asLong(), s.get("bytes").asLong(), e, err, 100.0 * s.get("bytes_error").asLong() / e);
    }
    System.out.printf(Locale.ROOT, "largest error per namespace: keys %.2f %%, bytes %.2f %%%n", worstKeys, worst);
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }

  private static JsonNode lastLine(Path out) throws Exception {
    List<String> lines = Files.readAllLines(out);
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }

  static void load(Jedis jedis, int keys) {
    jedis.flushAll();
    Random random = new Random(1);
    Pipeline p = jedis.pipelined();
    for (int i = 0; i < keys; i++) {
      int ns = i % NAMESPACES;
      String key = "ns" + ns + ":" + i;
      switch (ns % 4) {
        case 0 -> p.set(key, "v".repeat(20 + random.nextInt(480)));
        case 1 -> p.hset(key, Map.of("f1", "a".repeat(random.nextInt(200)), "f2", "b".repeat(random.nextInt(200))));
        case 2 -> p.rpush(key, "x".repeat(10 + random.nextInt(100)), "y".repeat(10 + random.nextInt(100)));
        default -> p.sadd(key, "m" + random.nextInt(100_000), "n" + random.nextInt(100_000), "o" + random.nextInt(9));
      }
      if (i % 3 == 0) {
        p.expire(key, 3_600 + random.nextInt(86_400));
      }
      if (i % 10_000 == 9_999) {
        p.sync();
      }
    }
    p.sync();
  }

  /**
   * MEMORY USAGE of every key, summed by namespace (the part before the first ':'): what estimates are held against.
   * Each key once: SCAN may return a key twice while Redis rehashes its table, as it does right after a load.
   */
  public static Map<String, Long> exactBytes(Jedis jedis) {
    Map<String, Long> sums = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(1000));
      List<String> keys = page.getResult().stream().filter(seen::add).toList();
      Pipeline p = jedis.pipelined();
      List<Response<Long>> sizes = new ArrayList<>();
      keys.forEach(k -> sizes.add(p.memoryUsage(k)));
      p.sync();
      for (int i = 0; i < sizes.size(); i++) {
        String key = keys.get(i);
        sums.merge(key.substring(0, key.indexOf(':')), sizes.get(i).get(), Long::sum);
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return sums;
  }

  /** Calls and microseconds per command, from INFO commandstats. */
  static Map<String, long[]> commandStats(Jedis jedis) {
    Map<String, long[]> stats = new TreeMap<>();
    for (String line : jedis.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring(8, line.indexOf(':'));
        stats.put(name, new long[] {count(line, "calls="), count(line, "usec=")});
      }
    }
    return stats;
  }

  private static long count(String line, String name) {
    String n = line.substring(line.indexOf(name) + name.length());
    return Long.parseLong(n.substring(0, n.indexOf(',')));
  }

  /** Redis's CPU seconds so far, user and system, in one INFO. */
  static double cpu(Jedis jedis) {
    String cpu = jedis.info("cpu");
    return Double.parseDouble(infoField(cpu, "used_cpu_sys")) + Double.parseDouble(infoField(cpu, "used_cpu_user"));
  }

  static String info(Jedis jedis, String section, String field) {
    return infoField(jedis.info(section), field);
  }

  private static String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return null;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private KeyspaceBenchmark() {
  }
}
