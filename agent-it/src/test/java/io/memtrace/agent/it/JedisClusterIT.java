package io.memtrace.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.SteppedProgram;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.redis.ClusterReshaping;
import io.memtrace.testsupport.redis.Monitor;
import io.memtrace.testsupport.redis.RedisCluster;
import io.memtrace.testsupport.redis.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JedisCluster (Jedis 7.5.3) under the real agent on a real six-node Redis Cluster, while the test reshards a slot
 * (the program gets {@code ASK} while it migrates, {@code MOVED} after) and fails a master over. Spans are checked
 * against what each node ran, read from its {@code MONITOR}, and against the redirections each node answered,
 * counted by its {@code INFO errorstats} (MONITOR shows only commands that ran).
 */
@Timeout(180)
class JedisClusterIT {

  /** What the program asks for, and the ASKING before each retry of an ASK. */
  private static final Set<String> APP_COMMANDS = Set.of("SET", "GET", "ASKING");

  static RedisCluster cluster;
  static String classPath;
  static ForkedJvm.Result plain;
  static ForkedJvm.Result traced;
  static ExportedSpans spans;
  /** What the nodes ran during the traced run, the program's commands only. */
  static List<Monitor.Command> seen;
  /** Per node port, the MOVED and ASK replies it sent during the traced run. */
  static Map<Integer, long[]> redirects = new TreeMap<>();
  /** The port of the master the traced run's failover demoted to a replica. */
  static int demoted;

