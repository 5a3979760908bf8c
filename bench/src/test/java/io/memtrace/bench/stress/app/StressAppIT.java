package io.memtrace.bench.stress.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.bench.overhead.LocalRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Runs the application in this JVM, without an agent, for a second or two per workload against a
 * real redis-server, and checks its stdout, samples file and RESULT line against what Redis holds.
 */
class StressAppIT {

  /**
   * The most a turn's one-second window at 400 ops/s may hold, 460. It counts operations, not time: each worker's
   * pacer starts afresh at its turn and schedules at most its share of 400 a second from then, operations count in
   * the window they ended in (WindowGrid), and only the few begun before the window (in the warm-up, at most one a
   * worker) can add to it. A slow machine holds a window under its pace, never over.
   */
  private static final long PACE_CEILING = 460;
  /** How long runs taking turns warm up after the last of them said it was ready. */
  private static final long TURNS_WARMUP_MILLIS = 1_000;

  private static final List<String> AGENT_FIELDS = List.of("produced", "exported", "compressed", "dropped",
      "export_failures", "ring_size", "ring_used_max", "agent_cpu_ms", "agent_threads");
  private static final List<String> SAMPLE_FIELDS = List.of("t", "ops", "errors", "verify_failures", "p50_us",
      "p99_us", "p999_us", "max_us", "heap_used_mb", "heap_after_gc_mb", "threads", "fds", "sockets",
      "process_cpu_ms", "level");
  private static LocalRedis redis;
  private final ObjectMapper json = new ObjectMapper();
  @TempDir
  Path dir;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = LocalRedis.start(null);
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    try (Jedis jedis = jedis()) {
      jedis.flushAll();
    }
  }

  @Test
  void shouldSampleEverySecondAndVerifyEveryReadOfTheMixedCycle() throws Exception {
    Run run = run("mixed", "--threads", "2", "--warmup", "1", "--seconds", "2");

    assertThat(run.samples).hasSize(2);
    for (JsonNode sample : run.samples) {
      assertThat(sample.get("ops").asLong()).isPositive();
      assertThat(sample.get("verify_failures").asLong()).isZero();
      assertThat(sample.get("p99_us").asDouble()).isGreaterThanOrEqualTo(sample.get("p50_us").asDouble()).isPositive();
      assertThat(sample.get("level").asInt()).isZero();
      assertThat(sample.get("threads").asLong()).isGreaterThanOrEqualTo(3);
      assertThat(sample.get("sockets").asLong()).isPositive().isLessThan(sample.get("fds").asLong());
      assertThat(sample.get("t").asLong()).isGreaterThan(run.t0);
    }
    assertThat(run.samples.get(1).get("t").asLong() - run.samples.get(0).get("t").asLong()).isBetween(500L, 2000L);
    assertThat(run.result.get("ops").asLong())
        .isEqualTo(run.samples.get(0).get("ops").asLong() + run.samples.get(1).get("ops").asLong());
    assertThat(run.result.get("errors").asLong()).isZero();
    assertThat(run.result.get("verify_failures").asLong()).isZero();
    // a measurement lasts its two seconds; the upper bound only guards against a run that never stops
    assertThat(run.result.get("seconds").asDouble()).isBetween(1.9, 30.0);
    assertThat(run.result.get("oom").asInt()).isZero();
    assertThat(run.result.get("heap_after_gc_end_mb").asDouble()).isPositive();
    assertThat(run.result.fieldNames()).toIterable().noneMatch(name -> name.startsWith("level_"));
    assertThat(run.stdout).doesNotContain("STRESS-LEVEL");
    try (Jedis jedis = jedis()) {
      // each document is deleted within its own cycle
      assertThat(jedis.keys("stress/docs:*")).hasSizeLessThanOrEqualTo(2);
    }
  }

  @Test
  void shouldTallyVectorStoresAndSearchesConsistentlyWithRedis() throws Exception {
    Run run = run("vector", "--threads", "2", "--warmup", "0", "--seconds", "2");

    long stores = run.result.get("store_ops").asLong();
    long bytes = run.result.get("stored_value_bytes_sum").asLong();
    long searches = run.result.get("search_ops").asLong();
    long results = run.result.get("search_results_sum").asLong();
    assertThat(run.result.get("verify_failures").asLong()).isZero();
    assertThat(stores).isPositive();
    assertThat(bytes).isBetween(4096 * stores, 16384 * stores);
    assertThat(searches).isPositive();
    assertThat(results).isPositive().isLessThanOrEqualTo(searches * 2 * VectorCycle.SLOTS);
    try (Jedis jedis = jedis()) {
      Set<String> keys = jedis.keys("stress/vectors:vec-*");
      assertThat((long) keys.size()).isPositive().isLessThanOrEqualTo(Math.min(stores, 2L * VectorCycle.SLOTS));
      long held = 0;
      for (String key : keys) {
        held += jedis.strlen(key) - 2; // JSON quotes around each String
      }
      assertThat(held).isPositive().isLessThanOrEqualTo(bytes);
      assertThat(jedis.keys("deep:memory:*")).hasSizeLessThanOrEqualTo((int) VectorCycle.NOTES);
    }
  }

  @Test
  void shouldMeasureEachFleetLevelOnItsOwn() throws Exception {
    // each level warms up for a second first, so that its measured second counts workflows, not class loading: with
    // no warm-up a level on a loaded machine could end before its first workflow did
    Run run = run("fleet", "--threads", "1,2", "--warmup", "1", "--seconds", "1");

    assertThat(run.stdout).containsSubsequence("STRESS-START ", "STRESS-LEVEL 1 ", "STRESS-LEVEL 2 ", "RESULT {");
    assertThat(run.samples).extracting(s -> s.get("level").asInt()).containsExactly(1, 2);
    assertThat(run.result.get("verify_failures").asLong()).isZero();
    assertThat(run.result.get("errors").asLong()).isZero();
    assertThat(run.result.get("level_1_ops_s").asDouble()).isPositive();
    assertThat(run.result.get("level_2_ops_s").asDouble()).isPositive();
    // a workflow spins ~7 ms of CPU for its three tests, so its latency is in milliseconds
    assertThat(run.result.get("level_1_p999_us").asDouble()).isGreaterThan(2_000);
    // the two levels measure a second each; the upper bound only guards against a run that never stops
    assertThat(run.result.get("seconds").asDouble()).isBetween(1.9, 30.0);
  }

  @Test
  void shouldStoreExactlyTheLeakGrowthAndLargeKeysItCounts() throws Exception {
    Run leak = run("leak", "--threads", "1", "--warmup", "0", "--seconds", "1", "--leak-rate", "40");
    Run growth = run("growth", "--threads", "1", "--warmup", "0", "--seconds", "1", "--growth-base", "10",
        "--growth-jump-seconds", "1", "--growth-factor", "20");
    Run large = run("large", "--threads", "1", "--warmup", "0", "--seconds", "1", "--value-bytes", "65536");

    try (Jedis jedis = jedis()) {
      assertThat(leak.result.get("leak_keys").asLong()).isPositive()
          .isEqualTo(jedis.keys("stress/leak:leak-*").size());
      // the jump to 200 keys/s covers the whole second: more keys than the base rate's schedule has in it (10 + 1)
      assertThat(growth.result.get("growth_keys").asLong()).isGreaterThan(11)
          .isEqualTo(jedis.keys("stress/growth:growth-*").size());
      assertThat(large.result.get("large_values").asLong()).isPositive()
          .isEqualTo(jedis.keys("stress/large:large-*").size());
      assertThat(jedis.strlen("stress/large:large-0")).isEqualTo(65536 + 2);
      assertThat(jedis.ttl("stress/leak:leak-0")).isEqualTo(-1);
    }
    for (Run run : List.of(leak, growth, large)) {
      assertThat(run.result.get("ops").asLong()).isPositive();
      assertThat(run.result.get("verify_failures").asLong()).isZero();
    }
  }

  @Test
  void shouldRunBurstsAndRestOnTheSharedClock() throws Exception {
    Run run = run("burst", "--threads", "4", "--warmup", "0", "--seconds", "1", "--burst-ms", "100",
        "--pause-ms", "100");

    assertThat(run.result.get("ops").asLong()).isPositive();
    assertThat(run.result.get("verify_failures").asLong()).isZero();
  }

  @Test
  void shouldWorkAndSampleOnlyInItsOwnTurnsWhenTwoRunsTakeTurns() throws Exception {
    // both warm up together from when both are ready, then take 1-second turns, two each
    Epoch epoch = new Epoch(2);
    CompletableFuture<Run> first = CompletableFuture.supplyAsync(() -> runQuietly("first", epoch, "mixed", "--threads",
        "2", "--rate", "400", "--seconds", "4", "--turns", "ready,1,0"));
    CompletableFuture<Run> second = CompletableFuture.supplyAsync(() -> runQuietly("second", epoch, "mixed",
        "--threads", "2", "--rate", "400", "--seconds", "4", "--turns", "ready,1,1"));
    Run a = first.get(EpochHandshake.GUARD_SECONDS, TimeUnit.SECONDS);
    Run b = second.get(EpochHandshake.GUARD_SECONDS, TimeUnit.SECONDS);

    for (Run run : List.of(a, b)) {
      assertThat(run.t0).isGreaterThanOrEqualTo(epoch.millis());
      assertThat(run.stdout).startsWith(EpochHandshake.READY + System.lineSeparator());
      assertThat(run.samples).hasSize(2);
      // each window holds operations of its own turn, and no more than its pace allows
      assertThat(run.samples)
          .allSatisfy(sample -> assertThat(sample.get("ops").asLong()).isBetween(1L, PACE_CEILING));
      assertThat(run.result.get("verify_failures").asLong()).isZero();
      assertThat(run.result.get("errors").asLong()).isZero();
      assertThat(run.result.get("seconds").asDouble()).isBetween(1.9, 2.1);
      // it held off in the other's turns: only operations begun at the end of its own (or of the warm-up) ended
      // there, one a worker at each such end: a count, whatever the machine's speed
      assertThat(run.result.get("ops_outside_turns").asLong()).isBetween(0L, 20L);
      assertThat(run.result.get("ops").asLong())
          .isEqualTo(run.samples.get(0).get("ops").asLong() + run.samples.get(1).get("ops").asLong());
    }
    // the turns alternate: first, second, first, second, each window ending on its turn's end (the grid, not the
    // moment the sampler woke)
    List<Long> ends = List.of(a.samples.get(0).get("t").asLong(), b.samples.get(0).get("t").asLong(),
        a.samples.get(1).get("t").asLong(), b.samples.get(1).get("t").asLong());
    for (int i = 0; i < ends.size(); i++) {
      assertThat(ends.get(i) - epoch.millis()).as("window %d", i).isBetween(1_000L * (i + 1) - 50,
          1_000L * (i + 1) + 150);
    }
    try (Jedis jedis = jedis()) {
      // each run kept to keys of its own, so neither read the other's documents
      assertThat(jedis.keys("*stress-p0-t0-*")).isNotEmpty();
      assertThat(jedis.keys("*stress-p1-t0-*")).isNotEmpty();
      assertThat(jedis.keys("*stress-t0-*")).isEmpty();
    }
  }

  @Test
  void shouldRotateTheTurnsAmongThreeRuns() throws Exception {
    // three warm up together from when all are ready, then take 1-second turns in order, two each
    Epoch epoch = new Epoch(3);
    List<CompletableFuture<Run>> started = new java.util.ArrayList<>();
    for (int phase = 0; phase < 3; phase++) {
      String turns = "ready,1," + phase + ",3";
      String name = "third-" + phase;
      started.add(CompletableFuture.supplyAsync(() -> runQuietly(name, epoch, "mixed", "--threads", "2", "--rate",
          "400", "--seconds", "6", "--turns", turns)));
    }
    List<Run> runs = new java.util.ArrayList<>();
    for (CompletableFuture<Run> run : started) {
      runs.add(run.get(EpochHandshake.GUARD_SECONDS, TimeUnit.SECONDS));
    }

    for (int phase = 0; phase < 3; phase++) {
      Run run = runs.get(phase);
      assertThat(run.samples).hasSize(2);
      assertThat(run.samples)
          .allSatisfy(sample -> assertThat(sample.get("ops").asLong()).isBetween(1L, PACE_CEILING));
      assertThat(run.result.get("ops_outside_turns").asLong()).isBetween(0L, 20L);
      // its windows are turns phase and phase + 3: it sat out the two others' turns between them
      for (int k = 0; k < 2; k++) {
        long end = run.samples.get(k).get("t").asLong() - epoch.millis();
        long turn = phase + 3L * k;
        assertThat(end).as("run %d, window %d", phase, k).isBetween(1_000L * (turn + 1) - 50, 1_000L * (turn + 1) + 150);
      }
    }
  }

  @Test
  void shouldStopARunThatReachesItsTurnsLate() throws Exception {
    Path samples = dir.resolve("late.jsonl");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = StressApp.run(new String[] {"--redis", redis.host + ":" + redis.port, "--workload", "mixed",
        "--threads", "1", "--seconds", "2", "--samples", samples.toString(), "--turns",
        (System.currentTimeMillis() - 5_000) + ",1,0"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--turns: the workers started")
        .contains("after the first turn began");
  }

  @Test
  void shouldReportRunningOutOfMemoryAsOomAndExitThree() throws Exception {
    Path samples = dir.resolve("oom.jsonl");
    // a JVM of its own: an OutOfMemoryError is no thing to provoke in the test's JVM
    Process fork = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
        "-cp", System.getProperty("java.class.path"), StressApp.class.getName(), "--redis",
        redis.host + ":" + redis.port, "--workload", "mixed", "--threads", "1", "--warmup", "0", "--seconds", "1",
        "--ballast-percent", "99.9", "--samples", samples.toString()).redirectErrorStream(true).start();
    String output = new String(fork.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(fork.waitFor()).as(output).isEqualTo(3);
    assertThat(output).contains("\"oom\":1").contains("StressApp: out of memory");
  }

  private Run runQuietly(String name, EpochHandshake epoch, String workload, String... more) {
    try {
      return runNamed(name, epoch, workload, more);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Run run(String workload, String... more) throws Exception {
    return runNamed(workload, () -> {
      throw new IOException("no turns awaiting an epoch here");
    }, workload, more);
  }

  private Run runNamed(String name, EpochHandshake epoch, String workload, String... more) throws Exception {
    Path samples = dir.resolve(name + ".jsonl");
    List<String> args = new ArrayList<>(List.of("--redis", redis.host + ":" + redis.port, "--workload", workload,
        "--samples", samples.toString()));
    args.addAll(List.of(more));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = StressApp.run(args.toArray(String[]::new), print, new PrintStream(err, true, StandardCharsets.UTF_8),
        () -> {
          print.println(EpochHandshake.READY);
          return epoch.ready();
        });

    String stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as("exit code; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    List<String> lines = stdout.lines().filter(line -> !line.equals(EpochHandshake.READY)).toList();
    assertThat(lines.get(0)).matches("STRESS-START \\d{13}");
    String result = lines.get(lines.size() - 1);
    assertThat(result).startsWith("RESULT {");
    List<JsonNode> sampleLines = new ArrayList<>();
    try (Stream<String> file = Files.lines(samples)) {
      for (String line : file.toList()) {
        JsonNode sample = json.readTree(line);
        List<String> names = new ArrayList<>();
        sample.fieldNames().forEachRemaining(names::add);
        List<String> expected = new ArrayList<>(SAMPLE_FIELDS);
        expected.addAll(AGENT_FIELDS);
        assertThat(names).containsExactlyElementsOf(expected);
        for (String field : AGENT_FIELDS) {
          assertThat(sample.get(field).asLong()).as(field).isEqualTo(-1);
        }
        sampleLines.add(sample);
      }
    }
    return new Run(stdout, Long.parseLong(lines.get(0).substring("STRESS-START ".length())), sampleLines,
        json.readTree(result.substring("RESULT ".length())));
  }

  private static Jedis jedis() {
    return new Jedis(redis.host, redis.port);
  }

  /**
   * The harness's half of the handshake for runs in this JVM: once all {@code runs} are ready, one epoch for all,
   * {@link #TURNS_WARMUP_MILLIS} on.
   */
  private static final class Epoch implements EpochHandshake {

    private final CountDownLatch ready;
    private long millis;

    Epoch(int runs) {
      ready = new CountDownLatch(runs);
    }

    @Override
    public long ready() throws IOException {
      ready.countDown();
      try {
        if (!ready.await(GUARD_SECONDS, TimeUnit.SECONDS)) {
          throw new IOException("the other runs were not ready within " + GUARD_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      synchronized (this) {
        millis = millis == 0 ? System.currentTimeMillis() + TURNS_WARMUP_MILLIS : millis;
        return millis;
      }
    }

    synchronized long millis() {
      return millis;
    }
  }

  private record Run(String stdout, long t0, List<JsonNode> samples, JsonNode result) {
  }
}
