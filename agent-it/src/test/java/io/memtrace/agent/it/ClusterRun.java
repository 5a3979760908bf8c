package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.SteppedProgram;
import io.memtrace.testsupport.redis.ClusterReshaping;
import io.memtrace.testsupport.redis.Monitor;
import io.memtrace.testsupport.redis.RedisCluster;
import io.memtrace.testsupport.redis.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One run of a cluster program on a six-node {@link RedisCluster} that the test reshards and fails over at the
 * program's steps ({@link ClusterReshaping}). A traced run also holds the spans, what each node ran, read from its
 * {@code MONITOR}, and the redirections each node answered, counted by its {@code INFO errorstats}: MONITOR shows
 * only commands that ran, not an attempt answered {@code MOVED} or {@code ASK}.
 */
final class ClusterRun {

  /** The run's name, which the program puts in its keys. */
  final String name;
  final ForkedJvm.Result result;
  final ClusterReshaping reshaping;
  /** What the nodes ran during a traced run, sent by clients (not by a master to its replica); else empty. */
  List<Monitor.Command> ran = List.of();
  /** Per node port, the MOVED and ASK replies it sent during a traced run. */
  final Map<Integer, long[]> redirects = new TreeMap<>();
  /** The spans of a traced run; else none. */
  ExportedSpans spans;
  /** The ports of the nodes that were replicas when a traced run ended (its failover changed which). */
  final Set<Integer> replicas = new HashSet<>();

  private ClusterRun(String name, ForkedJvm.Result result, ClusterReshaping reshaping) {
    this.name = name;
    this.result = result;
    this.reshaping = reshaping;
  }

  /** {@code mainClass} of {@code classPath}, given the cluster's first node and the run's name. */
  static ForkedJvm program(RedisCluster cluster, String classPath, String mainClass, String name) {
    RedisProcess seed = cluster.nodes().get(0);
    return ForkedJvm.program(classPath, mainClass, "127.0.0.1", String.valueOf(seed.port), name)
        .timeout(Duration.ofMinutes(5));
  }

  /** Runs {@code jvm} in {@code dir}, reshaping the cluster at its steps. */
  static ClusterRun plain(RedisCluster cluster, ForkedJvm jvm, Path dir, String name) throws Exception {
    ClusterReshaping reshaping = new ClusterReshaping(cluster, name);
    ForkedJvm.Result result = SteppedProgram.drive(jvm, dir, ClusterReshaping.STEPS, reshaping);
    return new ClusterRun(name, result, reshaping);
  }

