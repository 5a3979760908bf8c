package io.memtrace.common.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What memtrace knows about one Redis command or subcommand: where its keys are and which of its
 * words are options (generated from Redis's metadata, {@code redis-commands.tsv}), and what it
 * means for memory: read or write, how a reply tells a hit from a miss, where a TTL is given,
 * which arguments are the bytes written, which are secret ({@code redis-command-overlay.txt}).
 * Positions count the command name as 0, as Redis's own {@code COMMAND INFO} does.
 */
public final class CommandSpec {

  public enum Access { READ, WRITE, DELETE, OTHER }

  /** How a read's reply says whether something was found. */
  public enum Found { NONE, NIL, COUNT, TOTAL }

  /** Where a write's TTL is. */
  public enum Ttl { NONE, OPTIONS, OPTIONS_AFTER_KEYS, ARG2_SECONDS, ARG2_MILLIS }

  /** Which arguments are the bytes written. */
  public enum Written { NONE, VALUES, ARG2, ARG3, LAST }

  /** Arguments never shown, even with {@code capture.values: true}. */
  public enum Secret { NONE, VALUES, AFTER_ARG1 }

  /** What the overlay says of a command; the same instance may serve many commands. */
  public static final class Meaning {
    public static final Meaning OTHER = new Meaning(Access.OTHER, Found.NONE, Ttl.NONE, Written.NONE,
        Secret.NONE, false);

    public final Access access;
    public final Found found;
    public final Ttl ttl;
    public final Written written;
    public final Secret secret;
    /** Argument 1 names a stored script or function ({@code EVALSHA}, {@code FCALL}). */
    public final boolean procedure;

    Meaning(Access access, Found found, Ttl ttl, Written written, Secret secret, boolean procedure) {
      this.access = access;
      this.found = found;
      this.ttl = ttl;
      this.written = written;
      this.secret = secret;
      this.procedure = procedure;
    }

    Meaning withSecret(Secret secret) {
      return new Meaning(access, found, ttl, written, secret, procedure);
    }

    Meaning withProcedure() {
      return new Meaning(access, found, ttl, written, secret, true);
    }
  }

  /** Unknown means private: no key is taken and no argument is ever shown. */
  public static final CommandSpec UNKNOWN = new CommandSpec("UNKNOWN", 0, new KeySpec[0], 0, 0,
      new String[0], new Meaning(Access.OTHER, Found.NONE, Ttl.NONE, Written.NONE, Secret.VALUES, false),
      new CommandSpec[0]);

  /** The command's name, or for a subcommand its own name ({@code ENCODING} of {@code OBJECT}). */
  public final String name;
  public final byte[] nameBytes;
  /**
   * Redis's arity: how many words the command takes with its name (and its container's, for a subcommand), exactly
   * when positive, at least when negative; 0 when the table does not say.
   */
  public final int arity;
  public final KeySpec[] keys;
  /** Position of a RediSearch index name (not a key, shown like one), or 0. */
  public final int indexAt;
  /** First position where option words may appear, or {@link Integer#MAX_VALUE}. */
  public final int optionsFrom;
  /** The command's own option words, upper case. */
  public final String[] optionWords;
  private final byte[][] optionWordBytes;
  public final Meaning meaning;
  /** For a container such as {@code OBJECT} or {@code CONFIG}, its subcommands; else empty. */
  public final CommandSpec[] subcommands;

  CommandSpec(String name, int arity, KeySpec[] keys, int indexAt, int optionsFrom, String[] optionWords,
      Meaning meaning, CommandSpec[] subcommands) {
    this.name = name;
    this.arity = arity;
    this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
    this.keys = keys;
    this.indexAt = indexAt;
    this.optionsFrom = optionsFrom <= 0 ? Integer.MAX_VALUE : optionsFrom;
    this.optionWords = optionWords;
    this.optionWordBytes = new byte[optionWords.length][];
    for (int i = 0; i < optionWords.length; i++) {
      optionWordBytes[i] = optionWords[i].getBytes(StandardCharsets.US_ASCII);
    }
    this.meaning = meaning;
    this.subcommands = subcommands;
  }

  public boolean hasKeys() {
    return keys.length > 0;
  }

  /** The subcommand {@code arg} names (any case), or {@code null}. */
  public CommandSpec subcommand(byte[] arg) {
    for (CommandSpec sub : subcommands) {
      if (KeySpec.equalsIgnoreCase(arg, sub.nameBytes)) {
        return sub;
      }
    }
    return null;
  }

  /** The option word {@code arg} is (any case), or {@code null} when it is none of this command's. */
  public String optionWord(byte[] arg) {
    for (int i = 0; i < optionWordBytes.length; i++) {
      if (KeySpec.equalsIgnoreCase(arg, optionWordBytes[i])) {
        return optionWords[i];
      }
    }
    return null;
  }

  /** {@link #optionWord} of {@code args[i]} when options may stand at {@code i}, else {@code null}. */
  public String optionWord(int i, List<byte[]> args) {
    return i >= optionsFrom ? optionWord(args.get(i)) : null;
  }

  /** Marks in {@code keys} every position of {@code args} that holds a key; clears the rest. */
  public void markKeys(List<byte[]> args, boolean[] keys) {
    Arrays.fill(keys, 0, args.size(), false);
    for (KeySpec spec : this.keys) {
      spec.mark(args, keys);
    }
  }
}
