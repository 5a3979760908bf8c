package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Python service as teams run it: redis-py from PyPI under {@code opentelemetry-instrumentation-redis} and the
 * OpenTelemetry SDK (OTLP/HTTP protobuf), against a real {@code redis-server}, exporting to a real {@code serve}
 * ({@code src/test/clients/python}). That instrumentation hides every argument ({@code SET ? ? ? ?}), so the collector
 * can name none of the keys: every keyed command is counted as one whose key the statement hid, said so on the span
 * and in the report, and none is given a key.
 */
class PythonClientsIT {

  private static Path work;

  @BeforeAll
  static void installTheClient() throws Exception {
    work = ClientWorkloads.prepare("python", "python3", "requirements.txt", "workload.py");
    ClientWorkloads.run(work, List.of("python3", "-m", "venv", "venv"), 120);
    // from PyPI, at the versions requirements.txt pins (pip's own cache makes a second run local)
    ClientWorkloads.run(work, List.of("venv/bin/pip", "install", "-q", "--disable-pip-version-check", "-r",
        "requirements.txt"), 300);
  }

  @Test
  void shouldCountPythonsHiddenKeysAsUnknownAndNameNone() throws Exception {
    Path data = BuildPaths.IT_WORK.resolve("python-clients-it-" + System.nanoTime()).resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      String url = "http://127.0.0.1:" + serve.port + "/v1/traces";
      assertThat(ClientWorkloads.run(work, List.of("venv/bin/python", "workload.py", String.valueOf(redis.port), url), 120))
          .contains("done python");
      JsonNode spans = ClientWorkloads.redisSpans(data);
      List<String> statements = new ArrayList<>();
      spans.forEach(s -> statements.add(s.path("statement").asText()));
      assertThat(statements).as("as the instrumentation writes them").contains("SET ? ? ? ?", "GET ?", "MSET ? ? ? ?",
          "LPUSH ? ?", "DEL ? ?", "SET ? ? ? ?\nGET ?");
      int hidden = 0;
      for (JsonNode s : spans) {
        assertThat(s.path("memory_key").isNull()).as("no key named: %s", s).isTrue();
        assertThat(s.path("child").asBoolean()).as("under the task span: %s", s).isTrue();
        if (s.path("unknown").toString().contains("memory.key")) {
          assertThat(s.path("memtrace_derived_from").asText()).as("%s", s).isNotEmpty();
          hidden++;
        }
      }
      assertThat(hidden).as("each keyed command: %s", statements).isEqualTo(8);
      assertThat(spans.findValuesAsText("status_code")).as("LPUSH on a string: WRONGTYPE").contains("ERROR");

      JsonNode hot = ClientWorkloads.redisReport(serve).path("hot_keys");
      assertThat(hot.path("rows")).as("%s", hot).isEmpty();
      assertThat(hot.path("key_sources").path("hidden").asLong()).isEqualTo(8);
      assertThat(hot.path("note").asText()).contains("8 spans whose statement hid the key are not counted");

      // the same task through memtrace's agent: redis-py's spans hide every key, so none of its analytics remain
      ClientWorkloads.assertDiffersFromMemtracesAgent(ClientWorkloads.redisReport(serve), PYTHON_DIFFERENCES, "python");
    }
  }

  /**
   * What redis-py's spans cannot tell, listed in docs/other-languages.md: no key at all, so every key of memtrace's
   * agent is missing from each list.
   */
  static final String[] PYTHON_DIFFERENCES = {
      "hot_keys -aqe/cache:a-python accesses=2 reads=0 writes=1",
      "hot_keys -aqe/sessions:s-python accesses=1 reads=0 writes=1",
      "hot_keys -aqe/test-plans:missing-python accesses=1 reads=1 writes=0",
      "hot_keys -aqe/test-plans:plan-python accesses=3 reads=1 writes=2",
      "written_never_read -aqe/cache:a-python",
      "written_never_read -aqe/sessions:s-python",
      "no_ttl -aqe/sessions:s-python"};
}
