package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.MemtraceYaml;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.TestRedisPerClass;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The product test for Redisson 3: a plain Redisson program (RedissonProgram: objects through the
 * sync, async, reactive and RxJava APIs, a batch, an atomic batch, a wrong-type error, contended
 * locks, four threads at once), run once without and once with {@code -javaagent:memtrace-agent.jar}
 * against a real Redis, with Redisson's real jars. What the server received is read back from its
 * own MONITOR: every command the program's objects sent has exactly one span, with that command's
 * name, key and database, and the size and found of its own reply.
 */
class RedissonSpansIT extends TestRedisPerClass {

  static final String REDISSON = "3.52.0";
  /** Redisson's own work on its connections, and its pub/sub connection's subscriptions: no spans by default. */
  private static final Set<String> CONNECTION_WORK = Set.of("SELECT", "PING", "CLIENT", "HELLO", "AUTH", "READONLY",
      "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE");
  private static final int THREADS = 4;
  private static final int NOTES = 25;
  private static final String CONFIG = String.join("\n",
      "memory-managers:",
      "  - type: RedissonProgram$Notes",
      "    methods:",
      "      - { name: store, operation: store, key: arg0, value: arg1 }",
      "      - { name: retrieve, operation: retrieve, key: arg0 }",
      "");

  @Test
  void shouldTraceEveryCommandOfRedissonsObjectsOncePairedWithItsOwnReplyAsMonitorSawIt() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("redisson-" + REDISSON);
    Path config = MemtraceYaml.write(dir, CONFIG);
    Path spansFile = ExportedSpans.freshFile(dir);
    String classPath = programClassPath();

    resetServer();
    ForkedJvm.Result without = program(classPath).run(dir.resolve("plain"));
    resetServer(); // scripts too: each run loads them (EVALSHA, NOSCRIPT, SCRIPT LOAD) as a fresh server makes it
    ForkedJvm.Result with;
    List<RedisMonitor.Line> received;
    try (RedisMonitor monitor = RedisMonitor.start(redis.host, redis.port)) {
      with = program(classPath).withAgent("config=" + config).everySpan()
          .tracesTo(spansFile)
          .run(dir.resolve("traced"));
      received = monitor.clientLines();
    }

    assertThat(without.exitCode).as("%s", without).isZero();
    assertThat(with.exitCode).as("%s", with).isZero();
    assertThat(with.stdout).as("the program's output with the agent").isEqualTo(without.stdout)
        .contains("bucket-get -> hello redisson").contains("wrongtype -> org.redisson.client.RedisException WRONGTYPE")
        .contains("batch -> [null, true, batched, null]").contains("atomic -> [null, 1]")
        .contains("lock-counter -> 9").contains("shared-notes-found -> 100");
    assertThat(with.stderr).contains("memtrace.events.dropped=0").contains("internal errors: 0")
        .doesNotContain("[memtrace] WARN");

    ExportedSpans exported = ExportedSpans.read(spansFile);
    List<Span> redisSpans = exported.where(s -> "redis".equals(s.attributes.get("db.system.name")));
    for (Span s : redisSpans) {
      assertThat(s.scope).isEqualTo("io.memtrace.redisson");
      assertThat(s.kind).as("kind of %s", s).isEqualTo(Span.KIND_CLIENT);
      assertThat(s.attributes).as("%s", s).containsEntry("server.port", (long) redis.port)
          .containsKey("server.address").containsEntry("db.namespace", "1");
      assertThat(s.end).isGreaterThanOrEqualTo(s.start);
      assertThat(s.attributes.values().toString() + s.eventAttributes).as("values never exported by default")
          .doesNotContain("hello redisson").doesNotContain("not a list").doesNotContain("cached value");
    }
    assertThat(redisSpans).as("Redisson's connection work has no spans by default")
        .noneMatch(s -> CONNECTION_WORK.contains(s.name));

