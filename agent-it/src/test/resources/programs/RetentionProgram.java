import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * An application that issues many Redis commands: as roots, inside memory-manager calls and
 * inside a task, some failing and some slow (a busy Lua script). Knows nothing of memtrace; prints
 * how many commands, memory calls and tasks it ran, and how many failed or were slow, so that a
 * test can check the agent's accounting against it.
 * Usage: RetentionProgram host port
 */
public class RetentionProgram {

  /** A busy loop in Lua: tens of milliseconds on any machine this runs on. */
  static final String SLOW_SCRIPT = "local n = 0 for i = 1, 6000000 do n = n + 1 end return n";

  static int commands;
  static int errors;
  static int slow;
  static int memoryCalls;
  static int tasks;

  public static class Memory {
    private final Jedis jedis;

    Memory(Jedis jedis) {
      this.jedis = jedis;
    }

    /** Three commands, a fourth that fails when {@code fail}, a slow script when {@code slowly}. */
    public String store(String key, String value, boolean fail, boolean slowly) {
      memoryCalls++;
      jedis.set("ret:mem:" + key, value);
      jedis.get("ret:mem:" + key);
      jedis.expire("ret:mem:" + key, 600);
      commands += 3;
      if (fail) {
        failingCommand("ret:mem:" + key);
      }
      if (slowly) {
        slowCommand(jedis);
      }
      return value;
    }

    private void failingCommand(String key) {
      try {
        commands++;
        jedis.lpush(key, "not-a-list");
      } catch (JedisDataException expected) {
        errors++;
      }
    }
  }

  public static class Planner {
    private final Jedis jedis;
    private final Memory memory;

    Planner(Jedis jedis, Memory memory) {
      this.jedis = jedis;
      this.memory = memory;
    }

    public void run() {
      tasks++;
      for (int i = 0; i < 5; i++) {
        memory.store("task-" + i, "v", false, false);
      }
      for (int i = 0; i < 30; i++) {
        jedis.get("ret:task:" + i);
        commands++;
      }
    }
  }

  static void slowCommand(Jedis jedis) {
    commands++;
    slow++;
    jedis.eval(SLOW_SCRIPT);
  }

  public static void main(String[] args) {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      jedis.flushDB();
      commands++;
      Memory memory = new Memory(jedis);
      for (int i = 0; i < 1000; i++) {
        jedis.set("ret:root:" + i, "value-" + i);
        jedis.get("ret:root:" + i);
        commands += 2;
      }
      for (int i = 0; i < 50; i++) {
        Pipeline p = jedis.pipelined();
        for (int j = 0; j < 3; j++) {
          p.set("ret:pipe:" + i + ":" + j, "v");
        }
        p.sync();
        commands++; // one span per pipeline
      }
      for (int i = 0; i < 20; i++) {
        try {
          commands++;
          jedis.lpush("ret:root:" + i, "not-a-list");
        } catch (JedisDataException expected) {
          errors++;
        }
      }
      for (int i = 0; i < 40; i++) {
        memory.store("k" + i, "value", i % 4 == 0, i == 7 || i == 8 || i == 9);
      }
      for (int i = 0; i < 5; i++) {
        slowCommand(jedis);
      }
      new Planner(jedis, memory).run();
    }
    System.out.println("commands=" + commands + " memory-calls=" + memoryCalls + " tasks=" + tasks
        + " errors=" + errors + " slow=" + slow);
  }
}
