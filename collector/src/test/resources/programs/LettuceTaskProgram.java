import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain Lettuce service running the task of JavaTaskProgram (the one every language's service runs), through
 * Lettuce's synchronous API. Usage: LettuceTaskProgram host port [suffix, by default lettuce]
 */
public class LettuceTaskProgram {

  public static void main(String[] args) {
    String suffix = args.length > 2 ? args[2] : "lettuce";
    RedisClient client = RedisClient.create("redis://" + args[0] + ":" + args[1]);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      String plan = "aqe/test-plans:plan-" + suffix;
      redis.set(plan, "{\"tests\": 12}", SetArgs.Builder.ex(3600));
      redis.get(plan);
      redis.get("aqe/test-plans:missing-" + suffix);
      Map<String, String> pairs = new TreeMap<>();
      pairs.put("aqe/cache:a-" + suffix, "1");
      pairs.put("aqe/cache:b-" + suffix, "2");
      redis.mset(pairs);
      try {
        redis.lpush(plan, "x");
      } catch (RedisCommandExecutionException e) {
        if (!String.valueOf(e.getMessage()).contains("WRONGTYPE")) {
          throw e;
        }
      }
      redis.set("aqe/sessions:s-" + suffix, "v");
      redis.del("aqe/cache:a-" + suffix, "aqe/cache:b-" + suffix);
    } finally {
      client.shutdown();
    }
    System.out.println("done " + suffix);
  }
}
