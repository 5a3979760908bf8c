package io.memtrace.bench.overhead;

import redis.clients.jedis.Jedis;

/**
 * The workload ({@link CommandLoad}) through Jedis 5.2.0: every load thread owns one {@code Jedis}
 * connection, as a Jedis application without a pool would.
 *
 * <p>Usage: {@code JedisLoad host port threads warmupSeconds measureSeconds [valueBytes] [keys]}
 */
public final class JedisLoad implements CommandLoad.Client {

  private final String host;
  private final int port;

  private JedisLoad(String host, int port) {
    this.host = host;
    this.port = port;
  }

  public static void main(String[] args) throws Exception {
    CommandLoad.run(args, JedisLoad::new);
  }

  @Override
  public CommandLoad.Connection open() {
    Jedis jedis = new Jedis(host, port);
    try {
      jedis.ping();
    } catch (RuntimeException e) {
      jedis.close();
      throw e;
    }
    return new Own(jedis);
  }

  @Override
  public void close() {
    // every connection is its thread's, and closed by it
  }

  /** One thread's own connection. */
  private static final class Own implements CommandLoad.Connection {
    private final Jedis jedis;

    Own(Jedis jedis) {
      this.jedis = jedis;
    }

    @Override
    public void set(byte[] key, byte[] value) {
      jedis.set(key, value);
    }

    @Override
    public void get(byte[] key) {
      jedis.get(key);
    }

    @Override
    public void close() {
      jedis.close();
    }
  }
}
