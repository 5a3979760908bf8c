package io.memtrace.collector.keyspace.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.keyspace.RedisUrl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import org.junit.jupiter.api.Test;

/** The counts of {@code INFO commandstats} as rows of the commands on a whole database ({@link WholeDatabaseCalls}). */
class WholeDatabaseCallsTest {

  private static final String INFO = "# Commandstats\r\n"
      + "cmdstat_set:calls=7,usec=136,usec_per_call=19.43,rejected_calls=0,failed_calls=0\r\n"
      + "cmdstat_flushdb:calls=1,usec=26,usec_per_call=26.00,rejected_calls=0,failed_calls=0\r\n"
      + "cmdstat_flushall:calls=12,usec=27,usec_per_call=27.00,rejected_calls=0,failed_calls=0\r\n";

  @Test
  void shouldReadTheCallsOfEachCommandOnAWholeDatabase() {
    assertThat(WholeDatabaseCalls.calls(INFO)).containsExactly(Map.entry("flushdb", 1L), Map.entry("flushall", 12L));
  }

  @Test
  void shouldRecordEachCallSinceThePollBeforeInItsWindow() {
    ArrayBlockingQueue<KeyNotification> queue = new ArrayBlockingQueue<>(10);
    WholeDatabaseCalls calls = new WholeDatabaseCalls(RedisUrl.parse("--redis", "redis://127.0.0.1:6379"), queue,
        new NotificationCounts());
    Instant t0 = Instant.parse("2026-12-02T01:00:00Z");
    calls.polled(t0, t0.plusMillis(1), Map.of("flushdb", 3L));
    assertThat(queue).as("the first poll is where counting starts").isEmpty();
    calls.polled(t0.plusMillis(100), t0.plusMillis(102), Map.of("flushdb", 3L, "swapdb", 2L));
    calls.polled(t0.plusMillis(200), t0.plusMillis(201), Map.of("flushdb", 1L, "swapdb", 2L));
    List<KeyNotification> rows = new ArrayList<>(queue);
    assertThat(rows).extracting(KeyNotification::event).containsExactly("swapdb", "swapdb", "flushdb");
    assertThat(rows.get(0).time()).isEqualTo(t0.plusMillis(102));
    assertThat(rows.get(0).weight()).as("from the poll before was sent").isEqualTo(0.102);
    assertThat(rows.get(2).weight()).as("fewer than before: restarted, and at least the one counted since ran")
        .isEqualTo(0.101);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.key()).isEmpty();
      assertThat(r.db()).isZero();
      assertThat(r.namespace()).isNull();
      assertThat(r.kind()).isEqualTo(EventKinds.DELETE);
      assertThat(r.redis()).isEqualTo("127.0.0.1:6379");
    });
  }
}
