package io.memtrace.collector.travel;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.reader.KeyChange;
import io.memtrace.collector.redis.SnapshotEntry;
import io.memtrace.collector.redis.SnapshotFile;
import io.memtrace.collector.snapshots.NamespaceGlobs;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import io.memtrace.common.NamespaceRule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The rebuild's fold over in-memory inputs: a snapshot, captured values and key changes, times in seconds after T. */
class RebuildTest {

  private static final Instant T = Instant.parse("2026-11-27T07:00:00Z");
  private static final String REDIS = "localhost:6379";
  private static final NamespaceGlobs NOTES = NamespaceGlobs.parse("--namespace", "notes", NamespaceRule.defaultRule());

  private final List<CapturedValue> values = new ArrayList<>();
  private final List<KeyChange> changes = new ArrayList<>();
  private int spans;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static long us(double seconds) {
    return Rebuild.micros(T) + (long) (seconds * 1_000_000);
  }

  private static SnapshotFile base(SnapshotEntry... entries) {
    return new SnapshotFile(T, T.plusMillis(100), "redis://" + REDIS + "/0", 0, List.of("notes"), 0, Set.of(),
        List.of(entries));
  }

  /** A traced write at {@code at} s: its key event, and its captured value unless {@code payload} is null. */
  private String write(double at, String key, String command, ValueChange change, String type, String payload,
      Long ttl) {
    String span = String.format("%016x", ++spans);
    changes.add(new KeyChange(us(at) - 100, us(at), "span", REDIS, 0, key, "notes", "write", command, "t" + spans,
        span, "svc", ttl, false));
    if (payload != null) {
      values.add(new CapturedValue("t" + spans, span, 0, Instant.ofEpochSecond(0, us(at) * 1_000), "svc", REDIS, 0,
          "notes", key, command, change, type, false, payload, payload.length(), false));
    }
    return span;
  }

  private void span(double at, String key, String kind, String command, Long ttl) {
    changes.add(new KeyChange(us(at) - 100, us(at), "span", REDIS, 0, key, "notes", kind, command, "t" + (++spans),
        String.format("%016x", spans), "svc", ttl, false));
  }

  private void notification(double at, String key, String kind, String event) {
    changes.add(new KeyChange(us(at), us(at), "notification", "127.0.0.1:6379", 0, key, "notes", kind, event, null,
        null, null, null, false));
  }

  private Rebuild.Result rebuild(SnapshotFile base, double atSeconds) {
    values.sort(java.util.Comparator.comparing(CapturedValue::time));
    changes.sort(java.util.Comparator.comparingLong(KeyChange::endUs));
    return Rebuild.run(base, T.plusMillis((long) (atSeconds * 1000)), NOTES, values, changes);
  }

  /** A status row of the watcher of 127.0.0.1:6379 at {@code at} s. */
  private static io.memtrace.collector.timeline.RecordRows.StatusRow status(double at, String state, String namespaces) {
    return new io.memtrace.collector.timeline.RecordRows.StatusRow(us(at), "127.0.0.1:6379", state, "KEA", 0,
        namespaces, null);
  }

  @Test
  void shouldSayANamespaceWasNotWatchedWhenNotificationsDidNotCoverIt() {
    write(10, "notes:s", "SET", ValueChange.REPLACE, "string", "new", null);
    values.sort(java.util.Comparator.comparing(CapturedValue::time));
    SnapshotFile base = base();
    Instant at = T.plusSeconds(30);
    assertThat(Rebuild.run(base, at, NOTES, values, changes, List.of(status(-1, "on", "*"))).account().notes())
        .as("watched throughout: nothing to say").noneMatch(n -> n.contains("notes"));
    assertThat(Rebuild.run(base, at, NOTES, values, changes, List.of(status(-1, "on", "session:*"))).account()
        .notes()).anyMatch(n -> n.startsWith("namespace notes: not watched (namespace notes is outside the watched "
            + "namespaces (session:*; --keyspace-events-namespaces))"));
    assertThat(Rebuild.run(base, at, NOTES, values, changes, List.of(status(5, "on", "*"))).account().notes())
        .anyMatch(n -> n.startsWith("namespace notes: not watched (before the subscription"));
    assertThat(Rebuild.run(base, at, NOTES, values, changes, List.of(status(-1, "on", "*"),
        status(20, "disconnected", "*"))).account().notes())
        .anyMatch(n -> n.startsWith("namespace notes: not watched (inside a gap"));
  }

