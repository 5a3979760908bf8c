package io.memtrace.collector.bench;

import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.redis.SnapshotFile;
import io.memtrace.collector.redis.SnapshotReader;
import io.memtrace.collector.redis.SnapshotRestorer;
import io.memtrace.collector.redis.SnapshotWriter;
import io.memtrace.collector.snapshots.NamespaceGlobs;
import io.memtrace.collector.travel.Rebuild;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import io.memtrace.common.NamespaceRule;
import io.memtrace.testsupport.TestRedis;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Not a test: times {@code restore --as-of}'s work for issue 51's target, a 100k-key namespace rebuilt from a snapshot
 * plus 1M captured writes in 10 s: reading the base snapshot file, folding the writes onto it ({@link Rebuild}), and
 * writing the keys into an empty scratch Redis, all or nothing ({@link SnapshotRestorer}). The store's read of the
 * writes is timed apart (it is the store's query). Keys: a third strings (SET, 100 bytes), a third hashes (HSET of
 * one of 8 fields), a third lists (RPUSH); a quarter with a TTL. Two real redis-servers (the source and the scratch).
 * With {@code --store}, the writes go first as spans with {@code memory.value} events into an embedded store (not
 * timed), and the rebuild reads them back from it ({@code capturedValues}, {@code keyChanges}; timed), as
 * {@code restore --as-of} does. Run: {@code java -Xmx8g -cp target/test-classes:target/classes:DEPS
 * io.memtrace.collector.bench.RebuildBenchmark [KEYS] [WRITES] [--store [DIR]]}; prints wall and CPU time of each
 * phase. A store DIR kept from an earlier run (its {@code after.txt} says when its writes began) is read again, not
 * filled.
 */
public final class RebuildBenchmark {

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int writes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Path dir = ScratchStore.create("rebuild-bench");
    try (TestRedis source = TestRedis.startOwn(); TestRedis scratch = TestRedis.startOwn();
        Jedis jedis = new Jedis(source.host, source.port)) {
      fill(jedis, keys);
      Path file = dir.resolve("base.json");
      try (OutputStream out = Files.newOutputStream(file)) {
        new SnapshotWriter(jedis).write(out, source.url());
      }
      int at = List.of(args).indexOf("--store");
      Path store = at < 0 ? null : at + 1 < args.length ? Path.of(args[at + 1]) : dir.resolve("store");
      boolean reuse = store != null && Files.exists(store.resolve("after.txt"));
      Instant after = reuse ? Instant.parse(Files.readString(store.resolve("after.txt")).strip())
          : Instant.now().plusSeconds(1);
      List<CapturedValue> values = new ArrayList<>(writes);
      List<KeyChange> changes = new ArrayList<>(writes);
      writes(keys, writes, after, values, changes);
      Instant asOf = after.plusSeconds(writes / 1000 + 10);
      long[] t;
      if (store != null) {
        if (!reuse) {
          StoredWrites.fill(store, values, changes);
          Files.writeString(store.resolve("after.txt"), after.toString());
        }
        values.clear();
        changes.clear();
        try (io.memtrace.collector.reader.StoreReader reader = io.memtrace.collector.embedded.EmbeddedReader.local(
            new io.memtrace.collector.store.StoreFiles(store))) {
          t = start();
          io.memtrace.collector.travel.AsOfRestore.Reads reads = io.memtrace.collector.travel.AsOfRestore.read(
              new io.memtrace.collector.travel.AsOfRestore.Plan(asOf, NamespaceGlobs.parse("--namespace", "bench",
                  NamespaceRule.defaultRule()), null, dir, null, 0), null, reader);
          values.addAll(reads.values());
          changes.addAll(reads.changes());
          report("read " + values.size() + " captured values and " + changes.size()
              + " key changes from the embedded store", t);
        }
      }
      t = start();
      SnapshotFile read = SnapshotReader.readFile(file);
      // a store kept from an earlier run holds writes from before this snapshot: the base is dated before them
      SnapshotFile base = !reuse ? read : new SnapshotFile(after.minusSeconds(1), after.minusSeconds(1), read.source(),
          read.db(), read.namespaces(), read.skipped(), read.skippedKeys(), read.entries());
      report("read the base snapshot (" + base.entries().size() + " keys, " + Files.size(file) / 1024 / 1024 + " MiB)", t);
      t = start();
      Rebuild.Result result = Rebuild.run(base, asOf, NamespaceGlobs.parse("--namespace", "bench",
          NamespaceRule.defaultRule()), values, changes);
      report("fold " + values.size() + " captured writes and " + changes.size() + " key changes", t);
      t = start();
      try (Jedis target = new Jedis(scratch.host, scratch.port)) {
        long written = new SnapshotRestorer(target, () -> new Jedis(scratch.host, scratch.port))
            .restore(result.entries(), false);
        report("write " + written + " keys into the scratch Redis (staged, then renamed)", t);
      }
      System.out.print(result.account().text());
    }
  }

  private static void fill(Jedis jedis, int keys) {
    Pipeline p = jedis.pipelined();
    for (int i = 0; i < keys; i++) {
      String key = "bench:k" + i;
      switch (i % 3) {
        case 0 -> p.set(key, "v".repeat(100));
        case 1 -> p.hset(key, Map.of("f0", "x", "f1", "y"));
        default -> p.rpush(key, "a", "b");
      }
      if (i % 4 == 0) {
        p.expire(key, 86_400);
      }
      if (i % 1000 == 999) {
        p.sync();
      }
    }
    p.sync();
  }

  private static void writes(int keys, int writes, Instant from, List<CapturedValue> values, List<KeyChange> changes) {
    SplittableRandom random = new SplittableRandom(51);
    long fromUs = from.getEpochSecond() * 1_000_000 + from.getNano() / 1_000;
    for (int i = 0; i < writes; i++) {
      int k = random.nextInt(keys);
      String key = "bench:k" + k;
      long endUs = fromUs + i * 1_000L;
      String trace = String.format("%032x", i + 1);
      String span = String.format("%016x", i + 1);
      Instant time = Instant.ofEpochSecond(endUs / 1_000_000, (endUs % 1_000_000) * 1_000);
      String command;
      ValueChange change;
      String type;
      String payload;
      switch (k % 3) {
        case 0 -> {
          command = "SET";
          change = ValueChange.REPLACE;
          type = "string";
          payload = "w" + i + "-" + "x".repeat(90);
        }
        case 1 -> {
          command = "HSET";
          change = ValueChange.FIELDS_SET;
          type = "hash";
          payload = "{\"f" + (i % 8) + "\":\"" + i + "\"}";
        }
        default -> {
          command = "RPUSH";
          change = ValueChange.PUSH_TAIL;
          type = "list";
          payload = "[\"e" + i + "\"]";
        }
      }
      values.add(new CapturedValue(trace, span, 0, time, "bench", "localhost:6379", 0, "bench", key, command, change,
          type, false, payload, payload.length(), false));
      changes.add(new KeyChange(endUs - 50, endUs, "span", "localhost:6379", 0, key, "bench", "write", command, trace,
          span, "bench", null, false));
    }
  }

  private static long[] start() {
    return new long[] {System.nanoTime(), CPU.getCurrentThreadCpuTime()};
  }

  private static void report(String phase, long[] t) {
    System.out.printf("%-80s wall %6d ms, cpu %6d ms%n", phase, (System.nanoTime() - t[0]) / 1_000_000,
        (CPU.getCurrentThreadCpuTime() - t[1]) / 1_000_000);
  }
}
