package com.acme.chat;

import java.time.Duration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/** What the assistant remembers of a user between sessions: a name with a TTL and a hash of preferences. */
@Service
public class ProfileCache {

  private final StringRedisTemplate redis;

  public ProfileCache(StringRedisTemplate redis) {
    this.redis = redis;
  }

  public void rememberName(String user, String name, Duration ttl) {
    redis.opsForValue().set("profile:" + user + ":name", name, ttl);
  }

  /** The name, or {@code null} when none is cached. */
  public String name(String user) {
    return redis.opsForValue().get("profile:" + user + ":name");
  }

  public void prefer(String user, String setting, String value) {
    redis.opsForHash().put("profile:" + user + ":prefs", setting, value);
  }

  public Object preference(String user, String setting) {
    return redis.opsForHash().get("profile:" + user + ":prefs", setting);
  }

  public boolean forget(String user) {
    return Boolean.TRUE.equals(redis.delete("profile:" + user + ":name"));
  }
}
