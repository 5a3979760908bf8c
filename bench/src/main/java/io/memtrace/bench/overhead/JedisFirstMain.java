package io.memtrace.bench.overhead;

import redis.clients.jedis.Jedis;

/**
 * The second start-up probe: a main whose first act is a Redis command, as a service that reads
 * its settings or warms a cache from Redis at start does. Under an agent that instruments Jedis,
 * that command waits for whatever the agent must have ready before Jedis's classes may load; a
 * trivial main never meets that wait. It prints the wall-clock time of its first reply, which the
 * harness sets against the moment it started the process, and the CPU time the process had used by
 * then; from a shutdown hook, as late as it can, its peak RSS and CPU time.
 *
 * <p>Usage: {@code JedisFirstMain host port}
 */
public final class JedisFirstMain {

  private JedisFirstMain() {
  }

  public static void main(String[] args) {
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        System.out.println("RESULT {\"peak_rss_kb\":" + ProcStatus.kilobytes("VmHWM")
            + ",\"exit_cpu_s\":" + ProcStatus.cpuSeconds() + "}")));
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      jedis.set("startup:probe", "1");
      long firstReply = System.currentTimeMillis();
      double firstReplyCpu = ProcStatus.cpuSeconds();
      jedis.get("startup:probe");
      System.out.println("RESULT {\"first_reply_epoch_ms\":" + firstReply + ",\"first_reply_cpu_s\":"
          + firstReplyCpu + "}");
    }
  }
}
