import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain Lettuce application (6.x, 7.x), knowing nothing of memtrace, that finds its primary through Sentinels
 * ({@code RedisURI} with Sentinels and a master name) and writes and reads back keys from three threads over one
 * connection until a stop file appears, checking every value it reads; whoever runs it fails the primary over
 * meanwhile (a write the old primary acknowledged after the failover, which is lost when the Sentinels demote it, reads
 * back as nothing: counted, not a mismatch; any other value is). Then a {@code MasterReplica} connection reads ten of the first keys from the replicas. Prints what it
 * checked and the errors it met, by kind; before the MasterReplica part it prints {@code AWAIT -> replicas} and waits
 * for a line on its standard input. Usage: LettuceSentinelProgram masterName sentinelPorts stopFile
 */
public class LettuceSentinelProgram {

  static final int THREADS = 3;
  static final AtomicInteger checked = new AtomicInteger();
  static final Map<String, Integer> errors = new TreeMap<>();

  public static void main(String[] args) throws Exception {
    RedisURI.Builder builder = null;
    for (String port : args[1].split(",")) {
      builder = builder == null ? RedisURI.Builder.sentinel("127.0.0.1", Integer.parseInt(port), args[0])
          : builder.withSentinel("127.0.0.1", Integer.parseInt(port));
    }
    RedisURI uri = builder.build();
    Path stop = Paths.get(args[2]);
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, uri)) {
      CountDownLatch warm = new CountDownLatch(THREADS);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        threads.add(new Thread(() -> loop(connection.sync(), thread, stop, warm), "writer-" + t));
      }
      threads.forEach(Thread::start);
      warm.await();
      print("ready", "three threads writing");
      for (Thread thread : threads) {
        thread.join();
      }
    }
    print("checked", checked.get() > 0 ? "values read back as written" : "nothing");
    print("errors", errors.toString());
    print("AWAIT", "replicas"); // until the Sentinels list the replicas of the new primary
    if (new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine() == null) {
      throw new IllegalStateException("no go for replicas");
    }

    try (StatefulRedisMasterReplicaConnection<String, String> replicas = MasterReplica.connect(client,
        StringCodec.UTF8, uri)) {
      replicas.setReadFrom(ReadFrom.REPLICA);
      for (int i = 0; i < 10; i++) {
        check(replicas.sync().get("t0:" + i), "value of t0:" + i);
      }
      print("replicas", "10 keys read back from replicas");
    } finally {
      client.shutdown();
    }
  }

  static void loop(RedisCommands<String, String> sync, int thread, Path stop, CountDownLatch warm) {
    for (int i = 0; !Files.exists(stop); i++) {
      String key = "t" + thread + ":" + i;
      try {
        sync.set(key, "value of " + key);
        String read = sync.get(key);
        if (read == null) { // acknowledged by the old primary after the failover, lost when it was demoted
          synchronized (errors) {
            errors.merge("lost write", 1, Integer::sum);
          }
        } else {
          check(read, "value of " + key);
        }
      } catch (RedisException e) {
        synchronized (errors) {
          errors.merge(e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).split(" ")[0], 1,
              Integer::sum);
        }
      }
      if (i == 50) {
        warm.countDown();
      }
    }
  }

  static void check(String got, String expected) {
    if (!Objects.equals(got, expected)) {
      print("mismatch", "read " + got + " where " + expected + " was written");
      System.exit(3);
    }
    checked.incrementAndGet();
  }

  static void print(String what, String detail) {
    synchronized (System.out) {
      System.out.println(what + " -> " + detail);
      System.out.flush();
    }
  }
}
