package io.memtrace.collector.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.Jedis;

/** One real redis-server per test class, and a connection to it. */
abstract class RedisTestBase {

  static TestRedis redis;
  static Jedis jedis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = TestRedis.start();
    jedis = new Jedis(redis.host, redis.port);
  }

  @AfterAll
  static void stopRedis() throws Exception {
    jedis.close();
    redis.close();
  }
}
