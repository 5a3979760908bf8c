import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.ClusterCommandObjects;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Response;

/**
 * A plain JedisCluster application (Jedis 7), knowing nothing of memtrace, that checks every value it reads
 * against what it wrote, while whoever runs it reshards a slot and fails a master over: it prints
 * {@code AWAIT name} and waits for a line on its standard input before going on. Its keys carry the run's name, so
 * two runs on one cluster do not meet. Usage: JedisClusterProgram host port run
 */
public class JedisClusterProgram extends ClusterProgram {

  public static void main(String[] args) throws Exception {
    run = args[2];
    BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Set<HostAndPort> seeds = Set.of(new HostAndPort(args[0], Integer.parseInt(args[1])));
    try (JedisCluster cluster = new JedisCluster(seeds, DefaultJedisClientConfig.builder().build(), 10,
        new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>())) {
      for (int i = 0; i < 30; i++) {
        cluster.set(key("user", i), value(key("user", i)));
      }
      for (int i = 0; i < 30; i++) {
        check(cluster.get(key("user", i)), value(key("user", i)));
      }
      check(cluster.get(key("user", 999)), null);
      print("spread", "30 keys over the masters, read back");

      for (int i = 0; i < 20; i++) {
        cluster.set(key("{mig-" + run + "}", i), value(key("{mig-" + run + "}", i)));
      }
      await(control, "migrate-half");
      for (int i = 0; i < 20; i++) {
        check(cluster.get(key("{mig-" + run + "}", i)), value(key("{mig-" + run + "}", i)));
      }
      for (int i = 20; i < 25; i++) {
        cluster.set(key("{mig-" + run + "}", i), value(key("{mig-" + run + "}", i)));
        check(cluster.get(key("{mig-" + run + "}", i)), value(key("{mig-" + run + "}", i)));
      }
      print("migrating", "25 keys read back while their slot moved");
      await(control, "migrate-finish");
      for (int i = 0; i < 25; i++) {
        check(cluster.get(key("{mig-" + run + "}", i)), value(key("{mig-" + run + "}", i)));
      }
      print("migrated", "25 keys read back from their new master");

      try (ClusterPipeline pipeline = cluster.pipelined()) {
        List<Response<String>> reads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          pipeline.set(key("pipe", i), value(key("pipe", i)));
        }
        for (int i = 0; i < 30; i++) {
          reads.add(pipeline.get(key("pipe", i)));
        }
        pipeline.sync();
        for (int i = 0; i < 30; i++) {
          check(reads.get(i).get(), value(key("pipe", i)));
        }
      }
      print("pipeline", "30 writes and 30 reads over the masters in one sync");

      for (int i = 0; i < 10; i++) {
        cluster.set(key("{fo-" + run + "}", i), value(key("{fo-" + run + "}", i)));
      }
      await(control, "failover");
      for (int i = 0; i < 10; i++) {
        check(cluster.get(key("{fo-" + run + "}", i)), value(key("{fo-" + run + "}", i)));
      }
      print("failover", "10 keys read back from the promoted replica");
    }

    // reads from replicas: every connection of this client says READONLY, and these GETs go to a replica
    try (JedisCluster replicas = new JedisCluster(seeds,
        DefaultJedisClientConfig.builder().readOnlyForRedisClusterReplicas().build(), 10,
        new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>())) {
      ClusterCommandObjects commands = new ClusterCommandObjects();
      for (int i = 0; i < 10; i++) {
        check(replicas.executeCommandToReplica(commands.get(key("{fo-" + run + "}", i))),
            value(key("{fo-" + run + "}", i)));
      }
      check(replicas.get(key("{fo-" + run + "}", 0)), value(key("{fo-" + run + "}", 0)));
      print("replicas", "11 keys read back, 10 of them from a replica");
    }
    print("done", checked + " values checked");
  }
}
