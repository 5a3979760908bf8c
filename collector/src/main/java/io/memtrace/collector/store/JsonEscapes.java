package io.memtrace.collector.store;

/**
 * Repairs JSON text that an older collector wrote with escaped lone surrogates ({@code \ud800}
 * without its pair), which DuckDB's JSON reader refuses. Each lone one becomes {@code \ufffd}, the
 * escape of U+FFFD: the rule ingest now applies to text before it is stored
 * ({@code io.memtrace.collector.ingest.ValidText}), here one level down, on escapes in stored text.
 */
final class JsonEscapes {

  private JsonEscapes() {
  }

  /** {@code json} with every escaped lone surrogate replaced; the same instance when there is none. */
  static String repairLoneSurrogates(String json) {
    StringBuilder out = null;
    int copied = 0;
    for (int i = 0; i < json.length(); i++) {
      if (json.charAt(i) != '\\' || i + 1 >= json.length()) {
        continue;
      }
      int unit = json.charAt(i + 1) == 'u' ? codeUnit(json, i) : -1;
      if (unit < 0 || !Character.isSurrogate((char) unit)) {
        i++; // skip the escaped character, which may itself be a backslash
        continue;
      }
      if (Character.isHighSurrogate((char) unit) && Character.isLowSurrogate((char) Math.max(codeUnit(json, i + 6), 0))) {
        i += 11; // a valid pair: both escapes stay
        continue;
      }
      if (out == null) {
        out = new StringBuilder(json.length());
      }
      out.append(json, copied, i).append("\\ufffd");
      copied = i + 6;
      i += 5;
    }
    return out == null ? json : out.append(json, copied, json.length()).toString();
  }

  /** The code unit of a {@code \\uXXXX} escape starting at {@code at}, or -1. */
  private static int codeUnit(String json, int at) {
    if (at + 6 > json.length() || json.charAt(at) != '\\' || json.charAt(at + 1) != 'u') {
      return -1;
    }
    int unit = 0;
    for (int i = at + 2; i < at + 6; i++) {
      int digit = Character.digit(json.charAt(i), 16);
      if (digit < 0) {
        return -1;
      }
      unit = unit << 4 | digit;
    }
    return unit;
  }
}
