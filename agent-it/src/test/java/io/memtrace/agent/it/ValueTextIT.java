package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.OtlpProtobuf;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import io.memtrace.testsupport.redis.Resp;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Values only in events, on the wire: Jedis, Lettuce and Redisson programs write a string, a hash field, a list and
 * a JSON document ({@code JSON.SET} where the Redis has RedisJSON, else a string holding JSON) under the real agent
 * jar, once with {@code capture.values} on for their namespace and once with it off. Every byte of every request the
 * agent sent is searched: each value appears exactly as often as the {@code memory.value} events carry it, and each
 * span's {@code db.query.text} is the text it has with capture off.
 */
class ValueTextIT extends TestRedisPerClass {

  /** What the programs write, as they write it; the hash's and the list's events carry them inside JSON. */
  private static final List<String> VALUES = List.of("qtval-string-Ada", "qtval-hash-label", "qtval-list-1",
      "qtval-list-2", "{\"note\":\"qtval-json-note\"}");

  @Test
  void shouldKeepJedisValuesOutOfQueryText() throws Exception {
    String classPath = TestPrograms.compile("jedis-value-text", TestPrograms.jedisClassPath("5.2.0"),
        "JedisValueTextProgram.java");
    assertValuesOnlyInEvents(classPath, "JedisValueTextProgram", "value-text-jedis");
  }

  @Test
  void shouldKeepLettuceValuesOutOfQueryText() throws Exception {
    String lettuce = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("lettuce-" + LettuceSpansIT.LETTUCE)).stream()
        .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    String classPath = TestPrograms.compile("lettuce-value-text", lettuce, "LettuceValueTextProgram.java");
    assertValuesOnlyInEvents(classPath, "LettuceValueTextProgram", "value-text-lettuce");
  }

  @Test
  void shouldKeepRedissonValuesOutOfQueryText() throws Exception {
    String redisson = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("redisson-" + RedissonSpansIT.REDISSON))
        .stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    String classPath = TestPrograms.compile("redisson-value-text", redisson, "RedissonValueTextProgram.java");
    assertValuesOnlyInEvents(classPath, "RedissonValueTextProgram", "value-text-redisson");
  }

  private void assertValuesOnlyInEvents(String classPath, String main, String name) throws Exception {
    String json = hasRedisJson() ? "json" : "string";
    try (OtlpSink captured = run(classPath, main, name + "-on", json, true);
        OtlpSink plain = run(classPath, main, name + "-off", json, false)) {
      for (String value : VALUES) {
        assertThat(inEvents(captured, value)).as("%s captured", value).isPositive();
        assertThat(inPayloads(captured, value)).as("bytes of %s in what was sent, events included", value)
            .isEqualTo(inEvents(captured, value));
        assertThat(inPayloads(plain, value)).as("bytes of %s with capture off", value).isZero();
      }
      List<String> texts = queryTexts(captured);
      assertThat(texts).as("db.query.text of each qt: span").contains("HSET qt:hash ? ?")
          .isEqualTo(queryTexts(plain));
    }
  }

  /** Whether the test's Redis knows {@code JSON.SET} (RedisJSON is loaded). */
  private static boolean hasRedisJson() throws Exception {
    try (Resp resp = Resp.connect(redis.host, redis.port)) {
      Object info = resp.ok("COMMAND", "INFO", "JSON.SET");
      return info instanceof List && !((List<?>) info).isEmpty() && ((List<?>) info).get(0) != null;
    }
  }

  private static OtlpSink run(String classPath, String main, String name, String json, boolean capture)
      throws Exception {
    try (Resp resp = Resp.connect(redis.host, redis.port)) {
      resp.ok("FLUSHDB");
    }
    OtlpSink receiver = new OtlpSink();
    ForkedJvm program = ForkedJvm.program(classPath, main, redis.host, String.valueOf(redis.port), json)
        .withAgent().everySpan().exportTo(receiver.endpoint());
    if (capture) {
      program.env("MEMTRACE_CAPTURE_VALUES", "qt:*");
    }
    ForkedJvm.Result result = program.run(BuildPaths.IT_WORK.resolve(name));
    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).contains("get -> qtval-string-Ada");
    assertThat(receiver.requests("/v1/traces")).isNotEmpty()
        .allMatch(r -> r.contentType.startsWith("application/x-protobuf"));
    return receiver;
  }

  /** Occurrences of {@code value}'s UTF-8 bytes in the bodies of every request the sink received, metrics too. */
  private static int inPayloads(OtlpSink receiver, String value) {
    String needle = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    int count = 0;
    for (OtlpSink.Request request : receiver.requests()) {
      count += occurrences(new String(request.decodedBody(), StandardCharsets.ISO_8859_1), needle);
    }
    return count;
  }

  /** Occurrences of {@code value} in the attributes of the {@code memory.value} events of every trace request. */
  private static int inEvents(OtlpSink receiver, String value) throws Exception {
    int count = 0;
    for (OtlpSink.Request request : receiver.requests("/v1/traces")) {
      for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(request.decodedBody()).getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            for (Span.Event event : span.getEventsList()) {
              if (event.getName().equals("memory.value")) {
                for (KeyValue kv : event.getAttributesList()) {
                  count += occurrences(kv.getValue().getStringValue(), value);
                }
              }
            }
          }
        }
      }
    }
    return count;
  }

  private static int occurrences(String haystack, String needle) {
    int count = 0;
    for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) {
      count++;
    }
    return count;
  }

  /** {@code db.query.text} of each span with a {@code qt:} key, sorted (the run's order is the program's). */
  private static List<String> queryTexts(OtlpSink receiver) {
    List<String> out = new ArrayList<>();
    for (Span span : receiver.spans()) {
      String key = OtlpProtobuf.attribute(span, "memory.key");
      if (key != null && key.startsWith("qt:")) {
        out.add(OtlpProtobuf.attribute(span, "db.query.text"));
      }
    }
    out.sort(null);
    return out;
  }
}
