import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.params.SortingParams;

/**
 * A plain Jedis 5 application sending commands the old hand-made command table did not know
 * (blocking pops, SORT ... STORE, EVALSHA, set algebra, geo search, OBJECT subcommands).
 * Usage: CommandTableProgram host port
 */
public class CommandTableProgram {

  public static void main(String[] args) {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      print("flushdb", jedis.flushDB());
      print("blpop-miss", jedis.blpop(0.05, "queue:empty"));
      print("rpush", jedis.rpush("list:ids", "3", "1", "2"));
      print("sort-store", jedis.sort("list:ids", new SortingParams().desc(), "list:top"));
      String sha = jedis.scriptLoad("return redis.call('GET', KEYS[1])");
      print("set", jedis.set("user:1", "Ada Lovelace"));
      print("evalsha", jedis.evalsha(sha, 1, "user:1"));
      print("zadd", jedis.zadd("board:daily", 7, "ada"));
      print("zpopmax", jedis.zpopmax("board:daily"));
      print("sadd", jedis.sadd("tags:a", "x", "y") + jedis.sadd("tags:b", "y"));
      print("sdiff", jedis.sdiff("tags:a", "tags:b"));
      print("geoadd", jedis.geoadd("geo:shops", 13.4, 52.5, "shop-1"));
      print("geosearch", jedis.geosearch("geo:shops", "shop-1", 5, GeoUnit.KM).size());
      print("setbit", jedis.setbit("flags:7", 12, true));
      print("object", jedis.objectEncoding("user:1"));
    }
  }

  private static void print(String what, Object result) {
    System.out.println(what + "=" + result);
  }
}
