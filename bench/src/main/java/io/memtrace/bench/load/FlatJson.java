package io.memtrace.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON document as a flat map from dotted paths to scalar text ({@code {"ack":{"p99_ms":3}}}
 * becomes {@code ack.p99_ms -> 3}; array elements are {@code path.0}, {@code path.1}). Enough to
 * read serve's {@code /api/status} and the query API's answers without a JSON library in the
 * benchmark jar, and without knowing in advance under which names a statistic will appear.
 */
final class FlatJson {

  private final String text;
  private int at;
  private final Map<String, String> values = new LinkedHashMap<>();

  private FlatJson(String text) {
    this.text = text;
  }

  /** @throws IllegalArgumentException naming the offset when {@code json} is not valid JSON */
  static Map<String, String> parse(String json) {
    FlatJson p = new FlatJson(json);
    p.value("");
    p.space();
    if (p.at != json.length()) {
      throw p.error("text after the JSON value");
    }
    return p.values;
  }

  private void value(String path) {
    space();
    char c = peek();
    if (c == '{') {
      at++;
      if (!consume('}')) {
        do {
          space();
          String name = string();
          space();
          expect(':');
          value(path.isEmpty() ? name : path + "." + name);
          space();
        } while (consume(','));
        expect('}');
      }
    } else if (c == '[') {
      at++;
      int i = 0;
      if (!consume(']')) {
        do {
          value(path.isEmpty() ? String.valueOf(i) : path + "." + i);
          i++;
          space();
        } while (consume(','));
        expect(']');
      }
    } else if (c == '"') {
      values.put(path, string());
    } else {
      int start = at;
      while (at < text.length() && "{}[],: \t\r\n".indexOf(text.charAt(at)) < 0) {
        at++;
      }
      if (start == at) {
        throw error("a value");
      }
      values.put(path, text.substring(start, at));
    }
  }

  private String string() {
    expect('"');
    StringBuilder s = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return s.toString();
      }
      if (c == '\\') {
        char e = next();
        switch (e) {
          case 'n': s.append('\n'); break;
          case 't': s.append('\t'); break;
          case 'r': s.append('\r'); break;
          case 'b': s.append('\b'); break;
          case 'f': s.append('\f'); break;
          case 'u':
            s.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
            break;
          default: s.append(e);
        }
      } else {
        s.append(c);
      }
    }
  }

  private void space() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private char peek() {
    if (at >= text.length()) {
      throw error("a value");
    }
    return text.charAt(at);
  }

  private char next() {
    char c = peek();
    at++;
    return c;
  }

  private boolean consume(char c) {
    space();
    if (at < text.length() && text.charAt(at) == c) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!consume(c)) {
      throw error("'" + c + "'");
    }
  }

  private IllegalArgumentException error(String wanted) {
    return new IllegalArgumentException("not JSON: expected " + wanted + " at offset " + at + " of "
        + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
  }

  /** JSON text of a string, quotes included. */
  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        q.append('\\').append(c);
      } else if (c < 0x20) {
        q.append(String.format("\\u%04x", (int) c));
      } else {
        q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
