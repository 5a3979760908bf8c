package io.memtrace.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import} of an MEMTRACE_TRACES_FILE: all lines or nothing. */
class ImportCommandTest {

  static final String METRICS_LINE = "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"memtrace.events.dropped\","
      + "\"sum\":{\"aggregationTemporality\":2,\"isMonotonic\":true,\"dataPoints\":[{\"timeUnixNano\":\"1732089600000000000\",\"asInt\":\"4\"}]}}]}]}]}";

  @TempDir
  Path dir;

  @Test
  void shouldImportTraceAndMetricLines() throws Exception {
    String traces = Files.readString(Path.of("src/test/resources/otlp/trace-line.json")).trim();
    Path file = Files.write(dir.resolve("spans.jsonl"), List.of(traces, "", METRICS_LINE));

    Cli result = Cli.run("import", file.toString(), "--data", dir.resolve("data").toString());

    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.err).contains("imported 1 spans and 1 metric points");
    Cli query = Cli.run("query", "--data", dir.resolve("data").toString(), "--format", "csv",
        "SELECT name, attributes['memory.found'] AS found, (SELECT max(value) FROM metrics) AS dropped FROM spans");
    assertThat(query.out).isEqualTo("name,found,dropped\naqe.memory.retrieve,false,4.0\n");
  }

  @Test
  void shouldImportNothingWhenALineIsBad() throws Exception {
    String traces = Files.readString(Path.of("src/test/resources/otlp/trace-line.json")).trim();
    Path file = Files.write(dir.resolve("spans.jsonl"), List.of(traces, "{\"resourceSpans\": [{\"scopeSpans\": 7}]}"));

    Cli result = Cli.run("import", file.toString(), "--data", dir.resolve("data").toString());

    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.err).contains("line 2: $.resourceSpans[0].scopeSpans: expected an array; nothing was imported");
    assertThat(dir.resolve("data/memtrace.duckdb")).doesNotExist();
  }
}
