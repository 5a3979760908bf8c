package io.memtrace.collector.travel;

import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.timeline.NotificationCauses;
import io.memtrace.collector.values.CapturedValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One key's rows: its base, its captured values and its other changes, turned into {@link Step}s in time order. A
 * traced write whose value was captured is that value's step (its TTL goes with the value); a notification a traced
 * command accounts for is that command's (one of each kind per command, of its key, from
 * {@link NotificationCauses#BEFORE_US} before it began to {@link NotificationCauses#AFTER_US} after it ended, the
 * nearest first); every other change is a step of its own.
 */
final class KeyHistory {

  final String namespace;
  final List<CapturedValue> values = new ArrayList<>(2);
  final List<KeyChange> changes = new ArrayList<>(2);
  KeyFold fold;

  KeyHistory(String namespace) {
    this.namespace = namespace;
  }

  List<Step> steps() {
    List<Step> steps = new ArrayList<>(values.size() + changes.size());
    Map<String, KeyChange> writes = new HashMap<>();
    for (KeyChange c : changes) {
      if (c.span() && (c.kind().equals("write") || c.kind().equals("delete"))) {
        writes.put(c.spanId(), c);
      }
    }
    Set<String> captured = new HashSet<>();
    for (CapturedValue v : values) {
      KeyChange command = writes.get(v.spanId());
      captured.add(v.spanId());
      steps.add(new Step(Rebuild.micros(v.time()), 0, v, null, command == null ? null : command.ttl()));
    }
    Set<String> used = new HashSet<>();
    List<KeyChange> spans = new ArrayList<>(changes.stream().filter(KeyChange::span).toList());
    spans.sort(Comparator.comparingLong(KeyChange::endUs));
    long longest = spans.stream().mapToLong(c -> c.endUs() - c.timeUs()).max().orElse(0);
    for (KeyChange c : changes) {
      if (c.span() ? !((c.kind().equals("write") || c.kind().equals("delete")) && captured.contains(c.spanId()))
          : !accounted(c, spans, longest, used)) {
        steps.add(new Step(c.endUs(), c.span() ? 1 : 2, null, c, null));
      }
    }
    steps.sort(Comparator.comparingLong(Step::timeUs).thenComparingInt(Step::order));
    return steps;
  }

  /** Whether a traced command of the key accounts for notification {@code n}: spans in end order, nearest wins. */
  private static boolean accounted(KeyChange n, List<KeyChange> spans, long longest, Set<String> used) {
    if (n.kind().equals("expiry") || n.kind().equals("eviction")) {
      return false;
    }
    KeyChange best = null;
    // the first span that ended late enough, then on while one may have begun early enough
    int lo = 0;
    int hi = spans.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (spans.get(mid).endUs() + NotificationCauses.AFTER_US < n.timeUs()) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int i = lo; i < spans.size() && spans.get(i).endUs() - longest - NotificationCauses.BEFORE_US <= n.timeUs();
        i++) {
      KeyChange s = spans.get(i);
      if (s.db() == n.db() && NotificationCauses.compatible(s.kind(), s.event(), n.kind())
          && n.timeUs() >= s.timeUs() - NotificationCauses.BEFORE_US
          && n.timeUs() <= s.endUs() + NotificationCauses.AFTER_US
          && !used.contains(s.traceId() + "/" + s.spanId() + "/" + n.kind())
          && (best == null || Math.abs(n.timeUs() - s.endUs()) < Math.abs(n.timeUs() - best.endUs()))) {
        best = s;
      }
    }
    if (best != null) {
      used.add(best.traceId() + "/" + best.spanId() + "/" + n.kind());
    }
    return best != null;
  }

  /** One thing that happened to a key: a captured value (order 0), a traced command (1) or a notification (2). */
  record Step(long timeUs, int order, CapturedValue value, KeyChange change, Long ttl) {
  }
}
