package io.memtrace.agent.it;

import static io.memtrace.agent.it.ClusterRun.assertSpansAsTheNodesRan;
import static io.memtrace.agent.it.ClusterRun.code;
import static io.memtrace.agent.it.ClusterRun.count;
import static io.memtrace.agent.it.ClusterRun.exceptionMessage;
import static io.memtrace.agent.it.ClusterRun.port;
import static io.memtrace.agent.it.ClusterRun.redirectTarget;
import static io.memtrace.agent.it.ClusterRun.retryOf;
import static io.memtrace.agent.it.ClusterRun.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ExportedSpans.Span;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.TestPrograms;
import io.memtrace.testsupport.redis.Monitor;
import io.memtrace.testsupport.redis.RedisCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lettuce's RedisClusterClient (sync, async and reactive; 5.3, 6.6 and 7.0) under the real agent on a real six-node
 * Redis Cluster, while the test reshards a slot and fails a master over. Lettuce follows an ASK while the slot
 * migrates, and a MOVED after it, without refreshing its view of the cluster: every later command of that slot is
 * redirected, as is every command to the demoted master after the failover. Spans are checked against what each node
 * ran, read from its {@code MONITOR}, and against the redirections each node answered, from its
 * {@code INFO errorstats} (MONITOR shows only commands that ran). The program's output without the agent is run once
 * (it is the same for every version: the program prints no values, only what it checked).
 */
@Timeout(600) // a hang guard per test, not a measure of speed
class LettuceClusterIT {

  /** What the program asks for, the ASKING before each retry of an ASK, and the READONLY of replica connections. */
  private static final Set<String> APP_COMMANDS = Set.of("SET", "GET", "ASKING", "READONLY");
  /** 30 + 1 + 25 + 25 + 10 + 10 GETs, 20 + 5 + 30 + 10 SETs, every value read checked. */
  private static final String DONE = "done -> 101 values checked";

