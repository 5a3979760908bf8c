package io.memtrace.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cluster the agent's cluster tests run on, checked against what its nodes say of themselves. */
@Timeout(600) // a hang guard per test, not a measure of speed
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {

  @TempDir
  static Path dir;
  static RedisCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = RedisCluster.start(dir);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
      assertThat(cluster.nodes()).noneMatch(RedisProcess::alive);
    }
  }

  @Test
  void shouldComputeSlotsAsRedisDoes() throws Exception {
    try (Resp resp = Resp.connect("127.0.0.1", cluster.nodes().get(0).port)) {
      for (String key : List.of("", "a", "user:42:name", "{user}:1", "x{user}y", "{}k", "{{a}}", "k{}", "välue")) {
        assertThat((long) ClusterSlots.of(key)).as(key).isEqualTo(resp.call("CLUSTER", "KEYSLOT", key));
      }
    }
    assertThat(ClusterSlots.of("{user}:1")).isEqualTo(ClusterSlots.of("user"));
    assertThat(ClusterSlots.of(ClusterSlots.keyIn(100, "k:"))).isEqualTo(100);
  }

  @Test
  @Order(1)
  void shouldFormThreeMastersWithAReplicaEach() throws Exception {
    assertThat(cluster.masters()).containsExactlyElementsOf(cluster.nodes().subList(0, 3));
    for (RedisProcess master : cluster.masters()) {
      assertThat(cluster.nodes().subList(3, 6)).contains(cluster.replicaOf(master));
    }
    String key = "user:42:name";
    RedisProcess owner = cluster.ownerOf(key);
    assertThat(RedisCluster.ok(owner, "SET", key, "Ada")).isEqualTo("OK");
    RedisProcess other = cluster.masters().stream().filter(m -> m != owner).findFirst().orElseThrow();
    try (Resp resp = Resp.connect("127.0.0.1", other.port)) {
      assertThat(resp.call("GET", key)).asString()
          .isEqualTo("-MOVED " + ClusterSlots.of(key) + " 127.0.0.1:" + owner.port);
    }
  }

  @Test
  @Order(2)
  void shouldAnswerAskWhileASlotMigratesAndMovedAfter() throws Exception {
    int slot = ClusterSlots.of("migrating:0");
    RedisProcess from = cluster.ownerOfSlot(slot);
    RedisProcess to = cluster.masters().stream().filter(m -> m != from).findFirst().orElseThrow();
    RedisCluster.ok(from, "SET", "{migrating:0}:a", "1");
    RedisCluster.ok(from, "SET", "{migrating:0}:b", "2");
    String moved = "{migrating:0}:a";
    cluster.resetStats();
    List<Monitor> monitors = Monitor.startAll(List.of(from, to));
    try {
      SlotMigration migration = cluster.beginMigration(ClusterSlots.of(moved), from, to);
      assertThat(migration.moveKeys(1)).isEqualTo(1);
      String gone = RedisCluster.ok(from, "EXISTS", "{migrating:0}:a").equals(0L) ? "{migrating:0}:a" : "{migrating:0}:b";
      String left = gone.endsWith("a") ? "{migrating:0}:b" : "{migrating:0}:a";
      try (Resp resp = Resp.connect("127.0.0.1", from.port)) {
        assertThat(resp.call("GET", gone)).asString().isEqualTo("-ASK " + slot + " 127.0.0.1:" + to.port);
        assertThat(resp.call("GET", left)).isNotNull();
      }
      try (Resp resp = Resp.connect("127.0.0.1", to.port)) {
        assertThat(resp.call("ASKING")).isEqualTo("OK");
        assertThat(resp.call("GET", gone)).isNotNull();
      }
      migration.finish();
      assertThat(cluster.ownerOfSlot(slot)).isEqualTo(to);
      try (Resp resp = Resp.connect("127.0.0.1", from.port)) {
        assertThat(resp.call("GET", left)).asString().startsWith("-MOVED " + slot + " 127.0.0.1:" + to.port);
      }
      assertThat(cluster.errorReplies(from, "ASK")).isEqualTo(1);
      assertThat(cluster.errorReplies(from, "MOVED")).isEqualTo(1);
      Thread.sleep(200);
      List<String> atFrom = gets(monitors.get(0));
      List<String> atTo = gets(monitors.get(1));
      assertThat(atFrom).as("MONITOR shows what ran, not what was redirected").containsExactly("GET " + left);
      assertThat(atTo).containsExactly("GET " + gone);
      assertThat(monitors.get(1).commands()).anyMatch(c -> c.name().equals("RESTORE-ASKING"));
    } finally {
      Monitor.closeAll(monitors);
    }
  }

  @Test
  @Order(3)
  void shouldFailAMasterOverToItsReplicaKeepingItsKeys() throws Exception {
    String key = "failover:key";
    RedisProcess master = cluster.ownerOf(key);
    RedisCluster.ok(master, "SET", key, "kept");
    RedisCluster.ok(master, "WAIT", "1", "2000");
    RedisProcess promoted = cluster.failover(master);
    assertThat(promoted).isNotEqualTo(master);
    assertThat(cluster.ownerOf(key)).isEqualTo(promoted);
    assertThat(cluster.replicaOf(promoted)).isEqualTo(master);
    assertThat(RedisCluster.ok(promoted, "GET", key)).isEqualTo("kept");
  }

  @Test
  void shouldParseMonitorLinesWithEscapes() {
    Monitor.Command c = Monitor.parse(7000,
        "1700000000.123456 [0 127.0.0.1:54321] \"SET\" \"a \\\"b\\\"\" \"\\xc3\\xa4\\n\"");
    assertThat(c.client).isEqualTo("127.0.0.1:54321");
    assertThat(c.db).isEqualTo("0");
    assertThat(c.args).containsExactly("SET", "a \"b\"", "ä\n");
    assertThat(c.name()).isEqualTo("SET");
  }

  private static List<String> gets(Monitor monitor) {
    return monitor.commands().stream().filter(c -> c.name().equals("GET")).map(c -> String.join(" ", c.args))
        .collect(Collectors.toList());
  }
}
