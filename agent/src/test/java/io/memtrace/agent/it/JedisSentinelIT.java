package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.redis.RedisSentinels;
import io.memtrace.testsupport.redis.Resp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final String VERSION = "7.5.3";
  private static final Pattern MONITOR_LINE = Pattern.compile("^\\S+ \\[\\d+ [^\\]]*:(\\d+)\\] \"(\\w+)\" \"([^\"]*)\"");

  /**
   * Besides the Sentinel clients, a pool pinned to the first primary keeps writing there; the test waits until the
   * Sentinels demote it, which resets its clients' connections and then answers their writes with {@code READONLY}.
   */
  @Test
  void shouldFollowAFailoverByHandWithEverySpanOnTheNodeThatAnswered() throws Exception {
    SentinelRun run = run("by-hand", true, false);
    assertThat(run.errorKinds()).as("the pinned pool meets the demotion").contains("JedisDataException: READONLY");
    assertThat(run.dataSpans()).filteredOn(s -> s.statusCode == Span.STATUS_ERROR
        && "READONLY".equals(s.attributes.get("error.type"))).as("READONLY replies are ERROR spans").isNotEmpty()
        .allSatisfy(s -> assertThat(s.attributes).containsEntry("server.port", (long) run.before)
            .containsEntry("db.response.status_code", "READONLY"));
    run.assertAgreesWithMonitor();
    run.assertNothingMispaired();
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
    Path spansFile = dir.resolve("spans.jsonl");
    Path stopFile = dir.resolve("stop");
    Files.createDirectories(dir);
    Files.deleteIfExists(spansFile);
    Files.deleteIfExists(stopFile);
    String classPath = programClassPath();
    long t0 = System.nanoTime();
    try (RedisSentinels topology = RedisSentinels.start(dir.resolve("redis"))) {
      long t1 = System.nanoTime();
      int before = topology.primaryPort();
      List<MonitorLog> monitors = new ArrayList<>();
      for (int port : topology.nodePorts()) {
        monitors.add(MonitorLog.start(port));
      }
      List<String> args = new ArrayList<>(List.of(topology.masterName(),
          topology.sentinelPorts().stream().map(String::valueOf).collect(Collectors.joining(",")),
          stopFile.toString()));
      if (!crash) {
        args.add(String.valueOf(before)); // a pool pinned to the primary to be demoted
      }
      ForkedJvm jvm = ForkedJvm.program(classPath, "SentinelProgram", args.toArray(new String[0]))
          .timeout(Duration.ofSeconds(40));
      if (traced) {
        jvm.withAgent().everySpan().env("MEMTRACE_TRACES_FILE", spansFile.toString());
      }
      ForkedJvm.Result result;
      int after;
      try (ForkedJvm.Running program = jvm.start(dir.resolve(traced ? "traced" : "plain"))) {
        awaitOutput(program, "ready");
        long t2 = System.nanoTime();
        Thread.sleep(300);
        after = crash ? topology.crashPrimary() : topology.failover();
        if (!crash) {
          topology.awaitDemoted(before); // some ten seconds later
        }
        long t3 = System.nanoTime();
        System.out.printf("[sentinel] %s: topology %d ms, ready %d ms, failover %d ms%n", name, (t1 - t0) / 1_000_000,
            (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000 - 300);
        Thread.sleep(1000);
        Files.createFile(stopFile);
        if (!program.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new AssertionError("the program did not stop: " + program.result());
        }
        result = program.result();
      }
      Thread.sleep(300); // the last MONITOR lines in flight
      Map<Integer, List<String[]>> seen = new LinkedHashMap<>();
      Map<Integer, List<long[]>> unseen = new LinkedHashMap<>();
      for (MonitorLog monitor : monitors) {
        monitor.close();
        seen.put(monitor.port, monitor.clientCommands(new HashSet<>(topology.nodePorts())));
        unseen.put(monitor.port, monitor.gaps());
      }
      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stdout).as("the program's own check").contains("mismatches []")
          .contains("primary-after " + after + " " + after);
      assertThat(result.stdout).contains("primary-before " + before);
      return new SentinelRun(result, traced ? ExportedSpans.read(spansFile) : null, seen, unseen, before, after,
          topology.sentinelPorts());
    }
  }

  private static String classPath;

  private static synchronized String programClassPath() throws IOException {
    if (classPath == null) {
      classPath = TestPrograms.compile("sentinel-" + VERSION, TestPrograms.jedisClassPath(VERSION),
          "SentinelProgram.java");
    }
    return classPath;
  }

  private static void awaitOutput(ForkedJvm.Running program, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!program.result().stdout.contains(line)) {
      if (!program.process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no '" + line + "' from the program: " + program.result());
      }
      Thread.sleep(20);
    }
  }


  /**
   * A node's {@code MONITOR}, read on a thread of its own until closed or the node dies. A Sentinel that reconfigures
   * a node kills its normal clients, a monitor among them: the reader connects again at once, and keeps the
   * stretch it could not see (from the last line it read to its new MONITOR), so the check can tell a command
   * MONITOR missed from a span claiming a command that never ran.
   */
  private static final class MonitorLog implements AutoCloseable {
    final int port;
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private final List<long[]> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Resp resp;
    private volatile boolean closed;
    private volatile long lastSeenNanos = System.currentTimeMillis() * 1_000_000L;

    private MonitorLog(int port) {
      this.port = port;
      this.reader = new Thread(this::read, "monitor-" + port);
      reader.setDaemon(true);
    }

    static MonitorLog start(int port) throws IOException {
      MonitorLog log = new MonitorLog(port);
      log.connect();
      log.reader.start();
      return log;
    }

    private void connect() throws IOException {
      Resp fresh = Resp.connect("127.0.0.1", port);
      fresh.ok("MONITOR");
      fresh.timeout(0);
      resp = fresh;
    }

    private void read() {
      while (!closed) {
        try {
          while (true) {
            String line = String.valueOf(resp.read());
            lines.add(line);
            lastSeenNanos = serverNanos(line, lastSeenNanos);
          }
        } catch (IOException | RuntimeException e) {
          long lost = lastSeenNanos;
          try {
            resp.close();
          } catch (IOException ignored) {
            // reconnecting anyway
          }
          if (closed || !reconnect()) {
            return;
          }
          // what the node ran between its last line and the new MONITOR is unseen: a span there is excused
          gaps.add(new long[] {lost, System.currentTimeMillis() * 1_000_000L});
        }
      }
    }

    /** Connects again, for up to 10 s (a node Sentinel is reconfiguring may refuse for a moment). */
    private boolean reconnect() {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!closed && System.nanoTime() < deadline) {
        try {
          connect();
          return true;
        } catch (IOException e) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
      return false;
    }

    /** The time a MONITOR line starts with ({@code 1764140000.123456}), in epoch nanoseconds; else {@code last}. */
    private static long serverNanos(String line, long last) {
      int space = line.indexOf(' ');
      try {
        return space > 0 ? (long) (Double.parseDouble(line.substring(0, space)) * 1e9) : last;
      } catch (NumberFormatException e) {
        return last;
      }
    }

    /** The stretches, {start, end} in epoch nanoseconds, when this node's MONITOR was being reconnected. */
    List<long[]> gaps() {
      return List.copyOf(gaps);
    }

    /** The program's SET and GET this node executed for clients (not those its primary replicated to it). */
    List<String[]> clientCommands(Set<Integer> nodePorts) {
      List<String[]> commands = new ArrayList<>();
      for (String line : lines) {
        Matcher m = MONITOR_LINE.matcher(line);
        if (m.find() && !nodePorts.contains(Integer.parseInt(m.group(1))) && m.group(3).startsWith("fo:")
            && (m.group(2).equalsIgnoreCase("SET") || m.group(2).equalsIgnoreCase("GET"))) {
          commands.add(new String[] {m.group(2), m.group(3)});
        }
      }
      return commands;
    }

    @Override
    public void close() throws IOException, InterruptedException {
      closed = true;
      resp.close();
      reader.join(5000);
    }
  }
}
