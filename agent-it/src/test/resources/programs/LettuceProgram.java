import io.lettuce.core.KeyValue;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A plain Lettuce application (compiled against and run on each of 5.3, 6.6 and 7.0), knowing nothing of memtrace: the sync, async and reactive APIs, a
 * small memory manager over Redis (traced only by the test's YAML rule), a transaction, auto-flush
 * off, a connection to another database, two connections shared by several threads, and a pub/sub
 * subscriber. Prints what every call
 * returned, so runs with and without the agent can be compared.
 * Usage: LettuceProgram host port [brief]: brief stops after the auto-flush part.
 */
public class LettuceProgram {

  /** Threads and notes per thread of the shared-connection part. */
  static final int THREADS = 4;
  static final int NOTES = 25;

  /** A memory manager memtrace knows only from the test's YAML rule; its replies complete on Netty's threads. */
  public static final class Notes {
    private final RedisCommands<String, String> sync;
    private final RedisAsyncCommands<String, String> async;
    private final RedisReactiveCommands<String, String> reactive;

    Notes(StatefulRedisConnection<String, String> connection) {
      this.sync = connection.sync();
      this.async = connection.async();
      this.reactive = connection.reactive();
    }

    /** A SET (sync) and an EXPIRE (async, awaited). */
    public void store(String key, String value) throws Exception {
      sync.set("note:" + key, value);
      async.expire("note:" + key, 300).get(5, TimeUnit.SECONDS);
    }

    /** A GET (reactive). */
    public String retrieve(String key) {
      return reactive.get("note:" + key).block();
    }
  }

  public static void main(String[] args) throws Exception {
    RedisClient client = RedisClient.create(RedisURI.create(args[0], Integer.parseInt(args[1])));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      print("flushdb", sync.flushdb());
      print("set", sync.set("user:42:name", "Ada Lovelace"));
      print("get", sync.get("user:42:name"));
      print("get-miss", sync.get("user:43:name"));
      print("setex", sync.setex("session:token:abc", 60, "secret-token-value"));
      print("expire", sync.expire("user:42:name", 3600));
      print("hset", sync.hset("profile:42", "city", "London"));
      print("hget", sync.hget("profile:42", "city"));
      print("hexists", sync.hexists("profile:42", "country"));
      print("mget", sync.mget("user:42:name", "user:43:name"));
      try {
        sync.lpush("user:42:name", "not-a-list");
        print("lpush", "unexpected success");
      } catch (RedisCommandExecutionException e) {
        print("lpush-error", e.getClass().getName() + ": " + e.getMessage());
      }

      RedisAsyncCommands<String, String> async = connection.async();
      RedisFuture<String> asyncSet = async.set("async:key", "async value");
      RedisFuture<String> asyncGet = async.get("async:key");
      print("async-set", asyncSet.get(5, TimeUnit.SECONDS));
      print("async-get", asyncGet.get(5, TimeUnit.SECONDS));
      print("async-miss", async.get("async:missing").get(5, TimeUnit.SECONDS));

      RedisReactiveCommands<String, String> reactive = connection.reactive();
      print("reactive-set", reactive.set("reactive:key", "reactive value").block());
      print("reactive-get", reactive.get("reactive:key").block());
      print("reactive-miss", reactive.get("reactive:missing").blockOptional().isPresent());
      print("reactive-lpush", reactive.rpush("reactive:list", "a", "b", "c").block());
      print("reactive-lrange", reactive.lrange("reactive:list", 0, -1).collectList().block());

      Notes notes = new Notes(connection);
      notes.store("n1", "first note");
      print("note-hit", notes.retrieve("n1"));
      print("note-miss", notes.retrieve("n2"));

      print("multi", sync.multi());
      print("tx-set", sync.set("tx:1", "a"));
      print("tx-incr", sync.incr("tx:counter"));
      TransactionResult exec = sync.exec();
      print("exec", exec.wasDiscarded() + " " + exec.size() + " " + exec.get(0) + " " + exec.get(1));

      connection.setAutoFlushCommands(false);
      List<RedisFuture<?>> batch = new ArrayList<>();
      batch.add(async.set("flush:1", "one"));
      batch.add(async.set("flush:2", "two"));
      batch.add(async.get("flush:1"));
      connection.flushCommands();
      for (RedisFuture<?> f : batch) {
        print("flushed", f.get(5, TimeUnit.SECONDS));
      }
      connection.setAutoFlushCommands(true);

      if (args.length > 2 && args[2].equals("brief")) {
        return;
      }
      otherDatabase(client, args[0], Integer.parseInt(args[1]));
      sharedConnections(client);
      pubSub(client);
    } finally {
      client.shutdown();
    }
  }

  /**
   * A connection to database 2 (selected by Lettuce's handshake), then the program's own SELECT 3;
   * the server then kills it, and Lettuce reconnects and selects database 3 again by itself.
   */
  static void otherDatabase(RedisClient client, String host, int port) {
    RedisURI uri = RedisURI.Builder.redis(host, port).withDatabase(2).build();
    try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
      print("db2-set", connection.sync().set("db:key", "two"));
      print("db2-select", connection.sync().select(3));
      print("db3-get", connection.sync().get("db:key"));
      print("db3-set", connection.sync().set("db3:key", "three"));
      long id = connection.sync().clientId();
      try (StatefulRedisConnection<String, String> killer = client.connect()) {
        print("db3-killed", killer.sync().clientKill(KillArgs.Builder.id(id)));
      }
      // the GET goes once Lettuce has reconnected: one dispatched while it reconnects has no channel
      // yet, and memtrace cannot tell its server or database (a known limit, not tested here)
      waitUntil(() -> !connection.isOpen(), 2_000);
      waitUntil(connection::isOpen, 10_000);
      print("db3-get-after-reconnect", connection.sync().get("db3:key"));
    }
  }

  static void waitUntil(BooleanSupplier condition, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Two connections shared by several threads, each storing notes whose values have a length of
   * its own: every SET's span must carry its own note's key and size, and be the child of the
   * store span that issued it.
   */
  static void sharedConnections(RedisClient client) throws Exception {
    try (StatefulRedisConnection<String, String> first = client.connect();
        StatefulRedisConnection<String, String> second = client.connect()) {
      Notes[] shared = {new Notes(first), new Notes(second)};
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          int found = 0;
          for (int i = 0; i < NOTES; i++) {
            String key = "p" + thread + "-" + i;
            shared[i % 2].store(key, value(thread, i));
            if (value(thread, i).equals(shared[(i + 1) % 2].retrieve(key))) {
              found++;
            }
          }
          return found;
        }));
      }
      int found = 0;
      for (Future<Integer> f : done) {
        found += f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      print("shared-notes-found", found);
    }
  }

  /** The value of note {@code i} of {@code thread}: its length tells which note it is. */
  static String value(int thread, int i) {
    return "x".repeat(1 + thread * NOTES + i);
  }

  /** A subscriber receives three messages pushed to it: they answer no command. */
  static void pubSub(RedisClient client) throws Exception {
    CountDownLatch received = new CountDownLatch(3);
    List<String> messages = new ArrayList<>();
    try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
        StatefulRedisConnection<String, String> publisher = client.connect()) {
      subscriber.addListener(new RedisPubSubAdapter<String, String>() {
        @Override
        public void message(String channel, String message) {
          synchronized (messages) {
            messages.add(message);
          }
          received.countDown();
        }
      });
      subscriber.sync().subscribe("news");
      for (int i = 1; i <= 3; i++) {
        publisher.sync().publish("news", "message " + i);
      }
      print("messages-received", received.await(10, TimeUnit.SECONDS));
      synchronized (messages) {
        print("messages", messages);
      }
      subscriber.sync().unsubscribe("news");
    }
  }

  static void print(String label, Object value) {
    if (value instanceof List && !((List<?>) value).isEmpty() && ((List<?>) value).get(0) instanceof KeyValue) {
      value = value.toString(); // KeyValue prints its key and value
    }
    System.out.println(label + " -> " + value);
  }
}
