package io.memtrace.agent.pipeline;

import io.memtrace.agent.bootstrap.LettuceCompletionHooks;
import io.memtrace.agent.pipeline.InFlightCommands.Entry;
import java.util.IdentityHashMap;

/**
 * Redis Cluster commands answered {@code MOVED} or {@code ASK} and not yet dispatched again: the trace and parent
 * their retry inherits. The retry is started by the client's thread that read the redirection, where no span is
 * current; with these ids its span joins the first attempt's trace, under the same parent. Consumer thread only.
 */
final class ClusterRedirections {

  /**
   * Redirected commands whose retry is awaited at once; past this a retry starts a trace of its own. A retry
   * follows its redirection within milliseconds, or ends without being written (which takes it out).
   */
  static final int MAX_REDIRECTED = 4096;

  private final IdentityHashMap<Object, long[]> awaited = new IdentityHashMap<>();

  /** {@code start} is a retry when its command was redirected: it takes the first attempt's trace and parent. */
  void adoptRetry(SpanEvent start) {
    long[] parent = awaited.isEmpty() ? null : awaited.remove(start.command);
    if (parent != null) {
      start.traceIdHigh = parent[0];
      start.traceIdLow = parent[1];
      start.parentSpanId = parent[2];
      start.otelParent = parent[3] != 0;
    }
  }

  /** A command ended other than by a redirection: no retry of it is coming (it failed before it was written). */
  void ended(SpanEvent end) {
    if (end.command != null && !awaited.isEmpty() && end.error != LettuceCompletionHooks.REDIRECTED) {
      awaited.remove(end.command);
    }
  }

  /** {@code attempt} ended with a redirection: its retry, when it starts, takes the attempt's trace and parent. */
  void awaitRetry(Entry attempt, SpanEvent end) {
    if (end.error == LettuceCompletionHooks.REDIRECTED && awaited.size() < MAX_REDIRECTED) {
      awaited.put(end.command, new long[] {attempt.traceIdHigh, attempt.traceIdLow, attempt.parentSpanId,
          attempt.otelParent ? 1 : 0});
    }
  }
}
