package io.memtrace.bench.topology;

import io.memtrace.testsupport.redis.RedisProcess;
import io.memtrace.testsupport.redis.TlsRedis;
import java.io.IOException;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;

/**
 * Redisson's sync {@link RBucket} ({@code GET}/{@code SET} of a string, {@link StringCodec}; the bucket fetched
 * per call, as code with changing keys does) per topology:
 * single-server (standalone; TLS over {@code rediss://} with the server's trust store), cluster and Sentinel
 * servers with {@code readMode=MASTER} (Redisson's default there is {@code SLAVE}: set so that these cells compare
 * with the other clients'), and on {@link Topology#REPLICA} the Sentinel servers with {@code readMode=SLAVE}: GET from
 * a replica, SET to the primary. Connection pools start with two idle connections per node instead of 24, so a
 * trial does not open a hundred connections to a cluster before its first command.
 */
final class RedissonClients {

  private static final int IDLE = 2;

  private RedissonClients() {
  }

  static CommandClient open(Servers servers) throws IOException {
    Config config = new Config().setCodec(StringCodec.INSTANCE);
    switch (servers.topology) {
      case STANDALONE:
        config.useSingleServer().setAddress("redis://127.0.0.1:" + servers.standalone().port)
            .setConnectionMinimumIdleSize(IDLE);
        break;
      case CLUSTER: {
        ClusterServersConfig cluster = config.useClusterServers().setReadMode(ReadMode.MASTER)
            .setMasterConnectionMinimumIdleSize(IDLE).setSlaveConnectionMinimumIdleSize(IDLE);
        for (RedisProcess master : servers.cluster().masters()) {
          cluster.addNodeAddress("redis://127.0.0.1:" + master.port);
        }
        break;
      }
      case SENTINEL:
        sentinel(config, servers).setReadMode(ReadMode.MASTER);
        break;
      case REPLICA:
        sentinel(config, servers).setReadMode(ReadMode.SLAVE);
        break;
      case TLS: {
        TlsRedis tls = servers.tls();
        config.useSingleServer().setAddress("rediss://127.0.0.1:" + tls.port()).setConnectionMinimumIdleSize(IDLE)
            .setSslTruststore(tls.trustStore().toUri().toURL()).setSslTruststorePassword(tls.trustStorePassword());
        break;
      }
      default:
        throw new IllegalArgumentException("Redisson on " + servers.topology);
    }
    RedissonClient redisson = Redisson.create(config);
    return new CommandClient(key -> redisson.<String>getBucket(key).get(), (key, value) -> {
      redisson.<String>getBucket(key).set(value);
      return "OK";
    }, 2, redisson::shutdown);
  }

  private static SentinelServersConfig sentinel(Config config, Servers servers) {
    SentinelServersConfig sentinel = config.useSentinelServers().setMasterName(servers.sentinels().masterName())
        .setMasterConnectionMinimumIdleSize(IDLE).setSlaveConnectionMinimumIdleSize(IDLE);
    for (int port : servers.sentinels().sentinelPorts()) {
      sentinel.addSentinelAddress("redis://127.0.0.1:" + port);
    }
    return sentinel;
  }
}
