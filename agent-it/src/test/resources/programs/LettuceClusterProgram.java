import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.reactive.RedisAdvancedClusterReactiveCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain Lettuce Redis Cluster application (5.3 to 7.x), knowing nothing of memtrace, that checks every value it
 * reads against what it wrote, through the sync, async and reactive APIs, while whoever runs it reshards a slot and
 * fails a master over: it prints {@code AWAIT name} and waits for a line on its standard input before going on. Its
 * keys carry the run's name, so runs on one cluster do not meet. Usage: LettuceClusterProgram host port run
 */
public class LettuceClusterProgram extends ClusterProgram {

  public static void main(String[] args) throws Exception {
    run = args[2];
    BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    RedisClusterClient client = RedisClusterClient.create(RedisURI.create("redis://" + args[0] + ":" + args[1]));
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      RedisAdvancedClusterCommands<String, String> sync = connection.sync();
      RedisAdvancedClusterAsyncCommands<String, String> async = connection.async();
      RedisAdvancedClusterReactiveCommands<String, String> reactive = connection.reactive();

      for (int i = 0; i < 30; i++) {
        sync.set(key("user", i), value(key("user", i)));
      }
      List<RedisFuture<String>> reads = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        reads.add(async.get(key("user", i)));
      }
      for (int i = 0; i < 30; i++) {
        check(reads.get(i).get(), value(key("user", i)));
      }
      check(reactive.get(key("user", 999)).block(), null);
      print("spread", "30 keys over the masters, read back");

      String mig = "{mig-" + run + "}";
      for (int i = 0; i < 20; i++) {
        sync.set(key(mig, i), value(key(mig, i)));
      }
      await(control, "migrate-half");
      for (int i = 0; i < 10; i++) {
        check(sync.get(key(mig, i)), value(key(mig, i)));
      }
      for (int i = 10; i < 20; i++) {
        check(async.get(key(mig, i)).get(), value(key(mig, i)));
      }
      for (int i = 20; i < 25; i++) {
        reactive.set(key(mig, i), value(key(mig, i))).block();
        check(reactive.get(key(mig, i)).block(), value(key(mig, i)));
      }
      print("migrating", "25 keys read back while their slot moved");
      await(control, "migrate-finish");
      for (int i = 0; i < 25; i++) {
        check(sync.get(key(mig, i)), value(key(mig, i)));
      }
      print("migrated", "25 keys read back from their new master");

      String fo = "{fo-" + run + "}";
      for (int i = 0; i < 10; i++) {
        async.set(key(fo, i), value(key(fo, i))).get();
      }
      await(control, "failover");
      for (int i = 0; i < 10; i++) {
        check(reactive.get(key(fo, i)).block(), value(key(fo, i)));
      }
      print("failover", "10 keys read back from the promoted replica");

      // reads from replicas: Lettuce opens connections that say READONLY to the replicas it knows of
      refreshTopology(client); // the failover too: which nodes are replicas now
      connection.setReadFrom(ReadFrom.REPLICA);
      for (int i = 0; i < 10; i++) {
        check(sync.get(key("user", i)), value(key("user", i)));
      }
      print("replicas", "10 keys read back from replicas");
    } finally {
      client.shutdown();
    }
    print("done", checked + " values checked");
  }

  /** {@code refreshPartitions()} from 6.0, {@code reloadPartitions()} before (gone in neither 6 nor 7). */
  static void refreshTopology(RedisClusterClient client) throws Exception {
    try {
      RedisClusterClient.class.getMethod("refreshPartitions").invoke(client);
    } catch (NoSuchMethodException before6) {
      RedisClusterClient.class.getMethod("reloadPartitions").invoke(client);
    }
  }
}
