package io.memtrace.collector.timeline;

import static io.memtrace.collector.timeline.KeyRecordCausesTest.ON;
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
 * A {@code FLUSHDB}, {@code FLUSHALL} or {@code SWAPDB} sent by a client memtrace does not trace, which the keyspace
 * watcher counts in {@code INFO commandstats} and places in the window between two polls, database unknown
 * ({@link UntracedWholeDatabase}), on rows built by hand as the truth suite's (issue 72) scenarios made them. Before,
 * the read after one named the write before it ("whole database, untraced" in the suite's {@code KnownWrong}).
 */
class UntracedWholeDatabaseTest {

  /** A call the watcher counted: no trace, its window from {@code fromUs} to {@code toUs}. */
  private static SpanRow counted(long fromUs, long toUs, String command) {
    return new SpanRow(fromUs, toUs, null, null, null, null, "redis", "127.0.0.1:6379", null, null, null, "other",
        command, null, null, null, false);
  }

  /** A traced one, of database 5 (not the read's), named by its span. */
  private static SpanRow traced(long atUs, String command) {
    return traced(atUs, command, 5);
  }

  /** A traced one of database {@code db}. */
  private static SpanRow traced(long atUs, String command, int db) {
    return new SpanRow(atUs, atUs + 1_000, "x", "x-s", null, "svc", "redis", "127.0.0.1:6379", db, null, null, "other",
        command, null, null, null, false);
  }

  private static final List<NotificationRow> SET = List.of(note(5 * S + 500, 2, "set", "write"));

  /** The event of the read of trace r. */
  private static Event read(List<SpanRow> spans, List<NotificationRow> notes, List<SpanRow> whole) {
    return KeyRecord.build(new TimelineRequest("k:1"), new RecordRows(spans, notes, List.of(), ON, whole)).events()
        .stream().filter(e -> "r-s".equals(e.spanId())).findFirst().orElseThrow();
  }

  /** The read of trace r at 10 s, in database 2, after a SET at 5 s, with {@code whole}'s commands. */
  private static Event afterWrite(boolean found, List<SpanRow> whole) {
    List<SpanRow> spans = List.of(span("w", 5 * S, 2, "SET", "write", null), span("r", 10 * S, 2, "GET", "read", found));
    return read(spans, SET, whole);
  }

  /** The same after a DEL at 6 s (its del received just after). */
  private static Event afterDelete(boolean found, List<SpanRow> whole) {
    List<SpanRow> spans = List.of(span("w", 5 * S, 2, "SET", "write", null), span("d", 6 * S, 2, "DEL", "delete", null),
        span("r", 10 * S, 2, "GET", "read", found));
    List<NotificationRow> notes = List.of(SET.get(0), note(6 * S + 500, 2, "del", "delete"));
    return read(spans, notes, whole);
  }

  @Test
  void shouldNotNameTheWriteBeforeAnUntracedSwapdbAsWhatAReadFound() {
    Event read = afterWrite(true, List.of(counted(8 * S, 8 * S + 100_000, "SWAPDB")));
    assertThat(read.writer().traceId()).as("the SWAPDB may have brought the value").isNull();
    assertThat(read.writer().by()).isEqualTo("unknown");
    assertThat(read.writer().what()).isEqualTo("whole_db");
    assertThat(read.writer().describe("T")).contains("SWAPDB sent by a client memtrace does not trace")
        .contains("which database is not known");
    assertThat(afterWrite(true, List.of()).writer().spanId()).as("without it, the write").isEqualTo("w-s");
  }

  @Test
  void shouldSayUnknownOfAReadThatFoundNothingAfterAWriteAndAnUntracedFlushdb() {
    Event read = afterWrite(false, List.of(counted(8 * S, 8 * S + 100_000, "FLUSHDB")));
    assertThat(read.reasonKind()).isEqualTo("unknown_whole_db");
    assertThat(read.reason()).contains("FLUSHDB sent by a client memtrace does not trace");
  }

  @Test
  void shouldKeepTheWriteOfAValueFoundAfterAnUntracedFlush() {
    // had the FLUSHDB emptied the read's database after the SET, the key would be gone, or its new write reported
    assertThat(afterWrite(true, List.of(counted(8 * S, 8 * S + 100_000, "FLUSHALL"))).writer().spanId())
        .isEqualTo("w-s");
  }

  @Test
  void shouldKeepADeleteAsTheCauseAcrossOneUntracedCommand() {
    assertThat(afterDelete(false, List.of(counted(8 * S, 8 * S + 100_000, "SWAPDB"))).reasonKind())
        .isEqualTo("deleted");
    List<SpanRow> two = List.of(counted(7 * S, 7 * S + 100_000, "SWAPDB"), counted(8 * S, 8 * S + 100_000, "FLUSHDB"));
    assertThat(afterDelete(false, two).reasonKind()).as("the key was nowhere else: nothing to bring")
        .isEqualTo("deleted");
    // written in database 3 too: the SWAPDB may have brought that value, and the FLUSHDB taken it
    List<SpanRow> spans = List.of(span("w", 5 * S, 2, "SET", "write", null), span("d", 6 * S, 2, "DEL", "delete", null),
        span("r", 10 * S, 2, "GET", "read", false));
    List<NotificationRow> notes = List.of(SET.get(0), note(5 * S + 700, 3, "set", "write"),
        note(6 * S + 500, 2, "del", "delete"));
    assertThat(read(spans, notes, two).reasonKind()).as("a SWAPDB may have brought a value the FLUSHDB took").isEqualTo("unknown_whole_db");
  }

  @Test
  void shouldKeepNeverWrittenAcrossTwoUntracedCommandsWhereTheKeyWasNowhereElse() {
    List<SpanRow> two = List.of(counted(7 * S, 7 * S + 100_000, "SWAPDB"), counted(8 * S, 8 * S + 100_000, "FLUSHDB"));
    assertThat(read(List.of(span("o", 5 * S, 2, "GET", "read", false), span("r", 10 * S, 2, "GET", "read", false)),
        List.of(), two).reasonKind()).isEqualTo("never_written");
  }

  @Test
  void shouldSayUnknownOfAMissBeforeAnUntracedWriteReceivedLateAcrossAnUntracedSwapdb() {
    // truth suite seed 49087: an untraced SET, an untraced SWAPDB that took its value away, then the read, which found
    // nothing; the watcher received the SET's set 2.6 ms after the read began, and the timeline said never written
    List<SpanRow> read = List.of(span("r", 10 * S, 2, "GET", "read", false));
    List<NotificationRow> late = List.of(note(10 * S + 2_600, 2, "set", "write"));
    Event swapped = read(read, late, List.of(counted(10 * S - 100_000, 10 * S, "SWAPDB")));
    assertThat(swapped.reasonKind()).isEqualTo("unknown_whole_db");
    assertThat(swapped.reason()).contains("after the read began").contains("SWAPDB sent by a client");
    assertThat(read(read, late, List.of()).reasonKind()).as("no command: the write came after the read")
        .isEqualTo("never_written");
    assertThat(read(read, late, List.of(counted(5 * S, 5 * S + 100_000, "SWAPDB"))).reasonKind())
        .as("a command long before the write").isEqualTo("never_written");
    // a traced FLUSHDB of the read's database just before it: the write may have come before the FLUSHDB
    List<SpanRow> flush = List.of(traced(10 * S - 5_000, "FLUSHDB", 2));
    assertThat(read(read, late, flush).reasonKind()).isEqualTo("unknown_whole_db");
    assertThat(read(read, List.of(), flush).reasonKind()).as("nothing reported: never written")
        .isEqualTo("never_written");
  }

  @Test
  void shouldLeaveOutCallsOutsideTheReadsInterval() {
    assertThat(afterWrite(true, List.of(counted(3 * S, 3 * S + 100_000, "SWAPDB"))).writer().spanId())
        .as("before the write").isEqualTo("w-s");
    assertThat(afterWrite(true, List.of(counted(11 * S, 11 * S + 100_000, "SWAPDB"))).writer().spanId())
        .as("after the read").isEqualTo("w-s");
  }

  @Test
  void shouldTakeOutTheCallsATracedSpanAccountsFor() {
    // the server counts the traced SWAPDB of databases 5 and 6 too: its span shows it was not the read's database's
    Event read = afterWrite(true, List.of(traced(8 * S + 50_000, "SWAPDB 5 6"), counted(8 * S, 8 * S + 100_000,
        "SWAPDB")));
    assertThat(read.writer().spanId()).isEqualTo("w-s");
    Event two = afterWrite(true, List.of(traced(8 * S + 50_000, "SWAPDB 5 6"), counted(8 * S, 8 * S + 100_000,
        "SWAPDB"), counted(8 * S, 8 * S + 100_000, "SWAPDB")));
    assertThat(two.writer().by()).as("two calls, one traced").isEqualTo("unknown");
  }

  @Test
  void shouldNotNameATracedFlushdbAsTheDeleteWhenAnUntracedCommandRanBetweenTheWriteAndIt() {
    // truth suite seed 45783: an untraced SET, an untraced SWAPDB that took the key away, then a traced FLUSHDB of the
    // read's database, which found it gone; the timeline named the FLUSHDB's delete as certain
    List<SpanRow> flush = List.of(traced(8 * S, "FLUSHDB", 2), counted(8 * S - 50_000, 8 * S + 50_000, "FLUSHDB"));
    assertThat(afterWrite(false, flush).reasonKind()).as("nothing between: the FLUSHDB emptied the key")
        .isEqualTo("deleted");
    List<SpanRow> swapFirst = List.of(traced(8 * S, "FLUSHDB", 2), counted(8 * S - 50_000, 8 * S + 50_000, "FLUSHDB"),
        counted(6 * S, 6 * S + 100_000, "SWAPDB"));
    Event read = afterWrite(false, swapFirst);
    assertThat(read.reasonKind()).isEqualTo("unknown_whole_db");
    assertThat(read.reason()).contains("SWAPDB sent by a client memtrace does not trace");
  }

  @Test
  void shouldNotNameATracedSwapdbAsWhatBroughtAValueWhenAnUntracedOneRanBetweenTheRemovalAndIt() {
    // a SWAPDB whose span names no database brought the value only if nothing else did after the DEL
    List<SpanRow> swap = List.of(traced(8 * S, "SWAPDB"), counted(8 * S - 50_000, 8 * S + 50_000, "SWAPDB"));
    assertThat(afterDelete(true, swap).writer().traceId()).as("nothing between: the SWAPDB brought it")
        .isEqualTo("x");
    List<SpanRow> twice = List.of(traced(8 * S, "SWAPDB"), counted(8 * S - 50_000, 8 * S + 50_000, "SWAPDB"),
        counted(7 * S, 7 * S + 100_000, "SWAPDB"));
    Event read = afterDelete(true, twice);
    assertThat(read.writer().by()).isEqualTo("unknown");
    assertThat(read.writer().what()).isEqualTo("whole_db");
  }

  @Test
  void shouldTakeOutNoCallForATracedSpanThatOverlapsTwoWindows() {
    // two windows overlap while a poll is answered; a traced SWAPDB then may be either's call, and the other's untraced
    List<SpanRow> spans = List.of(span("w", 5 * S, 2, "SET", "write", null),
        span("r", 8 * S + 20_000, 2, "GET", "read", true));
    SpanRow first = counted(8 * S, 8 * S + 100_000, "SWAPDB");
    SpanRow second = counted(8 * S + 90_000, 8 * S + 190_000, "SWAPDB");
    Event inFirst = read(spans, SET, List.of(first, second, traced(8 * S + 50_000, "SWAPDB 5 6")));
    assertThat(inFirst.writer().spanId()).as("the first window's call is the traced one; the second's came after the read")
        .isEqualTo("w-s");
    Event inBoth = read(spans, SET, List.of(first, second, traced(8 * S + 95_000, "SWAPDB 5 6")));
    assertThat(inBoth.writer().by()).as("the first window's call may be the untraced one").isEqualTo("unknown");
  }
}
