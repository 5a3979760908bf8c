package io.memtrace.collector.keyspace.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.common.NamespaceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import org.junit.jupiter.api.Test;

class NotificationListenerTest {

  private final NotificationCounts counts = new NotificationCounts();

  private NotificationListener listener(List<String> namespaces, int cap, ArrayBlockingQueue<KeyNotification> queue) {
    return new NotificationListener("127.0.0.1:6379", NamespaceRule.defaultRule(), namespaces,
        new NotificationLimiter(cap, 100), queue, counts, () -> { });
  }

  @Test
  void shouldReadBothChannelFormsAndTheirDatabase() {
    ArrayBlockingQueue<KeyNotification> queue = new ArrayBlockingQueue<>(10);
    NotificationListener l = listener(List.of("session:*"), 1_000, queue);
    l.onPMessage("__keyevent@*__:*", "__keyevent@12__:expired", "session:s1:turn1");
    l.onPMessage("__keyspace@*__:*", "__keyspace@0__:session:s1:turn2", "del");
    List<KeyNotification> rows = new ArrayList<>(queue);
    assertThat(rows).extracting(r -> r.db() + " " + r.key() + " " + r.namespace() + " " + r.event() + " " + r.kind())
        .containsExactly("12 session:s1:turn1 session:s1 expired expiry", "0 session:s1:turn2 session:s1 del delete");
    assertThat(counts.snapshot().recorded()).isEqualTo(2);
  }

  @Test
  void shouldIgnoreOtherNamespacesUnknownEventsAndOddChannels() {
    ArrayBlockingQueue<KeyNotification> queue = new ArrayBlockingQueue<>(10);
    NotificationListener l = listener(List.of("session:*", "cache"), 1_000, queue);
    l.onPMessage("p", "__keyevent@0__:set", "bulk:1");
    l.onPMessage("p", "__keyevent@0__:set", "nonamespace");
    l.onPMessage("p", "__keyevent@0__:new", "session:s1:x");
    l.onPMessage("p", "__keyevent@x__:set", "session:s1:x");
    l.onPMessage("p", "somethingelse", "session:s1:x");
    l.onPMessage("p", "__keyevent@0__:set", "cache:k");
    assertThat(queue).extracting(KeyNotification::key).containsExactly("cache:k");
    assertThat(counts.snapshot().ignored()).isEqualTo(5);
    assertThat(counts.snapshot().received()).isEqualTo(1);
  }

  @Test
  void shouldTakeEveryKeyUnderStarTheOnesWithoutANamespaceToo() {
    ArrayBlockingQueue<KeyNotification> queue = new ArrayBlockingQueue<>(10);
    listener(List.of("*"), 1_000, queue).onPMessage("p", "__keyevent@0__:set", "nonamespace");
    assertThat(queue).singleElement().satisfies(r -> assertThat(r.namespace()).isNull());
  }

  @Test
  void shouldDropAndCountWhenTheQueueIsFullNeverWaiting() {
    ArrayBlockingQueue<KeyNotification> queue = new ArrayBlockingQueue<>(3);
    NotificationListener l = listener(List.of("*"), 1_000_000, queue);
    for (int i = 0; i < 10; i++) {
      l.onPMessage("p", "__keyevent@0__:expired", "session:s1:" + i);
    }
    NotificationCounts.Snapshot c = counts.snapshot();
    assertThat(queue).hasSize(3);
    assertThat(c.recorded()).isEqualTo(3);
    assertThat(c.droppedQueue()).isEqualTo(7);
    assertThat(c.received()).isEqualTo(c.recorded() + c.dropped()).isEqualTo(10);
  }
}
