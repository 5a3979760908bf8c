import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.RedisClient;

/** Jedis 7 and 8: the pooled client is {@code RedisClient} (8.x has no {@code JedisPooled}). */
public class PooledClient implements AutoCloseable {

  private final RedisClient client;

  public PooledClient(String host, int port) {
    client = RedisClient.create(host, port);
  }

  public Pipeline pipelined() {
    return client.pipelined();
  }

  public String get(String key) {
    return client.get(key);
  }

  public String set(String key, String value) {
    return client.set(key, value);
  }

  public String set(String key, String value, SetParams params) {
    return client.set(key, value, params);
  }

  @Override
  public void close() {
    client.close();
  }
}
