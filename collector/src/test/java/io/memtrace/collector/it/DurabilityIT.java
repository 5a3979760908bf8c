package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Acknowledged means durable: a SIGKILL right after the 200s loses nothing. */
class DurabilityIT {

  static final int BATCHES = 24;
  static final int SPANS_PER_BATCH = 512;

  @Test
  void shouldKeepEveryAcknowledgedSpanThroughKillDashNine() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("durability-" + System.nanoTime());
    Path data = dir.resolve("data");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    try (CollectorProcess serve = CollectorProcess.serve(data)) {
      ExecutorService senders = Executors.newFixedThreadPool(4);
      List<Future<?>> sent = send(senders, serve, traces(0xd0000L, BATCHES), acknowledged);
      for (Future<?> f : sent) {
        f.get();
      }
      serve.kill();
      senders.shutdown();
    }
    assertThat(acknowledged).as("every batch was acknowledged before the kill").hasSize(BATCHES);
    try (var segments = Files.list(data.resolve("ingest-log"))) {
      assertThat(segments.filter(p -> p.toString().endsWith(".log")).toList())
          .as("the kill left the ingest log to load again").isNotEmpty();
    }

    // the killed server's note is stale: its pid is gone, so the file is opened read-only directly; it cannot load
    // the ingest log, and says that the answer may miss what the log holds
    assertThat(Files.exists(data.resolve("collector.json"))).isTrue();
    ForkedJvm.Result direct = CollectorProcess.command("query", "--data", data.toString(), "--format", "csv",
        "SELECT count(*) AS spans FROM spans");
    assertThat(direct.stderr).as("%s", direct).contains("the ingest log in ").contains("may not be loaded yet");
    assertThat(Long.parseLong(direct.stdout.lines().skip(1).findFirst().orElseThrow()))
        .as("%s", direct).isBetween(0L, (long) BATCHES * SPANS_PER_BATCH);

    try (CollectorProcess restarted = CollectorProcess.serve(data)) {
      ForkedJvm.Result query = CollectorProcess.command("query", "--data", data.toString(), "--format", "csv",
          "SELECT trace_id, count(DISTINCT span_id) AS spans FROM spans GROUP BY trace_id ORDER BY trace_id");
      List<String> expected = new ArrayList<>(List.of("trace_id,spans"));
      acknowledged.stream().sorted().forEach(t -> expected.add(t + "," + SPANS_PER_BATCH));
      assertThat(query.stdout.lines()).as("%s", query).containsExactlyElementsOf(expected);
      // loaded again from the log, what had been loaded before the kill is not there twice
      ForkedJvm.Result total = CollectorProcess.command("query", "--data", data.toString(), "--format", "csv",
          "SELECT count(*) AS spans FROM spans");
      assertThat(total.stdout).as("%s", total).isEqualTo("spans\n" + BATCHES * SPANS_PER_BATCH + "\n");
      assertThat(restarted.stop()).as("the JVM status after SIGTERM").isEqualTo(143);
    }
  }

  /** {@code count} trace ids from {@code first} on, one a batch. */
  static List<String> traces(long first, int count) {
    return LongStream.range(first, first + count).mapToObj(t -> String.format("%032x", t)).toList();
  }

  /**
   * Sends a {@link #batch} of each of {@code traces} to {@code serve} through {@code senders}, all at once, adding to
   * {@code acknowledged} each trace serve answered 200; the sends, to wait for.
   */
  static List<Future<?>> send(ExecutorService senders, CollectorProcess serve, List<String> traces,
      Set<String> acknowledged) {
    List<Future<?>> sent = new ArrayList<>();
    for (String trace : traces) {
      sent.add(senders.submit(() -> {
        HttpResponse<String> response = serve.post("/v1/traces", "application/x-protobuf", null,
            batch(trace).toByteArray());
        if (response.statusCode() == 200) {
          acknowledged.add(trace);
        }
        return null;
      }));
    }
    return sent;
  }

  static ExportTraceServiceRequest batch(String trace) {
    return SpanFixtures.request("durable", IntStream.range(0, SPANS_PER_BATCH)
        .mapToObj(i -> SpanFixtures.span(trace, null, "op", i, 1)
            .addAttributes(SpanFixtures.attr("memory.key", "k:" + i)).build()).toList());
  }
}
