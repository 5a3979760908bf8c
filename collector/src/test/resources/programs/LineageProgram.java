import redis.clients.jedis.Jedis;

/**
 * A plain Jedis application with a memory manager of its own, knowing nothing of memtrace: run once as
 * the writer and once, in another JVM, as the reader of the same Redis. Usage:
 * LineageProgram write|read host port
 */
public class LineageProgram {

  public static void main(String[] args) throws Exception {
    try (Jedis jedis = new Jedis(args[1], Integer.parseInt(args[2]))) {
      Plans plans = new Plans(jedis);
      if (args[0].equals("write")) {
        new LineageProgram().write(plans, jedis);
      } else {
        System.out.println(new LineageProgram().read(plans, jedis));
      }
    }
  }

  /** The writer's task: two plans through the memory manager, a key set directly, one set and deleted. */
  void write(Plans plans, Jedis jedis) {
    plans.store("plan-1", "{\"tests\": 3}");
    plans.store("plan-2", "{\"tests\": 5}");
    jedis.set("direct:1", "written directly");
    jedis.set("gone:1", "short-lived");
    jedis.del("gone:1");
  }

  /** The reader's task: the plans, the direct key, the deleted one and one nobody wrote. */
  String read(Plans plans, Jedis jedis) {
    return plans.retrieve("plan-1") + " " + plans.retrieve("plan-2") + " " + jedis.get("direct:1") + " "
        + jedis.get("gone:1") + " " + jedis.get("never:1");
  }
}

/** The application's memory manager: plans in namespace plans, each a Redis string with a TTL. */
class Plans {

  private final Jedis jedis;

  Plans(Jedis jedis) {
    this.jedis = jedis;
  }

  void store(String key, String plan) {
    jedis.setex("plans:" + key, 600, plan);
  }

  String retrieve(String key) {
    return jedis.get("plans:" + key);
  }
}