  /** As {@link #plain}, {@code jvm} (with the agent) exporting every span, watching what the nodes do meanwhile. */
  static ClusterRun traced(RedisCluster cluster, ForkedJvm jvm, Path dir, String name) throws Exception {
    Path spansFile = dir.resolve("spans.jsonl");
    Files.createDirectories(dir);
    Files.deleteIfExists(spansFile);
    cluster.resetStats();
    ClusterReshaping reshaping = new ClusterReshaping(cluster, name);
    ForkedJvm.Result result;
    List<Monitor> monitors = Monitor.startAll(cluster.nodes());
    try {
      result = SteppedProgram.drive(jvm.everySpan().tracesTo(spansFile), dir,
          ClusterReshaping.STEPS, reshaping);
      Thread.sleep(300); // the last MONITOR lines
    } finally {
      Monitor.closeAll(monitors);
    }
    ClusterRun run = new ClusterRun(name, result, reshaping);
    Set<String> links = cluster.nodes().stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.toSet());
    run.ran = monitors.stream().flatMap(m -> m.commands().stream()).filter(c -> !links.contains(c.client))
        .collect(Collectors.toList());
    run.spans = ExportedSpans.read(spansFile);
    for (RedisProcess node : cluster.nodes()) {
      run.redirects.put(node.port, new long[] {cluster.errorReplies(node, "MOVED"), cluster.errorReplies(node, "ASK")});
      if (!cluster.masters().contains(node)) {
        run.replicas.add(node.port);
      }
    }
    return run;
  }

  /**
   * The traced program ran as it did without the agent ({@code plain}), to its end ({@code done}), and the agent
   * dropped and failed nothing.
   */
  void assertSameOutputAs(ClusterRun plain, String done) {
    assertThat(plain.result.exitCode).as("%s", plain.result).isZero();
    assertThat(result.exitCode).as("%s", result).isZero();
    assertThat(result.stdout).isEqualTo(plain.result.stdout).contains(done);
    assertThat(result.stderr).contains("memtrace.events.dropped=0").contains("internal errors: 0")
        .doesNotContain("[memtrace] WARN");
  }

  /**
   * The commands the nodes ran ({@code ran}, by node and command) are those the spans claim ({@code spanned}), one
   * span each, and every span of {@code spans} names a node of the loopback cluster and database 0.
   */
  static void assertSpansAsTheNodesRan(Map<String, Long> ran, Map<String, Long> spanned, List<Span> spans) {
    assertThat(spanned).isEqualTo(ran);
    assertThat(spans).allSatisfy(s -> assertThat(s.attributes).containsEntry("server.address", "127.0.0.1")
        .containsEntry("db.namespace", "0").containsEntry("db.system.name", "redis"));
  }

  /** Each node's MOVED and ASK replies are as many error spans with its port and that code. */
  void assertRedirectionsAsTheNodesCounted(List<Span> redirected) {
    for (Map.Entry<Integer, long[]> node : redirects.entrySet()) {
      assertThat(redirected.stream().filter(s -> port(s) == node.getKey() && "MOVED".equals(code(s))).count())
          .as("MOVED spans from %s", node.getKey()).isEqualTo(node.getValue()[0]);
      assertThat(redirected.stream().filter(s -> port(s) == node.getKey() && "ASK".equals(code(s))).count())
          .as("ASK spans from %s", node.getKey()).isEqualTo(node.getValue()[1]);
    }
  }

  /**
   * A span of one GET or SET names the key in its query text and the size of the value written or read; a read of a
   * key never written ({@code :999}) found nothing.
   */
  void assertDescribesKeyAndValue(Span s) {
    String key = String.valueOf(s.attributes.get("db.query.text")).split(" ")[1];
    assertThat(s.attributes).as("%s", s).containsEntry("memory.key", key);
    if (key.endsWith(":999")) {
      assertThat(s.attributes).containsEntry("memory.found", false).doesNotContainKey("memory.value_size");
    } else {
      assertThat(s.attributes).as("%s", s).containsEntry("memory.value_size", valueSize(key));
      if (s.name.equals("GET")) {
        assertThat(s.attributes).containsEntry("memory.found", true);
      }
    }
  }

  /** The program's value for {@code key}, in bytes: the program writes its keys' names with the run's as RUN. */
  long valueSize(String key) {
    return ("value of " + key.replace(name, "RUN")).getBytes(StandardCharsets.UTF_8).length;
  }

  /** A command as memtrace's query text shows it: SET's value is a {@code ?}. */
  static String shape(List<String> args) {
    return args.get(0).equalsIgnoreCase("SET") ? "SET " + args.get(1) + " ?" : String.join(" ", args);
  }

  static int port(Span s) {
    return ((Long) s.attributes.get("server.port")).intValue();
  }

  /** The message of a span's exception event: a redirection's error reply, {@code MOVED 3999 127.0.0.1:7001}. */
  static String exceptionMessage(Span s) {
    return String.valueOf(s.eventAttributes.get(s.events.indexOf("exception")).get("exception.message"));
  }

  /** The port the error reply of {@code redirect} sends the client to. */
  static long redirectTarget(Span redirect) {
    String message = exceptionMessage(redirect);
    return Long.parseLong(message.substring(message.lastIndexOf(':') + 1).trim());
  }

  /** The retry of {@code redirect}: the next span of the same command in {@code ordered} (spans by start time). */
  static Span retryOf(List<Span> ordered, Span redirect) {
    List<Span> after = ordered.subList(ordered.indexOf(redirect) + 1, ordered.size());
    return after.stream().filter(s -> s.attributes.get("db.query.text").equals(redirect.attributes.get("db.query.text")))
        .findFirst().orElseThrow(() -> new AssertionError("no retry of " + redirect));
  }

  /** The error reply's code ({@code MOVED}, {@code ASK}) of a span. */
  static String code(Span s) {
    return String.valueOf(s.attributes.get("db.response.status_code"));
  }

  static <T> Map<String, Long> count(Stream<T> items, Function<T, String> by) {
    return items.collect(Collectors.groupingBy(by, TreeMap::new, Collectors.counting()));
  }
}
