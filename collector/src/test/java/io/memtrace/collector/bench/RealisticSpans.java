package io.memtrace.collector.bench;

import static io.memtrace.collector.SpanFixtures.attr;

import io.memtrace.collector.Conventions;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.common.KeyEventLineWriter;
import io.memtrace.common.KeyEventLines;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches of spans shaped like a service's traffic under the agent, for building large stores:
 * mostly Redis commands in single-span traces (the 88-93 % users report), each carrying
 * {@code memory.key}, {@code memory.namespace}, sizes, TTLs and {@code memory.found}; task traces
 * with memory-manager operations and the Redis command under each; about 2 % errors and 1 % slow
 * commands; one retention summary span per batch and compressed counts on the task spans. Every
 * span id and trace id is distinct, so an idempotent store keeps every span; batch {@code b} is
 * the same on every run, so stores of the same size are comparable.
 *
 * <p>Reads read what was written, so lineage has work to do: a Redis read, delete or expire names the
 * key of a write up to {@link #LOOK_BACK} root commands earlier (about half a second), and a quarter of
 * the writes rewrite such a key; a memory-manager retrieve or delete names the record of a store up to
 * {@link #LOOK_BACK} memory operations earlier. A command's namespace does not follow from its command.
 */
public final class RealisticSpans {

  static final int BATCH = 512;
  /** Task traces per batch: a task, two memory-manager operations, a Redis command under each. */
  static final int TASKS = 32;
  static final String[] REDIS_OPS = {"GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "SET", "SET", "SET",
      "SET", "SET", "SET", "DEL", "EXPIRE", "HGET", "HSET", "INCR"};
  static final String[] NAMESPACES = {"app:cache", "session", "user:profile", "cart", "rate", "feature", "search:q",
      "token", "queue:jobs", "chat:memory", "embedding", "product", "price", "inventory", "geo", "lock", "otp",
      "notify", "audit", "report"};
  static final String[] MEMORY_OPS = {"store", "retrieve", "retrieve", "search", "delete"};
  static final String[] PARTITIONS = {"aqe/test-plans", "aqe/reports", "aqe/coverage", "aqe/agents", "aqe/fleet"};
  /** One span every 25 µs: 40k spans/s, the rate of the 4-thread app. */
  static final long NANOS_APART = 25_000;
  /** How far back (in root commands, or in memory operations) a read looks for the write it reads. */
  static final int LOOK_BACK = 20_000;
  /** Where the root Redis commands start in a batch: after the task traces and the summary. */
  private static final int ROOTS_FROM = TASKS * 5 + 1;
  private static final int ROOTS = BATCH - ROOTS_FROM;
  private static final java.util.Set<String> REDIS_WRITES = java.util.Set.of("SET", "HSET", "INCR");

  private final long keySpace;
  private final Conventions conventions;

  /**
   * @param totalSpans the size of the store being built: keys number about a tenth of it
   * @param conventions the names the memory-manager spans carry
   */
  public RealisticSpans(long totalSpans, Conventions conventions) {
    this.keySpace = Math.max(1_000, totalSpans / 10);
    this.conventions = conventions;
  }

  public ExportTraceServiceRequest batch(int b) {
    List<Span> spans = new ArrayList<>(BATCH);
    long n0 = (long) b * BATCH;
    int i = 0;
    for (int t = 0; t < TASKS; t++, i += 5) {
      task(spans, b, t, n0 + i);
    }
    spans.add(summary(b, n0 + i++));
    for (; i < BATCH; i++) {
      spans.add(redis(trace(b, i), null, n0 + i, REDIS_OPS[(int) (mix(n0 + i) % REDIS_OPS.length)],
          rootKey((long) b * ROOTS + i - ROOTS_FROM)).build());
    }
    return conventions.shape(SpanFixtures.request("shop-api", spans));
  }

  /**
   * Batch {@code b} of the run's root Redis commands alone, {@link #BATCH} of them (root commands {@code b * BATCH} on,
   * the same commands, ids and keys {@link #batch} has among its roots), each a span of its own trace: what full capture
   * sends of them. Errors and slow commands included, as in the mix.
   */
  public ExportTraceServiceRequest commands(int b) {
    return SpanFixtures.request("shop-api", commandSpans(b));
  }

  /**
   * The same commands as {@link #commands}, as the agent sends them when retention compresses every one of them with
   * {@code retention.key-events} on (ADR 0004): one {@code memtrace.key_events} carrier of {@link #BATCH} key events,
   * an event of {@link KeyEventLines} per connection ({@link #CARRIER_CONNECTIONS} of them, a command's connection
   * chosen by its number), its commands' ids, times and key attributes in lines.
   */
  public ExportTraceServiceRequest keyEvents(int b) {
    List<Span> commands = commandSpans(b);
    KeyEventLineWriter[] writers = new KeyEventLineWriter[CARRIER_CONNECTIONS];
    for (int c = 0; c < writers.length; c++) {
      writers[c] = new KeyEventLineWriter();
    }
    long first = Long.MAX_VALUE;
    long last = 0;
    for (int i = 0; i < commands.size(); i++) {
      Span s = commands.get(i);
      java.util.Map<String, io.opentelemetry.proto.common.v1.AnyValue> a = new java.util.HashMap<>();
      s.getAttributesList().forEach(kv -> a.put(kv.getKey(), kv.getValue()));
      String key = a.get("memory.key").getStringValue();
      String namespace = a.get("memory.namespace").getStringValue();
      java.nio.ByteBuffer trace = s.getTraceId().asReadOnlyByteBuffer();
      writers[i % writers.length].command(s.getName(), s.getEndTimeUnixNano(),
              s.getEndTimeUnixNano() - s.getStartTimeUnixNano(), s.getSpanId().asReadOnlyByteBuffer().getLong(),
              trace.getLong(), trace.getLong(), 0)
          .attributes(key.startsWith(namespace) ? namespace.length() : -2, number(a, "memory.value_size"),
              a.containsKey("memory.found") ? (a.get("memory.found").getBoolValue() ? 1 : 0) : -1,
              number(a, "memory.ttl"), -1)
          .key(key);
      if (!key.startsWith(namespace)) {
        writers[i % writers.length].namespace(namespace);
      }
      writers[i % writers.length].end();
      first = Math.min(first, s.getStartTimeUnixNano());
      last = Math.max(last, s.getEndTimeUnixNano());
    }
    Span.Builder carrier = base(trace(b, BATCH + TASKS + 1), null, "memtrace.key_events", (long) b * BATCH, 0, 0)
        .setStartTimeUnixNano(first).setEndTimeUnixNano(last);
    for (KeyEventLineWriter w : writers) {
      long time = w.firstEnd();
      carrier.addEvents(Span.Event.newBuilder().setName(KeyEventLines.ATTRIBUTE).setTimeUnixNano(time)
          .addAttributes(attr("db.namespace", "0")).addAttributes(attr("server.address", "redis.internal"))
          .addAttributes(attr("server.port", 6379L)).addAttributes(attr(KeyEventLines.ATTRIBUTE, w.take())));
    }
    return SpanFixtures.request("shop-api", List.of(carrier.build()));
  }

  /** Connections a carrier's commands are spread over, an event each. */
  static final int CARRIER_CONNECTIONS = 4;

  private List<Span> commandSpans(int b) {
    List<Span> spans = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      long k = (long) b * BATCH + i;
      long n = rootSpan(k);
      spans.add(redis(trace((int) (n / BATCH), (int) (n % BATCH)), null, n,
          REDIS_OPS[(int) (mix(n) % REDIS_OPS.length)], rootKey(k)).build());
    }
    return spans;
  }

  private static long number(java.util.Map<String, io.opentelemetry.proto.common.v1.AnyValue> a, String key) {
    return a.containsKey(key) ? a.get(key).getIntValue() : -1;
  }

  private void task(List<Span> spans, int b, int t, long n) {
    String trace = trace(b, BATCH + t);
    long h = mix(n);
    Span.Builder task = base(trace, null, "aqe.task.run", n, n + 5, 2_000_000 + h % 20_000_000)
        .addAttributes(attr("agent.id", "agent-" + h % 50)).addAttributes(attr("agent.type", "fleet-commander"));
    if (h % 4 == 0) {
      // retention compressed some of its Redis children
      long count = 1 + h % 40;
      task.addAttributes(attr("memtrace.compressed.count", count))
          .addAttributes(attr("memtrace.compressed.duration_ms", count * 0.21))
          .addEvents(compressedEvent(n, "GET", NAMESPACES[(int) (h % NAMESPACES.length)], count));
    }
    Span taskSpan = task.build();
    spans.add(taskSpan);
    for (int m = 0; m < 2; m++) {
      long mn = n + 1 + 2 * m;
      String op = MEMORY_OPS[(int) (mix(mn) % MEMORY_OPS.length)];
      long record = op.equals("retrieve") || op.equals("delete") ? storedBefore((long) b * TASKS * 2 + t * 2 + m) : mn;
      String partition = PARTITIONS[(int) ((mix(record) >>> 40) % PARTITIONS.length)];
      String key = "plan-" + mix(record + 7) % keySpace;
      long millis = 1 + mix(mn) % 30;
      Span.Builder memory = base(trace, taskSpan.getSpanId(), "aqe.memory." + op, mn, mn, millis * 1_000_000)
          .addAttributes(attr("memory.operation", op)).addAttributes(attr("memory.namespace", partition))
          .addAttributes(attr("memory.key", key)).addAttributes(attr("memory.operation_duration_ms", millis))
          .addAttributes(attr("agent.id", "agent-" + h % 50));
      if (op.equals("store")) {
        memory.addAttributes(attr("memory.value_size", 200 + mix(mn) % 20_000)).addAttributes(attr("memory.ttl", 3600L));
      } else if (op.equals("retrieve")) {
        memory.addAttributes(attr("memory.found", mix(mn) % 5 != 0));
      } else if (op.equals("search")) {
        memory.addAttributes(attr("memory.result_count", mix(mn) % 9));
      }
      Span memorySpan = memory.build();
      spans.add(memorySpan);
      String command = op.equals("store") ? "SET" : op.equals("delete") ? "DEL" : op.equals("search") ? "SCAN" : "GET";
      spans.add(redis(trace, memorySpan.getSpanId(), mn + 1, command, partition + ":" + key).build());
    }
  }

  /**
   * The key of root command {@code k} (the k-th root command of the run): a write names a key of its own
   * (three times in four) or rewrites one written earlier; any other command names one written earlier.
   */
  private String rootKey(long k) {
    long n = rootSpan(k);
    long h = mix(n);
    boolean write = REDIS_WRITES.contains(REDIS_OPS[(int) (h % REDIS_OPS.length)]);
    long target = n;
    if (!write || (h >>> 50) % 4 == 0) {
      for (long back = k - 1 - (h >>> 20) % LOOK_BACK; back >= 0 && back > k - 2 * LOOK_BACK; back--) {
        long candidate = rootSpan(back);
        long hc = mix(candidate);
        if (REDIS_WRITES.contains(REDIS_OPS[(int) (hc % REDIS_OPS.length)]) && (hc >>> 50) % 4 != 0) {
          target = candidate;
          break;
        }
      }
    }
    long ht = mix(target);
    return NAMESPACES[(int) ((ht >>> 40) % NAMESPACES.length)] + ":" + (ht >>> 8) % keySpace;
  }

  /** The span number of root command {@code k}. */
  private static long rootSpan(long k) {
    return k / ROOTS * BATCH + ROOTS_FROM + k % ROOTS;
  }

  /** The span number of a store up to {@link #LOOK_BACK} memory operations before memory operation {@code k}; else k's own. */
  private static long storedBefore(long k) {
    long own = memorySpan(k);
    for (long back = k - 1 - mix(own) % LOOK_BACK; back >= 0 && back > k - 2 * LOOK_BACK; back--) {
      long candidate = memorySpan(back);
      if (MEMORY_OPS[(int) (mix(candidate) % MEMORY_OPS.length)].equals("store")) {
        return candidate;
      }
    }
    return own;
  }

  /** The span number of memory operation {@code k}: two per task trace, after the task span. */
  private static long memorySpan(long k) {
    long perBatch = TASKS * 2L;
    long t = (k % perBatch) / 2;
    return k / perBatch * BATCH + t * 5 + 1 + 2 * (k % 2);
  }

  /** A Redis command on {@code key}. */
  private Span.Builder redis(String trace, com.google.protobuf.ByteString parent, long n, String command, String key) {
    long h = mix(n);
    String namespace = key.substring(0, key.lastIndexOf(':'));
    // most commands take 30-300 µs; 1 % are slow
    long nanos = h % 100 == 7 ? 20_000_000 + h % 80_000_000 : 30_000 + h % 270_000;
    Span.Builder s = base(trace, parent, command, n, n, nanos).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attr("db.system.name", "redis"))
        .addAttributes(attr("db.operation.name", command))
        .addAttributes(attr("db.query.text", command + " ?"))
        .addAttributes(attr("memory.key", key))
        .addAttributes(attr("memory.namespace", namespace))
        .addAttributes(attr("db.namespace", "0"))
        .addAttributes(attr("server.address", "redis.internal"))
        .addAttributes(attr("server.port", 6379L));
    switch (command) {
      case "GET", "HGET" -> {
        boolean found = h % 10 < 8;
        s.addAttributes(attr("memory.found", found));
        if (found) {
          s.addAttributes(attr("memory.value_size", 16 + (h >>> 4) % 4096));
        }
      }
      case "SET", "HSET" -> {
        s.addAttributes(attr("memory.value_size", 16 + (h >>> 4) % 65_536));
        if (h % 3 != 0) {
          s.addAttributes(attr("memory.ttl", 60L * (1 + h % 60)));
        }
      }
      case "EXPIRE" -> s.addAttributes(attr("memory.ttl", 300L));
      default -> {
      }
    }
    if (h % 50 == 3) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("READONLY You can't write"))
          .addAttributes(attr("error.type", "READONLY")).addAttributes(attr("db.response.status_code", "READONLY"));
    }
    return s;
  }

  /** The span retention writes once per interval for compressed root commands. */
  private Span summary(int b, long n) {
    Span.Builder s = base(trace(b, BATCH + TASKS), null, "memtrace.compressed", n, n, 1_000_000_000L)
        .addAttributes(attr("memtrace.summary.interval_ms", 1000L));
    long total = 0;
    double millis = 0;
    for (int k = 0; k < 3; k++) {
      long count = 100 + mix(n + k) % 900;
      total += count;
      millis += count * 0.15;
      // compressed writes only in the first two namespaces: lineage there says 'compressed', elsewhere it finds writes
      s.addEvents(compressedEvent(n, k == 2 ? "SET" : "GET", NAMESPACES[k == 2 ? b % 2 : (b + k) % NAMESPACES.length],
          count));
    }
    return s.addAttributes(attr("memtrace.compressed.count", total))
        .addAttributes(attr("memtrace.compressed.duration_ms", millis)).build();
  }

  private static Span.Event compressedEvent(long n, String command, String namespace, long count) {
    return Span.Event.newBuilder().setName("memtrace.compressed").setTimeUnixNano(time(n))
        .addAttributes(attr("db.operation.name", command)).addAttributes(attr("memory.namespace", namespace))
        .addAttributes(attr("memtrace.compressed.count", count))
        .addAttributes(attr("memtrace.compressed.duration_ms", count * 0.15)).build();
  }

  private static Span.Builder base(String trace, com.google.protobuf.ByteString parent, String name, long n, long at,
      long nanos) {
    Span.Builder s = Span.newBuilder().setTraceId(SpanFixtures.hex(trace))
        .setSpanId(SpanFixtures.hex(String.format("%016x", n + 1))).setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL).setStartTimeUnixNano(time(at)).setEndTimeUnixNano(time(at) + nanos)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    if (parent != null) {
      s.setParentSpanId(parent);
    }
    return s;
  }

  private static long time(long n) {
    return SpanFixtures.T0 + n * NANOS_APART;
  }

  private static String trace(int b, int i) {
    return String.format("%016x%016x", 0x7e00000000L + b, i);
  }

  /** A well-spread deterministic hash of a span's number (SplitMix64's finaliser), never negative. */
  static long mix(long n) {
    long z = n * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) >>> 1;
  }
}
