package io.memtrace.agent.pipeline;

import static io.memtrace.agent.semconv.AttributeNames.*;

import io.memtrace.agent.pipeline.retention.KeyEvents;
import io.memtrace.agent.redis.RedisCommandInfo;
import io.memtrace.agent.span.SpanRecord;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a Redis span says of the connection its command went over: {@code db.namespace}, the database the connection
 * has {@code SELECT}ed, {@code memtrace.redis.replica} when it said {@code READONLY} (a Redis Cluster client reading
 * from replicas), and {@code server.address} and {@code server.port}, where its socket goes. Consumer thread only,
 * one per {@link RedisSpanFactory}: the application thread pays nothing for it.
 */
final class ConnectionAttributes {

  /**
   * The last sockets seen and their addresses, and the last connections and their databases: consecutive
   * commands mostly come over the same connection, and looking both up again cost the consumer
   * a map lookup and two socket calls per span.
   */
  private static final int CACHED = 8;

  /**
   * The database each connection has SELECTed; the client does not say, so SELECT replies are
   * followed (Lettuce's connection is its channel, whose handshake SELECT is followed too).
   */
  private final Map<Object, String> databases = new WeakHashMap<>();
  /**
   * The connections that said {@code READONLY}, until they say {@code READWRITE}: the client asks the node to serve
   * reads of its slots from a replica (Lettuce's {@code ReadFrom.REPLICA}, Redisson's {@code readMode=SLAVE},
   * Jedis's {@code readOnlyForRedisClusterReplicas}); like SELECT, often part of the hidden handshake.
   */
  private final Map<Object, Boolean> readOnly = new WeakHashMap<>();
  private final Object[] sockets = new Object[CACHED];
  private final String[] hosts = new String[CACHED];
  private final long[] ports = new long[CACHED];
  private final Object[] connections = new Object[CACHED];
  private final String[] connectionDatabases = new String[CACHED];
  private final boolean[] connectionReadOnly = new boolean[CACHED];
  private final ClusterMasters masters = new ClusterMasters();
  private final boolean[] socketMaster = new boolean[CACHED];
  private int nextSocket;
  private int nextConnection;

  /**
   * What a command that succeeded changes on its connection: a {@code SELECT} makes its argument the connection's
   * database, {@code READONLY} and {@code READWRITE} set and clear its replica reads.
   */
  void follow(RedisCommandInfo command, SpanEvent event, List<byte[]> args) {
    if (event.error != null) {
      return;
    }
    String name = command.name();
    if (name.equals("SELECT") && args.size() > 1) {
      databases.put(event.connection, new String(args.get(1), StandardCharsets.US_ASCII));
    } else if (name.equals("READONLY")) {
      readOnly.put(event.connection, Boolean.TRUE);
    } else if (name.equals("READWRITE")) {
      readOnly.remove(event.connection);
    } else if (name.equals("CLUSTER") && args.size() > 1 && "SLOTS".equalsIgnoreCase(
        new String(args.get(1), StandardCharsets.US_ASCII))) {
      if (masters.learn(event.reply)) {
        Arrays.fill(sockets, null);
      }
      return;
    } else {
      return;
    }
    Arrays.fill(connections, null);
  }

  /**
   * {@code db.namespace}, {@code server.address} and {@code server.port}. The answers for the last
   * few connections and sockets are kept by identity: asking the socket for its address makes a new
   * {@code InetSocketAddress} each time, and a few connections take turns on a busy application.
   */
  void put(SpanRecord attrs, SpanEvent event) {
    int c = connection(event);
    attrs.put(DB_NAMESPACE, connectionDatabases[c]);
    int s = socket(event);
    if (connectionReadOnly[c] && !socketMaster[s]) {
      attrs.put(MEMTRACE_REDIS_REPLICA, true);
    }
    if (hosts[s] != null) {
      attrs.put(SERVER_ADDRESS, hosts[s]);
      attrs.put(SERVER_PORT, ports[s]);
    }
  }

  /** What {@link #put} gives a span of the connection, for a key event: the same strings, no attribute written. */
  void place(KeyEvents.Command command, SpanEvent event) {
    command.database = connectionDatabases[connection(event)];
    int s = socket(event);
    command.address = hosts[s];
    command.port = hosts[s] == null ? -1 : ports[s];
  }

  /** The cache index of the event's connection, looked up (and its database found) when it is not cached. */
  private int connection(SpanEvent event) {
    int c = indexOf(connections, event.connection);
    if (c < 0) {
      c = nextConnection;
      nextConnection = (nextConnection + 1) % CACHED;
      connections[c] = event.connection;
      connectionDatabases[c] = databases.getOrDefault(event.connection, "0");
      connectionReadOnly[c] = readOnly.containsKey(event.connection);
    }
    return c;
  }

  /** The cache index of the event's socket, its address asked for when it is not cached. */
  private int socket(SpanEvent event) {
    int s = indexOf(sockets, event.socket);
    if (s < 0) {
      s = nextSocket;
      nextSocket = (nextSocket + 1) % CACHED;
      sockets[s] = event.socket;
      hosts[s] = null;
      ports[s] = -1;
      // Jedis hands over its Socket; Lettuce's channel is resolved to its address before (AsyncClient)
      SocketAddress remote = event.socket instanceof Socket
          ? ((Socket) event.socket).getRemoteSocketAddress() : event.socket instanceof SocketAddress
          ? (SocketAddress) event.socket : null;
      if (remote instanceof InetSocketAddress) {
        InetSocketAddress address = (InetSocketAddress) remote;
        hosts[s] = address.getHostString();
        ports[s] = address.getPort();
      }
      if (hosts[s] == null) {
        sockets[s] = null; // not connected (yet): ask again next time
      }
      socketMaster[s] = masters.isMaster(hosts[s], ports[s]);
    }
    return s;
  }

  private static int indexOf(Object[] cache, Object key) {
    if (key == null) {
      return -1;
    }
    for (int i = 0; i < cache.length; i++) {
      if (cache[i] == key) {
        return i;
      }
    }
    return -1;
  }
}
