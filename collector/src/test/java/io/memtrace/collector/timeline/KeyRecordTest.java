package io.memtrace.collector.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.reader.KeyTimeline.Event;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.RecordRows.NotificationRow;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import io.memtrace.collector.timeline.RecordRows.StatusRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@link KeyRecord} on rows built by hand: windows, pairing, addresses and coverage. */
class KeyRecordTest {

  private static final long S = 1_000_000;

  private static SpanRow redis(String trace, long atUs, String command, String access, String redis, Boolean found) {
    return new SpanRow(atUs, atUs + 1_000, trace, trace + "-s", null, "svc", "redis", redis, 0, "k:1", "k", access,
        command, found, null, null, false);
  }

  private static NotificationRow note(long atUs, String redis, String event, String kind) {
    return new NotificationRow(atUs, redis, 0, "k:1", "k", event, kind, 1);
  }

  private static KeyTimeline timeline(List<SpanRow> spans, List<NotificationRow> notes, List<StatusRow> statuses) {
    return KeyRecord.build(new TimelineRequest("k:1"), new RecordRows(spans, notes, List.of(), statuses));
  }

  @Test
  void shouldMergeANotificationWithinTheWindowAndCallOneOutsideItOutside() {
    List<Event> events = timeline(List.of(redis("t1", 10 * S, "SET", "write", "localhost:6379", null)),
        List.of(note(10 * S + 900_000, "127.0.0.1:6379", "set", "write"),
            note(10 * S + 1_100_000, "127.0.0.1:6379", "set", "write")), List.of()).events();
    assertThat(events).extracting(Event::what, Event::by).containsExactly(
        org.assertj.core.groups.Tuple.tuple("write", "trace"), org.assertj.core.groups.Tuple.tuple("write", "outside"));
    assertThat(events.get(0).notified()).containsExactly("set");
  }

  @Test
  void shouldPairASpanWithOneNotificationOfAKindOnlyAndNeverWithAnotherKind() {
    List<Event> events = timeline(List.of(redis("t1", 10 * S, "SET", "write", "[::1]:6379", null)),
        List.of(note(10 * S + 1_000, "127.0.0.1:6379", "set", "write"),
            note(10 * S + 2_000, "127.0.0.1:6379", "set", "write"),
            note(10 * S + 3_000, "127.0.0.1:6379", "del", "delete")), List.of()).events();
    assertThat(events).extracting(e -> e.what() + "/" + e.by())
        .containsExactly("write/trace", "write/outside", "delete/outside");
  }

  @Test
  void shouldNotMatchAnotherRedisOrDatabase() {
    List<Event> events = timeline(List.of(redis("t1", 10 * S, "SET", "write", "10.0.0.5:6379", null)),
        List.of(note(10 * S + 1_000, "10.0.0.6:6379", "set", "write")), List.of()).events();
    assertThat(events).extracting(Event::by).containsExactly("trace", "outside");
  }

  @Test
  void shouldSayUnknownWhenNotificationsWereLostOrOffBetweenTheWriteAndTheRead() {
    List<SpanRow> spans = List.of(redis("t1", 10 * S, "SET", "write", "localhost:6379", null),
        redis("t2", 20 * S, "GET", "read", "localhost:6379", false));
    StatusRow on = new StatusRow(S, "127.0.0.1:6379", "on", "Kx", 0, "*", null);
    assertThat(reason(timeline(spans, List.of(), List.of(on))))
        .as("on, but without evicted events (no 'e')").isEqualTo("unknown_no_notifications");
    StatusRow all = new StatusRow(S, "127.0.0.1:6379", "on", "KEA", 0, "*", null);
    assertThat(reason(timeline(spans, List.of(), List.of(all)))).as("on throughout, nothing lost").isEqualTo("unknown");
    assertThat(reason(timeline(spans, List.of(), List.of(all,
        new StatusRow(15 * S, "127.0.0.1:6379", "on", "KEA", 3, "*", null)))))
        .as("3 notifications dropped meanwhile, of namespaces not named").isEqualTo("not_watched");
    assertThat(reason(timeline(spans, List.of(), List.of(all,
        new StatusRow(15 * S, "127.0.0.1:6379", "disconnected", "KEA", 0, "*", null))))).isEqualTo("not_watched");
  }

