package io.memtrace.collector.it;

import static io.memtrace.collector.SpanFixtures.attr;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.Cli;
import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.redis.SnapshotReader;
import io.memtrace.collector.redis.SnapshotWriter;
import io.memtrace.testsupport.TestRedis;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Time travel end to end: a real Redis written by "traces" whose spans carry {@code memory.value} events as the agent
 * sends them (ISSUE51.md's wire), posted to a real {@code serve} that watches that Redis, takes a scheduled snapshot
 * at start and records keyspace notifications. Before three of the traces a {@code snapshot} of the Redis is taken:
 * what {@code restore --as-of} that trace, written into a second real Redis, must give key by key with TTLs. The
 * namespace {@code plain} is written without values: its account says so and nothing of it is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeTravelIT {

  private TestRedis source;
  private TestRedis scratch;
  private Jedis jedis;
  private CollectorProcess serve;
  private Path data;
  private final Map<String, Path> truth = new TreeMap<>();
  private final List<String> traces = new ArrayList<>();

  @BeforeAll
  void run(@TempDir Path dir) throws Exception {
    source = TestRedis.startOwn();
    scratch = TestRedis.startOwn();
    jedis = new Jedis(source.host, source.port);
    // before serve: the state the scheduled snapshot at start holds, untraced
    jedis.set("notes:a", "a0");
    jedis.hset("notes:h", Map.of("f1", "one", "f2", "two"));
    jedis.rpush("notes:l", "x", "y");
    jedis.expire("notes:l", 600);
    jedis.set("notes:gone", "soon");
    jedis.set("plain:p", "p0");
    data = dir.resolve("data");
    serve = CollectorProcess.serve(data, "--watch-redis", source.url(), "--keyspace-events", "on",
        "--snapshot-every", "1h", "--snapshot-namespaces", "notes,plain", "--snapshot-commands-per-second", "100000");
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (snapshots(data).isEmpty() || !serve.stderr().contains("memtrace snapshots: snapshot of")) {
      assertThat(System.nanoTime()).as("a scheduled snapshot at start: %s", serve.stderr()).isLessThan(deadline);
      Thread.sleep(100);
    }
    Thread.sleep(1500); // the notification subscription is up (it starts beside the watcher)
    trace(dir, null, t -> {
      t.write("SET", "notes:a", "replace", "string", "a1", 300L, () -> jedis.setex("notes:a", 300, "a1"));
      t.write("HSET", "notes:h", "fields_set", "hash", "{\"f3\":\"three\"}", null, () -> jedis.hset("notes:h", "f3", "three"));
      t.write("RPUSH", "notes:l", "push_tail", "list", "[\"z\"]", null, () -> jedis.rpush("notes:l", "z"));
      t.plain("SET", "plain:p", null, () -> jedis.set("plain:p", "p1"));
    });
    trace(dir, "second", t -> {
      t.write("HDEL", "notes:h", "fields_removed", "hash", "[\"f1\"]", null, () -> jedis.hdel("notes:h", "f1"));
      t.write("SET", "notes:b", "replace", "string", "b1", null, () -> jedis.set("notes:b", "b1"));
      t.plain("EXPIRE", "notes:b", 100L, () -> jedis.expire("notes:b", 100));
      t.plain("DEL", "notes:gone", null, () -> jedis.del("notes:gone"));
      t.write("SADD", "notes:s", "members_added", "set", "[\"m1\",\"m2\"]", null, () -> jedis.sadd("notes:s", "m1", "m2"));
    });
    trace(dir, "third", t -> {
      t.write("LPUSH", "notes:l", "push_head", "list", "[\"w\"]", null, () -> jedis.lpush("notes:l", "w"));
      t.write("ZADD", "notes:z", "members_added", "zset", "{\"alice\":1.5}", null, () -> jedis.zadd("notes:z", 1.5, "alice"));
      t.plain("DEL", "notes:a", null, () -> jedis.del("notes:a"));
      t.write("APPEND", "notes:b", "append", "string", "+", null, () -> jedis.append("notes:b", "+"));
    });
    trace(dir, "fourth", t -> t.write("SET", "notes:b", "replace", "string", "later", null,
        () -> jedis.set("notes:b", "later")));
    Thread.sleep(1500); // the last notifications recorded
  }

  @AfterAll
  void stop() throws Exception {
    if (serve != null) {
      serve.close();
    }
    jedis.close();
    source.close();
    scratch.close();
  }

  private static List<Path> snapshots(Path data) throws Exception {
    Path dir = data.resolve("snapshots");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).toList();
    }
  }

  /** One trace's spans, each a real command's, timed around it. */
  final class Trace {
    final String id = HexFormat.of().formatHex(randomBytes());
    final List<Span> spans = new ArrayList<>();

    void write(String command, String key, String change, String type, String payload, Long ttl, Runnable run) {
      long start = now();
      run.run();
      long end = now();
      Span.Builder span = span(command, key, start, end, ttl);
      span.addEvents(Span.Event.newBuilder().setName("memory.value").setTimeUnixNano(end)
          .addAttributes(attr("memory.key", key)).addAttributes(attr("memory.value.change", change))
          .addAttributes(attr("memory.value.type", type)).addAttributes(attr("memory.value", payload))
          .addAttributes(attr("memory.value.encoding", "utf8"))
          .addAttributes(attr("memory.value.size", (long) payload.length())));
      spans.add(span.build());
    }

    /** A traced command without a value event (a namespace whose values are not captured, or a non-value write). */
    void plain(String command, String key, Long ttl, Runnable run) {
      long start = now();
      run.run();
      spans.add(span(command, key, start, now(), ttl).build());
    }

    private Span.Builder span(String command, String key, long start, long end, Long ttl) {
      Span.Builder s = Span.newBuilder().setTraceId(SpanFixtures.hex(id)).setSpanId(SpanFixtures.newSpanId())
          .setName(command).setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(start)
          .setEndTimeUnixNano(end).addAttributes(attr("db.system.name", "redis"))
          .addAttributes(attr("db.operation.name", command)).addAttributes(attr("db.namespace", "0"))
          .addAttributes(attr("server.address", source.host)).addAttributes(attr("server.port", (long) source.port))
          .addAttributes(attr("memory.key", key))
          .addAttributes(attr("memory.namespace", key.substring(0, key.lastIndexOf(':'))));
      if (ttl != null) {
        s.addAttributes(attr("memory.ttl", ttl));
      }
      return s;
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static long now() {
    java.time.Instant t = java.time.Instant.now();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Runs one trace under a root span; with {@code name}, first snapshots the Redis as the truth at its start. */
  private void trace(Path dir, String name, Consumer<Trace> body) throws Exception {
    if (name != null) {
      Path file = dir.resolve("truth-" + name + ".json");
      try (OutputStream out = Files.newOutputStream(file)) {
        new SnapshotWriter(jedis).write(out, source.url());
      }
      truth.put(name, file);
    }
    Thread.sleep(20);
    Trace t = new Trace();
    long start = now();
    body.accept(t);
    Span root = Span.newBuilder().setTraceId(SpanFixtures.hex(t.id)).setSpanId(SpanFixtures.newSpanId())
        .setName("travel.task").setKind(Span.SpanKind.SPAN_KIND_INTERNAL).setStartTimeUnixNano(start)
        .setEndTimeUnixNano(now()).build();
    List<Span> spans = new ArrayList<>(t.spans.stream().map(s -> s.toBuilder().setParentSpanId(root.getSpanId())
        .build()).toList());
    spans.add(root);
    assertThat(serve.post("/v1/traces", "application/x-protobuf", null,
        SpanFixtures.request("travel-app", spans).toByteArray()).statusCode()).isEqualTo(200);
    traces.add(t.id);
    Thread.sleep(50);
  }

  private Cli restore(String trace, String namespace) {
    try (Jedis s = new Jedis(scratch.host, scratch.port)) {
      s.flushAll();
    }
    return Cli.run("restore", "--as-of", trace, "--namespace", namespace, "--into", scratch.url(), "--data",
        data.toString());
  }

  /** The namespace's keys as a snapshot holds them: type, value, TTL in seconds rounded. */
  private static Map<String, String> state(List<SnapshotEntry> entries, String prefix) {
    Map<String, String> out = new TreeMap<>();
    for (SnapshotEntry e : entries) {
      if (e.keyText().startsWith(prefix)) {
        out.put(e.keyText(), e.type() + " " + describe(e.value(), !e.type().equals("list")));
      }
    }
    return out;
  }

  private static Map<String, Long> ttls(List<SnapshotEntry> entries, String prefix) {
    Map<String, Long> out = new TreeMap<>();
    entries.stream().filter(e -> e.keyText().startsWith(prefix))
        .forEach(e -> out.put(e.keyText(), e.ttlMillis() == null ? -1 : e.ttlMillis()));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String describe(Object value, boolean unordered) {
    if (value instanceof byte[] b) {
      return new String(b);
    }
    List<String> items = new ArrayList<>();
    for (Object item : (List<Object>) value) {
      items.add(item instanceof byte[] b ? new String(b) : item instanceof byte[][] p ? new String(p[0]) + "="
          + new String(p[1]) : item instanceof SnapshotEntry.Scored s ? new String(s.member()) + ":" + s.score()
          : String.valueOf(item));
    }
    if (unordered) {
      java.util.Collections.sort(items); // Redis keeps hashes and sets in an order of its own
    }
    return items.toString();
  }

  private List<SnapshotEntry> scratchNow(Path dir) throws Exception {
    Path file = Files.createTempFile(dir, "scratch", ".json");
    try (Jedis s = new Jedis(scratch.host, scratch.port); OutputStream out = Files.newOutputStream(file)) {
      new SnapshotWriter(s).write(out, scratch.url());
    }
    return SnapshotReader.read(file);
  }

  @Test
  void shouldRebuildTheNamespaceAsASnapshotAtEachTracesStartHeldIt(@TempDir Path dir) throws Exception {
    String[] names = {"second", "third", "fourth"};
    for (int i = 0; i < 3; i++) {
      String trace = traces.get(i + 1);
      Cli result = restore(trace, "notes");
      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.out).as("%s", result).contains("namespace notes:").contains(" 0 not rebuildable");
      List<SnapshotEntry> expected = SnapshotReader.read(truth.get(names[i]));
      List<SnapshotEntry> rebuilt = scratchNow(dir);
      assertThat(state(rebuilt, "notes:")).as("as of %s (%s)\n%s", names[i], trace, result)
          .isEqualTo(state(expected, "notes:"));
      Map<String, Long> want = ttls(expected, "notes:");
      Map<String, Long> got = ttls(rebuilt, "notes:");
      assertThat(got.keySet()).isEqualTo(want.keySet());
      for (String key : want.keySet()) {
        if (want.get(key) < 0) {
          assertThat(got.get(key)).as("%s has no TTL", key).isEqualTo(-1L);
        } else {
          // the truth was read just before the trace began; the rebuilt TTL runs from the restore, moments later
          assertThat(got.get(key)).as("%s's TTL", key).isBetween(want.get(key) - 30_000, want.get(key) + 1_000);
        }
      }
    }
  }

  @Test
  void shouldSayAKeyWrittenWithoutACapturedValueCannotBeRebuiltAndWriteNothingOfIt() throws Exception {
    Cli result = restore(traces.get(2), "plain");
    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.out).contains("namespace plain: 0 keys rebuilt exactly").contains("1 not rebuildable")
        .contains("1 written by a traced service without a captured value").contains("plain:p: SET by travel-app");
    try (Jedis s = new Jedis(scratch.host, scratch.port)) {
      assertThat(s.dbSize()).isZero();
    }
  }

  @Test
  void shouldRefuseANonEmptyTargetWithoutReplace() {
    try (Jedis s = new Jedis(scratch.host, scratch.port)) {
      s.flushAll();
      s.set("someone:else", "here");
      Cli result = Cli.run("restore", "--as-of", traces.get(1), "--namespace", "notes", "--into", scratch.url(),
          "--data", data.toString());
      assertThat(result.exitCode).isNotZero();
      assertThat(result.err).contains("refusing to write into").contains("Nothing was written");
      assertThat(s.dbSize()).isEqualTo(1);
      s.flushAll();
    }
  }
}
