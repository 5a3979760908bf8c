package io.memtrace.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class's one Redis ({@link TestRedis#start()}: {@code REDIS_URL}, or a server of its own), started before
 * the class's first test, its own {@code @BeforeAll} methods included, and stopped after its last. Test classes
 * run one after another in a JVM, so the one field serves each in turn.
 */
public abstract class TestRedisPerClass {

  protected static TestRedis redis;

  @BeforeAll
  static void startTestRedis() throws Exception {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopTestRedis() throws Exception {
    redis.close();
  }
}