  @Test
  void shouldNoteThatEventsMayBeMissingWhenNotificationsWereOffNotOnlyWhenNoneWereRecorded() {
    List<SpanRow> spans = List.of(redis("t1", 10 * S, "SET", "write", "localhost:6379", null),
        redis("t2", 20 * S, "GET", "read", "localhost:6379", true));
    // serve --keyspace-events off writes a status row of state off: no notifications, yet statuses are recorded
    assertThat(timeline(spans, List.of(), List.of(new StatusRow(S, "127.0.0.1:6379", "off", null, 0, "*", null)))
        .notes())
        .singleElement().asString().startsWith("Keyspace notifications did not cover all of this record's events");
    assertThat(timeline(spans, List.of(), List.of(new StatusRow(15 * S, "127.0.0.1:6379", "on", "KEA", 0, "*", null)))
        .notes())
        .as("the watcher started after the write").hasSize(1);
    assertThat(timeline(spans, List.of(), List.of(new StatusRow(S, "127.0.0.1:6379", "on", "KEA", 0, "*", null)))
        .notes())
        .as("on throughout, nothing lost").isEmpty();
    assertThat(timeline(spans, List.of(), List.of()).notes()).singleElement().asString()
        .startsWith("No keyspace notifications were recorded");
  }

  @Test
  void shouldTakeAnExpiryTheReadItselfTriggeredAsTheCause() {
    List<SpanRow> spans = List.of(redis("t1", 10 * S, "SET", "write", "localhost:6379", null),
        redis("t2", 20 * S, "GET", "read", "localhost:6379", false),
        redis("t3", 30 * S, "SET", "write", "localhost:6379", null));
    List<Event> events = timeline(spans, List.of(note(20 * S + 2_000, "127.0.0.1:6379", "expired", "expiry"),
        note(21 * S + 500_000, "127.0.0.1:6379", "evicted", "eviction")), List.of()).events();
    assertThat(events.get(1).reason()).startsWith("expired at ");
  }

  @Test
  void shouldLinkARedisReadOfTheRecordsKeyByAnotherCallToTheMemoryWriteItSaw() {
    // the demo's cache: put("oauth-state") runs SETEX cache:oauth-state; recent() runs EXISTS on it
    SpanRow put = new SpanRow(10 * S, 10 * S + 2_000, "t1", "m1", null, "svc", "memory", null, null, "oauth-state",
        "cache", "write", "store", null, 29L, 1L, false);
    SpanRow setex = new SpanRow(10 * S + 100, 10 * S + 1_000, "t1", "r1", "m1", "svc", "redis", "localhost:6379", 0,
        "cache:oauth-state", "cache", "write", "SETEX", null, null, 1L, false);
    SpanRow exists = new SpanRow(11 * S, 11 * S + 1_000, "t1", "r2", "m2", "svc", "redis", "localhost:6379", 0,
        "cache:oauth-state", "cache", "read", "EXISTS", true, null, null, false);
    List<Event> events = KeyRecord.build(new TimelineRequest("oauth-state"),
        new RecordRows(List.of(put, setex, exists), List.of(), List.of(), List.of())).events();
    assertThat(events).extracting(Event::operation).containsExactly("store (SETEX)", "EXISTS");
    assertThat(events.get(1).writer()).as("the read saw the memory call's write").isNotNull()
        .extracting(KeyTimeline.Ref::spanId).isEqualTo("m1");
    assertThat(events.get(0).readBy()).extracting(KeyTimeline.Ref::spanId).containsExactly("r2");
  }

  private static String reason(KeyTimeline timeline) {
    return timeline.events().stream().filter(e -> e.what().equals("read_nothing")).findFirst().orElseThrow()
        .reasonKind();
  }

  @Test
  void shouldTakeAKeyEndingWithTheKeyAfterASeparatorOnly() {
    assertThat(KeyRecord.endsWithKey("plans:plan-a", "plan-a")).isTrue();
    assertThat(KeyRecord.endsWithKey("notes/plan-a", "plan-a")).isTrue();
    assertThat(KeyRecord.endsWithKey("plan-a", "plan-a")).isTrue();
    assertThat(KeyRecord.endsWithKey("plans:xplan-a", "plan-a")).isFalse();
    assertThat(KeyRecord.endsWithKey("plans:Xplan-a", "plan-a")).isFalse();
    assertThat(KeyRecord.endsWithKey("plan-b", "plan-a")).isFalse();
  }

  @Test
  void shouldNameLoopbackAddressesOneWay() {
    assertThat(RedisAddress.same("localhost:6379", "127.0.0.1:6379")).isTrue();
    assertThat(RedisAddress.same("[::1]:6379", "LOCALHOST:6379")).isTrue();
    assertThat(RedisAddress.same("::1:6379", "127.0.0.1:6379")).isTrue();
    assertThat(RedisAddress.same("127.0.0.1:6380", "127.0.0.1:6379")).isFalse();
    assertThat(RedisAddress.same("10.0.0.5:6379", "127.0.0.1:6379")).isFalse();
  }
}
