package com.acme.memory.layers;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.JedisPooled;

/** Layer 2: short-lived results with a TTL, indexed by time so recent windows can be read back. */
public final class CacheMemory {

  private static final String INDEX = "cache:index";
  private final JedisPooled redis;

  public CacheMemory(JedisPooled redis) {
    this.redis = redis;
  }

  public void put(String key, String value, long ttlSeconds) {
    redis.setex("cache:" + key, ttlSeconds, value);
    redis.zadd(INDEX, System.currentTimeMillis(), key);
  }

  /** The cached value, or {@code null} when it expired or was never cached. */
  public String get(String key) {
    return redis.get("cache:" + key);
  }

  /** Keys cached within the last {@code hours} that are still alive. */
  public List<String> recent(int hours) {
    long since = System.currentTimeMillis() - hours * 3_600_000L;
    List<String> alive = new ArrayList<>();
    for (String key : redis.zrangeByScore(INDEX, since, Double.POSITIVE_INFINITY)) {
      if (redis.exists("cache:" + key)) {
        alive.add(key);
      }
    }
    return alive;
  }
}
