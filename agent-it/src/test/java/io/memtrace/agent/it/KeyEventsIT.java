package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.KeyEventLines;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MemtraceYaml;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code retention.key-events} under the real agent against a real Redis, exporting OTLP/HTTP protobuf to a
 * receiving endpoint: {@code RetentionProgram} runs twice, with every span kept and with retention and key events
 * on. With key events, every command that names a key is on the wire once, as its kept span or as a key event of a
 * {@code memtrace.key_events} span, saying of its key what the same command's span says at full capture; the
 * carriers are counted like summaries, so the shutdown line still adds up; no event carries a value. Prints what a
 * compressed command costs on the wire against a full span (ADR 0004). A compressed pipeline goes out as its
 * batch and the SETs its kept span would have listed, saying the same of each.
 */
class KeyEventsIT extends TestRedisPerClass {

  private static final long SLOW_NANOS = 5_000_000;

  /** What an event says once for its connection's commands, and the lines of the commands. */
  private static final Set<String> EVENT_ATTRIBUTES = Set.of("db.namespace", "server.address", "server.port",
      KeyEventLines.ATTRIBUTE, KeyEventLines.BATCHES);
  /** What a span and an event both say of a command's key (the ids and times differ from run to run). */
  private static final List<String> SAID = List.of("memory.key", "memory.namespace", "db.namespace",
      "server.address", "server.port", "memory.value_size", "memory.ttl", "memory.found", "memory.result_count");

  private record Run(ForkedJvm.Result result, List<Span> spans, long wireBytes) {
  }

  private Run run(String name, boolean keyEvents) throws Exception {
    String classPath = TestPrograms.compile("retention", TestPrograms.jedisClassPath("5.2.0"), "RetentionProgram.java");
    Path dir = BuildPaths.IT_WORK.resolve("key-events-" + name);
    Path config = MemtraceYaml.write(dir,
        "retention:",
        "  enabled: " + keyEvents,
        "  key-events: " + keyEvents,
        "  slow-threshold: " + SLOW_NANOS / 1_000_000,
        "  interval: 1h",
        "memory-managers:",
        "  - type: RetentionProgram$Memory",
        "    methods:",
        "      - { name: store, operation: store, key: arg0 }",
        "");
    try (OtlpSink sink = new OtlpSink()) {
      ForkedJvm.Result result = ForkedJvm.program(classPath, "RetentionProgram", redis.host, String.valueOf(redis.port))
          .withAgent("config=" + config).exportTo(sink.endpoint())
          .env("OTEL_METRICS_EXPORTER", "none")
          .env("MEMTRACE_RETENTION_ENABLED", String.valueOf(keyEvents))
          .run(dir);
      assertThat(result.exitCode).as("%s", result).isZero();
      long bytes = sink.requests("/v1/traces").stream().mapToLong(r -> r.body.length).sum();
      return new Run(result, sink.spans(), bytes);
    }
  }

  private static Map<String, Object> attributes(List<KeyValue> list) {
    Map<String, Object> out = new HashMap<>();
    for (KeyValue kv : list) {
      var v = kv.getValue();
      out.put(kv.getKey(), v.hasStringValue() ? v.getStringValue() : v.hasIntValue() ? (Object) v.getIntValue()
          : v.hasBoolValue() ? (Object) v.getBoolValue() : v.toString());
    }
    return out;
  }

  private static String said(Map<String, Object> a, String command) {
    return command + " " + SAID.stream().map(k -> k + "=" + a.get(k)).collect(Collectors.joining(" "));
  }

  /** A compressed command read back from its carrier as the collector reads it: name, what it says, span id. */
  private record Command(String name, Map<String, Object> said, String spanId) {
  }

  /** An event of a carrier, its attributes read. */
  private record CarrierEvent(Span.Event event, Map<String, Object> attributes) {
    String text(String key) {
      return (String) attributes.get(key);
    }
  }

  /** The events of {@code carriers} that carry {@code lines} ({@link KeyEventLines#ATTRIBUTE} or its batches'). */
  private static List<CarrierEvent> carrying(List<Span> carriers, String lines) {
    return carriers.stream().flatMap(carrier -> carrier.getEventsList().stream())
        .map(e -> new CarrierEvent(e, attributes(e.getAttributesList())))
        .filter(e -> e.attributes.containsKey(lines)).toList();
  }

  private static List<Command> commands(List<Span> carriers) {
    List<Command> out = new java.util.ArrayList<>();
    for (CarrierEvent e : carrying(carriers, KeyEventLines.ATTRIBUTE)) {
      for (KeyEventLines.Line line : KeyEventLines.read(e.text(KeyEventLines.ATTRIBUTE), e.event.getTimeUnixNano())) {
        Map<String, Object> said = new HashMap<>(e.attributes);
        said.remove(KeyEventLines.ATTRIBUTE);
        said.putAll(line.attributes());
        out.add(new Command(line.name, said, line.spanId));
      }
    }
    return out;
  }

