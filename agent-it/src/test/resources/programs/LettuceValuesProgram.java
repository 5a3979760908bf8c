import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A plain Lettuce application writing values through the sync, async and reactive APIs, knowing nothing of
 * memtrace: a string, a hash field by field, list appends, an MSET, a transaction, one under WATCH, bytes that are not UTF-8, a value longer than
 * the test's cap, a key the test redacts, a key outside the test's scope and an SETNX that declines.
 * Usage: LettuceValuesProgram host port
 */
public class LettuceValuesProgram {

  public static void main(String[] args) throws Exception {
    RedisClient client = RedisClient.create("redis://" + args[0] + ":" + args[1]);
    try (StatefulRedisConnection<String, String> connection = client.connect();
        StatefulRedisConnection<byte[], byte[]> binary = client.connect(ByteArrayCodec.INSTANCE)) {
      connection.sync().flushdb();
      connection.sync().set("vc:str", "vcval-string-Ada");
      connection.async().hset("vc:hash", "name", "vcval-field-name").get(5, TimeUnit.SECONDS);
      connection.reactive().hset("vc:hash", "city", "vcval-field-city").block();
      connection.sync().rpush("vc:list", "vcval-item-1");
      connection.async().rpush("vc:list", "vcval-item-2", "vcval-item-3").get(5, TimeUnit.SECONDS);
      connection.sync().mset(new java.util.LinkedHashMap<>(Map.of("vc:m1", "vcval-mset-1")));
      connection.reactive().mset(Map.of("vc:m2", "vcval-mset-2")).block();
      connection.sync().multi();
      connection.sync().set("vc:t1", "vcval-multi-1");
      connection.sync().rpush("vc:t2", "vcval-multi-2");
      connection.sync().exec();
      connection.sync().watch("vc:w");
      connection.sync().multi();
      connection.sync().set("vc:w", "vcval-watched");
      connection.sync().exec();
      binary.sync().set("vc:bin".getBytes(StandardCharsets.UTF_8),
          new byte[] {'v', 'c', 'v', 'a', 'l', (byte) 0xC3, (byte) 0x28, (byte) 0xFF});
      connection.sync().set("vc:big", "vcval-big-" + "x".repeat(200));
      connection.sync().set("vc:secret:token", "vcval-redacted");
      connection.sync().set("other:key", "vcval-out-of-scope");
      System.out.println("setnx -> " + connection.sync().setnx("vc:str", "vcval-declined"));
      System.out.println("get -> " + connection.sync().get("vc:str"));
    } finally {
      client.shutdown();
    }
  }
}
