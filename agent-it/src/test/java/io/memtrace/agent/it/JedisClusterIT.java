package io.memtrace.agent.it;

import static io.memtrace.agent.it.ClusterRun.assertSpansAsTheNodesRan;
import static io.memtrace.agent.it.ClusterRun.code;
import static io.memtrace.agent.it.ClusterRun.count;
import static io.memtrace.agent.it.ClusterRun.port;
import static io.memtrace.agent.it.ClusterRun.redirectTarget;
import static io.memtrace.agent.it.ClusterRun.retryOf;
import static io.memtrace.agent.it.ClusterRun.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.redis.Monitor;
import io.memtrace.testsupport.redis.RedisCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JedisCluster (Jedis 7.5.3) under the real agent on a real six-node Redis Cluster, while the test reshards a slot
 * (the program gets {@code ASK} while it migrates, {@code MOVED} after) and fails a master over. Spans are checked
 * against what each node ran, read from its {@code MONITOR}, and against the redirections each node answered,
 * counted by its {@code INFO errorstats} (MONITOR shows only commands that ran).
 */
@Timeout(600) // a hang guard per test, not a measure of speed
class JedisClusterIT {

  /** What the program asks for, and the ASKING before each retry of an ASK. */
  private static final Set<String> APP_COMMANDS = Set.of("SET", "GET", "ASKING");

  @AutoClose
  static RedisCluster cluster;
  static ClusterRun plain;
  static ClusterRun traced;
  /** What the nodes ran during the traced run, the program's commands only. */
  static List<Monitor.Command> seen;

  @BeforeAll
  static void runWithAndWithoutTheAgent() throws Exception {
    Path work = BuildPaths.IT_WORK.resolve("jedis-cluster");
    Files.createDirectories(work);
    cluster = RedisCluster.start(Files.createTempDirectory(work, "nodes-"));
    String classPath = TestPrograms.compile("jedis-cluster", TestPrograms.jedisClassPath("7.5.3"),
        "JedisClusterProgram.java", "ClusterProgram.java");
    plain = ClusterRun.plain(cluster, ClusterRun.program(cluster, classPath, "JedisClusterProgram", "plain"),
        work.resolve("plain"), "plain");
    traced = ClusterRun.traced(cluster, ClusterRun.program(cluster, classPath, "JedisClusterProgram", "traced")
        .withAgent(), work.resolve("traced"), "traced");
    seen = traced.ran.stream().filter(c -> APP_COMMANDS.contains(c.name())
        && (c.name().equals("ASKING") || c.args.get(1).contains("traced"))).collect(Collectors.toList());
  }

  @Test
  void shouldNotChangeTheProgram() {
    traced.assertSameOutputAs(plain, "done -> 132 values checked");
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
    assertSpansAsTheNodesRan(ran, spanned, single());
  }

  @Test
  void shouldDescribeEachKeyAndValueAsTheProgramWroteIt() {
    List<Span> answered = single().stream().filter(s -> s.statusCode != Span.STATUS_ERROR
        && !s.name.equals("ASKING")).collect(Collectors.toList());
    assertThat(answered).hasSize(167).allSatisfy(traced::assertDescribesKeyAndValue);
  }

  /**
   * An attempt answered MOVED or ASK is a span of its own: it did fail (ERROR, {@code error.type} and
   * {@code db.response.status_code} the reply's code, as the conventions say of a Redis error reply), though the
   * client follows it; the retry on the node named is the next span of that command, after ASKING for an ASK.
   */
  @Test
  void shouldMakeEachRedirectionAnErrorSpanFollowedByItsRetryOnTheNodeNamed() {
    List<Span> redirected = single().stream().filter(s -> s.statusCode == Span.STATUS_ERROR).collect(Collectors.toList());
    traced.assertRedirectionsAsTheNodesCounted(redirected);
    assertThat(redirected.stream().filter(s -> "ASK".equals(code(s)))).as("ASK: 10 moved keys read, 5 new keys written"
        + " and read while the slot migrates").hasSize(20);
    assertThat(redirected.stream().filter(s -> "MOVED".equals(code(s)))).as("MOVED: once after the resharding, once"
        + " after the failover").hasSize(2);
    List<Span> ordered = single().stream().sorted(java.util.Comparator.comparingLong(s -> s.start))
        .collect(Collectors.toList());
    for (Span redirect : redirected) {
      assertThat(redirect.attributes).containsEntry("error.type", code(redirect));
      assertThat(redirect.events).contains("exception");
      long target = redirectTarget(redirect);
      List<Span> after = ordered.subList(ordered.indexOf(redirect) + 1, ordered.size());
      Span retry = retryOf(ordered, redirect);
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
    List<Span> pipelines = traced.spans.where(s -> s.name.startsWith("PIPELINE"));
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
    int demoted = traced.reshaping.demoted();
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

  /** Spans of single commands (not batches), of the program's keys or ASKING. */
  private static List<Span> single() {
    return traced.spans.where(s -> APP_COMMANDS.contains(s.name) && (s.name.equals("ASKING")
        || String.valueOf(s.attributes.get("memory.key")).contains("traced")));
  }

  private static boolean isPipelined(List<String> args) {
    return args.size() > 1 && args.get(1).startsWith("pipe:");
  }
}
