package io.memtrace.collector.bench;

import static io.memtrace.collector.SpanFixtures.attr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.memtrace.collector.values.ValueEventFixtures;
import io.memtrace.collector.versions.KeyVersions;
import io.memtrace.collector.versions.RecordVersions;
import io.memtrace.collector.versions.VersionsText;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: times a record's 1,000 versions with their diffs, as {@code timeline --key KEY --versions --format json}
 * and {@code GET /api/keys/{key}/versions?limit=1000} compute them: the key's captured values and timeline read from a
 * real embedded store, every write applied, every diff made, the answer written as JSON. Three records of 1,000
 * writes each, in one store: a hash changed one field at a time among 50 ({@code HSET}), a JSON chat memory rewritten
 * whole each time with one message more and the oldest of its 200 dropped (Spring AI's {@code saveAll}, about 20 KB),
 * and a 300-line text rewritten with one line changed. After one untimed answer per record, each is timed
 * {@code runs} times; the median is printed in wall time and in the process's CPU time.
 *
 * <p>With {@code --store DIR} the store is made in {@code DIR} and left there (or, when {@code DIR} already holds
 * one, used as it is), so {@code timeline --versions --data DIR} can be run on it. With {@code --first KEY} (and
 * {@code --store}) only that record's first answer in this JVM is timed, as {@code timeline --versions} run once
 * pays it: the JVM's start and the store's opening are printed apart from it.
 * Run: {@code java -cp <collector test class path> io.memtrace.collector.bench.VersionsBenchmark [runs]
 * [--store DIR] [--first KEY]}
 */
public final class VersionsBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WRITES = 1_000;

  public static void main(String[] args) throws Exception {
    int runs = 9;
    Path kept = null;
    String first = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--store" -> kept = Path.of(args[++i]);
        case "--first" -> first = args[++i];
        default -> runs = Integer.parseInt(args[i]);
      }
    }
    if (first != null) {
      if (kept == null || !new StoreFiles(kept).databaseExists()) {
        throw new IllegalArgumentException("--first needs --store DIR holding the benchmark's store");
      }
      FirstAnswer.time(kept, first);
      return;
    }
    Path dir = kept != null ? kept : Files.createTempDirectory("versions-bench");
    try {
      if (kept == null || !new StoreFiles(kept).databaseExists()) {
        fill(dir);
      }
      answer(dir, runs);
    } finally {
      if (kept == null) {
        ScratchStore.delete(dir);
      }
    }
  }

  /** Writes the three records' 1,000 writes each into a store at {@code dir}. */
  private static void fill(Path dir) throws Exception {
    long base = (System.currentTimeMillis() - 3_600_000L) * 1_000_000L;
    List<Span> spans = new ArrayList<>();
    Random random = new Random(51);
    List<Map<String, String>> chat = new ArrayList<>();
    List<String> text = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      text.add("line " + i + " of the notes, long enough to look like prose " + random.nextInt(1_000));
    }
    for (int i = 0; i < WRITES; i++) {
      long at = base + i * 3_000_000L;
      spans.add(span(at, i, "HSET", "bench:hash", "fields_set", "hash",
          JSON.writeValueAsString(Map.of("field" + random.nextInt(50), "value " + random.nextInt(1_000_000)))));
      chat.add(Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", "message " + i + " says "
          + "something about the plan, number " + random.nextInt(1_000)));
      if (chat.size() > 200) {
        chat.remove(0);
      }
      spans.add(span(at + 1_000_000L, i, "SET", "bench:chat", "replace", "string",
          JSON.writeValueAsString(Map.of("conversation", "c-1", "messages", chat))));
      text.set(random.nextInt(text.size()), "line changed at write " + i);
      spans.add(span(at + 2_000_000L, i, "SET", "bench:text", "replace", "string", String.join("\n", text)));
    }
    TestStores.fill(dir, SpanFixtures.request("bench-app", spans));
  }

  private static void answer(Path dir, int runs) throws Exception {
    com.sun.management.OperatingSystemMXBean cpu =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (StoreReader reader = EmbeddedReader.local(new StoreFiles(dir))) {
      for (String key : List.of("bench:hash", "bench:chat", "bench:text")) {
        TimelineRequest request = new TimelineRequest(key, null, null, WRITES);
        String json = VersionsText.json(RecordVersions.read(reader, request));
        List<Long> wall = new ArrayList<>();
        List<Long> cpuTimes = new ArrayList<>();
        KeyVersions answer = null;
        for (int r = 0; r < runs; r++) {
          long c0 = cpu.getProcessCpuTime();
          long t0 = System.nanoTime();
          answer = RecordVersions.read(reader, request);
          json = VersionsText.json(answer);
          wall.add(System.nanoTime() - t0);
          cpuTimes.add(cpu.getProcessCpuTime() - c0);
        }
        phases(reader, request, cpu, runs);
        long rows = answer.versions().stream().mapToLong(v -> v.diff().rows().size()).sum();
        System.out.printf("%-11s %d versions, %d diff rows, %d KB of JSON: median %.1f ms wall, %.1f ms CPU "
            + "(min %.1f ms wall)%n", key, answer.versions().size(), rows,
            json.getBytes(StandardCharsets.UTF_8).length / 1024, median(wall) / 1e6, median(cpuTimes) / 1e6,
            Collections.min(wall) / 1e6);
      }
    }
  }

  /**
   * Where an answer's time goes, median of {@code runs}: the two store reads in the process's CPU time (DuckDB's
   * threads do the work), the versions with their diffs and the JSON in this thread's CPU time.
   */
  private static void phases(StoreReader reader, TimelineRequest request,
      com.sun.management.OperatingSystemMXBean cpu, int runs) {
    java.lang.management.ThreadMXBean thread = ManagementFactory.getThreadMXBean();
    List<Long> timelines = new ArrayList<>();
    List<Long> reads = new ArrayList<>();
    List<Long> builds = new ArrayList<>();
    List<Long> writes = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      long c0 = cpu.getProcessCpuTime();
      var timeline = reader.timeline(new TimelineRequest(request.key(), null, null, TimelineRequest.MAX_LIMIT));
      long c1 = cpu.getProcessCpuTime();
      var values = reader.capturedValues(new io.memtrace.collector.values.ValuesRequest(request.key(), null, null,
          null, RecordVersions.MAX_VALUES + 1));
      long c2 = cpu.getProcessCpuTime();
      long t0 = thread.getCurrentThreadCpuTime();
      KeyVersions built = io.memtrace.collector.versions.VersionHistory.build(request.key(), values, timeline,
          request.limit(), false);
      long t1 = thread.getCurrentThreadCpuTime();
      VersionsText.json(built);
      long t2 = thread.getCurrentThreadCpuTime();
      timelines.add(c1 - c0);
      reads.add(c2 - c1);
      builds.add(t1 - t0);
      writes.add(t2 - t1);
    }
    System.out.printf("  median CPU: timeline %.0f ms, captured values %.0f ms (process); versions and diffs %.1f ms,"
        + " JSON %.1f ms (thread)%n", median(timelines) / 1e6, median(reads) / 1e6, median(builds) / 1e6,
        median(writes) / 1e6);
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** A Redis client span of its own trace writing {@code key}, with the value event the agent sends. */
  private static Span span(long startNanos, int i, String command, String key, String change, String type,
      String payload) {
    Span.Event event = ValueEventFixtures.agentValue(startNanos + 500_000, key, change, type, payload);
    return SpanFixtures.redisClient(Span.newBuilder()
            .setTraceId(SpanFixtures.hex(String.format("%08x%024x", key.hashCode(), i)))
            .setSpanId(SpanFixtures.newSpanId()).setName(command)
            .setStartTimeUnixNano(startNanos).setEndTimeUnixNano(startNanos + 500_000), command, key, "bench")
        .addAttributes(attr("memory.value_size", (long) payload.length()))
        .addEvents(event).build();
  }
}
