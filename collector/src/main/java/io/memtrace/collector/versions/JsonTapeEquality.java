package io.memtrace.collector.versions;

import java.util.Arrays;
import java.util.Map;

/**
 * Whether two values of two {@link JsonTape}s are equal as Jackson's trees compare them, reading their texts first and
 * building a tree only where two different texts may still be equal as JSON (a number written two ways, an escaped
 * string).
 */
final class JsonTapeEquality {

  private JsonTapeEquality() {
  }

  /**
   * Whether value {@code i} of {@code a} equals value {@code j} of {@code b} as Jackson's trees compare. Most values
   * compared are the same text (a message kept from one version to the next), so that is asked first, in a method
   * small enough for the JIT to compile at once; the rest is {@link #equalAsJson}.
   */
  static boolean equal(JsonTape a, int i, JsonTape b, int j) {
    if (a.kind[i] != b.kind[j]) {
      return false;
    }
    int length = a.end[i] - a.start[i];
    if (length == b.end[j] - b.start[j]
        && Arrays.equals(a.text, a.start[i], a.end[i], b.text, b.start[j], b.end[j])) {
      return true;
    }
    return a.kind[i] != JsonTape.LITERAL && equalAsJson(a, i, b, j);
  }

  /** Two values of one kind, not {@link JsonTape#LITERAL}, whose texts differ. */
  private static boolean equalAsJson(JsonTape a, int i, JsonTape b, int j) {
    switch (a.kind[i]) {
      case JsonTape.STRING:
        return ((a.flags[i] | b.flags[j]) & JsonTape.ESCAPED) != 0 && a.node(i).equals(b.node(j));
      case JsonTape.NUMBER:
        return a.node(i).equals(b.node(j));
      case JsonTape.ARRAY:
        int x = i + 1;
        int y = j + 1;
        for (; x < a.next[i] && y < b.next[j]; x = a.next[x], y = b.next[y]) {
          if (!equal(a, x, b, y)) {
            return false;
          }
        }
        return x == a.next[i] && y == b.next[j];
      default:
        Map<String, Integer> was = a.members(i);
        Map<String, Integer> is = b.members(j);
        if (was.size() != is.size()) {
          return false;
        }
        for (Map.Entry<String, Integer> member : was.entrySet()) {
          Integer now = is.get(member.getKey());
          if (now == null || !equal(a, member.getValue(), b, now)) {
            return false;
          }
        }
        return true;
    }
  }
}
