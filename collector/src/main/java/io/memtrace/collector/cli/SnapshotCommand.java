package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.redis.RedisConnections;
import io.memtrace.collector.redis.SnapshotWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.Jedis;

@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = {"Saves every key of a Redis database, with its TTL, to a JSON file.",
        "Strings, hashes, lists, sets, sorted sets and streams; keys and values in base64 so binary data",
        "survives. Uses SCAN, never KEYS. Written to FILE.partial first, then renamed: FILE is whole or absent."})
final class SnapshotCommand implements Callable<Integer> {

  @Option(names = "--redis", required = true, paramLabel = "URL",
      description = "The Redis database to save: redis://[user:password@]host[:port][/db], or rediss:// for TLS.")
  String redis;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the snapshot.")
  Path out;

  @Override
  public Integer call() {
    Path target = out.toAbsolutePath();
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new CollectorException("--out " + out + " is a directory; name the snapshot file, e.g. "
          + out.resolve("redis-snapshot.json"));
    }
    Path tmp = target.resolveSibling(target.getFileName() + ".partial");
    if (Files.isSymbolicLink(tmp)) {
      throw new CollectorException(tmp + " is a symbolic link; a snapshot is never written through one. "
          + "Remove it if it is yours.");
    }
    try (Jedis jedis = RedisConnections.open(redis)) {
      long keys;
      // CREATE_NEW: fails rather than follow a link that appears between the check and here
      Files.deleteIfExists(tmp);
      try (OutputStream file = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        keys = new SnapshotWriter(jedis).write(file, redis.replaceAll("//[^@/]*@", "//"));
      }
      // never leave a half-written file under the name asked for; a rename replaces a link, it does not follow it
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      System.err.println("snapshot: " + keys + " keys written to " + out);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new CollectorException("cannot write the snapshot to " + out + ": " + e, e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
    return 0;
  }

  private static void deleteQuietly(Path tmp) {
    try {
      if (!Files.isSymbolicLink(tmp)) {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException ignored) {
      // the error being reported matters more than a leftover .partial
    }
  }
}
