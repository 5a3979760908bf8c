package io.memtrace.agent.redis;

import io.memtrace.agent.util.Utf8Text;
import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.CommandSpec.Secret;
import java.util.List;

/**
 * Writes a command's {@code db.query.text}: keys kept (or hashed, or hidden, as a {@link KeyPolicy}
 * says), option words and the databases of {@code SWAPDB} kept, everything else replaced by {@code ?}, whatever
 * {@code capture.values} says:
 * every backend indexes this attribute, so a captured value travels only in its {@code memory.value}
 * event. Into one UTF-8 buffer it reuses, so one per {@link RedisCommandInfo}, on one thread.
 */
final class QueryTextWriter {

  /** Longest {@code db.query.text} in bytes of UTF-8; longer text is cut and ends with {@code ...}. */
  static final int MAX_QUERY_TEXT = 1024;

  private final Utf8Text text = new Utf8Text(128);

  /**
   * The text of {@code command}, valid until the next call. Keys shown as they are and in ASCII are
   * copied from the arguments as bytes.
   */
  Utf8Text write(RedisCommandInfo command, KeyPolicy keys) {
    Utf8Text text = this.text;
    text.clear();
    text.append(command.name());
    CommandSpec spec = command.spec();
    List<byte[]> args = command.args();
    boolean subcommand = command.firstArgument() == 2;
    int n = args.size();
    int i = 1;
    Secret secret = spec.meaning.secret;
    boolean swapdb = spec.name.equals("SWAPDB");
    for (; i < n && text.length() < MAX_QUERY_TEXT; i++) {
      text.append(' ');
      byte[] arg = args.get(i);
      String word;
      if (secret == Secret.AFTER_ARG1) {
        if (i == 1) {
          text.appendUtf8(arg);
        } else {
          text.append('?');
        }
      } else if (i == 1 && subcommand) {
        text.append(spec.name);
      } else if (command.isKey(i) || i == spec.indexAt) {
        if (keys.showsKeysAsIs()) {
          text.appendUtf8(arg);
        } else {
          String key = command.shownKey(keys, i);
          text.append(key == null ? "?" : key);
        }
      } else if (i >= spec.optionsFrom && (word = spec.optionWord(arg)) != null) {
        text.append(word);
      } else if (swapdb && databaseIndex(arg)) {
        // the two databases SWAPDB exchanges: numbers of the server's, no value of the application's, and the only
        // sign of which keys changed, as Redis sends no keyspace event for it
        text.appendUtf8(arg);
      } else {
        text.append('?');
      }
    }
    if (text.length() > MAX_QUERY_TEXT || i < n) {
      text.cut(MAX_QUERY_TEXT - 3);
      text.append("...");
    }
    return text;
  }

  /** Whether {@code arg} is a database index: one to three ASCII digits. */
  private static boolean databaseIndex(byte[] arg) {
    if (arg.length == 0 || arg.length > 3) {
      return false;
    }
    for (byte b : arg) {
      if (b < '0' || b > '9') {
        return false;
      }
    }
    return true;
  }
}
