import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import redis.clients.jedis.Jedis;

/**
 * A Jedis application with a memory manager of its own, knowing nothing of memtrace, that makes
 * spans of its own with the OpenTelemetry API (the OpenTelemetry agent's, through its bridge).
 * Usage: ExtensionProgram host port
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
      Span request = GlobalOpenTelemetry.getTracer("extension-program").spanBuilder("request").startSpan();
      try (Scope scope = request.makeCurrent()) {
        System.out.println("joined " + memory.retrieve("chat:alice", "turn-1"));
      } finally {
        request.end();
      }
      System.err.println("request " + request.getSpanContext().getTraceId() + " " + request.getSpanContext().getSpanId());
      // a parent an upstream service decided not to sample
      Span unsampled = Span.wrap(SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
          "00f067aa0ba902b7", TraceFlags.getDefault(), TraceState.getDefault()));
      try (Scope scope = unsampled.makeCurrent()) {
        memory.store("chat:bob", "turn-1", "not sampled", 60);
      }
    }
  }
}
