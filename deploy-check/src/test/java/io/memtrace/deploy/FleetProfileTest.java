package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * docker-compose.yml's profile {@code fleet}: ClickHouse with Keeper, {@code clickhouse init} once, the gateway,
 * {@code serve --clickhouse} and Grafana with the ClickHouse data source, wired to each other, started in order, and
 * left out of a plain {@code docker compose up}.
 */
class FleetProfileTest {

  static final Set<String> FLEET = Set.of("clickhouse-keeper", "clickhouse", "clickhouse-init", "otel-gateway",
      "memtrace-query", "demo-app-fleet", "grafana-fleet");
  static final String URL = "http://clickhouse:8123/otel";

  private final ComposeFile compose = new ComposeFile();

  static List<String> profiles(ComposeFile compose, String service) {
    List<String> out = new ArrayList<>();
    Repo.list(compose.service(service).get("profiles"), service + ".profiles").forEach(p -> out.add(String.valueOf(p)));
    return out;
  }

  /** Every {@code --clickhouse URL} in the services' commands. */
  static List<String> clickhouseUrls(ComposeFile compose) {
    List<String> urls = new ArrayList<>();
    for (String service : compose.serviceNames()) {
      compose.commandOption(service, "--clickhouse").ifPresent(urls::add);
    }
    return urls;
  }

  @Test
  void shouldRunTheFleetOnlyInItsProfile() {
    for (String service : compose.serviceNames()) {
      assertThat(profiles(compose, service)).as("%s's profiles", service)
          .isEqualTo(FLEET.contains(service) ? List.of("fleet") : List.of());
    }
  }

  @Test
  void shouldCreateTheSchemaOnceBeforeTheGatewayAndTheQueryTierStart() {
    assertThat(compose.command("clickhouse-init")).containsExactly("clickhouse", "init", "--clickhouse", URL);
    assertThat(compose.service("clickhouse-init").get("restart")).isEqualTo("no");
    assertThat(compose.dependsOn("clickhouse-init")).containsEntry("clickhouse", "service_healthy");
    for (String service : List.of("otel-gateway", "memtrace-query")) {
      assertThat(compose.dependsOn(service)).as(service)
          .containsEntry("clickhouse-init", "service_completed_successfully");
    }
    assertThat(compose.dependsOn("clickhouse")).containsEntry("clickhouse-keeper", "service_healthy");
    assertThat(clickhouseUrls(compose)).as("every command's --clickhouse").containsOnly(URL).hasSize(2);
  }

  @Test
  void shouldServeTheQueryTierFromClickHouseOnLoopbackOnly() {
    List<String> serve = compose.command("memtrace-query");
    assertThat(serve.get(0)).isEqualTo("serve");
    assertThat(serve).as("no local store").doesNotContain("--data");
    assertThat(compose.commandOption("memtrace-query", "--clickhouse")).contains(URL);
    assertThat(compose.commandOption("memtrace-query", "--allowed-host")).contains("memtrace-query");
    assertThat(compose.commandOption("memtrace-query", "--bind")).contains("0.0.0.0");
    assertThat(compose.commandOption("memtrace-query", "--forward")).as("its memory health gauges to the gateway, "
        + "whose metrics Prometheus scrapes").contains("http://otel-gateway:4318");
    assertThat(Repo.list(compose.service("memtrace-query").get("ports"), "ports")).isNotEmpty()
        .allSatisfy(p -> assertThat(String.valueOf(p)).startsWith("127.0.0.1:"));
  }

  @Test
  void shouldGiveEveryoneTheSameCredentialsFromTheEnvironment() {
    Map<String, String> server = compose.environment("clickhouse");
    String user = server.get("CLICKHOUSE_USER");
    String password = server.get("CLICKHOUSE_PASSWORD");
    assertThat(user).startsWith("${MEMTRACE_CLICKHOUSE_USER");
    assertThat(password).startsWith("${MEMTRACE_CLICKHOUSE_PASSWORD");
    for (String service : List.of("clickhouse-init", "otel-gateway", "memtrace-query", "grafana-fleet")) {
      assertThat(compose.environment(service)).as(service).containsEntry("MEMTRACE_CLICKHOUSE_USER", user)
          .containsEntry("MEMTRACE_CLICKHOUSE_PASSWORD", password);
    }
  }

