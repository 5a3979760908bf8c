import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;

/**
 * Jedis 3 has no pooled client: a pool whose every call borrows a connection, as
 * {@code JedisPooled} does, and a pipeline that keeps its own until it is synced.
 */
public class PooledClient implements AutoCloseable {

  private final JedisPool pool;

  public PooledClient(String host, int port) {
    pool = new JedisPool(host, port);
  }

  public Pipeline pipelined() {
    return pool.getResource().pipelined(); // returned to the pool with the program's exit
  }

  public String get(String key) {
    try (Jedis jedis = pool.getResource()) {
      return jedis.get(key);
    }
  }

  public String set(String key, String value) {
    try (Jedis jedis = pool.getResource()) {
      return jedis.set(key, value);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
