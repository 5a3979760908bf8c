package io.memtrace.collector.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.reader.KeyTimeline.Event;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeline question every {@link StoreReader} answers ({@link StoreReader#timeline}), asked of the same spans
 * and notification rows ({@link TimelineFixtures}) with the same answers expected of every store. A store's test
 * says only how the rows get into it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TimelineContract {

  @AutoClose
  private StoreReader reader;

  /** A reader of a new store holding the spans, the notification rows and the status rows. */
  protected abstract StoreReader load(Path dir, List<ExportTraceServiceRequest> spans,
      List<TimelineFixtures.Note> notifications, List<TimelineFixtures.Status> statuses) throws Exception;

  @BeforeAll
  void loadFixtures(@TempDir Path dir) throws Exception {
    reader = load(dir, TimelineFixtures.spans(), TimelineFixtures.notifications(), TimelineFixtures.statuses());
  }

  protected StoreReader reader() {
    return reader;
  }

  /**
   * The answers the class's tests were given, by question: the fixtures are loaded once and only read, so a question
   * several tests ask (each report costs seconds of chDB's planning on ClickHouse) is put to the store once.
   */
  private final Map<Object, Object> answers = new java.util.HashMap<>();

  @SuppressWarnings("unchecked")
  private synchronized <Q, A> A once(Q question, java.util.function.Function<Q, A> ask) {
    A answer = (A) answers.get(question);
    if (answer == null) {
      answer = ask.apply(question);
      answers.put(question, answer);
    }
    return answer;
  }

  /** The store's timeline of a key, asked of it once per class. */
  protected final KeyTimeline timeline(TimelineRequest request) {
    return once(request, reader::timeline);
  }

  private Report report(ReportRequest request) {
    return once(request, reader::report);
  }

  private List<Event> events(String key) {
    return timeline(new TimelineRequest(key)).events();
  }

  private static String trace(int n) {
    return TimelineFixtures.trace(n);
  }

  @Test
  void shouldOrderEveryEventOfTheRecordWithItsCause() {
    List<Event> events = events("plan-a");
    assertThat(events).extracting(e -> e.what() + "/" + e.by()).containsExactly(
        "write/trace", "read/trace", "write/trace", "read/trace", "write/outside", "delete/trace", "read_nothing/trace",
        "write/trace", "expiry/redis", "read_nothing/trace", "write/trace", "eviction/redis", "read_nothing/trace",
        "write/trace", "delete/outside", "read_nothing/trace");
    assertThat(events.get(0).operation()).isEqualTo("store (SET)");
    assertThat(events.get(0).cause()).isEqualTo("store by timeline-svc (trace " + trace(1) + ")");
    assertThat(events.get(4).cause()).isEqualTo("changed outside the traced services");
    assertThat(events.get(8).cause()).isEqualTo("Redis expired it");
    assertThat(events.get(11).cause()).isEqualTo("evicted under maxmemory");
    assertThat(events.get(0).valueSize()).isEqualTo(101L);
  }

  @Test
  void shouldShowANotificationASpanAccountsForOnceMergedIntoTheSpansEvent() {
    List<Event> events = events("plan-a");
    assertThat(events.get(0).notified()).containsExactly("set", "expire");
    assertThat(events.get(2).notified()).containsExactly("set");
    assertThat(events.get(5).notified()).containsExactly("del");
    assertThat(events.stream().filter(e -> e.traceId() == null).map(Event::what))
        .containsExactly("write", "expiry", "eviction", "delete");
  }

  @Test
  void shouldCompareTheTtlAskedWithTheTtlRedisGot() {
    List<Event> events = events("plan-a");
    assertThat(events.get(0)).extracting(Event::ttlAsked, Event::ttlGot, Event::ttlGotState)
        .containsExactly(60L, 60L, "set");
    assertThat(events.get(2)).extracting(Event::ttlAsked, Event::ttlGot, Event::ttlGotState)
        .containsExactly(60L, null, "none");
    assertThat(events.get(7)).extracting(Event::ttlAsked, Event::ttlGot, Event::ttlGotState)
        .containsExactly(1L, 1L, "set");
  }

  @Test
  void shouldNameEachReadsWriterAndEachVersionsReaders() {
    List<Event> events = events("plan-a");
    assertThat(events.get(1).writer().traceId()).isEqualTo(trace(1));
    assertThat(events.get(3).writer().traceId()).isEqualTo(trace(3));
    assertThat(events.get(0).readBy()).extracting(KeyTimeline.Ref::traceId).containsExactly(trace(2));
    assertThat(events.get(2).readBy()).extracting(KeyTimeline.Ref::traceId).containsExactly(trace(4));
  }

  @Test
  void shouldNameWhyEachReadFoundNothing() {
    Map<String, String> kinds = new java.util.LinkedHashMap<>();
    for (Event e : events("plan-a")) {
      if (e.what().equals("read_nothing")) {
        kinds.put(e.traceId(), e.reasonKind() + ": " + e.reason());
      }
    }
    assertThat(kinds.get(trace(6))).startsWith("deleted: deleted by trace " + trace(5) + " (delete by timeline-svc)");
    assertThat(kinds.get(trace(8))).isEqualTo("expired: expired at 2024-11-20T08:00:02Z");
    assertThat(kinds.get(trace(10))).isEqualTo("evicted: evicted at 2024-11-20T08:00:02.300Z");
    assertThat(kinds.get(trace(12))).isEqualTo("deleted_outside: deleted outside the traced services at "
        + "2024-11-20T08:00:02.600Z");
  }

  @Test
  void shouldCallAChangeUnknownWhenRetentionCompressedTheNamespacesSpans() {
    List<Event> events = events("cache:c1");
    assertThat(events).extracting(Event::what, Event::by, Event::cause).containsExactly(
        org.assertj.core.groups.Tuple.tuple("write", "unknown", "unknown (spans compressed)"),
        org.assertj.core.groups.Tuple.tuple("read_nothing", "trace", "GET by timeline-svc (trace " + trace(21) + ")"));
    assertThat(events.get(1).reasonKind()).isEqualTo("unknown_compressed");
  }

  @Test
  void shouldSayUnknownWithoutNotificationsAndNeverGuess() {
    Event unknown = events("nocov:1").get(1);
    assertThat(unknown.reasonKind()).isEqualTo("unknown_no_notifications");
    assertThat(unknown.reason()).isEqualTo("unknown (no keyspace notifications for this Redis at that time; turn on "
        + "with --keyspace-events on)");
    Event ranOut = events("nocov:2").get(1);
    assertThat(ranOut.reasonKind()).isEqualTo("ttl_ran_out");
    assertThat(ranOut.reason()).isEqualTo("TTL ran out at 2024-11-20T08:00:01.101Z (by the TTL set)");
    Event never = events("nocov:3").get(0);
    assertThat(never.reasonKind()).isEqualTo("never_written");
    assertThat(never.reason()).startsWith("never written (in the store's retention)");
  }

  /** The reason kind and reason of the one read of {@code key} that found nothing. */
  private void assertMiss(String key, String kind, String reason) {
    Event miss = events(key).stream().filter(e -> e.what().equals("read_nothing")).findFirst().orElseThrow();
    assertThat(miss).as(key).extracting(Event::reasonKind, Event::reason).containsExactly(kind, reason);
  }

  @Test
  void shouldSayNotWatchedOutsideTheCoverageAndNeverThatNotificationsReportedNothing() {
    String notWatched = "unknown (not watched: ";
    assertMiss("other:1", "not_watched", notWatched + "namespace other is outside the watched namespaces (plans*; "
        + "--keyspace-events-namespaces))");
    assertMiss("late:1", "not_watched", notWatched + "before the subscription: keyspace notifications of "
        + "10.0.0.6:6379 began at 2024-11-20T08:00:05Z)");
    assertMiss("gap:1", "not_watched", notWatched + "inside a gap: keyspace notifications of 10.0.0.8:6379 were "
        + "disconnected at 2024-11-20T08:00:00.300Z)");
    assertMiss("flood:1", "not_watched", notWatched + "inside a gap: notifications of 10.0.0.8:6379 were dropped "
        + "(over the rate cap or with the queue full) between 2024-11-20T08:00:00.600Z and 2024-11-20T08:00:01Z)");
    // only another namespace lost notifications: watched, and they reported nothing
    assertMiss("calm:1", "unknown",
        "unknown (keyspace notifications were on and reported no expiry, eviction or delete)");
    assertThat(timeline(new TimelineRequest("other:1")).notes()).singleElement().asString()
        .contains("not watched: namespace other is outside the watched namespaces")
        .contains("widen --keyspace-events-namespaces").doesNotContain("turn on with");
    assertThat(timeline(new TimelineRequest("late:1")).notes()).singleElement().asString()
        .contains("turn on with --keyspace-events on");
    assertThat(lineage(40, "other:1")).startsWith("found nothing: unknown (not watched: namespace other is outside");
  }

  @Test
  void shouldNameTheChangeOutsideTheTracedServicesAReadSawNotTheTracedWriteBeforeIt() {
    List<Event> events = events("plan-b");
    assertThat(events).extracting(e -> e.what() + "/" + e.by()).containsExactly("write/trace", "write/outside",
        "read/trace");
    Event read = events.get(2);
    assertThat(read.writer()).extracting(KeyTimeline.Ref::traceId, KeyTimeline.Ref::by, KeyTimeline.Ref::what)
        .containsExactly(null, "outside", "write");
    assertThat(events.get(0).readBy()).as("the traced write was not what the read found").isEmpty();
    assertThat(lineage(31, "plan-b")).startsWith("changed outside the traced services at 2024-11-20T08:00:00.200Z; "
        + "the traced write before it ");
    assertThat(lineage(31, "drafts:plan-b")).startsWith("changed outside the traced services at "
        + "2024-11-20T08:00:00.200Z");
  }

  @Test
  void shouldTakeNoDeleteThatRemovedNothingAndPlaceASpanWithoutADatabaseByItsNotification() {
    List<Event> noop = events("noop:1");
    assertThat(noop).extracting(e -> e.what() + "/" + e.by()).containsExactly("write/trace", "other/trace",
        "delete/outside", "read_nothing/trace");
    assertThat(noop.get(3).reasonKind()).as("the del Redis sent is the outside DEL's").isEqualTo("deleted_outside");
    List<Event> nodb = events("nodb:1");
    assertThat(nodb).extracting(Event::db).containsExactly(3, 3);
    assertThat(nodb.get(1).writer()).extracting(KeyTimeline.Ref::traceId, KeyTimeline.Ref::by)
        .containsExactly(trace(51), "trace");
  }

  @Test
  void shouldTakeThePipelinesAndTransactionsChangesOfEachKeyFromTheirCommandsKeyEvents() {
    List<Event> deleted = events("batch:a");
    assertThat(deleted).extracting(e -> e.what() + "/" + e.by() + "/" + e.operation()).containsExactly(
        "write/trace/SET", "delete/trace/DEL", "read_nothing/trace/GET");
    assertThat(deleted.get(2).reasonKind()).isEqualTo("deleted");
    List<Event> kept = events("batch:b");
    assertThat(kept).extracting(e -> e.what() + "/" + e.by()).containsExactly("write/trace", "ttl/trace",
        "read/trace");
    assertThat(kept.get(2).writer()).extracting(KeyTimeline.Ref::traceId, KeyTimeline.Ref::what)
        .containsExactly(trace(52), "write");
  }

  @Test
  void shouldLeaveOutAKeyThatEndsWithTheKeyInsideALongerName() {
    assertThat(events("plan-a")).extracting(Event::key).doesNotContain("xplan-a", "plans:xplan-a");
    assertThat(events("xplan-a")).extracting(Event::what, Event::by).containsExactly(
        org.assertj.core.groups.Tuple.tuple("write", "trace"), org.assertj.core.groups.Tuple.tuple("delete", "outside"));
  }

  @Test
  void shouldKeepTheNewestEventsWithinTheLimitAndNarrowByNamespace() {
    KeyTimeline last = timeline(new TimelineRequest("plan-a", null, null, 3));
    assertThat(last.truncated()).isTrue();
    assertThat(last.events()).extracting(Event::what).containsExactly("write", "delete", "read_nothing");
    assertThat(timeline(new TimelineRequest("plan-a", "elsewhere", null, 10)).events()).isEmpty();
    assertThat(timeline(new TimelineRequest("no-such-key")).events()).isEmpty();
  }

  /** The lineage line of the read of {@code key} in the trace of the {@code n}th event. */
  private String lineage(int n, String key) {
    Map<String, List<io.memtrace.collector.view.TraceSpan>> traces = once(new TraceRequest(trace(n), 1, null),
        reader::traces);
    return traces.get(trace(n)).stream()
        .filter(s -> key.equals(s.key()) && s.lineage() != null).findFirst().orElseThrow().lineage();
  }

  @Test
  void shouldNameInAReadsLineageTheCauseItsTimelineNames() {
    assertThat(lineage(8, "plan-a")).startsWith("found nothing: expired at 2024-11-20T08:00:02Z; written 1.3 s earlier by");
    assertThat(lineage(8, "plans:plan-a")).startsWith("found nothing: expired at 2024-11-20T08:00:02Z; written ");
    assertThat(lineage(10, "plan-a")).startsWith("found nothing: evicted at 2024-11-20T08:00:02.300Z; written ");
    assertThat(lineage(12, "plan-a"))
        .startsWith("found nothing: deleted outside the traced services at 2024-11-20T08:00:02.600Z; written ");
    // a traced delete is what lineage saw itself: its line names the delete's age and task
    assertThat(lineage(6, "plan-a")).startsWith("found nothing: deleted 96 ms earlier by");
  }

  @Test
  void shouldSayInAReadsLineageThatTheCauseIsUnknownWithoutNotifications() {
    assertThat(lineage(22, "nocov:1")).isEqualTo("found nothing: unknown (no keyspace notifications for this Redis at "
        + "that time; turn on with --keyspace-events on); written 99 ms earlier by SET, this trace");
    assertThat(lineage(24, "nocov:3")).isEqualTo("found nothing: never written (in the store's retention); changes "
        + "outside the traced services are unknown without keyspace notifications");
  }

  @Test
  void shouldNameEachLatestMissesCauseInTheReportAsItsTimelineDoes() {
    Map<String, String> memory = causes(Layer.MEMORY);
    assertThat(memory).containsEntry(trace(8), "expired at 2024-11-20T08:00:02Z")
        .containsEntry(trace(10), "evicted at 2024-11-20T08:00:02.300Z")
        .containsEntry(trace(12), "deleted outside the traced services at 2024-11-20T08:00:02.600Z");
    Map<String, String> redis = causes(Layer.REDIS);
    assertThat(redis).containsEntry(trace(8), "expired at 2024-11-20T08:00:02Z")
        .containsEntry(trace(22), "unknown (no keyspace notifications for this Redis at that time; turn on with "
            + "--keyspace-events on)")
        .containsEntry(trace(23), "TTL ran out at 2024-11-20T08:00:01.101Z (by the TTL set)");
  }

  /** The cause of each latest miss of the report's layer, by its read's trace. */
  private Map<String, String> causes(Layer layer) {
    return listed(layer, "cause");
  }

  /** A column of each latest miss of the report's layer, by its read's trace. */
  private Map<String, String> listed(Layer layer, String column) {
    Section misses = misses(layer);
    Map<String, String> values = new java.util.HashMap<>();
    for (int i = 0; i < misses.table().size(); i++) {
      values.put(misses.table().text(i, "read_trace_id"), misses.table().text(i, column));
    }
    return values;
  }

  private Section misses(Layer layer) {
    return report(new ReportRequest(null, 6, layer)).sections().stream()
        .filter(s -> s.id().equals("misses_after_write")).findFirst().orElseThrow();
  }

  @Test
  void shouldNameAMissEvictedOrExpiredOnlyWhenNotificationsOrTheTtlShowIt() {
    // plan-a: expired (the notification, and its TTL), evicted (the notification), deleted outside (a delete
    // notification: neither expired nor evicted), after a traced delete
    assertThat(misses(Layer.MEMORY).totals()).containsEntry("expired", 1L).containsEntry("evicted", 1L)
        .containsEntry("unknown", 1L).containsEntry("after_delete", 1L);
    assertThat(listed(Layer.MEMORY, "miss")).containsEntry(trace(8), "expired").containsEntry(trace(10), "evicted")
        .containsEntry(trace(12), "unknown");
    Map<String, String> redis = listed(Layer.REDIS, "miss");
    assertThat(redis).containsEntry(trace(22), "unknown").containsEntry(trace(23), "expired")
        .as("the EXPIRE after the write lengthened its TTL").containsEntry(trace(26), "unknown")
        .as("the EXPIRE after the write set the TTL that ran out").containsEntry(trace(27), "expired");
    assertThat(causes(Layer.REDIS)).containsEntry(trace(27),
        "TTL ran out at 2024-11-20T08:00:01.201Z (by the TTL set)");
  }

  @Test
  void shouldCountAWriteRedisEvictedBeforeAnyReadAsNeverRead() {
    Section health = report(new ReportRequest(null, 6, Layer.MEMORY)).sections().stream()
        .filter(s -> s.id().equals("memory_health")).findFirst().orElseThrow();
    Map<String, Object> plans = null;
    for (int i = 0; i < health.table().size(); i++) {
      if ("plans".equals(health.table().text(i, "name"))) {
        plans = Map.of("writes", health.table().value(i, "writes"), "never_read", health.table().value(i, "never_read"));
      }
    }
    // of plan-a's five writes, the one whose TTL ran out and the one Redis evicted before the read after it; the
    // outside delete is no expiry or eviction (a traced write's own notifications are changes too)
    assertThat(plans).containsEntry("writes", 6L).containsEntry("never_read", 2L);
  }

  /** The non-value changes a rebuild reads: a namespace's writes, deletes and TTL changes of both sources, no reads. */
  @Test
  void shouldListTheKeyChangesOfANamespaceInATimeRangeByTheirEnd() {
    java.time.Instant t0 = java.time.Instant.ofEpochSecond(0, io.memtrace.collector.SpanFixtures.T0);
    List<KeyChange> changes = reader.keyChanges(new KeyChangesRequest("pla*", t0.plusMillis(250), t0.plusMillis(900),
        100));
    assertThat(changes).extracting(c -> c.source() + "/" + c.kind() + "/" + c.event() + "@" + (c.endUs()
        - io.memtrace.collector.SpanFixtures.T0 / 1_000) / 1_000).containsExactly(
        "notification/write/set@302", "span/write/SET@303", "notification/write/set@500",
        "notification/delete/del@602", "span/delete/DEL@603", "notification/write/set@802", "span/write/SET@803",
        "notification/ttl/expire@803");
    assertThat(changes).allMatch(c -> c.key().equals("plans:plan-a") && c.namespace().equals("plans") && c.db() == 0);
    KeyChange set = changes.get(6);
    assertThat(set).extracting(KeyChange::traceId, KeyChange::service, KeyChange::ttl, KeyChange::error)
        .containsExactly(trace(7), TimelineFixtures.SVC, 1L, false);
    assertThat(set.spanId()).isNotEmpty();
    assertThat(set.redis()).endsWith(":6379");
    assertThat(changes.get(0).traceId()).isNull();
    assertThat(reader.keyChanges(new KeyChangesRequest("cache", null, t0.plusMillis(10_000), 100)))
        .extracting(KeyChange::key, KeyChange::kind).containsExactly(org.assertj.core.groups.Tuple.tuple("cache:c1",
            "write"));
    assertThat(reader.keyChanges(new KeyChangesRequest("plans", null, t0.plusMillis(10_000), 3))).hasSize(3);
  }
}
