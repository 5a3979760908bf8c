import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;

/** Jedis 4 to 6: the pooled client is {@code JedisPooled}. */
public class PooledClient implements AutoCloseable {

  private final JedisPooled client;

  public PooledClient(String host, int port) {
    client = new JedisPooled(host, port);
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
