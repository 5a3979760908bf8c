package io.memtrace.bench.topology;

import io.memtrace.testsupport.redis.RedisProcess;
import io.memtrace.testsupport.redis.RedisSentinels;
import io.memtrace.testsupport.redis.TlsRedis;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisSentineled;

/**
 * Jedis per topology: one {@link Jedis} connection (standalone, TLS), {@link JedisCluster} (a pool per node, a
 * connection borrowed per command), {@link JedisSentineled} (a pool to the primary the Sentinels name). Jedis has
 * no replica routing, so on {@link Topology#REPLICA} GET goes over a {@link Jedis} connected directly to a replica
 * and SET over another one to the primary.
 */
final class JedisClients {

  private JedisClients() {
  }

  static CommandClient open(Servers servers) throws IOException {
    switch (servers.topology) {
      case STANDALONE: {
        Jedis jedis = new Jedis("127.0.0.1", servers.standalone().port);
        return new CommandClient(jedis::get, jedis::set, 1, jedis);
      }
      case CLUSTER: {
        Set<HostAndPort> nodes = new HashSet<>();
        for (RedisProcess master : servers.cluster().masters()) {
          nodes.add(local(master.port));
        }
        JedisCluster cluster = new JedisCluster(nodes);
        return new CommandClient(cluster::get, cluster::set, 1, cluster);
      }
      case SENTINEL: {
        RedisSentinels sentinels = servers.sentinels();
        Set<HostAndPort> addresses = new HashSet<>();
        for (int port : sentinels.sentinelPorts()) {
          addresses.add(local(port));
        }
        JedisSentineled jedis = new JedisSentineled(sentinels.masterName(), DefaultJedisClientConfig.builder().build(),
            addresses, DefaultJedisClientConfig.builder().build());
        return new CommandClient(jedis::get, jedis::set, 1, jedis);
      }
      case REPLICA: {
        Jedis writes = new Jedis(local(servers.primaryPort()));
        Jedis reads = new Jedis(local(servers.replicaPorts().get(0)));
        return new CommandClient(reads::get, writes::set, 1, writes, reads);
      }
      case TLS: {
        TlsRedis tls = servers.tls();
        Jedis jedis = new Jedis(local(tls.port()),
            DefaultJedisClientConfig.builder().ssl(true).sslSocketFactory(tls.certificates.sockets()).build());
        return new CommandClient(jedis::get, jedis::set, 1, jedis);
      }
      default:
        throw new IllegalArgumentException("Jedis on " + servers.topology);
    }
  }

  private static HostAndPort local(int port) {
    return new HostAndPort("127.0.0.1", port);
  }
}
