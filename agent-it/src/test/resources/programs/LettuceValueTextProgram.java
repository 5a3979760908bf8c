import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A plain Lettuce application writing a string (sync), a hash field (async), a list (reactive) and a JSON document,
 * knowing nothing of memtrace. The JSON goes through {@code JSON.SET} when the server has RedisJSON ({@code json}),
 * else it is a string holding JSON. Usage: LettuceValueTextProgram host port json|string
 */
public class LettuceValueTextProgram {

  /** {@code JSON.SET}, which this Lettuce sends as any command it has no method for. */
  static final ProtocolKeyword JSON_SET = new ProtocolKeyword() {
    @Override
    public byte[] getBytes() {
      return "JSON.SET".getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
      return "JSON.SET";
    }
  };

  public static void main(String[] args) throws Exception {
    RedisClient client = RedisClient.create("redis://" + args[0] + ":" + args[1]);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().set("qt:str", "qtval-string-Ada");
      connection.async().hset("qt:hash", "label", "qtval-hash-label").get(5, TimeUnit.SECONDS);
      connection.reactive().rpush("qt:list", "qtval-list-1", "qtval-list-2").block();
      String json = "{\"note\":\"qtval-json-note\"}";
      if (args[2].equals("json")) {
        connection.sync().dispatch(JSON_SET, new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).addKey("qt:json").add("$").add(json));
      } else {
        connection.sync().set("qt:json", json);
      }
      System.out.println("get -> " + connection.sync().get("qt:str"));
    } finally {
      client.shutdown();
    }
  }
}
