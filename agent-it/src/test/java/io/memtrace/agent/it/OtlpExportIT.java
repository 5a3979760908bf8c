package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpProtobuf;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestRedis;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The default exporter: OTLP http/protobuf over a real socket, configured with the standard OTEL_* variables. */
class OtlpExportIT {

  /** The Jedis program with the agent, exporting traces over OTLP to {@code receiver}. */
  private static ForkedJvm jedisProgramExportingTo(TestRedis redis, OtlpSink receiver) throws Exception {
    return ForkedJvm.program(JedisSpansIT.programClassPath("5.2.0"), "JedisProgram", redis.host,
            String.valueOf(redis.port))
        .withAgent().everySpan()
        .env("OTEL_TRACES_EXPORTER", "otlp")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
  }

  @Test
  void shouldSendSpansOverOtlpHttpProtobuf() throws Exception {
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result result = jedisProgramExportingTo(redis, receiver)
          .env("OTEL_SERVICE_NAME", "checkout-service")
          .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging")
          .run(BuildPaths.IT_WORK.resolve("otlp-export"));

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stderr).contains("memtrace.export.failures=0");
      assertThat(receiver.requests("/v1/traces")).allMatch(r -> r.contentType.startsWith("application/x-protobuf"));
      assertThat(receiver.serviceNames()).isNotEmpty().allMatch("checkout-service"::equals);
      assertThat(receiver.spans().stream().map(Span::getName).collect(Collectors.toSet()))
          .contains("SET", "GET", "PIPELINE", "MULTI", "LPUSH");
      Span get = receiver.spans().stream()
          .filter(s -> "GET user:42:name".equals(OtlpProtobuf.attribute(s, "db.query.text")))
          .findFirst().orElseThrow();
      assertThat(get.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(OtlpProtobuf.attribute(get, "memory.found")).isEqualTo("true");
      assertThat(get.getTraceId().size()).isEqualTo(16);
      assertThat(get.getSpanId().size()).isEqualTo(8);
      assertThat(result.stderr).contains("memtrace.events.exported=" + receiver.spans().size());
    }
  }

  /**
   * What leaves the process for a value: its size and fingerprint, never a byte of it, in the very requests sent.
   * The same value gives the same fingerprint within a process; two processes agree only when given one key.
   */
  @Test
  void shouldSendValueFingerprintsAndNoByteOfAnyValue() throws Exception {
    String sharedKey = "8f14e45fceea167a5a36dedd4bea2543";
    try (TestRedis redis = TestRedis.start()) {
      Fingerprints first = fingerprints(redis, sharedKey, "otlp-fingerprint-1");
      Fingerprints second = fingerprints(redis, sharedKey, "otlp-fingerprint-2");
      Fingerprints unkeyed = fingerprints(redis, null, "otlp-fingerprint-3");

      assertThat(first.set).matches("[0-9a-f]{16}");
      assertThat(first.get).as("a GET of the value the SET wrote").isEqualTo(first.set);
      assertThat(first.setex).matches("[0-9a-f]{16}").isNotEqualTo(first.set);
      assertThat(second.set).as("another process under the same key").isEqualTo(first.set);
      assertThat(unkeyed.get).as("a key drawn for the process").isEqualTo(unkeyed.set).isNotEqualTo(first.set);
    }
  }

  private static final class Fingerprints {
    String set;
    String get;
    String setex;
  }

  private static Fingerprints fingerprints(TestRedis redis, String key, String run) throws Exception {
    try (OtlpSink receiver = new OtlpSink()) {
      ForkedJvm program = jedisProgramExportingTo(redis, receiver);
      if (key != null) {
        program.env("MEMTRACE_CAPTURE_FINGERPRINT_KEY", key);
      }
      ForkedJvm.Result result = program.run(BuildPaths.IT_WORK.resolve(run));
      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stdout).contains("get -> Ada Lovelace");
      if (key != null) {
        assertThat(result.stdout + result.stderr).as("the key is never logged").doesNotContain(key);
      }
      assertThat(receiver.requests("/v1/traces")).isNotEmpty().allSatisfy(r -> {
        String body = new String(r.decodedBody(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(body).as("no value byte in the payload").doesNotContain("Ada Lovelace")
            .doesNotContain("secret-token-value").doesNotContain("London");
      });
      Fingerprints found = new Fingerprints();
      found.set = fingerprintOf(receiver, "SET user:42:name ?");
      found.get = fingerprintOf(receiver, "GET user:42:name");
      found.setex = fingerprintOf(receiver, "SETEX session:token:abc ? ?");
      assertThat(receiver.spans().stream()
          .filter(s -> "GET user:43:name".equals(OtlpProtobuf.attribute(s, "db.query.text")))
          .map(s -> OtlpProtobuf.attribute(s, "memory.value.fingerprint")))
          .as("a miss read no value").singleElement().isNull();
      return found;
    }
  }

  private static String fingerprintOf(OtlpSink receiver, String query) {
    Span span = receiver.spans().stream().filter(s -> query.equals(OtlpProtobuf.attribute(s, "db.query.text")))
        .findFirst().orElseThrow(() -> new AssertionError("no span for " + query));
    return OtlpProtobuf.attribute(span, "memory.value.fingerprint");
  }

  @Test
  void shouldHoldEventsInTheRingWhileTheEndpointStallsInsteadOfDroppingBatches() throws Exception {
    // the first trace request is held 1.5 s; the one thread that answers keeps the others waiting behind it
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink().replying(request -> {
      if (request.number == 1) {
        Thread.sleep(1500);
      }
      return OtlpSink.Reply.ok();
    })) {
      ForkedJvm.Result result = jedisProgramExportingTo(redis, receiver)
          // one export in flight and batches of 1 that may grow to 8: the program's 19 spans fill the
          // export held by the endpoint and a batch grown to its cap, and the rest wait in the ring
          // (and no encoded batches waiting beyond it: export.max-queued-spans would take them all)
          .env("MEMTRACE_EXPORT_MAX_IN_FLIGHT", "1")
          .env("MEMTRACE_EXPORT_MAX_QUEUED_SPANS", "0")
          .env("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1")
          .run(BuildPaths.IT_WORK.resolve("otlp-stall"));

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(receiver.requests("/v1/traces").size()).as("batches sent").isGreaterThanOrEqualTo(3);
      assertThat(result.stderr).contains("memtrace.events.dropped=0", "memtrace.export.failures=0")
          .contains("is behind (1 exports in flight").contains("events wait in the ring")
          .contains("memtrace.events.exported=" + receiver.spans().size());
      assertThat(receiver.spans().stream().map(Span::getName).collect(Collectors.toSet()))
          .contains("SET", "GET", "PIPELINE", "MULTI", "LPUSH");
    }
  }

  @Test
  void shouldExplainAndFallBackToHttpWhenGrpcIsAsked() throws Exception {
    try (TestRedis redis = TestRedis.start(); OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result result = jedisProgramExportingTo(redis, receiver)
          .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
          .run(BuildPaths.IT_WORK.resolve("otlp-grpc"));

      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stderr).contains("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not available")
          .contains("http/protobuf").contains("4318");
      assertThat(receiver.spans()).as("export still works over HTTP").isNotEmpty();
    }
  }
}
