package io.memtrace.collector.versions;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A path-level diff of two JSON documents (a memory store's object, a Redis string holding JSON): each member added,
 * removed or changed, named by its path ({@code $.user.name}, {@code $.messages[3].content}), nested objects and
 * arrays followed down to the values that differ. Array elements are matched by {@link SequenceDiff}, so a message
 * appended to a conversation reads as one element added, not every later index changed.
 */
final class JsonDiff {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private JsonDiff() {
  }

  /**
   * Adds the rows from {@code before} to {@code after} (either null: absent) when each present side is a JSON object
   * or array; false, and no rows, when one is not.
   */
  static boolean diff(String before, String after, List<DiffRow> rows, Memo memo) {
    JsonNode was = memo.parse(before);
    JsonNode is = memo.parse(after);
    if ((before != null && was == null) || (after != null && is == null) || (was == null && is == null)) {
      return false;
    }
    // a document that appears or goes shows its top level, as if the other side were empty
    JsonNode empty = (was != null ? was : is).isArray() ? JsonNodeFactory.instance.arrayNode()
        : JsonNodeFactory.instance.objectNode();
    compare("$", was == null ? empty : was, is == null ? empty : is, rows);
    return true;
  }

  /**
   * The documents parsed last: a record's versions diff each value twice (as the after of one version and the before
   * of the next), and a chat memory's is tens of kilobytes. One per record, one thread.
   */
  static final class Memo {
    private String text;
    private JsonNode node;
    private String previousText;
    private JsonNode previousNode;

    JsonNode parse(String text) {
      if (text == null) {
        return null;
      }
      if (text.equals(this.text)) {
        return node;
      }
      if (text.equals(previousText)) {
        return previousNode;
      }
      previousText = this.text;
      previousNode = node;
      this.text = text;
      node = JsonDiff.parse(text);
      return node;
    }
  }

  private static JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(trimmed);
      return node != null && node.isContainerNode() ? node : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static void compare(String path, JsonNode before, JsonNode after, List<DiffRow> rows) {
    if (before.equals(after)) {
      return;
    }
    if (before.isObject() && after.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = before.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        JsonNode now = after.get(member.getKey());
        String memberPath = path + name(member.getKey());
        if (now == null) {
          rows.add(DiffRow.removed(memberPath, show(member.getValue())));
        } else {
          compare(memberPath, member.getValue(), now, rows);
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = after.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        if (!before.has(member.getKey())) {
          rows.add(DiffRow.added(path + name(member.getKey()), show(member.getValue())));
        }
      }
    } else if (before.isArray() && after.isArray()) {
      elements(path, before, after, rows);
    } else {
      rows.add(DiffRow.changed(path, show(before), show(after)));
    }
  }

  /** An array's elements: each run of removed elements paired with the added run after it, element by element. */
  private static void elements(String path, JsonNode before, JsonNode after, List<DiffRow> rows) {
    List<JsonNode> was = new ArrayList<>();
    before.forEach(was::add);
    List<JsonNode> is = new ArrayList<>();
    after.forEach(is::add);
    List<SequenceDiff.Step> steps = SequenceDiff.diff(was, is, ValueDiff.MAX_EDITS);
    if (steps == null) {
      steps = TextDiff.replacedWhole(was.size(), is.size());
    }
    List<Integer> removed = new ArrayList<>();
    List<Integer> added = new ArrayList<>();
    for (int i = 0; i <= steps.size(); i++) {
      SequenceDiff.Step step = i < steps.size() ? steps.get(i) : null;
      if (step != null && step.kind() == SequenceDiff.Kind.REMOVED) {
        removed.add(step.before());
      } else if (step != null && step.kind() == SequenceDiff.Kind.ADDED) {
        added.add(step.after());
      } else {
        int paired = Math.min(removed.size(), added.size());
        for (int p = 0; p < paired; p++) {
          compare(path + "[" + added.get(p) + "]", was.get(removed.get(p)), is.get(added.get(p)), rows);
        }
        for (int p = paired; p < removed.size(); p++) {
          rows.add(DiffRow.removed(path + "[" + removed.get(p) + "]", show(was.get(removed.get(p)))));
        }
        for (int p = paired; p < added.size(); p++) {
          rows.add(DiffRow.added(path + "[" + added.get(p) + "]", show(is.get(added.get(p)))));
        }
        removed.clear();
        added.clear();
      }
    }
  }

  private static String name(String member) {
    return PLAIN_NAME.matcher(member).matches() ? "." + member
        : "[" + JsonNodeFactory.instance.textNode(member).toString() + "]";
  }

  /** A JSON value in a row: a string as its text, anything else as JSON. */
  private static String show(JsonNode node) {
    return ValueDiff.cell(node.isTextual() ? node.asText() : node.toString());
  }
}
