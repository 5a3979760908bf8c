import java.io.File;
import java.util.HashSet;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A plain Jedis 7 application behind Sentinels, knowing nothing of memtrace: two threads write and read through a
 * {@code JedisSentinelPool}, one through a {@code JedisSentineled}, every key once, until {@code stop-file} exists,
 * while whoever runs it fails the primary over. A value read back must be the one written under that key (or
 * nothing, if the write was lost with a crashed primary). Every exception is printed with the command and key it
 * came from. Given a port, a fourth thread writes through a plain {@code JedisPool} pinned to that node, as an
 * application that ignores the Sentinels does, and meets the node's demotion to a replica.
 * Usage: SentinelProgram master-name sentinel-port,... stop-file [pinned-port]
 */
public class SentinelProgram extends FailoverWriters {

  public static void main(String[] args) throws Exception {
    String master = args[0];
    Set<String> sentinels = new HashSet<>();
    Set<HostAndPort> sentinelAddresses = new HashSet<>();
    for (String port : args[1].split(",")) {
      sentinels.add("127.0.0.1:" + port);
      sentinelAddresses.add(new HostAndPort("127.0.0.1", Integer.parseInt(port)));
    }
    File stop = new File(args[2]);
    JedisPoolConfig poolConfig = new JedisPoolConfig();
    poolConfig.setMaxTotal(4);
    DefaultJedisClientConfig clientConfig = DefaultJedisClientConfig.builder().timeoutMillis(2000).build();
    int pinnedPort = args.length > 3 ? Integer.parseInt(args[3]) : -1;
    try (JedisSentinelPool pool = new JedisSentinelPool(master, sentinels, poolConfig, 2000);
        JedisSentineled sentineled = new JedisSentineled(master, clientConfig, sentinelAddresses,
            DefaultJedisClientConfig.builder().build());
        JedisPool pinned = pinnedPort < 0 ? null : new JedisPool(poolConfig, "127.0.0.1", pinnedPort, 2000)) {
      System.out.println("primary-before " + pool.getCurrentHostMaster().getPort());
      runWriters(pinned == null ? 3 : 4, thread -> loop(thread, stop, thread == 3 ? pinned : pool, sentineled));
      System.out.println("primary-after " + pool.getCurrentHostMaster().getPort() + " "
          + sentineled.getCurrentMaster().getPort());
    }
    printTally();
  }

  static void loop(int thread, File stop, redis.clients.jedis.util.Pool<Jedis> pool, JedisSentineled sentineled) {
    String prefix = thread < 2 ? "fo:pool:" : thread == 2 ? "fo:sentineled:" : "fo:pinned:";
    for (long i = 0; !stop.exists(); i++) {
      String key = prefix + thread + ":" + i;
      String value = value(key, i);
      String op = thread != 2 ? "BORROW" : "SET";
      try {
        String read;
        if (thread != 2) {
          try (Jedis jedis = pool.getResource()) {
            op = "SET";
            jedis.set(key, value);
            op = "GET";
            read = jedis.get(key);
          }
        } else {
          sentineled.set(key, value);
          op = "GET";
          read = sentineled.get(key);
        }
        readBack(key, value, read);
      } catch (JedisException e) {
        failed(op, key, e);
      }
      sleep(5);
    }
  }
}
