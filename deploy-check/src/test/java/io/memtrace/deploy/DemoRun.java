package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo, unmodified, in a forked JVM under the agent jar built earlier in the reactor with the demo's
 * memtrace.yaml, with its telemetry written to OTLP-JSON files instead of sent anywhere (embedded Redis,
 * nothing to start).
 */
final class DemoRun {

  record Result(String stdout, String stderr, Path spans, Path metrics) {
  }

  private DemoRun() {
  }

  /**
   * Runs {@code demo} (the demo jar, or a main class beside it) under the agent in {@code work}, to a zero exit
   * and a metrics file.
   */
  static Result run(Path work, ForkedJvm demo) throws IOException, InterruptedException {
    assertThat(BuildPaths.AGENT_JAR).as("the agent jar; build it first (mvn -B -q package -DskipTests)").isRegularFile();
    assertThat(BuildPaths.DEMO_JAR).as("the demo jar; build it first (mvn -B -q package -DskipTests)").isRegularFile();
    Files.createDirectories(work);
    Path spans = work.resolve("spans.jsonl");
    Path metrics = work.resolve("metrics.jsonl");
    Files.deleteIfExists(spans);
    Files.deleteIfExists(metrics);
    ForkedJvm.Result run = demo.withAgent("config=" + BuildPaths.DEMO_CONFIG)
        .tracesTo(spans)
        .env("MEMTRACE_METRICS_FILE", metrics.toString())
        .run(work);
    assertThat(run.exitCode).as("%s", run).isZero();
    assertThat(metrics).as("MEMTRACE_METRICS_FILE\n" + run.stderr).isNotEmptyFile();
    return new Result(run.stdout, run.stderr, spans, metrics);
  }
}
