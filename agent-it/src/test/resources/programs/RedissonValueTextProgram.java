import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisStrictCommand;
import org.redisson.config.Config;

/**
 * A plain Redisson application writing a bucket, a map field with {@code fastPut} (HSET), a list and a JSON
 * document, knowing nothing of memtrace. The JSON goes through {@code JSON.SET} when the server has RedisJSON
 * ({@code json}), else it is a bucket holding JSON. Usage: RedissonValueTextProgram host port json|string
 */
public class RedissonValueTextProgram {

  public static void main(String[] args) {
    Config config = new Config();
    config.useSingleServer().setAddress("redis://" + args[0] + ":" + args[1]).setConnectionMinimumIdleSize(1);
    RedissonClient client = Redisson.create(config);
    try {
      client.getBucket("qt:str", StringCodec.INSTANCE).set("qtval-string-Ada");
      client.getMap("qt:hash", StringCodec.INSTANCE).fastPut("label", "qtval-hash-label");
      client.getList("qt:list", StringCodec.INSTANCE).addAll(java.util.List.of("qtval-list-1", "qtval-list-2"));
      String json = "{\"note\":\"qtval-json-note\"}";
      if (args[2].equals("json")) {
        Redisson redisson = (Redisson) client;
        redisson.getCommandExecutor().get(redisson.getCommandExecutor().writeAsync("qt:json", StringCodec.INSTANCE,
            new RedisStrictCommand<Void>("JSON.SET"), "qt:json", "$", json));
      } else {
        client.getBucket("qt:json", StringCodec.INSTANCE).set(json);
      }
      System.out.println("get -> " + client.getBucket("qt:str", StringCodec.INSTANCE).get());
    } finally {
      client.shutdown();
    }
  }
}
