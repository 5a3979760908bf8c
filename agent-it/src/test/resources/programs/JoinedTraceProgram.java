import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/**
 * An application that uses the OpenTelemetry API around its memory manager and plain Jedis calls.
 * Mode {@code wrap}: a span context of its own (as if taken from an incoming traceparent) made
 * current with the API alone, no SDK. Mode {@code tracer}: a span from GlobalOpenTelemetry's tracer
 * (the OpenTelemetry agent's, when it runs). Prints the ids of that span, then does the same Redis
 * work once more with no span current.
 * Usage: JoinedTraceProgram host port wrap|tracer
 */
public class JoinedTraceProgram {

  /** The memory manager, traced by a memtrace YAML rule. */
  public static class Memory {
    private final Jedis jedis;

    Memory(Jedis jedis) {
      this.jedis = jedis;
    }

    public void remember(String key, String value) {
      jedis.set(key, value);
    }

    public String recall(String key) {
      return jedis.get(key);
    }
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    boolean tracer = "tracer".equals(args[2]);
    try (Jedis jedis = new Jedis(host, port)) {
      Memory memory = new Memory(jedis);
      Span span = tracer
          ? GlobalOpenTelemetry.getTracer("joined-test").spanBuilder("request").startSpan()
          : Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
              TraceFlags.getSampled(), TraceState.getDefault()));
      System.out.println("otel-span " + span.getSpanContext().getTraceId() + " "
          + span.getSpanContext().getSpanId());
      try (Scope scope = span.makeCurrent()) {
        work(jedis, memory, "joined");
      } finally {
        span.end();
      }
      work(jedis, memory, "alone");
    }
  }

  /** Four commands in the memory manager, one on its own, a pipeline of two, a transaction of two. */
  private static void work(Jedis jedis, Memory memory, String tag) {
    memory.remember(tag + ":a", "one");
    memory.remember(tag + ":b", "two");
    System.out.println("recall " + memory.recall(tag + ":a") + " " + memory.recall(tag + ":b"));
    System.out.println("exists " + jedis.exists(tag + ":a"));
    Pipeline p = jedis.pipelined();
    Response<String> r1 = p.get(tag + ":a");
    Response<String> r2 = p.get(tag + ":b");
    p.sync();
    System.out.println("pipeline " + r1.get() + " " + r2.get());
    Transaction t = jedis.multi();
    t.set(tag + ":c", "three");
    t.get(tag + ":c");
    List<Object> exec = t.exec();
    System.out.println("exec " + exec);
  }
}
