package io.memtrace.collector.redis;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The key clean-up of {@code clean}: keys matching a glob, optionally only those without a TTL. */
public final class KeyCleaner {

  private static final int BATCH = 500;

  private final Jedis jedis;

  public KeyCleaner(Jedis jedis) {
    this.jedis = jedis;
  }

  /** The matching keys, found with SCAN. */
  public List<byte[]> find(String pattern, boolean noTtlOnly) {
    List<byte[]> keys = new ArrayList<>();
    byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
    ScanParams params = new ScanParams().match(pattern).count(BATCH);
    do {
      ScanResult<byte[]> page = jedis.scan(cursor, params);
      for (byte[] key : page.getResult()) {
        if (!noTtlOnly || jedis.pttl(key) == -1) {
          keys.add(key);
        }
      }
      cursor = page.getCursorAsBytes();
    } while (!ScanParams.SCAN_POINTER_START.equals(new String(cursor, java.nio.charset.StandardCharsets.US_ASCII)));
    return keys;
  }

  /** Deletes the keys with UNLINK (freed in the background) and returns how many existed. */
  public long delete(List<byte[]> keys) {
    long deleted = 0;
    for (int from = 0; from < keys.size(); from += BATCH) {
      deleted += jedis.unlink(keys.subList(from, Math.min(keys.size(), from + BATCH)).toArray(new byte[0][]));
    }
    return deleted;
  }
}
