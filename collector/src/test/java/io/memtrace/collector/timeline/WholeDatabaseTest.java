package io.memtrace.collector.timeline;

import static io.memtrace.collector.timeline.KeyRecordCausesTest.ON;
import static io.memtrace.collector.timeline.KeyRecordCausesTest.REDIS;
import static io.memtrace.collector.timeline.KeyRecordCausesTest.S;
import static io.memtrace.collector.timeline.KeyRecordCausesTest.note;
import static io.memtrace.collector.timeline.KeyRecordCausesTest.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.reader.KeyTimeline.Event;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.timeline.RecordRows.NotificationRow;
import io.memtrace.collector.timeline.RecordRows.SpanRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A traced {@code FLUSHDB}, {@code FLUSHALL} or {@code SWAPDB} (no key on its span, no keyspace event per key) in a
 * record's timeline, on rows built by hand as the truth suite's (issue 72) scenarios made them: a read after one never
 * names the write before it.
 */
class WholeDatabaseTest {

  /** A command on a whole database: no key. */
  private static SpanRow whole(String trace, long atUs, int db, String command) {
    return new SpanRow(atUs, atUs + 1_000, trace, trace + "-s", null, "svc", "redis", "127.0.0.1:6379", db, null,
        null, "other", command, null, null, null, false);
  }

  private static Event read(List<SpanRow> spans, List<NotificationRow> notes, List<SpanRow> whole) {
    return KeyRecord.build(new TimelineRequest("k:1"), new RecordRows(spans, notes, List.of(), ON, whole)).events()
        .stream().filter(e -> "r-s".equals(e.spanId())).findFirst().orElseThrow();
  }

  /** The read of trace r at 10 s after a SET at 5 s, in database 2. */
  private static Event afterWrite(boolean found, List<SpanRow> whole) {
    return read(List.of(WRITTEN.get(0), span("r", 10 * S, 2, "GET", "read", found)), SET, whole);
  }

  /** The read of trace r at 10 s after a SET at 5 s and a DEL at 6 s (its del received at {@code delReceivedUs}). */
  private static Event afterDelete(boolean found, long delReceivedUs, List<SpanRow> whole) {
    List<SpanRow> spans = List.of(WRITTEN.get(0), span("d", 6 * S, 2, "DEL", "delete", null),
        span("r", 10 * S, 2, "GET", "read", found));
    return read(spans, List.of(SET.get(0), note(delReceivedUs, 2, "del", "delete")), whole);
  }

  private static final List<SpanRow> WRITTEN = List.of(span("w", 5 * S, 2, "SET", "write", null));
  private static final List<NotificationRow> SET = List.of(note(5 * S + 500, 2, "set", "write"));

  @Test
  void shouldNotNameTheWriteBeforeASwapdbAsWhatAReadFound() {
    List<SpanRow> spans = List.of(WRITTEN.get(0), span("r", 10 * S, 2, "GET", "read", true));
    Event read = read(spans, SET, List.of(whole("x", 8 * S, 3, "SWAPDB")));
    assertThat(read.writer().traceId()).as("the value may be one the SWAPDB brought").isNull();
    assertThat(read.writer().by()).isEqualTo("unknown");
    assertThat(read.writer().what()).isEqualTo("whole_db");
    assertThat(read.writer().describe("T")).contains("SWAPDB by svc (trace x)");
    assertThat(read(spans, SET, List.of()).writer().spanId()).as("without it, the write").isEqualTo("w-s");
  }

  @Test
  void shouldNameATracedFlushdbOfTheReadsDatabaseAsItsDelete() {
    Event read = afterWrite(false, List.of(whole("x", 8 * S, 2, "FLUSHDB")));
    assertThat(read.reasonKind()).isEqualTo("deleted");
    assertThat(read.reason()).startsWith("deleted by trace x (FLUSHDB by svc (trace x), which emptied database 2)");
    assertThat(read.writer().spanId()).isEqualTo("x-s");
    assertThat(afterWrite(false, List.of()).reasonKind()).as("without it, notifications reported nothing")
        .isEqualTo("unknown");
  }

