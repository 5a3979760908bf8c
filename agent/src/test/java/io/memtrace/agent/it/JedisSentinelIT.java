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
  private static final Pattern ERROR_LINE = Pattern.compile("^error (\\w+) (\\S+) (.*)$", Pattern.MULTILINE);

  /**
   * Besides the Sentinel clients, a pool pinned to the first primary keeps writing there; the test waits until the
   * Sentinels demote it, which resets its clients' connections and then answers their writes with {@code READONLY}.
   */
  @Test
  void shouldFollowAFailoverByHandWithEverySpanOnTheNodeThatAnswered() throws Exception {
    Run run = run("by-hand", true, false);
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
    Run plain = run("crash-plain", false, true);
    Run traced = run("crash-traced", true, true);
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
  private static Run run(String name, boolean traced, boolean crash) throws Exception {
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
      for (MonitorLog monitor : monitors) {
        monitor.close();
        seen.put(monitor.port, monitor.clientCommands(new HashSet<>(topology.nodePorts())));
      }
      assertThat(result.exitCode).as("%s", result).isZero();
      assertThat(result.stdout).as("the program's own check").contains("mismatches []")
          .contains("primary-after " + after + " " + after);
      assertThat(result.stdout).contains("primary-before " + before);
      return new Run(result, traced ? ExportedSpans.read(spansFile) : null, seen, before, after,
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

  /** One run of the program and what the nodes saw meanwhile. */
  private static final class Run {
    final ForkedJvm.Result result;
    final ExportedSpans spans;
    /** Per data node, the {@code SET}/{@code GET} of the program's keys it executed: {command, key}. */
    final Map<Integer, List<String[]>> seen;
    final int before;
    final int after;
    final List<Integer> sentinelPorts;
    private final List<Span> data;

    Run(ForkedJvm.Result result, ExportedSpans spans, Map<Integer, List<String[]>> seen, int before, int after,
        List<Integer> sentinelPorts) {
      this.result = result;
      this.sentinelPorts = sentinelPorts;
      this.spans = spans;
      this.data = spans == null ? List.of() : spans.where(s -> ("SET".equals(s.name) || "GET".equals(s.name))
          && String.valueOf(s.attributes.get("memory.key")).startsWith("fo:"));
      this.seen = seen;
      this.before = before;
      this.after = after;
    }

    /**
     * The pools ask the Sentinels for the primary and subscribe to their {@code +switch-master}: commands the
     * application's client sends to a server, so spans like any other (not handshake commands, which set up a
     * connection to the server the application talks to), each on the Sentinel that answered.
     */
    void assertDiscoveryIsSpansOnTheSentinels() {
      List<Span> asked = spans.withQuery("SENTINEL GET-MASTER-ADDR-BY-NAME ?");
      List<Span> subscribed = spans.where(s -> "SUBSCRIBE".equals(s.name));
      assertThat(asked).as("each pool asks the Sentinels at start").hasSizeGreaterThanOrEqualTo(2);
      assertThat(subscribed).as("each pool listens to every Sentinel").hasSizeGreaterThanOrEqualTo(2 * 3);
      List<Span> discovery = new ArrayList<>(asked);
      discovery.addAll(subscribed);
      assertThat(discovery).allSatisfy(s -> {
        assertThat(sentinelPorts).contains((int) (long) (Long) s.attributes.get("server.port"));
        assertThat(s.statusCode).isNotEqualTo(Span.STATUS_ERROR);
        assertThat(s.attributes).doesNotContainKey("memory.key");
      });
      assertThat(spans.spans).as("nothing else than discovery and the program's commands")
          .hasSize(discovery.size() + data.size());
    }

    /** The spans of the program's own SET and GET. */
    List<Span> dataSpans() {
      return data;
    }

    Set<String> errorKinds() {
      Set<String> kinds = new HashSet<>();
      Matcher m = ERROR_LINE.matcher(result.stdout);
      while (m.find()) {
        kinds.add(m.group(3));
      }
      return kinds;
    }

    /** Every command a node executed has its span with that node's port, and every answered span was executed there. */
    void assertAgreesWithMonitor() {
      assertThat(result.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
      // collected, then asserted once: tens of thousands of commands
      List<String> unexplained = new ArrayList<>();
      Map<String, Span> byCommand = new LinkedHashMap<>();
      for (Span s : dataSpans()) {
        if (byCommand.put(s.name + " " + s.attributes.get("memory.key"), s) != null) {
          unexplained.add("two spans for one command: " + s);
        }
      }
      Map<Integer, Set<String>> executed = new LinkedHashMap<>();
      for (Map.Entry<Integer, List<String[]>> node : seen.entrySet()) {
        Set<String> commands = node.getValue().stream().map(c -> c[0].toUpperCase() + " " + c[1])
            .collect(Collectors.toSet());
        executed.put(node.getKey(), commands);
        for (String command : commands) {
          Span s = byCommand.get(command);
          if (s == null || !Long.valueOf(node.getKey()).equals(s.attributes.get("server.port"))) {
            unexplained.add(command + " executed on " + node.getKey() + " has the span " + s);
          }
        }
      }
      for (Span s : byCommand.values()) {
        Object port = s.attributes.get("server.port");
        Set<String> there = executed.get(port instanceof Long ? (int) (long) (Long) port : -1);
        if (s.statusCode != Span.STATUS_ERROR && (there == null || !there.contains(s.name + " "
            + s.attributes.get("memory.key")))) {
          unexplained.add("answered but not executed on its node: " + s);
        }
      }
      assertThat(unexplained).as("spans and MONITOR disagree").isEmpty();
      Map<Long, Long> spansPerPort = dataSpans().stream().collect(Collectors.groupingBy(
          s -> (Long) s.attributes.get("server.port"), Collectors.counting()));
      System.out.printf("[sentinel] %s -> %s: spans per port %s, MONITOR per node %s, errors %s%n", before, after,
          spansPerPort, executed.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())),
          errorKinds());
      assertThat(spansPerPort).as("spans on the old primary and on the new").containsKeys((long) before, (long) after);
    }

    /** Every reply went to its own command: sizes and hits agree with the value written under each key. */
    void assertNothingMispaired() {
      long lost = Long.parseLong(result.stdout.replaceAll("(?s).*\\nlost (\\d+)\\n.*", "$1"));
      long misses = 0;
      List<String> wrong = new ArrayList<>();
      for (Span s : dataSpans()) {
        if (s.statusCode == Span.STATUS_ERROR) {
          continue;
        }
        String key = (String) s.attributes.get("memory.key");
        long expected = key.length() + 1 + Long.parseLong(key.substring(key.lastIndexOf(':') + 1)) % 23;
        boolean hit = "SET".equals(s.name) || Boolean.TRUE.equals(s.attributes.get("memory.found"));
        if (hit && !Long.valueOf(expected).equals(s.attributes.get("memory.value_size"))) {
          wrong.add("expected memory.value_size " + expected + ": " + s);
        } else if (!hit) {
          if (!Boolean.FALSE.equals(s.attributes.get("memory.found"))) {
            wrong.add("a GET without memory.found: " + s);
          }
          misses++;
        }
      }
      assertThat(wrong).as("replies paired with the wrong command").isEmpty();
      assertThat(misses).as("GETs that found nothing, as the program counted them").isEqualTo(lost);
    }

    /** The {@code error.type} of a span for what the program caught: an error reply's code, else the exception class. */
    private static String errorType(String caught) {
      if (caught == null) {
        return "(nothing caught)";
      }
      return caught.startsWith("JedisDataException: ") ? caught.substring("JedisDataException: ".length())
          : "redis.clients.jedis.exceptions." + caught.substring(0, caught.indexOf(':'));
    }

    /** Each exception the program caught from a command is that command's ERROR span, and no other span is one. */
    void assertErrorsAsTheProgramSawThem() {
      Map<String, String> caught = new LinkedHashMap<>();
      Matcher m = ERROR_LINE.matcher(result.stdout);
      while (m.find()) {
        caught.put(m.group(1) + " " + m.group(2), m.group(3));
      }
      List<String> wrong = new ArrayList<>();
      for (Span s : dataSpans()) {
        String command = s.name + " " + s.attributes.get("memory.key");
        if (s.statusCode == Span.STATUS_ERROR && !errorType(caught.get(command)).equals(s.attributes.get("error.type"))) {
          wrong.add("an ERROR span whose error.type is not what the program caught (" + caught.get(command) + "): " + s);
        } else if (s.statusCode != Span.STATUS_ERROR && caught.containsKey(command)) {
          wrong.add("the program caught " + caught.get(command) + " from " + s);
        }
      }
      assertThat(wrong).isEmpty();
      Set<Span> ours = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      ours.addAll(data);
      List<Span> otherErrors = spans.where(s -> s.statusCode == Span.STATUS_ERROR && !ours.contains(s));
      System.out.println("[sentinel] other spans: " + spans.spans.stream().filter(s -> !ours.contains(s))
          .map(s -> s.name + " " + s.attributes.get("db.query.text") + " :" + s.attributes.get("server.port")
              + (s.statusCode == Span.STATUS_ERROR ? " ERROR " + s.attributes.get("error.type") : ""))
          .collect(Collectors.groupingBy(x -> x, LinkedHashMap::new, Collectors.counting())));
      assertThat(otherErrors).as("no error span outside the program's commands").isEmpty();
    }
  }

  /**
   * A node's {@code MONITOR}, read on a thread of its own until closed or the node dies. A Sentinel that reconfigures
   * a node kills its normal clients, a monitor among them: the reader connects again at once.
   */
  private static final class MonitorLog implements AutoCloseable {
    final int port;
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private volatile Resp resp;
    private volatile boolean closed;

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
      for (int attempt = 0; !closed && attempt < 50; attempt++) {
        try {
          while (true) {
            lines.add(String.valueOf(resp.read()));
          }
        } catch (IOException | RuntimeException e) {
          try {
            resp.close();
            if (!closed) {
              connect();
            }
          } catch (IOException dead) {
            return;
          }
        }
      }
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
