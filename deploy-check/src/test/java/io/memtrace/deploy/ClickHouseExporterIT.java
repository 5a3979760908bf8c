package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Commands;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.Ports;
import io.memtrace.testsupport.TestRedis;
import io.memtrace.testsupport.Waits;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet path end to end, as processes on loopback: the OpenTelemetry Collector that {@code deploy/stack.sh} builds
 * (with the contrib clickhouseexporter and file_storage) runs the repository's own deploy/otelcol/fleet-gateway.yaml,
 * only its endpoints, credentials and queue directory set through its {@code ${env:VAR:-default}} variables, and
 * writes to ClickHouse 26.9 (chDB behind test-support's {@link ChdbFront}). Into it go the demo's spans under the
 * memtrace agent, against a real Redis, and a Node service's spans (ioredis under the standard OpenTelemetry
 * instrumentation, collector/src/test/clients/node). The schema is {@code memtrace-collector clickhouse init}'s when
 * the collector jar has that command, else the exporter's own DDL (said on the console).
 */
class ClickHouseExporterIT {

  private static final Path WORK = Paths.get("target/clickhouse-exporter-it").toAbsolutePath();
  private static final String DATABASE = "otel";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final LoopbackProcesses PROCESSES = new LoopbackProcesses(WORK);
  private static final Map<String, Integer> PORTS = new HashMap<>();
  private static ChdbFront front;
  private static TestRedis redis;
  private static Path queue;
  private static long demoExported;
  private static String nodeOutput;
  private static boolean schemaByInit;
  private static Path programsOtelcol;
  private static boolean nodeInstalled;

  @BeforeAll
  static void sendTheDemoAndANodeServiceThroughTheGateway() throws Exception {
    Map<String, Path> programs = StackPrograms.build(WORK, "ClickHouseExporterIT");
    long run = System.nanoTime();
    front = ChdbFront.start(WORK.resolve("chdb-" + run));
    programsOtelcol = programs.get("otelcol");
    List<String> schema = schema();
    queue = WORK.resolve("queue-" + run);
    gateway("otelcol", PORTS, queue, front.endpoint(), schema);

    redis = TestRedis.startOwn();
    // the demo, unmodified, under the agent, exporting as compose's demo-app-fleet does (to the gateway)
    String demoLog = PROCESSES.demo(local("otlp-http"),
        "deployment.environment.name=exporter-it,service.instance.id=demo-app-fleet-1", redis.port, false);
    Matcher exported = Pattern.compile("memtrace\\.events\\.exported=(\\d+)").matcher(demoLog);
    assertThat(exported.find()).as("the agent's shutdown counters in %s", demoLog).isTrue();
    demoExported = Long.parseLong(exported.group(1));

    nodeOutput = nodeService("ioredis", "http://" + local("otlp-http") + "/v1/traces");
  }

  @AfterAll
  static void stopEverythingStarted() throws Exception {
    PROCESSES.stopAll();
    if (redis != null) {
      redis.close();
    }
    if (front != null) {
      front.close();
    }
  }

  @Test
  void shouldWriteEveryOneOfTheDemosSpansIntoOtelTraces() throws Exception {
    String count = eventually("all " + demoExported + " of the demo's spans in otel_traces",
        () -> sql("SELECT count() FROM otel_traces WHERE ServiceName = 'aqe-fleet'"),
        c -> Long.parseLong(c.strip()) >= demoExported);
    assertThat(Long.parseLong(count.strip())).as("the spans the agent exported, each once").isEqualTo(demoExported);
    System.out.println("[deploy-check] ClickHouseExporterIT: the demo's spans in otel_traces: " + count.strip());
  }