  private static Map<String, SnapshotEntry> byKey(Rebuild.Result r) {
    return r.entries().stream().collect(Collectors.toMap(SnapshotEntry::keyText, e -> e));
  }

  @Test
  void shouldApplyCapturedWritesToTheSnapshotAndKeepTheTtlLeftAtThatMoment() {
    SnapshotFile base = base(new SnapshotEntry(b("notes:h"), "hash", 60_000L, List.<byte[][]>of(new byte[][] {b("a"),
        b("1")})), new SnapshotEntry(b("notes:s"), "string", null, b("old")), new SnapshotEntry(b("other:x"),
        "string", null, b("x")));
    write(10, "notes:h", "HSET", ValueChange.FIELDS_SET, "hash", "{\"b\":\"2\"}", null);
    write(20, "notes:s", "SET", ValueChange.REPLACE, "string", "new", 30L);
    write(25, "notes:l", "RPUSH", ValueChange.PUSH_TAIL, "list", "[\"x\",\"y\"]", null);
    Rebuild.Result r = rebuild(base, 40);
    Map<String, SnapshotEntry> keys = byKey(r);
    assertThat(keys).containsOnlyKeys("notes:h", "notes:s", "notes:l");
    @SuppressWarnings("unchecked")
    List<byte[][]> fields = (List<byte[][]>) keys.get("notes:h").value();
    assertThat(fields.stream().map(p -> new String(p[0]) + "=" + new String(p[1]))).containsExactly("a=1", "b=2");
    // the snapshot's 60 s counted from when it was read (0.1 s), less the 40 s gone: HSET keeps a TTL
    assertThat(keys.get("notes:h").ttlMillis()).isEqualTo(20_100L);
    assertThat(new String((byte[]) keys.get("notes:s").value())).isEqualTo("new");
    assertThat(keys.get("notes:s").ttlMillis()).isEqualTo(10_000L);
    assertThat(keys.get("notes:l").ttlMillis()).isNull();
    assertThat(r.account().namespaces().get("notes").exact()).isEqualTo(3);
    assertThat(r.account().notRebuildable()).isZero();
  }

  @Test
  void shouldStopAtTheMomentAndLeaveOutWhatCameAfter() {
    write(10, "notes:s", "SET", ValueChange.REPLACE, "string", "first", null);
    write(30, "notes:s", "SET", ValueChange.REPLACE, "string", "second", null);
    assertThat(new String((byte[]) byKey(rebuild(base(), 20)).get("notes:s").value())).isEqualTo("first");
  }

  @Test
  void shouldRemoveKeysOnDeletesExpiriesEvictionsAndRunOutTtls() {
    SnapshotFile base = base(new SnapshotEntry(b("notes:d"), "string", null, b("d")),
        new SnapshotEntry(b("notes:e"), "string", null, b("e")), new SnapshotEntry(b("notes:v"), "string", null,
            b("v")), new SnapshotEntry(b("notes:t"), "string", 5_000L, b("t")),
        new SnapshotEntry(b("notes:x"), "string", null, b("x")), new SnapshotEntry(b("notes:p"), "string", 5_000L,
            b("p")));
    span(10, "notes:d", "delete", "DEL", null);
    notification(10.001, "notes:d", "delete", "del"); // the DEL's own: not an outside change
    notification(11, "notes:e", "expiry", "expired");
    notification(12, "notes:v", "eviction", "evicted");
    span(1, "notes:x", "ttl", "EXPIRE", 2L);
    span(1, "notes:p", "ttl", "PERSIST", null);
    Rebuild.Result r = rebuild(base, 20);
    assertThat(byKey(r)).containsOnlyKeys("notes:p");
    assertThat(byKey(r).get("notes:p").ttlMillis()).isNull();
    assertThat(r.account().namespaces().get("notes").absent()).isEqualTo(5);
    assertThat(r.account().notRebuildable()).isZero();
  }

