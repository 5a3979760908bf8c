import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Every way an application interleaves Redis connections, knowing nothing of memtrace; compiled
 * against each Jedis version (with the {@code PooledClient} of that version). Each scenario uses
 * keys of its own prefix, so its spans can be told apart. Usage: PairingProgram host port
 */
public class PairingProgram {

  static String host;
  static int port;

  public static void main(String[] args) throws Exception {
    host = args[0];
    port = Integer.parseInt(args[1]);
    try (Jedis admin = new Jedis(host, port)) {
      admin.flushDB();
    }
    interleavedPipelines();
    pipelineLeftOpen();
    transactionBesideAnotherConnection();
    pubSubStoppedFromAnotherThread();
    poolFromSeveralThreads();
    poolOnAnotherDatabase();
    print("done", "all scenarios");
  }

  /** Two pipelines on two connections of one thread, synced in the other order. */
  static void interleavedPipelines() {
    try (Jedis a = new Jedis(host, port); Jedis b = new Jedis(host, port)) {
      Pipeline pa = a.pipelined();
      pa.set("interleave:a", "from-a");
      Pipeline pb = b.pipelined();
      pb.set("interleave:b", "from-b");
      Response<String> bReadsA = pb.get("interleave:a");
      Response<String> aReadsB = pa.get("interleave:b");
      pb.sync();
      pa.sync();
      print("interleave", bReadsA.get() + "," + aReadsB.get());
      print("interleave-get", a.get("interleave:b") + "," + b.get("interleave:a"));
    }
  }

  /** {@code p = pooled.pipelined(); p.set; p.set; pooled.get("other"); p.sync();} */
  static void pipelineLeftOpen() {
    try (PooledClient pooled = new PooledClient(host, port)) {
      Pipeline p = pooled.pipelined();
      p.set("open:1", "one");
      p.set("open:2", "two");
      String other = pooled.get("open:other");
      p.sync();
      print("open", other + "," + pooled.get("open:1") + "," + pooled.get("open:2"));
    }
  }

  /** A transaction on one connection while another connection is used on the same thread. */
  static void transactionBesideAnotherConnection() {
    try (Jedis a = new Jedis(host, port); Jedis b = new Jedis(host, port)) {
      Transaction t = a.multi();
      t.set("tx:1", "v");
      t.incr("tx:counter");
      String other = b.get("tx:other");
      List<Object> results = t.exec();
      print("tx", other + "," + results);
    }
  }

  /**
   * A subscriber thread reads inside {@code subscribe()}; the main thread unsubscribes it and then
   * reuses its connection, whose every later command must get its own reply.
   */
  static void pubSubStoppedFromAnotherThread() throws Exception {
    try (Jedis sub = new Jedis(host, port); Jedis publisher = new Jedis(host, port)) {
      CountDownLatch subscribed = new CountDownLatch(2);
      CountDownLatch received = new CountDownLatch(1);
      List<String> messages = new ArrayList<>();
      JedisPubSub listener = new JedisPubSub() {
        @Override
        public void onSubscribe(String channel, int count) {
          subscribed.countDown();
        }

        @Override
        public void onMessage(String channel, String message) {
          messages.add(channel + ":" + message);
          received.countDown();
        }
      };
      Thread subscriber = new Thread(() -> sub.subscribe(listener, "pubsub:news", "pubsub:sport"));
      subscriber.start();
      await(subscribed);
      publisher.publish("pubsub:news", "hello");
      await(received);
      listener.unsubscribe();
      subscriber.join(10_000);
      print("pubsub-messages", messages);
      print("pubsub-set", sub.set("pubsub:text", "some text"));
      try {
        sub.incr("pubsub:text");
        print("pubsub-incr", "unexpected success");
      } catch (JedisDataException e) {
        print("pubsub-incr-error", e.getMessage());
      }
      print("pubsub-get-miss", sub.get("pubsub:missing"));
      print("pubsub-get-hit", sub.get("pubsub:text"));
      print("pubsub-del", sub.del("pubsub:text"));
    }
  }

  /** Pooled connections taken and returned by four threads at once. */
  static void poolFromSeveralThreads() throws Exception {
    int threads = 4;
    int rounds = 50;
    List<Thread> workers = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    try (JedisPool pool = new JedisPool(host, port)) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        workers.add(new Thread(() -> {
          for (int i = 0; i < rounds; i++) {
            String key = "pool:" + thread + ":" + i;
            String value = "v".repeat(1 + (thread * rounds + i) % 37);
            try (Jedis jedis = pool.getResource()) {
              jedis.set(key, value);
            }
            try (Jedis jedis = pool.getResource()) {
              if (!value.equals(jedis.get(key))) {
                synchronized (failures) {
                  failures.add(key);
                }
              }
            }
          }
        }));
      }
      for (Thread w : workers) {
        w.start();
      }
      for (Thread w : workers) {
        w.join();
      }
    }
    print("pool", failures.isEmpty() ? "all read back" : "failures " + failures);
  }

  /** A pool whose connections select database 2 as they set themselves up. */
  static void poolOnAnotherDatabase() {
    try (JedisPool pool = new JedisPool(new GenericObjectPoolConfig<Jedis>(), host, port, 2000, null, 2);
        Jedis jedis = pool.getResource()) {
      jedis.set("db2:key", "on two");
      print("db2", jedis.get("db2:key"));
    }
  }

  static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("timed out");
    }
  }

  static void print(String label, Object value) {
    System.out.println(label + " -> " + value);
  }
}