  @Test
  void shouldKeepTheMemtraceAttributesOfAMemoryOperationAndItsRedisCommand() throws Exception {
    String store = eventually("the demo's store of test-plan-user-service", () -> sql(
        "SELECT SpanId, SpanKind, SpanAttributes['memory.operation'], SpanAttributes['memory.namespace'], "
            + "SpanAttributes['memory.ttl'], toUInt64OrZero(SpanAttributes['memory.value_size']) > 0, StatusCode, "
            + "arrayStringConcat(Events.Name, ',') FROM otel_traces WHERE ServiceName = 'aqe-fleet' "
            + "AND SpanName = 'aqe.memory.store' AND SpanAttributes['memory.key'] = 'test-plan-user-service'"),
        r -> !r.isBlank());
    String[] s = store.strip().split("\t");
    assertThat(List.of(s).subList(1, 7)).as("%s", store).containsExactly("Internal", "store", "aqe/test-plans", "3600",
        "1", "Ok");
    assertThat(s[7]).contains("memory.store.started", "memory.store.completed");

    String command = sql("SELECT SpanName, SpanKind, SpanAttributes['db.system.name'], SpanAttributes['memory.key'], "
        + "SpanAttributes['memory.namespace'], SpanAttributes['db.query.text'] FROM otel_traces "
        + "WHERE ParentSpanId = '" + s[0] + "' AND SpanAttributes['db.system.name'] = 'redis'");
    String[] c = command.strip().split("\t");
    assertThat(c).as("the Redis command under the store: %s", command).hasSize(6);
    assertThat(c[0]).isIn("SET", "SETEX");
    assertThat(List.of(c).subList(1, 5)).containsExactly("Client", "redis", "aqe/test-plans:test-plan-user-service",
        "aqe/test-plans");
    assertThat(c[5]).as("arguments as ?").contains("?");
  }

  @Test
  void shouldWriteTheNodeServicesStandardRedisSpans() throws Exception {
    assertThat(nodeOutput).contains("done ioredis");
    String rows = eventually("node-ioredis's spans in otel_traces", () -> sql(
        "SELECT SpanName, SpanKind, SpanAttributes['db.system'] || SpanAttributes['db.system.name'], "
            + "SpanAttributes['db.statement'] || SpanAttributes['db.query.text'] FROM otel_traces "
            + "WHERE ServiceName = 'node-ioredis' AND SpanKind = 'Client' ORDER BY Timestamp"),
        r -> r.contains("aqe/test-plans:plan-ioredis"));
    assertThat(rows).as("ioredis's statements, the keys in them").contains("redis")
        .contains("aqe/test-plans:plan-ioredis").contains("aqe/sessions:s-ioredis");
    System.out.println("[deploy-check] ClickHouseExporterIT: node-ioredis's client spans in otel_traces: "
        + rows.strip().split("\n").length);
  }

  @Test
  void shouldFeedMemtracesOperationsFromTheExportersInsertsForEveryLanguage() throws Exception {
    Assumptions.assumeTrue(schemaByInit, "memtrace's tables come with clickhouse init");
    // the agent's memory.key, and a key the view reads from ioredis's statement
    String ops = eventually("both services' operations in memtrace_ops", () -> sql(
        "SELECT ServiceName, KeySource, Kind, count() FROM memtrace_ops WHERE Key IN "
            + "('aqe/test-plans:test-plan-user-service', 'aqe/test-plans:plan-ioredis') GROUP BY ALL ORDER BY ALL"),
        r -> r.contains("aqe-fleet") && r.contains("node-ioredis"));
    assertThat(ops).as("memtrace_ops").contains("aqe-fleet\tspan\twrite").contains("node-ioredis\tstatement\twrite")
        .contains("node-ioredis\tstatement\tread");
  }

