package io.memtrace.collector.truth;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oracle's check of itself against MONITOR, Redis's own list of every command and its client: the commands on
 * the scenarios' keys that each client sent, counted by client and command, must be the ones the suite believes each
 * actor sent. A difference (a retry, a command sent by the wrong client) is an inconsistency of the suite, reported
 * beside the table, never a verdict on memtrace.
 */
final class MonitorCheck {

  /** {@code 1732849651.123456 [2 127.0.0.1:54321] "SET" "t1:a" ...}: the client's address and the command's words. */
  private static final Pattern LINE =
      Pattern.compile("^[\\d.]+ \\[\\d+ ([^\\]]+)\\] \"([A-Za-z]+)\"(?: \"(t\\d+:[ab])\")?");

  private MonitorCheck() {
  }

  /** For each client address in {@code actors} (address to actor), the count of its commands by name on the keys. */
  static Map<String, Long> count(List<String> monitor, Map<String, String> actors) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : monitor) {
      Matcher m = LINE.matcher(line);
      if (m.find() && m.group(3) != null && actors.containsKey(m.group(1))) {
        counts.merge(actors.get(m.group(1)) + " " + m.group(2).toUpperCase(java.util.Locale.ROOT), 1L, Long::sum);
      }
    }
    return counts;
  }
}
