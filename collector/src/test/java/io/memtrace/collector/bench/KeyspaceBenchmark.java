package io.memtrace.collector.bench;

import io.memtrace.collector.keyspace.KeyspaceSample;
import io.memtrace.collector.keyspace.KeyspaceWatcher;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.keyspace.PassSnapshot;
import io.memtrace.collector.keyspace.RedisUrl;
import io.memtrace.collector.keyspace.WatchSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Not a test: the keyspace watcher at its defaults over a big keyspace (issue 29's targets). Loads
 * {@code keys} keys in 20 namespaces by pipelined writes into an empty Redis, then measures one pass
 * alone (seconds, commands a second from Redis's own INFO commandstats, Redis's own CPU from INFO cpu,
 * bytes per namespace against the exact sum of MEMORY USAGE), then a GET loop's p99 without and with a
 * pass running, alternately, {@code rounds} times each; medians.
 * Run (the Redis is flushed!): start a redis-server, e.g. {@code redis-server --port 6399 --save '' --appendonly no},
 * then {@code java -cp collector/target/test-classes:collector/target/memtrace-collector.jar
 * io.memtrace.collector.bench.KeyspaceBenchmark redis://127.0.0.1:6399 [keys=1000000] [rounds=3]}.
 */
public final class KeyspaceBenchmark {

  static final int NAMESPACES = 20;

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    URI uri = URI.create(url);
    try (Jedis jedis = new Jedis(uri.getHost(), uri.getPort(), 120_000)) {
      long t = System.nanoTime();
      load(jedis, keys);
      System.out.printf(Locale.ROOT, "loaded %,d keys in %d namespaces by pipelined writes in %.1f s; used_memory %s%n",
          keys, NAMESPACES, (System.nanoTime() - t) / 1e9, info(jedis, "memory", "used_memory_human"));
      Map<String, Long> exact = exactBytes(jedis);

      WatchSettings settings = WatchSettings.defaults(60_000, WatchSettings.DEFAULT_COMMANDS_PER_SECOND);
      long callsBefore = calls(jedis);
      double cpuBefore = cpu(jedis);
      PassSnapshot pass = pass(url, settings);
      double cpu = cpu(jedis) - cpuBefore;
      long calls = calls(jedis) - callsBefore - 1;
      double seconds = pass.server().passSeconds();
      System.out.printf(Locale.ROOT, "one pass alone: %.1f s, %,d commands (INFO commandstats), %.0f commands/s "
          + "(ceiling %d), Redis CPU %.2f s = %.2f %% of a core%n", seconds, calls, calls / seconds,
          settings.commandsPerSecond(), cpu, 100 * cpu / seconds);
      double worst = 0;
      System.out.println("namespace        keys   sampled       bytes(est)        exact   error %   bound %");
      for (KeyspaceSample s : pass.samples()) {
        long e = exact.get(s.namespace());
        double err = 100.0 * (s.bytes() - e) / e;
        worst = Math.max(worst, Math.abs(err));
        System.out.printf(Locale.ROOT, "%-10s %10d %9d %16d %12d %+8.2f %9.2f%n", s.namespace(), s.keys(),
            s.sampledKeys(), s.bytes(), e, err, 100.0 * s.bytesError() / e);
      }
      System.out.printf(Locale.ROOT, "largest error of bytes per namespace: %.2f %%%n", worst);

      double[] without = new double[rounds];
      double[] with = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        without[r] = getLoopP99(uri, keys, seconds, null, settings);
        with[r] = getLoopP99(uri, keys, seconds, url, settings);
        System.out.printf(Locale.ROOT, "round %d: GET p99 without the watcher %.1f us, with a pass running %.1f us%n",
            r + 1, without[r], with[r]);
      }
      System.out.printf(Locale.ROOT, "GET p99, median of %d rounds: without %.1f us, with %.1f us (%+.1f %%)%n", rounds,
          median(without), median(with), 100 * (median(with) - median(without)) / median(without));
    }
  }

  static PassSnapshot pass(String url, WatchSettings settings) {
    List<PassSnapshot> seen = new CopyOnWriteArrayList<>();
    new KeyspaceWatcher(RedisUrl.parse("url", url), settings, MemoryStateConfig.defaults(), seen::add).run(1);
    return seen.get(seen.size() - 1);
  }

  /** GETs of random keys one after the other for the length of a pass; with {@code watch} set, a pass runs meanwhile. */
  static double getLoopP99(URI uri, int keys, double seconds, String watch, WatchSettings settings) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread watcher = null;
    if (watch != null) {
      watcher = new Thread(() -> {
        pass(watch, settings);
        stop.set(true);
      });
      watcher.start();
    }
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Long> latencies = new ArrayList<>();
    Random random = new Random();
    try (Jedis jedis = new Jedis(uri.getHost(), uri.getPort())) {
      while (watch != null ? !stop.get() : System.nanoTime() < end) {
        int i = random.nextInt(keys);
        String key = "ns" + (i % NAMESPACES) + ":" + i;
        long t = System.nanoTime();
        if (i % NAMESPACES % 4 == 0) {
          jedis.get(key);
        } else {
          jedis.exists(key);
        }
        latencies.add(System.nanoTime() - t);
      }
    }
    if (watcher != null) {
      watcher.join();
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1000.0;
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

  /** MEMORY USAGE of every key, summed by namespace (the part before the first ':'): what estimates are held against. */
  public static Map<String, Long> exactBytes(Jedis jedis) {
    Map<String, Long> sums = new TreeMap<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(1000));
      Pipeline p = jedis.pipelined();
      List<Response<Long>> sizes = new ArrayList<>();
      page.getResult().forEach(k -> sizes.add(p.memoryUsage(k)));
      p.sync();
      for (int i = 0; i < sizes.size(); i++) {
        String key = page.getResult().get(i);
        sums.merge(key.substring(0, key.indexOf(':')), sizes.get(i).get(), Long::sum);
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return sums;
  }

  static long calls(Jedis jedis) {
    long total = 0;
    for (String line : jedis.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String n = line.substring(line.indexOf("calls=") + 6);
        total += Long.parseLong(n.substring(0, n.indexOf(',')));
      }
    }
    return total;
  }

  static double cpu(Jedis jedis) {
    return Double.parseDouble(info(jedis, "cpu", "used_cpu_sys")) + Double.parseDouble(info(jedis, "cpu", "used_cpu_user"));
  }

  static String info(Jedis jedis, String section, String field) {
    for (String line : jedis.info(section).split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return null;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private KeyspaceBenchmark() {
  }
}
