package io.memtrace.bench.stress;

import java.util.List;

/**
 * Leak checks on threads and sockets between an earlier stretch of a run and a later one. The
 * application's own threads must not grow at all. memtrace's may, up to its pools' ceiling: its
 * export lanes start when exports first overlap, which can be late in a run; each lane brings its
 * connection, so sockets may grow by as many lanes as started, and no more (compared by median:
 * a connection being replaced is two sockets for a second).
 */
final class ThreadChecks {

  /** memtrace's threads at most: its consumer, 4 trace export lanes (export.max-in-flight), the metric lane, 2 retry timers. */
  static final long AGENT_THREADS_MAX = 8;

  private ThreadChecks() {
  }

  /**
   * Threads and sockets of {@code later} against {@code earlier}, a stretch in which memtrace's pools
   * were already open (sockets compared median to median, plus one per lane started since).
   */
  static void check(ScenarioResult r, List<Sample> earlier, List<Sample> later, String earlierName, String laterName) {
    check(r, earlier, later, earlierName, laterName, false);
  }

  /**
   * As {@link #check(ScenarioResult, List, List, String, String)}, where {@code earlier} is the stretch
   * that opens the pools (the first round of the same faults): its sockets count at their most, reached
   * once every lane has its connection, for its median falls before they opened. A socket leaked per
   * fault would still take the later round's median past that most.
   */
  static void check(ScenarioResult r, List<Sample> earlier, List<Sample> later, String earlierName, String laterName,
      boolean earlierOpensPools) {
    long app1 = earlier.stream().mapToLong(Sample::appThreads).max().orElse(-1);
    long app2 = later.stream().mapToLong(Sample::appThreads).max().orElse(-1);
    long agent1 = earlier.stream().mapToLong(Sample::agentThreads).max().orElse(-1);
    long agent2 = later.stream().mapToLong(Sample::agentThreads).max().orElse(-1);
    // a connection being replaced shows for a second as two (the old one closing): medians, not maxima
    double sockets1 = earlierOpensPools ? earlier.stream().mapToDouble(Sample::sockets).max().orElse(-1)
        : Measures.median(earlier.stream().mapToDouble(Sample::sockets).toArray());
    double sockets2 = Measures.median(later.stream().mapToDouble(Sample::sockets).toArray());
    String key = laterName.replace(' ', '_');
    r.metric("app_threads_max_" + earlierName.replace(' ', '_'), app1).metric("app_threads_max_" + key, app2);
    String earlierSockets = (earlierOpensPools ? "sockets_max_" : "sockets_median_") + earlierName.replace(' ', '_');
    r.metric("agent_threads_max_" + key, agent2).metric(earlierSockets, sockets1).metric("sockets_median_" + key, sockets2);
    r.check(Check.atMost("application threads: most in the " + laterName + " / in the " + earlierName, app2, app1, ""));
    r.check(Check.atMost("memtrace's threads (its pools' ceiling)", agent2, AGENT_THREADS_MAX, ""));
    long newLanes = Math.max(0, agent2 - agent1);
    r.check(Check.atMost("sockets: median in the " + laterName + " / " + (earlierOpensPools ? "most" : "median")
        + " in the " + earlierName + " + lanes started since", sockets2, sockets1 + newLanes, ""));
  }
}
