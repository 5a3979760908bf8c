import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/** Jedis 4 to 6: the pooled client is {@code JedisPooled}. */
final class UnifiedClient {

  static UnifiedJedis open(String host, int port) {
    return new JedisPooled(host, port);
  }
}
