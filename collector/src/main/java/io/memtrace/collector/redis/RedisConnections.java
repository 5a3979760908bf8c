package io.memtrace.collector.redis;

import io.memtrace.collector.CollectorException;
import java.net.URI;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** Opens a connection from a {@code redis://[user:password@]host[:port][/db]} URL, with clear errors. */
public final class RedisConnections {

  private RedisConnections() {
  }

  public static Jedis open(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new CollectorException("--redis '" + url + "' is not a URL: " + e.getMessage());
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new CollectorException("--redis must look like redis://host:6379[/db], got '" + url + "'");
    }
    try {
      Jedis jedis = new Jedis(uri, 10_000);
      jedis.ping();
      return jedis;
    } catch (JedisException e) {
      throw new CollectorException("cannot connect to Redis at " + uri.getHost() + ":"
          + (uri.getPort() < 0 ? 6379 : uri.getPort()) + ": " + e.getMessage(), e);
    }
  }
}
