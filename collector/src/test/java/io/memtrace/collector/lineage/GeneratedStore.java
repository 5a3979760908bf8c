package io.memtrace.collector.lineage;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;

import io.memtrace.collector.SpanFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A generated workload for the tables kept at compaction: three services sharing keys on two Redis servers and two
 * databases, memory-manager records in two namespaces, compressed counts, TTLs, refused writes and failed reads.
 */
public final class GeneratedStore {

  private static final String[] SERVICES = {"svc-a", "svc-b", "svc-c"};
  private static final String[] COMMANDS = {"GET", "GET", "GET", "EXISTS", "SET", "SET", "SETEX", "INCR", "DEL", "TTL"};
  private static final String[] MEMORY_OPS = {"retrieve", "retrieve", "store", "update", "delete", "search"};
  /** Distinct modulo 10, so no two spans starting on the 10 ms grid end at the same instant. */
  private static final long[] MILLIS = {1, 2, 3, 14, 27};

  private GeneratedStore() {
  }

  /**
   * Writes {@code batches} into the store at {@code dir} in {@code moves} equal parts, each part by a store opened for
   * writing and closed, which compacts it: the key events kept over several moves, no {@code span_ingest} tail.
   */
  public static void compactedInMoves(java.nio.file.Path dir, List<ExportTraceServiceRequest> batches, int moves)
      throws Exception {
    compactedInMoves(dir, batches, moves, move -> null);
  }

  /** {@link #compactedInMoves(java.nio.file.Path, List, int)}, each move's part followed by {@code last(move)} if any. */
  public static void compactedInMoves(java.nio.file.Path dir, List<ExportTraceServiceRequest> batches, int moves,
      java.util.function.IntFunction<ExportTraceServiceRequest> last) throws Exception {
    int part = batches.size() / moves;
    for (int move = 0; move < moves; move++) {
      try (io.memtrace.collector.store.SpanStore store = io.memtrace.collector.store.TestStores.open(dir, true)) {
        io.memtrace.collector.store.TestStores.write(store, batches.subList(move * part, (move + 1) * part));
        ExportTraceServiceRequest request = last.apply(move);
        if (request != null) {
          io.memtrace.collector.store.TestStores.write(store, request);
        }
      }
    }
  }

  /**
   * {@code count} requests of {@code size} spans each, of one service each, over a shared keyspace; spans start
   * on a 10 ms grid in a random order, so that each request holds times from all over the run.
   */
  public static List<ExportTraceServiceRequest> generated(Random random, int count, int size) {
    List<Long> starts = new ArrayList<>();
    for (long i = 0; i < (long) count * size; i++) {
      starts.add(i * 10);
    }
    Collections.shuffle(starts, random);
    List<ExportTraceServiceRequest> requests = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        long at = starts.get(r * size + i);
        long millis = MILLIS[random.nextInt(MILLIS.length)];
        String trace = String.format("%032x", 0x2900L + random.nextInt(count * size / 4));
        int kind = random.nextInt(20);
        if (kind < 13) {
          spans.add(redis(random, trace, at, millis));
        } else if (kind < 18) {
          String op = MEMORY_OPS[random.nextInt(MEMORY_OPS.length)];
          String namespace = random.nextBoolean() ? "plans" : "reports";
          spans.add(SpanFixtures.memory(trace, null, op, at, millis, op.equals("search") ? "plan-%" : "plan-" + random.nextInt(12),
              namespace, op.equals("store") ? 100L + random.nextInt(50) : null, "memory.found", random.nextInt(3) > 0,
              "memory.ttl", random.nextInt(4) == 0 ? 1L : 0L));
        } else {
          String namespace = random.nextInt(4) == 0 ? "_OTHER" : "ns" + random.nextInt(3);
          String command = random.nextBoolean() ? "SET" : random.nextBoolean() ? "GET" : "PIPELINE";
          spans.add(span(trace, null, "app.task.bulk", at, millis * 5).addAttributes(attr("memtrace.compressed.count", 3L))
              .addEvents(LineageFixtures.compressed(command, namespace, 3)).build());
        }
      }
      requests.add(SpanFixtures.request(SERVICES[r % SERVICES.length], spans));
    }
    return requests;
  }

  private static Span redis(Random random, String trace, long at, long millis) {
    String command = COMMANDS[random.nextInt(COMMANDS.length)];
    String key = "ns" + random.nextInt(3) + ":" + random.nextInt(15);
    String redis = random.nextInt(5) == 0 ? "10.0.0.6" : "10.0.0.5";
    String db = random.nextInt(5) == 0 ? "1" : "0";
    List<Object> extra = new ArrayList<>();
    if (List.of("GET", "EXISTS").contains(command)) {
      extra.addAll(List.of("memory.found", random.nextInt(4) > 0));
    }
    if (command.equals("SETEX")) {
      extra.addAll(List.of("memory.ttl", random.nextBoolean() ? 1L : 60L));
    }
    Span span = LineageFixtures.redis(trace, null, command, at, millis, key, redis, 6379, db, extra.toArray());
    if (random.nextInt(15) == 0) {
      // a refused write, or a failed read (WRONGTYPE)
      span = span.toBuilder().setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)).build();
    }
    return span;
  }
}
