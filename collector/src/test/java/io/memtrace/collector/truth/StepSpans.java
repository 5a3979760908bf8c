package io.memtrace.collector.truth;

import java.util.Map;
import java.util.Set;

/**
 * The traced steps as memtrace knows them: each span's step, and the deleting steps that removed nothing (a DEL of a
 * key already gone), and each step's command, so that an answer naming one as the cause is told apart from one
 * naming a real delete, and the Node service's steps.
 */
record StepSpans(Map<String, Integer> runOfSpan, Set<Integer> removedNothing, Map<Integer, String> commandOfRun,
    Set<Integer> nodeRuns) {

  Integer run(String spanId) {
    return spanId == null ? null : runOfSpan.get(spanId);
  }

  /** The step's command, {@code node SET} for the Node service's. */
  String command(Integer run) {
    return run == null ? null : nodeRuns.contains(run) ? "node " + commandOfRun.get(run) : commandOfRun.get(run);
  }

  /** {@code kind}, marked when the step it names is a delete that removed nothing. */
  String kind(String kind, Integer run) {
    return run != null && removedNothing.contains(run) ? kind + " (by a DEL that removed nothing)" : kind;
  }
}
