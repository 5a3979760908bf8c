import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.redisson.Redisson;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * A Redisson application that makes a request span of its own with the OpenTelemetry API (the
 * OpenTelemetry agent's tracer when that agent runs, else a no-op), prints its ids, and does some
 * Redis work inside it, then the same work with no span current: per round six commands, a
 * bucket's SET and GET, a map's HSET, an async GET and a batch of a SET and a GET.
 * Usage: RedissonOtelProgram host port
 */
public class RedissonOtelProgram {

  public static void main(String[] args) throws Exception {
    Config config = new Config();
    config.useSingleServer().setAddress("redis://" + args[0] + ":" + args[1])
        .setConnectionMinimumIdleSize(1).setConnectionPoolSize(2);
    RedissonClient client = Redisson.create(config);
    try {
      Span request = GlobalOpenTelemetry.getTracer("redisson-otel-test").spanBuilder("request").startSpan();
      System.out.println("otel-span " + request.getSpanContext().getTraceId() + " "
          + request.getSpanContext().getSpanId());
      try (Scope scope = request.makeCurrent()) {
        work(client, "joined");
      } finally {
        request.end();
      }
      work(client, "alone");
    } finally {
      client.shutdown();
    }
  }

  private static void work(RedissonClient client, String tag) throws Exception {
    RBucket<String> bucket = client.getBucket("ro:" + tag + ":bucket", StringCodec.INSTANCE);
    bucket.set("one");
    System.out.println(tag + " get -> " + bucket.get());
    client.<String, String>getMap("ro:" + tag + ":map", StringCodec.INSTANCE).fastPut("f", "v");
    System.out.println(tag + " async-get -> " + bucket.getAsync().toCompletableFuture().get());
    RBatch batch = client.createBatch();
    batch.<String>getBucket("ro:" + tag + ":batched", StringCodec.INSTANCE).setAsync("two");
    batch.<String>getBucket("ro:" + tag + ":batched", StringCodec.INSTANCE).getAsync();
    BatchResult<?> result = batch.execute();
    System.out.println(tag + " batch -> " + result.getResponses());
  }
}
