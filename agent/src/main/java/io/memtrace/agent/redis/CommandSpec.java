package io.memtrace.agent.redis;

/**
 * What memtrace knows about one Redis command: where its keys are, whether it reads or writes, how
 * to tell a hit from a miss, and where a TTL is given. Positions count the command name as 0, as
 * Redis's own {@code COMMAND INFO} does.
 */
final class CommandSpec {

  enum Access { READ, WRITE, DELETE, OTHER }

  /** How a read's reply says whether something was found. */
  enum Found { NONE, NIL, COUNT }

  /** Where a write's TTL is. */
  enum Ttl { NONE, SET_OPTIONS, ARG2_SECONDS, ARG2_MILLIS }

  /** Which arguments are the bytes written. */
  enum Written { NONE, ALL_BUT_KEYS, ARG2, ARG3, SET }

  /** Arguments never shown, even with {@code capture.values: true}. */
  enum Secret { NONE, ALL, AFTER_ARG1 }

  /** Unknown means private: no key is taken and no argument is ever shown. */
  static final CommandSpec UNKNOWN =
      new CommandSpec(Access.OTHER, 0, 0, 1, Found.NONE, Ttl.NONE, Written.NONE, Secret.ALL, false);

  final Access access;
  final int firstKey;
  /** Last key position; -1 means the last argument. */
  final int lastKey;
  final int keyStep;
  final Found found;
  final Ttl ttl;
  final Written written;
  final Secret secret;
  /** The first argument is a subcommand (CLIENT SETINFO) and is shown as is. */
  final boolean subcommand;

  CommandSpec(Access access, int firstKey, int lastKey, int keyStep, Found found, Ttl ttl,
      Written written, Secret secret, boolean subcommand) {
    this.access = access;
    this.firstKey = firstKey;
    this.lastKey = lastKey;
    this.keyStep = keyStep;
    this.found = found;
    this.ttl = ttl;
    this.written = written;
    this.secret = secret;
    this.subcommand = subcommand;
  }

  boolean isKey(int position, int argCount) {
    if (firstKey == 0 || position < firstKey) {
      return false;
    }
    int last = lastKey < 0 ? argCount - 1 : lastKey;
    return position <= last && (position - firstKey) % keyStep == 0;
  }
}
