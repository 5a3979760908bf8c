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
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redisson 3.52 behind Sentinels ({@code useSentinelServers()} on {@link RedisSentinels}: a primary, two replicas,
 * three Sentinels), with the primary failed over while {@code RedissonSentinelProgram} writes and reads from three
 * threads. What every data node executed is read from its {@code MONITOR}; each span must name the node that
 * answered it, the old primary before the failover and the new one after, and nothing may be mispaired.
 *
 * <p>Redisson's Sentinel plumbing has no spans: it asks the Sentinels ({@code SENTINEL} queries for the primary's
 * address, its replicas and the other Sentinels) every {@code scanInterval} through
 * {@code RedisConnection.async}/{@code sync}, which the agent takes as the connection's own work, like its set-up
 * (shown with {@code redis.handshake-spans}). The program reads from the primary ({@code ReadMode.MASTER}): with
 * Redisson's default, reads from the replicas, a few attempts in flight on replicas' connections when the failover
 * reconfigures them are never ended and are counted as dropped (not mispaired), and replicas' reads are not marked
 * {@code memtrace.redis.replica} (Redisson sends no READONLY outside a cluster).
 */
@Timeout(90)
class RedissonSentinelIT {

  @Test
  void shouldFollowTheNewPrimaryWithEverySpanOnTheNodeThatAnswered() throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("redisson-sentinel");
    Path spansFile = dir.resolve("spans.jsonl");
    Path stopFile = dir.resolve("stop");
    Files.createDirectories(dir);
    Files.deleteIfExists(spansFile);
    Files.deleteIfExists(stopFile);
    String redisson = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("redisson-" + RedissonSpansIT.REDISSON)).stream()
        .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    String classPath = TestPrograms.compile("redisson-sentinel", redisson, "RedissonSentinelProgram.java",
        "FailoverWriters.java");
    SentinelRun run;
    try (RedisSentinels topology = RedisSentinels.start(dir.resolve("redis"))) {
      int before = topology.primaryPort();
      List<ReconnectingMonitor> monitors = new ArrayList<>();
      for (int port : topology.nodePorts()) {
        monitors.add(ReconnectingMonitor.start(port));
      }
      ForkedJvm jvm = ForkedJvm.program(classPath, "RedissonSentinelProgram", topology.masterName(),
          topology.sentinelPorts().stream().map(String::valueOf).collect(Collectors.joining(",")), stopFile.toString(),
          "MASTER")
          .timeout(Duration.ofSeconds(40)).fullJit() // writes flat out until stopped: every span must fit the ring
          .withAgent().everySpan().env("MEMTRACE_TRACES_FILE", spansFile.toString());
      ForkedJvm.Result result;
      int after;
      try (ForkedJvm.Running program = jvm.start(dir.resolve("traced"))) {
        SteppedProgram.awaitOutput(program, "ready", Duration.ofSeconds(20));
        Thread.sleep(300);
        after = topology.failover();
        Thread.sleep(2000); // Redisson's next scans of the Sentinels find the new primary
        Files.createFile(stopFile);
        result = SteppedProgram.awaitEnd(program, Duration.ofSeconds(30));
      }
      run = SentinelRun.after(result, ExportedSpans.read(spansFile), monitors, topology, before, after);
    }
    run.assertAgreesWithMonitor();
    run.assertNothingMispaired();
    assertThat(run.result.stdout).as("Redisson retries what failed: the program sees no error").doesNotContain("error ");
    assertThat(run.dataSpans()).allSatisfy(s -> assertThat(s.statusCode).isNotEqualTo(Span.STATUS_ERROR));
    assertThat(run.spans.spans).as("Redisson's Sentinel queries are its connection work: no spans by default")
        .noneMatch(s -> run.sentinelPorts.contains((int) (long) (Long) s.attributes.get("server.port")));
    System.out.println("[redisson-sentinel] other spans: " + run.spans.spans.stream()
        .filter(s -> !run.dataSpans().contains(s))
        .map(s -> s.name + " " + s.attributes.get("db.query.text") + " :" + s.attributes.get("server.port"))
        .collect(Collectors.groupingBy(x -> x, LinkedHashMap::new, Collectors.counting())));
    assertThat(run.spans.spans).as("nothing but the program's commands").hasSameSizeAs(run.dataSpans());
  }
}