  @Test
  void shouldLeaveAFlushdbOfAnotherDatabaseOut() {
    assertThat(afterWrite(true, List.of(whole("x", 8 * S, 5, "FLUSHDB"))).writer().spanId()).isEqualTo("w-s");
    assertThat(afterWrite(true, List.of(whole("x", 8 * S, 5, "FLUSHALL"))).writer().by()).isEqualTo("unknown");
  }

  @Test
  void shouldSayUnknownOfAReadThatFoundNothingAfterASwapdb() {
    Event read = afterWrite(false, List.of(whole("x", 8 * S, 2, "SWAPDB")));
    assertThat(read.reasonKind()).isEqualTo("unknown_whole_db");
    assertThat(read.reason()).contains("SWAPDB by svc (trace x)");
  }

  @Test
  void shouldKeepADeleteBeforeTheCommandAsTheCause() {
    Event read = afterDelete(false, 6 * S + 500, List.of(whole("x", 8 * S, 2, "FLUSHDB")));
    assertThat(read.reasonKind()).as("the FLUSHDB found the key gone").isEqualTo("deleted");
    assertThat(read.reason()).startsWith("deleted by trace d");
    assertThat(read.writer().spanId()).as("the delete, not the FLUSHDB that found the key gone").isEqualTo("d-s");
  }

  @Test
  void shouldNameASwapdbThatBroughtAValueWhereTheKeyWasGone() {
    Event read = afterDelete(true, 6 * S + 500, List.of(whole("x", 8 * S, 2, "SWAPDB")));
    assertThat(read.writer().spanId()).isEqualTo("x-s");
    assertThat(read.writer().what()).isEqualTo("whole_db");
  }

  @Test
  void shouldSayUnknownAfterTwoCommandsOnTheWholeDatabase() {
    // the first SWAPDB may have brought a value the second took away, or another SWAPDB (of two other databases) ran
    List<SpanRow> two = List.of(whole("x", 7 * S, 2, "SWAPDB"), whole("y", 8 * S, 2, "SWAPDB"));
    assertThat(afterDelete(true, 6 * S + 500, two).writer().by()).isEqualTo("unknown");
    assertThat(afterWrite(false, two).reasonKind()).isEqualTo("unknown_whole_db");
  }

  @Test
  void shouldSayNeverWrittenOfAReadThatFoundNothingAfterASwapdbOfAKeyNeverThere() {
    Event read = read(List.of(span("o", 5 * S, 2, "GET", "read", false), span("r", 10 * S, 2, "GET", "read", false)),
        List.of(), List.of(whole("x", 8 * S, 2, "SWAPDB")));
    assertThat(read.reasonKind()).isEqualTo("never_written");
  }

  @Test
  void shouldSayUnknownOfAKeyNeverHereButWrittenInTheOtherDatabase() {
    // written in database 3, swapped here and back: the read in database 2 found nothing, the second SWAPDB took it
    List<SpanRow> spans = List.of(span("w", 5 * S, 3, "SET", "write", null), span("r", 10 * S, 2, "GET", "read", false));
    List<NotificationRow> notes = List.of(note(5 * S + 500, 3, "set", "write"));
    Event read = read(spans, notes, List.of(whole("x", 7 * S, 2, "SWAPDB"), whole("y", 8 * S, 2, "SWAPDB")));
    assertThat(read.reasonKind()).isEqualTo("unknown_whole_db");
  }

  @Test
  void shouldOrderACommandOnTheWholeDatabaseByTheSpansNotByANotificationReceivedLate() {
    // the DEL ended before the FLUSHDB began; the watcher received its del after the FLUSHDB ended
    Event read = afterDelete(false, 6 * S + 90_000, List.of(new SpanRow(6 * S + 20_000, 6 * S + 21_000, "x", "x-s", null, "svc",
        "redis", REDIS, 2, null, null, "other", "FLUSHDB", null, null, null, false)));
    assertThat(read.reasonKind()).isEqualTo("deleted");
    assertThat(read.writer().spanId()).isEqualTo("d-s");
  }

