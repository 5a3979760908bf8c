package io.memtrace.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.ForkedJvm;
import io.memtrace.testsupport.redis.ClusterSlots;
import io.memtrace.testsupport.redis.RedisCluster;
import io.memtrace.testsupport.redis.RedisProcess;
import io.memtrace.testsupport.redis.SlotMigration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The target, run by hand, not in CI (its name matches neither surefire's nor failsafe's patterns, and it
 * needs {@code -Dcluster.commands}): {@link ClusterLoadApp} under the agent on a real six-node cluster, one slot of
 * its keys resharded at a third of the run and a master failed over at two thirds; then the mispaired replies the
 * application saw, and the spans the agent produced against the commands sent and the redirections the nodes
 * answered. {@code bench/cluster-pairing.sh} runs it.
 */
class ClusterPairingRun {

  private static final Pattern SHUTDOWN = Pattern.compile("memtrace\\.events\\.produced=(\\d+) .*"
      + "memtrace\\.events\\.dropped=(\\d+)");
  private static final Pattern RESULT = Pattern.compile("commands=(\\d+) mispaired=(\\d+) failures=(\\d+)");

  @Test
  @EnabledIfSystemProperty(named = "cluster.commands", matches = "\\d+")
  void shouldPairEveryReplyAcrossAReshardingAndAFailover() throws Exception {
    long commands = Long.getLong("cluster.commands");
    int threads = Integer.getInteger("cluster.threads", 8);
    Path dir = BuildPaths.IT_WORK.resolve("cluster-pairing");
    Files.createDirectories(dir);
    try (RedisCluster cluster = RedisCluster.start(Files.createTempDirectory(dir, "nodes-"))) {
      ForkedJvm app = ForkedJvm.program(System.getProperty("java.class.path"), ClusterLoadApp.class.getName(),
          "127.0.0.1", String.valueOf(cluster.nodes().get(0).port), String.valueOf(commands),
          String.valueOf(threads)).withAgent().fullJit().jvmArg("-Xmx1g").timeout(Duration.ofHours(1));
      // the spans retention keeps (errors such as MOVED and ASK, first-seen samples) are counted as produced only
      // when an exporter takes them; -Dcluster.every=true writes every span there, to look into
      app.tracesTo(dir.resolve("spans.jsonl"));
      Files.deleteIfExists(dir.resolve("spans.jsonl"));
      if (Boolean.getBoolean("cluster.every")) {
        app.everySpan();
      }
      long asked;
      long moved = 0;
      long ask = 0;
      try (ForkedJvm.Running running = app.start(dir.resolve("app"))) {
        awaitProgress(running, commands / 3);
        int slot = ClusterSlots.of("{load-0}");
        RedisProcess from = cluster.ownerOfSlot(slot);
        RedisProcess to = cluster.masters().stream().filter(m -> m != from).findFirst().orElseThrow();
        SlotMigration migration = cluster.beginMigration(slot, from, to);
        while (migration.moveKeys(20) > 0) {
          Thread.sleep(5); // a long ASK window
        }
        migration.finish();
        System.out.println("resharded slot " + slot + " from " + from + " to " + to);
        awaitProgress(running, 2 * commands / 3);
        RedisProcess promoted = cluster.failover(cluster.ownerOf("load:1:0"));
        System.out.println("failed over to " + promoted);
        assertThat(running.process.waitFor(1, TimeUnit.HOURS)).isTrue();
        ForkedJvm.Result result = running.result();
        System.out.println(result.stdout.lines().filter(l -> !l.startsWith("progress"))
            .reduce("", (a, b) -> a + b + "\n"));
        System.out.println(result.stderr.lines().filter(l -> l.contains("shutdown")).findFirst().orElse(result.stderr));
        for (RedisProcess node : cluster.nodes()) {
          moved += cluster.errorReplies(node, "MOVED");
          ask += cluster.errorReplies(node, "ASK");
        }
        Matcher app1 = RESULT.matcher(result.stdout);
        Matcher agent = SHUTDOWN.matcher(result.stderr);
        assertThat(app1.find()).as("%s", result).isTrue();
        assertThat(agent.find()).as("%s", result).isTrue();
        asked = Long.parseLong(app1.group(1));
        System.out.printf("commands %d, mispaired %d, failed attempts the app retried %d; MOVED %d, ASK %d;"
            + " spans produced %d (= commands + MOVED + ASK + ASKING %d + CLUSTER SLOTS), dropped %s%n", asked,
            Long.parseLong(app1.group(2)), Long.parseLong(app1.group(3)), moved, ask,
            Long.parseLong(agent.group(1)), ask, agent.group(2));
        assertThat(app1.group(2)).as("mispaired replies").isEqualTo("0");
        assertThat(agent.group(2)).as("events dropped").isEqualTo("0");
        assertThat(Long.parseLong(agent.group(1))).as("at least one span per command and redirection")
            .isGreaterThanOrEqualTo(asked + moved + 2 * ask);
      }
    }
  }

  private static void awaitProgress(ForkedJvm.Running running, long commands) throws Exception {
    while (true) {
      ForkedJvm.Result now = running.result();
      long last = now.stdout.lines().filter(l -> l.startsWith("progress ")).mapToLong(l -> Long.parseLong(
          l.substring(9).trim())).max().orElse(0);
      if (last >= commands) {
        return;
      }
      if (!running.process.isAlive()) {
        throw new AssertionError("the application ended early: " + now);
      }
      Thread.sleep(50);
    }
  }
}
