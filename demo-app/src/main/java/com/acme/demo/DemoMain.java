package com.acme.demo;

import com.acme.memory.MemoryManager;
import com.acme.memory.RedisMemoryManager;
import redis.clients.jedis.JedisPooled;

/**
 * An agent fleet with a layered memory on Redis. By default it runs the demo's scenario once;
 * {@code --load --threads T --seconds S} runs a load instead. Uses {@code REDIS_URL}, or starts
 * an embedded Redis.
 */
public final class DemoMain {

  private DemoMain() {
  }

  public static void main(String[] args) throws Exception {
    boolean load = false;
    int threads = 4;
    int seconds = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--load" -> load = true;
        case "--threads" -> threads = Integer.parseInt(value(args, ++i, "--threads"));
        case "--seconds" -> seconds = Integer.parseInt(value(args, ++i, "--seconds"));
        case "--serve-redis" -> {
          RedisTarget.serveUntilKilled(Integer.parseInt(value(args, ++i, "--serve-redis")));
          return;
        }
        case "--help", "-h" -> {
          System.out.println("usage: java -jar memtrace-demo.jar [--load --threads T --seconds S] | --serve-redis PORT");
          return;
        }
        default -> {
          System.err.println("unknown argument '" + args[i] + "'; try --help");
          System.exit(2);
        }
      }
    }
    try (RedisTarget target = RedisTarget.open();
         JedisPooled redis = new JedisPooled(target.host, target.port)) {
      System.out.println("demo: using " + target.describe());
      MemoryManager memory = new RedisMemoryManager(redis);
      if (load) {
        new LoadRun(memory, threads, seconds).run(System.out);
      } else {
        new Scenario(redis, memory, System.out).run();
      }
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      System.err.println(flag + " needs a value");
      System.exit(2);
    }
    return args[i];
  }
}
