package io.memtrace.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.Jedis;

/**
 * The load run's application, in a JVM of its own and knowing nothing of any agent: each thread
 * owns one Jedis connection and sends {@code SET key value} then {@code GET key} on a key no
 * command used before ({@code load:<thread>:<n>}), until the threads together have sent
 * {@code commands} commands or {@code seconds} have passed, optionally paced to {@code rate}
 * commands per second in total (0: as fast as Redis answers). Prints one {@code RESULT {...}} line.
 *
 * <p>Usage: {@code LoadApp host port threads commands seconds rate valueBytes}
 */
public final class LoadApp {

  private LoadApp() {
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    long commands = Long.parseLong(args[3]);
    double seconds = Double.parseDouble(args[4]);
    double rate = Double.parseDouble(args[5]);
    byte[] value = new byte[Integer.parseInt(args[6])];
    Arrays.fill(value, (byte) 'v');

    CountDownLatch connected = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Worker> workers = new ArrayList<>();
    long pairs = commands / 2;
    for (int t = 0; t < threads; t++) {
      long mine = pairs / threads + (t < pairs % threads ? 1 : 0);
      // the pause between two SET/GET pairs of one thread that keeps the total at `rate`
      long pairNanos = rate > 0 ? (long) (2e9 * threads / rate) : 0;
      Worker w = new Worker(host, port, t, mine, pairNanos, value, connected, go);
      workers.add(w);
      w.start();
    }
    connected.await();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    for (Worker w : workers) {
      w.deadline = deadline;
    }
    go.countDown();
    Histogram all = new Histogram(3_600_000_000_000L, 3);
    long sent = 0;
    long errors = 0;
    for (Worker w : workers) {
      w.join();
      all.add(w.latencies);
      sent += w.sent;
      errors += w.errors;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.println(String.format(Locale.ROOT, "RESULT {\"threads\":%d,\"commands\":%d,\"errors\":%d,"
            + "\"seconds\":%.3f,\"commands_per_s\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"stopped_by_time\":%d}",
        threads, sent, errors, elapsed, sent / elapsed, all.getValueAtPercentile(50) / 1000.0,
        all.getValueAtPercentile(99) / 1000.0, sent < pairs * 2 ? 1 : 0));
    System.out.flush();
  }

  /** One connection, one thread, its own share of the commands and its own keys. */
  private static final class Worker extends Thread {
    final Histogram latencies = new Histogram(3_600_000_000_000L, 3);
    private final String host;
    private final int port;
    private final int index;
    private final long pairs;
    private final long pairNanos;
    private final byte[] value;
    private final CountDownLatch connected;
    private final CountDownLatch go;
    volatile long deadline;
    long sent;
    long errors;

    Worker(String host, int port, int index, long pairs, long pairNanos, byte[] value, CountDownLatch connected,
        CountDownLatch go) {
      super("load-" + index);
      this.host = host;
      this.port = port;
      this.index = index;
      this.pairs = pairs;
      this.pairNanos = pairNanos;
      this.value = value;
      this.connected = connected;
      this.go = go;
    }

    @Override
    public void run() {
      try (Jedis jedis = new Jedis(host, port)) {
        jedis.ping();
        connected.countDown();
        go.await();
        long end = deadline;
        long next = System.nanoTime();
        for (long n = 0; n < pairs; n++) {
          long t0 = System.nanoTime();
          if (t0 - end >= 0) {
            return;
          }
          if (pairNanos > 0) {
            if (next - t0 > 0) {
              LockSupport.parkNanos(next - t0);
              t0 = System.nanoTime();
            }
            next += pairNanos;
          }
          byte[] key = ("load:" + index + ":" + n).getBytes(StandardCharsets.US_ASCII);
          try {
            jedis.set(key, value);
          } catch (RuntimeException e) {
            errors++;
          }
          long t1 = System.nanoTime();
          try {
            jedis.get(key);
          } catch (RuntimeException e) {
            errors++;
          }
          long t2 = System.nanoTime();
          latencies.recordValue(t1 - t0);
          latencies.recordValue(t2 - t1);
          sent += 2;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (connected.getCount() > 0) {
          connected.countDown();
        }
      }
    }
  }
}
