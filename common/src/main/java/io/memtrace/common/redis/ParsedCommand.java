package io.memtrace.common.redis;

import java.util.List;

/**
 * A Redis command as memtrace read it: its arguments (the name first), what the command table says of it, and
 * which arguments are keys. The agent reads one from the bytes a client sent; the collector from the statement
 * text of another instrumentation's span. {@link CommandEffects} reads either.
 */
public interface ParsedCommand {

  /** The arguments, the command name first. */
  List<byte[]> args();

  /** What the table says of the command, or of its subcommand. */
  CommandSpec spec();

  /** Whether position {@code i} holds a key, by the command's key specs. */
  boolean isKey(int i);

  /** Where the command's own arguments start: 2 after a subcommand, else 1. */
  int firstArgument();
}
