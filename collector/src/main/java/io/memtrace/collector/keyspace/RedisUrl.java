package io.memtrace.collector.keyspace;

import io.memtrace.collector.CollectorException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * A Redis to watch: {@code redis://[user[:password]@]host[:port]} or {@code rediss://} for TLS.
 * Credentials stay in this object: {@link #toString} and {@link #address} show {@code host:port}
 * only, the form the Redis spans' {@code server.address:server.port} take, which is what the
 * {@code keyspace} tables store.
 */
public final class RedisUrl {

  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final boolean tls;

  private RedisUrl(String host, int port, String user, String password, boolean tls) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.tls = tls;
  }

  /** Parses {@code text}; the error message never repeats the text, which may hold a password. */
  public static RedisUrl parse(String option, String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new CollectorException(option + " must be a URL like redis://host:6379 (the one given is not a URL)");
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new CollectorException(option + " must start with redis:// or rediss:// (got "
          + (scheme == null ? "no scheme" : "'" + scheme + "://'") + ")");
    }
    if (uri.getHost() == null) {
      throw new CollectorException(option + " names no host; write it as redis://host:6379");
    }
    if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
      throw new CollectorException(option + " must not name a database (" + uri.getPath()
          + "): the watcher reads every database listed by INFO keyspace");
    }
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
      if (password == null) { // redis://secret@host is the password alone, as redis-cli reads it
        password = user;
        user = null;
      } else if (user.isEmpty()) {
        user = null;
      }
    }
    return new RedisUrl(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), user, password, "rediss".equals(scheme));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  public HostAndPort hostAndPort() {
    return new HostAndPort(host, port);
  }

  /** {@code host:port}, as stored in the keyspace tables. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** Jedis settings: no {@code CLIENT SETINFO} on connect, so the minimal ACL needs nothing for it. */
  public JedisClientConfig clientConfig(int timeoutMillis) {
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis)
        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).ssl(tls);
    if (user != null) {
      b.user(user);
    }
    if (password != null) {
      b.password(password);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return (tls ? "rediss://" : "redis://") + address();
  }
}
