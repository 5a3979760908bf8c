package io.memtrace.collector.versions;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON document read once into a flat list of its values (a tape), in document order: each value's kind, where its
 * text starts and ends, the member name before it, and where its subtree ends. A diff of two versions compares values
 * by their text and goes down only where the texts differ ({@link JsonTapeEquality}); Jackson builds a value's tree
 * ({@link #node}) only for a value a row shows, or where two different texts may still be equal as JSON (a number
 * written two ways, an escaped string). A chat memory of 200 messages with one appended and one dropped is then one pass over each version's text,
 * not a tree of its 200 messages.
 *
 * <p>{@link JsonScanner} fills it, and reads as JSON exactly what Jackson does. One thread.
 */
final class JsonTape {

  static final byte OBJECT = 0;
  static final byte ARRAY = 1;
  static final byte STRING = 2;
  static final byte NUMBER = 3;
  /** {@code true}, {@code false} or {@code null}: one spelling each, so two differ exactly when their texts do. */
  static final byte LITERAL = 4;

  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static final int ESCAPED = 1;
  private static final int NAME_ESCAPED = 2;

  final String doc;
  /** The document's characters from 0 to its length (the array may be longer: a spare tape's, read into again). */
  final char[] text;
  int size;
  byte[] kind = new byte[16];
  byte[] flags = new byte[16];
  int[] start = new int[16];
  int[] end = new int[16];
  /** The index after a value's subtree: its next sibling's, when it has one. */
  int[] next = new int[16];
  /** A member's name: its opening quote, -1 for a value that is no member; the name ends at {@link #nameEnd}. */
  int[] name = new int[16];
  int[] nameEnd = new int[16];
  private JsonNode[] nodes;
  private Map<String, Integer>[] members;

  private JsonTape(String doc, char[] text) {
    this.doc = doc;
    this.text = text;
    doc.getChars(0, doc.length(), text, 0);
  }

  /** The tape of {@code text} when, stripped, it is a JSON object or array; else null. */
  static JsonTape read(String text) {
    return read(text, null);
  }

  /**
   * The same, in the arrays of {@code spare} (a tape no longer used, which this one replaces: a record's versions
   * read one document after another), when given.
   */
  static JsonTape read(String text, JsonTape spare) {
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
      return null;
    }
    JsonTape tape = new JsonTape(trimmed, spare != null && spare.text.length >= trimmed.length() ? spare.text
        : new char[trimmed.length()]);
    if (spare != null) {
      tape.kind = spare.kind;
      tape.flags = spare.flags;
      tape.start = spare.start;
      tape.end = spare.end;
      tape.next = spare.next;
      tape.name = spare.name;
      tape.nameEnd = spare.nameEnd;
      Arrays.fill(tape.flags, (byte) 0);
      if (spare.nodes != null) {
        tape.nodes = spare.nodes;
        Arrays.fill(tape.nodes, null);
      }
      if (spare.members != null) {
        tape.members = spare.members;
        Arrays.fill(tape.members, null);
      }
    }
    return new JsonScanner(tape).scan() ? tape : null;
  }

  byte kind(int i) {
    return kind[i];
  }

  /** The indexes of a container's values, in order. */
  int[] children(int i) {
    int count = 0;
    for (int c = i + 1; c < next[i]; c = next[c]) {
      count++;
    }
    int[] children = new int[count];
    count = 0;
    for (int c = i + 1; c < next[i]; c = next[c]) {
      children[count++] = c;
    }
    return children;
  }

  /**
   * An object's members as Jackson holds them: each name once, at its first place, with its last value (a name given
   * twice keeps the last, as Jackson's tree does); name to value index.
   */
  @SuppressWarnings("unchecked")
  Map<String, Integer> members(int i) {
    if (members == null || members.length < size) {
      members = new Map[size];
    }
    if (members[i] == null) {
      Map<String, Integer> map = new LinkedHashMap<>();
      for (int c = i + 1; c < next[i]; c = next[c]) {
        map.put(name(c), c);
      }
      members[i] = map;
    }
    return members[i];
  }

  /** Value {@code i} as Jackson reads it alone, which is how it reads it inside its document. */
  JsonNode node(int i) {
    if (nodes == null || nodes.length < size) {
      nodes = new JsonNode[size];
    }
    if (nodes[i] == null) {
      nodes[i] = parse(doc.substring(start[i], end[i]));
    }
    return nodes[i];
  }

  /** A string value's text without Jackson when it holds no escape; else null. */
  String plainText(int i) {
    return kind[i] == STRING && (flags[i] & ESCAPED) == 0 ? doc.substring(start[i] + 1, end[i] - 1) : null;
  }

  /**
   * Value {@code i}'s text when it is already what Jackson writes for it ({@code JsonNode.toString()}), else null: no
   * space between tokens, no escape in a string or a name (Jackson writes every other character as it is), only
   * whole numbers other than {@code -0} (Jackson writes a fraction or an exponent its own way), no name given twice in
   * an object (Jackson keeps the last). A message shown whole then costs no tree.
   */
  String canonicalText(int i) {
    for (int v = i; v < next[i]; v++) {
      if ((flags[v] & (ESCAPED | NAME_ESCAPED)) != 0
          || (kind[v] == NUMBER && !wholeNumber(v))
          || (kind[v] == OBJECT && members(v).size() != children(v).length)) {
        return null;
      }
    }
    boolean inString = false;
    for (int c = start[i]; c < end[i]; c++) {
      char ch = text[c];
      if (ch == '"') {
        inString = !inString; // no escapes, so every quote opens or closes a string
      } else if (!inString && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')) {
        return null;
      }
    }
    return doc.substring(start[i], end[i]);
  }

  private boolean wholeNumber(int v) {
    if (doc.startsWith("-0", start[v])) {
      return false;
    }
    for (int c = start[v]; c < end[v]; c++) {
      char ch = text[c];
      if (ch == '.' || ch == 'e' || ch == 'E') {
        return false;
      }
    }
    return true;
  }

  private String name(int i) {
    String raw = doc.substring(name[i], nameEnd[i]);
    return (flags[i] & NAME_ESCAPED) == 0 ? raw.substring(1, raw.length() - 1) : parse(raw).asText();
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("a value of a JSON document read whole did not read alone", e);
    }
  }

  /** A value starting at {@code at}, a member when {@code memberName} is not -1; its index. */
  int add(int at, int memberName, int memberNameEnd, boolean memberEscaped) {
    if (size == kind.length) {
      int grown = size * 2;
      kind = Arrays.copyOf(kind, grown);
      flags = Arrays.copyOf(flags, grown);
      start = Arrays.copyOf(start, grown);
      end = Arrays.copyOf(end, grown);
      next = Arrays.copyOf(next, grown);
      name = Arrays.copyOf(name, grown);
      nameEnd = Arrays.copyOf(nameEnd, grown);
    }
    start[size] = at;
    name[size] = memberName;
    nameEnd[size] = memberNameEnd;
    flags[size] = (byte) (memberEscaped && memberName >= 0 ? NAME_ESCAPED : 0);
    return size++;
  }

}