  /**
   * The demo's compressed commands, sent by the agent as key events (demo-app/memtrace.yaml turns them on), through the
   * gateway's real exporter: the views make each line of a carrier the Redis span it stands for, with the command's
   * own trace, and its ops row (ADR 0004).
   */
  @Test
  void shouldExpandTheAgentsKeyEventsFromTheExportersInserts() throws Exception {
    Assumptions.assumeTrue(schemaByInit, "memtrace's tables come with clickhouse init");
    String carriers = sql("SELECT count() FROM otel_traces WHERE SpanName = 'memtrace.key_events'").strip();
    assertThat(Long.parseLong(carriers)).as("the demo's key-event carriers").isPositive();
    String spans = eventually("the carriers' commands in memtrace_key_event_spans", () -> sql(
        "SELECT count(), countIf(SpanAttributes['memtrace.key_event'] = 'true'), countIf(TraceId IN (SELECT TraceId "
            + "FROM otel_traces WHERE SpanName != 'memtrace.key_events')) FROM memtrace_key_event_spans"),
        r -> !r.startsWith("0\t"));
    String[] n = spans.strip().split("\t");
    assertThat(n[1]).as("every one marked: %s", spans).isEqualTo(n[0]);
    assertThat(Long.parseLong(n[2])).as("in the traces of the demo's kept spans: %s", spans).isPositive();
    assertThat(sql("SELECT count() FROM memtrace_ops WHERE (TraceId, SpanId) IN (SELECT TraceId, SpanId FROM "
        + "memtrace_key_event_spans)").strip()).as("their ops rows").isNotEqualTo("0");
  }

