package io.memtrace.collector.values;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.ingest.OtlpIngest;
import io.memtrace.collector.ingest.OtlpJsonLines;
import io.memtrace.collector.ingest.ValueEvents;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.store.SpanRow;
import io.memtrace.collector.store.SpanStore;
import io.memtrace.collector.store.StoreFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memory.value events leave the spans at ingest, whichever way they come, and land in key_value. */
class ValueIngestTest {

  @TempDir
  Path dir;

  @Test
  void shouldTakeValueEventsOutOfProtobufSpansAndStoreThemApart() throws Exception {
    long malformedBefore = ValueEvents.malformed();
    List<SpanRow> rows = OtlpIngest.decodeSpans(false, ValueEventFixtures.session().toByteArray());

    assertThat(rows).hasSize(4);
    assertThat(rows).allSatisfy(r -> assertThat(r.eventsJson()).doesNotContain("memory.value")
        .doesNotContain("secret-alice"));
    assertThat(rows.get(0).eventsJson()).as("other events stay").contains("memory.set.started");
    assertThat(ValueEvents.malformed() - malformedBefore).as("no key, unknown change: dropped and counted")
        .isEqualTo(2);

    store(rows);
    try (StoreReader reader = EmbeddedReader.local(new StoreFiles(dir))) {
      List<CapturedValue> name = reader.capturedValues(new ValuesRequest("sess:1:name", null, null, null, 10));
      assertThat(name).singleElement().satisfies(v -> {
        assertThat(v.value()).isEqualTo("secret-alice");
        assertThat(v.change()).isEqualTo(ValueChange.REPLACE);
        assertThat(v.type()).isEqualTo("string");
        assertThat(v.redis()).isEqualTo("127.0.0.1:6379");
        assertThat(v.namespace()).isEqualTo("sess:1");
        assertThat(v.operation()).isEqualTo("SET");
        assertThat(v.service()).isEqualTo("values-app");
        assertThat(v.size()).isEqualTo(12);
        assertThat(v.seq()).isZero();
        assertThat(v.time()).isEqualTo(Instant.ofEpochSecond(0, io.memtrace.collector.SpanFixtures.T0 + 1_000_000));
      });
      List<CapturedValue> session = reader.capturedValues(new ValuesRequest(null, "sess:*", null, null, 10));
      assertThat(session).extracting(CapturedValue::key).containsExactly("sess:1:name", "sess:1:profile", "sess:1:a");
      assertThat(reader.capturedValues(new ValuesRequest("cache:b", null, null, null, 10)))
          .singleElement().satisfies(v -> {
            assertThat(v.namespace()).as("an MSET key of another namespace gets its own").isEqualTo("cache");
            assertThat(v.seq()).isEqualTo(1);
          });
      assertThat(reader.capturedValues(new ValuesRequest("note-7", null, null, null, 10))).singleElement()
          .satisfies(v -> {
            assertThat(v.redis()).isEmpty();
            assertThat(v.operation()).isEqualTo("store");
            assertThat(v.type()).isEqualTo("object");
          });
      assertThat(reader.capturedValues(new ValuesRequest(null, "*", null,
          Instant.ofEpochSecond(0, io.memtrace.collector.SpanFixtures.T0 + 15_000_000), 10)))
          .as("to is exclusive, oldest first").extracting(CapturedValue::key)
          .containsExactly("sess:1:name", "sess:1:profile");
      ResultTable spans = reader.query("SELECT count(*) AS n FROM spans WHERE events::VARCHAR LIKE '%memory.value%'");
      assertThat(spans.number(0, "n")).isZero();
      assertThat(reader.query("SELECT count(*) AS n FROM spans").number(0, "n")).as("every span kept").isEqualTo(4);
    }
  }

  @Test
  void shouldTakeValueEventsOutOfJsonAndImportLines() throws Exception {
    String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
        + "{\"stringValue\":\"json-app\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"io.memtrace\"},\"spans\":[{"
        + "\"traceId\":\"5a1e0000000000000000000000000002\",\"spanId\":\"00000000000000a1\",\"name\":\"RPUSH\","
        + "\"kind\":3,\"startTimeUnixNano\":\"1732089600000000000\",\"endTimeUnixNano\":\"1732089600001000000\","
        + "\"attributes\":[{\"key\":\"db.system.name\",\"value\":{\"stringValue\":\"redis\"}},"
        + "{\"key\":\"db.operation.name\",\"value\":{\"stringValue\":\"RPUSH\"}}],"
        + "\"events\":[{\"name\":\"memory.value\",\"timeUnixNano\":\"1732089600001000000\",\"attributes\":["
        + "{\"key\":\"memory.key\",\"value\":{\"stringValue\":\"chat:9:log\"}},"
        + "{\"key\":\"memory.value.change\",\"value\":{\"stringValue\":\"push_tail\"}},"
        + "{\"key\":\"memory.value.type\",\"value\":{\"stringValue\":\"list\"}},"
        + "{\"key\":\"memory.value\",\"value\":{\"stringValue\":\"[\\\"hi\\\"]\"}},"
        + "{\"key\":\"memory.value.encoding\",\"value\":{\"stringValue\":\"utf8\"}},"
        + "{\"key\":\"memory.value.size\",\"value\":{\"intValue\":\"6\"}},"
        + "{\"key\":\"memory.value.truncated\",\"value\":{\"boolValue\":true}}]}]}]}]}]}";
    for (List<SpanRow> rows : List.of(OtlpIngest.decodeSpans(true, json.getBytes(StandardCharsets.UTF_8)),
        OtlpJsonLines.decode(json).spans())) {
      assertThat(rows).singleElement().satisfies(r -> {
        assertThat(r.eventsJson()).isEqualTo("[]");
        assertThat(r.values()).singleElement().satisfies(v -> {
          assertThat(v.key()).isEqualTo("chat:9:log");
          assertThat(v.change()).isEqualTo(ValueChange.PUSH_TAIL);
          assertThat(v.value()).isEqualTo("[\"hi\"]");
          assertThat(v.truncated()).isTrue();
          assertThat(v.namespace()).isEqualTo("chat:9");
        });
      });
    }
  }

  private void store(List<SpanRow> rows) throws Exception {
    try (SpanStore store = SpanStore.open(new StoreFiles(dir))) {
      store.writer().writeSpans(rows).get(30, TimeUnit.SECONDS);
    }
  }
}
