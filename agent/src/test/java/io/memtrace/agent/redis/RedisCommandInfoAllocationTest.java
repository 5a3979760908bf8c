package io.memtrace.agent.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.NamespaceRule;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The consumer reads each command with one reused {@link RedisCommandInfo}: finding keys by key
 * spec, option words, TTL and written bytes must not allocate per command.
 */
class RedisCommandInfoAllocationTest {

  private static final KeyPolicy KEYS = new KeyPolicy(true, List.of(), NamespaceRule.defaultRule().pattern());

  private static List<byte[]> args(String... words) {
    List<byte[]> args = new ArrayList<>();
    for (String word : words) {
      args.add(word.getBytes(StandardCharsets.US_ASCII));
    }
    return args;
  }

  @Test
  void shouldReadCommandsWithoutAllocatingOnceWarm() {
    List<List<byte[]>> commands = List.of(
        args("SET", "user:42:name", "Ada", "EX", "60"),
        args("ZUNIONSTORE", "board:all", "2", "board:a", "board:b", "WEIGHTS", "1", "2"),
        args("XREAD", "COUNT", "5", "STREAMS", "s1", "s2", "0", "0"),
        args("OBJECT", "ENCODING", "user:42:name"),
        args("HSETEX", "user:1", "FNX", "EX", "60", "FIELDS", "1", "name", "Ada"),
        args("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "1", "lock:1", "me"),
        args("FT.SEARCH", "idx", "*", "LIMIT", "0", "10"));
    RedisCommandInfo info = RedisCommandInfo.reusable();
    long sink = 0;
    for (int i = 0; i < 20_000; i++) { // warm up: resolve names, grow the reused buffers
      sink += read(info, commands.get(i % commands.size()));
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    for (int i = 0; i < 70_000; i++) {
      sink += read(info, commands.get(i % commands.size()));
    }
    long perCommand = (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / 70_000;

    assertThat(sink).isPositive();
    assertThat(perCommand).as("bytes allocated per command").isLessThan(4);
  }

  private static long read(RedisCommandInfo info, List<byte[]> command) {
    info.parse(command);
    byte[] key = info.firstKeyBytes();
    byte[] procedure = info.storedProcedureBytes();
    return info.queryTextUtf8(KEYS).length() + info.ttlSeconds() + info.writtenBytes()
        + (key == null ? 0 : key.length) + (procedure == null ? 0 : 1) + (info.isRead() ? 1 : 0);
  }
}
