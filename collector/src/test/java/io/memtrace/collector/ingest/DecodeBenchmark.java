package io.memtrace.collector.ingest;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.bench.RealisticSpans;
import io.memtrace.collector.store.SpanRow;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: what turning an OTLP protobuf body into store rows costs one thread, per span, by
 * {@link SpanDecoder} and by the generated parser with {@link TraceMapper} (the path it replaced, still taken
 * for what the decoder leaves to it), side by side in rounds on the same bodies: 200 batches of 512 spans
 * of a service's mix ({@link RealisticSpans}). Prints time and bytes allocated per span, per round.
 * Run: {@code java -cp target/test-classes:target/memtrace-collector.jar io.memtrace.collector.ingest.DecodeBenchmark
 * [--statements]}.
 *
 * <p>{@code --statements} measures instead what reading keys from statements ({@link StatementKeys}) adds to
 * {@link SpanDecoder}: the same bodies with their Redis spans as memtrace's agent sends them ({@code memory.key} and
 * the rest: nothing to derive) and as ioredis sends them ({@code db.query.text} such as
 * {@code set aqe/fleet:plan-1 [1 other arguments]} and no {@code memory.*}), in turn.
 *
 * <p>{@code --values} measures what taking captured values out of the spans costs at ingest ({@link ValueEvents}).
 *
 * <p>{@code --derive} measures {@link StatementKeys#derive} alone, without the decoding around it: the mix's Redis
 * commands as attribute maps written the way three instrumentations write them (Node's ioredis, the OpenTelemetry
 * Java agent's Jedis, go-redis with every value), each round deriving on fresh copies of the maps made before its
 * clock starts: the CPU per Redis span and per span of the mix.
 */
public final class DecodeBenchmark {

  public static void main(String[] args) throws Exception {
    RealisticSpans mix = new RealisticSpans(512L * 200, Conventions.SEED);
    List<byte[]> bodies = new ArrayList<>();
    List<byte[]> statements = new ArrayList<>();
    long redis = 0;
    for (int b = 0; b < 200; b++) {
      ExportTraceServiceRequest batch = mix.batch(b);
      bodies.add(batch.toByteArray());
      ExportTraceServiceRequest asStatements = asStatements(batch);
      statements.add(asStatements.toByteArray());
      redis += asStatements.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
          .flatMap(s -> s.getSpansList().stream()).filter(s -> s.getAttributesList().stream()
              .anyMatch(a -> a.getKey().equals("db.query.text"))).count();
    }
    com.sun.management.ThreadMXBean thread = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    if (List.of(args).contains("--derive")) {
      derive(mix, thread);
      return;
    }
    if (List.of(args).contains("--values")) {
      values(bodies, thread);
      return;
    }
    if (List.of(args).contains("--statements")) {
      System.out.printf("%,d spans, %,d of them Redis spans with a statement to read%n", 512L * 200, redis);
      for (int round = 0; round < 8; round++) {
        for (boolean derive : new boolean[] {false, true}) {
          long cpu = thread.getCurrentThreadCpuTime();
          long spans = 0;
          for (int rep = 0; rep < 5; rep++) {
            for (byte[] body : derive ? statements : bodies) {
              spans += SpanDecoder.decode(body).size();
            }
          }
          System.out.printf("round %d, %-38s %.3f us of CPU per span%n", round,
              derive ? "keys read from statements:" : "keys sent (memtrace's agent):", (thread.getCurrentThreadCpuTime() - cpu) / 1e3 / spans);
        }
      }
      return;
    }
    for (int round = 0; round < 8; round++) {
      for (boolean decoder : new boolean[] {false, true}) {
        long bytes = thread.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        long spans = 0;
        for (int rep = 0; rep < 5; rep++) {
          for (byte[] body : bodies) {
            List<SpanRow> rows = decoder ? SpanDecoder.decode(body) : TraceMapper.map(ProtobufPayload.parse(body,
                ExportTraceServiceRequest.parser(), ExportTraceServiceRequest.getDescriptor(), new TextRepairs()));
            spans += rows.size();
          }
        }
        System.out.printf("round %d, %-34s %.2f us and %,d bytes per span%n", round,
            decoder ? "SpanDecoder:" : "generated parser + TraceMapper:", (System.nanoTime() - start) / 1e3 / spans,
            (thread.getCurrentThreadAllocatedBytes() - bytes) / spans);
      }
    }
  }

  /**
   * See the class comment's {@code --values}: decoding the mix as it is, and with a 200-byte {@code memory.value}
   * event on every span that names a key (every write and read: more than any capture would add), rounds interleaved;
   * and {@link ValueEvents#takeOut} alone on the rows of the mix as it is (the test every span pays).
   */
  private static void values(List<byte[]> bodies, com.sun.management.ThreadMXBean thread) throws Exception {
    List<byte[]> withValues = new ArrayList<>();
    long events = 0;
    for (byte[] body : bodies) {
      ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.parseFrom(body).toBuilder();
      for (var rs : request.getResourceSpansBuilderList()) {
        for (var ss : rs.getScopeSpansBuilderList()) {
          for (var span : ss.getSpansBuilderList()) {
            String key = span.getAttributesList().stream().filter(a -> a.getKey().equals("memory.key"))
                .map(a -> a.getValue().getStringValue()).findFirst().orElse(null);
            if (key != null) {
              span.addEvents(io.memtrace.collector.values.ValueEventFixtures.value(1, key, "replace", "string",
                  "v".repeat(200)));
              events++;
            }
          }
        }
      }
      withValues.add(request.build().toByteArray());
    }
    System.out.printf("%,d spans, %,d of them given a value event%n", 512L * 200, events);
    List<List<SpanRow>> rows = new ArrayList<>();
    for (byte[] body : bodies) {
      rows.add(SpanDecoder.decode(body));
    }
    for (int round = 0; round < 8; round++) {
      for (int mode = 0; mode < 3; mode++) {
        long cpu = thread.getCurrentThreadCpuTime();
        long spans = 0;
        for (int rep = 0; rep < 5; rep++) {
          if (mode == 2) {
            for (List<SpanRow> r : rows) {
              spans += ValueEvents.takeOut(r).size();
            }
          } else {
            for (byte[] body : mode == 0 ? bodies : withValues) {
              spans += SpanDecoder.decode(body).size();
            }
          }
        }
        System.out.printf("round %d, %-40s %.3f us of CPU per span%n", round, mode == 0 ? "decode, no value events:"
            : mode == 1 ? "decode, value events taken out:" : "takeOut alone, no value events:",
            (thread.getCurrentThreadCpuTime() - cpu) / 1e3 / spans);
      }
    }
  }

  /** See the class comment's {@code --derive}. */
  private static void derive(RealisticSpans mix, com.sun.management.ThreadMXBean thread) {
    String[][] dialects = {{"node", "@opentelemetry/instrumentation-ioredis"}, {"java", "io.opentelemetry.jedis-4.0"},
        {"go", "github.com/redis/go-redis/extra/redisotel"}};
    long all = 512L * 200;
    for (String[] dialect : dialects) {
      List<java.util.Map<String, Object>> spans = new ArrayList<>();
      for (int b = 0; b < 200; b++) {
        for (var resource : mix.batch(b).getResourceSpansList()) {
          for (var scope : resource.getScopeSpansList()) {
            for (var span : scope.getSpansList()) {
              java.util.Map<String, Object> redis = written(span, dialect[0]);
              if (redis != null) {
                spans.add(redis);
              }
            }
          }
        }
      }
      List<Double> costs = new ArrayList<>();
      for (int round = 0; round < 16; round++) {
        // the copies made before the clock starts: only deriving is timed
        List<java.util.Map<String, Object>> copies = new ArrayList<>(spans.size());
        spans.forEach(template -> copies.add(new java.util.HashMap<>(template)));
        long start = thread.getCurrentThreadCpuTime();
        for (java.util.Map<String, Object> attributes : copies) {
          StatementKeys.derive(attributes, dialect[1]);
        }
        long cpu = thread.getCurrentThreadCpuTime() - start;
        if (copies.stream().noneMatch(a -> a.containsKey("memory.key"))) {
          throw new IllegalStateException("no key derived");
        }
        double perRedisSpan = cpu / 1e3 / spans.size();
        costs.add(perRedisSpan);
        System.out.printf("round %d, %-5s %,d Redis spans: %.3f us of CPU per Redis span, %.3f per span of the mix%n",
            round, dialect[0], spans.size(), perRedisSpan, perRedisSpan * spans.size() / all);
      }
      costs.sort(null);
      System.out.printf("%s: median %.3f us per Redis span (range %.3f-%.3f over 16 rounds)%n", dialect[0],
          (costs.get(7) + costs.get(8)) / 2, costs.get(0), costs.get(15));
    }
  }

  /** A Redis span of the mix as {@code dialect}'s instrumentation writes it: its statement, no {@code memory.*}. */
  private static java.util.Map<String, Object> written(io.opentelemetry.proto.trace.v1.Span span, String dialect) {
    String key = null;
    String operation = null;
    long size = 16;
    for (var a : span.getAttributesList()) {
      key = a.getKey().equals("memory.key") ? a.getValue().getStringValue() : key;
      operation = a.getKey().equals("db.operation.name") ? a.getValue().getStringValue() : operation;
      size = a.getKey().equals("memory.value_size") ? a.getValue().getIntValue() : size;
    }
    if (key == null || operation == null) {
      return null;
    }
    boolean set = operation.equals("SET");
    String statement = switch (dialect) {
      case "node" -> operation.toLowerCase(java.util.Locale.ROOT) + " " + key + (set ? " [3 other arguments]" : "");
      case "java" -> operation + " " + key + (set ? " ? ? ?" : "");
      default -> operation.toLowerCase(java.util.Locale.ROOT) + " " + key
          + (set ? " " + "v".repeat((int) Math.min(size, 64)) + " ex 3600" : "");
    };
    java.util.Map<String, Object> attributes = new java.util.LinkedHashMap<>();
    attributes.put("db.system.name", "redis");
    attributes.put("db.operation.name", operation);
    attributes.put("db.query.text", statement);
    attributes.put("server.address", "127.0.0.1");
    attributes.put("server.port", 6379L);
    return attributes;
  }

  /** The batch with its Redis spans' key facts replaced by an ioredis-style statement. */
  private static ExportTraceServiceRequest asStatements(ExportTraceServiceRequest batch) {
    ExportTraceServiceRequest.Builder out = batch.toBuilder();
    for (var resource : out.getResourceSpansBuilderList()) {
      for (var scope : resource.getScopeSpansBuilderList()) {
        for (var span : scope.getSpansBuilderList()) {
          String key = null;
          String operation = null;
          for (var a : span.getAttributesList()) {
            key = a.getKey().equals("memory.key") ? a.getValue().getStringValue() : key;
            operation = a.getKey().equals("db.operation.name") ? a.getValue().getStringValue() : operation;
          }
          if (key == null || operation == null) {
            continue;
          }
          List<io.opentelemetry.proto.common.v1.KeyValue> kept = new ArrayList<>();
          for (var a : span.getAttributesList()) {
            if (!a.getKey().startsWith("memory.")) {
              kept.add(a);
            }
          }
          String statement = operation.toLowerCase(java.util.Locale.ROOT) + " " + key
              + (operation.equals("SET") ? " [1 other arguments]" : "");
          span.clearAttributes().addAllAttributes(kept).addAttributes(io.memtrace.collector.SpanFixtures.attr(
              "db.query.text", statement));
        }
      }
    }
    return out.build();
  }
}
