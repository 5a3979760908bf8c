package io.memtrace.collector.it;

import io.memtrace.testsupport.TestRedisPerClass;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.Jedis;

/** One real redis-server per test class, and a connection to it. */
abstract class RedisTestBase extends TestRedisPerClass {

  static Jedis jedis;

  @BeforeAll
  static void connectJedis() {
    jedis = new Jedis(redis.host, redis.port);
  }

  @AfterAll
  static void closeJedis() {
    jedis.close();
  }

  /** Calls per command since the server started (or since CONFIG RESETSTAT), from Redis's own INFO commandstats. */
  static Map<String, Long> commandCalls(Jedis jedis) {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : jedis.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring(8, line.indexOf(':'));
        String n = line.substring(line.indexOf("calls=") + 6);
        calls.put(name, Long.parseLong(n.substring(0, n.indexOf(','))));
      }
    }
    return calls;
  }
}
