package io.memtrace.collector.snapshots;

import io.memtrace.collector.keyspace.CommandBudget;
import io.memtrace.collector.keyspace.RedisUrl;
import io.memtrace.collector.redis.SnapshotScope;
import io.memtrace.collector.redis.SnapshotWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * The scheduled snapshots of {@code serve --watch-redis}: on one thread of their own, every
 * {@link SnapshotSchedule#everyMillis}, each Redis's databases (those {@code INFO keyspace} lists) are snapshot,
 * the namespaces asked only, through a {@link CommandBudget} so that Redis never serves more of these commands than
 * the ceiling, each file written whole or not at all ({@code .partial}, then renamed), and the old ones pruned by the
 * retention rule. The first snapshots are taken at start, so time travel has a base from then on.
 */
public final class ScheduledSnapshots implements AutoCloseable {

  private static final int TIMEOUT_MILLIS = 10_000;

  private final List<RedisUrl> urls;
  private final SnapshotSchedule schedule;
  private final SnapshotShelf shelf;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "memtrace-snapshots");
    t.setDaemon(true);
    return t;
  });
  private final List<String> recent = new ArrayList<>();

  public ScheduledSnapshots(List<RedisUrl> urls, SnapshotSchedule schedule, SnapshotShelf shelf) {
    this.urls = List.copyOf(urls);
    this.schedule = schedule;
    this.shelf = shelf;
  }

  public ScheduledSnapshots start() {
    thread.scheduleWithFixedDelay(this::takeAll, 0, schedule.everyMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** What the latest snapshots took and skipped, newest last, one line each. */
  public synchronized List<String> recent() {
    return List.copyOf(recent);
  }

  /** One round: every database of every Redis. Failures are said and the next round tries again. */
  void takeAll() {
    for (RedisUrl url : urls) {
      try (Jedis jedis = new Jedis(url.hostAndPort(), url.clientConfig(TIMEOUT_MILLIS))) {
        CommandBudget budget = new CommandBudget(schedule.commandsPerSecond(), Math.max(1,
            schedule.commandsPerSecond() / 10));
        budget.acquire(1);
        for (int db : databases(jedis.info("keyspace"))) {
          budget.acquire(1);
          jedis.select(db);
          take(jedis, url.address(), db, budget);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        say("snapshot of " + url.address() + " failed: " + e.getMessage());
      }
    }
  }

  private void take(Jedis jedis, String address, int db, CommandBudget budget) throws IOException, InterruptedException {
    Instant began = Instant.now();
    Path target = shelf.fileFor(address, db, began);
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    SnapshotWriter.Taken taken;
    try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      taken = new SnapshotWriter(jedis).write(out, "redis://" + address + "/" + db, db, schedule.namespaces().globs(),
          scope(budget));
    } catch (IOException | RuntimeException | InterruptedException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    int pruned = shelf.prune(address, db, schedule.keep(), schedule.retentionMillis(), Instant.now());
    say("snapshot of " + address + " db" + db + " (" + schedule.namespaces() + "): " + taken.keys() + " keys"
        + (taken.skipped() == 0 ? "" : ", " + taken.skipped() + " skipped (" + String.join(", ",
            taken.skippedKeys().stream().limit(3).map(io.memtrace.collector.Visible::text).toList())
            + (taken.skipped() > 3 ? ", ..." : "") + ")")
        + " in " + (Instant.now().toEpochMilli() - began.toEpochMilli()) + " ms to " + target.getFileName()
        + (pruned == 0 ? "" : "; " + pruned + " old one(s) removed"));
  }

  private SnapshotScope scope(CommandBudget budget) {
    return new SnapshotScope() {
      @Override
      public boolean wanted(byte[] key) {
        return schedule.namespaces().wantsKey(key);
      }

      @Override
      public void pace(int commands) throws InterruptedException {
        budget.acquire(commands);
      }

      @Override
      public long maxKeys() {
        return schedule.maxKeys();
      }

      @Override
      public long maxElements() {
        return schedule.maxElements();
      }
    };
  }

  /** The databases {@code INFO keyspace} lists ({@code db0:keys=...}). */
  static List<Integer> databases(String info) {
    // db0 always: a database whose keys were all removed is left out of INFO, and its empty snapshot is news
    List<Integer> dbs = new ArrayList<>(List.of(0));
    for (String line : info.split("\r?\n")) {
      if (line.matches("db\\d+:keys=.*") && !line.startsWith("db0:")) {
        dbs.add(Integer.parseInt(line.substring(2, line.indexOf(':'))));
      }
    }
    return dbs;
  }

  private synchronized void say(String line) {
    recent.add(Instant.now() + " " + line);
    if (recent.size() > 50) {
      recent.remove(0);
    }
    System.err.println("memtrace snapshots: " + line);
    System.err.flush();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
