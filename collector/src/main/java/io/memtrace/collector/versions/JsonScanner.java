package io.memtrace.collector.versions;

import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a JSON document into its {@link JsonTape} in one pass, and says whether it is JSON as Jackson reads it with
 * the collector's features: RFC 8259, so no comments, no trailing commas, no leading zeros, no unquoted names, only
 * space, tab, CR and LF between tokens, and no control character unescaped in a string. At Jackson's limits on
 * nesting and on number, name and string lengths, which a captured value hardly reaches, it asks Jackson itself.
 */
final class JsonScanner {

  private static final StreamReadConstraints LIMITS = JsonTape.JSON.getFactory().streamReadConstraints();

  private final JsonTape tape;
  private final String doc;
  /** The document's characters, read from an array rather than through the string. */
  private final char[] text;
  private final int n;
  /** Whether the last string scanned held an escape. */
  private boolean escapeSeen;
  /** Whether a value came near one of Jackson's limits, so that Jackson must say whether the document is JSON. */
  private boolean askJackson = LIMITS.getMaxDocumentLength() > 0 || LIMITS.getMaxTokenCount() > 0;

  JsonScanner(JsonTape tape) {
    this.tape = tape;
    this.doc = tape.doc;
    this.text = tape.text;
    this.n = doc.length();
  }

  /** Reads the document into the tape; false when it is not JSON. */
  boolean scan() {
    int[] open = new int[8];
    int depth = 0;
    int pos = 0;
    int memberName = -1;
    int memberNameEnd = -1;
    boolean memberEscaped = false;
    boolean justOpened = false;
    int state = 0; // 0 a value, 1 a member name, 2 after a value
    while (true) {
      pos = space(pos);
      if (state == 2) {
        if (depth == 0) {
          return pos == n && (!askJackson || jacksonReads());
        }
        int top = open[depth - 1];
        char c = pos < n ? text[pos] : 0;
        if (c == ',') {
          state = tape.kind[top] == JsonTape.OBJECT ? 1 : 0;
          justOpened = false;
        } else if (c == (tape.kind[top] == JsonTape.OBJECT ? '}' : ']')) {
          tape.end[top] = pos + 1;
          tape.next[top] = tape.size;
          depth--;
        } else {
          return false;
        }
        pos++;
        continue;
      }
      if (pos >= n) {
        return false;
      }
      char c = text[pos];
      if (justOpened && c == (state == 1 ? '}' : ']')) {
        state = 2;
        justOpened = false;
        continue; // the close is read as after a value
      }
      justOpened = false;
      if (state == 1) {
        if (c != '"') {
          return false;
        }
        memberName = pos;
        memberNameEnd = string(pos);
        memberEscaped = escapeSeen;
        if (memberNameEnd < 0) {
          return false;
        }
        askJackson |= memberNameEnd - pos - 2 > LIMITS.getMaxNameLength();
        pos = space(memberNameEnd);
        if (pos >= n || text[pos] != ':') {
          return false;
        }
        pos++;
        state = 0;
        continue;
      }
      int v = tape.add(pos, memberName, memberNameEnd, memberEscaped);
      memberName = -1;
      if (c == '{' || c == '[') {
        tape.kind[v] = c == '{' ? JsonTape.OBJECT : JsonTape.ARRAY;
        if (depth == open.length) {
          open = Arrays.copyOf(open, depth * 2);
        }
        open[depth++] = v;
        askJackson |= depth > LIMITS.getMaxNestingDepth();
        state = c == '{' ? 1 : 0;
        justOpened = true;
        pos++;
        continue;
      }
      if (depth == 0) {
        return false; // a document is an object or an array
      }
      int after;
      if (c == '"') {
        tape.kind[v] = JsonTape.STRING;
        after = string(pos);
        if (escapeSeen) {
          tape.flags[v] |= JsonTape.ESCAPED;
        }
        askJackson |= after - pos - 2 > LIMITS.getMaxStringLength();
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        tape.kind[v] = JsonTape.NUMBER;
        after = number(pos);
        askJackson |= after - pos > LIMITS.getMaxNumberLength();
      } else {
        tape.kind[v] = JsonTape.LITERAL;
        after = doc.startsWith("true", pos) || doc.startsWith("null", pos) ? pos + 4
            : doc.startsWith("false", pos) ? pos + 5 : -1;
      }
      if (after < 0) {
        return false;
      }
      tape.end[v] = after;
      tape.next[v] = v + 1;
      pos = after;
      state = 2;
    }
  }

  /** Past the string whose opening quote is at {@code pos}; -1 when it is not one. */
  private int string(int pos) {
    escapeSeen = false;
    for (int i = pos + 1; i < n; i++) {
      char c = text[i];
      if (c == '"') {
        return i + 1;
      }
      if (c < 0x20) {
        return -1;
      }
      if (c == '\\') {
        escapeSeen = true;
        if (++i >= n) {
          return -1;
        }
        char e = text[i];
        if (e == 'u') {
          if (i + 4 >= n) {
            return -1;
          }
          for (int h = i + 1; h <= i + 4; h++) {
            char x = text[h];
            if (!(x >= '0' && x <= '9') && !(x >= 'a' && x <= 'f') && !(x >= 'A' && x <= 'F')) {
              return -1;
            }
          }
          i += 4;
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** Past the number starting at {@code pos}; -1 when it is not one. */
  private int number(int pos) {
    int i = pos;
    if (text[i] == '-') {
      i++;
    }
    int digits = digits(i);
    if (digits == i) {
      return -1;
    }
    if (text[i] == '0' && digits > i + 1) {
      return i + 1; // a leading zero ends the number, and the digit after it is then refused
    }
    i = digits;
    if (i < n && text[i] == '.') {
      int fraction = digits(i + 1);
      if (fraction == i + 1) {
        return -1;
      }
      i = fraction;
    }
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
      i++;
      if (i < n && (text[i] == '+' || text[i] == '-')) {
        i++;
      }
      int exponent = digits(i);
      if (exponent == i) {
        return -1;
      }
      i = exponent;
    }
    return i;
  }

  private int digits(int i) {
    while (i < n && text[i] >= '0' && text[i] <= '9') {
      i++;
    }
    return i;
  }

  private int space(int pos) {
    while (pos < n) {
      char c = text[pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      pos++;
    }
    return pos;
  }


  private boolean jacksonReads() {
    try {
      JsonTape.JSON.readTree(doc);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
