package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo under the real agent, its spans loaded by the real collector jar ({@code import}), and the
 * lineage lines {@code traces} prints under each read, as the README shows them: the seed-000 workflow's
 * plan read back after generate wrote it, a miss no write explains, a WRONGTYPE that a list written by
 * another trace explains, and the layered session's reads of what it wrote.
 */
class DemoLineageIT {

  private static final Path AGENT = Paths.get(System.getProperty("memtrace.agent.jar", "../agent/target/memtrace-agent.jar")).toAbsolutePath();
  private static final Path COLLECTOR = Paths.get(System.getProperty("memtrace.collector.jar",
      "../collector/target/memtrace-collector.jar")).toAbsolutePath();
  private static final Path DEMO = Paths.get("../demo-app/target/memtrace-demo.jar").toAbsolutePath();
  private static final Path WORK = Paths.get("target/it-work/lineage").toAbsolutePath();
  private static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

  private static String traces;

  @BeforeAll
  static void runTheDemoAndLoadItsSpans() throws Exception {
    assertThat(COLLECTOR).as("the collector jar, packaged before the integration tests").isRegularFile();
    Files.createDirectories(WORK);
    Path spans = WORK.resolve("spans.jsonl");
    Files.deleteIfExists(spans);
    Path data = WORK.resolve("data-" + System.nanoTime());
    ProcessBuilder demo = new ProcessBuilder(JAVA, "-javaagent:" + AGENT + "=config=" + Paths.get("../demo-app/memtrace.yaml").toAbsolutePath(),
        "-jar", DEMO.toString());
    demo.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MEMTRACE_") || k.equals("REDIS_URL"));
    demo.environment().put("OTEL_TRACES_EXPORTER", "none");
    demo.environment().put("OTEL_METRICS_EXPORTER", "none");
    demo.environment().put("MEMTRACE_TRACES_FILE", spans.toString());
    run(demo, "demo");
    run(new ProcessBuilder(JAVA, "-jar", COLLECTOR.toString(), "import", spans.toString(), "--data", data.toString()), "import");
    traces = run(new ProcessBuilder(JAVA, "-jar", COLLECTOR.toString(), "traces", "--data", data.toString(), "--last", "2",
        "--width", "160"), "traces");
  }

  @Test
  void shouldShowThatExecuteReadThePlanGenerateWrote() {
    assertThat(traces).containsPattern("aqe\\.memory\\.retrieve \\[test-plan-user-service\\][^\\n]*\\n[^\\n]*found: true[^\\n]*\\n"
        + "[^\\n]*└─ written [0-9.]+ ms earlier by aqe\\.task\\.generate, this trace");
    assertThat(traces).containsPattern("GET \\[aqe/test-plans:test-plan-user-service\\][^\\n]*\\n[^\\n]*\\n"
        + "[^\\n]*└─ written [0-9.]+ ms earlier by aqe\\.task\\.generate, this trace");
  }

  @Test
  void shouldExplainTheMissAndTheWrongType() {
    assertThat(traces).containsPattern("aqe\\.memory\\.retrieve \\[test-plan-invalid\\][^\\n]*\\n[^\\n]*found: false[^\\n]*\\n"
        + "[^\\n]*└─ writer not in the store");
    // the demo's own set-up stored run-history as a list, in a trace of its own: why the audit's GET failed
    assertThat(traces).containsPattern("GET \\[aqe/test-plans:run-history\\] ✗[^│]*│\\n(?:[^\\n]*\\n){1,2}"
        + "[^\\n]*└─ written [0-9.]+ (ms|s) earlier by RPUSH, trace [0-9a-f]{8}…");
  }

  @Test
  void shouldShowTheLayeredSessionReadingWhatItWrote() {
    assertThat(traces).containsPattern("HGET \\[deep:memory:1\\][^\\n]*\\n[^\\n]*\\n"
        + "[^\\n]*└─ written [0-9.]+ ms earlier by aqe\\.workflow, this trace");
    assertThat(traces).containsPattern("GET \\[cache:oauth-providers\\][^\\n]*\\n[^\\n]*found: false[^\\n]*\\n"
        + "[^\\n]*└─ writer not in the store");
  }

  private static String run(ProcessBuilder process, String name) throws Exception {
    Path out = WORK.resolve(name + ".out");
    Path err = WORK.resolve(name + ".err");
    Process p = process.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(name + " finished").isTrue();
    assertThat(p.exitValue()).as(name + ": " + Files.readString(err)).isZero();
    return Files.readString(out);
  }
}
