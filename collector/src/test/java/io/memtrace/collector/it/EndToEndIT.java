package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedis;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The product path: an unmodified Jedis program under {@code -javaagent:memtrace-agent.jar}
 * exports OTLP over a real socket to {@code serve}; then {@code query}, {@code traces} and
 * {@code report} run against the live server, and once more after it stopped.
 */
class EndToEndIT {

  /** The agent module's Jedis test program, the same one its own ITs run. */
  static final Path PROGRAM = BuildPaths.repoPath("agent-it/src/test/resources/programs/JedisProgram.java");

  /**
   * {@code program} compiled into {@code dir/classes} against the one client the build copied to
   * {@code it-libs/client} ({@code jedis}, {@code lettuce}); the class path to run it with.
   */
  static String compile(Path dir, Path program, String client) throws IOException {
    return TestPrograms.compileInto(dir.resolve("classes"), "11", TestPrograms.libraryClassPath(client), program);
  }

  @Test
  void shouldShowAnAgentsSpansInQueryTracesAndReport() throws Exception {
    assertThat(BuildPaths.AGENT_JAR).as("the agent jar; build it first with mvn -B -q package -DskipTests -pl agent -am")
        .exists();
    Path dir = BuildPaths.IT_WORK.resolve("e2e-" + System.nanoTime());
    Path data = dir.resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      ForkedJvm.Result app = ForkedJvm.program(compile(dir, PROGRAM, "jedis"), "JedisProgram", redis.host,
              String.valueOf(redis.port))
          .withAgent().everySpan()
          .exportTo(serve.url().toString())
          .env("OTEL_SERVICE_NAME", "e2e-app")
          .env("OTEL_METRIC_EXPORT_INTERVAL", "500")
          // the exit's last metrics export, which the report's counters come from, is not cut off by the default
          // 5 s budget on a loaded machine (a fresh-clone run at load 8 got no metrics; the agent now says so)
          .env("MEMTRACE_SHUTDOWN_TIMEOUT_MS", "120000")
          .run(dir.resolve("app"));
      assertThat(app.exitCode).as("%s", app).isZero();

      ForkedJvm.Result names = CollectorProcess.run("query", "--data", data.toString(), "--format", "csv",
          "SELECT name, count(*) AS n FROM spans WHERE service_name = 'e2e-app' GROUP BY name ORDER BY name");
      assertThat(names.stdout).as("%s", names).contains("\nGET,", "\nSET,", "\nSETEX,1\n", "\nLPUSH,1\n", "\nPIPELINE,1\n");

      ForkedJvm.Result gets = CollectorProcess.run("query", "--data", data.toString(), "--format", "json",
          "SELECT attributes['memory.key'] AS key, attributes['memory.found'] AS found, "
              + "attributes['memory.value_size'] AS size FROM spans WHERE name = 'GET' AND attributes['memory.key'] LIKE 'user:%' "
              + "ORDER BY key");
      assertThat(gets.stdout).as("%s", gets)
          .contains("\"key\" : \"user:42:name\",\n  \"found\" : true,\n  \"size\" : 12")
          .contains("\"key\" : \"user:43:name\",\n  \"found\" : false");

      ForkedJvm.Result traces = CollectorProcess.run("traces", "--data", data.toString(), "--last", "50",
          "--service", "e2e-app");
      assertThat(traces.stdout).as("%s", traces)
          .contains("GET [user:43:name]").contains("└─ namespace: user:43, found: false")
          .contains("SETEX [session:token:abc]").contains("size: 18 bytes")
          .contains("LPUSH [user:42:name] ✗").contains("ERROR WRONGTYPE")
          .doesNotContain("\u001b[");

      ForkedJvm.Result report = CollectorProcess.run("report", "--data", data.toString(), "--format", "md");
      assertThat(report.stdout).as("%s", report)
          .contains("| user:42:name | user:42 |")
          .contains("## Keys written and never read").contains("session:token:abc")
          .contains("## Keys stored with no TTL").contains("| profile:42 | profile |");
      assertThat(report.stdout).as("the app's metrics; its log: %s", app.stderr).contains("| memtrace.events.dropped | 0 |");

      assertThat(serve.stop()).isEqualTo(143);
      ForkedJvm.Result stopped = CollectorProcess.run("query", "--data", data.toString(), "--format", "csv",
          "SELECT count(*) FILTER (WHERE name = 'SETEX') AS setex FROM spans");
      assertThat(stopped.stdout).as("%s", stopped).isEqualTo("setex\n1\n");
    }
  }
}
