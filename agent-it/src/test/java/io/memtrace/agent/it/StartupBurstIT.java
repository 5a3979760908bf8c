package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MemtraceYaml;
import io.memtrace.testsupport.TestPrograms;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An application busy from its first instant, under the real agent with its default ring of 8192 events: four
 * threads make 16,000 memory-manager calls, an event each, in a fraction of a second, while the agent is still
 * building its consumer, exporters and the OpenTelemetry SDK (8,980 and 20,000 of 20,000 events came before it in two
 * runs, 2026-12-01; 10,000 of 10,000 in one). The events the ring has no room for wait beyond it, up to twice the ring,
 * until the consumer takes over, so none is dropped, every call is exported once, and the shutdown line adds up.
 */
class StartupBurstIT {

  private static final Pattern COUNTER = Pattern.compile("memtrace\\.events\\.(produced|exported|compressed|dropped)=(\\d+)");
  private static final Pattern READY = Pattern.compile(
      "consumer and exporters ready .* (\\d+) events published meanwhile into a ring of (\\d+) and held beyond it, "
      + "at most (\\d+) of (\\d+), (\\d+) dropped");

  private static Map<String, Long> counters(String stderr) {
    Map<String, Long> out = new HashMap<>();
    Matcher m = COUNTER.matcher(stderr.substring(stderr.lastIndexOf("shutdown:")));
    while (m.find()) {
      out.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return out;
  }

  @Test
  void shouldDropNothingWhenTheApplicationOutrunsTheRingBeforeTheConsumerIsBuilt() throws Exception {
    String classPath = TestPrograms.compile("startup-burst", ".", "StartupBurstProgram.java");
    Path dir = BuildPaths.IT_WORK.resolve("startup-burst");
    Path config = MemtraceYaml.write(dir, String.join("\n",
        "memory-managers:",
        "  - type: StartupBurstProgram$Memory",
        "    methods:",
        "      - { name: store, operation: store, key: arg0 }",
        ""));
    Path spansFile = ExportedSpans.freshFile(dir);

    ForkedJvm.Result result = ForkedJvm.program(classPath, "StartupBurstProgram", "4", "4000")
        .withAgent("config=" + config)
        .env("OTEL_TRACES_EXPORTER", "none")
        .env("OTEL_METRICS_EXPORTER", "none")
        .tracesTo(spansFile)
        .env("MEMTRACE_DEBUG", "true") // the start's own account of the ring
        .env("MEMTRACE_SHUTDOWN_TIMEOUT_MS", "60000") // a busy test machine: time to export every span at exit
        .run(dir);

    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).contains("memory-calls=16000");
    Map<String, Long> agent = counters(result.stderr);
    assertThat(agent).as("the shutdown line: %s", result.stderr).containsKeys("produced", "exported", "compressed", "dropped");
    assertThat(agent.get("dropped")).as("%s", result.stderr).isZero();
    assertThat(agent.get("produced")).as("one span a call").isEqualTo(16_000);
    assertThat(agent.get("produced")).isEqualTo(agent.get("exported") + agent.get("compressed") + agent.get("dropped"));
    ExportedSpans spans = ExportedSpans.read(spansFile);
    assertThat(spans.where(s -> s.name.equals("memory.store"))).as("every call, once").hasSize(16_000);
    assertThat(spans.spans.stream().map(s -> s.spanId).distinct().count()).isEqualTo(16_000);

    Matcher ready = READY.matcher(result.stderr);
    assertThat(ready.find()).as("the start's debug line: %s", result.stderr).isTrue();
    long published = Long.parseLong(ready.group(1));
    long ring = Long.parseLong(ready.group(2));
    long held = Long.parseLong(ready.group(3));
    assertThat(ring).isEqualTo(8192);
    assertThat(held).as("events held beyond the ring: the consumer's first seconds move every event").isPositive()
        .isLessThanOrEqualTo(Long.parseLong(ready.group(4)));
    assertThat(Long.parseLong(ready.group(4))).as("at most twice the ring").isEqualTo(2 * 8192);
    System.out.println("[StartupBurstIT] " + published + " events published before the consumer was built, at most "
        + held + " held beyond the ring of " + ring);
  }
}
