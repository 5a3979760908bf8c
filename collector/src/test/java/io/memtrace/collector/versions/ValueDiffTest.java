package io.memtrace.collector.versions;

import static io.memtrace.collector.versions.Writes.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.memtrace.collector.values.ValueChange;
import io.memtrace.collector.values.ValueState;
import org.junit.jupiter.api.Test;

class ValueDiffTest {

  private static ValueState state(ValueChange change, String type, String value) {
    ValueState state = ValueState.absent();
    state.apply(write(0, "t", "CMD", change, type, value));
    return state;
  }

  /** A copy of {@code state} with {@code writes} applied. */
  private static ValueState then(ValueState state, io.memtrace.collector.values.CapturedValue... writes) {
    ValueState after = state.copy();
    for (io.memtrace.collector.values.CapturedValue w : writes) {
      after.apply(w);
    }
    return after;
  }

  @Test
  void shouldShowHashFieldsAddedRemovedAndChanged() {
    ValueState before = state(ValueChange.FIELDS_SET, "hash", "{\"name\":\"Ada\",\"city\":\"Paris\",\"age\":\"36\"}");
    ValueState after = then(before,
        write(1, "t", "HSET", ValueChange.FIELDS_SET, "hash", "{\"city\":\"London\",\"email\":\"a@b\"}"),
        write(2, "t", "HDEL", ValueChange.FIELDS_REMOVED, "hash", "[\"age\"]"));

    Diff diff = ValueDiff.of(before, after);

    assertThat(diff.form()).isEqualTo("fields");
    assertThat(diff.rows()).extracting(DiffRow::op, DiffRow::name, DiffRow::before, DiffRow::after).containsExactly(
        tuple("changed", "city", "Paris", "London"), tuple("removed", "age", "36", null),
        tuple("added", "email", null, "a@b"));
  }

  @Test
  void shouldShowNestedJsonChangesByPathAndAnAppendedMessageAsOneElement() {
    ValueState before = state(ValueChange.REPLACE, "object",
        "{\"user\":{\"name\":\"Ada\",\"tags\":[\"a\"]},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"v\":1}");
    ValueState after = state(ValueChange.REPLACE, "object",
        "{\"user\":{\"name\":\"Ada L.\",\"tags\":[\"a\"]},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"assistant\",\"content\":\"hello\"}],\"weird key\":true}");

    Diff diff = ValueDiff.of(before, after);

    assertThat(diff.form()).isEqualTo("json");
    assertThat(diff.rows()).extracting(DiffRow::op, DiffRow::name, DiffRow::before, DiffRow::after).containsExactly(
        tuple("changed", "$.user.name", "Ada", "Ada L."),
        tuple("added", "$.messages[1]", null, "{\"role\":\"assistant\",\"content\":\"hello\"}"),
        tuple("removed", "$.v", "1", null),
        tuple("added", "$[\"weird key\"]", null, "true"));
  }

  @Test
  void shouldDiffAJsonStringByPathAndAChangedArrayElementInside() {
    ValueState before = state(ValueChange.REPLACE, "string", "[{\"id\":1,\"done\":false},{\"id\":2,\"done\":false}]");
    ValueState after = state(ValueChange.REPLACE, "string", "[{\"id\":1,\"done\":false},{\"id\":2,\"done\":true}]");

    assertThat(ValueDiff.of(before, after).rows()).extracting(DiffRow::op, DiffRow::name, DiffRow::before,
        DiffRow::after).containsExactly(tuple("changed", "$[1].done", "false", "true"));
  }

  @Test
  void shouldDiffTextByLinesWithContextAndFoldLongUnchangedRuns() {
    StringBuilder was = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      was.append("line ").append(i).append(i < 20 ? "\n" : "");
    }
    String is = was.toString().replace("line 10\n", "line ten\nline 10.5\n").replace("line 3\n", "");
    Diff diff = ValueDiff.of(state(ValueChange.REPLACE, "string", was.toString()),
        state(ValueChange.REPLACE, "string", is));

