package io.memtrace.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ForkedJvmTest {

  private static String classPath;

  @BeforeAll
  static void compile() throws Exception {
    classPath = TestPrograms.compile("echo", System.getProperty("java.class.path"), "EchoProgram.java");
  }

  @Test
  void shouldExportNothingAndKeepRetentionUnlessAsked() throws Exception {
    ForkedJvm.Result run = ForkedJvm.program(classPath, "EchoProgram", "3", "OTEL_TRACES_EXPORTER",
        "OTEL_METRICS_EXPORTER", "MEMTRACE_RETENTION_ENABLED", "OTEL_EXPORTER_OTLP_ENDPOINT")
        .run(BuildPaths.IT_WORK.resolve("defaults"));

    assertThat(run.exitCode).isEqualTo(3);
    assertThat(run.stdout).isEqualTo(lines("OTEL_TRACES_EXPORTER=none", "OTEL_METRICS_EXPORTER=none",
        "MEMTRACE_RETENTION_ENABLED=null", "OTEL_EXPORTER_OTLP_ENDPOINT=null"));
    assertThat(run.stderr).isEqualTo(lines("done"));
  }

  @Test
  void shouldLetTheLaterSettingOfAVariableWin() throws Exception {
    ForkedJvm.Result run = ForkedJvm.program(classPath, "EchoProgram", "0", "OTEL_TRACES_EXPORTER",
        "OTEL_METRICS_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL",
        "MEMTRACE_RETENTION_ENABLED")
        .everySpan()
        .exportTo("http://127.0.0.1:1")
        .env("OTEL_METRICS_EXPORTER", "none")
        .run(BuildPaths.IT_WORK.resolve("options"));

    assertThat(run.stdout).isEqualTo(lines("OTEL_TRACES_EXPORTER=otlp", "OTEL_METRICS_EXPORTER=none",
        "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
        "MEMTRACE_RETENTION_ENABLED=false"));
  }

  @Test
  void shouldPutTheOtherAgentsEitherSideOfMemtracesAndTheJvmArgumentsAfterThem() {
    Path otel = Paths.get("/x/otel.jar");
    Path other = Paths.get("/x/other.jar");

    assertThat(ForkedJvm.jar(Paths.get("/x/app.jar"), "--port=1").withAgent("config=/x/m.yaml")
        .javaagentAfter(otel).javaagentBefore(other).jvmArg("-Xmx64m").command())
        .containsExactly(BuildPaths.JAVA.toString(), "-javaagent:" + other,
            "-javaagent:" + BuildPaths.AGENT_JAR + "=config=/x/m.yaml", "-javaagent:" + otel,
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-jar", "/x/app.jar", "--port=1");
    assertThat(ForkedJvm.program("a.jar", "Main").fullJit().command())
        .containsExactly(BuildPaths.JAVA.toString(), "-cp", "a.jar", "Main");
  }

  @Test
  void shouldStartTheCheapestJvmUnlessTheTestAsksForTheFullCompiler() {
    assertThat(ForkedJvm.program("a.jar", "Main").jvmArg("-XX:+UseSerialGC").command())
        .as("a flag the test gives itself is not given twice")
        .containsExactly(BuildPaths.JAVA.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", "a.jar",
            "Main");
    assertThat(ForkedJvm.program("a.jar", "Main").fullJit().command()).noneMatch(a -> a.startsWith("-XX:"));
  }

  @Test
  void shouldFailAProgramThatStopsMakingProgressWithItsThreadsAndKillIt() {
    // it sleeps a minute; with the old two-minute wall-clock limit it ended normally, no hang reported
    ForkedJvm jvm = ForkedJvm.program(classPath, "EchoProgram", "0", "sleep").stallWindow(Duration.ofSeconds(3));

    assertThatThrownBy(() -> jvm.run(BuildPaths.IT_WORK.resolve("stalled")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("did not finish: it made no progress for 3.")
        .as("where it hung, from the JVM's own thread dump").hasMessageContaining("Full thread dump")
        .hasMessageContaining("at EchoProgram.main");
  }

  @Test
  void shouldCallAProgramHungThoughItsAgentsThreadsStillWork() {
    ForkedJvm jvm = ForkedJvm.program(classPath, "EchoProgram", "0", "ticking", "sleep")
        .stallWindow(Duration.ofSeconds(3));

    assertThatThrownBy(() -> jvm.run(BuildPaths.IT_WORK.resolve("ticking")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("did not finish: it made no progress for 3.")
        .hasMessageContaining("\"memtrace-ticking\"");
  }

  @Test
  void shouldLetABusyButSlowProgramRunPastItsTimeoutInWallTime() throws Exception {
    // a fifth of a core for 6 s: about 1.2 s of CPU plus the JVM's start, inside 3 s of CPU, outside 3 s of wall
    ForkedJvm.Result run = ForkedJvm.program(classPath, "EchoProgram", "0", "busy:6000")
        .timeout(Duration.ofSeconds(3)).stallWindow(Duration.ofSeconds(3)).run(BuildPaths.IT_WORK.resolve("slow"));

    assertThat(run.exitCode).isZero();
    assertThat(run.millis).as("ran past the timeout in wall time").isGreaterThan(3000);
  }

  @Test
  void shouldFailAProgramThatOutgrowsItsCpuBudget() {
    ForkedJvm jvm = ForkedJvm.program(classPath, "EchoProgram", "0", "spin").timeout(Duration.ofSeconds(2));

    assertThatThrownBy(() -> jvm.run(BuildPaths.IT_WORK.resolve("spinning")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("did not finish: it used more than its CPU budget of 2.0 s")
        .hasMessageContaining("at EchoProgram.main");
  }

  @Test
  void shouldStopARunningProgramBySigterm() throws Exception {
    try (ForkedJvm.Running running = ForkedJvm.program(classPath, "EchoProgram", "0", "sleep")
        .start(BuildPaths.IT_WORK.resolve("stop"))) {
      assertThat(running.process.isAlive()).isTrue();
      assertThat(running.result().exitCode).as("still running").isEqualTo(-1);

      ForkedJvm.Result stopped = running.stop();

      assertThat(running.process.isAlive()).isFalse();
      assertThat(stopped.exitCode).as("SIGTERM").isEqualTo(143);
    }
  }

  private static String lines(String... lines) {
    return String.join(System.lineSeparator(), lines) + System.lineSeparator();
  }
}
