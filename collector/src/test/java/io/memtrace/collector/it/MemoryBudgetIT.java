package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.BuildPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** serve applies its memory budget: DuckDB's memory_limit (on one thread), and the heap of the JVM it runs in. */
class MemoryBudgetIT {

  private static final String SETTINGS = "SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t";

  @Test
  void shouldBoundDuckDbAndTheHeapByDefault() throws Exception {
    long host = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getTotalMemorySize();
    long budget = Math.min(1L << 30, Math.max(256L << 20, host / 4));
    try (CollectorProcess serve = CollectorProcess.launched(launch -> { }, dir("default"))) {
      assertSettings(serve, budget);
    }
  }

  @Test
  void shouldTakeTheBudgetFromTheMemoryOption() throws Exception {
    try (CollectorProcess serve = CollectorProcess.serve(dir("option"), "--memory", "512MiB")) {
      assertSettings(serve, 512L << 20);
    }
  }

  @Test
  void shouldKeepTheHeapItWasGivenAndStillBoundDuckDb() throws Exception {
    try (CollectorProcess serve = CollectorProcess.serve(List.of("-Xmx200m"), dir("xmx"), "--memory", "512MiB")) {
      assertThat(serve.childCommands()).as("no relaunch").isEmpty();
      assertThat(settings(serve).get(0).asText()).isEqualTo("204.0 MiB");
    }
  }

  /** Relaunched with a bounded heap, the child shares out the budget less the launcher's 64 MiB. */
  private static void assertSettings(CollectorProcess serve, long budget) throws Exception {
    long shared = Math.max(256L << 20, budget - (64L << 20));
    JsonNode row = settings(serve);
    assertThat(row.get(0).asText()).isEqualTo((shared / 5 * 2 >> 20) + ".0 MiB");
    assertThat(row.get(1).asLong()).as("serve's DuckDB stores on one thread, whatever the budget").isEqualTo(1);
    assertThat(serve.childCommands()).as("serve relaunched with a bounded heap")
        .anySatisfy(cmd -> assertThat(cmd).contains("-Xmx" + (shared / 10 * 3 >> 20) + "m").contains(" serve "));
  }

  private static JsonNode settings(CollectorProcess serve) throws Exception {
    var response = CorpusIT.query(serve, SETTINGS);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body()).at("/rows/0");
  }

  private static Path dir(String name) throws Exception {
    return Files.createDirectories(BuildPaths.IT_WORK.resolve("memory-" + name + "-" + System.nanoTime()))
        .resolve("data");
  }
}
