import redis.clients.jedis.Jedis;

/**
 * A plain Jedis application with a memory manager of its own (notes under notes:KEY), knowing nothing of memtrace,
 * whose records end in every way Redis reports. Run as "write" (a note with a 1 s TTL by SETEX, a list note by
 * RPUSH and EXPIRE, a note stored by the leaky store whose SET loses its EXPIRE, a note to be changed by someone
 * untraced, a note to be evicted, a note to be overwritten by someone untraced), "read" (the first three notes, the
 * one changed and deleted outside and the one overwritten outside), "victim" (the
 * evicted note; and a note with a 1 s TTL that Redis will expire only when touched), then "lazy" (that note).
 * Usage: RecordLifeProgram write|read|victim|lazy host port
 */
public class RecordLifeProgram {

  public static void main(String[] args) throws Exception {
    try (Jedis jedis = new Jedis(args[1], Integer.parseInt(args[2]))) {
      Notebook notes = new Notebook(jedis);
      String out;
      if (args[0].equals("write")) {
        notes.store("short", "lives a second", 1);
        notes.append("log", "first entry", 600);
        notes.storeLeaky("leaky", "asked ten minutes", 600);
        notes.store("outside", "written by the app", 0);
        notes.store("victim", "to be evicted", 0);
        notes.store("edited", "by app", 0);
        out = "written";
      } else if (args[0].equals("read")) {
        out = notes.retrieve("short") + " | " + notes.entries("log") + " | " + notes.retrieve("leaky") + " | "
            + notes.retrieve("outside") + " | " + notes.retrieve("edited");
      } else if (args[0].equals("victim")) {
        out = notes.retrieve("victim");
        notes.store("lazy", "lives a second", 1);
      } else {
        out = notes.retrieve("lazy");
      }
      System.out.println(out);
    }
  }
}

/** The application's memory manager: one Redis key a note, under notes:. */
class Notebook {

  private final Jedis jedis;

  Notebook(Jedis jedis) {
    this.jedis = jedis;
  }

  private static String at(String key) {
    return "notes:" + key;
  }

  /** A TTL by SETEX, which Redis reports as two events (set, expire). */
  void store(String key, String value, int ttlSeconds) {
    String redisKey = at(key);
    if (ttlSeconds <= 0) {
      jedis.set(redisKey, value);
      return;
    }
    jedis.setex(redisKey, ttlSeconds, value);
  }

  /** The bug of langgraph-redis #137: the TTL is asked for, and never given to Redis. */
  void storeLeaky(String key, String value, int ttlSeconds) {
    jedis.set(at(key), value);
  }

  /** Two commands, two events (rpush, expire). */
  void append(String key, String value, int ttlSeconds) {
    jedis.rpush(at(key), value);
    jedis.expire(at(key), ttlSeconds);
  }

  String retrieve(String key) {
    return jedis.get(at(key));
  }

  String entries(String key) {
    return String.valueOf(jedis.lrange(at(key), 0, -1));
  }
}
