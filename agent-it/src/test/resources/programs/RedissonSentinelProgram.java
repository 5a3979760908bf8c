import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * A plain Redisson application behind Sentinels ({@code useSentinelServers()}), knowing nothing of memtrace: three
 * threads write and read every key once (two with the sync API, one with the async), until {@code stop-file}
 * exists, while whoever runs it fails the primary over. A value read back must be the one written under that key
 * (or nothing, if the write was lost with the old primary). Every exception is printed with the command and key it
 * came from. Usage: RedissonSentinelProgram master-name sentinel-port,... stop-file read-mode
 */
public class RedissonSentinelProgram {

  static final AtomicLong ROUNDS = new AtomicLong();
  static final AtomicLong LOST = new AtomicLong();
  static final List<String> MISMATCHES = new CopyOnWriteArrayList<>();
  static final Map<String, AtomicLong> ERRORS = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    Config config = new Config();
    config.useSentinelServers().setMasterName(args[0]).setScanInterval(500).setCheckSentinelsList(false)
        .setReadMode(ReadMode.valueOf(args[3])).setTimeout(2000).setRetryAttempts(3);
    for (String port : args[1].split(",")) {
      config.useSentinelServers().addSentinelAddress("redis://127.0.0.1:" + port);
    }
    File stop = new File(args[2]);
    RedissonClient client = Redisson.create(config);
    try {
      System.out.println("primary-before " + primary(client));
      Thread[] threads = new Thread[3];
      for (int t = 0; t < threads.length; t++) {
        int thread = t;
        threads[t] = new Thread(() -> loop(thread, stop, client), "writer-" + t);
        threads[t].start();
      }
      while (ROUNDS.get() < 30) {
        Thread.sleep(5);
      }
      System.out.println("ready");
      System.out.flush();
      for (Thread thread : threads) {
        thread.join();
      }
      System.out.println("primary-after " + primary(client) + " " + primary(client));
    } finally {
      client.shutdown();
    }
    System.out.println("rounds " + ROUNDS.get());
    System.out.println("lost " + LOST.get());
    System.out.println("mismatches " + MISMATCHES);
    System.out.println("errors " + new TreeMap<>(ERRORS));
  }

  static int primary(RedissonClient client) {
    return client.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster().getAddr().getPort();
  }

  /** The value written under {@code key}: its length varies with the key, so a reply given to the wrong command shows. */
  static String value(String key, long i) {
    StringBuilder value = new StringBuilder(key).append('=');
    for (long n = i % 23; n > 0; n--) {
      value.append('x');
    }
    return value.toString();
  }

  static void loop(int thread, File stop, RedissonClient client) {
    for (long i = 0; !stop.exists(); i++) {
      String key = "fo:rsn:" + thread + ":" + i;
      String value = value(key, i);
      String op = "SET";
      try {
        RBucket<String> bucket = client.getBucket(key, StringCodec.INSTANCE);
        String read;
        if (thread < 2) {
          bucket.set(value);
          op = "GET";
          read = bucket.get();
        } else {
          bucket.setAsync(value).toCompletableFuture().get(10, TimeUnit.SECONDS);
          op = "GET";
          read = bucket.getAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (read == null) {
          LOST.incrementAndGet();
        } else if (!read.equals(value)) {
          MISMATCHES.add(key + " read " + read);
        }
        ROUNDS.incrementAndGet();
      } catch (Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
        String kind = cause.getClass().getSimpleName() + ": " + firstWord(cause.getMessage());
        ERRORS.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        System.out.println("error " + op + " " + key + " " + kind);
      }
      sleep(5);
    }
  }

  static String firstWord(String message) {
    if (message == null) {
      return "";
    }
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
