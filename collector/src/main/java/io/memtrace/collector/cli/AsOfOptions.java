package io.memtrace.collector.cli;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.redis.RedisConnections;
import io.memtrace.collector.redis.SnapshotFile;
import io.memtrace.collector.redis.SnapshotRestorer;
import io.memtrace.collector.snapshots.NamespaceGlobs;
import io.memtrace.collector.travel.AsOf;
import io.memtrace.collector.travel.AsOfRestore;
import io.memtrace.collector.travel.Rebuild;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Option;
import redis.clients.jedis.Jedis;

/** {@code restore --as-of}: time travel (issue 51), rebuilt from a snapshot and the captured writes after it. */
final class AsOfOptions {

  @Option(names = "--as-of", paramLabel = "TRACE_ID|TIME",
      description = {"Rebuild the --namespace keys as they stood when this trace began (or at this ISO-8601 time), from",
          "the nearest snapshot before it (the scheduled ones under --data DIR/snapshots, or --from-snapshot) and",
          "every captured write after it, with deletes, TTLs, expiries and evictions; say per namespace what was",
          "rebuilt exactly and what was not (and why), then write the exact keys into --into, all or nothing."})
  String asOf;

  @Option(names = "--namespace", paramLabel = "GLOB[,GLOB]",
      description = "With --as-of: the namespaces to rebuild (by redis.namespace-from-key; * any run of characters).")
  String namespace;

  @Option(names = "--into", paramLabel = "URL",
      description = "With --as-of: the scratch Redis to write into, redis://host:port[/db]; it must be empty unless "
          + "--replace.")
  String into;

  @Option(names = "--from-snapshot", paramLabel = "FILE",
      description = "With --as-of: start from this snapshot (written by `snapshot`, taken before the moment) rather "
          + "than the scheduled ones.")
  Path fromSnapshot;

  @Option(names = "--source-redis", paramLabel = "HOST:PORT",
      description = "With --as-of: only the writes to this Redis (default: any the store recorded).")
  String sourceRedis;

  @Option(names = "--source-db", paramLabel = "N",
      description = "With --as-of: the database rebuilt (default: the base snapshot's, else 0).")
  Integer sourceDb;

  @Option(names = "--config", paramLabel = "FILE",
      description = "With --as-of: memtrace's YAML file, for redis.namespace-from-key (default: the agent's rule).")
  Path config;

  boolean asked() {
    return asOf != null;
  }

  int run(SourceOptions source, boolean replace) {
    if (namespace == null || into == null) {
      throw new CollectorException("restore --as-of needs --namespace GLOB and --into redis://scratch");
    }
    NamespaceGlobs globs = NamespaceGlobs.parse("--namespace", namespace,
        MemoryStateConfig.read(config).namespaceRule());
    try (StoreReader reader = source.open(true)) {
      Instant moment = AsOf.resolve(asOf, reader);
      AsOfRestore.Plan plan = new AsOfRestore.Plan(moment, globs, fromSnapshot, source.data, sourceRedis, sourceDb);
      SnapshotFile base = AsOfRestore.base(plan);
      Rebuild.Result result = AsOfRestore.rebuild(plan, base, reader);
      System.out.println("restore --as-of " + io.memtrace.collector.Visible.text(asOf) + ": memory as of " + moment
          + ", from " + (base == null ? "no snapshot" : "the snapshot taken at " + base.takenAt()) + " and the "
          + "writes " + reader.describe() + " recorded after it");
      System.out.print(result.account().text());
      System.out.flush();
      try (Jedis jedis = RedisConnections.open(into)) {
        long present = jedis.dbSize();
        if (present > 0 && !replace) {
          throw new CollectorException("refusing to write into " + into.replaceAll("//[^@/]*@", "//") + ": it holds "
              + present + " key(s); a rebuild goes into an empty scratch Redis, or pass --replace. Nothing was written.");
        }
        long written = result.entries().isEmpty() ? 0
            : new SnapshotRestorer(jedis, () -> RedisConnections.open(into)).restore(result.entries(), replace);
        System.out.println("restore --as-of: " + written + " key(s) written into "
            + into.replaceAll("//[^@/]*@", "//") + "; " + result.account().notRebuildable()
            + " not rebuildable, not written");
      }
    }
    return 0;
  }
}
