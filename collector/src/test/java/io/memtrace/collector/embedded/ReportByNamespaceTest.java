package io.memtrace.collector.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.Cli;
import io.memtrace.collector.query.LocalSqlSource;
import io.memtrace.collector.query.ResultJson;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.Layer;
import io.memtrace.collector.report.AnalyticsFixtures;
import io.memtrace.collector.report.ReportRenderer;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key lists of the report count their keys per namespace, so a leak names its namespace. */
class ReportByNamespaceTest {

  @TempDir
  static Path dir;

  @Test
  void shouldShowWhichNamespaceLeaks() throws Exception {
    Reports leak = redisReportsOf("leak", AnalyticsFixtures.namespaceLeak());
    assertThat(leak.sections().at("/written_never_read/keys").asLong()).isEqualTo(25);
    assertThat(leak.sections().at("/written_never_read/by_namespace")).hasToString("{\"stress/leak\":25}");
    assertThat(leak.sections().at("/no_ttl/by_namespace")).as("TTL 0 is no TTL").hasToString("{\"stress/leak\":25}");
    assertThat(leak.sections().at("/read_once/by_namespace")).hasToString("{\"session\":1}");
    assertThat(leak.markdown()).contains("First 20 of 25.\n\n- keys: 25\n\nBy namespace: stress/leak 25\n\n| key |",
        "- keys: 1\n\nBy namespace: session 1\n");
  }

  @Test
  void shouldNameTheLargestNamespacesAndSumTheRestAsOther() throws Exception {
    Reports many = redisReportsOf("many", AnalyticsFixtures.manyNamespaces());
    JsonNode list = many.sections().path("written_never_read");
    assertThat(list.path("keys").asLong()).isEqualTo(23 * 24 / 2);
    List<String> names = new ArrayList<>();
    list.path("by_namespace").fieldNames().forEachRemaining(names::add);
    assertThat(names).hasSize(ReportBuilder.NAMESPACES + 1).startsWith("ns-23", "ns-22").endsWith("ns-04", "(other)");
    assertThat(list.at("/by_namespace/ns-04").asLong()).isEqualTo(4);
    assertThat(list.at("/by_namespace/(other)").asLong()).as("ns-03, ns-02, ns-01").isEqualTo(6);
    assertThat(many.markdown()).contains("By namespace: ns-23 23 · ns-22 22 · ", " · ns-04 4 · (other) 6\n");
  }

  record Reports(JsonNode sections, String markdown) {
  }

  /** The Redis-layer report, JSON sections and Markdown, of a new store that holds only the request. */
  private static Reports redisReportsOf(String name, ExportTraceServiceRequest request) throws Exception {
    Path data = dir.resolve(name);
    TestStores.fill(data, request);
    Cli json = Cli.run("report", "--query-timeout", "10m", "--data", data.toString(), "--format", "json", "--layer", "redis");
    assertThat(json.exitCode).as("%s", json).isZero();
    return new Reports(new ObjectMapper().readTree(json.out).path("sections"),
        Cli.run("report", "--query-timeout", "10m", "--data", data.toString(), "--layer", "redis").out);
  }

  @Test
  void shouldReportTheSameThroughTheServersWireForm() throws Exception {
    // a running server answers with ResultJson and RemoteSqlSource reads it back: small numbers in a list come back as Integers
    Path data = dir.resolve("wire");
    TestStores.fill(data, AnalyticsFixtures.namespaceLeak(), AnalyticsFixtures.manyNamespaces());
    try (LocalSqlSource local = TestQueryLimits.local(new StoreFiles(data))) {
      SqlSource wire = SqlSource.of("wire", sql -> {
        try {
          return ResultJson.read(ResultJson.write(local.query(sql), 0));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      assertThat(ReportRenderer.json(new ReportBuilder(wire, null, 6, Layer.REDIS).build(), "s", 0))
          .contains("\"by_namespace\" : {\n        \"stress/leak\" : 25,")
          .isEqualTo(ReportRenderer.json(new ReportBuilder(local, null, 6, Layer.REDIS).build(), "s", 0));
    }
  }
}