  @Test
  void shouldPointClickHouseAtKeeperAndItsClusterAtItself() throws Exception {
    Path serverFile = compose.hostPath("clickhouse", "/etc/clickhouse-server/config.d/memtrace-fleet.xml")
        .orElseThrow(() -> new AssertionError("clickhouse mounts no memtrace-fleet.xml in config.d"));
    Path keeperFile = compose.hostPath("clickhouse-keeper", "/etc/clickhouse-keeper/keeper_config.xml")
        .orElseThrow(() -> new AssertionError("clickhouse-keeper mounts no keeper_config.xml"));
    Document server = xml(serverFile);
    Document keeper = xml(keeperFile);
    assertThat(text(server, "zookeeper/node/host")).isEqualTo("clickhouse-keeper");
    assertThat(text(server, "zookeeper/node/port")).isEqualTo(text(keeper, "keeper_server/tcp_port"));
    assertThat(text(keeper, "keeper_server/raft_configuration/server/hostname")).isEqualTo("clickhouse-keeper");
    assertThat(text(keeper, "keeper_server/four_letter_word_white_list")).as("the health check's ruok").contains("ruok");
    assertThat(text(server, "remote_servers/memtrace/shard/replica/host")).isEqualTo("clickhouse");
    assertThat(server.getElementsByTagName("secret").item(0).getAttributes().getNamedItem("from_env").getNodeValue())
        .as("the cluster's secret, from the environment compose sets").isIn(compose.environment("clickhouse").keySet());
  }

  @Test
  void shouldProvisionClickHouseBesidePrometheusInTheFleetsGrafana() {
    Path datasources = compose.hostPath("grafana-fleet", "/etc/grafana/provisioning/datasources/clickhouse.yml")
        .orElseThrow(() -> new AssertionError("grafana-fleet provisions no ClickHouse data source"));
    assertThat(compose.hostPath("grafana-fleet", "/etc/grafana/provisioning/datasources/prometheus.yml"))
        .contains(Repo.path("deploy/grafana/provisioning/datasources/prometheus.yml"));
    assertThat(compose.hostPath("grafana-fleet", "/etc/grafana/dashboards/memtrace"))
        .contains(Repo.path(Dashboards.DIR));
    Map<String, Object> source = Repo.map(Repo.list(Repo.yaml(Repo.ROOT.relativize(datasources).toString())
        .get("datasources"), "datasources").get(0), "datasource");
    assertThat(source.get("type")).isEqualTo("grafana-clickhouse-datasource");
    Map<String, Object> json = Repo.map(source.get("jsonData"), "jsonData");
    assertThat(json).containsEntry("host", "clickhouse").containsEntry("port", 8123).containsEntry("protocol", "http")
        .containsEntry("defaultDatabase", "otel");
    Map<String, Object> traces = Repo.map(json.get("traces"), "traces");
    assertThat(traces).containsEntry("defaultTable", "otel_traces").containsEntry("otelEnabled", true);
    String plugin = compose.environment("grafana-fleet").get("GF_PLUGINS_PREINSTALL_SYNC");
    assertThat(plugin).as("the plugin, installed at a pinned version").matches("grafana-clickhouse-datasource@\\d+\\.\\d+\\.\\d+");
  }

  private static Document xml(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  /** The text of the element at {@code path} (slash-separated tag names) under the root; fails when absent. */
  private static String text(Document document, String path) {
    org.w3c.dom.Element at = document.getDocumentElement();
    for (String tag : path.split("/")) {
      org.w3c.dom.NodeList children = at.getElementsByTagName(tag);
      assertThat(children.getLength()).as("<%s> on the way to %s", tag, path).isPositive();
      at = (org.w3c.dom.Element) children.item(0);
    }
    return at.getTextContent().strip();
  }
}
