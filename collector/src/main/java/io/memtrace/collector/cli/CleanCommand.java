package io.memtrace.collector.cli;

import io.memtrace.collector.Visible;
import io.memtrace.collector.redis.KeyCleaner;
import io.memtrace.collector.redis.RedisConnections;
import io.memtrace.collector.redis.SnapshotEntry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.Jedis;

@Command(name = "clean", mixinStandardHelpOptions = true,
    description = {"Deletes the keys matching a glob, e.g. 'agent:*' (found with SCAN).",
        "Without --yes it is a dry run: it prints the keys it would delete and deletes nothing."})
final class CleanCommand implements Callable<Integer> {

  @Option(names = "--redis", required = true, paramLabel = "URL",
      description = "The Redis database to clean: redis://[user:password@]host[:port][/db], or rediss:// for TLS.")
  String redis;

  @Option(names = "--pattern", required = true, paramLabel = "GLOB", description = "Redis glob, e.g. 'agent:*'.")
  String pattern;

  @Option(names = "--no-ttl-only", description = "Only keys that have no TTL (they would never expire on their own).")
  boolean noTtlOnly;

  @Option(names = "--yes", description = "Really delete; without it nothing is deleted.")
  boolean yes;

  @Override
  public Integer call() {
    try (Jedis jedis = RedisConnections.open(redis)) {
      KeyCleaner cleaner = new KeyCleaner(jedis);
      List<byte[]> keys = cleaner.find(pattern, noTtlOnly);
      String which = keys.size() + " key" + (keys.size() == 1 ? "" : "s") + " matching '" + pattern + "'"
          + (noTtlOnly ? " without a TTL" : "");
      StringBuilder list = new StringBuilder();
      keys.forEach(k -> list.append(Visible.text(new SnapshotEntry(k, "string", null, null).keyText())).append('\n'));
      System.out.print(list);
      System.out.flush();
      if (!yes) {
        System.err.println("dry run: would delete " + which + "; pass --yes to delete them");
        return 0;
      }
      long deleted = cleaner.delete(keys);
      System.err.println("deleted " + deleted + " of " + which);
    }
    return 0;
  }
}
