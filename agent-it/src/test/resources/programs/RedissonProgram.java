import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RList;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RMapCache;
import org.redisson.api.RedissonClient;
import org.redisson.api.RedissonReactiveClient;
import org.redisson.api.RedissonRxClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * A plain Redisson program that knows nothing of memtrace: objects through the sync, async,
 * reactive and RxJava APIs, a batch and an atomic batch, a wrong-type error, a contended lock and
 * several threads at once, on database 1. Prints only what Redis answered, so that a run with the
 * agent prints exactly what a run without it prints.
 */
public class RedissonProgram {

  static final int THREADS = 4;
  static final int NOTES = 25;

  public static void main(String[] args) throws Exception {
    Config config = new Config();
    config.useSingleServer().setAddress("redis://" + args[0] + ":" + args[1]).setDatabase(1)
        .setConnectionMinimumIdleSize(2).setConnectionPoolSize(8);
    RedissonClient client = Redisson.create(config);
    try {
      sync(client);
      async(client);
      reactive(client.reactive());
      rx(client.rxJava());
      batches(client);
      locks(client);
      threads(client);
    } finally {
      client.shutdown();
    }
  }

  static void sync(RedissonClient client) {
    RBucket<String> bucket = client.getBucket("rsn:bucket:s", StringCodec.INSTANCE);
    bucket.set("hello redisson");
    print("bucket-get", bucket.get());
    print("bucket-missing", client.<String>getBucket("rsn:bucket:missing", StringCodec.INSTANCE).get());
    client.getBucket("rsn:bucket:ttl", StringCodec.INSTANCE).set("expiring", 60, TimeUnit.SECONDS);
    RBucket<List<Integer>> kryo = client.getBucket("rsn:bucket:kryo");
    kryo.set(new ArrayList<>(List.of(1, 2, 3)));
    print("kryo-get", kryo.get());

    RMap<String, String> map = client.getMap("rsn:map", StringCodec.INSTANCE);
    print("map-put", map.put("f1", "value one"));
    print("map-put-again", map.put("f1", "value 1"));
    map.fastPut("f2", "second");
    print("map-get", map.get("f1"));
    print("map-get-missing", map.get("nope"));

    RList<String> list = client.getList("rsn:list", StringCodec.INSTANCE);
    print("list-add", list.add("first item"));
    print("list-get", list.get(0));

    RMapCache<String, String> cache = client.getMapCache("rsn:cache", StringCodec.INSTANCE);
    print("cache-put", cache.put("k1", "cached value", 60, TimeUnit.SECONDS));
    print("cache-get", cache.get("k1"));

    try {
      client.<String>getList("rsn:bucket:s", StringCodec.INSTANCE).add("not a list");
      print("wrongtype", "no error");
    } catch (RuntimeException e) {
      print("wrongtype", e.getClass().getName() + " " + e.getMessage().split(" ")[0]);
    }
  }

  static void async(RedissonClient client) {
    RBucket<String> bucket = client.getBucket("rsn:async:key", StringCodec.INSTANCE);
    bucket.setAsync("async value").toCompletableFuture().join();
    print("async-get", bucket.getAsync().toCompletableFuture().join());
    print("async-missing", client.<String>getBucket("rsn:async:missing", StringCodec.INSTANCE)
        .getAsync().toCompletableFuture().join());
    RMap<String, String> map = client.getMap("rsn:async:map", StringCodec.INSTANCE);
    print("async-map-put", map.fastPutAsync("a", "alpha").toCompletableFuture().join());
  }

  static void reactive(RedissonReactiveClient client) {
    client.getBucket("rsn:reactive:key", StringCodec.INSTANCE).set("reactive value").block();
    print("reactive-get", client.getBucket("rsn:reactive:key", StringCodec.INSTANCE).get().block());
    print("reactive-missing", client.getBucket("rsn:reactive:missing", StringCodec.INSTANCE).get().block());
  }

  static void rx(RedissonRxClient client) {
    client.getBucket("rsn:rx:key", StringCodec.INSTANCE).set("rx value").blockingAwait();
    print("rx-get", client.getBucket("rsn:rx:key", StringCodec.INSTANCE).get().blockingGet());
  }

  static void batches(RedissonClient client) {
    RBatch batch = client.createBatch();
    batch.getBucket("rsn:batch:a", StringCodec.INSTANCE).setAsync("batched");
    batch.getMap("rsn:batch:map", StringCodec.INSTANCE).fastPutAsync("f", "in a batch");
    batch.getBucket("rsn:batch:a", StringCodec.INSTANCE).getAsync();
    batch.getBucket("rsn:batch:missing", StringCodec.INSTANCE).getAsync();
    BatchResult<?> result = batch.execute();
    print("batch", result.getResponses());

    RBatch atomic = client.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.IN_MEMORY_ATOMIC));
    atomic.getBucket("rsn:tx:a", StringCodec.INSTANCE).setAsync("one");
    atomic.getAtomicLong("rsn:tx:counter").incrementAndGetAsync();
    print("atomic", atomic.execute().getResponses());
  }

  static void locks(RedissonClient client) throws InterruptedException {
    RLock lock = client.getLock("rsn:lock");
    lock.lock();
    print("locked", lock.isHeldByCurrentThread());
    lock.unlock();
    int[] counter = {0};
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 3; i++) {
          RLock shared = client.getLock("rsn:lock:shared");
          shared.lock(); // contended: waiters subscribe to the lock's channel
          try {
            counter[0]++;
            Thread.sleep(5);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            shared.unlock();
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    print("lock-counter", counter[0]);
  }

  /** A memory manager of the application's own (the test's configuration names its methods). */
  public static final class Notes {
    private final RedissonClient client;

    Notes(RedissonClient client) {
      this.client = client;
    }

    public void store(String id, String text) {
      RBucket<String> bucket = client.getBucket("rsn:note:" + id, StringCodec.INSTANCE);
      if (text.length() % 2 == 0) {
        bucket.set(text);
      } else {
        bucket.setAsync(text).toCompletableFuture().join();
      }
    }

    public String retrieve(String id) {
      return client.<String>getBucket("rsn:note:" + id, StringCodec.INSTANCE).get();
    }
  }

  static void threads(RedissonClient client) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(THREADS);
    int[] found = new int[THREADS];
    Notes notes = new Notes(client);
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      new Thread(() -> {
        try {
          for (int i = 0; i < NOTES; i++) {
            String id = "p" + thread + "-" + i;
            notes.store(id, "x".repeat(1 + thread * NOTES + i));
            if (notes.retrieve(id).length() == 1 + thread * NOTES + i) {
              found[thread]++;
            }
          }
        } finally {
          done.countDown();
        }
      }).start();
    }
    done.await();
    int total = 0;
    for (int f : found) {
      total += f;
    }
    print("shared-notes-found", total);
  }

  static void print(String what, Object value) {
    System.out.println(what + " -> " + value);
  }
}
