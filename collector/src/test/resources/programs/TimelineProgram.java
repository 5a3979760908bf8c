import redis.clients.jedis.Jedis;

/**
 * A plain Jedis application with a memory manager of its own (notes, each a Redis string under notes:KEY), knowing
 * nothing of memtrace. Run as "write" (a note with a 1 s TTL read back, a note overwritten and read, a note deleted
 * and read, a note with no TTL, and one whose key is hostile to terminals and pages), then as "read" (the 1 s note,
 * and the note without TTL after something untraced deleted it). Usage: TimelineProgram write|read host port
 */
public class TimelineProgram {

  static final String HOSTILE = "evil<script>alert(1)</script>\u202e\u001b[31m";

  public static void main(String[] args) throws Exception {
    try (Jedis jedis = new Jedis(args[1], Integer.parseInt(args[2]))) {
      Notes notes = new Notes(jedis);
      if (args[0].equals("write")) {
        System.out.println(new TimelineProgram().write(notes));
      } else {
        System.out.println(new TimelineProgram().read(notes));
      }
    }
  }

  String write(Notes notes) {
    notes.store("short", "lives a second", 1);
    String shortNote = notes.retrieve("short");
    notes.store("plan", "first", 600);
    notes.store("plan", "second", 600);
    String plan = notes.retrieve("plan");
    notes.store("gone", "soon deleted", 600);
    notes.delete("gone");
    String gone = notes.retrieve("gone");
    notes.store("outside", "deleted by someone untraced", 0);
    notes.store(HOSTILE, "x", 0);
    notes.retrieve(HOSTILE);
    return shortNote + " | " + plan + " | " + gone;
  }

  String read(Notes notes) {
    return notes.retrieve("short") + " | " + notes.retrieve("outside");
  }
}

/** The application's memory manager. */
class Notes {

  private final Jedis jedis;

  Notes(Jedis jedis) {
    this.jedis = jedis;
  }

  void store(String key, String value, int ttlSeconds) {
    if (ttlSeconds > 0) {
      jedis.setex("notes:" + key, ttlSeconds, value);
    } else {
      jedis.set("notes:" + key, value);
    }
  }

  String retrieve(String key) {
    return jedis.get("notes:" + key);
  }

  void delete(String key) {
    jedis.del("notes:" + key);
  }
}
