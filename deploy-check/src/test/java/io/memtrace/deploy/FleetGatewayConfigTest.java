package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * deploy/otelcol/fleet-gateway.yaml: the `fleet` profile's gateway takes OTLP where the fleet's agents send, refuses
 * an overload first, writes spans to the otel_traces that `clickhouse init` creates (never DDL of its own) through a
 * queue kept on disk, with the credentials memtrace's commands read, and serves metrics where Prometheus scrapes.
 * ClickHouseExporterIT runs the same file.
 */
class FleetGatewayConfigTest {

  static final String FILE = "deploy/otelcol/fleet-gateway.yaml";
  private static final String SERVICE = "otel-gateway";

  private final Map<String, Object> config = Repo.composeYaml(FILE);
  private final ComposeFile compose = new ComposeFile();

  @Test
  void shouldBeTheFileTheGatewayContainerLoadsInTheFleetProfile() {
    assertThat(FleetProfileTest.profiles(compose, SERVICE)).containsExactly("fleet");
    String flag = compose.commandOption(SERVICE, "--config")
        .orElseThrow(() -> new AssertionError(SERVICE + " is started without --config"));
    assertThat(compose.hostPath(SERVICE, flag)).as("%s's --config, mounted from the repository", SERVICE)
        .contains(Repo.path(FILE));
  }

  @Test
  void shouldWriteSpansToClickHouseWithTheSchemaInitCreatesAndMetricsToPrometheus() {
    assertThat(ids("traces", "receivers")).containsExactly("otlp");
    assertThat(ids("traces", "exporters")).containsExactly("clickhouse");
    assertThat(ids("metrics", "exporters")).containsExactly("prometheus");
    for (String pipeline : List.of("traces", "metrics")) {
      assertThat(ids(pipeline, "processors").get(0)).as("%s: memory_limiter first", pipeline).isEqualTo("memory_limiter");
    }
    // spans are batched in the exporter's queue, after file_storage has them: a batch processor before it would
    // hold acknowledged spans in memory only
    assertThat(ids("traces", "processors")).doesNotContain("batch");

    Map<String, Object> clickhouse = exporter("clickhouse");
    assertThat(clickhouse.get("create_schema")).as("the schema is clickhouse init's").isEqualTo(false);
    assertThat(clickhouse.get("traces_table_name")).isEqualTo("otel_traces");
    Map.Entry<String, Integer> address = ComposeFile.hostAndPort(String.valueOf(clickhouse.get("endpoint")));
    assertThat(address).as("ClickHouse's HTTP interface in compose").isEqualTo(Map.entry("clickhouse", 8123));
    assertThat(compose.serviceNames()).contains(address.getKey());
    // the exporter's database is the one every memtrace command's --clickhouse URL names
    assertThat(FleetProfileTest.clickhouseUrls(compose)).isNotEmpty()
        .allSatisfy(url -> assertThat(url).isEqualTo("http://clickhouse:8123/" + clickhouse.get("database")));

    String text = Repo.read(FILE);
    assertThat(text).as("credentials from the variables memtrace's commands read")
        .contains("username: ${env:MEMTRACE_CLICKHOUSE_USER:-").contains("password: ${env:MEMTRACE_CLICKHOUSE_PASSWORD:-");
    assertThat(compose.environment(SERVICE)).containsKeys("MEMTRACE_CLICKHOUSE_USER", "MEMTRACE_CLICKHOUSE_PASSWORD");
  }

  @Test
  void shouldKeepTheExportersQueueOnDiskInANamedVolume() {
    Map<String, Object> queue = Repo.map(exporter("clickhouse").get("sending_queue"), "sending_queue");
    assertThat(queue.get("enabled")).isEqualTo(true);
    String storage = String.valueOf(queue.get("storage"));
    assertThat(Repo.map(config.get("extensions"), "extensions")).as("extensions").containsKey(storage);
    assertThat(storage).startsWith("file_storage");
    assertThat(Repo.list(Repo.map(config.get("service"), "service").get("extensions"), "service.extensions"))
        .contains(storage);
    assertThat(queue).as("batched inside the queue").containsKey("batch");
    String directory = String.valueOf(Repo.map(Repo.map(config.get("extensions"), "extensions").get(storage), storage)
        .get("directory"));
    assertThat(compose.mounts(SERVICE)).as("%s's queue directory %s survives the container", SERVICE, directory)
        .anyMatch(m -> !m.bind() && m.target().equals(directory));
  }

  @Test
  void shouldReceiveWhereTheFleetsAgentsSendAndAnswerTheirHealthCheck() {
    Map<String, Object> protocols = Repo.map(Repo.map(Repo.map(config.get("receivers"), "receivers").get("otlp"), "otlp")
        .get("protocols"), "otlp.protocols");
    int http = port(Repo.map(protocols.get("http"), "http").get("endpoint"));
    assertThat(port(Repo.map(protocols.get("grpc"), "grpc").get("endpoint"))).isEqualTo(4317);
    Map<String, String> demo = compose.environment("demo-app-fleet");
    assertThat(ComposeFile.hostAndPort(demo.get("OTEL_EXPORTER_OTLP_ENDPOINT"))).isEqualTo(Map.entry(SERVICE, http));
    int health = port(Repo.map(Repo.map(config.get("extensions"), "extensions").get("health_check"), "health_check")
        .get("endpoint"));
    assertThat(ComposeFile.hostAndPort(demo.get("DEMO_WAIT_FOR"))).isEqualTo(Map.entry(SERVICE, health));
    List<String> listening = new ArrayList<>();
    for (Object protocol : protocols.values()) {
      listening.add(String.valueOf(Repo.map(protocol, "protocol").get("endpoint")));
    }
    listening.add(String.valueOf(exporter("prometheus").get("endpoint")));
    assertThat(listening).allSatisfy(e -> assertThat(e).startsWith("0.0.0.0:"));
  }

  @Test
  void shouldServeItsMetricsAndItsOwnTelemetryWherePrometheusScrapes() {
    int metrics = port(exporter("prometheus").get("endpoint"));
    Map<String, Object> reader = Repo.map(Repo.map(Repo.list(Repo.map(Repo.map(Repo.map(config.get("service"), "service")
        .get("telemetry"), "telemetry").get("metrics"), "metrics").get("readers"), "readers").get(0), "reader")
        .get("pull"), "pull");
    Map<String, Object> prometheus = Repo.map(Repo.map(reader.get("exporter"), "exporter").get("prometheus"), "prometheus");
    assertThat(String.valueOf(prometheus.get("host"))).as("the gateway's own metrics, reachable").isEqualTo("0.0.0.0");
    List<String> targets = PrometheusTargets.all();
    assertThat(targets).contains(SERVICE + ":" + metrics, SERVICE + ":" + prometheus.get("port"));
  }

  private Map<String, Object> exporter(String id) {
    return Repo.map(Repo.map(config.get("exporters"), "exporters").get(id), id);
  }

  private List<String> ids(String pipeline, String kind) {
    Map<String, Object> pipelines = Repo.map(Repo.map(config.get("service"), "service").get("pipelines"), "pipelines");
    List<String> out = new ArrayList<>();
    Repo.list(Repo.map(pipelines.get(pipeline), pipeline).get(kind), kind).forEach(id -> out.add(String.valueOf(id)));
    return out;
  }

  private static int port(Object endpoint) {
    String s = String.valueOf(endpoint);
    return Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
  }
}
