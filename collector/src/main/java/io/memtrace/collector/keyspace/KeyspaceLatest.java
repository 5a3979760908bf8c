package io.memtrace.collector.keyspace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest snapshot of each watched Redis, and the complete one before it, for the time-series
 * lines: each namespace's keyspace figures and its growth per minute between the last two complete
 * passes, with the bound of that growth from the two passes' error bounds. Written by the watchers' threads, read by the time-series writer's.
 */
public final class KeyspaceLatest implements KeyspaceSink {

  private final Map<String, PassSnapshot> latest = new TreeMap<>();
  private final Map<String, PassSnapshot> lastComplete = new TreeMap<>();
  private final Map<String, PassSnapshot> previousComplete = new TreeMap<>();
  private final GrowthRule rule;

  public KeyspaceLatest(GrowthRule rule) {
    this.rule = rule;
  }

  @Override
  public synchronized void accept(PassSnapshot snapshot) {
    latest.put(snapshot.redis(), snapshot);
    if (snapshot.complete() && !snapshot.stale()) {
      PassSnapshot before = lastComplete.put(snapshot.redis(), snapshot);
      if (before != null) {
        previousComplete.put(snapshot.redis(), before);
      }
    }
  }

  /**
   * Adds the keyspace to a time-series line: under {@code namespaces.<ns>.keyspace."host:port/db"}
   * each namespace's figures and growth, under {@code keyspace_servers} each Redis's own figures,
   * and to {@code rapid_growth} the namespaces that grow faster than the {@link GrowthRule}.
   */
  @SuppressWarnings("unchecked")
  public synchronized void addTo(Map<String, Object> line) {
    Map<String, Object> namespaces = (Map<String, Object>) line.computeIfAbsent("namespaces", k -> new TreeMap<>());
    List<Object> rapid = (List<Object>) line.computeIfAbsent("rapid_growth", k -> new ArrayList<>());
    Map<String, Object> servers = new TreeMap<>();
    latest.forEach((redis, snapshot) -> {
      servers.put(redis, server(snapshot.server()));
      Map<String, KeyspaceSample> before = index(previousComplete.get(redis));
      PassSnapshot complete = lastComplete.get(redis);
      Map<String, KeyspaceSample> after = index(complete);
      for (KeyspaceSample s : snapshot.samples()) {
        Map<String, Object> figures = figures(s);
        KeyspaceSample from = before.get(s.db() + "/" + s.namespace());
        KeyspaceSample to = after.get(s.db() + "/" + s.namespace());
        if (from != null && to != null && to.time().isAfter(from.time())) {
          double minutes = Duration.between(from.time(), to.time()).toMillis() / 60_000.0;
          Double bytesPerMinute = from.bytes() == null || to.bytes() == null ? null
              : round((to.bytes() - from.bytes()) / minutes);
          double keysPerMinute = round((to.keys() - from.keys()) / minutes);
          double bytesBound = round(GrowthRule.differenceBound(from.bytesError(), to.bytesError()) / minutes);
          double keysBound = round(GrowthRule.differenceBound(from.keysError(), to.keysError()) / minutes);
          figures.put("bytes_per_min", bytesPerMinute);
          figures.put("bytes_per_min_error", bytesBound);
          figures.put("keys_per_min", keysPerMinute);
          figures.put("keys_per_min_error", keysBound);
          if (rule.rapid(bytesPerMinute, bytesBound, keysPerMinute, keysBound)) {
            Map<String, Object> flag = new LinkedHashMap<>();
            flag.put("namespace", s.namespace());
            flag.put("redis", redis);
            flag.put("db", s.db());
            flag.put("bytes_per_min", bytesPerMinute);
            flag.put("keys_per_min", keysPerMinute);
            flag.put("basis", "keyspace");
            rapid.add(flag);
          }
        }
        Map<String, Object> ns = (Map<String, Object>) namespaces.computeIfAbsent(s.namespace(), k -> new LinkedHashMap<>());
        ((Map<String, Object>) ns.computeIfAbsent("keyspace", k -> new TreeMap<>())).put(redis + "/" + s.db(), figures);
      }
    });
    line.put("keyspace_servers", servers);
  }

  private static Map<String, KeyspaceSample> index(PassSnapshot snapshot) {
    Map<String, KeyspaceSample> byKey = new LinkedHashMap<>();
    if (snapshot != null) {
      snapshot.samples().forEach(s -> byKey.put(s.db() + "/" + s.namespace(), s));
    }
    return byKey;
  }

  private static Map<String, Object> figures(KeyspaceSample s) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("time", s.time().toString());
    f.put("layer", s.layer());
    f.put("sampled", s.sampled());
    f.put("keys", s.keys());
    f.put("keys_error", s.keysError());
    f.put("scanned_keys", s.scannedKeys());
    f.put("bytes", s.bytes());
    f.put("bytes_error", s.bytesError());
    f.put("sampled_keys", s.sampledKeys());
    f.put("keys_without_ttl", s.keysWithoutTtl());
    f.put("keys_without_ttl_error", s.keysWithoutTtlError());
    f.put("ttl_p50_s", s.ttlP50());
    f.put("idle_p50_s", s.idleP50());
    f.put("types", s.types());
    f.put("complete", s.complete());
    f.put("stale", s.stale());
    return f;
  }

  private static Map<String, Object> server(ServerSample v) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("time", v.time().toString());
    f.put("used_memory", v.usedMemory());
    f.put("maxmemory", v.maxmemory());
    f.put("maxmemory_policy", v.maxmemoryPolicy());
    f.put("evicted_keys", v.evictedKeys());
    f.put("expired_keys", v.expiredKeys());
    f.put("keyspace_hits", v.keyspaceHits());
    f.put("keyspace_misses", v.keyspaceMisses());
    f.put("keys", v.keys());
    f.put("pass_seconds", round(v.passSeconds()));
    f.put("pass_commands", v.passCommands());
    f.put("complete", v.complete());
    f.put("stale", v.stale());
    f.put("error", v.error());
    return f;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
