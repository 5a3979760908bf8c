import com.fasterxml.jackson.databind.ObjectMapper;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import redis.clients.jedis.Jedis;

/**
 * An application that carries its own (older) Byte Buddy, Disruptor, OpenTelemetry API/SDK and
 * Jackson, the libraries memtrace shades. It prints what each of them did, then uses Jedis.
 */
public class IsolationProgram {

  public static void main(String[] args) throws Exception {
    Class<?> dynamic = new ByteBuddy().subclass(Object.class)
        .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the app's Byte Buddy"))
        .make().load(IsolationProgram.class.getClassLoader()).getLoaded();
    String jar = ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    System.out.println("bytebuddy " + jar.substring(jar.lastIndexOf('/') + 1)
        + " -> " + dynamic.getDeclaredConstructor().newInstance());

    RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 8);
    ring.addGatingSequences(new Sequence());
    long seq = ring.next();
    ring.get(seq)[0] = 42;
    ring.publish(seq);
    System.out.println("disruptor -> " + ring.get(seq)[0] + " from " + RingBuffer.class.getName());

    List<String> ended = new ArrayList<>();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
      @Override public void onStart(Context parent, ReadWriteSpan span) { }
      @Override public boolean isStartRequired() { return false; }
      @Override public void onEnd(ReadableSpan span) { ended.add(span.getName()); }
      @Override public boolean isEndRequired() { return true; }
    }).build();
    Tracer tracer = provider.get("app");
    Span span = tracer.spanBuilder("app-span").startSpan();
    span.end();
    provider.close();
    System.out.println("otel -> " + ended);

    Map<String, Object> doc = new TreeMap<>(Map.of("jackson", "2.17", "ok", true));
    System.out.println("jackson -> " + new ObjectMapper().writeValueAsString(doc));

    try (Jedis jedis = new Jedis(args[0], Integer.parseInt(args[1]))) {
      System.out.println("jedis -> " + jedis.set("iso:key", "v") + " " + jedis.get("iso:key"));
    }
  }
}
