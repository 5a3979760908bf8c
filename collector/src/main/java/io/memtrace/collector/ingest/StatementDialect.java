package io.memtrace.collector.ingest;

import java.util.List;
import java.util.Locale;

/**
 * How an instrumentation writes its Redis statements, known from its instrumentation scope, and so which words of a
 * statement can be trusted as they stand (docs/redis-statements.md has each one, read from its source). None quotes
 * an argument, so a key that holds a space is two words; each check below finds the statements where that, or a
 * statement split in the wrong place, has happened, and then every key of the command is unknown rather than wrong.
 * What each one keeps of a command's arguments, by the command's name, is in {@link KeptArguments}.
 */
enum StatementDialect {

  /**
   * Node's ioredis and node-redis (through {@code @opentelemetry/redis-common}): the first N arguments as they are,
   * N by the command's name, then {@code [M other arguments]} when some were left out. So the words between the name
   * and that mark are exactly N, and with no mark there are no more than N (unless every argument is kept).
   */
  NODE(new StatementMarks(false, true, false, false, 0)) {
    @Override
    boolean trusted(StatementCommand command) {
      int kept = KeptArguments.node(command.word(0));
      int plain = command.wordsBeforeOthers() - 1;
      if (kept < 0) {
        // every argument kept: a mark is a key's own text
        return !command.hasOthers();
      }
      // one mark, ending the statement: another, or words after it, are a key's own text
      return command.hasOthers() ? command.othersOnceAtEnd() && plain == kept : plain <= kept;
    }

    @Override
    boolean counted(StatementCommand command) {
      // exactly the N it keeps before the mark: had one held a space, there would be more
      return KeptArguments.node(command.word(0)) >= 0 && command.hasOthers();
    }
  },
  /**
   * The OpenTelemetry Java agent's Jedis and Lettuce instrumentations, through its Redis sanitizer (on by default):
   * the first N arguments, then {@code ?} for each of the rest, or for {@code MSET}-like commands the keys with a
   * {@code ?} after each. So a word that is not {@code ?} past the N, or out of the key-value rhythm, shows a key
   * that held a space (or a sanitizer switched off, whose values then stand where keys are sought). Since 2.27 the
   * text is cut at 32 KiB with no mark; a newline is an argument's own (batches are joined with {@code ;}).
   */
  JAVA(new StatementMarks(true, false, false, false, 32 * 1024)) {
    @Override
    boolean trusted(StatementCommand command) {
      String name = command.word(0).toUpperCase(Locale.ROOT);
      List<byte[]> args = command.args();
      int kept = KeptArguments.java(name);
      if (kept > 0) {
        for (int i = kept + 1; i < args.size(); i++) {
          if (!command.hidden(i)) {
            return false;
          }
        }
        return true;
      }
      Integer pairsFrom = KeptArguments.javaPairsFrom(name);
      if (pairsFrom != null) {
        // MSET k1 ? k2 ?: after the first words, a key then a hidden value, over and over
        for (int i = pairsFrom + 1; i < args.size(); i++) {
          if (command.hidden(i) != ((i - pairsFrom) % 2 == 0)) {
            return false;
          }
        }
        return true;
      }
      // any other keeps every argument or hides every one; EVAL keeps its script, numkeys and keys, then hides the
      // rest: a ? among kept words, or a word after a ?, is a key's own text
      boolean hidden = false;
      boolean shown = false;
      for (int i = 1; i < args.size(); i++) {
        if (command.hidden(i)) {
          hidden = true;
        } else if (hidden) {
          return false;
        } else {
          shown = true;
        }
      }
      return name.startsWith("EVAL") || !(hidden && shown);
    }

    @Override
    boolean counted(StatementCommand command) {
      // the N it keeps, then a ?: had one held a space, a word would stand where the first ? does; and the pairs'
      // rhythm, kept, shows the same
      String name = command.word(0).toUpperCase(Locale.ROOT);
      int kept = KeptArguments.java(name);
      return (kept > 0 && command.args().size() > kept + 1 && command.hidden(kept + 1))
          || KeptArguments.javaPairsFrom(name) != null;
    }
  },
  /**
   * go-redis's redisotel hook: every argument, but one holding a byte outside printable ASCII is written as bare hex
   * (before v9.18, one holding a space too), and before v9.8 each was cut to 64 bytes with no mark. A word that
   * could be hex, or is exactly 64 bytes long, may not be the key it reads as. A pipeline is one command a line (a
   * newline inside an argument is written as hex).
   */
  GO(new StatementMarks(false, false, false, true, 0)) {
    @Override
    boolean trusted(StatementCommand command) {
      for (int i = command.firstArgument(); i < command.args().size(); i++) {
        if (command.isKey(i) && !command.hidden(i)) {
          byte[] word = command.args().get(i);
          if (word.length == 64 || (word.length % 2 == 0 && hex(word))) {
            return false;
          }
        }
      }
      return true;
    }
  },
  /**
   * Any other instrumentation (Python's hides every argument anyway, and cuts a long statement with {@code ...}):
   * every mark is read as one, a pipeline is one command a line, and only the command's own form is checked.
   */
  OTHER(new StatementMarks(true, true, true, true, 0)) {
    @Override
    boolean trusted(StatementCommand command) {
      return true;
    }
  };

  /** Whether {@code word} is lower-case hex digits, as go-redis writes an argument with a byte outside printable ASCII. */
  private static boolean hex(byte[] word) {
    for (byte b : word) {
      if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
        return false;
      }
    }
    return word.length > 0;
  }

  private final StatementMarks marks;

  StatementDialect(StatementMarks marks) {
    this.marks = marks;
  }

  /** The marks it writes into a statement, which are read as marks and not as a key's own text. */
  StatementMarks marks() {
    return marks;
  }

  /** Whether the words can be read as they stand, as far as this instrumentation's way of writing shows. */
  abstract boolean trusted(StatementCommand command);

  /**
   * Whether, trusted, the words are whole arguments each, as this instrumentation's way of writing shows (it counted
   * them): then no two neighbouring words need be tried as one argument that held a space.
   */
  boolean counted(StatementCommand command) {
    return false;
  }

  /** The dialect of an instrumentation scope's name. */
  static StatementDialect of(String scope) {
    if (scope == null) {
      return OTHER;
    }
    if (scope.startsWith("@opentelemetry/instrumentation-ioredis") || scope.startsWith("@opentelemetry/instrumentation-redis")) {
      return NODE;
    }
    if (scope.startsWith("io.opentelemetry.jedis") || scope.startsWith("io.opentelemetry.lettuce")) {
      return JAVA;
    }
    return scope.contains("go-redis/extra/redisotel") ? GO : OTHER;
  }
}
