package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memtrace.collector.Conventions;
import io.memtrace.collector.MemoryWorkload;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same workload sent over OTLP/HTTP to a real {@code serve}, once per naming convention of the agent
 * (seed, both, genai): {@code report} and {@code traces} through the running server's API, and the
 * {@code --timeseries} key statistics, come out the same.
 */
class ConventionsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Seen(JsonNode report, List<String> traceSummary, JsonNode interval) {
  }

  @Test
  void shouldAnalyseTheSameWorkloadTheSameWhicheverNamesItsSpansCarry() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("conventions-it-" + System.nanoTime()));
    Map<Conventions, Seen> seen = new EnumMap<>(Conventions.class);
    for (Conventions c : Conventions.values()) {
      seen.put(c, sendAndAnalyse(dir.resolve(c.name()), c));
    }
    Seen seed = seen.get(Conventions.SEED);
    assertThat(seed.report().at("/namespaces/rows/0/operation_count").asLong()).as("%s", seed.report()).isEqualTo(12);
    assertThat(seed.traceSummary()).contains("Memory Operations: 5 (2 store, 1 retrieve, 1 search, 1 delete)");
    assertThat(seed.interval().at("/top_keys/0/key").asText()).isEqualTo("conv-1");
    for (Conventions c : List.of(Conventions.BOTH, Conventions.GENAI)) {
      assertThat(seen.get(c).report()).as("%s report", c).isEqualTo(seed.report());
      assertThat(seen.get(c).traceSummary()).as("%s traces", c).isEqualTo(seed.traceSummary());
      assertThat(seen.get(c).interval()).as("%s time series", c).isEqualTo(seed.interval());
    }
  }

  private static Seen sendAndAnalyse(Path dir, Conventions c) throws Exception {
    Path data = dir.resolve("data");
    Path series = dir.resolve("timeseries.jsonl");
    try (CollectorProcess serve = CollectorProcess.serve(data, "--timeseries", series.toString(),
        "--timeseries-interval", "1s")) {
      // one request, so that one time-series interval counts it all
      ExportTraceServiceRequest workload = ExportTraceServiceRequest.newBuilder()
          .addAllResourceSpans(c.shape(SpanFixtures.seedTrace()).getResourceSpansList())
          .addAllResourceSpans(c.shape(MemoryWorkload.chat()).getResourceSpansList()).build();
      assertThat(serve.post("/v1/traces", "application/x-protobuf", null, workload.toByteArray()).statusCode())
          .isEqualTo(200);
      serve.awaitLoaded();
      ForkedJvm.Result report = CollectorProcess.command("report", "--data", data.toString(), "--format", "json");
      assertThat(report.exitCode).as("%s", report).isZero();
      assertThat(JSON.readTree(report.stdout).path("source").asText()).as("read through the running server")
          .contains("collector at http://127.0.0.1:" + serve.port, "analysing memory-manager operations");
      ForkedJvm.Result traces = CollectorProcess.command("traces", "--data", data.toString(), "--trace",
          SpanFixtures.SEED_TRACE);
      assertThat(traces.exitCode).as("%s", traces).isZero();
      JsonNode interval = firstIntervalWithSpans(series);
      return new Seen(JSON.readTree(report.stdout).path("sections"),
          traces.stdout.lines().dropWhile(l -> !l.startsWith("└")).skip(1).toList(), interval);
    }
  }

  /** The first time-series line that counted spans, without its time. */
  private static JsonNode firstIntervalWithSpans(Path series) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (Files.exists(series)) {
        for (String line : Files.readAllLines(series)) {
          JsonNode node = JSON.readTree(line);
          if (node.path("spans").asLong() > 0) {
            ((ObjectNode) node).remove(List.of("time", "interval_seconds"));
            return node;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no time-series line with spans in " + series);
  }
}
