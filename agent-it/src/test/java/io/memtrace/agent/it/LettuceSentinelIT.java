package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.SteppedProgram;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.redis.Monitor;
import io.memtrace.testsupport.redis.ReconnectingMonitor;
import io.memtrace.testsupport.redis.RedisSentinels;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lettuce behind Sentinels ({@link RedisSentinels}: a primary, two replicas, three Sentinels), a {@code RedisURI}
 * with the Sentinels and the master name, the primary failed over by hand while three threads write and read back
 * over one connection. The Sentinels close the clients of both nodes that change role, and Lettuce reconnects to
 * the primary they name now. Each span must name the node that answered it, as that node's {@code MONITOR} saw it.
 * Then a {@code MasterReplica} connection with {@code ReadFrom.REPLICA} reads from the replicas.
 */
@Timeout(600) // a hang guard per test, not a measure of speed
class LettuceSentinelIT {

  /** Hang guards, not timings: a failover run on a loaded 2-core machine takes a minute; these stop a stuck one. */
  private static final Duration HANG_GUARD = Duration.ofMinutes(5);
  private static final Duration STEP_GUARD = Duration.ofMinutes(3);

  private static final Set<String> DATA = Set.of("SET", "GET");
  private static final Pattern KEY = Pattern.compile("t\\d+:\\d+");

  @ParameterizedTest(name = "Lettuce {0}")
  @ValueSource(strings = {"5.3.7.RELEASE", "6.6.0.RELEASE", "7.0.0.RELEASE"})
  void shouldFollowAFailoverWithEverySpanOnTheNodeThatAnswered(String version) throws Exception {
    Path dir = BuildPaths.IT_WORK.resolve("lettuce-sentinel-" + version);
    Path spansFile = ExportedSpans.freshFile(dir);
    Path stopFile = dir.resolve("stop");
    Files.deleteIfExists(stopFile);
    String lettuce = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("lettuce-" + version)).stream()
        .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    String classPath = TestPrograms.compile("lettuce-sentinel-" + version, lettuce, "LettuceSentinelProgram.java");
    // Sentinel's short clock: the old primary demoted a second after the failover rather than ten, and seen linked
    // again as soon; the program's connection to it is closed then either way
    try (RedisSentinels topology = RedisSentinels.startQuick(dir.resolve("redis"))) {
      int before = topology.primaryPort();
      List<ReconnectingMonitor> monitors = new ArrayList<>();
      for (int port : topology.nodePorts()) {
        monitors.add(ReconnectingMonitor.start(port));
      }
      ForkedJvm.Result result;
      int after;
      ForkedJvm jvm = ForkedJvm.program(classPath, "LettuceSentinelProgram", topology.masterName(),
          topology.sentinelPorts().stream().map(String::valueOf).collect(Collectors.joining(",")), stopFile.toString())
          .timeout(HANG_GUARD).fullJit() // writes flat out until stopped: every span must fit the ring
          .withAgent().everySpan().tracesTo(spansFile);
      try (ForkedJvm.Running program = jvm.start(dir.resolve("traced"))) {
        SteppedProgram.awaitOutput(program, "ready ->", SteppedProgram.STEP_TIMEOUT);
        after = topology.failover();
        awaitDemoted(topology, before); // the program's connection to it is closed then
        Thread.sleep(1000);
        Files.createFile(stopFile);
        SteppedProgram.step(program, "replicas", step -> topology.awaitSettled());
        result = SteppedProgram.awaitEnd(program, STEP_GUARD);
        Thread.sleep(300); // the last MONITOR lines
      } finally {
        monitors.forEach(ReconnectingMonitor::close);
      }
      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stdout).contains("checked -> values read back as written").doesNotContain("mismatch")
          .contains("replicas -> 10 keys read back from replicas");
      assertThat(result.stderr).contains("memtrace.events.dropped=0").contains("internal errors: 0")
          .doesNotContain("[memtrace] WARN");

