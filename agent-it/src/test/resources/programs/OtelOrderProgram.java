import redis.clients.jedis.Jedis;

/**
 * JedisProgram's commands, then a small memory manager over Redis that only a YAML rule makes
 * traced. Run beside the OpenTelemetry Java agent, in either order of the two -javaagent options.
 * Usage: OtelOrderProgram host port
 */
public class OtelOrderProgram {

  /** A memory manager memtrace knows only from the test's YAML rule. */
  public static final class NoteMemory {
    private final Jedis jedis;

    NoteMemory(Jedis jedis) {
      this.jedis = jedis;
    }

    public void store(String key, String value) {
      jedis.set("note:" + key, value);
    }

    public String retrieve(String key) {
      return jedis.get("note:" + key);
    }
  }

  public static void main(String[] args) throws Exception {
    JedisProgram.main(args);
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      NoteMemory notes = new NoteMemory(jedis);
      notes.store("n1", "first note");
      JedisProgram.print("note-hit", notes.retrieve("n1"));
      JedisProgram.print("note-miss", notes.retrieve("n2"));
    }
  }
}
