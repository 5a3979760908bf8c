package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.Ports;
import io.memtrace.testsupport.TestRedis;
import io.memtrace.testsupport.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment, run for real, as processes on loopback: Redis, the memtrace collector, the OpenTelemetry Collector
 * built from deploy/otelcol/builder.yaml, Jaeger v2 and Prometheus, each built from its Go module at the version
 * docker-compose.yml pins ({@code deploy/stack.sh}), and the demo under the agent jar exporting as compose says. The
 * OpenTelemetry Collector and Jaeger read the repository's own files, byte for byte, with only their endpoints set
 * through their {@code ${env:VAR:-default}} variables. Prometheus has no such substitution: it reads a copy of
 * deploy/prometheus/prometheus.yml in which only the scrape target and the two intervals differ (2 s instead of
 * 15 s, so that a test sees data), beside the repository's alerts.yml.
 *
 * <p>Without Go, or where the module proxy cannot be reached, the build fails and the test is skipped, saying why.
 */
class StackIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Path WORK = Paths.get("target/stack-it").toAbsolutePath();
  private static final Path COLLECTOR = BuildPaths.COLLECTOR_JAR;

  private static final LoopbackProcesses PROCESSES = new LoopbackProcesses(WORK);
  private static TestRedis redis;
  private static Map<String, Path> programs;
  private static final Map<String, Integer> PORTS = new HashMap<>();
  private static Path memtraceData;

  @BeforeAll
  static void startTheStackAndRunTheDemo() throws Exception {
    Files.createDirectories(WORK);
    programs = StackPrograms.build(WORK, "StackIT");
    List<String> names = List.of("memtrace", "otlp-grpc", "otlp-http", "otelcol-health", "otelcol-prometheus",
        "jaeger-otlp-grpc", "jaeger-otlp-http", "jaeger-query", "jaeger-query-grpc", "jaeger-health", "jaeger-spanmetrics",
        "prometheus");
    int[] free = Ports.free(names.size()); // distinct: one port handed out twice would fail a server's start
    for (int i = 0; i < names.size(); i++) {
      PORTS.put(names.get(i), free[i]);
    }
    redis = TestRedis.startOwn();
    PORTS.put("redis", redis.port);

    memtraceData = WORK.resolve("memtrace-data-" + System.nanoTime());
    // its memory health gauges to the OTel Collector, as compose's memtrace-collector sends them (--health-to),
    // measured every 2 s rather than every 5 minutes
    start("memtrace", List.of(java(), "-jar", COLLECTOR.toString(), "serve", "--port", port("memtrace"), "--grpc-port",
        "off", "--data", memtraceData.toString(), "--health-to", "http://" + local("otlp-http"), "--health-interval",
        "2s"), Map.of());
    start("jaeger", List.of(programs.get("jaeger").toString(), "--config=" + Repo.path("deploy/jaeger/config.yaml")),
        Map.of("JAEGER_OTLP_GRPC_ENDPOINT", local("jaeger-otlp-grpc"), "JAEGER_OTLP_HTTP_ENDPOINT", local("jaeger-otlp-http"),
            "JAEGER_QUERY_ENDPOINT", local("jaeger-query"), "JAEGER_QUERY_GRPC_ENDPOINT", local("jaeger-query-grpc"),
            "JAEGER_HEALTH_ENDPOINT", local("jaeger-health"), "JAEGER_SPANMETRICS_ENDPOINT", local("jaeger-spanmetrics"),
            "JAEGER_PROMETHEUS_URL", "http://" + local("prometheus"),
            // Jaeger traces its own queries to localhost:4317, its own receiver in compose: here, to that receiver too
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://" + local("jaeger-otlp-grpc")));
    waitFor("Jaeger", "http://" + local("jaeger-query") + "/api/services");
    waitFor("the memtrace collector", "http://" + local("memtrace") + "/api/status");
    start("otelcol", List.of(programs.get("otelcol").toString(), "--config=" + Repo.path("otel-collector-config.yaml")),
        Map.of("OTELCOL_OTLP_GRPC_ENDPOINT", local("otlp-grpc"), "OTELCOL_OTLP_HTTP_ENDPOINT", local("otlp-http"),
            "OTELCOL_HEALTH_ENDPOINT", local("otelcol-health"), "OTELCOL_PROMETHEUS_ENDPOINT", local("otelcol-prometheus"),
            "JAEGER_OTLP_GRPC", local("jaeger-otlp-grpc"), "MEMTRACE_COLLECTOR_URL", "http://" + local("memtrace")));
    waitFor("the OpenTelemetry Collector", "http://" + local("otelcol-health") + "/");
    Path prometheusConfig = prometheusConfig();
    start("prometheus", List.of(programs.get("prometheus").toString(), "--config.file=" + prometheusConfig,
        "--storage.tsdb.path=" + WORK.resolve("prometheus-data-" + System.nanoTime()),
        "--web.listen-address=" + local("prometheus")), Map.of());
    waitFor("Prometheus", "http://" + local("prometheus") + "/-/ready");

    // the demo, unmodified, under the agent, exporting as compose's demo-app does (to the OTel Collector)
    PROCESSES.demo(local("otlp-http"), "deployment.environment.name=stack-it,service.instance.id=demo-app-1",
        PORTS.get("redis"), true);
    // the keyspace watcher of compose's memtrace-watcher, over what the demo left in Redis (2 s passes, not 15 s)
    List<String> watch = new ArrayList<>(List.of(java(), "-jar", COLLECTOR.toString()));
    watch.addAll(Repo.list(new ComposeFile().service("memtrace-watcher").get("command"), "command").stream()
        .map(String::valueOf).map(a -> a.replace("redis://redis:6379", "redis://127.0.0.1:" + port("redis"))
            .replace("/etc/memtrace/memtrace.yaml", BuildPaths.DEMO_CONFIG.toString()).replace("15s", "2s")
            .replace("http://otel-collector:4318", "http://" + local("otlp-http"))).toList());
    // and a higher ceiling on its commands: at the default 1,800 a second, its pass over the 10,000 deep memories of
    // the size alerts' test took 26 s of that test's 30
    watch.addAll(List.of("--commands-per-second", "50000"));
    start("watcher", watch, Map.of());
  }

  @AfterAll
  static void stopEverythingStarted() throws Exception {
    PROCESSES.stopAll();
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void shouldHaveTheCollectorConfigsAcceptedByTheCollectorItself() throws Exception {
    // the sidecar stack's and the fleet gateway's, each as compose runs it (every variable at its default)
    for (String config : StackVersionsTest.COLLECTOR_CONFIGS) {
      Process validate = new ProcessBuilder(programs.get("otelcol").toString(), "validate",
          "--config=" + Repo.path(config)).redirectErrorStream(true).start();
      String out = new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(validate.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(validate.exitValue()).as("otelcol validate %s: %s", config, out).isZero();
    }
  }

  @Test
  void shouldShowTheDemosTraceInJaegerAndTheSameTraceIdsInTheMemtraceCollector() throws Exception {
    JsonNode traces = eventually("the demo's traces in Jaeger", () -> get("http://" + local("jaeger-query")
        + "/api/traces?service=aqe-fleet&limit=100"), t -> t.path("data").size() > 0);
    Set<String> jaegerIds = new TreeSet<>();
    boolean tree = false;
    boolean wrongType = false;
    for (JsonNode trace : traces.path("data")) {
      if (carriers(trace) < trace.path("spans").size()) { // a carrier of key events is a trace of its own, not stored
        jaegerIds.add(trace.path("traceID").asText());
      }
      Map<String, JsonNode> byId = new HashMap<>();
      trace.path("spans").forEach(s -> byId.put(s.path("spanID").asText(), s));
      for (JsonNode span : trace.path("spans")) {
        // a Redis command whose parent is a memory operation whose parent is the task
        if (tag(span, "db.system.name") != null || tag(span, "db.system") != null) {
          JsonNode memory = parent(span, byId);
          JsonNode task = memory == null ? null : parent(memory, byId);
          tree |= memory != null && tag(memory, "memory.operation") != null && task != null
              && "client".equals(tag(span, "span.kind")) && "internal".equals(tag(memory, "span.kind"));
          wrongType |= "true".equals(tag(span, "error")) && String.valueOf(tag(span, "otel.status_description"))
              .startsWith("WRONGTYPE");
        }
      }
    }
    assertThat(tree).as("a task -> memory operation -> Redis command tree, kinds as DESIGN.md fixes them, in %s",
        jaegerIds).isTrue();
    assertThat(wrongType).as("the WRONGTYPE reply as an error status").isTrue();

    String csv = memtraceQuery("SELECT DISTINCT trace_id FROM spans WHERE service_name = 'aqe-fleet'");
    Set<String> memtraceIds = new TreeSet<>(List.of(csv.split("\n")));
    memtraceIds.remove("trace_id");
    assertThat(memtraceIds).as("both exporters got the same traces").containsAll(jaegerIds);
  }

  @Test
  void shouldCarryInJaegerTheSpanShapeDesignMdFixes() throws Exception {
    JsonNode traces = eventually("the seed-000 workflow in Jaeger", () -> get("http://" + local("jaeger-query")
        + "/api/traces?service=aqe-fleet&operation=aqe.task.generate&limit=10"), t -> t.path("data").size() > 0);
    JsonNode trace = traces.path("data").get(0);
    Map<String, JsonNode> byId = new HashMap<>();
    trace.path("spans").forEach(s -> byId.put(s.path("spanID").asText(), s));
    JsonNode store = null;
    JsonNode set = null;
    for (JsonNode span : trace.path("spans")) {
      if (span.path("operationName").asText().equals("aqe.memory.store")
          && "test-plan-user-service".equals(tag(span, "memory.key"))) {
        store = span;
      }
    }
    assertThat(store).as("aqe.memory.store of test-plan-user-service in %s", trace.path("traceID")).isNotNull();
    for (JsonNode span : trace.path("spans")) {
      JsonNode parent = parent(span, byId);
      if (parent == store && "redis".equals(tag(span, "db.system.name"))) {
        set = span;
      }
    }
    // the memory-manager span: name {prefix}.memory.{operation}, INTERNAL, its attributes and events
    assertThat(tag(store, "span.kind")).isEqualTo("internal");
    assertThat(tag(store, "memory.operation")).isEqualTo("store");
    assertThat(tag(store, "memory.namespace")).isEqualTo("aqe/test-plans");
    assertThat(tag(store, "memory.ttl")).isEqualTo("3600");
    assertThat(Long.parseLong(tag(store, "memory.value_size"))).isPositive();
    assertThat(tag(store, "otel.status_code")).isEqualTo("OK");
    List<String> events = new ArrayList<>();
    store.path("logs").forEach(l -> l.path("fields").forEach(f -> {
      if ("event".equals(f.path("key").asText())) {
        events.add(f.path("value").asText());
      }
    }));
    assertThat(events).containsSubsequence("memory.store.started", "memory.store.completed");
    assertThat(tag(parent(store, byId), "agent.id")).as("its task names the agent").isNotNull();
    // the Redis command under it: CLIENT, named after the command, the current database conventions and memory.*
    assertThat(set).as("the Redis command under the store").isNotNull();
    assertThat(tag(set, "span.kind")).isEqualTo("client");
    assertThat(set.path("operationName").asText()).isEqualTo(tag(set, "db.operation.name")).isIn("SET", "SETEX");
    assertThat(tag(set, "db.query.text")).as("arguments as ?").contains("?").doesNotContain("tests");
    assertThat(tag(set, "db.namespace")).isEqualTo("0");
    assertThat(tag(set, "server.address")).isEqualTo("127.0.0.1");
    assertThat(tag(set, "server.port")).isEqualTo(port("redis"));
    assertThat(tag(set, "memory.key")).isEqualTo("aqe/test-plans:test-plan-user-service");
    assertThat(tag(set, "memory.namespace")).isEqualTo("aqe/test-plans");
    assertThat(tag(set, "memory.ttl")).isEqualTo("3600");
    assertThat(tag(set, "memory.value_size")).isEqualTo(tag(store, "memory.value_size"));
  }

  @Test
  void shouldHaveEveryMetricTheAlertsAndDashboardsNameInPrometheusWithData() throws Exception {
    Set<String> names = new TreeSet<>();
    for (AlertRules.Rule rule : AlertRules.read()) {
      names.addAll(PromQl.names(rule.expr()).metrics());
    }
    for (Dashboards.Query query : Dashboards.queries()) {
      names.addAll(PromQl.names(Dashboards.asPrometheusSees(query.expr())).metrics());
    }
    assertThat(names).as("the names the rules and panels use").hasSizeGreaterThan(5);
    System.out.println("[deploy-check] StackIT: metric names checked in Prometheus: " + names);
    Map<String, String> queries = new LinkedHashMap<>();
    names.forEach(name -> queries.put(name, "count(" + name + ")"));
    Map<String, String> missing = withoutData(queries, UNFED_METRICS.keySet(), Duration.ofSeconds(20));
    assertThat(missing.keySet()).as("names the rules and panels use, without a series in the real Prometheus, of %s",
        names).containsExactlyInAnyOrderElementsOf(UNFED_METRICS.keySet());
  }

  @Test
  void shouldEvaluateEveryAlertRuleWithoutError() throws Exception {
    JsonNode rules = eventually("every rule evaluated once", () -> get("http://" + local("prometheus") + "/api/v1/rules"),
        r -> r.path("data").path("groups").findValues("rules").stream().flatMap(g -> java.util.stream.StreamSupport
            .stream(g.spliterator(), false)).allMatch(rule -> !rule.path("lastEvaluation").asText().startsWith("0001")));
    List<String> checked = new ArrayList<>();
    for (JsonNode group : rules.path("data").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        assertThat(rule.path("health").asText()).as("%s: %s", rule.path("name").asText(), rule.path("lastError").asText())
            .isEqualTo("ok");
        checked.add(rule.path("name").asText());
      }
    }
    assertThat(checked).as("the rules of alerts.yml").hasSize(AlertRules.read().size());
    System.out.println("[deploy-check] StackIT: alert rules evaluated without error: " + checked);
  }

  @Test
  void shouldAnswerEveryDashboardPanelTheDemoFeeds() throws Exception {
    Map<String, String> values = variableValues();
    Map<String, String> queries = new LinkedHashMap<>();
    for (Dashboards.Query query : Dashboards.queries()) {
      queries.put(query.panel() + " (" + query.refId() + ")", withValues(query.expr(), values));
    }
    Map<String, String> empty = withoutData(queries, UNFED_PANELS.keySet(), Duration.ofSeconds(10));
    List<String> answered = new ArrayList<>(queries.keySet());
    answered.removeAll(empty.keySet());
    System.out.println("[deploy-check] StackIT: panels with data: " + answered);
    assertThat(empty.keySet()).as("panels without data (the demo cannot feed only those listed): %s", empty)
        .isEqualTo(UNFED_PANELS.keySet());
  }

  @Test
  void shouldFeedJaegersMonitorTabTheRateErrorsAndLatencyOfMemoryOperations() throws Exception {
    String query = "http://" + local("jaeger-query") + "/api/metrics/%s?service=aqe-fleet&spanKind=internal"
        + "&groupByOperation=true&lookback=600000&step=5000&ratePer=60000";
    JsonNode calls = eventually("Jaeger's call rates of aqe-fleet", () -> get(query.formatted("calls") + "&endTs="
        + System.currentTimeMillis()), r -> r.toString().contains("aqe.memory.store"));
    assertThat(calls.toString()).as("the Monitor tab's calls, from the span metrics in Prometheus")
        .contains("aqe.memory.retrieve");
    JsonNode latencies = get(query.formatted("latencies") + "&quantile=0.95&endTs=" + System.currentTimeMillis());
    assertThat(latencies.path("metrics").size()).as("%s", latencies).isPositive();
    JsonNode errors = get(query.formatted("errors") + "&endTs=" + System.currentTimeMillis());
    assertThat(errors.toString()).as("the failing audit's retrieve").contains("aqe.memory.retrieve");
    System.out.println("[deploy-check] StackIT: Jaeger's Monitor tab: calls, latencies and errors of aqe-fleet");
  }

  @Test
  void shouldCountInTheAgentsOwnMetricsExactlyTheSpansJaegerAndTheMemtraceCollectorHold() throws Exception {
    Map<String, Long> counters = new LinkedHashMap<>();
    for (String counter : List.of("produced", "exported", "compressed", "dropped")) {
      String query = "sum(memtrace_events_" + counter + "_total{job=\"aqe-fleet\"})";
      // the agent's last export (at the demo's exit) carries all four; until Prometheus has scraped it, a loaded
      // machine can show an earlier sample of 0 spans produced and exported
      boolean counted = counter.equals("produced") || counter.equals("exported");
      JsonNode result = eventually(query, () -> get("http://" + local("prometheus") + "/api/v1/query?query="
          + URLEncoder.encode(query, StandardCharsets.UTF_8)), r -> r.path("data").path("result").size() > 0
          && (!counted || r.path("data").path("result").get(0).path("value").get(1).asDouble() > 0));
      counters.put(counter, Math.round(result.path("data").path("result").get(0).path("value").get(1).asDouble()));
    }
    assertThat(counters.get("produced")).as("%s", counters)
        .isEqualTo(counters.get("exported") + counters.get("compressed") + counters.get("dropped"));
    assertThat(counters.get("dropped")).as("%s", counters).isZero();
    long exported = counters.get("exported");
    assertThat(exported).isPositive();

    JsonNode traces = eventually("every exported span in Jaeger", () -> get("http://" + local("jaeger-query")
        + "/api/traces?service=aqe-fleet&limit=1000"), t -> spanCount(t) >= exported);
    assertThat(spanCount(traces)).as("Jaeger's spans of aqe-fleet against the agent's %s", counters).isEqualTo(exported);
    // the demo sends its compressed commands as key events (demo-app/memtrace.yaml): Jaeger holds each carrier as
    // the span it is, the memtrace collector each of its commands as the span it stands for, marked
    long carriers = 0;
    for (JsonNode trace : traces.path("data")) {
      carriers += carriers(trace);
    }
    assertThat(carriers).as("the demo's key events").isPositive();
    String csv = memtraceQuery("SELECT count(*) AS n FROM spans WHERE service_name = 'aqe-fleet' "
        + "AND attributes['memtrace.key_event'] IS NULL");
    assertThat(csv).as("the memtrace collector's spans of aqe-fleet against the agent's %s, less %d carriers",
        counters, carriers).isEqualTo("n\n" + (exported - carriers) + "\n");
    assertThat(memtraceQuery("SELECT count(*) AS n FROM spans WHERE service_name = 'aqe-fleet' "
        + "AND attributes['memtrace.key_event'] IS NOT NULL")).as("the carriers' commands, stored")
        .isNotEqualTo("n\n0\n");
    System.out.println("[deploy-check] StackIT: the agent's counters " + counters + " = Jaeger's and the memtrace "
        + "collector's spans");
  }

  /** The spans of {@code trace} that carry the agent's key events ({@code memtrace.key_events}). */
  private static long carriers(JsonNode trace) {
    long n = 0;
    for (JsonNode span : trace.path("spans")) {
      n += "memtrace.key_events".equals(span.path("operationName").asText()) ? 1 : 0;
    }
    return n;
  }

  private static long spanCount(JsonNode traces) {
    long n = 0;
    for (JsonNode trace : traces.path("data")) {
      n += trace.path("spans").size();
    }
    return n;
  }

  @Test
  void shouldRaiseSeed001sSizeAlertsWhenTheWatcherSeesTheLayersPastTheirThresholds() throws Exception {
    // past 10 MB of sessions, 100 MB of cache and 10,000 deep memories, in the layers of the demo's memtrace.yaml
    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", PORTS.get("redis"))) {
      redis.clients.jedis.Pipeline p = jedis.pipelined();
      for (int i = 0; i < 12; i++) {
        p.set("session:big-" + i + ":messages", "m".repeat(1_000_000));
      }
      for (int i = 0; i < 101; i++) {
        p.set("cache:big-" + i, "c".repeat(1_000_000));
      }
      for (int i = 100; i < 10_150; i++) {
        p.hset("deep:memory:" + i, Map.of("text", "memory " + i));
      }
      p.sync();
    }
    Set<String> expected = Set.of("SessionMemoryLarge", "CacheMemoryLarge", "DeepMemoryRecordsMany");
    // each rule waits 5 minutes (for: 5m) before it fires; pending is the alert raised, waiting out that time
    JsonNode alerts = eventually("seed 001's size alerts pending or firing", () -> get("http://" + local("prometheus")
        + "/api/v1/alerts"), a -> raised(a).containsAll(expected), Duration.ofSeconds(90));
    assertThat(raised(alerts)).as("%s", alerts).containsAll(expected);
    System.out.println("[deploy-check] StackIT: raised by the watcher's gauges: " + raised(alerts));
  }

  /**
   * The queries (name to PromQL) that Prometheus answers with no series. Each query expected to answer is waited for,
   * up to {@code wait}; those expected to stay empty are asked after them, when Prometheus has scraped what the demo
   * fed, together and for {@link #QUIET} (a few scrape intervals) rather than each for the whole {@code wait}: nine
   * of them, waited out one by one, were four of StackIT's five minutes.
   */
  private static Map<String, String> withoutData(Map<String, String> queries, Set<String> expectedEmpty, Duration wait)
      throws Exception {
    Map<String, String> empty = new java.util.TreeMap<>();
    for (Map.Entry<String, String> q : queries.entrySet()) {
      if (!expectedEmpty.contains(q.getKey()) && !hasSeries(eventually(q.getKey(), () -> query(q.getValue()),
          StackIT::hasSeries, wait))) {
        empty.put(q.getKey(), q.getValue());
      }
    }
    Map<String, String> quiet = new LinkedHashMap<>(queries);
    quiet.keySet().retainAll(expectedEmpty);
    long deadline = System.nanoTime() + QUIET.toNanos();
    while (true) {
      for (java.util.Iterator<Map.Entry<String, String>> it = quiet.entrySet().iterator(); it.hasNext(); ) {
        if (hasSeries(query(it.next().getValue()))) {
          it.remove();
        }
      }
      if (quiet.isEmpty() || System.nanoTime() >= deadline) {
        break;
      }
      Thread.sleep(500);
    }
    empty.putAll(quiet);
    return empty;
  }

  /** How long the queries expected to stay empty are watched, once the others answered: three scrape intervals. */
  private static final Duration QUIET = Duration.ofSeconds(6);

  private static JsonNode query(String promQl) throws Exception {
    return get("http://" + local("prometheus") + "/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
  }

  private static boolean hasSeries(JsonNode result) {
    return result.path("data").path("result").size() > 0;
  }

  private static Set<String> raised(JsonNode alerts) {
    Set<String> names = new TreeSet<>();
    for (JsonNode alert : alerts.path("data").path("alerts")) {
      if (List.of("pending", "firing").contains(alert.path("state").asText())) {
        names.add(alert.path("labels").path("alertname").asText());
      }
    }
    return names;
  }

  /**
   * Each dashboard variable as Grafana sets it by default over this run's data: its {@code label_values} query asked
   * of the real Prometheus (the variables before it filled in), all the values offered, as Grafana's "All" sends
   * them: a regular expression of the alternatives. {@code job} offers only the demo's {@code aqe-fleet}.
   */
  private static Map<String, String> variableValues() throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    for (Dashboards.Variable variable : Dashboards.variables()) {
      LabelValues query = LabelValues.parse(variable.query());
      String url = "http://" + local("prometheus") + "/api/v1/label/" + query.label() + "/values"
          + (query.selector() == null ? "" : "?match[]=" + URLEncoder.encode(withValues(query.selector(), values),
              StandardCharsets.UTF_8));
      JsonNode offered = eventually("the values of $" + variable.name(), () -> get(url), r -> r.path("data").size() > 0);
      List<String> all = new ArrayList<>();
      // a regular expression inside a PromQL string: each metacharacter behind a backslash, itself escaped
      offered.path("data").forEach(v -> all.add(v.asText().replaceAll("[\\\\.^$|?*+()\\[\\]{}]", "\\\\\\\\$0")));
      assertThat(all).as("$%s offers values", variable.name()).isNotEmpty();
      values.put(variable.name(), all.size() == 1 ? all.get(0) : "(" + String.join("|", all) + ")");
    }
    if (values.containsKey("job")) {
      assertThat(values.get("job")).as("the demo is the one app").isEqualTo("aqe-fleet");
    }
    System.out.println("[deploy-check] StackIT: the dashboard's variables over this run: " + values);
    return values;
  }

  /** A panel's (or variable's) query with the variables set to {@code values}, Grafana's intervals at 5m. */
  private static String withValues(String expr, Map<String, String> values) {
    String out = expr.replaceAll("\\$__(rate_interval|interval|range)", "5m");
    for (Map.Entry<String, String> v : values.entrySet()) {
      String value = java.util.regex.Matcher.quoteReplacement(v.getValue());
      out = out.replaceAll("\\$\\{" + v.getKey() + "(:[a-z]+)?}", value).replaceAll("\\$" + v.getKey() + "\\b", value);
    }
    // ($1 and the like are label_replace's groups, not variables)
    assertThat(out).as("every variable of %s set", expr).doesNotContainPattern("\\$[{A-Za-z_]");
    return out;
  }

  /** The metrics the stack cannot feed, each with why ({@link UnfedSeries}). */
  static final Map<String, String> UNFED_METRICS = UnfedSeries.METRICS;

  /** The panels the stack cannot feed, each with why: those of the unfed metrics ({@link UnfedSeries}). */
  static final Map<String, String> UNFED_PANELS = UnfedSeries.PANELS;

  // --- the processes ---

  private static Process start(String name, List<String> command, Map<String, String> env) throws IOException {
    return PROCESSES.start(name, command, env);
  }

  /** deploy/prometheus/prometheus.yml with the scrape target on loopback and 2 s intervals, beside alerts.yml. */
  private static Path prometheusConfig() throws IOException {
    Path dir = Files.createDirectories(WORK.resolve("prometheus"));
    String original = Repo.read("deploy/prometheus/prometheus.yml");
    String changed = original.replace("\"otel-collector:8889\"", "\"" + local("otelcol-prometheus") + "\"")
        .replace("\"jaeger:8889\"", "\"" + local("jaeger-spanmetrics") + "\"")
        .replace("scrape_interval: 15s", "scrape_interval: 2s").replace("evaluation_interval: 15s", "evaluation_interval: 2s");
    assertThat(changed).as("the three lines this test changes are still in prometheus.yml").isNotEqualTo(original)
        .contains(local("otelcol-prometheus")).contains(local("jaeger-spanmetrics")).contains("scrape_interval: 2s")
        .contains("evaluation_interval: 2s");
    Files.writeString(dir.resolve("prometheus.yml"), changed);
    Files.copy(Repo.path("deploy/prometheus/alerts.yml"), dir.resolve("alerts.yml"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return dir.resolve("prometheus.yml");
  }

  private static void waitFor(String what, String url) throws Exception {
    Waits.forHttp(what + " (its log is in " + WORK + ")", url, Duration.ofSeconds(60), null);
  }

  /** The memtrace collector's {@code query --format csv} over the store serve writes. */
  private static String memtraceQuery(String sql) throws Exception {
    ForkedJvm.Result query = ForkedJvm.jar(COLLECTOR, "query", "--data", memtraceData.toString(), "--format", "csv", sql)
        .timeout(Duration.ofSeconds(60)).run(WORK.resolve("query-" + System.nanoTime()));
    assertThat(query.exitCode).as("%s", query).isZero();
    return query.stdout;
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", url, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  interface Fetch {
    JsonNode get() throws Exception;
  }

  private static JsonNode eventually(String what, Fetch fetch, Predicate<JsonNode> done) throws Exception {
    JsonNode last = eventually(what, fetch, done, Duration.ofSeconds(60));
    assertThat(done.test(last)).as("%s within 60 s: %s", what, last).isTrue();
    return last;
  }

  private static JsonNode eventually(String what, Fetch fetch, Predicate<JsonNode> done, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    JsonNode last = fetch.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      last = fetch.get();
    }
    return last;
  }

  private static String tag(JsonNode span, String key) {
    for (JsonNode t : span.path("tags")) {
      if (key.equals(t.path("key").asText())) {
        return t.path("value").asText();
      }
    }
    return null;
  }

  private static JsonNode parent(JsonNode span, Map<String, JsonNode> byId) {
    for (JsonNode ref : span.path("references")) {
      if ("CHILD_OF".equals(ref.path("refType").asText())) {
        return byId.get(ref.path("spanID").asText());
      }
    }
    return null;
  }

  private static String java() {
    return BuildPaths.JAVA.toString();
  }

  private static String port(String name) {
    return String.valueOf(PORTS.get(name));
  }

  private static String local(String name) {
    return "127.0.0.1:" + PORTS.get(name);
  }
}
