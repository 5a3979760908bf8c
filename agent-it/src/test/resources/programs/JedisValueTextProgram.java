import java.nio.charset.StandardCharsets;
import redis.clients.jedis.Jedis;

/**
 * A plain Jedis application writing a string, a hash field, a list and a JSON document, knowing nothing of memtrace.
 * The JSON goes through {@code JSON.SET} when the server has RedisJSON ({@code json}), else it is a string holding
 * JSON. Usage: JedisValueTextProgram host port json|string
 */
public class JedisValueTextProgram {

  public static void main(String[] args) {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      jedis.set("qt:str", "qtval-string-Ada");
      jedis.hset("qt:hash", "label", "qtval-hash-label");
      jedis.rpush("qt:list", "qtval-list-1", "qtval-list-2");
      String json = "{\"note\":\"qtval-json-note\"}";
      if (args[2].equals("json")) {
        jedis.sendCommand(() -> "JSON.SET".getBytes(StandardCharsets.UTF_8), "qt:json", "$", json);
      } else {
        jedis.set("qt:json", json);
      }
      System.out.println("get -> " + jedis.get("qt:str"));
    }
  }
}
