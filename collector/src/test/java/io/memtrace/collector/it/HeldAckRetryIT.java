package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real agent in a forked app exports to the real {@code serve} through a proxy that holds the
 * collector's first answers past the agent's export timeout: the agent sends batches again that
 * the collector had committed. Each span is stored once, and the agent's accounting stays exact.
 */
class HeldAckRetryIT {

  private static final Path PROGRAM = Paths.get("src/test/resources/programs/RetryProgram.java").toAbsolutePath();
  private static final int PAIRS = 1500;
  private static final Pattern COUNTER = Pattern.compile("memtrace\\.events\\.(\\w+)=(\\d+)");

  @Test
  void shouldStoreEverySpanOnceWhenTheAgentRetriesBatchesTheCollectorHadCommitted() throws Exception {
    assertThat(BuildPaths.AGENT_JAR).as("the agent jar").exists();
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("retry-" + System.nanoTime()));
    Path data = dir.resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data);
         HoldingProxy proxy = new HoldingProxy(serve.port, 2, 1500)) {
      ForkedJvm.Result app = ForkedJvm.program(EndToEndIT.compile(dir, PROGRAM, "jedis"), "RetryProgram", redis.host,
              String.valueOf(redis.port), String.valueOf(PAIRS))
          .withAgent().everySpan()
          .exportTo(proxy.url())
          .env("OTEL_METRICS_EXPORTER", "none")
          .env("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "500")
          .env("OTEL_BSP_SCHEDULE_DELAY", "100")
          .env("OTEL_SERVICE_NAME", "retry-app")
          .timeout(Duration.ofMinutes(3))
          .run(dir.resolve("app"));
      String appErr = app.stderr;
      assertThat(app.exitCode).as("%s", app).isZero();
      assertThat(proxy.held).as("answers held past the timeout").isNotEmpty().allMatch(s -> s.startsWith("HTTP/1.1 200"));

      JsonNode status = new ObjectMapper().readTree(serve.get("/api/status").body());
      assertThat(status.get("duplicates_skipped").asLong()).as("%s", status).isPositive();
      assertThat(status.get("ack_latency_ms").get("answers").asLong()).isPositive();

      Map<String, Long> agent = counters(appErr);
      long commands = Long.parseLong(app.stdout.replaceAll("(?s).*commands=(\\d+).*", "$1"));
      assertThat(commands).isEqualTo(2L * PAIRS);
      long produced = agent.getOrDefault("produced", commands);
      assertThat(produced).as("%s", agent).isGreaterThanOrEqualTo(commands);
      assertThat(agent.get("exported") + agent.get("dropped") + agent.getOrDefault("compressed", 0L))
          .as("%s", agent).isEqualTo(produced);
      assertThat(agent.get("dropped")).as("%s", agent).isZero();

      assertThat(serve.stop()).isEqualTo(143);
      assertThat(serve.stderr()).containsPattern("[1-9]\\d* duplicate spans skipped, /v1/traces answered in p50 ");
      ForkedJvm.Result stored = CollectorProcess.command("query", "--data", data.toString(), "--format", "csv",
          "SELECT count(*) AS n, count(DISTINCT (trace_id, span_id)) AS d FROM spans WHERE service_name = 'retry-app'");
      assertThat(stored.stdout).as("%s", stored).isEqualTo("n,d\n" + produced + "," + produced + "\n");
    }
  }

  private static Map<String, Long> counters(String stderr) {
    Map<String, Long> counters = new HashMap<>();
    Matcher m = COUNTER.matcher(stderr);
    while (m.find()) {
      counters.put(m.group(1), Long.parseLong(m.group(2)));
    }
    assertThat(counters).as("the agent's shutdown line in %s", stderr).containsKeys("exported", "dropped");
    return counters;
  }
}
