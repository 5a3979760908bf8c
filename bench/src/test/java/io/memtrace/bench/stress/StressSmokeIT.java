package io.memtrace.bench.stress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build's smoke run of the stress suite (issue 17): {@code baseline} and {@code collector-down}
 * with a 3-second outage, at their smoke lengths, with the real agent, collector, Redis and proxy.
 * Every check of both must hold, and the results, report and charts must be written.
 */
class StressSmokeIT {

  @Test
  void shouldHoldEveryCheckOfBaselineAndCollectorDown() throws Exception {
    Path root = Paths.get(System.getProperty("memtrace.root", "..")).toAbsolutePath().normalize();
    Path out = Paths.get("target", "stress-smoke").toAbsolutePath();
    StressOptions options = StressOptions.parse(new String[] {"--smoke", "--scenarios", "baseline,collector-down",
        "--root", root.toString(), "--config", root.resolve("bench/stress.yaml").toString(), "--out", out.toString()});

    int exit = StressHarness.run(options);

    JsonNode results = new ObjectMapper().readTree(out.resolve("stress-results.json").toFile());
    List<String> failed = new ArrayList<>();
    for (JsonNode s : results.path("scenarios")) {
      for (JsonNode c : s.path("checks")) {
        if (!c.path("holds").asBoolean()) {
          failed.add(s.path("name").asText() + ": " + c.path("what").asText() + " measured " + c.path("measured").asText()
              + ", bound " + c.path("bound").asText());
        }
      }
    }
    assertThat(failed).as("checks that did not hold; see %s", out.resolve("stress-report.md")).isEmpty();
    assertThat(exit).isZero();
    JsonNode down = results.path("scenarios").get(1);
    assertThat(down.path("name").asText()).isEqualTo("collector-down");
    // The window is recorded as it happened: at least the 3 s asked for, or serve's stop if that took longer, plus its
    // start. How long those take depends on the machine's load (4 to 10 s here alone, 30 s beside other modules' tests
    // on a slow 2-core machine, 2026-11-28), so the bound is what they measured, not a fixed figure; whether the
    // collector came back in time for export to resume is the scenario's own check above.
    JsonNode m = down.path("metrics");
    double stop = m.path("collector_stop_seconds").asDouble(-1);
    double start = m.path("collector_start_seconds").asDouble(-1);
    assertThat(m.path("outage_asked_seconds").asDouble()).isEqualTo(3.0);
    assertThat(stop).as("serve's stop").isPositive();
    assertThat(start).as("serve's start").isPositive();
    double expected = Math.max(3.0, stop) + start;
    assertThat(m.path("outage_seconds").asDouble())
        .as("the outage window against stop %.1f s and start %.1f s", stop, start).isBetween(expected - 0.01, expected + 1.0);
    assertThat(down.path("events").path("exported").asLong()).isPositive();
    List<String> whats = new ArrayList<>();
    down.path("checks").forEach(c -> whats.add(c.path("what").asText()));
    assertThat(whats).anyMatch(w -> w.startsWith("export resumed after collector down"))
        .anyMatch(w -> w.startsWith("every span accounted for"));
    for (String chart : List.of("baseline-throughput.png", "collector-down-throughput.png", "collector-down-drops.png",
        "collector-down-memory.png")) {
      byte[] png = Files.readAllBytes(out.resolve(chart));
      assertThat(png).as(chart).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
    assertThat(Files.readString(out.resolve("stress-report.md"))).contains("## collector-down", "2 of 2 scenarios held");
  }
}