  @BeforeAll
  static void runWithAndWithoutTheAgent() throws Exception {
    Path work = BuildPaths.IT_WORK.resolve("jedis-cluster");
    Files.createDirectories(work);
    cluster = RedisCluster.start(Files.createTempDirectory(work, "nodes-"));
    classPath = TestPrograms.compile("jedis-cluster", TestPrograms.jedisClassPath("7.5.3"), "JedisClusterProgram.java");
    plain = drive(program("plain"), work.resolve("plain"), "plain");
    Path spansFile = work.resolve("traced/spans.jsonl");
    Files.deleteIfExists(spansFile);
    cluster.resetStats();
    List<Monitor> monitors = Monitor.startAll(cluster.nodes());
    try {
      traced = drive(program("traced").withAgent().everySpan().env("MEMTRACE_TRACES_FILE", spansFile.toString()),
          work.resolve("traced"), "traced");
      Thread.sleep(300); // the last MONITOR lines
    } finally {
      Monitor.closeAll(monitors);
    }
    seen = monitors.stream().flatMap(m -> m.commands().stream()).filter(c -> APP_COMMANDS.contains(c.name())
        && (c.name().equals("ASKING") || c.args.get(1).contains("traced")) && !fromAMaster(c)).collect(Collectors.toList());
    for (RedisProcess node : cluster.nodes()) {
      redirects.put(node.port, new long[] {cluster.errorReplies(node, "MOVED"), cluster.errorReplies(node, "ASK")});
    }
    spans = ExportedSpans.read(spansFile);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ForkedJvm program(String run) {
    RedisProcess seed = cluster.nodes().get(0);
    return ForkedJvm.program(classPath, "JedisClusterProgram", "127.0.0.1", String.valueOf(seed.port), run)
        .timeout(Duration.ofSeconds(60));
  }

  /** Runs the program, resharding its migration slot and failing its failover master over when it says so. */
  private static ForkedJvm.Result drive(ForkedJvm jvm, Path dir, String run) throws Exception {
    ClusterReshaping reshaping = new ClusterReshaping(cluster, run);
    ForkedJvm.Result result = SteppedProgram.drive(jvm, dir, ClusterReshaping.STEPS, reshaping);
    demoted = reshaping.demoted();
    return result;
  }

  @Test
  void shouldNotChangeTheProgram() {
    assertThat(plain.exitCode).as("%s", plain).isZero();
    assertThat(traced.exitCode).as("%s", traced).isZero();
    assertThat(traced.stdout).isEqualTo(plain.stdout).contains("done -> 132 values checked");
    assertThat(traced.stderr).contains("memtrace.events.dropped=0").doesNotContain("[memtrace] WARN");
  }

  /**
   * Each GET, SET and ASKING a node ran has one span, with that node's port, and no span claims a command a node did
   * not run. Not compared: the handshake (CLIENT SETINFO, READONLY: hidden by default) and the client's CLUSTER SLOTS
   * (it has spans, but the test's own set-up asks the same).
   */
  @Test
  void shouldGiveEveryCommandANodeRanOneSpanWithThatNodesAddress() {
    Map<String, Long> ran = count(seen.stream().filter(c -> !isPipelined(c.args)), c -> c.nodePort + " " + shape(c.args));
    Map<String, Long> spanned = count(single().stream().filter(s -> s.statusCode != Span.STATUS_ERROR),
        s -> s.attributes.get("server.port") + " " + s.attributes.get("db.query.text"));
    assertThat(ran.values().stream().mapToLong(Long::longValue).sum()).as("commands the nodes ran").isEqualTo(187);
    assertThat(spanned).isEqualTo(ran);
    assertThat(single()).allSatisfy(s -> assertThat(s.attributes).containsEntry("server.address", "127.0.0.1")
        .containsEntry("db.namespace", "0").containsEntry("db.system.name", "redis"));
  }

  @Test
  void shouldDescribeEachKeyAndValueAsTheProgramWroteIt() {
    List<Span> answered = single().stream().filter(s -> s.statusCode != Span.STATUS_ERROR
        && !s.name.equals("ASKING")).collect(Collectors.toList());
    assertThat(answered).hasSize(167).allSatisfy(s -> {
      String key = String.valueOf(s.attributes.get("db.query.text")).split(" ")[1];
      assertThat(s.attributes).containsEntry("memory.key", key);
      if (key.endsWith(":999")) {
        assertThat(s.attributes).containsEntry("memory.found", false).doesNotContainKey("memory.value_size");
      } else {
        assertThat(s.attributes).as("%s", s).containsEntry("memory.value_size", valueSize(key));
        if (s.name.equals("GET")) {
          assertThat(s.attributes).containsEntry("memory.found", true);
        }
      }
    });
  }

  /**
   * An attempt answered MOVED or ASK is a span of its own: it did fail (ERROR, {@code error.type} and
   * {@code db.response.status_code} the reply's code, as the conventions say of a Redis error reply), though the
   * client follows it; the retry on the node named is the next span of that command, after ASKING for an ASK.
   */
  @Test
  void shouldMakeEachRedirectionAnErrorSpanFollowedByItsRetryOnTheNodeNamed() {
    List<Span> redirected = single().stream().filter(s -> s.statusCode == Span.STATUS_ERROR).collect(Collectors.toList());
    for (RedisProcess node : cluster.nodes()) {
      long[] counted = redirects.get(node.port);
      assertThat(redirected.stream().filter(s -> port(s) == node.port && "MOVED".equals(code(s))).count())
          .as("MOVED spans from %s", node).isEqualTo(counted[0]);
      assertThat(redirected.stream().filter(s -> port(s) == node.port && "ASK".equals(code(s))).count())
          .as("ASK spans from %s", node).isEqualTo(counted[1]);
    }
    assertThat(redirected.stream().filter(s -> "ASK".equals(code(s)))).as("ASK: 10 moved keys read, 5 new keys written"
        + " and read while the slot migrates").hasSize(20);
    assertThat(redirected.stream().filter(s -> "MOVED".equals(code(s)))).as("MOVED: once after the resharding, once"
        + " after the failover").hasSize(2);
    List<Span> ordered = single().stream().sorted(java.util.Comparator.comparingLong(s -> s.start))
        .collect(Collectors.toList());
    for (Span redirect : redirected) {
      assertThat(redirect.attributes).containsEntry("error.type", code(redirect));
      assertThat(redirect.events).contains("exception");
      String message = String.valueOf(redirect.eventAttributes.get(redirect.events.indexOf("exception"))
          .get("exception.message"));
      long target = Long.parseLong(message.substring(message.lastIndexOf(':') + 1).trim());
      List<Span> after = ordered.subList(ordered.indexOf(redirect) + 1, ordered.size());
      Span retry = after.stream().filter(s -> s.attributes.get("db.query.text")
          .equals(redirect.attributes.get("db.query.text"))).findFirst().orElseThrow(
              () -> new AssertionError("no retry of " + redirect));
      assertThat(retry.statusCode).as("retry of %s", redirect).isNotEqualTo(Span.STATUS_ERROR);
      if (code(redirect).equals("ASK")) {
        assertThat(port(retry)).as("an ASK retry goes where the ASK said").isEqualTo(target);
        assertThat(after.subList(0, after.indexOf(retry))).as("ASKING first").anyMatch(s -> s.name.equals("ASKING")
            && port(s) == target);
      } else {
        assertThat(port(retry)).as("after a MOVED and a new CLUSTER SLOTS, the owner").isEqualTo(target);
      }
      assertThat(retry.start).isGreaterThanOrEqualTo(redirect.end);
    }
  }

  /** A cluster pipeline is read node by node on worker threads: one PIPELINE span per node, of that node's part. */
  @Test
  void shouldGroupAClusterPipelineByTheConnectionThatReadsEachNodesPart() {
    List<Span> pipelines = spans.where(s -> s.name.startsWith("PIPELINE"));
    assertThat(pipelines).as("one per master").hasSize(3);
    long total = 0;
    for (Span pipeline : pipelines) {
      List<String> part = seen.stream().filter(c -> isPipelined(c.args) && c.nodePort == port(pipeline))
          .map(c -> shape(c.args)).collect(Collectors.toList());
      assertThat(pipeline.attributes).containsEntry("db.operation.batch.size", (long) part.size());
      String text = String.valueOf(pipeline.attributes.get("db.query.text"));
      assertThat(text).startsWith(String.join("; ", part.subList(0, Math.min(16, part.size()))));
      total += part.size();
    }
    assertThat(total).isEqualTo(60);
    assertThat(single()).noneMatch(s -> isPipelined(List.of(s.name, String.valueOf(s.attributes.get("memory.key")))));
  }

  /**
   * Jedis 7's {@code readOnlyForRedisClusterReplicas} says READONLY on each connection as it sets it up, masters'
   * included; the {@code executeCommandToReplica} GETs are served by the demoted master, now a replica, and marked,
   * and the GET that client sends to the master is not (its CLUSTER SLOTS named that node a master). The client that
   * never said READONLY has no mark.
   */
  @Test
  void shouldMarkReadsThatAReplicaServed() {
    List<Span> fromReplicas = single().stream().filter(s -> port(s) == demoted && s.name.equals("GET")
        && s.statusCode != Span.STATUS_ERROR && String.valueOf(s.attributes.get("memory.key")).startsWith("{fo-"))
        .collect(Collectors.toList());
    assertThat(fromReplicas).hasSize(10).allSatisfy(s -> assertThat(s.attributes)
        .containsEntry("memtrace.redis.replica", true).containsEntry("memory.found", true));
    assertThat(single().stream().filter(s -> s.attributes.containsKey("memtrace.redis.replica")))
        .as("only the replica's reads").hasSize(10);
    Span lastSet = single().stream().filter(s -> s.name.equals("SET")).max(java.util.Comparator.comparingLong(
        s -> s.start)).orElseThrow();
    assertThat(single().stream().filter(s -> s.start <= lastSet.start)).as("the first client's spans")
        .noneMatch(s -> s.attributes.containsKey("memtrace.redis.replica"));
  }

  /** A write a replica applies from its master's replication stream, which MONITOR shows too. */
  private static boolean fromAMaster(Monitor.Command c) {
    return cluster.nodes().stream().anyMatch(n -> c.client.equals("127.0.0.1:" + n.port));
  }

  /** Spans of single commands (not batches), of the program's keys or ASKING. */
  private static List<Span> single() {
    return spans.where(s -> APP_COMMANDS.contains(s.name) && (s.name.equals("ASKING")
        || String.valueOf(s.attributes.get("memory.key")).contains("traced")));
  }

  private static boolean isPipelined(List<String> args) {
    return args.size() > 1 && args.get(1).startsWith("pipe:");
  }

  /** A command as memtrace's query text shows it: SET's value is a {@code ?}. */
  private static String shape(List<String> args) {
    return args.get(0).equalsIgnoreCase("SET") ? "SET " + args.get(1) + " ?" : String.join(" ", args);
  }

  /** The program's value for {@code key}, in bytes. */
  private static long valueSize(String key) {
    return ("value of " + key.replace("traced", "RUN")).getBytes(StandardCharsets.UTF_8).length;
  }

  private static int port(Span s) {
    return ((Long) s.attributes.get("server.port")).intValue();
  }

  private static String code(Span s) {
    return String.valueOf(s.attributes.get("db.response.status_code"));
  }

  private static <T> Map<String, Long> count(java.util.stream.Stream<T> items, java.util.function.Function<T, String> by) {
    return items.collect(Collectors.groupingBy(by, TreeMap::new, Collectors.counting()));
  }
}
