package io.memtrace.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionRegistryTest {

  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final RecordingSink sink = new RecordingSink();

  @RegisterExtension
  final InstalledBridge bridge = new InstalledBridge(sink);

  /** Equal to every other instance: the registry must go by identity, as Jedis connections do. */
  private static final class EqualConnection {
    @Override
    public boolean equals(Object o) {
      return o instanceof EqualConnection;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  @Test
  void shouldFindTheStateMadeForAConnection() {
    Object connection = new Object();

    PendingCommands made = registry.findOrAdd(connection);

    assertThat(registry.find(connection)).isSameAs(made);
    assertThat(registry.findOrAdd(connection)).isSameAs(made);
    assertThat(made.get()).isSameAs(connection);
  }

  @Test
  void shouldFindNothingForAConnectionThatNeverSent() {
    registry.findOrAdd(new Object());

    assertThat(registry.find(new Object())).isNull();
  }

  @Test
  void shouldKeepEqualButDistinctConnectionsApart() {
    Object a = new EqualConnection();
    Object b = new EqualConnection();

    assertThat(registry.findOrAdd(a)).isNotSameAs(registry.findOrAdd(b));
    assertThat(registry.find(a).get()).isSameAs(a);
    assertThat(registry.find(b).get()).isSameAs(b);
  }

  @Test
  void shouldFindEveryConnectionAfterGrowing() {
    List<Object> connections = new ArrayList<>();
    List<PendingCommands> states = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Object connection = new Object();
      connections.add(connection);
      states.add(registry.findOrAdd(connection));
    }

    for (int i = 0; i < connections.size(); i++) {
      assertThat(registry.find(connections.get(i))).isSameAs(states.get(i));
    }
    assertThat(registry.size()).isEqualTo(1000);
  }

  @Test
  void shouldForgetCollectedConnectionsAndCountWhatTheyLeftUnanswered() throws Exception {
    Object kept = new Object();
    PendingCommands keptState = registry.findOrAdd(kept);
    long deadline = System.nanoTime() + 20_000_000_000L;
    int made = 0;
    while (sink.droppedTotal() == 0 && System.nanoTime() < deadline) {
      for (int i = 0; i < 100; i++, made++) {
        // a connection thrown away with one command it never read the reply of
        registry.findOrAdd(new Object()).add(null, "GET", null, 0, false);
      }
      System.gc();
    }

    assertThat(sink.droppedTotal()).as("after %d connections", made).isPositive();
    assertThat(registry.size()).as("the table holds the live ones, not all %d", made).isLessThan(made);
    assertThat(registry.find(kept)).isSameAs(keptState);
  }
}
