import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** Jedis 7 and 8: the pooled client is {@code RedisClient} (8.x has no {@code JedisPooled}). */
final class UnifiedClient {

  static UnifiedJedis open(String host, int port) {
    return RedisClient.create(host, port);
  }
}
