package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.testsupport.ForkedJvm;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code serve} as a real process: encodings, the malformed-payload corpus, the SQL API, shutdown. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeIT {

  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";
  static final ObjectMapper MAPPER = new ObjectMapper();

  @RegisterExtension
  static final ServedCollector SERVED = new ServedCollector("serve-it", dir -> List.of("--max-body", "1MiB",
      "--timeseries", dir.resolve("timeseries.jsonl").toString(), "--timeseries-interval", "1s"));

  @Test
  @Order(1)
  void shouldStoreProtobufJsonAndGzipAndAnswerOnlyAfterCommit() throws Exception {
    byte[] seed = SpanFixtures.seedTrace().toByteArray();
    assertThat(SERVED.process().post("/v1/traces", PROTOBUF, null, seed).statusCode()).isEqualTo(200);
    assertThat(count("trace_id = '" + SpanFixtures.SEED_TRACE + "'")).as("stored when acknowledged").isEqualTo(12);

    String line = Files.readString(Path.of("src/test/resources/otlp/trace-line.json")).trim();
    HttpResponse<String> json = SERVED.process().post("/v1/traces", JSON + "; charset=utf-8", null, line.getBytes(StandardCharsets.UTF_8));
    assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    assertThat(json.body()).isEqualTo("{}");

    ExportTraceServiceRequest zipped = batch("00000000000000000000000000000a11", 3);
    assertThat(SERVED.process().post("/v1/traces", PROTOBUF, "gzip", gzip(zipped.toByteArray())).statusCode()).isEqualTo(200);
    assertThat(count("trace_id = '00000000000000000000000000000a11'")).isEqualTo(3);
  }

  static Stream<Arguments> malformed() throws Exception {
    byte[] good = batch("0000000000000000000000000000bad1", 4).toByteArray();
    Span badId = SpanFixtures.span("0000000000000000000000000000bad2", null, "bad-id", 0, 1)
        .setTraceId(SpanFixtures.hex("0102030405")).build();
    ExportTraceServiceRequest partlyBad = SpanFixtures.request("svc", List.of(
        SpanFixtures.span("0000000000000000000000000000bad2", null, "good-neighbour", 0, 1).build(), badId));
    return Stream.of(
        Arguments.of("truncated protobuf", PROTOBUF, null, Arrays.copyOf(good, good.length - 7), 400, "malformed protobuf"),
        Arguments.of("random bytes as protobuf", PROTOBUF, null, new byte[] {(byte) 0xff, (byte) 0xff, 0x7f, 0x01}, 400, "malformed protobuf"),
        Arguments.of("wrong content type", "text/plain", null, good, 415, "unsupported Content-Type 'text/plain'"),
        Arguments.of("no content type", null, null, good, 415, "unsupported Content-Type"),
        Arguments.of("bad JSON", JSON, null, "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), 400, "malformed JSON"),
        Arguments.of("JSON of the wrong shape", JSON, null, "{\"resourceSpans\": {\"x\": 1}}".getBytes(StandardCharsets.UTF_8), 400,
            "$.resourceSpans: expected an array"),
        Arguments.of("one invalid span id among good spans", PROTOBUF, null, partlyBad.toByteArray(), 400, "traceId has 5 bytes"),
        Arguments.of("oversized body", PROTOBUF, null, new byte[2 * 1024 * 1024], 413, "exceeds the limit of 1048576 bytes"),
        Arguments.of("gzip bomb", PROTOBUF, "gzip", gzip(new byte[256 * 1024 * 1024]), 413, "decompressed request body exceeds"),
        Arguments.of("not gzip", PROTOBUF, "gzip", good, 400, "not valid gzip"),
        Arguments.of("unknown encoding", PROTOBUF, "zstd", good, 415, "unsupported Content-Encoding"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  @Order(2)
  void shouldRefuseMalformedPayloadsAndKeepWhatIsStored(String name, String type, String encoding, byte[] body,
      int status, String message) throws Exception {
    long before = count("true");

    HttpResponse<String> response = SERVED.process().post("/v1/traces", type, encoding, body);

    assertThat(response.statusCode()).as(name).isEqualTo(status);
    assertThat(response.body()).as(name).contains(message);
    assertThat(count("true")).as("nothing of the refused request stored").isEqualTo(before);
    assertThat(count("trace_id LIKE '0000000000000000000000000000bad%'")).isZero();
    assertThat(SERVED.process().get("/api/status").statusCode()).as("still serving").isEqualTo(200);
  }

  @Test
  @Order(3)
  void shouldServeTheReadingCommandsWhileItHoldsTheStore() throws Exception {
    ForkedJvm.Result query = CollectorProcess.run("query", "--data", SERVED.process().data.toString(), "--format", "csv",
        "SELECT attributes['memory.key'] AS key, attributes['memory.value_size'] AS size_bytes FROM spans "
            + "WHERE name = 'aqe.memory.store' ORDER BY size_bytes DESC");
    assertThat(query.exitCode).as("%s", query).isZero();
    assertThat(query.stdout).startsWith("key,size_bytes\ncoverage-report-user-service,1247\ntest-plan-user-service,387\n");

    ForkedJvm.Result write = CollectorProcess.run("query", "--data", SERVED.process().data.toString(), "DROP TABLE span_store");
    assertThat(write.exitCode).isEqualTo(1);
    assertThat(write.stderr).contains("read-only");

    ForkedJvm.Result traces = CollectorProcess.run("traces", "--data", SERVED.process().data.toString(), "--trace", SpanFixtures.SEED_TRACE);
    assertThat(traces.stdout).as("%s", traces).contains("aqe.memory.store [test-plan-user-service]");
    assertThat(CollectorProcess.run("report", "--data", SERVED.process().data.toString()).stdout).contains("## Hot keys");

    JsonNode status = MAPPER.readTree(SERVED.process().get("/api/status").body());
    assertThat(status.path("requests_rejected").asLong()).isGreaterThanOrEqualTo(11);
  }

  @Test
  @Order(4)
  void shouldWriteTheKeyUsageTimeSeries() throws Exception {
    Path file = SERVED.dir().resolve("timeseries.jsonl");
    long deadline = System.currentTimeMillis() + 120_000;
    JsonNode withKeys = null;
    while (withKeys == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      for (String line : Files.exists(file) ? Files.readAllLines(file) : List.<String>of()) {
        JsonNode node = MAPPER.readTree(line);
        if (node.path("keys_total").asLong() > 0) {
          withKeys = node;
        }
      }
    }
    assertThat(withKeys).as("a time-series line with keys").isNotNull();
    assertThat(withKeys.path("keys_total").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(withKeys.has("top_keys") && withKeys.has("namespaces") && withKeys.has("rapid_growth")).isTrue();
  }

  @Test
  @Order(5)
  void shouldShutDownCleanlyAndLeaveAReadableStore() throws Exception {
    long stored = count("true");
    assertThat(SERVED.process().stop()).as("the JVM status after SIGTERM").isEqualTo(143);
    assertThat(SERVED.process().stderr()).contains("memtrace collector stopped");
    assertThat(SERVED.process().data.resolve("collector.json")).doesNotExist();
    ForkedJvm.Result after = CollectorProcess.run("query", "--data", SERVED.process().data.toString(), "--format", "csv",
        "SELECT count(*) AS n FROM spans");
    assertThat(after.stdout).as("%s", after).isEqualTo("n\n" + stored + "\n");
  }

  static long count(String where) throws Exception {
    HttpResponse<String> response = SERVED.process().post("/api/query", "application/sql", null,
        ("SELECT count(*) AS n FROM spans WHERE " + where).getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return MAPPER.readTree(response.body()).at("/rows/0/0").asLong();
  }

  static ExportTraceServiceRequest batch(String trace, int spans) {
    return SpanFixtures.request("batch-service", java.util.stream.IntStream.range(0, spans)
        .mapToObj(i -> SpanFixtures.span(trace, null, "op-" + i, i, 1).build()).toList());
  }

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
