package io.memtrace.collector.truth;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * Evictions on demand: a {@code maxmemory} just above what Redis holds, under LRU or LFU, and large values written by
 * the untraced client into database 0 (no scenario's) until Redis has evicted a few keys, whichever they are; then no
 * limit again and the filler gone. Large values, so that a few writes do it and the notifications stay few.
 */
final class MemoryPressure {

  private static final String FILLER = "x".repeat(64 * 1024);

  private MemoryPressure() {
  }

  static void evict(Jedis untraced, String policy) {
    untraced.select(0);
    long evicted = stat(untraced.info("stats"), "evicted_keys");
    untraced.configSet("maxmemory-policy", policy);
    untraced.configSet("maxmemory", String.valueOf(stat(untraced.info("memory"), "used_memory") + 256 * 1024));
    List<String> written = new ArrayList<>();
    try {
      for (int i = 0; i < 40 && stat(untraced.info("stats"), "evicted_keys") < evicted + 3; i++) {
        String key = "filler:" + System.nanoTime();
        untraced.set(key, FILLER);
        written.add(key);
      }
    } finally {
      untraced.configSet("maxmemory", "0");
      if (!written.isEmpty()) {
        untraced.del(written.toArray(new String[0]));
      }
    }
  }

  private static long stat(String info, String name) {
    return info.lines().filter(l -> l.startsWith(name + ":")).findFirst()
        .map(l -> Long.parseLong(l.substring(name.length() + 1).strip())).orElseThrow();
  }
}