  /**
   * The commands of the compressed pipelines in {@code carriers}, each as {@link #said} says it with the pipeline's
   * name and place, as a kept pipeline's {@code memtrace.batch.command} event with its span's place would.
   */
  private static List<String> batchCommands(List<Span> carriers) {
    List<String> out = new java.util.ArrayList<>();
    for (CarrierEvent e : carrying(carriers, KeyEventLines.BATCHES)) {
      for (KeyEventLines.Batch batch : KeyEventLines.readBatches(e.text(KeyEventLines.BATCHES),
          e.event.getTimeUnixNano())) {
        for (KeyEventLines.Line line : batch.commands) {
          Map<String, Object> said = new HashMap<>(e.attributes);
          said.putAll(line.attributes());
          out.add(batch.span.name + ": " + said(said, line.name));
        }
      }
    }
    return out;
  }

  /** The commands a kept pipeline's span lists, each as {@link #batchCommands} says one. */
  private static List<String> batchCommands(Span pipeline) {
    Map<String, Object> span = attributes(pipeline.getAttributesList());
    List<String> out = new java.util.ArrayList<>();
    for (Span.Event e : pipeline.getEventsList()) {
      if (e.getName().equals("memtrace.batch.command")) {
        Map<String, Object> said = new HashMap<>(span);
        said.keySet().retainAll(Set.of("db.namespace", "server.address", "server.port"));
        said.putAll(attributes(e.getAttributesList()));
        out.add(pipeline.getName() + ": " + said(said, (String) said.get("db.operation.name")));
      }
    }
    return out;
  }

  private static boolean redis(Span s) {
    return s.getAttributesList().stream().anyMatch(kv -> kv.getKey().equals("db.system.name"));
  }

