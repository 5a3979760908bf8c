package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo, unmodified, in a forked JVM under the agent jar built earlier in the reactor, with its
 * telemetry written to OTLP-JSON files instead of sent anywhere (embedded Redis, nothing to start).
 */
final class DemoRun {

  static final Path AGENT = jar("memtrace.agent.jar", "agent/target/memtrace-agent.jar");
  static final Path DEMO = jar("memtrace.demo.jar", "demo-app/target/memtrace-demo.jar");
  static final Path CONFIG = jar("memtrace.demo.config", "demo-app/memtrace.yaml");

  record Result(String stdout, String stderr, Path spans, Path metrics) {
  }

  private DemoRun() {
  }

  /**
   * Runs {@code java -javaagent:AGENT=config=CONFIG <launch...>} in {@code work}.
   *
   * @param launch what follows the agent option, e.g. {@code -jar memtrace-demo.jar}
   * @param env extra environment
   */
  static Result run(Path work, List<String> launch, Map<String, String> env) throws IOException, InterruptedException {
    assertThat(AGENT).as("the agent jar; build it first (mvn -B -q package -DskipTests)").isRegularFile();
    assertThat(DEMO).as("the demo jar; build it first (mvn -B -q package -DskipTests)").isRegularFile();
    Files.createDirectories(work);
    Path spans = work.resolve("spans.jsonl");
    Path metrics = work.resolve("metrics.jsonl");
    Files.deleteIfExists(spans);
    Files.deleteIfExists(metrics);
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-javaagent:" + AGENT + "=config=" + CONFIG);
    command.addAll(launch);
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MEMTRACE_") || k.startsWith("DEMO_")
        || k.equals("REDIS_URL") || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().put("OTEL_TRACES_EXPORTER", "none");
    pb.environment().put("OTEL_METRICS_EXPORTER", "none");
    pb.environment().put("MEMTRACE_TRACES_FILE", spans.toString());
    pb.environment().put("MEMTRACE_METRICS_FILE", metrics.toString());
    pb.environment().putAll(env);
    Path out = work.resolve("stdout.txt");
    Path err = work.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 2 minutes");
    }
    Result result = new Result(Files.readString(out), Files.readString(err), spans, metrics);
    assertThat(p.exitValue()).as("%s exit\n%s%s", command, result.stdout(), result.stderr()).isZero();
    assertThat(metrics).as("MEMTRACE_METRICS_FILE\n" + result.stderr()).isNotEmptyFile();
    return result;
  }

  private static Path jar(String property, String fallback) {
    return Paths.get(System.getProperty(property, Repo.path(fallback).toString())).toAbsolutePath().normalize();
  }
}
