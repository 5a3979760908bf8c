import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A plain Jedis application, knowing nothing of memtrace. Compiled at test time against each Jedis
 * version; prints what every call returned, so runs with and without the agent can be compared.
 * Usage: JedisProgram host port [loop-until-file]
 */
public class JedisProgram {

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    if (args.length > 2) {
      loop(host, port, new java.io.File(args[2]));
      return;
    }
    try (Jedis jedis = new Jedis(host, port)) {
      print("flushdb", jedis.flushDB());
      print("set", jedis.set("user:42:name", "Ada Lovelace"));
      print("get", jedis.get("user:42:name"));
      print("get-miss", jedis.get("user:43:name"));
      print("setex", jedis.setex("session:token:abc", 60, "secret-token-value"));
      print("expire", jedis.expire("user:42:name", 3600));
      print("hset", jedis.hset("profile:42", "city", "London"));
      print("hget", jedis.hget("profile:42", "city"));
      print("mget", jedis.mget("user:42:name", "user:43:name"));
      print("incr", jedis.incr("counter:visits"));
      print("del", jedis.del("counter:visits"));
      try {
        jedis.lpush("user:42:name", "not-a-list");
        print("lpush", "unexpected success");
      } catch (JedisDataException e) {
        print("lpush-error", e.getClass().getName() + ": " + e.getMessage());
      }
      Pipeline p = jedis.pipelined();
      Response<String> r1 = p.set("batch:1", "one");
      Response<String> r2 = p.set("batch:2", "two");
      Response<String> r3 = p.get("batch:1");
      p.sync();
      print("pipeline", r1.get() + "," + r2.get() + "," + r3.get());
      Transaction t = jedis.multi();
      t.set("tx:1", "a");
      t.incr("tx:counter");
      List<Object> exec = t.exec();
      print("exec", exec);
    }
    try (JedisPool pool = new JedisPool(host, port)) {
      try (Jedis jedis = pool.getResource()) {
        print("pool-set", jedis.set("pool:key", "pooled"));
        print("pool-get", jedis.get("pool:key"));
      }
    }
    try {
      Class<?> pooled = Class.forName("PooledProgram");
      pooled.getMethod("run", String.class, int.class).invoke(null, host, port);
    } catch (ClassNotFoundException e) {
      print("pooled", "not available in this Jedis version");
    }
  }

  static void print(String label, Object value) {
    System.out.println(label + " -> " + value);
  }

  /** Issues GETs until {@code stop} exists; prints "ready" once the first command was answered. */
  static void loop(String host, int port, java.io.File stop) throws Exception {
    try (Jedis jedis = new Jedis(host, port)) {
      jedis.set("loop:key", "v");
      System.out.println("ready");
      System.out.flush();
      long i = 0;
      while (!stop.exists()) {
        jedis.get("loop:key");
        jedis.set("loop:" + (i++ % 10), "x");
        Thread.sleep(5);
      }
      System.out.println("stopped after " + i);
    }
  }
}
