package io.memtrace.testsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 600, unit = TimeUnit.SECONDS) // a hang guard per test, not a measure of speed
class RedisSentinelsTest {

  @TempDir
  Path dir;

  @Test
  void shouldFailOverByHandAndAfterACrashWithEverySentinelFollowing() throws Exception {
    List<RedisProcess> started;
    try (RedisSentinels topology = RedisSentinels.startQuick(dir)) {
      started = List.of(topology.node(topology.nodePorts().get(0)), topology.node(topology.nodePorts().get(1)),
          topology.node(topology.nodePorts().get(2)));
      int first = topology.primaryPort();
      assertThat(first).isEqualTo(topology.nodePorts().get(0));
      assertThat(topology.sentinelPorts()).hasSize(3).doesNotContainAnyElementsOf(topology.nodePorts());
      for (int sentinel : topology.sentinelPorts()) {
        try (Resp resp = Resp.connect("127.0.0.1", sentinel)) {
          assertThat(resp.ok("SENTINEL", "GET-MASTER-ADDR-BY-NAME", topology.masterName()))
              .isEqualTo(List.of("127.0.0.1", String.valueOf(first)));
          assertThat((List<?>) resp.ok("SENTINEL", "REPLICAS", topology.masterName())).hasSize(2);
          assertThat((List<?>) resp.ok("SENTINEL", "SENTINELS", topology.masterName())).hasSize(2);
        }
      }
      try (Resp primary = Resp.connect("127.0.0.1", first)) {
        primary.ok("SET", "before", "failover");
        primary.ok("WAIT", "2", "5000");
      }

      int second = topology.failover();
      assertThat(second).isNotEqualTo(first).isIn(topology.nodePorts());
      try (Resp promoted = Resp.connect("127.0.0.1", second)) {
        assertThat(promoted.call("GET", "before")).as("the replica had it").isEqualTo("failover");
        assertThat(promoted.call("SET", "after", "x")).isEqualTo("OK");
      }
      topology.awaitDemoted(first);
      topology.awaitSettled();
      try (Resp old = Resp.connect("127.0.0.1", first)) {
        assertThat(((List<?>) old.ok("ROLE")).get(0)).as("the old primary replicates the new").isEqualTo("slave");
        assertThat(old.call("SET", "k", "v")).isInstanceOf(Resp.Error.class).asString().startsWith("-READONLY");
      }

      int third = topology.crashPrimary();
      assertThat(third).isNotEqualTo(second).isIn(topology.nodePorts());
      assertThat(topology.node(second).alive()).isFalse();
      try (Resp promoted = Resp.connect("127.0.0.1", third)) {
        assertThat(promoted.call("SET", "after-crash", "x")).isEqualTo("OK");
      }
    }
    assertThat(started).noneMatch(RedisProcess::alive);
  }
}
