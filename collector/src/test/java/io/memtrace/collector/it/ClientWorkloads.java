package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Services in other languages for the tests ({@code src/test/clients/LANGUAGE}): each a real client library under its
 * standard OpenTelemetry instrumentation, installed from its registry at the versions pinned there, run against a real
 * Redis and exporting to a real {@code serve}.
 */
final class ClientWorkloads {

  static final ObjectMapper JSON = new ObjectMapper();

  private ClientWorkloads() {
  }

  /**
   * A fresh work folder with the files of {@code src/test/clients/language}, or the test skipped when {@code tool} is
   * not on this machine; under CI ({@code CI=true}, as {@code .ci/run} sets it) a missing tool fails instead.
   */
  static Path prepare(String language, String tool, String... files) throws Exception {
    boolean present;
    try {
      present = new ProcessBuilder(tool, "--version").start().waitFor(30, TimeUnit.SECONDS);
    } catch (java.io.IOException e) {
      present = false;
    }
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(present, tool + " is not on this machine");
    }
    Path work = Files.createDirectories(CollectorProcess.WORK.resolve(language + "-clients"));
    Path source = Paths.get("src/test/clients", language).toAbsolutePath();
    for (String file : files) {
      Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    return work;
  }

  /** Runs {@code command} in {@code dir}, which must end well within {@code seconds}; its output. */
  static String run(Path dir, List<String> command, int seconds) throws Exception {
    Path log = Files.createTempFile(CollectorProcess.WORK, "client-", ".log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertThat(done && p.exitValue() == 0).as("%s:%n%s", command, out).isTrue();
    return out;
  }

  /** {@code query --format json} over the store at {@code data}: its rows. */
  static JsonNode query(Path data, String sql) throws Exception {
    CollectorProcess.Result result = CollectorProcess.run("query", "--data", data.toString(), "--format", "json", sql);
    assertThat(result.exitCode()).as("%s", result).isZero();
    return JSON.readTree(result.stdout());
  }

  /** The sections of {@code report --layer redis --format json}. */
  static JsonNode redisReport(Path data) throws Exception {
    CollectorProcess.Result report = CollectorProcess.run("report", "--data", data.toString(), "--format", "json",
        "--layer", "redis");
    assertThat(report.exitCode()).as("%s", report).isZero();
    return JSON.readTree(report.stdout()).path("sections");
  }

  /** The Redis spans of the store, in service and time order, with their key facts and statement. */
  static JsonNode redisSpans(Path data) throws Exception {
    return query(data, "SELECT service_name, name, parent_span_id IS NOT NULL AS child, status_code, db_operation_name, "
        + "memory_key, memory_namespace, coalesce(attributes['db.query.text'], attributes['db.statement']) AS statement, "
        + "memtrace_derived_from, attributes['memtrace.unknown'] AS unknown FROM spans "
        + "WHERE db_system_name = 'redis' OR db_system = 'redis' ORDER BY service_name, start_time");
  }
}
