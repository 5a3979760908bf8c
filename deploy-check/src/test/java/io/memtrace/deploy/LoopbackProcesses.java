package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes a deployment test starts on loopback, each logging to {@code work/NAME.log}, with none of this JVM's
 * OpenTelemetry, memtrace or collector variables, and stopped by their own handles, last started first.
 */
final class LoopbackProcesses {

  private final Path work;
  private final List<Process> started = new ArrayList<>();

  LoopbackProcesses(Path work) {
    this.work = work;
  }

  Process start(String name, List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve(name + ".log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MEMTRACE_") || k.startsWith("JAEGER_")
        || k.startsWith("OTELCOL_") || k.equals("FLEET_QUEUE_DIR") || k.equals("REDIS_URL")
        || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().putAll(env);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /**
   * The demo, unmodified, under the agent jar, exporting as compose's demo services do: traces (and metrics every
   * second when {@code metrics}) over OTLP/HTTP protobuf to {@code otlpHttp} (host:port); waits for it to finish
   * and returns its log.
   */
  String demo(String otlpHttp, String resourceAttributes, int redisPort, boolean metrics) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OTEL_SERVICE_NAME", "aqe-fleet");
    env.put("OTEL_RESOURCE_ATTRIBUTES", resourceAttributes);
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://" + otlpHttp);
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    env.put("OTEL_TRACES_EXPORTER", "otlp");
    env.put("OTEL_METRICS_EXPORTER", metrics ? "otlp" : "none");
    env.put("OTEL_METRIC_EXPORT_INTERVAL", "1000");
    env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
    Process demo = start("demo", List.of(BuildPaths.JAVA.toString(), "-javaagent:" + BuildPaths.AGENT_JAR + "=config="
        + BuildPaths.DEMO_CONFIG, "-jar", BuildPaths.DEMO_JAR.toString()), env);
    assertThat(demo.waitFor(2, TimeUnit.MINUTES)).as("the demo finished").isTrue();
    assertThat(demo.exitValue()).as("the demo's exit; its log is %s", work.resolve("demo.log")).isZero();
    return Files.readString(work.resolve("demo.log"));
  }

  void stopAll() throws InterruptedException {
    for (int i = started.size() - 1; i >= 0; i--) {
      Process p = started.get(i);
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    started.clear();
  }
}
