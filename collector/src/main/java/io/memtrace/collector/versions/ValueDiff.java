package io.memtrace.collector.versions;

import io.memtrace.collector.values.HeldText;
import io.memtrace.collector.values.ValueState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two states of one key's value ({@link ValueState}s), as rows to draw side by side: a hash's
 * fields added, removed and changed; a list's elements added and removed (by {@link SequenceDiff}); a set's members
 * added and removed; a sorted set's members and score changes; a text's lines ({@link TextDiff}), or a JSON value's
 * paths ({@link JsonDiff}) when both sides are JSON. A value that changed type shows the old one removed and the new
 * one added; a value removed shows everything it held as removed.
 */
public final class ValueDiff {

  /** The rows shown of one version; the rest are counted ({@link Diff#more}). */
  public static final int MAX_ROWS = 200;
  /** The characters shown of one text in a row; the rest are counted in the text itself. */
  public static final int MAX_CELL = 4_000;
  /** Past this many edits two texts or lists are shown as one replaced whole. */
  static final int MAX_EDITS = 1_000;

  private final JsonDiff.Memo memo = new JsonDiff.Memo();
  /** The text shown last and its held form: a version's before is the same string as the version before's after. */
  private String lastRaw;
  private String lastShown;

  /** A differ of one record's versions, in order; one thread. */
  public ValueDiff() {
  }

  /** The diff from {@code before} to {@code after}; either may be absent. */
  public static Diff of(ValueState before, ValueState after) {
    return new ValueDiff().diff(before, after);
  }

  /** The diff from {@code before} to {@code after}, reusing what the diff before this one parsed. */
  public Diff diff(ValueState before, ValueState after) {
    String was = before.exists() ? before.type() : null;
    String is = after.exists() ? after.type() : null;
    if (was == null && is == null) {
      return Diff.none();
    }
    if (was != null && is != null && !was.equals(is) && !(textual(was) && textual(is))) {
      Diff gone = diff(before, ValueState.absent());
      Diff come = diff(ValueState.absent(), after);
      List<DiffRow> rows = new ArrayList<>(gone.rows());
      rows.addAll(come.rows());
      return capped(come.form(), rows, gone.more() + come.more());
    }
    String type = is != null ? is : was;
    List<DiffRow> rows = new ArrayList<>();
    String form = switch (type) {
      case "hash" -> fields(was == null ? Map.of() : before.fields(), is == null ? Map.of() : after.fields(), rows);
      case "list" -> list(was == null ? List.of() : before.list(), is == null ? List.of() : after.list(), rows);
      case "set" -> members(was == null ? Set.of() : before.members(), is == null ? Set.of() : after.members(), rows);
      case "zset" -> scores(was == null ? Map.of() : before.scores(), is == null ? Map.of() : after.scores(), rows);
      default -> text(was == null ? null : shown(before), is == null ? null : shown(after), rows);
    };
    return capped(form, rows, 0);
  }

  /** A value's held text as people read it ({@link ValueState#displayText}), decoded once for two versions. */
  private String shown(ValueState state) {
    String raw = state.text();
    if (raw != lastRaw) {
      lastShown = state.displayText();
      lastRaw = raw;
    }
    return lastShown;
  }

  /** A text as a row shows it: at most {@link #MAX_CELL} characters, then how many more there were. */
  static String cell(String text) {
    if (text == null || text.length() <= MAX_CELL) {
      return text;
    }
    return text.substring(0, MAX_CELL) + " …[" + (text.length() - MAX_CELL) + " more characters]";
  }

  private static boolean textual(String type) {
    return type.equals("string") || type.equals("object");
  }

  private static Diff capped(String form, List<DiffRow> rows, int more) {
    if (rows.size() <= MAX_ROWS) {
      return new Diff(form, rows, more);
    }
    return new Diff(form, rows.subList(0, MAX_ROWS), more + rows.size() - MAX_ROWS);
  }

  private String text(String before, String after, List<DiffRow> rows) {
    if (JsonDiff.diff(before, after, rows, memo)) {
      return "json";
    }
    rows.clear();
    TextDiff.diff(before, after, rows);
    return "lines";
  }

  private static String fields(Map<String, String> before, Map<String, String> after, List<DiffRow> rows) {
    for (Map.Entry<String, String> field : before.entrySet()) {
      String now = after.get(field.getKey());
      String name = cell(HeldText.display(field.getKey()));
      if (now == null) {
        rows.add(DiffRow.removed(name, cell(HeldText.display(field.getValue()))));
      } else if (!now.equals(field.getValue())) {
        rows.add(DiffRow.changed(name, cell(HeldText.display(field.getValue())), cell(HeldText.display(now))));
      }
    }
    for (Map.Entry<String, String> field : after.entrySet()) {
      if (!before.containsKey(field.getKey())) {
        rows.add(DiffRow.added(cell(HeldText.display(field.getKey())), cell(HeldText.display(field.getValue()))));
      }
    }
    return "fields";
  }

  private static String list(List<String> before, List<String> after, List<DiffRow> rows) {
    List<SequenceDiff.Step> steps = SequenceDiff.diff(before, after, MAX_EDITS);
    if (steps == null) {
      steps = TextDiff.replacedWhole(before.size(), after.size());
    }
    for (SequenceDiff.Step step : steps) {
      if (step.kind() == SequenceDiff.Kind.REMOVED) {
        rows.add(DiffRow.removed("[" + step.before() + "]", cell(HeldText.display(before.get(step.before())))));
      } else if (step.kind() == SequenceDiff.Kind.ADDED) {
        rows.add(DiffRow.added("[" + step.after() + "]", cell(HeldText.display(after.get(step.after())))));
      }
    }
    return "list";
  }

  private static String members(Set<String> before, Set<String> after, List<DiffRow> rows) {
    for (String member : before) {
      if (!after.contains(member)) {
        rows.add(DiffRow.removed(null, cell(HeldText.display(member))));
      }
    }
    for (String member : after) {
      if (!before.contains(member)) {
        rows.add(DiffRow.added(null, cell(HeldText.display(member))));
      }
    }
    return "members";
  }

  private static String scores(Map<String, Double> before, Map<String, Double> after, List<DiffRow> rows) {
    Map<String, Double> added = new LinkedHashMap<>(after);
    for (Map.Entry<String, Double> member : before.entrySet()) {
      Double now = added.remove(member.getKey());
      String name = cell(HeldText.display(member.getKey()));
      if (now == null) {
        rows.add(DiffRow.removed(name, score(member.getValue())));
      } else if (!now.equals(member.getValue())) {
        rows.add(DiffRow.changed(name, score(member.getValue()), score(now)));
      }
    }
    added.forEach((member, score) -> rows.add(DiffRow.added(cell(HeldText.display(member)), score(score))));
    return "scores";
  }

  /** A score as Redis prints it: a whole number without a fraction. */
  static String score(double score) {
    return score == Math.rint(score) && !Double.isInfinite(score) && Math.abs(score) < 1e15
        ? Long.toString((long) score) : Double.toString(score);
  }
}
