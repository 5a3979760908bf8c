package io.memtrace.collector.reader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memtrace.collector.SpanFixtures;
import io.memtrace.collector.snapshots.NamespaceGlobs;
import io.memtrace.collector.travel.AsOfRestore;
import io.memtrace.collector.travel.Rebuild;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValueChange;
import io.memtrace.collector.values.ValueEventFixtures;
import io.memtrace.collector.values.ValuesRequest;
import io.memtrace.common.NamespaceRule;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The captured-values question every {@link StoreReader} answers ({@link StoreReader#capturedValues}), asked of the
 * same spans ({@link ValueEventFixtures#session()}) with the same answers expected of every store, and the rule that
 * a query reads the values only when asked. A store's test says only how the spans get into it and what its values
 * table is called.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ValuesContract {

  @AutoClose
  private StoreReader reader;

  /** A reader of a new store holding the spans. */
  protected abstract StoreReader load(Path dir, List<ExportTraceServiceRequest> spans) throws Exception;

  /** The store's table of captured values. */
  protected abstract String valuesTable();

  @BeforeAll
  void loadFixtures(@TempDir Path dir) throws Exception {
    reader = load(dir, List.of(ValueEventFixtures.session()));
  }

  protected StoreReader reader() {
    return reader;
  }

  private static Instant at(long offsetMillis) {
    return Instant.ofEpochSecond(0, SpanFixtures.T0 + offsetMillis * 1_000_000);
  }

  @Test
  void shouldAnswerOneKeysValueWithTheSpanItCameOn() {
    assertThat(reader.capturedValues(new ValuesRequest("sess:1:name", null, null, null, 10))).singleElement()
        .satisfies(v -> {
          assertThat(v.traceId()).isEqualTo(ValueEventFixtures.TRACE);
          assertThat(v.spanId()).hasSize(16);
          assertThat(v.seq()).as("the malformed events after it keep their places").isZero();
          assertThat(v.time()).isEqualTo(at(1));
          assertThat(v.service()).isEqualTo("values-app");
          assertThat(v.redis()).isEqualTo("127.0.0.1:6379");
          assertThat(v.db()).isZero();
          assertThat(v.namespace()).isEqualTo("sess:1");
          assertThat(v.operation()).isEqualTo("SET");
          assertThat(v.change()).isEqualTo(ValueChange.REPLACE);
          assertThat(v.type()).isEqualTo("string");
          assertThat(v.base64()).isFalse();
          assertThat(v.value()).isEqualTo("secret-alice");
          assertThat(v.size()).isEqualTo(12);
          assertThat(v.truncated()).isFalse();
        });
  }

  @Test
  void shouldAnswerANamespaceGlobOldestFirstWithinTheTimeRange() {
    assertThat(reader.capturedValues(new ValuesRequest(null, "sess:*", null, null, 10)))
        .extracting(CapturedValue::key).containsExactly("sess:1:name", "sess:1:profile", "sess:1:a");
    assertThat(reader.capturedValues(new ValuesRequest(null, "*", at(11), at(32), 10)))
        .as("from inclusive, to exclusive").extracting(CapturedValue::key)
        .containsExactly("sess:1:profile", "sess:1:a", "cache:b");
    assertThat(reader.capturedValues(new ValuesRequest(null, "*", null, null, 2))).as("the oldest, up to the limit")
        .extracting(CapturedValue::key).containsExactly("sess:1:name", "sess:1:profile");
    assertThat(reader.capturedValues(new ValuesRequest(null, "sess", null, null, 10))).as("a glob matches whole")
        .isEmpty();
    assertThat(reader.capturedValues(new ValuesRequest(null, "s?ss:1", null, null, 10))).hasSize(3);
  }

  @Test
  void shouldKeepEachValueOfAnMsetAndAMemoryManagerValue() {
    assertThat(reader.capturedValues(new ValuesRequest("cache:b", null, null, null, 10))).singleElement()
        .satisfies(v -> {
          assertThat(v.namespace()).as("its own namespace, not the span's").isEqualTo("cache");
          assertThat(v.seq()).isEqualTo(1);
          assertThat(v.operation()).isEqualTo("MSET");
        });
    assertThat(reader.capturedValues(new ValuesRequest("note-7", null, null, null, 10))).singleElement()
        .satisfies(v -> {
          assertThat(v.redis()).isEmpty();
          assertThat(v.db()).isZero();
          assertThat(v.namespace()).isEqualTo("notes");
          assertThat(v.operation()).isEqualTo("store");
          assertThat(v.type()).isEqualTo("object");
          assertThat(v.value()).isEqualTo("{\"text\":\"remember the milk\"}");
        });
    assertThat(reader.capturedValues(new ValuesRequest("sess:1:profile", null, null, null, 10))).singleElement()
        .satisfies(v -> assertThat(v.change()).isEqualTo(ValueChange.FIELDS_SET));
  }

  @Test
  void shouldLeaveNoValueInTheSpansEvents() {
    assertThat(reader.query("SELECT count(*) AS n FROM spans WHERE CAST(events AS VARCHAR) LIKE '%memory.value%' "
        + "OR CAST(events AS VARCHAR) LIKE '%secret-alice%'").number(0, "n")).isZero();
    assertThat(reader.query("SELECT count(*) AS n FROM spans WHERE CAST(events AS VARCHAR) LIKE '%memory.set.started%'")
        .number(0, "n")).as("the spans' other events stay").isEqualTo(3);
  }

  @Test
  void shouldRebuildANamespaceAsOfAMomentFromThisStoresValuesAndChanges() {
    // no snapshot: only keys a captured write set whole are rebuilt; the hash written one field at a time is not
    NamespaceGlobs sessions = NamespaceGlobs.parse("--namespace", "sess:*", NamespaceRule.defaultRule());
    Rebuild.Result early = AsOfRestore.rebuild(new AsOfRestore.Plan(at(15), sessions, null, null, null, null), null,
        reader);
    assertThat(early.entries()).extracting(e -> e.keyText() + "=" + new String((byte[]) e.value(), UTF_8))
        .containsExactly("sess:1:name=secret-alice");
    assertThat(early.account().namespaces().get("sess:1").exact()).isEqualTo(1);
    assertThat(early.account().notRebuildable()).as("sess:1:profile, a field with no base").isEqualTo(1);
    Rebuild.Result later = AsOfRestore.rebuild(new AsOfRestore.Plan(at(40), sessions, null, null, null, null), null,
        reader);
    assertThat(later.entries()).extracting(e -> e.keyText()).containsExactly("sess:1:a", "sess:1:name");
  }

  @Test
  void shouldReadTheValuesTableOnlyWhenAsked() {
    assertThatThrownBy(() -> reader.query("SELECT value FROM " + valuesTable()))
        .hasMessageContaining("captured values").hasMessageContaining("--include-values");
    assertThat(reader.queryWithValues("SELECT count(*) AS n FROM " + valuesTable()).number(0, "n")).isEqualTo(5);
  }
}