  /**
   * Captured values as the agent sends them (memory.value span events), through the gateway's real exporter: the
   * materialized view puts each one in memtrace_key_values, a malformed one is left out, and the spans view's
   * events hold none of them.
   */
  @Test
  void shouldFeedTheCapturedValuesFromTheExportersInserts() throws Exception {
    Assumptions.assumeTrue(schemaByInit, "memtrace's tables come with clickhouse init");
    String event = "{\"name\":\"memory.value\",\"timeUnixNano\":\"1732089600001000000\",\"attributes\":["
        + "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"%s\"}},"
        + "{\"key\":\"memory.value.change\",\"value\":{\"stringValue\":\"%s\"}},"
        + "{\"key\":\"memory.value.type\",\"value\":{\"stringValue\":\"hash\"}},"
        + "{\"key\":\"memory.value\",\"value\":{\"stringValue\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}},"
        + "{\"key\":\"memory.value.size\",\"value\":{\"intValue\":\"15\"}}]}";
    String body = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
        + "{\"stringValue\":\"values-exporter-it\"}}]},\"scopeSpans\":[{\"spans\":[{"
        + "\"traceId\":\"5a1e00000000000000000000000000e1\",\"spanId\":\"00000000000000e1\",\"name\":\"HSET\","
        + "\"kind\":3,\"startTimeUnixNano\":\"1732089600000000000\",\"endTimeUnixNano\":\"1732089600001000000\","
        + "\"attributes\":[{\"key\":\"db.system.name\",\"value\":{\"stringValue\":\"redis\"}},"
        + "{\"key\":\"db.operation.name\",\"value\":{\"stringValue\":\"HSET\"}},"
        + "{\"key\":\"server.address\",\"value\":{\"stringValue\":\"10.0.0.7\"}},"
        + "{\"key\":\"server.port\",\"value\":{\"intValue\":\"6379\"}},"
        + "{\"key\":\"db.namespace\",\"value\":{\"stringValue\":\"2\"}}],"
        + "\"events\":[" + String.format(event, "user:7:profile", "fields_set") + ","
        + String.format(event, "user:7:profile", "no_such_change") + "]}]}]}]}";
    HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + local("otlp-http")
        + "/v1/traces")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(sent.statusCode()).as("%s", sent.body()).isEqualTo(200);
    String values = eventually("the value in memtrace_key_values", () -> sql(
        "SELECT Namespace, Key, Seq, Redis, Db, Operation, Change, Type, Value, Size FROM memtrace_key_values "
            + "WHERE TraceId = '5a1e00000000000000000000000000e1' ORDER BY Seq"), r -> !r.isBlank());
    assertThat(values.strip()).isEqualTo("user:7\tuser:7:profile\t0\t10.0.0.7:6379\t2\tHSET\tfields_set\thash\t"
        + "{\"city\":\"Oslo\"}\t15");
    assertThat(sql("SELECT countIf(events LIKE '%memory.value%'), count() FROM spans "
        + "WHERE trace_id = '5a1e00000000000000000000000000e1'").strip()).isEqualTo("0\t1");
  }

  @Test
  void shouldSendAfterARestartWhatItsQueueOnDiskAcknowledgedWhileClickHouseWasAway() throws Exception {
    // a second gateway whose ClickHouse is not there (nothing listens on that port) takes node-redis's spans,
    // is stopped, and starts again on the same queue directory with ClickHouse back
    Path restartQueue = WORK.resolve("queue-restart-" + System.nanoTime());
    Map<String, Integer> ports = new HashMap<>();
    try (Ports.Refusing noClickHouse = Ports.refusing()) {
      Process away = gateway("otelcol-away", ports, restartQueue, "http://127.0.0.1:" + noClickHouse.port(), List.of());
      assertThat(nodeService("node-redis", "http://127.0.0.1:" + ports.get("otlp-http") + "/v1/traces"))
          .contains("done node-redis");
      away.destroy();
      assertThat(away.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the first gateway stopped").isTrue();
    }
    assertThat(sql("SELECT count() FROM otel_traces WHERE ServiceName = 'node-node-redis'").strip()).isEqualTo("0");
    gateway("otelcol-back", new HashMap<>(), restartQueue, front.endpoint(), List.of());
    String sent = eventually("node-redis's spans, queued before the restart, in otel_traces", () -> sql(
        "SELECT count() FROM otel_traces WHERE ServiceName = 'node-node-redis'"), c -> Long.parseLong(c.strip()) > 0);
    System.out.println("[deploy-check] ClickHouseExporterIT: spans queued on disk by a gateway without ClickHouse, "
        + "sent after its restart: " + sent.strip());
  }

  @Test
  void shouldQueueOnDiskAndCountNoFailedSend() throws Exception {
    eventually("the demo's spans in otel_traces", () -> sql("SELECT count() FROM otel_traces"),
        c -> Long.parseLong(c.strip()) >= demoExported);
    try (var files = Files.list(queue)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).as("file_storage's queue files in %s", queue)
          .anyMatch(f -> f.contains("clickhouse"));
    }
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + local("telemetry") + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).as("the gateway's own telemetry").contains("otelcol_exporter_queue_capacity");
    assertThat(metrics.lines().filter(l -> l.startsWith("otelcol_exporter_send_failed_spans")
        && l.contains("exporter=\"clickhouse\"")).map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))
        .as("spans the exporter gave up on").allMatch(v -> v == 0);
  }

  /**
   * The repository's gateway configuration in the collector stack.sh built, on free loopback ports (put in {@code ports}),
   * its queue in {@code queueDir}, writing to {@code clickhouse}; running once its health check answers.
   */
  private static Process gateway(String name, Map<String, Integer> ports, Path queueDir, String clickhouse,
      List<String> extraArgs) throws Exception {
    List<String> names = List.of("otlp-grpc", "otlp-http", "health", "metrics", "telemetry");
    int[] free = Ports.free(names.size());
    for (int i = 0; i < names.size(); i++) {
      ports.put(names.get(i), free[i]);
    }
    List<String> command = new ArrayList<>(List.of(programsOtelcol.toString(),
        "--config=" + Repo.path(FleetGatewayConfigTest.FILE)));
    command.addAll(extraArgs);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OTELCOL_OTLP_GRPC_ENDPOINT", "127.0.0.1:" + ports.get("otlp-grpc"));
    env.put("OTELCOL_OTLP_HTTP_ENDPOINT", "127.0.0.1:" + ports.get("otlp-http"));
    env.put("OTELCOL_HEALTH_ENDPOINT", "127.0.0.1:" + ports.get("health"));
    env.put("OTELCOL_PROMETHEUS_ENDPOINT", "127.0.0.1:" + ports.get("metrics"));
    env.put("OTELCOL_TELEMETRY_HOST", "127.0.0.1");
    env.put("OTELCOL_TELEMETRY_PORT", String.valueOf(ports.get("telemetry")));
    env.put("FLEET_QUEUE_DIR", queueDir.toString());
    env.put("MEMTRACE_CLICKHOUSE_ENDPOINT", clickhouse);
    env.put("MEMTRACE_CLICKHOUSE_DATABASE", DATABASE);
    env.put("MEMTRACE_CLICKHOUSE_USER", front.user());
    env.put("MEMTRACE_CLICKHOUSE_PASSWORD", front.password());
    Process p = PROCESSES.start(name, command, env);
    Waits.forHttp(name + " (its log is in " + WORK + ")", "http://127.0.0.1:" + ports.get("health") + "/",
        Duration.ofSeconds(60), p);
    return p;
  }

  /**
   * The arguments that give the gateway its schema: none when {@code clickhouse init} made it (the repository's
   * {@code create_schema: false} holds), else the exporter's own DDL, switched on for this run only.
   */
  private static List<String> schema() throws Exception {
    ForkedJvm.Result init = ForkedJvm.jar(BuildPaths.COLLECTOR_JAR, "clickhouse", "init", "--clickhouse",
            front.url(DATABASE)).env("MEMTRACE_CLICKHOUSE_USER", front.user())
        .env("MEMTRACE_CLICKHOUSE_PASSWORD", front.password()).timeout(Duration.ofSeconds(120))
        .run(Files.createDirectories(WORK.resolve("init")));
    // picocli's answer to a subcommand it does not know
    if (init.exitCode != 0 && Pattern.compile("Unmatched arguments? (at|from) index 0: 'clickhouse'")
        .matcher(init.stdout + init.stderr).find()) {
      System.out.println("[deploy-check] ClickHouseExporterIT: this collector jar has no `clickhouse init`: otel_traces "
          + "is made by the exporter's own DDL (create_schema: true for this run)");
      return List.of("--set=exporters::clickhouse::create_schema=true");
    }
    assertThat(init.exitCode).as("clickhouse init: %s", init).isZero();
    System.out.println("[deploy-check] ClickHouseExporterIT: schema by clickhouse init");
    schemaByInit = true;
    return List.of();
  }

  /** The Node workload of {@code client} against the test's Redis, exporting to {@code tracesUrl}: its output. */
  private static String nodeService(String client, String tracesUrl) throws Exception {
    Path work = Files.createDirectories(WORK.resolve("node"));
    for (String file : List.of("package.json", "package-lock.json", "workload.cjs")) {
      Files.copy(Repo.path("collector/src/test/clients/node/" + file), work.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (!nodeInstalled) {
      // from the npm registry, as the lock file pins it; npm's own cache makes a second run local
      Commands.Result install = Commands.run(work, Duration.ofMinutes(5), List.of("npm", "ci", "--no-audit", "--no-fund",
          "--loglevel=error"));
      assertThat(install.exit).as("npm ci: %s", install.output).isZero();
      nodeInstalled = true;
    }
    Commands.Result node = Commands.run(work, Duration.ofMinutes(2), List.of("node", "workload.cjs", client,
        String.valueOf(redis.port), tracesUrl));
    assertThat(node.exit).as("node workload.cjs: %s", node.output).isZero();
    return node.output;
  }

  private static String sql(String query) throws Exception {
    return front.query(DATABASE, query);
  }

  private static String eventually(String what, Callable<String> fetch, Predicate<String> done) throws Exception {
    // the exporter flushes a partial batch after 5 s (sending_queue.batch.flush_timeout)
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    String last = fetch.call();
    while (!done.test(last) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      last = fetch.call();
    }
    assertThat(done.test(last)).as("%s within 180 s; the gateway's log is %s: %s", what, WORK.resolve("otelcol.log"), last)
        .isTrue();
    return last;
  }

  private static String local(String name) {
    return "127.0.0.1:" + PORTS.get(name);
  }
}
