package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.SteppedProgram;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.redis.ReconnectingMonitor;
import io.memtrace.testsupport.redis.RedisSentinels;
import io.memtrace.testsupport.redis.SentinelEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Jedis 7 behind Sentinels ({@link RedisSentinels}: a primary, two replicas, three Sentinels), with the primary
 * failed over while {@code SentinelProgram} writes and reads from three threads. What every data node executed is
 * read from its {@code MONITOR}, and each span must name the node that answered it: the old primary before the
 * failover, the new one after. Nothing may be mispaired: every value read back, and every span's sizes, match
 * what was written under that key.
 */
class JedisSentinelIT {

  /** Hang guards, not timings: a failover run on a loaded 2-core machine takes a minute; these stop a stuck one. */
  private static final Duration HANG_GUARD = Duration.ofMinutes(5);
  private static final Duration STEP_GUARD = Duration.ofMinutes(3);

  private static final String VERSION = "7.5.3";

  /**
   * Besides the Sentinel clients, a pool pinned to the first primary keeps writing there; the test waits until the
   * Sentinels demote it, which resets its clients' connections and then answers their writes with {@code READONLY}.
   */
  @Test
  void shouldFollowAFailoverByHandWithEverySpanOnTheNodeThatAnswered() throws Exception {
    SentinelRun run = run("by-hand", true, false);
    assertThat(run.errorKinds()).as("the pinned pool meets the demotion").contains("JedisDataException: READONLY");
    run.assertAgreesWithMonitor();
    run.assertNothingMispaired();
    // a READONLY reply comes from a node a Sentinel made a replica: the primary failed over by hand, or, on a loaded
    // machine, the new primary, turned back for a moment by a Sentinel that had not yet learnt of the failover
    Set<Integer> demoted = run.demoted();
    assertThat(demoted).as("the Sentinels announced: %s", run.announced).contains(run.before);
    assertThat(run.dataSpans()).filteredOn(s -> s.statusCode == Span.STATUS_ERROR
        && "READONLY".equals(s.attributes.get("error.type"))).as("READONLY replies are ERROR spans").isNotEmpty()
        .allSatisfy(s -> assertThat(s.attributes).as("a READONLY reply's node; the Sentinels announced: %s",
            run.announced).containsEntry("db.response.status_code", "READONLY")
            .extractingByKey("server.port").isIn(demoted.stream().map(Long::valueOf).toArray()));
    run.assertErrorsAsTheProgramSawThem();
    run.assertDiscoveryIsSpansOnTheSentinels();
  }

  @Test
  void shouldShowACrashedPrimarysErrorsAsTheProgramSeesThem() throws Exception {
    SentinelRun plain = run("crash-plain", false, true);
    SentinelRun traced = run("crash-traced", true, true);
    assertThat(plain.errorKinds()).as("a crash makes the program see errors").isNotEmpty();
    assertThat(traced.errorKinds()).as("a crash makes the program see errors").isNotEmpty();
    assertThat(union(plain.errorKinds(), traced.errorKinds())).as("the same kinds of exception, with or without the agent")
        .allMatch(kind -> kind.startsWith("JedisConnectionException") || kind.startsWith("JedisDataException: READONLY"));
    traced.assertAgreesWithMonitor();
    traced.assertNothingMispaired();
    traced.assertErrorsAsTheProgramSawThem();
    traced.assertDiscoveryIsSpansOnTheSentinels();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Starts a topology, runs the program, fails the primary over once it is busy, and gathers what happened. */
  private static SentinelRun run(String name, boolean traced, boolean crash) throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("sentinel-" + name);
    Path spansFile = ExportedSpans.freshFile(dir);
    Path stopFile = dir.resolve("stop");
    Files.deleteIfExists(stopFile);
    String classPath = programClassPath();
    long t0 = System.nanoTime();
    // by hand, Sentinel's short clock: the old primary demoted (and the pinned pool meeting it) a second after the
    // failover rather than ten; a crash's failover is detected on the usual clock
    try (RedisSentinels topology = crash ? RedisSentinels.start(dir.resolve("redis"))
        : RedisSentinels.startQuick(dir.resolve("redis"));
        SentinelEvents announced = SentinelEvents.start(topology.sentinelPorts())) {
      long t1 = System.nanoTime();
      int before = topology.primaryPort();
      List<ReconnectingMonitor> monitors = new ArrayList<>();
      for (int port : topology.nodePorts()) {
        monitors.add(ReconnectingMonitor.start(port));
      }
      List<String> args = new ArrayList<>(List.of(topology.masterName(),
          topology.sentinelPorts().stream().map(String::valueOf).collect(Collectors.joining(",")),
          stopFile.toString()));
      if (!crash) {
        args.add(String.valueOf(before)); // a pool pinned to the primary to be demoted
      }
      ForkedJvm jvm = ForkedJvm.program(classPath, "SentinelProgram", args.toArray(new String[0]))
          .timeout(HANG_GUARD).fullJit(); // writes flat out until stopped: every span must fit the ring
      if (traced) {
        jvm.withAgent().everySpan().tracesTo(spansFile);
      }
      ForkedJvm.Result result;
      int after;
      try (ForkedJvm.Running program = jvm.start(dir.resolve(traced ? "traced" : "plain"))) {
        SteppedProgram.awaitOutput(program, "ready", STEP_GUARD);
        long t2 = System.nanoTime();
        Thread.sleep(300);
        after = crash ? topology.crashPrimary() : topology.failover();
        if (!crash) {
          topology.awaitDemoted(before); // a second or two later
        }
        long t3 = System.nanoTime();
        System.out.printf("[sentinel] %s: topology %d ms, ready %d ms, failover %d ms%n", name, (t1 - t0) / 1_000_000,
            (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000 - 300);
        Thread.sleep(1000);
        Files.createFile(stopFile);
        result = SteppedProgram.awaitEnd(program, STEP_GUARD);
      }
      return SentinelRun.after(result, traced ? ExportedSpans.read(spansFile) : null, monitors, topology, before,
          after, announced);
    }
  }

  private static String classPath;

  private static synchronized String programClassPath() throws IOException {
    if (classPath == null) {
      classPath = TestPrograms.compile("sentinel-" + VERSION, TestPrograms.jedisClassPath(VERSION),
          "SentinelProgram.java", "FailoverWriters.java");
    }
    return classPath;
  }
}