      ExportedSpans spans = ExportedSpans.read(spansFile);
      List<Span> data = spans.where(s -> DATA.contains(s.name)
          && KEY.matcher(String.valueOf(s.attributes.get("memory.key"))).matches());
      List<Monitor.Command> ran = monitors.stream().flatMap(m -> m.commands().stream())
          .filter(c -> DATA.contains(c.name()) && c.args.size() > 1 && KEY.matcher(c.args.get(1)).matches()
              && !topology.nodePorts().contains(port(c.client)))
          .collect(Collectors.toList());
      // The program sets each key once and reads it once. Lettuce sends a command again after a reconnect when its reply
      // was lost with the connection, and Redis may have run it before: on the old primary, or on it twice. One call,
      // one span, on the node that answered: each run of a command is matched to a span without an error that names its
      // key and node, and the runs left over (ran before a resend, or ran with its reply lost) are counted apart, at
      // most one per program thread (each has one command in flight when its connection goes). The fresh-clone run of
      // e6b293b3 had a GET the old primary ran before Lettuce 6.6 sent it again to the new one, which answered it.
      Map<String, Long> unmatched = new java.util.HashMap<>();
      data.stream().filter(s -> s.statusCode != Span.STATUS_ERROR).forEach(s -> unmatched.merge(s.name + " "
          + s.attributes.get("memory.key") + " " + s.attributes.get("server.port"), 1L, Long::sum));
      List<Monitor.Command> resent = new ArrayList<>();
      Map<String, Long> ranByNode = count(ran.stream().filter(c -> {
        String run = c.name() + " " + c.args.get(1) + " " + c.nodePort;
        boolean matched = unmatched.getOrDefault(run, 0L) > 0;
        if (matched) {
          unmatched.merge(run, -1L, Long::sum);
        } else {
          resent.add(c);
        }
        return matched;
      }).map(c -> c.nodePort + " " + c.name()));
      assertThat(resent).as("commands Redis ran before Lettuce sent them again, or whose reply was lost")
          .hasSizeLessThanOrEqualTo(3);
      Map<String, Long> spannedByNode = count(data.stream().filter(s -> s.statusCode != Span.STATUS_ERROR)
          .map(s -> s.attributes.get("server.port") + " " + s.name));
      System.out.printf("[lettuce-sentinel %s] primary %d -> %d; ran %s; spans %s; ran before a resend %s; errors %s%n",
          version, before, after, ranByNode, spannedByNode, resent,
          result.stdout.lines().filter(l -> l.startsWith("errors")).findFirst().orElse(""));
      assertThat(spannedByNode).as("per node, what it ran and the spans that name it").isEqualTo(ranByNode);
      assertThat(ranByNode.keySet()).as("both primaries served").anyMatch(k -> k.startsWith(before + " "))
          .anyMatch(k -> k.startsWith(after + " "));
      assertThat(data).allSatisfy(s -> {
        String key = String.valueOf(s.attributes.get("memory.key"));
        assertThat(s.attributes).as("%s", s).containsEntry("server.address", "127.0.0.1")
            .containsEntry("db.namespace", "0");
        if (s.statusCode != Span.STATUS_ERROR && !Boolean.FALSE.equals(s.attributes.get("memory.found"))) {
          assertThat(s.attributes).as("%s", s).containsEntry("memory.value_size", (long) ("value of " + key).length());
        }
      });
      Matcher lost = Pattern.compile("lost write=(\\d+)").matcher(result.stdout);
      assertThat(data).filteredOn(s -> Boolean.FALSE.equals(s.attributes.get("memory.found")))
          .as("a GET found nothing where the program lost a write").hasSize(lost.find() ? Integer.parseInt(lost.group(1)) : 0)
          .allSatisfy(s -> assertThat(s.attributes).containsEntry("server.port", (long) after));
      assertThat(data).filteredOn(s -> s.statusCode == Span.STATUS_ERROR).as("what the program caught")
          .hasSize(caught(result.stdout));
      // MasterReplica with ReadFrom.REPLICA: Lettuce sends no READONLY to a replica (a replica serves reads anyway),
      // so nothing on the span says it was one; its port is a replica's
      List<Span> reads = data.stream().filter(s -> s.name.equals("GET"))
          .sorted(java.util.Comparator.comparingLong(s -> s.start)).collect(Collectors.toList());
      assertThat(reads.subList(reads.size() - 10, reads.size())).allSatisfy(s -> assertThat(s.attributes)
          .doesNotContainKey("memtrace.redis.replica").containsEntry("memory.found", true)
          .satisfies(a -> assertThat(a.get("server.port")).isNotEqualTo((long) after)));
    }
  }

  /**
   * The Sentinels demote the old primary some ten seconds after the failover, when they next read its role; on a
   * loaded machine that once took longer than the topology's 30 s wait, so it is given a second one.
   */
  private static void awaitDemoted(RedisSentinels topology, int port) throws java.io.IOException {
    try {
      topology.awaitDemoted(port);
    } catch (java.io.IOException | RuntimeException slow) {
      topology.awaitDemoted(port);
    }
  }

  /** How many exceptions the program caught, from its {@code errors -> {kind=count, ...}} line (lost writes aside). */
  private static int caught(String stdout) {
    Matcher m = Pattern.compile("([^{=,]+)=(\\d+)").matcher(stdout.lines().filter(l -> l.startsWith("errors"))
        .findFirst().orElse(""));
    int total = 0;
    while (m.find()) {
      total += m.group(1).trim().equals("lost write") ? 0 : Integer.parseInt(m.group(2));
    }
    return total;
  }

  private static int port(String client) {
    Matcher m = Pattern.compile(":(\\d+)$").matcher(client);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static Map<String, Long> count(java.util.stream.Stream<String> items) {
    return items.collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
  }
}
