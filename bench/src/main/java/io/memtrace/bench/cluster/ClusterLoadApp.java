package io.memtrace.bench.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * The application side of the cluster pairing run ({@code ClusterPairingRun}): threads of one {@code JedisCluster}
 * write keys of their own and read each back at once, checked against the value just written, so a
 * reply given to the wrong command shows as a mispaired read. A value's length depends on the write, so a span
 * paired with the wrong reply shows a wrong {@code memory.value_size} too. Prints {@code progress N} as it goes.
 * Usage: ClusterLoadApp host port commands threads
 */
public final class ClusterLoadApp {

  static final int KEYS_PER_THREAD = 2000;

  private ClusterLoadApp() {
  }

  public static void main(String[] args) throws Exception {
    Set<HostAndPort> seeds = new HashSet<>(List.of(new HostAndPort(args[0], Integer.parseInt(args[1]))));
    long commands = Long.parseLong(args[2]);
    int threads = Integer.parseInt(args[3]);
    AtomicLong done = new AtomicLong();
    AtomicLong mispaired = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    try (JedisCluster cluster = new JedisCluster(seeds, DefaultJedisClientConfig.builder().build(), 50,
        java.time.Duration.ofSeconds(60))) {
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread worker = new Thread(() -> run(cluster, thread, commands / threads, done, mispaired, failures),
            "load-" + t);
        workers.add(worker);
        worker.start();
      }
      long next = commands / 20;
      while (workers.stream().anyMatch(Thread::isAlive)) {
        Thread.sleep(50);
        if (done.get() >= next) {
          System.out.println("progress " + done.get());
          next += commands / 20;
        }
      }
      for (Thread worker : workers) {
        worker.join();
      }
    }
    System.out.println("commands=" + done.get() + " mispaired=" + mispaired.get() + " failures=" + failures.get());
  }

  /** Writes and reads back in turn; a command that failed (the cluster mid-failover) is tried again. */
  private static void run(JedisCluster cluster, int thread, long commands, AtomicLong done, AtomicLong mispaired,
      AtomicLong failures) {
    for (long i = 0; i < commands; ) {
      int slot = (int) ((i / 2) % KEYS_PER_THREAD);
      // thread 0's keys share one hash slot, the one the run reshards: a long window of ASK redirections
      String key = (thread == 0 ? "{load-0}:" : "load:" + thread + ":") + slot;
      try {
        if (i % 2 == 0) {
          cluster.set(key, value(thread, i));
        } else if (!value(thread, i - 1).equals(cluster.get(key))) {
          mispaired.incrementAndGet();
        }
        i++;
        done.incrementAndGet();
      } catch (RuntimeException e) {
        if (failures.incrementAndGet() <= 5) {
          System.out.println("failure " + e);
        }
      }
    }
  }

  /** A value whose length (10 to 73 bytes) changes from one write to the next. */
  static String value(int thread, long i) {
    StringBuilder value = new StringBuilder().append(thread).append(':').append(i).append(':');
    for (int pad = (int) (i % 64); pad > 0; pad--) {
      value.append('x');
    }
    while (value.length() < 10) {
      value.append('.');
    }
    return value.toString();
  }
}