  @Test
  void shouldPutEveryKeyedCommandOnTheWireOnceAndKeepTheAccountingExact() throws Exception {
    Run full = run("full", false);
    Run events = run("events", true);

    // accounting with key events: the carriers count like summaries
    Map<String, Long> app = RetentionIT.read(RetentionIT.APP, events.result.stdout);
    Map<String, Long> agent = RetentionIT.read(RetentionIT.COUNTER, events.result.stderr);
    List<Span> carriers = events.spans.stream().filter(s -> s.getName().equals("memtrace.key_events")).toList();
    List<Span> summaries = events.spans.stream().filter(s -> s.getName().equals("memtrace.compressed")).toList();
    assertThat(carriers).as("key events were sent").isNotEmpty();
    assertThat(agent.get("produced")).as("commands, memory calls (the task has no rule here), summaries and "
        + "carriers: %s", events.result.stderr).isEqualTo(app.get("commands") + app.get("memory-calls")
        + summaries.size() + carriers.size());
    assertThat(agent.get("produced")).isEqualTo(agent.get("exported") + agent.get("compressed") + agent.get("dropped"));
    assertThat(agent.get("dropped")).isZero();
    assertThat(agent.get("exported")).isEqualTo(events.spans.size());

    // each event says only what its commands' spans would, and never a value
    assertThat(carriers.stream().flatMap(c -> c.getEventsList().stream())).allSatisfy(e -> assertThat(
        attributes(e.getAttributesList()).keySet()).isSubsetOf(EVENT_ATTRIBUTES)
        .containsAnyOf(KeyEventLines.ATTRIBUTE, KeyEventLines.BATCHES).contains(e.getName()));
    List<Command> keyEvents = commands(carriers);
    long compressedBatches = events.spans.stream().flatMap(s -> s.getEventsList().stream())
        .filter(e -> e.getName().equals("memtrace.compressed"))
        .map(e -> attributes(e.getAttributesList()))
        .filter(a -> String.valueOf(a.get("db.operation.name")).startsWith("PIPELINE"))
        .mapToLong(a -> (Long) a.get("memtrace.compressed.count")).sum();
    assertThat(keyEvents).as("a line per compressed command, the pipelines apart")
        .hasSize((int) (agent.get("compressed") - compressedBatches));
    // of the 50 pipelines, one is kept as its sample and any other only for being slow (a loaded machine stalls some
    // past the 5 ms threshold): every other one is compressed
    List<Span> keptPipelines = events.spans.stream().filter(s -> s.getName().startsWith("PIPELINE")).toList();
    assertThat(keptPipelines.stream().filter(s -> s.getEndTimeUnixNano() - s.getStartTimeUnixNano() < SLOW_NANOS))
        .as("pipelines kept though not slow: the sample at most").hasSizeLessThanOrEqualTo(1);
    assertThat(compressedBatches).as("pipelines compressed").isEqualTo(50 - keptPipelines.size()).isPositive();
    List<String> pipelined = batchCommands(carriers);
    assertThat(pipelined).as("each compressed pipeline's three SETs").hasSize(3 * (int) compressedBatches);
    // every pipelined SET of the full run is on the events run's wire, said as the kept pipeline's span lists it
    List<String> fullPipelined = full.spans.stream().filter(s -> s.getName().startsWith("PIPELINE"))
        .flatMap(s -> batchCommands(s).stream()).sorted().toList();
    List<String> eventsPipelined = new java.util.ArrayList<>(pipelined);
    events.spans.stream().filter(s -> s.getName().startsWith("PIPELINE"))
        .forEach(s -> eventsPipelined.addAll(batchCommands(s)));
    assertThat(fullPipelined).hasSize(150);
    assertThat(eventsPipelined.stream().sorted().toList()).isEqualTo(fullPipelined);
    assertThat(events.spans.stream().flatMap(s -> s.getEventsList().stream())
        .filter(e -> e.getName().equals("memtrace.compressed")).map(e -> attributes(e.getAttributesList()))
        .filter(a -> String.valueOf(a.get("db.operation.name")).startsWith("PIPELINE")))
        .as("the pipelines' counts say their commands went out")
        .allSatisfy(a -> assertThat(a.get("memtrace.compressed.key_events")).isEqualTo(
            a.get("memtrace.compressed.count")));
    assertThat(keyEvents.stream().map(Command::spanId).collect(Collectors.toSet())).as("each command once")
        .hasSize(keyEvents.size());

    // every keyed single command of the full run is on the events run's wire, saying the same of its key
    List<String> fullSaid = full.spans.stream().filter(KeyEventsIT::redis)
        .filter(s -> !s.getName().startsWith("PIPELINE"))
        .map(s -> attributes(s.getAttributesList())).filter(a -> a.containsKey("memory.key"))
        .map(a -> said(a, (String) a.get("db.operation.name"))).sorted().toList();
    List<String> eventsSaid = new java.util.ArrayList<>();
    events.spans.stream().filter(KeyEventsIT::redis).filter(s -> !s.getName().startsWith("PIPELINE"))
        .map(s -> attributes(s.getAttributesList())).filter(a -> a.containsKey("memory.key"))
        .forEach(a -> eventsSaid.add(said(a, (String) a.get("db.operation.name"))));
    keyEvents.forEach(c -> eventsSaid.add(said(c.said(), c.name())));
    assertThat(eventsSaid.stream().sorted().toList()).isEqualTo(fullSaid);

    // the cost on the wire (protobuf, uncompressed): a key event against a full span of the same run
    double span = full.spans.stream().filter(KeyEventsIT::redis).filter(s -> !s.getName().startsWith("PIPELINE"))
        .mapToInt(Span::getSerializedSize).average().orElseThrow();
    double event = carriers.stream().mapToInt(c -> c.getSerializedSize() + 3).sum() / (double) keyEvents.size();
    // and gzipped (OTEL_EXPORTER_OTLP_COMPRESSION=gzip): the carriers against the full run's Redis spans
    double gzippedEvent = (double) gzip(carriers) / keyEvents.size();
    List<Span> fullRedis = full.spans.stream().filter(KeyEventsIT::redis)
        .filter(s -> !s.getName().startsWith("PIPELINE")).toList();
    double gzippedSpan = (double) gzip(fullRedis) / fullRedis.size();
    System.out.printf("gzipped: %.1f bytes a key event, %.1f a full span (%.2f)%n", gzippedEvent, gzippedSpan,
        gzippedEvent / gzippedSpan);
    // a pipelined SET: its share of the batches events against its share of a full PIPELINE span
    double batchEvent = carriers.stream().flatMap(c -> c.getEventsList().stream())
        .filter(e -> e.getName().equals(KeyEventLines.BATCHES)).mapToInt(e -> e.getSerializedSize() + 2).sum()
        / (double) pipelined.size();
    double batchSpan = full.spans.stream().filter(s -> s.getName().startsWith("PIPELINE"))
        .mapToInt(Span::getSerializedSize).sum() / (double) fullPipelined.size();
    System.out.printf("a pipelined command: %.1f bytes in its batch's key event, %.1f in the full pipeline span "
        + "(%.2f)%n", batchEvent, batchSpan, batchEvent / batchSpan);
    Set<String> names = new java.util.TreeSet<>();
    keyEvents.forEach(c -> names.add(c.name()));
    System.out.printf("key events: %d events in %d carriers (%s); bytes a compressed command: %.1f as a key event, "
        + "%.1f as a full span (%.2f); trace request bytes full=%d events=%d%n", keyEvents.size(), carriers.size(),
        names, event, span, event / span, full.wireBytes, events.wireBytes);
  }

  /** The spans' protobuf, gzipped in batches of 512 as an exporter would send them. */
  private static long gzip(List<Span> spans) throws java.io.IOException {
    long total = 0;
    for (int from = 0; from < spans.size(); from += 512) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
        for (Span span : spans.subList(from, Math.min(spans.size(), from + 512))) {
          span.writeDelimitedTo(zip);
        }
      }
      total += out.size();
    }
    return total;
  }
}
