package io.memtrace.collector.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of one command's statement text, split as {@link StatementCommand} reads them: at single spaces, each
 * taken as it is, except where the instrumentation ({@link StatementDialect}) writes its marks: a {@code ?} is a
 * hidden argument, an {@code [N other arguments]} stands for N hidden ones, and the word a truncated statement cut
 * (text ending in {@code ...} or {@code …}, or the Java agent's cut at its limit) is hidden. Beside the words, what
 * the reader judges them by: whether the text was cut, where the marks of left-out arguments stood, and whether a
 * space stood where no instrumentation puts one.
 *
 * @param args       the words, the command's name first, each hidden one {@link #HIDDEN}
 * @param cut        whether some argument after the last one read may be missing (cut text, too many others)
 * @param plainWords the words written out before the first {@code [N other arguments]}, the name included; -1 when
 *                   there is none
 * @param others     how many {@code [N other arguments]} marks were read
 * @param othersLast whether one of them ended the text
 * @param gaps       a space at either end or two in a row: an argument began or ended with a space, or was empty
 */
record StatementWords(List<byte[]> args, boolean cut, int plainWords, int others, boolean othersLast, boolean gaps) {

  /** The hidden argument, told apart by identity: a literal {@code ?} key cannot be one. */
  static final byte[] HIDDEN = "?".getBytes(StandardCharsets.US_ASCII);
  /** The most arguments an {@code [N other arguments]} is read as: past them, positions are unknown anyway. */
  static final int MAX_ARGUMENTS = 4096;
  private static final Pattern OTHERS = Pattern.compile("\\[(\\d{1,9}) other arguments?]");

  /** Splits {@code text}, one command's line, reading as marks only the {@code marks} its instrumentation writes. */
  static StatementWords read(String text, StatementMarks marks) {
    String body = text;
    boolean marked = marks.cuts() && (body.endsWith("...") || body.endsWith("\u2026"));
    if (marked) {
      body = body.substring(0, body.length() - (body.endsWith("...") ? 3 : 1));
    }
    // the Java agent cuts at its limit with no mark: text that long may have lost its end
    boolean cut = marked || (marks.cutsAt() > 0 && text.length() >= marks.cutsAt());
    List<byte[]> args = new ArrayList<>();
    int plainWords = -1;
    int others = 0;
    boolean othersLast = false;
    // (a space at the end is only the cut's, when the text was cut)
    int n = body.length();
    boolean gaps = body.startsWith(" ") || body.contains("  ") || (body.endsWith(" ") && !cut);
    int i = 0;
    while (i < n) {
      if (body.charAt(i) == ' ') {
        i++;
        continue;
      }
      othersLast = false;
      if (body.charAt(i) == '[' && marks.others()) {
        Matcher mark = OTHERS.matcher(body).region(i, n);
        if (mark.lookingAt() && (mark.end() == n || body.charAt(mark.end()) == ' ')) {
          plainWords = plainWords < 0 ? args.size() : plainWords;
          others++;
          othersLast = true;
          long count = Long.parseLong(mark.group(1));
          for (long k = 0; k < count && args.size() < MAX_ARGUMENTS; k++) {
            args.add(HIDDEN);
          }
          cut |= args.size() >= MAX_ARGUMENTS;
          i = mark.end();
          continue;
        }
      }
      int start = i;
      while (i < n && body.charAt(i) != ' ') {
        i++;
      }
      String word = body.substring(start, i);
      args.add(word.equals("?") && marks.hidden() ? HIDDEN : word.getBytes(StandardCharsets.UTF_8));
    }
    if (cut && !args.isEmpty() && !body.isEmpty() && !body.endsWith(" ") && !othersLast) {
      // the last word ran into the cut: only its beginning is known
      args.set(args.size() - 1, HIDDEN);
    }
    return new StatementWords(args, cut, plainWords, others, othersLast, gaps);
  }

  /** A command's name, upper case, as the table keys it; the names a fleet sends are few, so each is made once. */
  static String upperCase(byte[] word) {
    String written = new String(word, StandardCharsets.UTF_8);
    String upper = UPPER.get(written);
    if (upper == null) {
      upper = written.toUpperCase(Locale.ROOT);
      if (UPPER.size() < 4096) {
        UPPER.put(written, upper);
      }
    }
    return upper;
  }

  private static final ConcurrentHashMap<String, String> UPPER =
      new ConcurrentHashMap<>();

  /** The commands of a statement that holds several, one per line (a pipeline or a transaction). */
  static List<String> lines(String text) {
    return lines(text, true, false);
  }

  /**
   * The commands of a statement: with {@code newlines}, one per line (go-redis's and redis-py's pipelines; elsewhere
   * a newline is an argument's own), and with {@code semicolons} also split at {@code ;} (the OpenTelemetry Java
   * agent's batch spans join their commands with {@code ;} or {@code "; "}; the space after one is the join's).
   */
  static List<String> lines(String text, boolean newlines, boolean semicolons) {
    if ((!newlines || text.indexOf('\n') < 0) && (!semicolons || text.indexOf(';') < 0)) {
      // one command: the usual case, without a regular expression
      return text.isBlank() ? List.of() : List.of(semicolons && text.startsWith(" ") ? text.substring(1) : text);
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.split(semicolons ? (newlines ? "[\n;]" : ";") : "\n")) {
      line = semicolons && line.startsWith(" ") ? line.substring(1) : line;
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }
}
