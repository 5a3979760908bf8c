package io.memtrace.collector.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's spans with what the writer needs of each worked out beforehand, on the request's own
 * thread: the keys the {@link DedupWindow} looks up, the {@link PromotedAttributes} column values, and
 * the attribute types the request holds. The writer is one thread for every request, and under a load
 * run at 40k spans/s it was the collector's bottleneck; these three took half of its time in Java.
 */
final class PreparedSpans {

  final List<SpanRow> rows;
  /** {@link DedupWindow#spanKey} and {@link DedupWindow#traceKey} of each row; a span key of 0 is never a repeat. */
  final long[] spanKeys;
  final long[] traceKeys;
  /** The promoted columns' values, row after row, {@link PromotedAttributes#COLUMNS} long each. */
  final Object[] promoted;
  /** Each attribute key of these rows, with the {@link AttributeTypes#typeOf types} its values have. */
  final Map<String, Set<String>> types;

  private PreparedSpans(PreparedSpans prepared, Map<String, Set<String>> types) {
    this.rows = prepared.rows;
    this.spanKeys = prepared.spanKeys;
    this.traceKeys = prepared.traceKeys;
    this.promoted = prepared.promoted;
    this.types = types;
  }

  private PreparedSpans(List<SpanRow> rows) {
    this.rows = rows;
    int n = rows.size();
    int columns = PromotedAttributes.COLUMNS.size();
    spanKeys = new long[n];
    traceKeys = new long[n];
    promoted = new Object[n * columns];
    types = new HashMap<>();
    // the type last added for a key: spans of one request mostly agree, and this skips the set
    Map<String, String> lastType = new HashMap<>();
    int narrowKeys = 0; // the attributes the narrow rows have, a bit each by their place in KeyEventRows' order
    for (int i = 0; i < n; i++) {
      SpanRow row = rows.get(i);
      long spanKey = DedupWindow.spanKey(row.traceId(), row.spanId());
      spanKeys[i] = spanKey;
      traceKeys[i] = spanKey == 0 ? 0 : DedupWindow.traceKey(row.traceId());
      if (row.attributesJson() == null) {
        // a compact key event kept narrow (KeyEventRows.keptNarrow): a key event's attributes, of their types, which
        // are their promoted columns' values as they are
        for (Map.Entry<String, Object> e : row.attributes().entrySet()) {
          int at = KeyEventRows.index(e.getKey());
          narrowKeys |= 1 << at;
          if (KeyEventRows.PROMOTED[at] >= 0) {
            promoted[i * columns + KeyEventRows.PROMOTED[at]] = e.getValue();
          }
        }
        continue;
      }
      for (Map.Entry<String, Object> e : row.attributes().entrySet()) {
        String key = e.getKey();
        String type = AttributeTypes.typeOf(e.getValue());
        if (!type.equals(lastType.put(key, type))) {
          types.computeIfAbsent(key, k -> new HashSet<>(4)).add(type);
        }
        int column = PromotedAttributes.indexOf(key);
        if (column >= 0) {
          promoted[i * columns + column] = PromotedAttributes.value(PromotedAttributes.COLUMNS.get(column), row.attributes());
        }
      }
    }
    for (int at = 0; narrowKeys != 0; at++, narrowKeys >>>= 1) {
      if ((narrowKeys & 1) != 0) {
        types.computeIfAbsent(KeyEventRows.key(at), k -> new HashSet<>(4)).add(KeyEventRows.TYPES[at]);
      }
    }
  }

  static PreparedSpans of(List<SpanRow> rows) {
    return new PreparedSpans(rows);
  }

  /** These spans with other attribute types: how a test puts a failure on the writer's thread. */
  PreparedSpans withTypes(Map<String, Set<String>> other) {
    return new PreparedSpans(this, other);
  }

  int size() {
    return rows.size();
  }
}
