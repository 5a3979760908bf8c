import redis.clients.jedis.Jedis;

/**
 * A Jedis application with a memory manager of its own, knowing nothing of memtrace or
 * OpenTelemetry. Usage: ExtensionProgram host port
 */
public class ExtensionProgram {

  /** Chat history kept in Redis under namespace:key. */
  public static class ChatMemory {
    private final Jedis jedis;

    ChatMemory(Jedis jedis) {
      this.jedis = jedis;
    }

    public void store(String namespace, String key, String value, int ttlSeconds) {
      jedis.setex(namespace + ":" + key, ttlSeconds, value);
    }

    public String retrieve(String namespace, String key) {
      return jedis.get(namespace + ":" + key);
    }
  }

  public static void main(String[] args) throws Exception {
    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      ChatMemory memory = new ChatMemory(jedis);
      System.out.println("flushdb " + jedis.flushDB());
      memory.store("chat:alice", "turn-1", "hello there", 600);
      System.out.println("hit " + memory.retrieve("chat:alice", "turn-1"));
      System.out.println("miss " + memory.retrieve("chat:alice", "turn-9"));
      System.out.println("set " + jedis.set("plain:counter", "7"));
    }
  }
}
