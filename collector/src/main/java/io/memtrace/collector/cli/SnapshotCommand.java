package io.memtrace.collector.cli;

import io.memtrace.collector.redis.RedisConnections;
import io.memtrace.collector.redis.SnapshotWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.Jedis;

@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = {"Saves every key of a Redis database, with its TTL, to a JSON file.",
        "Strings, hashes, lists, sets, sorted sets and streams; keys and values in base64 so binary data",
        "survives. Uses SCAN, never KEYS."})
final class SnapshotCommand implements Callable<Integer> {

  @Option(names = "--redis", required = true, paramLabel = "URL", description = "redis://[user:password@]host[:port][/db]")
  String redis;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the snapshot.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".partial");
    try (Jedis jedis = RedisConnections.open(redis)) {
      long keys = new SnapshotWriter(jedis).write(tmp, redis.replaceAll("//[^@/]*@", "//"));
      // never leave a half-written file under the name asked for
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      System.err.println("snapshot: " + keys + " keys written to " + out);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return 0;
  }
}