    assertThat(diff.form()).isEqualTo("lines");
    assertThat(diff.rows()).extracting(DiffRow::op, DiffRow::before, DiffRow::after, DiffRow::beforeLine,
        DiffRow::afterLine).containsExactly(
        tuple("same", "line 1", "line 1", 1, 1), tuple("same", "line 2", "line 2", 2, 2),
        tuple("removed", "line 3", null, 3, null),
        tuple("same", "line 4", "line 4", 4, 3), tuple("same", "line 5", "line 5", 5, 4),
        tuple("skipped", null, null, null, null),
        tuple("same", "line 8", "line 8", 8, 7), tuple("same", "line 9", "line 9", 9, 8),
        tuple("changed", "line 10", "line ten", 10, 9), tuple("added", null, "line 10.5", null, 10),
        tuple("same", "line 11", "line 11", 11, 11), tuple("same", "line 12", "line 12", 12, 12),
        tuple("skipped", null, null, null, null));
    assertThat(diff.rows().get(5).name()).isEqualTo("2 unchanged lines");
    assertThat(diff.rows().get(12).name()).isEqualTo("8 unchanged lines");
  }

  @Test
  void shouldShowListPushesAsElementsAddedAtTheirEnds() {
    ValueState before = state(ValueChange.PUSH_TAIL, "list", "[\"b\",\"c\"]");
    ValueState after = then(before, write(1, "t", "RPUSH", ValueChange.PUSH_TAIL, "list", "[\"d\"]"),
        write(2, "t", "LPUSH", ValueChange.PUSH_HEAD, "list", "[\"a\"]"));

    assertThat(ValueDiff.of(before, after).rows()).extracting(DiffRow::op, DiffRow::name, DiffRow::after)
        .containsExactly(tuple("added", "[0]", "a"), tuple("added", "[3]", "d"));
    assertThat(ValueDiff.of(after, ValueState.absent()).rows()).extracting(DiffRow::op, DiffRow::name,
        DiffRow::before).containsExactly(tuple("removed", "[0]", "a"), tuple("removed", "[1]", "b"),
        tuple("removed", "[2]", "c"), tuple("removed", "[3]", "d"));
  }

  @Test
  void shouldShowSetMembersAndSortedSetScores() {
    ValueState set = state(ValueChange.MEMBERS_ADDED, "set", "[\"x\",\"y\"]");
    ValueState set2 = then(set, write(1, "t", "SREM", ValueChange.MEMBERS_REMOVED, "set", "[\"x\"]"),
        write(2, "t", "SADD", ValueChange.MEMBERS_ADDED, "set", "[\"z\"]"));
    assertThat(ValueDiff.of(set, set2).rows()).extracting(DiffRow::op, DiffRow::before, DiffRow::after)
        .containsExactly(tuple("removed", "x", null), tuple("added", null, "z"));

    ValueState zset = state(ValueChange.MEMBERS_ADDED, "zset", "{\"a\":1,\"b\":2}");
    ValueState zset2 = then(zset, write(1, "t", "ZADD", ValueChange.MEMBERS_ADDED, "zset", "{\"a\":1.5,\"c\":3}"),
        write(2, "t", "ZREM", ValueChange.MEMBERS_REMOVED, "zset", "[\"b\"]"));
    Diff diff = ValueDiff.of(zset, zset2);
    assertThat(diff.form()).isEqualTo("scores");
    assertThat(diff.rows()).extracting(DiffRow::op, DiffRow::name, DiffRow::before, DiffRow::after).containsExactly(
        tuple("changed", "a", "1", "1.5"), tuple("removed", "b", "2", null), tuple("added", "c", null, "3"));
  }

  @Test
  void shouldShowATypeChangeAsTheOldValueRemovedAndTheNewAdded() {
    Diff diff = ValueDiff.of(state(ValueChange.MEMBERS_ADDED, "set", "[\"m\"]"),
        state(ValueChange.FIELDS_SET, "hash", "{\"f\":\"v\"}"));
    assertThat(diff.form()).isEqualTo("fields");
    assertThat(diff.rows()).extracting(DiffRow::op, DiffRow::name, DiffRow::before, DiffRow::after)
        .containsExactly(tuple("removed", null, "m", null), tuple("added", "f", null, "v"));
  }

  @Test
  void shouldCapTheRowsAndTheCellsAndShowTwoUnrelatedLongTextsAsReplacedWhole() {
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 3_000; i++) {
      a.append("a").append(i).append('\n');
      b.append("b").append(i).append('\n');
    }
    Diff diff = ValueDiff.of(state(ValueChange.REPLACE, "string", a.toString()),
        state(ValueChange.REPLACE, "string", b.toString()));
    assertThat(diff.rows()).hasSize(ValueDiff.MAX_ROWS);
    assertThat(diff.rows()).allMatch(r -> r.op().equals("changed"));
    assertThat(diff.more()).isEqualTo(3_001 - ValueDiff.MAX_ROWS);

    String huge = "x".repeat(ValueDiff.MAX_CELL + 10);
    assertThat(ValueDiff.of(ValueState.absent(), state(ValueChange.REPLACE, "string", huge)).rows().get(0).after())
        .endsWith("x …[10 more characters]");
  }

  @Test
  void shouldShowBytesThatAreNotUtf8AsBase64() {
    ValueState state = ValueState.absent();
    state.apply(new io.memtrace.collector.values.CapturedValue("t", "s", 0, java.time.Instant.EPOCH, "svc", "", 0,
        "ns", "k", "SET", ValueChange.REPLACE, "string", true, "/2E=", 2, false));
    assertThat(ValueDiff.of(ValueState.absent(), state).rows()).extracting(DiffRow::after)
        .containsExactly("base64:/2E=");
  }
}
