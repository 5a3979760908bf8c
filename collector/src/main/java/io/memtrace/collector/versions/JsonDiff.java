package io.memtrace.collector.versions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;

/**
 * A path-level diff of two JSON documents (a memory store's object, a Redis string holding JSON): each member added,
 * removed or changed, named by its path ({@code $.user.name}, {@code $.messages[3].content}), nested objects and
 * arrays followed down to the values that differ. Array elements are matched by {@link SequenceDiff}, so a message
 * appended to a conversation reads as one element added, not every later index changed. Values are compared as
 * Jackson's trees compare them (members in any order, {@code 1e2} equal to {@code 100.0}), read from each document's
 * {@link JsonTape}: by their text first, so an unchanged message costs a comparison of its characters.
 */
final class JsonDiff {

  private JsonDiff() {
  }

  /**
   * Adds the rows from {@code before} to {@code after} (either null: absent) when each present side is a JSON object
   * or array; false, and no rows, when one is not.
   */
  static boolean diff(String before, String after, List<DiffRow> rows, Memo memo) {
    JsonTape was = memo.parse(before);
    JsonTape is = memo.parse(after);
    if ((before != null && was == null) || (after != null && is == null) || (was == null && is == null)) {
      return false;
    }
    // a document that appears or goes shows its top level, as if the other side were empty
    JsonTape empty = JsonTape.read((was != null ? was : is).kind(0) == JsonTape.ARRAY ? "[]" : "{}");
    compare("$", was == null ? empty : was, 0, is == null ? empty : is, 0, rows);
    memo.done(was, is);
    return true;
  }

  /**
   * The documents read last: a record's versions diff each value twice (as the after of one version and the before
   * of the next), and a chat memory's is tens of kilobytes. A tape that drops out is read into again. One per record,
   * one thread.
   */
  static final class Memo {
    private String text;
    private JsonTape tape;
    private String previousText;
    private JsonTape previousTape;
    private JsonTape dropped;
    private JsonTape spare;

    /** A diff of {@code was} and {@code is} is done: a tape that dropped out of the memo, not one of them, is free. */
    void done(JsonTape was, JsonTape is) {
      if (dropped != null && dropped != was && dropped != is) {
        spare = dropped;
      }
      dropped = null;
    }

    JsonTape parse(String text) {
      if (text == null) {
        return null;
      }
      if (text.equals(this.text)) {
        return tape;
      }
      if (text.equals(previousText)) {
        return previousTape;
      }
      if (previousTape != null) {
        dropped = previousTape;
      }
      previousText = this.text;
      previousTape = tape;
      this.text = text;
      tape = JsonTape.read(text, spare);
      if (tape != null) {
        spare = null;
      }
      return tape;
    }
  }

  private static void compare(String path, JsonTape a, int i, JsonTape b, int j, List<DiffRow> rows) {
    if (JsonTapeEquality.equal(a, i, b, j)) {
      return;
    }
    if (a.kind(i) == JsonTape.OBJECT && b.kind(j) == JsonTape.OBJECT) {
      Map<String, Integer> was = a.members(i);
      Map<String, Integer> is = b.members(j);
      for (Map.Entry<String, Integer> member : was.entrySet()) {
        Integer now = is.get(member.getKey());
        String memberPath = path + name(member.getKey());
        if (now == null) {
          rows.add(DiffRow.removed(memberPath, show(a, member.getValue())));
        } else {
          compare(memberPath, a, member.getValue(), b, now, rows);
        }
      }
      for (Map.Entry<String, Integer> member : is.entrySet()) {
        if (!was.containsKey(member.getKey())) {
          rows.add(DiffRow.added(path + name(member.getKey()), show(b, member.getValue())));
        }
      }
    } else if (a.kind(i) == JsonTape.ARRAY && b.kind(j) == JsonTape.ARRAY) {
      elements(path, a, a.children(i), b, b.children(j), rows);
    } else {
      rows.add(DiffRow.changed(path, show(a, i), show(b, j)));
    }
  }

  /** An array's elements: each run of removed elements paired with the added run after it, element by element. */
  private static void elements(String path, JsonTape a, int[] was, JsonTape b, int[] is, List<DiffRow> rows) {
    List<SequenceDiff.Step> steps = SequenceDiff.diff(was.length, is.length,
        (x, y) -> JsonTapeEquality.equal(a, was[x], b, is[y]), x -> a.node(was[x]), y -> b.node(is[y]), ValueDiff.MAX_EDITS);
    if (steps == null) {
      steps = TextDiff.replacedWhole(was.length, is.length);
    }
    SequenceDiff.pairRuns(steps, new SequenceDiff.Runs() {
      @Override
      public void changed(int before, int after) {
        compare(path + "[" + after + "]", a, was[before], b, is[after], rows);
      }

      @Override
      public void removed(int before) {
        rows.add(DiffRow.removed(path + "[" + before + "]", show(a, was[before])));
      }

      @Override
      public void added(int after) {
        rows.add(DiffRow.added(path + "[" + after + "]", show(b, is[after])));
      }
    });
  }

  private static String name(String member) {
    return plain(member) ? "." + member
        : "[" + JsonNodeFactory.instance.textNode(member).toString() + "]";
  }

  /** Whether a member name reads plainly after a dot in a path: {@code [A-Za-z_][A-Za-z0-9_]*}. */
  private static boolean plain(String member) {
    for (int i = 0; i < member.length(); i++) {
      char c = member.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return !member.isEmpty();
  }

  /** A JSON value in a row: a string as its text, anything else as JSON. */
  private static String show(JsonTape tape, int i) {
    String text = tape.kind(i) == JsonTape.STRING ? tape.plainText(i) : tape.canonicalText(i);
    if (text != null) {
      return ValueDiff.cell(text);
    }
    JsonNode node = tape.node(i);
    return ValueDiff.cell(node.isTextual() ? node.asText() : node.toString());
  }
}
