package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's mixed fleet, as {@code demo.sh} runs it: the Java fleet under memtrace's agent, then the Node dashboard
 * ({@code demo-app/node}: ioredis under the standard OpenTelemetry instrumentation, packages from npm as its lock
 * file pins them), both on one real Redis and exporting to one real {@code serve}. The dashboard's reads are keyed
 * from their statements, and lineage finds the Java writes they saw: a value written by one language and read by
 * another.
 */
class MixedFleetIT {

  private static final Path NODE_SERVICE = Paths.get("../demo-app/node");

  @Test
  void shouldShowTheNodeServiceReadingWhatTheJavaFleetWrote() throws Exception {
    Path work = ClientWorkloads.prepare(NODE_SERVICE, "mixed-fleet", "npm", "package.json", "package-lock.json",
        "dashboard.cjs");
    ClientWorkloads.run(work, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
    Path data = work.resolve("data-" + System.nanoTime());
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      ForkedJvm.Result fleet = ForkedJvm.jar(BuildPaths.DEMO_JAR).withAgent("config=" + BuildPaths.DEMO_CONFIG)
          .exportTo(serve.url().toString())
          .env("OTEL_METRICS_EXPORTER", "none")
          .env("OTEL_SERVICE_NAME", "aqe-fleet")
          .env("REDIS_URL", redis.url(0))
          .run(work.resolve("fleet"));
      assertThat(fleet.exitCode).as("%s", fleet).isZero();

      assertThat(ClientWorkloads.run(work, List.of("node", "dashboard.cjs", redis.url(0),
          "http://127.0.0.1:" + serve.port + "/v1/traces"), 120)).contains("aqe-dashboard: coverage report ")
          .doesNotContain("missing");

      serve.awaitLoaded();
      ForkedJvm.Result traces = CollectorProcess.command("traces", "--data", data.toString(), "--service",
          "aqe-dashboard", "--last", "1", "--width", "160");
      assertThat(traces.stdout).as("%s", traces)
          .containsPattern("get \\[aqe/reports:coverage-report-user-service\\][^\\n]*\\n[^\\n]*\\n[^\\n]*└─ written "
              + "[0-9.]+ (ms|s) earlier by aqe\\.task\\.analyze in aqe-fleet, trace [0-9a-f]{8}…")
          .containsPattern("get \\[cache:jwt-libraries\\][^\\n]*\\n[^\\n]*\\n[^\\n]*└─ written [0-9.]+ (ms|s) earlier "
              + "by aqe\\.workflow in aqe-fleet")
          .as("HGET, whose key ioredis's instrumentation never writes").contains("hget (key unknown)")
          .contains("Data Transferred: unknown (all 4 Redis commands");

      // the same in the SQL view the web view and the report read: the Node reads' writers are Java spans
      JsonNode seen = ClientWorkloads.query(data, "SELECT read_service, key, write_service, write_access FROM lineage "
          + "WHERE read_service = 'aqe-dashboard' AND writer = 'seen' ORDER BY key");
      assertThat(seen.findValuesAsText("key")).as("%s", seen).containsExactly("aqe/reports:coverage-report-user-service",
          "cache:jwt-libraries");
      assertThat(seen.findValuesAsText("write_service")).containsOnly("aqe-fleet");
      JsonNode report = ClientWorkloads.redisReport(serve).path("hot_keys").path("key_sources");
      assertThat(report.path("statement").asLong()).as("the dashboard's keyed commands: %s", report).isEqualTo(3);
      assertThat(report.path("hidden").asLong()).as("its HGET").isEqualTo(1);
      assertThat(report.path("agent").asLong()).as("the fleet's").isPositive();
    }
  }
}
