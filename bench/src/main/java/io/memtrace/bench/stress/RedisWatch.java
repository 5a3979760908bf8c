package io.memtrace.bench.stress;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * Polls Redis's {@code used_memory} twice a second from the harness (never through the agent), so
 * each sample of the application can carry Redis's memory at that time.
 */
final class RedisWatch implements AutoCloseable {

  private final List<long[]> points = new ArrayList<>(); // {epoch ms, bytes}
  private final Thread thread;
  private volatile boolean running = true;

  RedisWatch(String host, int port) {
    thread = new Thread(() -> poll(host, port), "stress-redis-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll(String host, int port) {
    while (running) {
      try (Jedis jedis = new Jedis(host, port)) {
        while (running) {
          long used = usedMemory(jedis.info("memory"));
          synchronized (points) {
            points.add(new long[] {System.currentTimeMillis(), used});
          }
          Thread.sleep(500);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        sleepQuietly(); // Redis busy or restarting: try again
      }
    }
  }

  static long usedMemory(String info) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    return -1;
  }

  /** Redis's used memory in MiB at the last poll at or before {@code t}; NaN before the first. */
  double usedMbAt(long t) {
    synchronized (points) {
      double mb = Double.NaN;
      for (long[] p : points) {
        if (p[0] > t) {
          break;
        }
        mb = p[1] / 1048576.0;
      }
      return mb;
    }
  }

  /** The highest used memory seen, in MiB. */
  double peakMb() {
    synchronized (points) {
      return points.stream().mapToLong(p -> p[1]).max().orElse(-1) / 1048576.0;
    }
  }

  /** The first used memory seen, in MiB. */
  double firstMb() {
    synchronized (points) {
      return points.isEmpty() ? Double.NaN : points.get(0)[1] / 1048576.0;
    }
  }

  List<Sample> annotate(List<Sample> samples) {
    List<Sample> out = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      out.add(s.withRedisUsedMb(usedMbAt(s.t())));
    }
    return out;
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
