package io.memtrace.collector.cli;

import io.memtrace.collector.redis.RedisConnections;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.redis.SnapshotReader;
import io.memtrace.collector.redis.SnapshotRestorer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.Jedis;

@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Writes a snapshot back to Redis, types and TTLs kept.",
        "The whole file is checked first: a corrupt file changes nothing. Existing keys are not overwritten",
        "(and nothing is written) unless --replace is given."})
final class RestoreCommand implements Callable<Integer> {

  @Option(names = "--redis", required = true, paramLabel = "URL", description = "redis://[user:password@]host[:port][/db]")
  String redis;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "A file written by `snapshot`.")
  Path in;

  @Option(names = "--replace", description = "Overwrite keys that already exist.")
  boolean replace;

  @Override
  public Integer call() {
    List<SnapshotEntry> entries = SnapshotReader.read(in);
    try (Jedis jedis = RedisConnections.open(redis)) {
      long keys = new SnapshotRestorer(jedis).restore(entries, replace);
      System.err.println("restore: " + keys + " keys written from " + in);
    }
    return 0;
  }
}