    checkOneSpanPerCommandSent(redisSpans, received);
    checkSizesAndFoundAgainstWhatWasSent(redisSpans, received);
    checkScripts(redisSpans, received);
    checkErrorAndTransaction(redisSpans);
    checkMemorySpans(exported, redisSpans);
  }

  /**
   * Four threads storing and reading notes through a memory manager of their own: each note's
   * commands are children of the memory call that sent them, though their replies complete on
   * Redisson's event loop, and end before it.
   */
  private static void checkMemorySpans(ExportedSpans exported, List<Span> redisSpans) {
    Map<String, Span> memory = exported.where(s -> s.name.startsWith("memory."))
        .stream().collect(Collectors.toMap(s -> s.name + " " + s.attributes.get("memory.key"), s -> s));
    assertThat(memory).hasSize(2 * THREADS * NOTES);
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < NOTES; i++) {
        String id = "p" + t + "-" + i;
        Span store = memory.get("memory.store " + id);
        Span retrieve = memory.get("memory.retrieve " + id);
        Span set = only(redisSpans, "SET", "rsn:note:" + id);
        Span get = only(redisSpans, "GET", "rsn:note:" + id);
        assertThat(set.parentSpanId).as("SET of %s", id).isEqualTo(store.spanId);
        assertThat(set.traceId).isEqualTo(store.traceId);
        assertThat(get.parentSpanId).as("GET of %s", id).isEqualTo(retrieve.spanId);
        assertThat(get.end).as("the child ends before its parent").isLessThanOrEqualTo(retrieve.end);
        assertThat(retrieve.attributes).as("the memory span's size from its Redis child")
            .containsEntry("memory.value_size", (long) (1 + t * NOTES + i));
      }
    }
    assertThat(only(redisSpans, "SET", "rsn:bucket:s").parentSpanId).as("outside any memory call").isEmpty();
  }

  /**
   * Each command the program's objects sent (MONITOR, without Redisson's connection work, scripts'
   * own commands and the atomic batch's) is one span with its name, key and database, and each span
   * is such a command.
   */
  private static void checkOneSpanPerCommandSent(List<Span> spans, List<RedisMonitor.Line> received) {
    List<String> sent = new ArrayList<>();
    boolean inTransaction = false;
    for (RedisMonitor.Line line : received) {
      String name = line.name();
      if (name.equals("MULTI")) {
        inTransaction = true;
      }
      if (!inTransaction && !CONNECTION_WORK.contains(name)) {
        sent.add(name + " " + line.key() + " db" + line.db);
      }
      if (name.equals("EXEC")) {
        inTransaction = false;
      }
    }
    List<String> traced = spans.stream().filter(s -> !s.name.equals("MULTI"))
        .map(s -> s.name.split(" ")[0] + " " + s.attributes.get("memory.key") + " db" + s.attributes.get("db.namespace"))
        .collect(Collectors.toList());
    assertThat(traced).as("spans against MONITOR").containsExactlyInAnyOrderElementsOf(sent);
    assertThat(sent.size()).as("commands sent").isGreaterThan(2 * THREADS * NOTES + 30);
  }

  /**
   * A write's size is the value MONITOR saw it send; a read's the value last written to its key, so
   * a reply paired with another command (another thread's note, another key) would show.
   */
  private static void checkSizesAndFoundAgainstWhatWasSent(List<Span> spans, List<RedisMonitor.Line> received) {
    Map<String, Long> written = new HashMap<>();
    for (RedisMonitor.Line line : received) {
      if (Set.of("SET", "PSETEX").contains(line.name())) {
        written.put(line.key(), (long) line.args.get(line.args.size() - 1).length);
      }
    }
    int notes = 0;
    for (Span s : spans) {
      String key = String.valueOf(s.attributes.get("memory.key"));
      if ((s.name.equals("SET") || s.name.equals("PSETEX")) && written.containsKey(key)) {
        assertThat(s.attributes).as("%s", s).containsEntry("memory.value_size", written.get(key));
      }
      if (s.name.equals("GET") && written.containsKey(key)) {
        assertThat(s.attributes).as("%s", s).containsEntry("memory.found", true)
            .containsEntry("memory.value_size", written.get(key));
        notes += key.startsWith("rsn:note:") ? 1 : 0;
      }
    }
    assertThat(notes).as("every thread's notes read back with their own sizes").isEqualTo(THREADS * NOTES);
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < NOTES; i++) {
        assertThat(written).containsEntry("rsn:note:p" + t + "-" + i, (long) (1 + t * NOTES + i));
      }
    }
    for (String missing : List.of("rsn:bucket:missing", "rsn:async:missing", "rsn:reactive:missing", "rsn:batch:missing")) {
      assertThat(only(spans, "GET", missing).attributes).as(missing)
          .containsEntry("memory.found", false).doesNotContainKey("memory.value_size");
    }
    assertThat(only(spans, "PSETEX", "rsn:bucket:ttl").attributes).containsEntry("memory.ttl", 60L);
    assertThat(only(spans, "GET", "rsn:bucket:kryo").attributes).as("Kryo's bytes, as read")
        .containsEntry("memory.value_size", written.get("rsn:bucket:kryo"));
    assertThat(only(spans, "LINDEX", "rsn:list").attributes)
        .containsEntry("memory.found", true).containsEntry("memory.value_size", 10L);
    assertThat(spans.stream().filter(s -> s.name.equals("HGET") && "rsn:map".equals(s.attributes.get("memory.key")))
        .map(s -> s.attributes.get("memory.found")).collect(Collectors.toList()))
        .containsExactlyInAnyOrder(true, false);
    assertThat(only(spans, "HEXISTS", "rsn:lock").attributes).containsEntry("memory.found", true);
  }

  /**
   * Redisson's objects are Lua scripts, run by their SHA1 (EVALSHA), loaded on NOSCRIPT: each is a
   * span named after its command, its digest as the stored procedure, its first key from numkeys.
   */
  private static void checkScripts(List<Span> spans, List<RedisMonitor.Line> received) {
    List<RedisMonitor.Line> evalsha = received.stream().filter(l -> l.name().equals("EVALSHA")).collect(Collectors.toList());
    List<Span> scripts = spans.stream().filter(s -> s.name.equals("EVALSHA")).collect(Collectors.toList());
    assertThat(scripts).hasSameSizeAs(evalsha).isNotEmpty();
    assertThat(scripts.stream().map(s -> s.attributes.get("memory.key") + " " + s.attributes.get("db.stored_procedure.name")))
        .containsExactlyInAnyOrderElementsOf(evalsha.stream().map(l -> l.key() + " " + l.arg(1)).collect(Collectors.toList()));
    for (Span s : scripts) {
      assertThat(s.attributes).containsEntry("db.operation.name", "EVALSHA");
      assertThat(String.valueOf(s.attributes.get("db.query.text"))).startsWith("EVALSHA ");
    }
    for (String object : List.of("rsn:map", "rsn:cache", "rsn:lock", "rsn:lock:shared")) {
      assertThat(scripts).as("scripts of %s", object).anyMatch(s -> object.equals(s.attributes.get("memory.key"))
          && s.statusCode != Span.STATUS_ERROR);
    }
    List<Span> noScript = scripts.stream().filter(s -> s.statusCode == Span.STATUS_ERROR).collect(Collectors.toList());
    assertThat(noScript).as("a script not yet loaded: Redisson loads it and runs it again").isNotEmpty()
        .allSatisfy(s -> assertThat(s.attributes).containsEntry("db.response.status_code", "NOSCRIPT"));
    assertThat(spans.stream().filter(s -> s.name.startsWith("SCRIPT"))).hasSize(noScript.size());
  }

  private static void checkErrorAndTransaction(List<Span> spans) {
    Span error = only(spans, "RPUSH", "rsn:bucket:s");
    assertThat(error.statusCode).isEqualTo(Span.STATUS_ERROR);
    assertThat(error.attributes).containsEntry("error.type", "WRONGTYPE")
        .containsEntry("db.response.status_code", "WRONGTYPE").doesNotContainKey("memory.value_size");
    Map<String, Object> exception = error.eventAttributes.get(error.events.indexOf("exception"));
    assertThat(exception).containsEntry("exception.type", "org.redisson.client.RedisException")
        .as("Redis's words only, not Redisson's channel and arguments")
        .containsEntry("exception.message", "WRONGTYPE Operation against a key holding the wrong kind of value");
    assertThat(only(spans, "RPUSH", "rsn:list").statusCode).isNotEqualTo(Span.STATUS_ERROR);

    List<Span> transactions = spans.stream().filter(s -> s.name.equals("MULTI")).collect(Collectors.toList());
    assertThat(transactions).hasSize(1);
    assertThat(transactions.get(0).attributes).containsEntry("db.operation.name", "MULTI")
        .containsEntry("db.operation.batch.size", 2L)
        .containsEntry("db.query.text", "SET rsn:tx:a ?; INCR rsn:tx:counter");
    assertThat(spans).as("the atomic batch's commands are in its span only")
        .noneMatch(s -> s.name.equals("EXEC") || String.valueOf(s.attributes.get("memory.key")).startsWith("rsn:tx:"));
  }

  /**
   * Redisson's own work, asked for ({@code redis.handshake-spans}): each connection's SELECT and
   * PING have spans, on database 1 after the SELECT, and none is an error.
   */
  @Test
  void shouldShowRedissonsConnectionWorkWhenAsked() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("redisson-" + REDISSON + "-handshake");
    Path spansFile = ExportedSpans.freshFile(dir);
    resetServer();

    ForkedJvm.Result result = program(programClassPath()).withAgent().everySpan()
        .tracesTo(spansFile)
        .env("MEMTRACE_REDIS_HANDSHAKE_SPANS", "true")
        .run(dir);

    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stderr).contains("memtrace.events.dropped=0").contains("internal errors: 0");
    ExportedSpans exported = ExportedSpans.read(spansFile);
    List<Span> selects = exported.where(s -> s.name.equals("SELECT"));
    assertThat(selects).as("one per connection Redisson opened").isNotEmpty()
        .allSatisfy(s -> assertThat(s.attributes).containsEntry("db.query.text", "SELECT ?")
            .containsEntry("server.port", (long) redis.port));
    assertThat(exported.where(s -> s.name.equals("PING"))).as("each connection checked once set up")
        .hasSizeGreaterThanOrEqualTo(selects.size())
        .allSatisfy(s -> assertThat(s.attributes).containsEntry("db.namespace", "1"));
    assertThat(exported.where(s -> "redis".equals(s.attributes.get("db.system.name"))))
        .noneMatch(s -> s.statusCode == Span.STATUS_ERROR && !s.name.equals("RPUSH") && !s.name.equals("EVALSHA"));
  }

  private static Span only(List<Span> spans, String name, String key) {
    List<Span> found = spans.stream().filter(s -> s.name.equals(name) && key.equals(s.attributes.get("memory.key")))
        .collect(Collectors.toList());
    assertThat(found).as("exactly one %s %s", name, key).hasSize(1);
    return found.get(0);
  }

  private static void resetServer() throws Exception {
    assertThat(RedisMonitor.command(redis.host, redis.port, "FLUSHALL")).isEqualTo("+OK");
    assertThat(RedisMonitor.command(redis.host, redis.port, "SCRIPT", "FLUSH")).isEqualTo("+OK");
  }

  private static ForkedJvm program(String classPath) {
    return ForkedJvm.program(classPath, "RedissonProgram", redis.host, String.valueOf(redis.port));
  }

  static String programClassPath() throws Exception {
    String redisson = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("redisson-" + REDISSON)).stream()
        .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    return TestPrograms.compile("redisson-" + REDISSON, redisson, "RedissonProgram.java");
  }
}
