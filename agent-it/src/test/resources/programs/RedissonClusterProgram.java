import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * A plain Redisson application on a Redis Cluster, knowing nothing of memtrace, that checks every value it reads
 * against what it wrote (sync, async, reactive, a map, a lock, batches), while whoever runs it reshards a slot and
 * fails a master over: it prints {@code AWAIT name} and waits for a line on its standard input before going on. Its
 * keys carry the run's name, so two runs on one cluster do not meet. Reads of the slot being moved go through
 * {@link Notes}, a memory manager the agent is configured to trace, so their spans have a parent.
 * Usage: RedissonClusterProgram host port run
 */
public class RedissonClusterProgram extends ClusterProgram {

  /** The application's own store, traced as a memory manager by the test's configuration. */
  public static final class Notes {
    final RedissonClient client;

    Notes(RedissonClient client) {
      this.client = client;
    }

    public String retrieve(String key) {
      return client.<String>getBucket(key, StringCodec.INSTANCE).get();
    }
  }

  public static void main(String[] args) throws Exception {
    run = args[2];
    BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String seed = "redis://" + args[0] + ":" + args[1];
    RedissonClient client = Redisson.create(config(seed, ReadMode.MASTER));
    try {
      spread(client);
      String mig = "{mig-" + run + "}";
      for (int i = 0; i < 20; i++) {
        bucket(client, key(mig, i)).set(value(key(mig, i)));
      }
      await(control, "migrate-half");
      Notes notes = new Notes(client);
      for (int i = 0; i < 20; i++) {
        check(notes.retrieve(key(mig, i)), value(key(mig, i)));
      }
      for (int i = 20; i < 25; i++) {
        bucket(client, key(mig, i)).set(value(key(mig, i)));
        check(notes.retrieve(key(mig, i)), value(key(mig, i)));
      }
      RBatch reads = client.createBatch();
      for (int i = 0; i < 20; i++) {
        reads.getBucket(key(mig, i), StringCodec.INSTANCE).getAsync();
      }
      List<?> got = reads.execute().getResponses();
      for (int i = 0; i < 20; i++) {
        check((String) got.get(i), value(key(mig, i)));
      }
      print("migrating", "25 keys read back while their slot moved, 20 of them again in a batch");
      await(control, "migrate-finish");
      for (int i = 0; i < 25; i++) {
        check(notes.retrieve(key(mig, i)), value(key(mig, i)));
      }
      print("migrated", "25 keys read back from their new master");

      String fo = "{fo-" + run + "}";
      for (int i = 0; i < 10; i++) {
        bucket(client, key(fo, i)).set(value(key(fo, i)));
      }
      await(control, "failover");
      for (int i = 0; i < 10; i++) {
        check(notes.retrieve(key(fo, i)), value(key(fo, i)));
      }
      print("failover", "10 keys read back from the promoted replica");
    } finally {
      client.shutdown();
    }

    // reads from replicas: Redisson says READONLY on its replicas' connections and sends these GETs there
    RedissonClient replicas = Redisson.create(config(seed, ReadMode.SLAVE));
    try {
      String fo = "{fo-" + run + "}";
      for (int i = 0; i < 10; i++) {
        check(new Notes(replicas).retrieve(key(fo, i)), value(key(fo, i)));
      }
      bucket(replicas, key("rw", 0)).set(value(key("rw", 0)));
      print("replicas", "10 keys read back from a replica, 1 written to its master");
    } finally {
      replicas.shutdown();
    }
    print("done", checked + " values checked");
  }

  /**
   * Redisson learns the cluster's slots from {@code CLUSTER NODES} every {@code scanInterval}: between two scans it
   * follows each MOVED on its own. A second is short enough for its retries (five, 1.5 s apart) to outlast a MOVED that
   * names a node it has not discovered yet (the replica a failover promoted).
   */
  static Config config(String seed, ReadMode readMode) {
    Config config = new Config();
    config.useClusterServers().addNodeAddress(seed).setScanInterval(1000).setReadMode(readMode)
        .setMasterConnectionMinimumIdleSize(2).setSlaveConnectionMinimumIdleSize(2).setRetryAttempts(5);
    return config;
  }

  /** Sync, async and reactive buckets, a map, a lock and a batch, over all three masters. */
  static void spread(RedissonClient client) throws Exception {
    for (int i = 0; i < 10; i++) {
      bucket(client, key("user", i)).set(value(key("user", i)));
      check(bucket(client, key("user", i)).get(), value(key("user", i)));
    }
    check(bucket(client, key("user", 999)).get(), null);
    for (int i = 10; i < 20; i++) {
      bucket(client, key("user", i)).setAsync(value(key("user", i))).toCompletableFuture().get(10, TimeUnit.SECONDS);
      check(bucket(client, key("user", i)).getAsync().toCompletableFuture().get(10, TimeUnit.SECONDS),
          value(key("user", i)));
    }
    for (int i = 20; i < 30; i++) {
      client.reactive().getBucket(key("user", i), StringCodec.INSTANCE).set(value(key("user", i))).block();
      check(client.reactive().<String>getBucket(key("user", i), StringCodec.INSTANCE).get().block(),
          value(key("user", i)));
    }
    RMap<String, String> map = client.getMap(key("map", 0), StringCodec.INSTANCE);
    for (int i = 0; i < 5; i++) {
      map.fastPut("f" + i, value(key("map", i)));
      check(map.get("f" + i), value(key("map", i)));
    }
    RLock lock = client.getLock(key("lock", 0));
    lock.lock(10, TimeUnit.SECONDS);
    try {
      check(String.valueOf(lock.isHeldByCurrentThread()), "true");
    } finally {
      lock.unlock();
    }
    RBatch batch = client.createBatch();
    for (int i = 0; i < 10; i++) {
      batch.getBucket(key("batch", i), StringCodec.INSTANCE).setAsync(value(key("batch", i)));
      batch.getBucket(key("batch", i), StringCodec.INSTANCE).getAsync();
    }
    BatchResult<?> result = batch.execute();
    for (int i = 0; i < 10; i++) {
      check((String) result.getResponses().get(2 * i + 1), value(key("batch", i)));
    }
    print("spread", "30 keys, a map, a lock and a batch over the masters, read back");
  }

  static RBucket<String> bucket(RedissonClient client, String key) {
    return client.getBucket(key, StringCodec.INSTANCE);
  }
}
