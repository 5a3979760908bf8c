package io.memtrace.collector.ingest;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one rule for text that is not valid Unicode: every lone UTF-16 surrogate (from a JSON
 * {@code \ud800} escape) and every invalid UTF-8 sequence (from protobuf or raw JSON bytes) becomes
 * U+FFFD, the replacement character, before anything is stored. DuckDB's JSON reader refuses an
 * escaped lone surrogate, so a single one stored used to make every later read of the row fail.
 * Replacing keeps the rest of the batch: a 400 would make the exporter drop all of it.
 */
public final class ValidText {

  public static final char REPLACEMENT = '\uFFFD';

  /** Strings repaired since the process started; shown by {@code /api/status}. */
  private static final LongAdder REPAIRED = new LongAdder();

  private ValidText() {
  }

  /** {@code s} itself when it is valid, else a copy with each lone surrogate replaced; counted in {@code repairs}. */
  public static String of(String s, TextRepairs repairs) {
    int bad = firstLoneSurrogate(s);
    if (bad < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length()).append(s, 0, bad);
    for (int i = bad; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
      }
    }
    counted(repairs, 1);
    return out.toString();
  }

  /** The index of the first surrogate that is not half of a pair, or -1. */
  static int firstLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /** Whether {@code bytes} are well-formed UTF-8: no overlong forms, no surrogates; protobuf's own check, without a copy. */
  static boolean isUtf8(byte[] bytes) {
    return UnsafeByteOperations.unsafeWrap(bytes).isValidUtf8();
  }

  /** {@code bytes} decoded with each invalid sequence replaced, encoded again: always valid UTF-8. */
  static byte[] utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
  }

  static void counted(TextRepairs repairs, int strings) {
    REPAIRED.add(strings);
    if (repairs != null) {
      repairs.add(strings);
    }
  }

  /** How many strings were repaired since the process started. */
  public static long repaired() {
    return REPAIRED.sum();
  }
}
