package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MemtraceYaml;
import io.memtrace.testsupport.Ports;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whatever goes wrong inside memtrace, the application behaves as if memtrace were not there. */
class SafetyIT extends TestRedisPerClass {

  private static String classPath;
  private static ForkedJvm.Result baseline;

  @BeforeAll
  static void setUp() throws Exception {
    classPath = JedisSpansIT.programClassPath("5.2.0");
    baseline = program().run(BuildPaths.IT_WORK.resolve("safety-baseline"));
    assertThat(baseline.exitCode).as("%s", baseline).isZero();
  }

  private static ForkedJvm program() {
    return ForkedJvm.program(classPath, "JedisProgram", redis.host, String.valueOf(redis.port));
  }

  /**
   * The program with the agent as {@code agent} sets it up, exporting every span to a file, run in {@code dir}: it
   * ran as it does without the agent, and no span was exported.
   */
  private static ForkedJvm.Result runUnchangedAndUntraced(Path dir, UnaryOperator<ForkedJvm> agent) throws Exception {
    Path spans = dir.resolve("spans.jsonl");
    Files.deleteIfExists(spans);
    ForkedJvm.Result result = agent.apply(program()).everySpan().tracesTo(spans)
        .run(dir);

    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).isEqualTo(baseline.stdout);
    assertThat(ExportedSpans.read(spans).spans).isEmpty();
    return result;
  }

  @Test
  void shouldContainAFailureInjectedIntoMemtracesOwnCode() throws Exception {
    ForkedJvm.Result result = runUnchangedAndUntraced(BuildPaths.IT_WORK.resolve("safety-injected"),
        program -> program.withAgent().jvmArg("-Dmemtrace.test.inject-failure=true"));

    assertThat(result.stderr).contains("instrumentation failed on an application thread and was contained")
        .containsPattern("internal errors: [1-9]");
  }

  @Test
  void shouldReportAnUnknownKeyWithItsLineAndLeaveTheAppRunning() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("safety-bad-config");
    Path config = MemtraceYaml.write(dir, "span-prefix: aqe\nring:\n  sise: 1024\n");
    ForkedJvm.Result result = runUnchangedAndUntraced(dir, program -> program.withAgent("config=" + config));

    assertThat(result.stderr).contains(config + " line 3: 'ring.sise' is not a memtrace setting")
        .contains("memtrace is OFF");
  }

  @Test
  void shouldSwitchOffOnlyRedisTracingWhenItsSectionIsWrong() throws Exception {
    ForkedJvm.Result result = runUnchangedAndUntraced(BuildPaths.IT_WORK.resolve("safety-bad-redis"),
        program -> program.withAgent().env("MEMTRACE_REDIS_NAMESPACE_FROM_KEY", "^([a-z"));

    assertThat(result.stderr).contains("environment variable MEMTRACE_REDIS_NAMESPACE_FROM_KEY: 'redis.namespace-from-key' is not a valid regular expression")
        .contains("Redis tracing is OFF");
  }

  @Test
  void shouldCountExportFailuresWhenTheEndpointCannotBeReached() throws Exception {
    ForkedJvm.Result result;
    try (Ports.Refusing closed = Ports.refusing()) {
      result = program().withAgent().everySpan()
          .env("OTEL_TRACES_EXPORTER", "otlp")
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closed.port())
          .env("MEMTRACE_SHUTDOWN_TIMEOUT_MS", "1500")
          .run(BuildPaths.IT_WORK.resolve("safety-unreachable"));
    }

    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).isEqualTo(baseline.stdout);
    assertThat(result.stderr).containsPattern("memtrace.export.failures=[1-9]")
        .contains("memtrace.events.exported=0");
  }

  @Test
  void shouldPassTheAppsOwnExceptionUnchangedWhenRedisIsGone() throws Exception {
    ForkedJvm.Result without;
    ForkedJvm.Result with;
    try (Ports.Refusing closed = Ports.refusing()) {
      String port = String.valueOf(closed.port());
      without = ForkedJvm.program(classPath, "JedisProgram", "127.0.0.1", port)
          .run(BuildPaths.IT_WORK.resolve("safety-gone-plain"));
      with = ForkedJvm.program(classPath, "JedisProgram", "127.0.0.1", port).withAgent().everySpan()
          .run(BuildPaths.IT_WORK.resolve("safety-gone-traced"));
    }

    assertThat(without.exitCode).isNotZero();
    assertThat(with.exitCode).isEqualTo(without.exitCode);
    assertThat(firstLine(with.stderr, "Exception")).isEqualTo(firstLine(without.stderr, "Exception"))
        .contains("JedisConnectionException");
  }

  @Test
  void shouldExitWithinTheShutdownTimeAndCountWhatIsLeftWhenAGetterBlocksTheConsumer() throws Exception {
    String blocking = TestPrograms.compile("blocking-getter", ".", "BlockingGetterProgram.java");
    Path dir = BuildPaths.IT_WORK.resolve("safety-blocking-getter");
    Path config = MemtraceYaml.write(dir,
        "memory-managers:",
        "  - type: BlockingGetterProgram$Memory",
        "    methods:",
        "      - { name: store, operation: store, key: arg0.key }",
        "");
    ForkedJvm.Result result = ForkedJvm.program(blocking, "BlockingGetterProgram")
        .withAgent("config=" + config).everySpan()
        .env("MEMTRACE_SHUTDOWN_TIMEOUT_MS", "1000")
        .run(dir);

    // the getter blocks for good, so the JVM exits only if the shutdown hook gives up on the stuck consumer, and
    // says so; ForkedJvm's own limit (2 minutes) would fail a JVM that never exits (a 30 s bound on the time taken
    // broke under load)
    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).isEqualTo("stored 3\n");
    assertThat(result.stderr).contains("consumer did not finish within the shutdown time")
        .containsPattern("memtrace.events.dropped=[1-9]");
  }

  private static String firstLine(String text, String containing) {
    return text.lines().filter(l -> l.contains(containing)).findFirst().orElse("");
  }
}
