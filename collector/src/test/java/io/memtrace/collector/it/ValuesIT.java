package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.values.ValueEventFixtures;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Captured values through a real {@code serve}: OTLP over a socket carrying {@code memory.value} events as the agent
 * sends them, kept apart from the spans in {@code key_value}, readable by {@code query} only with
 * {@code --include-values}, taken out of what {@code --forward} sends to a real upstream collector, and held within
 * {@code --value-budget} with the loss counted in {@code /api/status}.
 */
class ValuesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROTOBUF = "application/x-protobuf";

  @Test
  void shouldKeepValuesApartGuardThemStripThemWhenForwardingAndPruneTheOldestPastTheBudget() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("values-it-" + System.nanoTime()));
    try (CollectorProcess upstream = CollectorProcess.serve(dir.resolve("upstream"));
         CollectorProcess serve = CollectorProcess.serve(dir.resolve("data"),
             "--forward", upstream.url().toString(), "--value-budget", "1KiB", "--value-retention", "36500d",
             "--value-check-interval", "300ms")) {
      assertThat(serve.post("/v1/traces", PROTOBUF, null, ValueEventFixtures.session().toByteArray()).statusCode())
          .isEqualTo(200);
      serve.awaitLoaded();

      // kept apart: key_value has the values, spans.events has no value text, and every span is kept
      ForkedJvm.Result refused = CollectorProcess.command("query", "--data", serve.data.toString(),
          "SELECT key, value FROM key_value");
      assertThat(refused.exitCode).as("%s", refused).isEqualTo(1);
      assertThat(refused.stderr).contains("key_value holds the captured values").contains("--include-values");
      ForkedJvm.Result described = CollectorProcess.command("query", "--data", serve.data.toString(),
          "SUMMARIZE key_value");
      assertThat(described.exitCode).as("SUMMARIZE shows min and max values: %s", described).isEqualTo(1);
      ForkedJvm.Result values = CollectorProcess.command("query", "--data", serve.data.toString(), "--include-values",
          "--format", "csv", "SELECT key, value, change FROM key_value ORDER BY time, seq");
      assertThat(values.exitCode).as("%s", values).isZero();
      assertThat(values.stdout).contains("sess:1:name,secret-alice,replace").contains("cache:b,B1,replace")
          .contains("sess:1:profile");
      ForkedJvm.Result events = CollectorProcess.command("query", "--data", serve.data.toString(), "--format", "csv",
          "SELECT count(*) AS spans, count(*) FILTER (WHERE events::VARCHAR LIKE '%secret-alice%' "
              + "OR events::VARCHAR LIKE '%memory.value%') AS with_values FROM spans");
      assertThat(events.stdout).as("%s", events).isEqualTo("spans,with_values\n4,0\n");

      // the API: the web SQL page's /api/query refuses them; ?values=true with the token reads them
      HttpResponse<String> api = serve.post("/api/query", "application/sql", null,
          "SELECT value FROM key_value".getBytes());
      assertThat(api.statusCode()).isEqualTo(400);
      assertThat(api.body()).contains("--include-values");
      HttpResponse<String> asked = serve.post("/api/query?values=true", "application/sql", null,
          "SELECT value FROM key_value WHERE key = 'sess:1:name'".getBytes());
      assertThat(asked.body()).contains("secret-alice");

      // forwarded without the value events: the upstream has the four spans and no value anywhere
      long deadline = System.currentTimeMillis() + 180_000;
      String upstreamSpans = "";
      while (System.currentTimeMillis() < deadline && !upstreamSpans.contains("\n4,")) {
        upstreamSpans = CollectorProcess.command("query", "--data", upstream.data.toString(), "--include-values",
            "--format", "csv", "SELECT (SELECT count(*) FROM spans) AS spans, (SELECT count(*) FROM spans WHERE "
                + "events::VARCHAR LIKE '%secret-alice%' OR events::VARCHAR LIKE '%memory.value%') AS with_values, "
                + "(SELECT count(*) FROM key_value) AS values_kept").stdout;
        Thread.sleep(200);
      }
      assertThat(upstreamSpans).isEqualTo("spans,with_values,values_kept\n4,0,0\n");
      assertThat(JSON.readTree(serve.get("/api/status").body()).path("forward").path("sent").asLong()).isEqualTo(1);

      // past the budget the oldest go, counted
      for (int i = 0; i < 30; i++) {
        String key = String.format("big:%02d", i);
        Span span = ValueEventFixtures.redis("SET", 1_000 + i, key,
            ValueEventFixtures.value(1_000 + i + 1, key, "replace", "string", "x".repeat(94)));
        assertThat(serve.post("/v1/traces", PROTOBUF, null,
            SpanFixtures.request("values-app", List.of(span)).toByteArray()).statusCode()).isEqualTo(200);
      }
      serve.awaitLoaded();
      JsonNode status = null;
      deadline = System.currentTimeMillis() + 180_000;
      while (System.currentTimeMillis() < deadline) {
        status = JSON.readTree(serve.get("/api/status").body()).path("values");
        // the figures are those of the budget's last pass, which may have run before the last values were loaded:
        // wait for a pass that has seen all 35 (the session's 5 and these 30), kept or removed
        if (status.path("stored_bytes").asLong() <= 1024 && status.path("stored").asLong()
            + status.path("pruned_budget").asLong() + status.path("pruned_retention").asLong() == 5 + 30) {
          break;
        }
        Thread.sleep(200);
      }
      long stored = status.path("stored").asLong();
      assertThat(status.path("budget_bytes").asLong()).isEqualTo(1024);
      assertThat(status.path("stored_bytes").asLong()).isLessThanOrEqualTo(1024);
      assertThat(stored).as("%s", status).isEqualTo(10); // 100 bytes each: payload 94 + key 6
      assertThat(status.path("pruned_budget").asLong()).as("the session's 5 values and the 20 oldest of 30")
          .isEqualTo(5 + 20);
      assertThat(status.path("malformed").asLong()).as("the session's two malformed value events").isEqualTo(2);
      ForkedJvm.Result kept = CollectorProcess.command("query", "--data", serve.data.toString(), "--include-values",
          "--format", "csv", "SELECT string_agg(key, ' ' ORDER BY time) AS keys FROM key_value");
      List<String> newest = new ArrayList<>();
      for (int i = 20; i < 30; i++) {
        newest.add(String.format("big:%02d", i));
      }
      assertThat(kept.stdout).isEqualTo("keys\n" + String.join(" ", newest) + "\n");
      assertThat(serve.stderr()).contains("captured values over --value-budget");
    }
  }
}
