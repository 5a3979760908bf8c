package io.memtrace.collector.cli;

import io.memtrace.collector.redis.RedisConnections;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.redis.SnapshotReader;
import io.memtrace.collector.redis.SnapshotRestorer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.memtrace.collector.CollectorException;
import redis.clients.jedis.Jedis;

@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Writes a snapshot back to Redis, types and TTLs kept, all or nothing.",
        "The whole file is checked first (types, base64, stream ids, TTLs, sizes up to 512 MiB): a bad file",
        "changes nothing. Every key is then written under a temporary name and renamed into place with its TTL",
        "only when all are written, so a failure leaves every old value as it was. Existing keys are not",
        "overwritten (and nothing is written) unless --replace is given.",
        "With --as-of: time travel. The --namespace keys are rebuilt as they stood when a trace began, from the",
        "nearest earlier snapshot and the captured writes recorded after it, and written into the --into Redis."})
final class RestoreCommand implements Callable<Integer> {

  @Option(names = "--redis", paramLabel = "URL",
      description = "The Redis database to write to: redis://[user:password@]host[:port][/db], or rediss:// for TLS.")
  String redis;

  @Option(names = "--in", paramLabel = "FILE", description = "A file written by `snapshot`.")
  Path in;

  @Option(names = "--replace", description = "Overwrite keys that already exist (with --as-of: write into a Redis that is not empty).")
  boolean replace;

  @Mixin
  AsOfOptions asOf;

  @Mixin
  SourceOptions source;

  @Override
  public Integer call() {
    if (asOf.asked()) {
      if (redis != null || in != null) {
        throw new CollectorException("restore --as-of rebuilds from the store: it takes --into, not --redis/--in");
      }
      return asOf.run(source, replace);
    }
    if (redis == null || in == null) {
      throw new CollectorException("restore needs --redis URL and --in FILE (or --as-of TRACE_ID|TIME with "
          + "--namespace and --into)");
    }
    List<SnapshotEntry> entries = SnapshotReader.read(in);
    try (Jedis jedis = RedisConnections.open(redis)) {
      long keys = new SnapshotRestorer(jedis, () -> RedisConnections.open(redis)).restore(entries, replace);
      System.err.println("restore: " + keys + " keys written from " + in);
    }
    return 0;
  }
}
