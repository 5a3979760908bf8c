package io.memtrace.testsupport.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a Redis node's {@code MONITOR} stream, {@code 1700000000.123456 [0 127.0.0.1:54321] "SET" "k" "v"}:
 * the database, the client that sent the command ({@code lua} for a script's own calls) and its arguments as the
 * bytes sent. Arguments are quoted, with {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \a},
 * {@code \b} and {@code \xNN} escapes; Redis escapes every byte that is not printable ASCII.
 */
public final class MonitorLine {

  public final String db;
  public final String client;
  public final List<byte[]> args;

  private MonitorLine(String db, String client, List<byte[]> args) {
    this.db = db;
    this.client = client;
    this.args = args;
  }

  /** The line parsed, or null when it is not a command's line. */
  public static MonitorLine parse(String line) {
    int open = line.indexOf('[');
    int close = line.indexOf(']', open);
    if (open < 0 || close < 0) {
      return null;
    }
    String[] source = line.substring(open + 1, close).split(" ", 2);
    List<byte[]> args = new ArrayList<>();
    int i = close + 1;
    while (i < line.length()) {
      if (line.charAt(i) != '"') {
        i++;
        continue;
      }
      ByteArrayOutputStream arg = new ByteArrayOutputStream();
      i++;
      while (i < line.length() && line.charAt(i) != '"') {
        char c = line.charAt(i);
        if (c == '\\' && i + 1 < line.length()) {
          char e = line.charAt(i + 1);
          if (e == 'x' && i + 3 < line.length()) {
            arg.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          arg.write(e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == 'a' ? 7 : e == 'b' ? '\b' : e);
          i += 2;
          continue;
        }
        arg.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        i++;
      }
      args.add(arg.toByteArray());
      i++;
    }
    return new MonitorLine(source[0], source.length > 1 ? source[1] : "", args);
  }

  /** Argument {@code i} as UTF-8 text (0 is the command's name), or null past the last. */
  public String arg(int i) {
    return i < args.size() ? new String(args.get(i), StandardCharsets.UTF_8) : null;
  }
}
