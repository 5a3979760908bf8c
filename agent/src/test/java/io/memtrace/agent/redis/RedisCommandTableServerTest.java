package io.memtrace.agent.redis;

import io.memtrace.common.redis.RedisCommandFiles;
import io.memtrace.common.redis.CommandSpec;
import io.memtrace.common.redis.KeySpec;
import io.memtrace.common.redis.CommandTableReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memtrace.testsupport.TestRedisPerClass;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The command table against the {@code COMMAND} reply of a live redis-server: the embedded 6.2
 * the tests start, or {@code REDIS_URL}. A command the server knows but the table lacks, or keys
 * the table places elsewhere than the server, fail the build. With a Redis 7 or newer at
 * {@code REDIS_URL}, the key specs themselves are compared too.
 */
class RedisCommandTableServerTest extends TestRedisPerClass {

  /**
   * What a 6.2 server lists that the table leaves out on purpose: {@code HOST:} and {@code POST}
   * only exist to drop HTTP requests sent to Redis, and Redis 7 removed {@code STRALGO} for
   * {@code LCS}.
   */
  private static final Set<String> LEFT_OUT = Set.of("HOST:", "POST", "STRALGO");

  /** Every command the server lists, subcommands (Redis 7+) included, by upper-case name. */
  private static final Map<String, ServerCommand> SERVER = new TreeMap<>();
  private static final Map<String, CommandTableReader.Row> TABLE = new HashMap<>();

  @BeforeAll
  static void askTheServer() throws Exception {
    try (Jedis jedis = new Jedis(redis.host, redis.port)) {
      for (Object entry : (List<?>) jedis.sendCommand(Protocol.Command.COMMAND)) {
        ServerCommand command = new ServerCommand((List<?>) entry);
        SERVER.put(command.name, command);
        command.subcommands.forEach(sub -> SERVER.put(sub.name, sub));
      }
    }
    for (CommandTableReader.Row row : RedisCommandFiles.rows()) {
      TABLE.put(row.name, row);
    }
  }

  @Test
  void shouldListEveryCommandTheServerKnows() {
    assertThat(SERVER).hasSizeGreaterThan(150);
    Set<String> missing = new TreeSet<>(SERVER.keySet());
    missing.removeAll(TABLE.keySet());
    missing.removeAll(LEFT_OUT);

    assertThat(missing).as("commands the server knows and the table does not").isEmpty();
  }

  @Test
  void shouldTakeTheServersKeysWhereTheirPositionsAreFixed() {
    Map<String, String> differ = new TreeMap<>();
    for (ServerCommand command : SERVER.values()) {
      if (command.movableKeys() || !command.subcommands.isEmpty() || isContainer(command)
          || (command.keySpecs != null && command.keySpecs.isEmpty())) {
        continue; // the last: Redis 7's sharded pub/sub, whose positions are channels, not keys
      }
      int argc = Math.max(Math.abs(command.arity), Math.max(command.lastKey, command.firstKey) + 1) + 2;
      if (command.arity > 0) {
        argc = command.arity;
      }
      Set<Integer> expected = command.legacyKeys(argc);
      Set<Integer> actual = keys(command.words(), argc);
      if (!expected.equals(actual)) {
        differ.put(command.name, "server " + expected + ", table " + actual + " of " + argc + " arguments");
      }
    }
    assertThat(differ).as("key positions that differ from the server's").isEmpty();
  }

  @Test
  void shouldBeginAtTheServersFirstKeyWhereKeysMove() {
    Map<String, String> differ = new TreeMap<>();
    for (ServerCommand command : SERVER.values()) {
      if (!command.movableKeys() || command.firstKey == 0) {
        continue;
      }
      CommandSpec spec = RedisCommandTable.lookup(command.words().get(0));
      KeySpec first = spec.keys.length == 0 ? null : spec.keys[0];
      if (first == null || first.beginIndex() != command.firstKey) {
        differ.put(command.name, "server begins at " + command.firstKey + ", table at "
            + (first == null ? "none" : first.beginIndex()));
      }
    }
    assertThat(differ).as("movable-key commands whose first key is elsewhere").isEmpty();
  }

  @Test
  void shouldPlaceTheServersKeysInEverySubcommandOfAContainer() {
    // Redis 6.2 gives a container one set of positions (OBJECT: 2) for all its subcommands
    Map<String, String> differ = new TreeMap<>();
    for (ServerCommand command : SERVER.values()) {
      if (!isContainer(command) || !command.subcommands.isEmpty() || command.firstKey == 0) {
        continue;
      }
      boolean any = false;
      for (CommandSpec sub : RedisCommandTable.lookup(command.name).subcommands) {
        if (sub.hasKeys()) {
          any = true;
          int argc = Math.max(Math.abs(TABLE.get(command.name + "|" + sub.name).arity), 3);
          Set<Integer> actual = keys(List.of(command.name, sub.name), argc);
          if (!actual.contains(command.firstKey)) {
            differ.put(command.name + "|" + sub.name, "server " + command.firstKey + ", table " + actual);
          }
        }
      }
      if (!any) {
        differ.put(command.name, "the server names keys, no subcommand in the table does");
      }
    }
    assertThat(differ).isEmpty();
  }

  @Test
  void shouldTakeNoKeysWhereTheServerTakesNone() {
    List<String> extra = new ArrayList<>();
    for (ServerCommand command : SERVER.values()) {
      if (command.firstKey == 0 && !command.movableKeys() && command.subcommands.isEmpty()
          && !isContainer(command)) {
        CommandTableReader.Row row = TABLE.get(command.name);
        if (row != null && row.declaresKeys()) {
          extra.add(command.name);
        }
      }
    }
    assertThat(extra).as("commands with keys in the table but none at the server").isEmpty();
  }

  @Test
  void shouldDeclareTheServersKeySpecsWhenItHasThem() {
    assumeTrue(SERVER.values().stream().anyMatch(c -> c.keySpecs != null),
        "key specs need Redis 7 or newer (set REDIS_URL)");
    Map<String, String> differ = new TreeMap<>();
    for (ServerCommand command : SERVER.values()) {
      CommandTableReader.Row row = TABLE.get(command.name);
      if (row == null || command.keySpecs == null) {
        continue;
      }
      List<String> ours = new ArrayList<>();
      if (row.declaresKeys()) {
        for (String spec : row.keySpecs.split(";")) {
          ours.add(spec.startsWith("unknown") ? "unknown" : spec.replaceAll(" flags=.*", ""));
        }
      }
      if (!ours.equals(command.keySpecs)) {
        differ.put(command.name, "server " + command.keySpecs + ", table " + ours);
      }
    }
    assertThat(differ).isEmpty();
  }

  /** A command whose subcommands the table lists apart (6.2 does not report them itself). */
  private static boolean isContainer(ServerCommand command) {
    return command.name.indexOf('|') < 0 && RedisCommandTable.lookup(command.name).subcommands.length > 0;
  }

  /** The positions the table takes as keys in {@code words} followed by placeholders up to {@code argc}. */
  private static Set<Integer> keys(List<String> words, int argc) {
    List<byte[]> args = new ArrayList<>();
    for (int i = 0; i < argc; i++) {
      args.add((i < words.size() ? words.get(i) : "x" + i).getBytes(StandardCharsets.US_ASCII));
    }
    RedisCommandInfo info = RedisCommandInfo.of(args);
    Set<Integer> keys = new TreeSet<>();
    for (int i = 1; i < argc; i++) {
      if (info.isKey(i)) {
        keys.add(i);
      }
    }
    return keys;
  }
}
