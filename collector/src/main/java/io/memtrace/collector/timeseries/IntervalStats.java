package io.memtrace.collector.timeseries;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One line of the key-usage time series, as the ordered map that becomes its JSON. */
public final class IntervalStats {

  static final int TOP_KEYS = 10;
  /** A key seen in this many intervals is reported as persistent (the log's "repeated keys"). */
  static final int PERSISTENT_INTERVALS = 3;

  private static final KeyUsageTracker.NamespaceCounts IDLE = new KeyUsageTracker.NamespaceCounts();

  final Map<String, Object> line;
  final Map<String, Long> newKeysByNamespace;

  private IntervalStats(Map<String, Object> line, Map<String, Long> newKeysByNamespace) {
    this.line = line;
    this.newKeysByNamespace = newKeysByNamespace;
  }

  public Map<String, Object> line() {
    return line;
  }

  static IntervalStats of(KeyUsageTracker.Interval interval, Map<String, KeyUsageTracker.KeyTotals> keys,
      long intervalMillis, long untracked) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.now().toString());
    line.put("interval_seconds", intervalMillis / 1000.0);
    line.put("spans", interval.spans);
    line.put("reads", interval.reads);
    line.put("writes", interval.writes);
    line.put("deletes", interval.deletes);
    line.put("keys_active", interval.accesses.size());
    line.put("keys_total", keys.size());
    line.put("keys_untracked", untracked);

    List<Map.Entry<String, Long>> top = new ArrayList<>(interval.accesses.entrySet());
    top.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    List<Map<String, Object>> topKeys = new ArrayList<>();
    for (Map.Entry<String, Long> e : top.subList(0, Math.min(TOP_KEYS, top.size()))) {
      Map<String, Object> k = new LinkedHashMap<>();
      k.put("key", e.getKey());
      k.put("namespace", keys.get(e.getKey()).namespace);
      k.put("accesses", e.getValue());
      topKeys.add(k);
    }
    line.put("top_keys", topKeys);

    long singleAccess = 0;
    long writtenNeverRead = 0;
    long noTtl = 0;
    List<String> persistent = new ArrayList<>();
    // per namespace of the tracked keys: written never read, without TTL (bounded as the keys are)
    Map<String, long[]> lifetime = new HashMap<>();
    for (Map.Entry<String, KeyUsageTracker.KeyTotals> e : keys.entrySet()) {
      KeyUsageTracker.KeyTotals t = e.getValue();
      singleAccess += t.accesses == 1 ? 1 : 0;
      long neverRead = t.writes > 0 && t.reads == 0 ? 1 : 0;
      long withoutTtl = t.writes > 0 && !t.ttl ? 1 : 0;
      writtenNeverRead += neverRead;
      noTtl += withoutTtl;
      long[] ns = lifetime.computeIfAbsent(t.namespace, n -> new long[2]);
      ns[0] += neverRead;
      ns[1] += withoutTtl;
      if (t.intervalsSeen >= PERSISTENT_INTERVALS && interval.accesses.containsKey(e.getKey())) {
        persistent.add(e.getKey());
      }
    }
    persistent.sort(Comparator.naturalOrder());
    line.put("single_access_keys", singleAccess);
    line.put("written_never_read_keys", writtenNeverRead);
    line.put("keys_without_ttl", noTtl);
    line.put("persistent_keys", persistent.subList(0, Math.min(TOP_KEYS, persistent.size())));

    Map<String, Object> namespaces = new TreeMap<>();
    Map<String, Long> newKeys = new TreeMap<>();
    interval.namespaces.forEach((name, counts) -> {
      newKeys.put(name, counts.newKeys);
      lifetime.putIfAbsent(name, new long[2]); // its keys may all be untracked
    });
    // every namespace with tracked keys is listed, with or without operations, so an idle leak stays in sight
    lifetime.forEach((name, totals) -> {
      KeyUsageTracker.NamespaceCounts counts = interval.namespaces.getOrDefault(name, IDLE);
      Map<String, Object> ns = new LinkedHashMap<>();
      ns.put("operations", counts.operations);
      ns.put("new_keys", counts.newKeys);
      ns.put("bytes_written", counts.bytesWritten);
      ns.put("written_never_read_keys", totals[0]);
      ns.put("keys_without_ttl", totals[1]);
      namespaces.put(name, ns);
    });
    line.put("namespaces", namespaces);
    return new IntervalStats(line, newKeys);
  }
}
