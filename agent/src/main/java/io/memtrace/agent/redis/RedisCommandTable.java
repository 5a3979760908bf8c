package io.memtrace.agent.redis;

import io.memtrace.agent.util.AgentLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Redis commands memtrace understands, read once, when the consumer reads its first command
 * (about 30 ms of CPU in a cold JVM, 2.5 ms warm; not on the agent's start-up path), from two
 * resources beside this class:
 * {@code redis-commands.tsv}, generated from Redis's own command metadata (key specs, option
 * words), and {@code redis-command-overlay.txt}, memtrace's reading of each command, kept by hand.
 * A command not listed still gets a span, but no key is taken from it and all its arguments are
 * shown as {@code ?}: unknown means private.
 */
final class RedisCommandTable {

  static final String TABLE = "redis-commands.tsv";
  static final String OVERLAY = "redis-command-overlay.txt";

  private static final Map<String, CommandSpec> SPECS = load();

  private RedisCommandTable() {
  }

  private static Map<String, CommandSpec> load() {
    try {
      return CommandTableReader.specs(rows(), overlay());
    } catch (IOException | RuntimeException e) {
      // the agent must run on: every command is then unknown, so nothing private leaks
      AgentLog.error("cannot read the Redis command table; Redis spans show no keys or values", e);
      return Collections.emptyMap();
    }
  }

  static List<CommandTableReader.Row> rows() throws IOException {
    try (BufferedReader in = open(TABLE)) {
      return CommandTableReader.rows(in);
    }
  }

  static CommandOverlay overlay() throws IOException {
    try (BufferedReader in = open(OVERLAY)) {
      return CommandOverlay.read(in);
    }
  }

  private static BufferedReader open(String resource) throws IOException {
    InputStream in = RedisCommandTable.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IOException(resource + " is missing from the agent");
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
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
