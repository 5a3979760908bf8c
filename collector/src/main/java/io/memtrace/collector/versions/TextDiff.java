package io.memtrace.collector.versions;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts for side-by-side reading: each run of removed lines is paired with the run of added lines
 * that follows it ({@code changed} rows, the old line left, the new one right), unchanged lines are kept for
 * {@link #CONTEXT} lines around a change, and longer unchanged runs are folded into one {@code skipped} row.
 */
final class TextDiff {

  /** Unchanged lines shown before and after each change. */
  static final int CONTEXT = 2;

  private TextDiff() {
  }

  /** Adds the rows from {@code before} to {@code after} (either null: absent). */
  static void diff(String before, String after, List<DiffRow> rows) {
    List<String> was = lines(before);
    List<String> is = lines(after);
    List<SequenceDiff.Step> steps = SequenceDiff.diff(was, is, ValueDiff.MAX_EDITS);
    if (steps == null) {
      steps = replacedWhole(was.size(), is.size());
    }
    boolean[] shown = new boolean[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).kind() != SequenceDiff.Kind.SAME) {
        for (int j = Math.max(0, i - CONTEXT); j <= Math.min(steps.size() - 1, i + CONTEXT); j++) {
          shown[j] = true;
        }
      }
    }
    List<SequenceDiff.Step> removed = new ArrayList<>();
    List<SequenceDiff.Step> added = new ArrayList<>();
    int skipped = 0;
    for (int i = 0; i <= steps.size(); i++) {
      SequenceDiff.Step step = i < steps.size() ? steps.get(i) : null;
      if (step != null && step.kind() == SequenceDiff.Kind.REMOVED) {
        removed.add(step);
        continue;
      }
      if (step != null && step.kind() == SequenceDiff.Kind.ADDED) {
        added.add(step);
        continue;
      }
      flush(removed, added, was, is, rows);
      if (step == null) {
        break;
      }
      if (!shown[i]) {
        skipped++;
        continue;
      }
      if (skipped > 0) {
        rows.add(new DiffRow("skipped", skipped + (skipped == 1 ? " unchanged line" : " unchanged lines"), null, null,
            null, null));
        skipped = 0;
      }
      String line = ValueDiff.cell(was.get(step.before()));
      rows.add(new DiffRow("same", null, line, line, step.before() + 1, step.after() + 1));
    }
    if (skipped > 0) {
      rows.add(new DiffRow("skipped", skipped + (skipped == 1 ? " unchanged line" : " unchanged lines"), null, null,
          null, null));
    }
  }

  /** Every element of {@code before} removed, then every one of {@code after} added. */
  static List<SequenceDiff.Step> replacedWhole(int before, int after) {
    List<SequenceDiff.Step> steps = new ArrayList<>(before + after);
    for (int i = 0; i < before; i++) {
      steps.add(new SequenceDiff.Step(SequenceDiff.Kind.REMOVED, i, -1));
    }
    for (int j = 0; j < after; j++) {
      steps.add(new SequenceDiff.Step(SequenceDiff.Kind.ADDED, -1, j));
    }
    return steps;
  }

  private static void flush(List<SequenceDiff.Step> removed, List<SequenceDiff.Step> added, List<String> was,
      List<String> is, List<DiffRow> rows) {
    int paired = Math.min(removed.size(), added.size());
    for (int p = 0; p < Math.max(removed.size(), added.size()); p++) {
      SequenceDiff.Step gone = p < removed.size() ? removed.get(p) : null;
      SequenceDiff.Step come = p < added.size() ? added.get(p) : null;
      rows.add(new DiffRow(p < paired ? "changed" : gone != null ? "removed" : "added", null,
          gone == null ? null : ValueDiff.cell(was.get(gone.before())),
          come == null ? null : ValueDiff.cell(is.get(come.after())),
          gone == null ? null : gone.before() + 1, come == null ? null : come.after() + 1));
    }
    removed.clear();
    added.clear();
  }

  private static List<String> lines(String text) {
    return text == null ? List.of() : List.of(text.split("\n", -1));
  }
}
