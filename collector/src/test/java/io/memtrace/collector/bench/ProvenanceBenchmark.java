package io.memtrace.collector.bench;

import static io.memtrace.collector.SpanFixtures.attr;
import static io.memtrace.collector.SpanFixtures.span;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.embedded.ServerReaders;
import io.memtrace.collector.ingest.TraceMapper;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.ModelCallFixtures;
import io.memtrace.collector.provenance.Provenance;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.QueryLimits;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Not a test: times the provenance of one model call ({@link Provenance#ofCall}, as the web view's panel asks it:
 * the call, its linked memory spans, their Redis reads, the lineage of each and the writes up to the call) over a
 * stopped store, such as one {@code IngestBenchmark N --realistic --keep DIR} left. It first adds {@code calls} model
 * calls spread through the store's time (each with a chat-memory read of a key written a second before and linked),
 * then reports the median and the slowest, after one warming run, in wall time and in the process's CPU time (which
 * counts DuckDB's threads, and is steadier than wall time on a shared machine).
 * With {@code tail}, the calls are asked while still in {@code span_ingest}, of the store open for writing, by the
 * reader {@code serve}'s {@code /api/provenance} opens, as in the minute after a call under load.
 * Run: {@code java -cp target/test-classes:target/memtrace-collector.jar
 * io.memtrace.collector.bench.ProvenanceBenchmark DIR [calls] [tail]}
 */
public final class ProvenanceBenchmark {

  public static void main(String[] args) throws Exception {
    StoreFiles files = new StoreFiles(Paths.get(args[0]));
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    long first;
    long last;
    try (LocalSqlSource local = new LocalSqlSource(files)) {
      System.out.println("spans stored: " + local.query("SELECT count(*) AS n FROM spans").number(0, "n"));
      first = local.query("SELECT epoch_ns(min(start_time)) AS t FROM spans").number(0, "t");
      last = local.query("SELECT epoch_ns(max(start_time)) AS t FROM spans").number(0, "t");
    }
    List<String[]> calls = new ArrayList<>();
    boolean tail = args.length > 2 && args[2].equals("tail");
    SpanStore store = tail ? TestStores.open(files.dir(), false) : SpanStore.open(files);
    try {
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long at = first + (last - first) / (n + 1) * (i + 1);
        String trace = String.format("%032x", 0x5e00_0000L + i);
        String key = "chat:acme:bench" + i;
        Span root = span(trace, null, "assistant.turn", 0, 30).build();
        Span write = ModelCallFixtures.redis(trace, root.getSpanId(), "SET", 1, key);
        Span memory = SpanFixtures.memory(trace, root.getSpanId(), "retrieve", 10, 5, "acme:bench" + i, "chat", 10L);
        Span read = ModelCallFixtures.redis(trace, memory.getSpanId(), "GET", 11, key);
        Span model = ModelCallFixtures.model(trace, root.getSpanId(), 20, "acme:bench" + i)
            .addLinks(ModelCallFixtures.link(memory, "chat_memory", 1)).addAttributes(attr("memtrace.context.records", 1L))
            .build();
        for (Span s : List.of(root, write, memory, read, model)) {
          long shift = at - SpanFixtures.T0;
          spans.add(s.toBuilder().setStartTimeUnixNano(s.getStartTimeUnixNano() + shift)
              .setEndTimeUnixNano(s.getEndTimeUnixNano() + shift).build());
        }
        calls.add(new String[] {trace, java.util.HexFormat.of().formatHex(model.getSpanId().toByteArray()), String.valueOf((model.getStartTimeUnixNano()
            + at - SpanFixtures.T0) / 1000)});
      }
      ExportTraceServiceRequest request = SpanFixtures.request("bench-assistant", spans);
      store.writer().writeSpans(TraceMapper.map(request)).get(60, TimeUnit.SECONDS);
      if (tail) {
        // asked while the calls are still in span_ingest, by the reader serve's /api/provenance opens, for the
        // model calls of the call's trace that started when it did
        try (StoreReader reader = new ServerReaders(store, QueryLimits.DEFAULT).open()) {
          measure(c -> reader.modelCalls(c[0], Long.parseLong(c[2]), Long.parseLong(c[2]), ModelCallFixtures.RULE),
              calls, " (in the tail)");
        }
      }
    } finally {
      store.close();
    }
    if (!tail) {
      try (LocalSqlSource local = new LocalSqlSource(files)) {
        measure(c -> Provenance.ofCall(local, c[0], c[1], Long.parseLong(c[2]), ModelCallFixtures.RULE), calls, "");
      }
    }
  }

  /** Asks for each call ({@code trace, span, start}) after a warming question, and prints the times. */
  private static void measure(Function<String[], List<ModelCall>> ask, List<String[]> calls, String where) {
    ask.apply(calls.get(0));
    List<Long> times = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (String[] c : calls) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      List<ModelCall> answer = ask.apply(c);
      times.add(System.nanoTime() - t0);
      cpu.add(os.getProcessCpuTime() - c0);
      if (answer.size() != 1 || answer.get(0).records().size() != 1 || !"seen".equals(answer.get(0).records().get(0).writer())) {
        throw new AssertionError("wrong provenance for " + c[0] + ": " + answer);
      }
    }
    Collections.sort(times);
    Collections.sort(cpu);
    System.out.printf("provenance of one model call" + where + ", median of %d: %d ms (min %d, max %d); CPU of the process "
        + "(DuckDB's threads too): median %d ms (min %d, max %d)%n", times.size(),
        times.get(times.size() / 2) / 1_000_000, times.get(0) / 1_000_000, times.get(times.size() - 1) / 1_000_000,
        cpu.get(cpu.size() / 2) / 1_000_000, cpu.get(0) / 1_000_000, cpu.get(cpu.size() - 1) / 1_000_000);
  }
}
