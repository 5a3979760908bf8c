package io.memtrace.agent.redis;

import io.memtrace.common.redis.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A command name as sent, decoded and upper-cased, with what {@link RedisCommandTable} says of it.
 * Jedis sends a command's name as the same constant byte array every time (its
 * {@code Protocol.Command}), so a name is decoded and looked up once per array, not once per command.
 */
final class CommandName {

  /** Not looked up: the table is read when the first command is, on the consumer, not at start. */
  static final CommandName UNKNOWN = new CommandName("UNKNOWN", CommandSpec.UNKNOWN);

  /** Names already resolved, by the identity of the bytes they were sent as. */
  private static final Map<byte[], CommandName> RESOLVED = new ConcurrentHashMap<>();
  private static final int RESOLVED_LIMIT = 1024;

  final String name;
  final CommandSpec spec;

  private CommandName(String name, CommandSpec spec) {
    this.name = name;
    this.spec = spec;
  }

  /** The name sent as {@code raw}, resolved once per array while fewer than 1024 are kept. */
  static CommandName of(byte[] raw) {
    CommandName resolved = RESOLVED.get(raw);
    if (resolved == null) {
      String name = new String(raw, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
      resolved = new CommandName(name, RedisCommandTable.lookup(name));
      if (RESOLVED.size() < RESOLVED_LIMIT) { // names built afresh for each call are not kept
        RESOLVED.put(raw, resolved);
      }
    }
    return resolved;
  }
}
