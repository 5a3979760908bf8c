package io.memtrace.testsupport.redis;

import io.memtrace.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.SocketFactory;

/**
 * One Sentinel of {@link RedisSentinels}: a {@code redis-server --sentinel} with a configuration file of its own that
 * monitors the primary (quorum two, down after one second), optionally on a shorter clock.
 */
final class SentinelProcess {

  private SentinelProcess() {
  }

  /** Starts a Sentinel in {@code dir} that monitors the primary on {@code primaryPort}; {@code quick}: see {@link #quicken}. */
  static RedisProcess start(Path dir, int primaryPort, boolean quick) throws IOException {
    Files.createDirectories(dir);
    String name = RedisSentinels.MASTER_NAME;
    // Sentinel rewrites its configuration file with what it learns: one file each, first on the command line
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, String.join("\n",
        "sentinel monitor " + name + " 127.0.0.1 " + primaryPort + " 2",
        "sentinel down-after-milliseconds " + name + " 1000",
        "sentinel failover-timeout " + name + " 5000",
        "sentinel parallel-syncs " + name + " 2", ""));
    RedisProcess sentinel =
        RedisProcess.start(dir, Ports.free(), List.of(conf.toString(), "--sentinel"), SocketFactory.getDefault());
    if (quick) {
      quicken(sentinel);
    }
    return sentinel;
  }

  /**
   * Sentinel reads each node's role every ten seconds once a failover is over, and demotes an old primary that still
   * says it is one only after four of its two-second hello periods. Redis 7 lets both periods be shortened
   * ({@code SENTINEL DEBUG}): one second and a quarter of one here. An older Sentinel refuses, and keeps its own.
   */
  private static void quicken(RedisProcess sentinel) throws IOException {
    try (Resp resp = Resp.connect("127.0.0.1", sentinel.port)) {
      resp.call("SENTINEL", "DEBUG", "INFO-PERIOD", "1000", "PUBLISH-PERIOD", "250"); // an error reply: refused
    }
  }
}
