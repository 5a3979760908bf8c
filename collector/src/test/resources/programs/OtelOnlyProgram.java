import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * A plain Jedis service, run under the OpenTelemetry Java agent alone (no memtrace agent): the task the other
 * languages' services run. Usage: OtelOnlyProgram host port
 */
public class OtelOnlyProgram {

  public static void main(String[] args) {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      String plan = "aqe/test-plans:plan-java";
      jedis.set(plan, "{\"tests\": 12}", SetParams.setParams().ex(3600));
      jedis.get(plan);
      jedis.get("aqe/test-plans:missing-java");
      jedis.mset("aqe/cache:a-java", "1", "aqe/cache:b-java", "2");
      try {
        jedis.lpush(plan, "x");
      } catch (JedisDataException e) {
        if (!String.valueOf(e.getMessage()).contains("WRONGTYPE")) {
          throw e;
        }
      }
      jedis.set("aqe/sessions:s-java", "v");
      jedis.del("aqe/cache:a-java", "aqe/cache:b-java");
    }
    System.out.println("done java");
  }
}
