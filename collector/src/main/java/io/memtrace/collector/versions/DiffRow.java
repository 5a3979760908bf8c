package io.memtrace.collector.versions;

/**
 * One row of a version's diff, drawn side by side: what stood before on the left, what stands after on the right.
 * Texts are the value's own (a field's value, a line, an element), as people read them ({@code base64:…} for bytes
 * that are not UTF-8); every view escapes them.
 *
 * @param op          {@code added}, {@code removed}, {@code changed}, {@code same} (an unchanged line shown for
 *                    context) or {@code skipped} (unchanged lines left out; {@code name} says how many)
 * @param name        the field, the JSON path ({@code $.user.name}), the list index ({@code [3]}), the member; null
 *                    for a line of text
 * @param before      the text before; null when there was none
 * @param after       the text after; null when there is none
 * @param beforeLine  for a line of text: its number before, from 1; else null
 * @param afterLine   for a line of text: its number after, from 1; else null
 */
public record DiffRow(String op, String name, String before, String after, Integer beforeLine, Integer afterLine) {

  static DiffRow added(String name, String after) {
    return new DiffRow("added", name, null, after, null, null);
  }

  static DiffRow removed(String name, String before) {
    return new DiffRow("removed", name, before, null, null, null);
  }

  static DiffRow changed(String name, String before, String after) {
    return new DiffRow("changed", name, before, after, null, null);
  }
}
