import redis.clients.jedis.JedisPooled;

/** The JedisPooled part of JedisProgram, for Jedis 4 and later. */
public class PooledProgram {

  public static void run(String host, int port) {
    try (JedisPooled jedis = new JedisPooled(host, port)) {
      JedisProgram.print("pooled-set", jedis.set("pooled:key", "unified", new redis.clients.jedis.params.SetParams().ex(120)));
      JedisProgram.print("pooled-get", jedis.get("pooled:key"));
      JedisProgram.print("pooled-get-miss", jedis.get("pooled:missing"));
    }
  }
}