  @Test
  void shouldTakeASwapdbThatNamedItsDatabasesForThoseOnly() {
    assertThat(afterWrite(true, List.of(whole("x", 8 * S, 2, "SWAPDB 0 1"))).writer().spanId())
        .as("databases 0 and 1 exchanged, not 2").isEqualTo("w-s");
    Event found = afterWrite(true, List.of(whole("x", 8 * S, 2, "SWAPDB 3 2")));
    assertThat(found.writer().spanId()).as("the value database 3 held came by it").isEqualTo("x-s");
    Event missed = afterWrite(false, List.of(whole("x", 8 * S, 2, "SWAPDB 2 3")));
    assertThat(missed.reasonKind()).isEqualTo("deleted");
    assertThat(missed.reason()).contains("which exchanged databases 2 and 3");
  }

  @Test
  void shouldNameAWriteAfterTheCommand() {
    List<SpanRow> spans = List.of(WRITTEN.get(0), span("w2", 9 * S, 2, "SET", "write", null),
        span("r", 10 * S, 2, "GET", "read", true));
    List<NotificationRow> notes = List.of(SET.get(0), note(9 * S + 500, 2, "set", "write"));
    assertThat(read(spans, notes, List.of(whole("x", 8 * S, 2, "SWAPDB"))).writer().spanId()).isEqualTo("w2-s");
  }

  @Test
  void shouldTakeTheWriteAfterAnExpiryRedisReportedBeforeItsEventAsTheLastChangeBeforeTheCommand() {
    // seed 10391: the TTL ran out as a SET began; Redis sent expired, then the SET's set, both received after the SET
    // began; a SWAPDB of the read's database then took the value away
    List<SpanRow> spans = List.of(WRITTEN.get(0), span("w2", 6 * S, 2, "SET", "write", null),
        span("r", 10 * S, 2, "GET", "read", false));
    List<NotificationRow> notes = List.of(SET.get(0), note(6 * S + 300, 2, "expired", "expiry"),
        note(6 * S + 400, 2, "set", "write"));
    Event read = read(spans, notes, List.of(whole("x", 8 * S, 2, "SWAPDB 2 3")));
    assertThat(read.reasonKind()).isEqualTo("deleted");
    assertThat(read.reason()).contains("which exchanged databases 2 and 3");
  }

  @Test
  void shouldSayUnknownOfARemovalReceivedJustAfterACommandOnTheWholeDatabase() {
    // seed 12044 under load: an eviction received 50 ms after a SWAPDB began may be of a value before it, received late
    List<SpanRow> spans = List.of(WRITTEN.get(0), span("r", 10 * S, 2, "GET", "read", false));
    List<SpanRow> swap = List.of(whole("x", 8 * S, 2, "SWAPDB 2 3"));
    Event soon = read(spans, List.of(SET.get(0), note(8 * S + 50_000, 2, "evicted", "eviction")), swap);
    assertThat(soon.reasonKind()).isEqualTo("unknown_whole_db");
    assertThat(soon.reason()).contains("received 50 ms after SWAPDB by svc (trace x)");
    Event later = read(spans, List.of(SET.get(0), note(8 * S + 400_000, 2, "evicted", "eviction")), swap);
    assertThat(later.reasonKind()).as("received well after it: after it").isEqualTo("evicted");
    assertThat(read(spans, List.of(SET.get(0), note(8 * S + 50_000, 2, "evicted", "eviction")), List.of())
        .reasonKind()).as("no such command").isEqualTo("evicted");
  }

  @Test
  void shouldSayUnknownWhenTheChangeBeforeTheCommandIsAScriptsOfOpenEffect() {
    // seed 13120: an EVAL's set and an untraced DEL's del received together, then a traced FLUSHDB: whether the key
    // was there for the FLUSHDB to remove is open
    List<SpanRow> spans = List.of(span("e", 5 * S, 2, "EVAL", "script", null), span("r", 10 * S, 2, "GET", "read",
        false));
    List<NotificationRow> notes = List.of(note(5 * S + 1_500, 2, "set", "write"), note(5 * S + 1_700, 2, "del",
        "delete"));
    Event read = read(spans, notes, List.of(whole("x", 8 * S, 2, "FLUSHDB")));
    assertThat(read.reasonKind()).isEqualTo("unknown_whole_db");
    assertThat(read.reason()).contains("a write and a delete of the key");
  }
}
