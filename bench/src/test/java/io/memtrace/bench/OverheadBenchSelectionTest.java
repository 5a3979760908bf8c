package io.memtrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OverheadBenchSelectionTest {

  @Test
  void theTopologyBenchmarkIsSelectedByItsMethodNameOnly() {
    List<Class<?>> topology = List.of(TopologyCommandBench.class);
    List<Class<?>> hotPath = List.of(JedisCommandBench.class, LettuceCommandBench.class);

    assertThat(OverheadBench.matchesAny(topology, "topologyGetSet")).isTrue();
    assertThat(OverheadBench.matchesAny(topology, "topology.*")).isTrue();
    assertThat(OverheadBench.matchesAny(topology, "get|set")).isFalse();
    assertThat(OverheadBench.matchesAny(hotPath, "get|set")).isTrue();
    assertThat(OverheadBench.matchesAny(hotPath, "topologyGetSet")).isFalse();
  }

  @Test
  void everyCellIsRunUnlessAPropertyNamesASubset() {
    assertThat(OverheadBench.paramValues("client", "bench.test.unset.clients"))
        .containsExactly("jedis", "lettuce", "redisson");
    assertThat(OverheadBench.paramValues("topology", "bench.test.unset.topologies"))
        .containsExactly("standalone", "cluster", "sentinel", "replica", "tls");
    System.setProperty("bench.test.some.topologies", "tls, cluster");
    try {
      assertThat(OverheadBench.paramValues("topology", "bench.test.some.topologies")).containsExactly("tls", "cluster");
    } finally {
      System.clearProperty("bench.test.some.topologies");
    }
  }
}