  @Test
  void shouldNameKeysWrittenWithoutACapturedValueOrOutsideAndWriteNoneOfThem() {
    SnapshotFile base = base(new SnapshotEntry(b("notes:n"), "string", null, b("1")),
        new SnapshotEntry(b("notes:o"), "string", null, b("o")), new SnapshotEntry(b("notes:r"), "string", null,
            b("r")));
    write(10, "notes:n", "INCR", null, null, null, null);
    notification(10.01, "notes:n", "write", "incrby"); // INCR's own
    notification(12, "notes:o", "write", "set"); // nobody traced did it
    write(13, "notes:r", "INCR", null, null, null, null);
    write(14, "notes:r", "SET", ValueChange.REPLACE, "string", "again", null); // the whole value is known again
    Rebuild.Result r = rebuild(base, 20);
    assertThat(byKey(r)).containsOnlyKeys("notes:r");
    assertThat(r.account().namespaces().get("notes").byReason()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "written by a traced service without a captured value", 1L, "changed outside the traced services", 1L));
    assertThat(r.account().text()).contains("notes:n: INCR by svc (trace t1)").contains("notes:o: 'set' at");
  }

  @Test
  void shouldNotRebuildAValueCutAtTheCap() {
    write(10, "notes:c", "SET", ValueChange.REPLACE, "string", "abc", null);
    values.set(0, new CapturedValue(values.get(0).traceId(), values.get(0).spanId(), 0, values.get(0).time(), "svc",
        REDIS, 0, "notes", "notes:c", "SET", ValueChange.REPLACE, "string", false, "abc", 70_000, true));
    Rebuild.Result r = rebuild(base(), 20);
    assertThat(r.entries()).isEmpty();
    assertThat(r.account().namespaces().get("notes").byReason()).containsOnlyKeys("value cut at the capture cap");
  }

  @Test
  void shouldRebuildWithoutASnapshotOnlyWhatAWholeWriteSet() {
    write(10, "notes:w", "SET", ValueChange.REPLACE, "string", "w", null);
    write(11, "notes:h", "HSET", ValueChange.FIELDS_SET, "hash", "{\"f\":\"v\"}", null);
    Rebuild.Result r = rebuild(null, 20);
    assertThat(byKey(r)).containsOnlyKeys("notes:w");
    assertThat(r.account().namespaces().get("notes").byReason())
        .containsOnlyKeys("no snapshot before it and no captured write of the whole value");
    assertThat(r.account().notes()).anyMatch(n -> n.startsWith("no snapshot was taken"));
  }

  @Test
  void shouldCallAKeyTheSnapshotSkippedUnknown() {
    SnapshotFile base = new SnapshotFile(T, T.plusMillis(100), "x", 0, List.of("notes"), 1, Set.of("notes:big"),
        List.of());
    write(10, "notes:big", "RPUSH", ValueChange.PUSH_TAIL, "list", "[\"x\"]", null);
    write(10, "notes:new", "RPUSH", ValueChange.PUSH_TAIL, "list", "[\"x\"]", null);
    Rebuild.Result r = rebuild(base, 20);
    assertThat(byKey(r)).containsOnlyKeys("notes:new");
    assertThat(r.account().namespaces().get("notes").byReason())
        .containsOnlyKeys("left out of the base snapshot (over its ceilings)");
  }

  @Test
  void shouldTakeARemovalOfElementsForAChangeOfTheValueNotADeleteOfTheKey() {
    SnapshotFile base = base(new SnapshotEntry(b("notes:h"), "hash", null, List.<byte[][]>of(new byte[][] {b("a"),
        b("1")}, new byte[][] {b("b"), b("2")})), new SnapshotEntry(b("notes:l"), "list", null, List.of(b("x"),
        b("y"))));
    // HDEL is a 'delete' in the command overlay, with its fields captured
    changes.add(new KeyChange(us(5) - 100, us(5), "span", REDIS, 0, "notes:h", "notes", "delete", "HDEL", "t90",
        "0000000000000090", "svc", null, false));
    values.add(new CapturedValue("t90", "0000000000000090", 0, Instant.ofEpochSecond(0, us(5) * 1_000), "svc", REDIS, 0,
        "notes", "notes:h", "HDEL", ValueChange.FIELDS_REMOVED, "hash", false, "[\"a\"]", 5, false));
    span(6, "notes:l", "delete", "LTRIM", null); // no value event for LTRIM
    Rebuild.Result r = rebuild(base, 20);
    assertThat(byKey(r)).containsOnlyKeys("notes:h");
    @SuppressWarnings("unchecked")
    List<byte[][]> fields = (List<byte[][]>) byKey(r).get("notes:h").value();
    assertThat(fields.stream().map(p -> new String(p[0]))).containsExactly("b");
    assertThat(r.account().text()).contains("notes:l: LTRIM by svc");
  }
}
