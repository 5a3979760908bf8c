package io.memtrace.bench.stress;

import io.memtrace.bench.stress.FaultProxy.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Every request the proxy answered or dropped, and what the harness asks of them: rates, and the
 * retries a client made, found by the body it sent again. Appended to by every connection thread,
 * read by the harness; a lock is cheap at export rates (tens of requests a second).
 */
final class FaultLog {

  private final List<Request> requests = new ArrayList<>();

  synchronized void add(Request request) {
    requests.add(request);
  }

  /** A copy, in the order the requests were answered or dropped. */
  synchronized List<Request> snapshot() {
    return List.copyOf(requests);
  }

  /** Requests to {@code path} (any path when {@code null}) received in [from, to), per second. */
  double perSecond(String path, long fromMillis, long toMillis) {
    if (toMillis <= fromMillis) {
      throw new IllegalArgumentException("empty window [" + fromMillis + ", " + toMillis + ")");
    }
    long count = snapshot().stream()
        .filter(r -> within(r, fromMillis, toMillis) && (path == null || path.equals(r.path())))
        .count();
    return count * 1000.0 / (toMillis - fromMillis);
  }

  /** For each 429 or 503 answer to a request received in [from, to) whose body came again: the gap. */
  List<Long> retryGaps(long fromMillis, long toMillis) {
    return retries(s -> s == 429 || s == 503, fromMillis, toMillis);
  }

  /** How many answers of {@code status} to requests received in [from, to) were followed by the same body. */
  long retriesOf(int status, long fromMillis, long toMillis) {
    return retries(s -> s == status, fromMillis, toMillis).size();
  }

  /**
   * Walks the requests from the last received to the first, remembering for each body when it was
   * next received; an answer that matches then has its retry at hand without a search. Empty bodies
   * are left out: they are all alike and would pair unrelated requests.
   */
  private List<Long> retries(IntPredicate status, long fromMillis, long toMillis) {
    List<Request> byArrival = new ArrayList<>(snapshot());
    byArrival.sort(Comparator.comparingLong(Request::receivedAtMillis));
    Map<Long, Long> nextArrival = new HashMap<>();
    List<Long> gaps = new ArrayList<>();
    for (int i = byArrival.size() - 1; i >= 0; i--) {
      Request r = byArrival.get(i);
      if (r.bodyLength() == 0) {
        continue;
      }
      long body = (r.bodyCrc() << 32) | (r.bodyLength() & 0xFFFF_FFFFL);
      Long next = nextArrival.put(body, r.receivedAtMillis());
      if (next != null && status.test(r.status()) && within(r, fromMillis, toMillis)) {
        gaps.add(next - r.answeredAtMillis());
      }
    }
    Collections.reverse(gaps); // back to the order of arrival
    return gaps;
  }

  private static boolean within(Request r, long fromMillis, long toMillis) {
    return r.receivedAtMillis() >= fromMillis && r.receivedAtMillis() < toMillis;
  }
}
