package io.memtrace.collector.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.TestStores;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracesCommandTest {

  static final String FAILED = "00000000000000000000000000000bad";
  static final String LAYERED = "0000000000000000000000000000a7e1";
  static final String LONG_ERROR = "0000000000000000000000000000e770";
  static final String MANY_COMMANDS = "00000000000000000000000000000c0d";
  static final String NODE = "000000000000000000000000000000de";

  @TempDir
  static Path dir;

  @BeforeAll
  static void fill() throws Exception {
    Span failed = SpanFixtures.span(FAILED, null, "aqe.memory.retrieve", 1000, 8)
        .addAttributes(SpanFixtures.attr("memory.operation", "retrieve"))
        .addAttributes(SpanFixtures.attr("memory.key", "test-plan-invalid"))
        .addAttributes(SpanFixtures.attr("memory.namespace", "aqe/test-plans"))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("connection reset"))
        .build();
    try (SpanStore store = TestStores.open(dir, true)) {
      TestStores.write(store, SpanFixtures.seedTrace());
      TestStores.write(store, SpanFixtures.request("other-service", List.of(failed)));
      TestStores.write(store, layered());
      TestStores.write(store, longError());
      TestStores.write(store, SpanFixtures.compressedTrace());
      TestStores.write(store, manyCommands());
      TestStores.write(store, nodeService());
    }
  }

  /** {@code traces --data DIR --trace TRACE}, then {@code more} options, over the store {@link #fill} wrote. */
  private static Cli traces(String trace, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("traces", "--data", dir.toString(), "--trace", trace));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(new String[0]));
  }

  @Test
  void shouldDrawTheSeedTimeline() {
    Cli result = traces(SpanFixtures.SEED_TRACE);
    assertThat(result.exitCode).as("%s", result).isZero();
    String out = result.out;
    assertThat(out).contains("│ Trace: aqe.task.generate · aqe-fleet · " + SpanFixtures.SEED_TRACE);
    assertThat(out).containsPattern("│ 00:00\\.000 aqe\\.task\\.generate \\[qe-test-generator\\] +20ms  │");
    assertThat(out).containsPattern("│   00:00\\.005 aqe\\.memory\\.store \\[test-plan-user-service\\] +12ms  │");
    assertThat(out).containsPattern("│     └─ namespace: aqe/test-plans, size: 387 bytes +│");
    assertThat(out).contains("│   00:00.055 aqe.memory.retrieve [test-plan-user-service]");
    assertThat(out).contains("└─ namespace: aqe/test-plans, found: true, size: 387 bytes");
    assertThat(out).contains("00:00.255 aqe.memory.search [test-plan-%]");
    assertThat(out).contains("└─ namespace: aqe/test-plans, pattern: test-plan-%, results: 5");
    assertThat(out).contains("│   00:00.405 aqe.memory.delete [test-plan-user-service]");
    assertThat(out).contains("Memory Operations: 5 (2 store, 1 retrieve, 1 search, 1 delete)");
    assertThat(out).contains("Data Transferred: 2.0KB");
    assertThat(out).doesNotContain("\u001b[").doesNotContain("✗");
    assertThat(out.lines().filter(l -> l.startsWith("│")).map(String::length).distinct()).as("box edges line up").hasSize(1);
  }

  /** A memory store and retrieve, each with the Redis command it sent, and a GET the app sent directly. */
  static ExportTraceServiceRequest layered() {
    Span task = SpanFixtures.span(LAYERED, null, "aqe.task.generate", 0, 30)
        .addAttributes(SpanFixtures.attr("agent.id", "qe-test-generator")).build();
    Span store = SpanFixtures.memory(LAYERED, task.getSpanId(), "store", 1, 10, "plan", "aqe/plans", 1000L);
    Span retrieve = SpanFixtures.memory(LAYERED, task.getSpanId(), "retrieve", 12, 5, "plan", "aqe/plans", 1000L);
    return SpanFixtures.request("aqe-fleet", List.of(task, store, retrieve,
        redis(store, "SET", 2, "aqe/plans:plan", 1000L), redis(retrieve, "GET", 13, "aqe/plans:plan", 1000L),
        redis(task, "GET", 20, "config:flags", 24L)));
  }

  static Span redis(Span parent, String command, long offset, String key, long size) {
    return SpanFixtures.span(LAYERED, parent.getSpanId(), command, offset, 1)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(SpanFixtures.attr("db.system.name", "redis"))
        .addAttributes(SpanFixtures.attr("db.operation.name", command))
        .addAttributes(SpanFixtures.attr("memory.key", key))
        .addAttributes(SpanFixtures.attr("memory.value_size", size)).build();
  }

  /** A task that sends 24 different Redis commands: a summary line far wider than a terminal. */
  static ExportTraceServiceRequest manyCommands() {
    Span task = SpanFixtures.span(MANY_COMMANDS, null, "aqe.task.sweep", 0, 60).build();
    List<Span> spans = new java.util.ArrayList<>(List.of(task));
    String[] commands = {"GET", "SET", "HGET", "HSET", "HGETALL", "LPUSH", "RPUSH", "LRANGE", "SADD", "SMEMBERS",
        "ZADD", "ZRANGE", "EXPIRE", "TTL", "DEL", "UNLINK", "INCR", "DECR", "MGET", "MSET", "XADD", "XRANGE",
        "PFADD", "GETDEL"};
    for (int i = 0; i < commands.length; i++) {
      spans.add(SpanFixtures.span(MANY_COMMANDS, task.getSpanId(), commands[i], 1 + 2L * i, 1)
          .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
          .addAttributes(SpanFixtures.attr("db.system.name", "redis"))
          .addAttributes(SpanFixtures.attr("db.operation.name", commands[i])).build());
    }
    return SpanFixtures.request("aqe-fleet", spans);
  }

  static ExportTraceServiceRequest longError() {
    Span failed = SpanFixtures.span(LONG_ERROR, null, "aqe.memory.retrieve", 0, 5)
        .addAttributes(SpanFixtures.attr("memory.operation", "retrieve"))
        .addAttributes(SpanFixtures.attr("memory.key", "k".repeat(150)))
        .addAttributes(SpanFixtures.attr("memory.namespace", "aqe/test-plans"))
        .addAttributes(SpanFixtures.attr("error.type", "redis.clients.jedis.exceptions.JedisDataException"))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
            .setMessage("WRONGTYPE Operation against a key holding the wrong kind of value"))
        .build();
    return SpanFixtures.request("aqe-fleet", List.of(failed));
  }

  @Test
  void shouldCountMemoryOperationsAndRedisCommandsApartAndEveryByteOnce() {
    Cli result = traces(LAYERED);
    assertThat(result.out).as("%s", result).contains("Memory Operations: 2 (1 store, 1 retrieve)\n")
        .contains("Redis Commands: 3 (1 SET, 2 GET)\n")
        // 1000 stored + 1000 retrieved, each once, and the 24 bytes of the direct GET
        .contains("Data Transferred: " + TimelineRenderer.size(2024) + "\n");
  }

  /** A Node service's task: ioredis spans, whose statements keep the key but no value and say nothing of a reply. */
  static ExportTraceServiceRequest nodeService() {
    Span task = SpanFixtures.span(NODE, null, "task.plan", 0, 10).build();
    Span set = SpanFixtures.span(NODE, task.getSpanId(), "set", 1, 2)
        .addAttributes(SpanFixtures.attr("db.system.name", "redis"))
        .addAttributes(SpanFixtures.attr("db.query.text", "set plans:p1 [3 other arguments]")).build();
    Span get = SpanFixtures.span(NODE, task.getSpanId(), "get", 4, 2)
        .addAttributes(SpanFixtures.attr("db.system.name", "redis"))
        .addAttributes(SpanFixtures.attr("db.query.text", "get plans:p1")).build();
    Span hget = SpanFixtures.span(NODE, task.getSpanId(), "hget", 7, 1)
        .addAttributes(SpanFixtures.attr("db.system.name", "redis"))
        .addAttributes(SpanFixtures.attr("db.query.text", "hget [2 other arguments]")).build();
    return SpanFixtures.request("node-ioredis", List.of(task, set, get, hget));
  }

  @Test
  void shouldSayTheBytesOfCommandsReadFromStatementsAreUnknownNotZero() {
    Cli result = traces(NODE, "--width", "200");
    assertThat(result.out).as("%s", result).contains("Redis Commands: 3 (1 SET, 1 GET, 1 HGET)\n")
        .contains("Data Transferred: unknown (all 3 Redis commands read from other instrumentations' statements, "
            + "which carry no size)\n")
        .doesNotContain("0B")
        .as("a key the statement hid is said to be unknown, not left out").contains("hget (key unknown)");
  }

  @Test
  void shouldShowTheRedisSpansRetentionCompressedUnderTheSpanThatCountsThem() {
    Cli result = traces(SpanFixtures.COMPRESSED_TRACE, "--width", "120");
    assertThat(result.out).as("%s", result)
        .containsPattern("aqe\\.task\\.run \\[loader\\] +40ms  │\n│   └─ \\+1,234 compressed GET \\(app:cache\\) 12\\.3 ms total +│\n"
            + "│   └─ \\+2 compressed SET 0\\.2 ms total +│")
        .contains("+100 compressed GET (session) 4.0 ms total")
        .contains("Compressed Redis Commands: 1,336\n");
  }

  @Test
  void shouldNameTheTestInBrackets() {
    Cli result = traces(SpanFixtures.SEED_TRACE);
    assertThat(result.out).containsPattern("│   00:00\\.100 aqe\\.test\\.execute \\[UserService\\.create\\] +45ms  │");
  }

  @Test
  void shouldFitTheBoxToTheTerminalWrappingDetailsAndCuttingLines() {
    Cli narrow = traces(LONG_ERROR, "--width", "100");
    List<String> box = narrow.out.lines().filter(l -> l.startsWith("│") || l.startsWith("┌")).toList();
    assertThat(box).as("%s", narrow).allSatisfy(l -> assertThat(l).hasSize(100));
    assertThat(narrow.out).contains("k".repeat(50)).contains("…").contains("WRONGTYPE Operation against a key");
    assertThat(narrow.out.replaceAll("\\s*│\\s*", " ")).contains("holding the wrong kind of value");
    Cli wide = traces(LONG_ERROR);
    assertThat(wide.out.lines().filter(l -> l.startsWith("│")).mapToInt(String::length).max().orElse(0))
        .as("without COLUMNS the box is at most 120 wide").isLessThanOrEqualTo(120);
  }

  @Test
  void shouldKeepTheSummaryUnderTheBoxWithinTheWidth() {
    Cli narrow = traces(MANY_COMMANDS, "--width", "100");
    assertThat(narrow.out.lines()).as("%s", narrow).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    String summary = narrow.out.substring(narrow.out.indexOf("Redis Commands:"));
    assertThat(summary).as("continued under its first item").contains("Redis Commands: 24 (1 GET, 1 SET,")
        .containsPattern("\n {20}1 [A-Z]+, ").doesNotContain(" \n");
    assertThat(summary.replaceAll("\n +", " ")).contains("1 XRANGE, 1 PFADD, 1 GETDEL)");
  }

  @Test
  void shouldKeepEveryLineWithinTheNarrowestWidthAndRefuseANarrowerOne() {
    for (String trace : List.of(MANY_COMMANDS, LONG_ERROR, NODE)) {
      Cli narrowest = traces(trace, "--width", "42");
      assertThat(narrowest.exitCode).as("%s", narrowest).isZero();
      assertThat(narrowest.out.lines()).as("%s", narrowest).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(42));
    }
    Cli tooNarrow = traces(MANY_COMMANDS, "--width", "30");
    assertThat(tooNarrow.exitCode).isEqualTo(1);
    assertThat(tooNarrow.out).isEmpty();
    assertThat(tooNarrow.err).contains("--width must be at least 42 columns, not 30");
  }

  @Test
  void shouldMarkErrorsAndColourOnlyWhenAsked() {
    Cli plain = traces(FAILED);
    assertThat(plain.out).contains("aqe.memory.retrieve [test-plan-invalid] ✗")
        .contains("ERROR connection reset").contains("Errors: 1").doesNotContain("\u001b[");
    Cli coloured = traces(FAILED, "--color", "always");
    assertThat(coloured.out).contains("\u001b[31m");
  }

  @Test
  void shouldPickTheLastTracesOfAService() {
    Cli last = Cli.run("traces", "--data", dir.toString(), "--last", "1");
    assertThat(last.out).contains(FAILED).doesNotContain(SpanFixtures.SEED_TRACE);
    Cli service = Cli.run("traces", "--data", dir.toString(), "--service", "aqe-fleet");
    assertThat(service.out).contains(SpanFixtures.SEED_TRACE).doesNotContain(FAILED);
    Cli missing = traces("ffff");
    assertThat(missing.exitCode).isEqualTo(1);
    assertThat(missing.err).contains("no trace ffff");
  }
}