  @AutoClose
  static RedisCluster cluster;
  static Path work;
  static ClusterRun plain;
  static final Map<String, ClusterRun> RUNS = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    work = BuildPaths.IT_WORK.resolve("lettuce-cluster");
    Files.createDirectories(work);
    cluster = RedisCluster.start(Files.createTempDirectory(work, "nodes-"));
    plain = ClusterRun.plain(cluster, program(classPath(LettuceSpansIT.LETTUCE), "plain"), work.resolve("plain"),
        "plain");
  }

  /** The traced run on {@code version}, made on first use. */
  private static synchronized ClusterRun run(String version) throws Exception {
    ClusterRun known = RUNS.get(version);
    if (known != null) {
      return known;
    }
    String name = "traced" + version.replace(".RELEASE", "").replace(".", "");
    ClusterRun run = ClusterRun.traced(cluster, program(classPath(version), name).withAgent(), work.resolve(version),
        name);
    RUNS.put(version, run);
    return run;
  }

  /** What the nodes ran of the program's commands in {@code run}. */
  private static List<Monitor.Command> seen(ClusterRun run) {
    return run.ran.stream().filter(c -> APP_COMMANDS.contains(c.name())
        && (c.args.size() == 1 || c.args.get(1).contains(run.name))).collect(Collectors.toList());
  }

  @ParameterizedTest(name = "Lettuce {0}")
  @ValueSource(strings = {"5.3.7.RELEASE", "6.6.0.RELEASE", "7.0.0.RELEASE"})
  void shouldNotChangeTheProgram(String version) throws Exception {
    run(version).assertSameOutputAs(plain, DONE);
  }

  /**
   * Each GET, SET, ASKING and READONLY a node ran has one span, with that node's port, and no span claims a command
   * a node did not run. Not compared: Lettuce's topology refresh (CLUSTER NODES, INFO, CLIENT SETNAME on its own
   * connections), which the test's set-up also sends.
   */
  @ParameterizedTest(name = "Lettuce {0}")
  @ValueSource(strings = {"5.3.7.RELEASE", "6.6.0.RELEASE", "7.0.0.RELEASE"})
  void shouldGiveEveryCommandANodeRanOneSpanWithThatNodesAddress(String version) throws Exception {
    ClusterRun run = run(version);
    Map<String, Long> ran = count(seen(run).stream(), c -> c.nodePort + " " + shape(c.args));
    Map<String, Long> spanned = count(single(run).stream().filter(s -> s.statusCode != Span.STATUS_ERROR),
        s -> s.attributes.get("server.port") + " " + s.attributes.get("db.query.text"));
    assertThat(ran.values().stream().mapToLong(Long::longValue).sum()).as("commands the nodes ran: 101 GETs,"
        + " 65 SETs, an ASKING per ASK, a READONLY per replica").isEqualTo(101 + 65 + 20 + 3);
    assertSpansAsTheNodesRan(ran, spanned, single(run));
  }

  /** Every answered span names its key and the size the program wrote or read: no reply went to another span. */
  @ParameterizedTest(name = "Lettuce {0}")
  @ValueSource(strings = {"5.3.7.RELEASE", "6.6.0.RELEASE", "7.0.0.RELEASE"})
  void shouldDescribeEachKeyAndValueAsTheProgramWroteIt(String version) throws Exception {
    ClusterRun run = run(version);
    List<Span> answered = single(run).stream().filter(s -> s.statusCode != Span.STATUS_ERROR
        && (s.name.equals("GET") || s.name.equals("SET"))).collect(Collectors.toList());
    assertThat(answered).hasSize(166).allSatisfy(run::assertDescribesKeyAndValue);
  }

  /**
   * An attempt answered MOVED or ASK is a span of its own, with the address of the node that answered it: it did
   * fail (ERROR, {@code error.type} and {@code db.response.status_code} the reply's code), though Lettuce follows
   * it; the retry on the node named is the next span of that command, in the same trace under the same parent,
   * after ASKING for an ASK, though Lettuce writes it from the event loop that read the redirection.
   */
  @ParameterizedTest(name = "Lettuce {0}")
  @ValueSource(strings = {"5.3.7.RELEASE", "6.6.0.RELEASE", "7.0.0.RELEASE"})
  void shouldMakeEachRedirectionAnErrorSpanFollowedByItsRetryOnTheNodeNamed(String version) throws Exception {
    ClusterRun run = run(version);
    List<Span> single = single(run);
    List<Span> redirected = single.stream().filter(s -> s.statusCode == Span.STATUS_ERROR).collect(Collectors.toList());
    run.assertRedirectionsAsTheNodesCounted(redirected);
    assertThat(redirected.stream().filter(s -> "ASK".equals(code(s)))).as("ASK: 10 moved keys read, 5 new keys"
        + " written and read while the slot migrates").hasSize(20);
    assertThat(redirected.stream().filter(s -> "MOVED".equals(code(s)))).as("MOVED: the 25 reads after the"
        + " resharding, the 10 after the failover").hasSize(35);
    List<Span> ordered = single.stream().sorted(Comparator.comparingLong(s -> s.start)).collect(Collectors.toList());
    for (Span redirect : redirected) {
      assertThat(redirect.attributes).containsEntry("error.type", code(redirect));
      assertThat(redirect.attributes).as("no reply of its own: the retry's is not its").doesNotContainKey("memory.found")
          .doesNotContainKey("memory.value_size");
      String message = exceptionMessage(redirect);
      assertThat(message).startsWith(code(redirect) + " ");
      long target = redirectTarget(redirect);
      List<Span> after = ordered.subList(ordered.indexOf(redirect) + 1, ordered.size());
      Span retry = retryOf(ordered, redirect);
      assertThat(retry.statusCode).as("retry of %s", redirect).isNotEqualTo(Span.STATUS_ERROR);
      assertThat(port(retry)).as("a retry goes where the redirection said").isEqualTo(target);
      assertThat(retry.traceId).as("the retry in the first attempt's trace").isEqualTo(redirect.traceId);
      assertThat(retry.parentSpanId).isEqualTo(redirect.parentSpanId);
      if (code(redirect).equals("ASK")) {
        assertThat(after.subList(0, after.indexOf(retry))).as("ASKING first").anyMatch(s -> s.name.equals("ASKING")
            && port(s) == target);
      }
      assertThat(retry.start).isGreaterThanOrEqualTo(redirect.end);
    }
  }

  /**
   * With {@code ReadFrom.REPLICA} (after a refresh of its view, which the failover changed), Lettuce reads from the
   * replicas over connections that said READONLY: the last ten GETs have replicas' ports and
   * {@code memtrace.redis.replica}, no read before them has it.
   */
  @ParameterizedTest(name = "Lettuce {0}")
  @ValueSource(strings = {"5.3.7.RELEASE", "6.6.0.RELEASE", "7.0.0.RELEASE"})
  void shouldGiveReadsFromReplicasTheReplicasAddresses(String version) throws Exception {
    ClusterRun run = run(version);
    List<Span> gets = single(run).stream().filter(s -> s.name.equals("GET")).sorted(Comparator.comparingLong(s -> s.start))
        .collect(Collectors.toList());
    List<Span> last = gets.subList(gets.size() - 10, gets.size());
    assertThat(last).allSatisfy(s -> assertThat(run.replicas).as("%s", s).contains(port(s)));
    assertThat(last).as("connections that said READONLY").allSatisfy(s -> assertThat(s.attributes)
        .containsEntry("memtrace.redis.replica", true));
    assertThat(gets.subList(0, gets.size() - 10)).as("the reads from masters")
        .noneMatch(s -> s.attributes.containsKey("memtrace.redis.replica"));
    assertThat(single(run).stream().filter(s -> s.name.equals("READONLY")).map(ClusterRun::port)
        .collect(Collectors.toSet())).as("READONLY on each replica").isEqualTo(run.replicas);
  }

  /** Spans of single commands of the program: its keys, ASKING and READONLY. */
  private static List<Span> single(ClusterRun run) {
    return run.spans.where(s -> APP_COMMANDS.contains(s.name) && (s.name.equals("ASKING") || s.name.equals("READONLY")
        || String.valueOf(s.attributes.get("memory.key")).contains("traced")));
  }

  private static ForkedJvm program(String classPath, String run) {
    return ClusterRun.program(cluster, classPath, "LettuceClusterProgram", run);
  }

  private static String classPath(String version) throws Exception {
    String lettuce = TestPrograms.jarsIn(BuildPaths.IT_LIBS.resolve("lettuce-" + version)).stream()
        .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    return TestPrograms.compile("lettuce-cluster-" + version, lettuce, "LettuceClusterProgram.java",
        "ClusterProgram.java");
  }
}
