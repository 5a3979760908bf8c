package io.memtrace.bench.stress;

import io.memtrace.bench.load.CollectorProcess;
import io.memtrace.bench.overhead.LocalRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What one scenario runs against, all on loopback: a real redis-server, a real
 * {@code memtrace-collector serve} with a fresh store and a 1-second time series, and the
 * {@link FaultProxy} in front of it that the agent exports to. The collector can be stopped and
 * started again on the same port and store, as an operator would restart a sidecar.
 */
final class Rig implements AutoCloseable {

  static final List<String> SERVE_ARGS = List.of("--timeseries-interval", "1s");
  /**
   * The collector shares the application's two cores here (in production a sidecar has CPU of its
   * own), so it runs at a niceness ({@code collector-nice} in bench/stress.yaml: 10 in the measured
   * modes) to yield where it can. That does not remove its cost to the application's p99
   * (docs/history/performance-2026-11-23-to-26.md, the stress suite on 2026-11-24); the idle scheduling class did not
   * either, and starved it while the application ran flat out.
   */
  private static List<String> nice(int niceness) {
    return niceness > 0 && Files.isExecutable(java.nio.file.Paths.get("/usr/bin/nice"))
        ? List.of("/usr/bin/nice", "-n", String.valueOf(niceness)) : List.of();
  }

  final LocalRedis redis;
  final RedisWatch redisWatch;
  final FaultProxy proxy;
  final Path dir;
  private final Layout layout;
  private final int collectorPort;
  private final List<String> nice;
  private CollectorProcess collector;

  private Rig(Layout layout, Path dir, LocalRedis redis, CollectorProcess collector, FaultProxy proxy,
      List<String> nice) {
    this.layout = layout;
    this.nice = nice;
    this.dir = dir;
    this.redis = redis;
    this.collector = collector;
    this.collectorPort = collector.url.getPort();
    this.proxy = proxy;
    this.redisWatch = new RedisWatch(redis.host, redis.port);
  }

  static Rig start(Layout layout, Path dir, List<String> redisSettings, int niceness)
      throws IOException, InterruptedException {
    List<String> nice = nice(niceness);
    Files.createDirectories(dir);
    LocalRedis redis = LocalRedis.start(null, redisSettings);
    CollectorProcess collector = null;
    try {
      collector = CollectorProcess.start(layout.collectorJar(), data(dir), serveArgs(dir), dir.resolve("collector.log"),
          CollectorProcess.freeLoopbackPort(), nice);
      return new Rig(layout, dir, redis, collector, FaultProxy.start(collector.url), nice);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (collector != null) {
        collector.close();
      }
      redis.close();
      throw e;
    }
  }

  private static Path data(Path dir) {
    return dir.resolve("collector-data");
  }

  private static List<String> serveArgs(Path dir) {
    List<String> args = new java.util.ArrayList<>(SERVE_ARGS);
    args.add(0, dir.resolve("timeseries.jsonl").toString());
    args.add(0, "--timeseries");
    return args;
  }

  Path timeseries() {
    return dir.resolve("timeseries.jsonl");
  }

  Path data() {
    return data(dir);
  }

  String redisAddress() {
    return redis.host + ":" + redis.port;
  }

  CollectorProcess collector() {
    return collector;
  }

  /** Stops serve as Ctrl-C would (it commits what it acknowledged and exits). */
  void stopCollector() throws IOException, InterruptedException {
    collector.stop();
  }

  /** Starts serve again on the same port and store. */
  void startCollector() throws IOException, InterruptedException {
    collector = CollectorProcess.start(layout.collectorJar(), data(dir), serveArgs(dir), dir.resolve("collector.log"),
        collectorPort, nice);
  }

  @Override
  public void close() throws IOException {
    redisWatch.close();
    proxy.close();
    collector.close();
    redis.close();
  }
}
