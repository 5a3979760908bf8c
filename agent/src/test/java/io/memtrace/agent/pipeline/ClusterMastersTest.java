package io.memtrace.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMastersTest {

  private static List<Object> node(String host, long port) {
    return List.of(host.getBytes(StandardCharsets.UTF_8), port, "id".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldKnowTheMastersOfTheLastSlotsReplyOnly() {
    ClusterMasters masters = new ClusterMasters();
    assertThat(masters.learn(List.of(List.of(0L, 8191L, node("10.0.0.1", 7000), node("10.0.0.2", 7001)),
        List.of(8192L, 16383L, node("10.0.0.3", 7000))))).isTrue();
    assertThat(masters.isMaster("10.0.0.1", 7000)).isTrue();
    assertThat(masters.isMaster("10.0.0.2", 7001)).as("a replica").isFalse();

    assertThat(masters.learn(List.of(List.of(0L, 16383L, node("10.0.0.2", 7001))))).as("after a failover").isTrue();
    assertThat(masters.isMaster("10.0.0.1", 7000)).isFalse();
    assertThat(masters.isMaster("10.0.0.2", 7001)).isTrue();
  }

  @Test
  void shouldIgnoreRepliesThatAreNotSlotRanges() {
    ClusterMasters masters = new ClusterMasters();
    masters.learn(List.of(List.of(0L, 16383L, node("10.0.0.1", 7000))));
    assertThat(masters.learn(null)).isFalse();
    assertThat(masters.learn(List.of())).isFalse();
    assertThat(masters.learn(List.of("not a range"))).isFalse();
    assertThat(masters.learn(List.of(List.of(0L, 1L, List.of("host"))))).isFalse();
    assertThat(masters.isMaster("10.0.0.1", 7000)).as("kept").isTrue();
  }
}
