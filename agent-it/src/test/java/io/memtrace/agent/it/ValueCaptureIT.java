package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MemtraceYaml;
import io.memtrace.testsupport.OtlpProtobuf;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Captured values end to end: Jedis, Lettuce and Redisson programs and a memory manager under the real agent jar,
 * against a real redis-server,
 * exporting OTLP/HTTP protobuf over a real socket. With {@code capture.values} scoped to {@code vc:*}, each write
 * of a value in scope is one {@code memory.value} event on the span that wrote it, in the shape issue 51's wire
 * fixes; with capture off (the default) no byte of any value is in any request the agent sent.
 */
class ValueCaptureIT extends TestRedisPerClass {

  /** Every value the programs write starts with this; none of it may leave the process unless captured. */
  private static final String MARK = "vcval";
  private static final byte[] INVALID = {'v', 'c', 'v', 'a', 'l', (byte) 0xC3, (byte) 0x28, (byte) 0xFF};

  private static String jedisClassPath() throws Exception {
    return TestPrograms.compile("jedis-values", TestPrograms.jedisClassPath("5.2.0"), "JedisValuesProgram.java");
  }

  private static String lettuceClassPath() throws Exception {
    String lettuce = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("lettuce-" + LettuceSpansIT.LETTUCE)).stream()
        .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    return TestPrograms.compile("lettuce-values", lettuce, "LettuceValuesProgram.java");
  }

  /** One captured write as the receiver got it: key, change, type, encoding, payload, size, truncated. */
  private static String describe(Span.Event e) {
    return OtlpProtobuf.attribute(e, "memory.key") + " " + OtlpProtobuf.attribute(e, "memory.value.change") + " "
        + OtlpProtobuf.attribute(e, "memory.value.type") + " " + OtlpProtobuf.attribute(e, "memory.value.encoding")
        + " " + OtlpProtobuf.attribute(e, "memory.value") + " " + OtlpProtobuf.attribute(e, "memory.value.size")
        + (OtlpProtobuf.attribute(e, "memory.value.truncated") != null ? " truncated" : "");
  }

  private static OtlpSink run(String classPath, String main, String name, boolean capture) throws Exception {
    OtlpSink receiver = new OtlpSink();
    ForkedJvm program = ForkedJvm.program(classPath, main, redis.host, String.valueOf(redis.port))
        .withAgent().everySpan().exportTo(receiver.endpoint())
        .env("MEMTRACE_CAPTURE_REDACT_KEYS", "*:secret:*");
    if (capture) {
      program.env("MEMTRACE_CAPTURE_VALUES", "vc:*").env("MEMTRACE_CAPTURE_VALUE_MAX_BYTES", "64");
    }
    ForkedJvm.Result result = program.run(BuildPaths.IT_WORK.resolve(name));
    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).contains("setnx -> ").contains("get -> vcval-string-Ada");
    return receiver;
  }

  /** The spans that carry value events, in the order they were exported, with their events described. */
  private static List<String> valueEvents(OtlpSink receiver) {
    List<String> out = new ArrayList<>();
    for (Span span : receiver.spans()) {
      for (Span.Event e : span.getEventsList()) {
        if (e.getName().equals("memory.value")) {
          assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
          assertThat(e.getTimeUnixNano()).as("at the command's end").isEqualTo(span.getEndTimeUnixNano());
          out.add(span.getName() + ": " + describe(e));
        }
      }
    }
    return out;
  }

  private static void assertNoValueByte(OtlpSink receiver, String... values) {
    List<OtlpSink.Request> requests = receiver.requests("/v1/traces");
    assertThat(requests).isNotEmpty();
    assertThat(receiver.spans()).as("the writes were traced").anyMatch(s -> s.getName().equals("MSET"));
    for (OtlpSink.Request request : receiver.requests()) {
      String body = new String(request.decodedBody(), StandardCharsets.ISO_8859_1);
      for (String value : values) {
        assertThat(body).as("%s in a request to %s", value, request.path).doesNotContain(value);
      }
    }
  }

  private static final String BIG = "vcval-big-" + "x".repeat(54); // the first 64 bytes of the 210

  /** What both programs write, as the events should say it; {@code pipeline} for Jedis's pipeline. */
  private static List<String> expected(boolean pipeline) {
    List<String> events = new ArrayList<>(List.of(
        "SET: vc:str replace string utf8 vcval-string-Ada 16",
        "HSET: vc:hash fields_set hash utf8 {\"name\":\"vcval-field-name\"} 27",
        "HSET: vc:hash fields_set hash utf8 {\"city\":\"vcval-field-city\"} 27",
        "RPUSH: vc:list push_tail list utf8 [\"vcval-item-1\"] 16",
        "RPUSH: vc:list push_tail list utf8 [\"vcval-item-2\",\"vcval-item-3\"] 31",
        "MSET: vc:m1 replace string utf8 vcval-mset-1 12",
        "MSET: vc:m2 replace string utf8 vcval-mset-2 12"));
    if (pipeline) {
      events.add("PIPELINE: vc:p1 replace string utf8 vcval-pipe-1 12");
      events.add("PIPELINE: vc:p2 fields_set hash utf8 {\"f\":\"vcval-pipe-2\"} 20");
    }
    // a transaction, then one under WATCH that gives none
    events.add("MULTI: vc:t1 replace string utf8 vcval-multi-1 13");
    events.add("MULTI: vc:t2 push_tail list utf8 [\"vcval-multi-2\"] 17");
    events.add("SET: vc:bin replace string base64 " + Base64.getEncoder().encodeToString(INVALID) + " 12");
    events.add("SET: vc:big replace string utf8 " + BIG + " 210 truncated");
    return events;
  }

  @Test
  void shouldSendJedisWritesInScopeAsValueEvents() throws Exception {
    try (OtlpSink receiver = run(jedisClassPath(), "JedisValuesProgram", "values-jedis", true)) {
      assertThat(valueEvents(receiver)).containsExactlyElementsOf(expected(true));
      // the declined SETNX and the transaction WATCH cancelled wrote nothing: no event, and db.query.text shows no value
      assertNoValueByte(receiver, "vcval-redacted", "vcval-out-of-scope", "vcval-declined", "vcval-watched");
    }
  }

  @Test
  void shouldSendLettuceWritesInScopeAsValueEvents() throws Exception {
    try (OtlpSink receiver = run(lettuceClassPath(), "LettuceValuesProgram", "values-lettuce", true)) {
      assertThat(valueEvents(receiver)).containsExactlyElementsOf(expected(false));
      assertNoValueByte(receiver, "vcval-redacted", "vcval-out-of-scope", "vcval-declined", "vcval-watched");
    }
  }

  /**
   * Redisson's own program: its bucket's SET, its map's fastPut (HSET) and its list's RPUSH carry their values; its
   * map's put goes through a Lua script (EVAL), which carries none, and its failed RPUSH onto the bucket's key
   * (WRONGTYPE) none either.
   */
  @Test
  void shouldSendRedissonWritesInScopeAsValueEvents() throws Exception {
    try (OtlpSink receiver = new OtlpSink()) {
      ForkedJvm.Result result = ForkedJvm.program(RedissonSpansIT.programClassPath(), "RedissonProgram", redis.host,
              String.valueOf(redis.port))
          .withAgent().everySpan().exportTo(receiver.endpoint())
          .env("MEMTRACE_CAPTURE_VALUES", "rsn:bucket:s,rsn:list,rsn:map,")
          .run(BuildPaths.IT_WORK.resolve("values-redisson"));
      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(valueEvents(receiver)).containsExactly(
          "SET: rsn:bucket:s replace string utf8 hello redisson 14",
          "HSET: rsn:map fields_set hash utf8 {\"f2\":\"second\"} 15",
          "RPUSH: rsn:list push_tail list utf8 [\"first item\"] 14");
    }
  }

  /**
   * A memory manager's store whose rule names its value: the application's record, as JSON, on the memory span, for
   * a scope that names the rule's namespace (the keys, {@code doc-1} and {@code doc-2}, match no glob themselves).
   */
  @Test
  void shouldSendAStoredRecordAsJsonOnItsMemorySpan() throws Exception {
    String classPath = TestPrograms.compileForRelease("async-memory", "17", ".", "AsyncMemoryProgram.java");
    Path dir = BuildPaths.IT_WORK.resolve("values-memory");
    Path config = MemtraceYaml.write(dir,
        "capture:",
        "  values: [\"tenant-a\"]",
        "memory-managers:",
        "  - type: AsyncMemoryProgram$VectorStore",
        "    methods:",
        "      - { name: put, operation: store, key: arg1.id, value: arg1, namespace: arg0.tenant }",
        "      - { name: get, operation: retrieve, key: arg1, namespace: arg0.tenant, value: return.text }",
        "");
    Path spansFile = ExportedSpans.freshFile(dir);

    ForkedJvm.Result result = ForkedJvm.program(classPath, "AsyncMemoryProgram").withAgent("config=" + config)
        .everySpan().tracesTo(spansFile).run(dir);

    assertThat(result.exitCode).as("%s", result).isZero();
    String doc1 = "{\"id\":\"doc-1\",\"text\":\"café notes about caching\",\"tags\":[\"cache\",\"notes\"]}";
    List<String> events = new ArrayList<>();
    for (ExportedSpans.Span span : ExportedSpans.read(spansFile).spans) {
      for (int i = 0; i < span.events.size(); i++) {
        if (span.events.get(i).equals("memory.value")) {
          Map<String, Object> e = span.eventAttributes.get(i);
          events.add(span.name + ": " + e.get("memory.key") + " " + e.get("memory.namespace") + " "
              + e.get("memory.value.change") + " " + e.get("memory.value.type") + " " + e.get("memory.value") + " "
              + e.get("memory.value.size"));
        }
      }
    }
    assertThat(events).as("the stores only: a retrieve reads").contains(
        "memory.store: doc-1 tenant-a replace object " + doc1 + " " + doc1.getBytes(StandardCharsets.UTF_8).length)
        .hasSize(2).allMatch(e -> e.startsWith("memory.store: doc-"));
  }

  @Test
  void shouldSendNoByteOfAnyValueWithCaptureOff() throws Exception {
    try (OtlpSink jedis = run(jedisClassPath(), "JedisValuesProgram", "values-off-jedis", false);
        OtlpSink lettuce = run(lettuceClassPath(), "LettuceValuesProgram", "values-off-lettuce", false)) {
      for (OtlpSink receiver : List.of(jedis, lettuce)) {
        assertThat(valueEvents(receiver)).isEmpty();
        assertNoValueByte(receiver, MARK, "string-Ada", "field-name", "item-1", "mset-1", "big-xxxx",
            new String(INVALID, StandardCharsets.ISO_8859_1));
      }
    }
  }
}
