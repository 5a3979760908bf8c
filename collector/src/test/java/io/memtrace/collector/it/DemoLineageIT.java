package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo under the real agent, its spans loaded by the real collector jar ({@code import}), and the
 * lineage lines {@code traces} prints under each read of its last three traces (the planner's the newest), as the
 * README shows them: the seed-000 workflow's
 * plan read back after generate wrote it, a miss no write explains, a WRONGTYPE that a list written by
 * another trace explains, and the layered session's reads of what it wrote.
 */
class DemoLineageIT {

  private static final Path WORK = BuildPaths.IT_WORK.resolve("lineage");

  private static String traces;
  private static String exported;

  @BeforeAll
  static void runTheDemoAndLoadItsSpans() throws Exception {
    assertThat(CollectorProcess.JAR).as("the collector jar, packaged before the integration tests").isRegularFile();
    Files.createDirectories(WORK);
    Path spans = WORK.resolve("spans.jsonl");
    Files.deleteIfExists(spans);
    Path data = WORK.resolve("data-" + System.nanoTime());
    succeeded(ForkedJvm.jar(BuildPaths.DEMO_JAR).withAgent("config=" + BuildPaths.DEMO_CONFIG)
        .tracesTo(spans).run(WORK.resolve("demo")));
    exported = Files.readString(spans);
    succeeded(CollectorProcess.command("import", spans.toString(), "--data", data.toString()));
    traces = succeeded(CollectorProcess.command("traces", "--data", data.toString(), "--last", "3", "--width", "160")).stdout;
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
        // the demo's set-up DEL found none of its keys in this Redis (reply 0): it removed nothing, so nothing ever held
        // the key, and the read says so rather than naming that DEL
        + "[^\\n]*└─ found nothing: never written \\(in the store's retention\\)");
    // the demo's own set-up stored run-history as a list, in a trace of its own: why the audit's GET failed
    assertThat(traces).containsPattern("GET \\[aqe/test-plans:run-history\\] ✗[^│]*│\\n(?:[^\\n]*\\n){1,2}"
        + "[^\\n]*└─ written [0-9.]+ (ms|s) earlier by RPUSH, trace [0-9a-f]{8}…");
  }

  @Test
  void shouldShowTheLayeredSessionReadingWhatItWrote() {
    assertThat(traces).containsPattern("HGET \\[deep:memory:1\\][^\\n]*\\n[^\\n]*\\n"
        + "[^\\n]*└─ written [0-9.]+ ms earlier by aqe\\.workflow, this trace");
    assertThat(traces).containsPattern("GET \\[cache:oauth-providers\\][^\\n]*\\n[^\\n]*found: false[^\\n]*\\n"
        + "[^\\n]*└─ found nothing: never written \\(in the store's retention\\)");
  }

  /**
   * The demo runs with memtrace's defaults: retention compresses most of its Redis commands, the recheck's GET and the
   * login-state cache's reads among them, and they go out only as key events (lines in a {@code memtrace.key_events}
   * span); the collector stores them as the commands' spans, so their reads show, with their lineage, under the memory
   * calls that made them. Retention keeps some commands whole (the first of each command and namespace in an interval, a
   * slow one), so in some runs the recheck's GET is kept as its span instead (seen once, 2026-11-30): then it is in no
   * key event. Either way it goes out once.
   */
  @Test
  void shouldShowTheCompressedCommandsFromTheirKeyEvents() {
    assertThat(exported).contains("\"memtrace.key_events\"").containsPattern("GET [0-9,]+ [0-9]+:aqe/");
    boolean kept = exported.contains("\"db.query.text\",\"value\":{\"stringValue\":\"GET aqe/test-plans:test-plan-invalid");
    boolean asKeyEvent = Pattern.compile("GET [0-9,]+ 32:aqe/test-plans:test-plan-invalid\\\\n")
        .matcher(exported).find();
    assertThat(asKeyEvent).as("the recheck's GET went out once: as a key event, or kept as its span (%s)", kept)
        .isNotEqualTo(kept);
    assertThat(traces).containsPattern("GET \\[aqe/test-plans:test-plan-invalid\\][^\\n]*\\n[^\\n]*found: false[^\\n]*\\n"
        + "[^\\n]*└─ found nothing: never written \\(in the store's retention\\)");
  }

  private static ForkedJvm.Result succeeded(ForkedJvm.Result run) {
    assertThat(run.exitCode).as("%s", run).isZero();
    return run;
  }
}
