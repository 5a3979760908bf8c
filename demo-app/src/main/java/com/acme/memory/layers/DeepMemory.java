package com.acme.memory.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.JedisPooled;

/** Layer 3: long-lived memories with tags, found again by tag and text. */
public final class DeepMemory {

  private final JedisPooled redis;

  public DeepMemory(JedisPooled redis) {
    this.redis = redis;
  }

  /** Stores a memory and returns its id. */
  public String create(String text, List<String> tags) {
    long id = redis.incr("deep:next-id");
    String key = "deep:memory:" + id;
    redis.hset(key, Map.of("text", text, "tags", String.join(",", tags)));
    for (String tag : tags) {
      redis.sadd("deep:tag:" + tag, key);
    }
    return key;
  }

  /** Memories carrying every tag whose text contains {@code query} (case-insensitive), at most {@code limit}. */
  public List<String> search(String query, List<String> tags, int limit) {
    String[] tagKeys = tags.stream().map(t -> "deep:tag:" + t).toArray(String[]::new);
    Set<String> candidates = redis.sinter(tagKeys);
    List<String> found = new ArrayList<>();
    for (String key : candidates.stream().sorted().toList()) {
      String text = redis.hget(key, "text");
      if (text != null && text.toLowerCase().contains(query.toLowerCase()) && found.size() < limit) {
        found.add(text);
      }
    }
    return found;
  }
}
