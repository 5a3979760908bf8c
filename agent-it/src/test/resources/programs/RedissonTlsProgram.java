import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/**
 * A plain Redisson application, one thread, one command at a time, so that two runs send the same commands in the
 * same order: buckets (sync, async, reactive), a value larger than one TLS record, a map, a wrong-type error and a
 * batch. Given a trust store, it connects over TLS ({@code rediss://}) trusting it. Prints what Redis answered.
 * Usage: RedissonTlsProgram url [trust-store password]
 */
public class RedissonTlsProgram {

  public static void main(String[] args) throws Exception {
    Config config = new Config();
    SingleServerConfig server = config.useSingleServer().setAddress(args[0]).setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(2).setRetryAttempts(1).setConnectTimeout(3000); // a refused handshake fails soon
    if (args.length > 2) {
      server.setSslTruststore(Paths.get(args[1]).toUri().toURL()).setSslTruststorePassword(args[2]);
    }
    RedissonClient client;
    try {
      client = Redisson.create(config);
    } catch (RuntimeException e) {
      print("failed", e.getClass().getName());
      return;
    }
    try {
      client.getKeys().flushdb();
      RBucket<String> name = client.getBucket("user:42:name", StringCodec.INSTANCE);
      name.set("Ada Lovelace");
      print("get", name.get());
      print("missing", client.getBucket("user:42:missing", StringCodec.INSTANCE).get());
      client.getBucket("user:42:city", StringCodec.INSTANCE).setAsync("London").toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      print("async-get", client.getBucket("user:42:city", StringCodec.INSTANCE).getAsync().toCompletableFuture()
          .get(10, TimeUnit.SECONDS));
      print("reactive-get", client.reactive().getBucket("user:42:city", StringCodec.INSTANCE).get().block());
      RBucket<String> blob = client.getBucket("blob:1", StringCodec.INSTANCE);
      blob.set("x".repeat(100_000));
      print("blob-length", blob.get().length());
      RMap<String, String> map = client.getMap("user:42:profile", StringCodec.INSTANCE);
      map.fastPut("lang", "en");
      print("map-get", map.get("lang"));
      try {
        client.<String>getList("user:42:name", StringCodec.INSTANCE).add("not a list");
        print("wrongtype", "no error");
      } catch (RuntimeException e) {
        print("wrongtype", e.getClass().getName() + " " + e.getMessage().split(" ")[0]);
      }
      RBatch batch = client.createBatch();
      batch.getBucket("batch:1", StringCodec.INSTANCE).setAsync("one");
      batch.getBucket("batch:1", StringCodec.INSTANCE).getAsync();
      print("batch", batch.execute().getResponses());
    } finally {
      client.shutdown();
    }
  }

  static void print(String what, Object value) {
    System.out.println(what + " -> " + value);
  }
}
