import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * A plain Jedis service running the task the other languages' services run (src/test/clients): under the
 * OpenTelemetry Java agent alone, or under memtrace's agent for the reference the others are compared with. The keys
 * end in the suffix, so that the task of each client can be run under memtrace's agent too.
 * Usage: JavaTaskProgram host port [suffix, by default java]
 */
public class JavaTaskProgram {

  public static void main(String[] args) {
    String suffix = args.length > 2 ? args[2] : "java";
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      String plan = "aqe/test-plans:plan-" + suffix;
      jedis.set(plan, "{\"tests\": 12}", SetParams.setParams().ex(3600));
      jedis.get(plan);
      jedis.get("aqe/test-plans:missing-" + suffix);
      jedis.mset("aqe/cache:a-" + suffix, "1", "aqe/cache:b-" + suffix, "2");
      try {
        jedis.lpush(plan, "x");
      } catch (JedisDataException e) {
        if (!String.valueOf(e.getMessage()).contains("WRONGTYPE")) {
          throw e;
        }
      }
      jedis.set("aqe/sessions:s-" + suffix, "v");
      jedis.del("aqe/cache:a-" + suffix, "aqe/cache:b-" + suffix);
    }
    System.out.println("done " + suffix);
  }
}
