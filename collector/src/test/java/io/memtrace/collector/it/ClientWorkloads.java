package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Commands;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Services in other languages for the tests ({@code src/test/clients/LANGUAGE}): each a real client library under its
 * standard OpenTelemetry instrumentation, installed from its registry at the versions pinned there, run against a real
 * Redis and exporting to a real {@code serve}.
 */
public final class ClientWorkloads {

  static final ObjectMapper JSON = new ObjectMapper();

  private ClientWorkloads() {
  }

  /**
   * A fresh work folder with the files of {@code src/test/clients/language}, or the test skipped when {@code tool} is
   * not on this machine; under CI ({@code CI=true}, as {@code .ci/run} sets it) a missing tool fails instead.
   */
  public static Path prepare(String language, String tool, String... files) throws Exception {
    return prepare(Paths.get("src/test/clients", language), language + "-clients", tool, files);
  }

  /** {@link #prepare(String, String, String...)} for the {@code files} of {@code source}, in a work folder {@code name}. */
  static Path prepare(Path source, String name, String tool, String... files) throws Exception {
    boolean present;
    try {
      present = new ProcessBuilder(tool, "--version").start().waitFor(30, TimeUnit.SECONDS);
    } catch (java.io.IOException e) {
      present = false;
    }
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(present, tool + " is not on this machine");
    }
    Path work = Files.createDirectories(BuildPaths.IT_WORK.resolve(name));
    for (String file : files) {
      Files.copy(source.toAbsolutePath().resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    return work;
  }

  /** Runs {@code command} in {@code dir}, which must end well within {@code seconds}; its output. */
  public static String run(Path dir, List<String> command, int seconds) {
    Commands.Result result = Commands.run(dir, Duration.ofSeconds(seconds), command);
    assertThat(result.exit).as("%s:%n%s", command, result.output).isZero();
    return result.output;
  }

  /** {@code query --format json} over the store at {@code data}: its rows. */
  static JsonNode query(Path data, String sql) throws Exception {
    ForkedJvm.Result result = CollectorProcess.command("query", "--data", data.toString(), "--format", "json", sql);
    assertThat(result.exitCode).as("%s", result).isZero();
    return JSON.readTree(result.stdout);
  }

  /** The sections of {@code report --layer redis --format json}, once serve has loaded what it acknowledged. */
  static JsonNode redisReport(CollectorProcess serve) throws Exception {
    serve.awaitLoaded();
    ForkedJvm.Result report = CollectorProcess.command("report", "--data", serve.data.toString(), "--format", "json",
        "--layer", "redis");
    assertThat(report.exitCode).as("%s", report).isZero();
    return JSON.readTree(report.stdout).path("sections");
  }

  /** The task in Java (Jedis), which every other client's workload mirrors. */
  static final Path JAVA_TASK = Paths.get("src/test/resources/programs/JavaTaskProgram.java").toAbsolutePath();

  /**
   * Runs the Java task once per suffix (its keys end in it) under {@code javaAgent}, as {@code service}, exporting to
   * {@code serve} over OTLP/HTTP protobuf; {@code env} adds to the agent's settings.
   */
  static void runJavaTask(Path dir, Path javaAgent, String service, Map<String, String> env, TestRedis redis,
      CollectorProcess serve, String... suffixes) throws Exception {
    runJavaTask(dir, JAVA_TASK, "jedis", javaAgent, service, env, redis, serve, suffixes);
  }

  /** {@link #runJavaTask(Path, Path, String, Map, TestRedis, CollectorProcess, String...)} for another program and client. */
  static void runJavaTask(Path dir, Path program, String client, Path javaAgent, String service, Map<String, String> env,
      TestRedis redis, CollectorProcess serve, String... suffixes) throws Exception {
    String classPath = EndToEndIT.compile(dir, program, client);
    String main = program.getFileName().toString().replace(".java", "");
    for (String suffix : suffixes) {
      ForkedJvm app = ForkedJvm.program(classPath, main, redis.host, String.valueOf(redis.port), suffix)
          .javaagentBefore(javaAgent)
          .exportTo(serve.url().toString())
          .env("OTEL_SERVICE_NAME", service);
      env.forEach(app::env);
      ForkedJvm.Result run = app.run(dir.resolve("app-" + suffix));
      // each agent exports what is left at shutdown; serve has committed what it acknowledged
      assertThat(run.stdout).as("%s", run).contains("done " + suffix);
    }
  }

  /**
   * Runs the same task through memtrace's own agent ({@link #throughMemtracesAgent}) and asserts that a client's report
   * {@code sections} differ from that reference by exactly {@code expected} ({@link #differences}): what the client's
   * spans cannot tell. The reference, for more checks.
   */
  static Map<String, List<String>> assertDiffersFromMemtracesAgent(JsonNode sections, String[] expected,
      String... suffixes) throws Exception {
    Map<String, List<String>> agent = throughMemtracesAgent(suffixes);
    assertThat(differences(agent, comparable(sections))).as("against memtrace's agent: %s", agent)
        .containsExactly(expected);
    return agent;
  }

  /**
   * The same task with the same keys through memtrace's own agent (every span kept: retention off), as the analytics
   * give it: the reference each client's are compared with ({@link #comparable}).
   */
  private static Map<String, List<String>> throughMemtracesAgent(String... suffixes) throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("agent-reference-" + System.nanoTime()));
    Path data = dir.resolve("data");
    try (TestRedis redis = TestRedis.start(); CollectorProcess serve = CollectorProcess.serve(data)) {
      runJavaTask(dir, BuildPaths.AGENT_JAR.toAbsolutePath(), "java-memtrace", Map.of("MEMTRACE_RETENTION_ENABLED",
          "false", "OTEL_METRICS_EXPORTER", "none"), redis, serve, suffixes);
      return comparable(redisReport(serve));
    }
  }

  /**
   * What the issue compares: the Redis layer's hot keys (key, accesses, reads, writes), the keys written and never
   * read, and the keys with no TTL, each as sorted lines.
   */
  private static Map<String, List<String>> comparable(JsonNode sections) {
    Map<String, List<String>> parts = new LinkedHashMap<>();
    TreeSet<String> hot = new TreeSet<>();
    sections.path("hot_keys").path("rows").forEach(r -> hot.add(r.path("key").asText() + " accesses="
        + r.path("accesses").asLong() + " reads=" + r.path("reads").asLong() + " writes=" + r.path("writes").asLong()));
    parts.put("hot_keys", new ArrayList<>(hot));
    for (String list : List.of("written_never_read", "no_ttl")) {
      parts.put(list, new ArrayList<>(new TreeSet<>(sections.path(list).path("rows").findValuesAsText("key"))));
    }
    return parts;
  }

  /**
   * The lines of {@code client} that differ from {@code agent}'s, section by section: {@code "section -line"} for one
   * only memtrace's agent gives, {@code "section +line"} for one only the client's spans give.
   */
  private static List<String> differences(Map<String, List<String>> agent, Map<String, List<String>> client) {
    List<String> out = new ArrayList<>();
    for (String section : agent.keySet()) {
      TreeSet<String> only = new TreeSet<>(agent.get(section));
      client.get(section).forEach(only::remove);
      only.forEach(line -> out.add(section + " -" + line));
      TreeSet<String> extra = new TreeSet<>(client.get(section));
      agent.get(section).forEach(extra::remove);
      extra.forEach(line -> out.add(section + " +" + line));
    }
    return out;
  }

  /** The Redis spans of the store, in service and time order, with their key facts and statement. */
  static JsonNode redisSpans(Path data) throws Exception {
    return query(data, "SELECT service_name, name, parent_span_id IS NOT NULL AS child, status_code, db_operation_name, "
        + "memory_key, memory_namespace, coalesce(attributes['db.query.text'], attributes['db.statement']) AS statement, "
        + "memtrace_derived_from, attributes['memtrace.unknown'] AS unknown FROM spans "
        + "WHERE db_system_name = 'redis' OR db_system = 'redis' ORDER BY service_name, start_time");
  }
}
