package io.memtrace.collector.timeseries;

import io.memtrace.collector.ingest.IngestListener;
import io.memtrace.collector.report.KeyOperations;
import io.memtrace.collector.store.MemoryConventions;
import io.memtrace.collector.store.SpanRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts key usage from committed spans, interval by interval, for the {@code --timeseries}
 * log of {@code serve}. Totals per key live as long as the server; past {@link #MAX_KEYS} distinct
 * keys new ones are counted as untracked instead of growing the map without bound.
 */
public final class KeyUsageTracker implements IngestListener {

  static final int MAX_KEYS = 200_000;

  /** Lifetime counts of one key. */
  static final class KeyTotals {
    final String namespace;
    long accesses;
    long reads;
    long writes;
    int intervalsSeen;
    long lastInterval = -1;
    boolean ttl;

    KeyTotals(String namespace) {
      this.namespace = namespace;
    }
  }

  /** Counts of the interval in progress. */
  static final class Interval {
    long spans;
    long reads;
    long writes;
    long deletes;
    final Map<String, Long> accesses = new HashMap<>();
    final Map<String, NamespaceCounts> namespaces = new HashMap<>();
  }

  /** Per-namespace counts of one interval. */
  static final class NamespaceCounts {
    long operations;
    long newKeys;
    long bytesWritten;
  }

  private final Map<String, KeyTotals> keys = new HashMap<>();
  private Interval current = new Interval();
  private long intervalIndex;
  private long untracked;

  @Override
  public synchronized void committed(List<SpanRow> spans) {
    for (SpanRow span : spans) {
      current.spans++;
      Object key = MemoryConventions.key(span::attribute);
      if (key == null) {
        continue;
      }
      String operation = KeyOperations.operation(span.attributes());
      KeyOperations.Kind kind = KeyOperations.kind(operation);
      if ("SEARCH".equals(operation)) {
        continue; // a search's key is a pattern, not a key
      }
      Object ns = MemoryConventions.namespace(span::attribute);
      String namespace = ns == null ? "" : ns.toString();
      record(key.toString(), namespace, kind, span);
    }
  }

  private void record(String key, String namespace, KeyOperations.Kind kind, SpanRow span) {
    KeyTotals totals = keys.get(key);
    NamespaceCounts nsCounts = current.namespaces.computeIfAbsent(namespace, n -> new NamespaceCounts());
    nsCounts.operations++;
    if (totals == null) {
      if (keys.size() >= MAX_KEYS) {
        untracked++;
        return;
      }
      totals = new KeyTotals(namespace);
      keys.put(key, totals);
      nsCounts.newKeys++;
    }
    totals.accesses++;
    current.accesses.merge(key, 1L, Long::sum);
    if (totals.lastInterval != intervalIndex) {
      totals.lastInterval = intervalIndex;
      totals.intervalsSeen++;
    }
    Object ttl = span.attribute("memory.ttl");
    if (ttl instanceof Number && ((Number) ttl).longValue() > 0) {
      totals.ttl = true;
    }
    switch (kind) {
      case READ:
        totals.reads++;
        current.reads++;
        break;
      case WRITE:
        totals.writes++;
        current.writes++;
        Object size = span.attribute("memory.value_size");
        if (size instanceof Number) {
          nsCounts.bytesWritten += ((Number) size).longValue();
        }
        break;
      case DELETE:
        current.deletes++;
        break;
      default:
        break;
    }
  }

  /** Ends the interval in progress and returns its statistics. */
  public synchronized IntervalStats roll(long intervalMillis) {
    IntervalStats stats = IntervalStats.of(current, keys, intervalMillis, untracked);
    current = new Interval();
    intervalIndex++;
    return stats;
  }
}
