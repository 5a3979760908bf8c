package io.memtrace.agent.redis;

import io.memtrace.agent.util.AgentLog;
import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.RedisCommandFiles;
import java.io.IOException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/**
 * The Redis commands memtrace understands, read once, when the consumer reads its first command
 * (about 30 ms of CPU in a cold JVM, 2.5 ms warm; not on the agent's start-up path), from the
 * files {@link RedisCommandFiles} keeps in the common module, which the collector reads too.
 * A command not listed still gets a span, but no key is taken from it and all its arguments are
 * shown as {@code ?}: unknown means private.
 */
final class RedisCommandTable {

  private static final Map<String, CommandSpec> SPECS = load();

  private RedisCommandTable() {
  }

  private static Map<String, CommandSpec> load() {
    try {
      return RedisCommandFiles.specs();
    } catch (IOException | RuntimeException e) {
      // the agent must run on: every command is then unknown, so nothing private leaks
      AgentLog.error("cannot read the Redis command table; Redis spans show no keys or values", e);
      return Collections.emptyMap();
    }
  }

  /** The spec of {@code name} (any case), or {@link CommandSpec#UNKNOWN}. */
  static CommandSpec lookup(String name) {
    CommandSpec spec = SPECS.get(name);
    if (spec == null) {
      spec = SPECS.get(name.toUpperCase(Locale.ROOT));
    }
    return spec == null ? CommandSpec.UNKNOWN : spec;
  }

  /** Every command, by upper-case name; subcommands are inside their containers. */
  static Map<String, CommandSpec> all() {
    return Collections.unmodifiableMap(SPECS);
  }
}
