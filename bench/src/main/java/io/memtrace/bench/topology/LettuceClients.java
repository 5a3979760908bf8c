package io.memtrace.bench.topology;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import io.memtrace.testsupport.redis.RedisProcess;
import io.memtrace.testsupport.redis.TlsRedis;
import java.util.ArrayList;
import java.util.List;

/**
 * Lettuce's sync API per topology: one connection of a {@link RedisClient} (standalone, TLS with the server's
 * trust store, and Sentinel, where the client asks the Sentinels for the primary), a {@link RedisClusterClient}'s
 * connection (reads from masters, Lettuce's default), and on {@link Topology#REPLICA} a {@link MasterReplica}
 * connection found through the Sentinels with {@link ReadFrom#REPLICA}: GET from a replica, SET to the primary.
 */
final class LettuceClients {

  private LettuceClients() {
  }

  static CommandClient open(Servers servers) {
    switch (servers.topology) {
      case STANDALONE:
        return standalone(RedisClient.create(RedisURI.create("127.0.0.1", servers.standalone().port)));
      case CLUSTER: {
        List<RedisURI> seeds = new ArrayList<>();
        for (RedisProcess master : servers.cluster().masters()) {
          seeds.add(RedisURI.create("127.0.0.1", master.port));
        }
        RedisClusterClient client = RedisClusterClient.create(seeds);
        StatefulRedisClusterConnection<String, String> connection = client.connect();
        RedisAdvancedClusterCommands<String, String> commands = connection.sync();
        return new CommandClient(commands::get, commands::set, 2, client::shutdown, connection);
      }
      case SENTINEL:
        return standalone(RedisClient.create(sentinelUri(servers)));
      case REPLICA: {
        RedisClient client = RedisClient.create();
        StatefulRedisMasterReplicaConnection<String, String> connection =
            MasterReplica.connect(client, StringCodec.UTF8, sentinelUri(servers));
        connection.setReadFrom(ReadFrom.REPLICA);
        RedisCommands<String, String> commands = connection.sync();
        return new CommandClient(commands::get, commands::set, 2, client::shutdown, connection);
      }
      case TLS: {
        TlsRedis tls = servers.tls();
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(tls.port())
            .withSsl(true).withVerifyPeer(true).build());
        client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder().jdkSslProvider()
            .truststore(tls.trustStore().toFile(), tls.trustStorePassword()).build()).build());
        return standalone(client);
      }
      default:
        throw new IllegalArgumentException("Lettuce on " + servers.topology);
    }
  }

  private static CommandClient standalone(RedisClient client) {
    StatefulRedisConnection<String, String> connection = client.connect();
    RedisCommands<String, String> commands = connection.sync();
    return new CommandClient(commands::get, commands::set, 2, client::shutdown, connection);
  }

  private static RedisURI sentinelUri(Servers servers) {
    List<Integer> ports = servers.sentinels().sentinelPorts();
    RedisURI.Builder uri = RedisURI.Builder.sentinel("127.0.0.1", ports.get(0), servers.sentinels().masterName());
    for (int port : ports.subList(1, ports.size())) {
      uri.withSentinel("127.0.0.1", port);
    }
    return uri.build();
  }
}
