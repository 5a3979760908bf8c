import redis.clients.jedis.params.SetParams;

/** The pooled-client part of JedisProgram, for Jedis 4 and later ({@code PooledClient} of the version). */
public class PooledProgram {

  public static void run(String host, int port) {
    try (PooledClient jedis = new PooledClient(host, port)) {
      JedisProgram.print("pooled-set", jedis.set("pooled:key", "unified", new SetParams().ex(120)));
      JedisProgram.print("pooled-get", jedis.get("pooled:key"));
      JedisProgram.print("pooled-get-miss", jedis.get("pooled:missing"));
    }
  }
}
