package io.memtrace.collector.versions;

import static io.memtrace.collector.versions.Writes.cut;
import static io.memtrace.collector.versions.Writes.micros;
import static io.memtrace.collector.versions.Writes.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.memtrace.collector.reader.KeyTimeline;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionHistoryTest {

  static KeyTimeline.Event event(int second, String what, String trace, String operation, Long size) {
    String by = trace != null ? "trace" : what.equals("expiry") || what.equals("eviction") ? "redis" : "outside";
    String cause = trace != null ? operation + " by agent-app (trace " + trace + ")" : "Redis expired it";
    return new KeyTimeline.Event(micros(second) - 500, what, by, cause, "redis", operation,
        trace == null ? null : "agent-app", trace, trace == null ? null : "span-" + trace, "127.0.0.1:6379", 0, "k",
        "notes", size, null, null, null, List.of(), null, List.of(), null, null);
  }

  static KeyTimeline timeline(KeyTimeline.Event... events) {
    return new KeyTimeline("k", List.of(events), false, List.of());
  }

  @Test
  void shouldTieEachVersionToItsTraceAndShowUncapturedWritesAsSizeOnly() {
    List<CapturedValue> values = List.of(
        write(1, "t1", "HSET", ValueChange.FIELDS_SET, "hash", "{\"a\":\"1\",\"b\":\"2\"}"),
        write(2, "t2", "HSET", ValueChange.FIELDS_SET, "hash", "{\"b\":\"3\"}"),
        write(5, "t5", "HSET", ValueChange.FIELDS_SET, "hash", "{\"c\":\"4\"}"));
    KeyTimeline timeline = timeline(event(1, "write", "t1", "HSET", 10L), event(2, "write", "t2", "HSET", 5L),
        event(3, "write", "t3", "HINCRBY", 8L), event(4, "read", "t4", "HGETALL", null),
        event(5, "write", "t5", "HSET", 5L), event(6, "delete", "t6", "DEL", null), event(7, "expiry", null, "expired", null));

    KeyVersions versions = VersionHistory.build("k", values, timeline, 100, false);

    assertThat(versions.versions()).extracting(Version::number, Version::what, Version::traceId, Version::summary)
        .containsExactly(
            tuple(1, "write", "t1", "hash, 2 fields"),
            tuple(2, "write", "t2", "hash, 2 fields"),
            tuple(3, "write_not_captured", "t3", "not known"),
            tuple(4, "write", "t5", "hash, 1 field, not known exactly"),
            tuple(5, "delete", "t6", "gone"));
    assertThat(versions.versions().get(1).diff().rows()).extracting(DiffRow::op, DiffRow::name, DiffRow::before,
        DiffRow::after).containsExactly(tuple("changed", "b", "2", "3"));
    Version uncaptured = versions.versions().get(2);
    assertThat(uncaptured.size()).isEqualTo(8L);
    assertThat(uncaptured.note()).startsWith("value not captured (8 B written)");
    assertThat(uncaptured.diff().form()).isEqualTo("none");
    assertThat(versions.versions().get(3).note()).contains("earlier write was not captured");
    assertThat(versions.versions().get(3).exact()).isFalse();
    assertThat(versions.versions().get(4).diff().rows()).extracting(DiffRow::op, DiffRow::name)
        .containsExactly(tuple("removed", "c"));
    assertThat(versions.captured()).isEqualTo(3);
    assertThat(versions.notes()).anyMatch(n -> n.startsWith("Some writes carry no captured value"));
  }

  @Test
  void shouldKnowTheValueExactlyAgainAfterAWholeReplaceAndMarkACutValue() {
    List<CapturedValue> values = List.of(
        cut(1, "t1", "abc", 70_000),
        write(3, "t3", "SET", ValueChange.REPLACE, "string", "hello"),
        write(4, "t4", "APPEND", ValueChange.APPEND, "string", " world"));
    KeyVersions versions = VersionHistory.build("k", values, timeline(event(2, "write", "t2", "INCR", 2L)), 100,
        false);

    assertThat(versions.versions()).extracting(Version::what, Version::truncated, Version::exact, Version::summary)
        .containsExactly(
            tuple("write", true, false, "string, 3 B, not known exactly"),
            tuple("write_not_captured", false, false, "not known"),
            tuple("write", false, true, "string, 5 B"),
            tuple("write", false, true, "string, 11 B"));
    assertThat(versions.versions().get(0).note()).contains("cut at the agent's cap").contains("3 of 70000 B captured");
    assertThat(versions.versions().get(3).diff().rows()).extracting(DiffRow::op, DiffRow::before, DiffRow::after)
        .containsExactly(tuple("changed", "hello", "hello world"));
  }

  @Test
  void shouldShowTheNewestVersionsFromTheRightValueAndSayWhenNoneWasCaptured() {
    List<CapturedValue> values = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      values.add(write(i, "t" + i, "RPUSH", ValueChange.PUSH_TAIL, "list", "[\"e" + i + "\"]"));
    }
    KeyVersions newest = VersionHistory.build("k", values, timeline(), 3, false);
    assertThat(newest.truncated()).isTrue();
    assertThat(newest.versions()).extracting(Version::number, Version::summary).containsExactly(
        tuple(8, "list, 8 elements"), tuple(9, "list, 9 elements"), tuple(10, "list, 10 elements"));
    assertThat(newest.versions().get(2).diff().rows()).extracting(DiffRow::name, DiffRow::after)
        .containsExactly(tuple("[9]", "e9"));

    KeyVersions sizes = VersionHistory.build("k", List.of(), timeline(event(1, "write", "t1", "SET", 4L),
        event(2, "expiry", null, "expired", null)), 100, false);
    assertThat(sizes.versions()).extracting(Version::what).containsExactly("write_not_captured", "expiry");
    assertThat(sizes.notes().get(0)).startsWith("No value of this key was captured");
  }

  @Test
  void shouldLeaveOutARemovalOfNothingAndAFailedWrite() {
    KeyTimeline.Event failed = new KeyTimeline.Event(micros(2), "write", "trace", "SET by agent-app (trace t2), failed",
        "redis", "SET", "agent-app", "t2", "s2", null, null, "k", "notes", 3L, null, null, null, List.of(), null,
        List.of(), null, null);
    KeyVersions versions = VersionHistory.build("k", List.of(write(3, "t3", "SET", ValueChange.REPLACE, "string",
        "x")), timeline(event(1, "delete", "t1", "DEL", null), failed, event(3, "write", "t3", "SET", 1L)), 100, false);
    assertThat(versions.versions()).extracting(Version::what, Version::traceId).containsExactly(tuple("write", "t3"));
  }

  @Test
  void shouldReadAFieldRemovalAsAChangeAndOnlyAKeyDeleteAsTheValueGone() {
    List<CapturedValue> values = List.of(
        write(1, "t1", "HSET", ValueChange.FIELDS_SET, "hash", "{\"a\":\"1\",\"b\":\"2\"}"),
        write(2, "t2", "HDEL", ValueChange.FIELDS_REMOVED, "hash", "[\"a\"]"));
    KeyVersions versions = VersionHistory.build("k", values, timeline(event(1, "write", "t1", "HSET", 9L),
        event(2, "delete", "t2", "HDEL", null), event(3, "delete", "t3", "forget (HDEL)", null),
        event(4, "delete", "t4", "delete (DEL)", null)), 100, false);
    assertThat(versions.versions()).extracting(Version::what, Version::change, Version::traceId).containsExactly(
        tuple("write", "fields_set", "t1"), tuple("write", "fields_removed", "t2"),
        tuple("write_not_captured", null, "t3"), tuple("delete", null, "t4"));
    assertThat(versions.versions().get(1).diff().rows()).extracting(DiffRow::op, DiffRow::name)
        .containsExactly(tuple("removed", "a"));
  }
}
