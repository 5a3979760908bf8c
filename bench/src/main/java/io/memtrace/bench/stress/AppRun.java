package io.memtrace.bench.stress;

import io.memtrace.bench.overhead.AgentSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one run of the stress application measured: its RESULT values, its per-second samples, the
 * agent's shutdown counters (exact once it has shut down), and how it ended.
 */
record AppRun(String name, boolean agent, int exitCode, long t0, Map<String, Double> result, List<Sample> samples,
    AgentSummary summary, Map<Integer, Long> levelStarts, boolean oomInLog, Path log) {

  double value(String key) {
    Double v = result.get(key);
    return v == null ? Double.NaN : v;
  }

  long count(String key) {
    double v = value(key);
    return Double.isNaN(v) ? -1 : (long) v;
  }

  /** An agent counter from the shutdown line, e.g. {@code events.exported}; -1 when it printed none. */
  long agentCounter(String name) {
    return summary.get(name).orElse(-1);
  }

  Events events() {
    return new Events(agentCounter("events.produced"), agentCounter("events.exported"),
        agentCounter("events.compressed"), agentCounter("events.dropped"));
  }

  AppRun withSamples(List<Sample> annotated) {
    return new AppRun(name, agent, exitCode, t0, result, annotated, summary, levelStarts, oomInLog, log);
  }

  /** The span accounting of one run: produced = exported + compressed + dropped once the agent has shut down. */
  record Events(long produced, long exported, long compressed, long dropped) {
    boolean known() {
      return produced >= 0 && exported >= 0 && compressed >= 0 && dropped >= 0;
    }

    boolean balanced() {
      return known() && produced == exported + compressed + dropped;
    }

    /** The runs' accounting added up; unknown when any run's is. */
    static Events sum(List<AppRun> runs) {
      long p = 0;
      long e = 0;
      long c = 0;
      long d = 0;
      for (AppRun run : runs) {
        Events x = run.events();
        if (!x.known()) {
          return new Events(-1, -1, -1, -1);
        }
        p += x.produced;
        e += x.exported;
        c += x.compressed;
        d += x.dropped;
      }
      return new Events(p, e, c, d);
    }
  }
}
