package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The product path: an unmodified Jedis program under {@code -javaagent:memtrace-agent.jar}
 * exports OTLP over a real socket to {@code serve}; then {@code query}, {@code traces} and
 * {@code report} run against the live server, and once more after it stopped.
 */
class EndToEndIT {

  static final Path AGENT_JAR = Paths.get(System.getProperty("memtrace.agent.jar", "../agent/target/memtrace-agent.jar"))
      .toAbsolutePath().normalize();
  /** The agent module's Jedis test program, the same one its own ITs run. */
  static final Path PROGRAM = Paths.get("../agent/src/test/resources/programs/JedisProgram.java").toAbsolutePath().normalize();
  static final Path LIBS = Paths.get(System.getProperty("memtrace.it.libs", "target/it-libs")).toAbsolutePath();

  @Test
  void shouldShowAnAgentsSpansInQueryTracesAndReport() throws Exception {
    assertThat(AGENT_JAR).as("the agent jar; build it first with mvn -B -q package -DskipTests -pl agent -am").exists();
    Path dir = CollectorProcess.WORK.resolve("e2e-" + System.nanoTime());
    Path data = dir.resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      String classPath = JedisPrograms.compile(dir, PROGRAM);
      List<String> cmd = List.of(CollectorProcess.JAVA, "-javaagent:" + AGENT_JAR, "-cp", classPath, "JedisProgram",
          redis.host, String.valueOf(redis.port));
      ProcessBuilder app = new ProcessBuilder(cmd).redirectOutput(dir.resolve("app.out").toFile())
          .redirectError(dir.resolve("app.err").toFile());
      app.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("MEMTRACE_"));
      app.environment().put("MEMTRACE_RETENTION_ENABLED", "false"); // every span, to count them
      app.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", serve.url().toString());
      app.environment().put("OTEL_SERVICE_NAME", "e2e-app");
      app.environment().put("OTEL_METRIC_EXPORT_INTERVAL", "500");
      Process process = app.start();
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(dir.resolve("app.err"))).isZero();

      CollectorProcess.Result names = CollectorProcess.run("query", "--data", data.toString(), "--format", "csv",
          "SELECT name, count(*) AS n FROM spans WHERE service_name = 'e2e-app' GROUP BY name ORDER BY name");
      assertThat(names.stdout()).as("%s", names).contains("\nGET,", "\nSET,", "\nSETEX,1\n", "\nLPUSH,1\n", "\nPIPELINE,1\n");

      CollectorProcess.Result gets = CollectorProcess.run("query", "--data", data.toString(), "--format", "json",
          "SELECT attributes['memory.key'] AS key, attributes['memory.found'] AS found, "
              + "attributes['memory.value_size'] AS size FROM spans WHERE name = 'GET' AND attributes['memory.key'] LIKE 'user:%' "
              + "ORDER BY key");
      assertThat(gets.stdout()).as("%s", gets)
          .contains("\"key\" : \"user:42:name\",\n  \"found\" : true,\n  \"size\" : 12")
          .contains("\"key\" : \"user:43:name\",\n  \"found\" : false");

      CollectorProcess.Result traces = CollectorProcess.run("traces", "--data", data.toString(), "--last", "50",
          "--service", "e2e-app");
      assertThat(traces.stdout()).as("%s", traces)
          .contains("GET [user:43:name]").contains("└─ namespace: user:43, found: false")
          .contains("SETEX [session:token:abc]").contains("size: 18 bytes")
          .contains("LPUSH [user:42:name] ✗").contains("ERROR WRONGTYPE")
          .doesNotContain("\u001b[");

      CollectorProcess.Result report = CollectorProcess.run("report", "--data", data.toString(), "--format", "md");
      assertThat(report.stdout()).as("%s", report)
          .contains("| user:42:name | user:42 |")
          .contains("## Keys written and never read").contains("session:token:abc")
          .contains("## Keys stored with no TTL").contains("| profile:42 | profile |");
      assertThat(report.stdout()).contains("| memtrace.events.dropped | 0 |");

      assertThat(serve.stop()).isEqualTo(143);
      CollectorProcess.Result stopped = CollectorProcess.run("query", "--data", data.toString(), "--format", "csv",
          "SELECT count(*) FILTER (WHERE name = 'SETEX') AS setex FROM spans");
      assertThat(stopped.stdout()).as("%s", stopped).isEqualTo("setex\n1\n");
    }
  }
}
