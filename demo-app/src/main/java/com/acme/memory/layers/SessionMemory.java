package com.acme.memory.layers;

import java.util.List;
import redis.clients.jedis.JedisPooled;

/** Layer 1: the messages of one working session, in order, kept for a day. */
public final class SessionMemory {

  private static final long TTL_SECONDS = 86_400;
  private final JedisPooled redis;

  public SessionMemory(JedisPooled redis) {
    this.redis = redis;
  }

  /** Appends a message; returns how many the session now holds. */
  public long addMessage(String sessionId, String role, String content) {
    String key = "session:" + sessionId + ":messages";
    long count = redis.rpush(key, role + ": " + content);
    redis.expire(key, TTL_SECONDS);
    return count;
  }

  public List<String> messages(String sessionId) {
    return redis.lrange("session:" + sessionId + ":messages", 0, -1);
  }
}
