package com.acme.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/** {@link MemoryManager} on Redis: one string key per document, {@code partition:key}. */
public final class RedisMemoryManager implements MemoryManager {

  private final JedisPooled redis;
  private final ObjectMapper json = new ObjectMapper();

  public RedisMemoryManager(JedisPooled redis) {
    this.redis = redis;
  }

  @Override
  public void store(String key, Object value, StoreOptions options) {
    String document;
    try {
      document = json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value for " + key + " cannot be written as JSON", e);
    }
    SetParams params = options.ttl() > 0 ? SetParams.setParams().ex(options.ttl()) : SetParams.setParams();
    redis.set(redisKey(options.partition(), key), document, params);
  }

  @Override
  public String retrieve(String key, String partition) {
    return redis.get(redisKey(partition, key));
  }

  @Override
  public List<String> search(String pattern, String partition) {
    String match = redisKey(partition, pattern.replace('%', '*'));
    List<String> keys = new ArrayList<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = redis.scan(cursor, new ScanParams().match(match).count(100));
      for (String k : page.getResult()) {
        keys.add(k.substring(partition.length() + 1));
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    keys.sort(null);
    return keys;
  }

  @Override
  public boolean delete(String key, String partition) {
    return redis.del(redisKey(partition, key)) > 0;
  }

  static String redisKey(String partition, String key) {
    return partition + ":" + key;
  }
}
