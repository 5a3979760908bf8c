package io.memtrace.collector.bench;

import io.memtrace.collector.keyspace.notify.NotifyFlags;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Not a test: the keyspace watcher's CPU for sustained expiries (issue 50's target: 10,000 expiries a second cost the
 * watcher at most 10 % of one core). A load thread writes keys of a watched namespace ({@code session:bench:N}) with
 * a 1 ms TTL at {@code rate} a second, so Redis expires about that many a second; the real collector ({@code java
 * -jar memtrace-collector.jar watch --data DIR}, its own JVM) watches meanwhile in three settings side by side, in
 * turn within each round: the server sending nothing (the watcher idle but for its passes: the baseline), sending
 * expiries only ({@code Ex}: one notification per key) and sending everything the watcher asks for under {@code on}
 * ({@code Eg$lshzxet}: set, expire and expired, three per key). The watcher's CPU is read from /proc over a
 * window after a warm-up; what notifications cost is the difference from the baseline of the same round.
 * Run (the Redis is flushed!): {@code redis-server --port 6399 --save '' --appendonly no}, then {@code java -cp
 * collector/target/test-classes:test-support/target/classes:collector/target/memtrace-collector.jar
 * io.memtrace.collector.bench.NotificationBenchmark redis://127.0.0.1:6399 [rate=10000] [window s=20] [rounds=2]
 * [watch options]}.
 */
public final class NotificationBenchmark {

  static final double WARMUP_SECONDS = 6;

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    double window = args.length > 2 ? Double.parseDouble(args[2]) : 20;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    List<String> extra = args.length > 4 ? List.of(args).subList(4, args.length) : List.of();
    String[][] settings = {{"none", ""}, {"expired", "Ex"}, {"all", NotifyFlags.NEEDED}};
    try (Jedis jedis = new Jedis(uri.getHost(), uri.getPort(), 60_000)) {
      jedis.flushAll();
      System.out.printf(Locale.ROOT, "Redis %s; %d keys a second with a 1 ms TTL; %.0f s windows after %.0f s; "
          + "watch options %s%n", KeyspaceBenchmark.info(jedis, "server", "redis_version"), rate, window,
          WARMUP_SECONDS, extra);
      double[][] cores = new double[settings.length][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int s = 0; s < settings.length; s++) {
          jedis.configSet("notify-keyspace-events", settings[s][1]);
          cores[s][r] = measure(uri, jedis, rate, window, extra, settings[s][0]);
        }
      }
      for (int s = 1; s < settings.length; s++) {
        double[] extraCores = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          extraCores[r] = cores[s][r] - cores[0][r];
        }
        System.out.printf(Locale.ROOT, "notifications '%s': %.1f %% of a core above the baseline (median of %d "
            + "rounds; each %s)%n", settings[s][0], 100 * KeyspaceBenchmark.median(extraCores), rounds,
            java.util.Arrays.toString(java.util.Arrays.stream(extraCores).map(c -> Math.round(c * 1000) / 10.0).toArray()));
      }
    }
  }

  /** One watcher's CPU, as a share of a core, over the window while the load runs. */
  private static double measure(URI uri, Jedis jedis, int rate, double window, List<String> extra, String name)
      throws Exception {
    Path data = ScratchStore.create("bench-notify-");
    AtomicBoolean loading = new AtomicBoolean(true);
    Thread load = new Thread(() -> load(uri, rate, loading), "bench-expiries");
    load.start();
    List<String> args = new ArrayList<>(List.of("--redis", uri.toString(), "--interval",
        (int) (WARMUP_SECONDS + window + 30) + "s", "--passes", "2", "--data", data.toString()));
    args.addAll(extra);
    String loadAverage = KeyspaceBenchmark.loadAverage();
    WatcherProcess watcher = WatcherProcess.watch(args);
    Thread.sleep((long) (WARMUP_SECONDS * 1000));
    double cpu0 = watcher.cpuSeconds();
    double redis0 = KeyspaceBenchmark.cpu(jedis);
    long expired0 = Long.parseLong(KeyspaceBenchmark.info(jedis, "stats", "expired_keys"));
    long t0 = System.nanoTime();
    Thread.sleep((long) (window * 1000));
    double cpu = watcher.cpuSeconds() - cpu0;
    double seconds = (System.nanoTime() - t0) / 1e9;
    long expired = Long.parseLong(KeyspaceBenchmark.info(jedis, "stats", "expired_keys")) - expired0;
    double redis = KeyspaceBenchmark.cpu(jedis) - redis0;
    watcher.stop();
    loading.set(false);
    load.join();
    System.out.printf(Locale.ROOT, "  %-8s %,.0f expiries/s; the watcher's JVM %.2f s of CPU in %.1f s = %.1f %% of a "
        + "core; Redis %.1f %% of a core (load average %s)%n", name, expired / seconds, cpu, seconds,
        100 * cpu / seconds, 100 * redis / seconds, loadAverage);
    return cpu / seconds;
  }

  /** Keys with a 1 ms TTL, {@code rate} a second in pipelines every 10 ms. */
  private static void load(URI uri, int rate, AtomicBoolean loading) {
    try (Jedis jedis = new Jedis(uri.getHost(), uri.getPort())) {
      long n = 0;
      long next = System.nanoTime();
      int perTick = Math.max(1, rate / 100);
      while (loading.get()) {
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < perTick; i++) {
          p.psetex("session:bench:" + n++, 1, "v");
        }
        p.sync();
        next += 10_000_000L;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
