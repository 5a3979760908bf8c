import redis.clients.jedis.Pipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/** Jedis 4 and later: the version's pooled client, which {@code UnifiedClient} of the version opens. */
public class PooledClient implements AutoCloseable {

  private final UnifiedJedis client;

  public PooledClient(String host, int port) {
    client = UnifiedClient.open(host, port);
  }

  public Pipeline pipelined() {
    return (Pipeline) client.pipelined(); // JedisPooled's and RedisClient's; UnifiedJedis's type differs by version
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
