package io.memtrace.collector.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.keyspace.notify.KeyNotification;
import io.memtrace.collector.keyspace.notify.NotificationCounts;
import io.memtrace.collector.keyspace.notify.NotificationStatus;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watcher's notifications into ClickHouse (26.9 in chDB, behind the test front): a batch and a status row land in
 * the tables {@code clickhouse init} made, a key with quotes and a control character intact, Kind as the enum; a
 * database without the tables is refused at start in one line.
 */
class ClickHouseNotificationSinkIT {

  @AutoClose
  static ChdbFront front;

  @BeforeAll
  static void start() throws Exception {
    front = ChdbFront.startIn("clickhouse-notify", "default", "");
  }

  private static ClickHouseUrl url(String database) {
    return ClickHouseUrl.parse(front.url(database), Map.of());
  }

  @Test
  void shouldWriteABatchAndAStatusRowIntoTheTablesInitMade() throws Exception {
    try (ClickHouseSession session = ClickHouseSession.open(url("fleet"))) {
      SchemaInit.run(session, new SchemaOptions("fleet", null, 0));
    }
    Instant t = Instant.parse("2026-11-27T04:00:00.123456Z");
    String odd = "session:s1:it's \\ a\u0001key";
    try (ClickHouseNotificationSink sink = new ClickHouseNotificationSink(url("fleet"))) {
      sink.write(List.of(
          new KeyNotification(t, "127.0.0.1:6379", 0, "session:s1:turn1", "session:s1", "expired", "expiry", 1),
          new KeyNotification(t.plusMillis(1), "127.0.0.1:6379", 3, odd, null, "set", "write", 12.5)));
      sink.status(new NotificationStatus(t, "127.0.0.1:6379", "on", "xE",
          new NotificationCounts.Snapshot(100, 60, 30, 10, 0, 7), null, "*", "session:s1,bulk"));
    }
    assertThat(front.query("fleet", "SELECT Store, Db, Namespace, Key, Timestamp, Event, Kind, Weight FROM "
        + "memtrace_key_notifications ORDER BY Timestamp FORMAT JSONCompactEachRow")).isEqualTo(
        "[\"127.0.0.1:6379\", 0, \"session:s1\", \"session:s1:turn1\", \"2026-11-27 04:00:00.123456\", "
            + "\"expired\", \"expiry\", 1]\n"
            + "[\"127.0.0.1:6379\", 3, \"\", \"session:s1:it's \\\\ a\\u0001key\", \"2026-11-27 04:00:00.124456\", "
            + "\"set\", \"write\", 12.5]\n");
    assertThat(front.query("fleet", "SELECT Redis, State, NotifyConfig, Received, Recorded, DroppedRate, "
        + "DroppedSampled, DroppedQueue, Error, Namespaces, DroppedNamespaces FROM memtrace_key_notification_status "
        + "FORMAT CSV")).isEqualTo("\"127.0.0.1:6379\",\"on\",\"xE\",100,60,30,10,0,\"\",\"*\",\"session:s1,bulk\"\n");
  }

  @Test
  void shouldRefuseADatabaseWithoutTheTablesInOneLine() throws Exception {
    front.query(null, "CREATE DATABASE IF NOT EXISTS bare");
    assertThatThrownBy(() -> new ClickHouseNotificationSink(url("bare"))).isInstanceOf(CollectorException.class)
        .hasMessageContaining("has no memtrace_key_notifications table").hasMessageContaining("clickhouse init");
  }
}
