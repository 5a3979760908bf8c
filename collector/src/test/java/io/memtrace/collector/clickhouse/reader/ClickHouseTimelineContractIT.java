package io.memtrace.collector.clickhouse.reader;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.embedded.EmbeddedReader;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.collector.reader.StoreReader;
import io.memtrace.collector.reader.TimelineContract;
import io.memtrace.collector.reader.TimelineFixtures;
import io.memtrace.collector.reader.TimelineRequest;
import io.memtrace.collector.store.StoreFiles;
import io.memtrace.collector.store.TestStores;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The ClickHouse store answers the timeline contract: the spans written into {@code otel_traces} as the OpenTelemetry
 * Collector's exporter writes them (memtrace_ops fills itself), the notification rows into
 * {@code memtrace_key_notifications} and {@code memtrace_key_notification_status}; and every key's timeline equals
 * the embedded store's, given the same rows.
 */
class ClickHouseTimelineContractIT extends TimelineContract {

  private ChdbFront front;
  private List<ExportTraceServiceRequest> spans;
  private List<TimelineFixtures.Note> notifications;
  private List<TimelineFixtures.Status> statuses;
  private Path dir;

  @Override
  protected StoreReader load(Path dir, List<ExportTraceServiceRequest> spans, List<TimelineFixtures.Note> notifications,
      List<TimelineFixtures.Status> statuses) throws Exception {
    this.dir = dir;
    this.spans = spans;
    this.notifications = notifications;
    this.statuses = statuses;
    front = ChdbFront.start(dir.resolve("chdb"));
    ClickHouseUrl url = FleetFront.load(front, spans);
    try (Client client = FleetFront.client(front)) {
      StringBuilder rows = new StringBuilder();
      for (TimelineFixtures.Note n : notifications) {
        rows.append(String.format("{\"Store\":\"%s\",\"Db\":%d,\"Namespace\":\"%s\",\"Key\":\"%s\",\"Timestamp\":\"%s\","
            + "\"Event\":\"%s\",\"Kind\":\"%s\",\"Weight\":1}\n", n.redis(), n.db(), n.namespace(), n.key(),
            time(n.micros()), n.event(), n.kind()));
      }
      client.insert("memtrace_key_notifications", new ByteArrayInputStream(rows.toString()
          .getBytes(StandardCharsets.UTF_8)), ClickHouseFormat.JSONEachRow).get(60, TimeUnit.SECONDS).close();
      rows.setLength(0);
      for (TimelineFixtures.Status s : statuses) {
        rows.append(String.format("{\"Time\":\"%s\",\"Redis\":\"%s\",\"State\":\"%s\",\"NotifyConfig\":\"%s\","
            + "\"Received\":0,\"Recorded\":0,\"DroppedRate\":%d,\"DroppedSampled\":0,\"DroppedQueue\":0,\"Error\":\"\","
            + "\"Namespaces\":\"%s\",\"DroppedNamespaces\":%s}\n", time(s.micros()), s.redis(), s.state(), s.config(),
            s.dropped(), s.namespaces(), s.droppedNamespaces() == null ? "null" : "\"" + s.droppedNamespaces() + "\""));
      }
      client.insert("memtrace_key_notification_status", new ByteArrayInputStream(rows.toString()
          .getBytes(StandardCharsets.UTF_8)), ClickHouseFormat.JSONEachRow).get(60, TimeUnit.SECONDS).close();
    }
    return ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD);
  }

  /** A time as ClickHouse reads a DateTime64 from JSON: {@code 2024-11-20 08:00:00.102000}, UTC. */
  private static String time(long micros) {
    return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000).toString().replace('T', ' ')
        .replace("Z", "");
  }

  @AfterAll
  void stopFront() throws Exception {
    if (front != null) {
      front.close();
    }
  }

  /** The differential half: every fixture key's whole answer equals the embedded store's, value for value. */
  @Test
  void shouldAnswerEveryKeyAsTheEmbeddedStoreDoes() throws Exception {
    Path embedded = dir.resolve("embedded");
    TestStores.fill(embedded, spans);
    io.memtrace.collector.embedded.EmbeddedTimelineRows.insert(embedded, notifications, statuses);
    try (StoreReader local = EmbeddedReader.local(new StoreFiles(embedded))) {
      List<String> keys = new java.util.ArrayList<>(List.of("plan-a", "plan-b", "cache:c1", "nocov:1", "nocov:2",
          "nocov:3"));
      keys.addAll(TimelineFixtures.COVERAGE_KEYS);
      for (String key : keys) {
        assertThat(timeline(new TimelineRequest(key))).as(key)
            .isEqualTo(local.timeline(new TimelineRequest(key)));
      }
    }
  }

  /**
   * Many keys asked together ({@link ClickHouseReader#timelines}: each table once for all of them) give each key the
   * answer it has asked alone; the rows of {@code cache:c1} and {@code plans:plan-a} are also of the records
   * {@code c1} and {@code plan-a} (a key's record ends with it after a separator), and {@code no-such-key} has none.
   */
  @Test
  void shouldAnswerManyKeysTogetherAsEachAlone() {
    List<String> keys = new java.util.ArrayList<>(List.of("plan-a", "plan-b", "cache:c1", "c1", "nocov:1",
        "no-such-key"));
    keys.addAll(TimelineFixtures.COVERAGE_KEYS);
    List<TimelineRequest> requests = keys.stream().map(TimelineRequest::new).toList();
    java.util.Map<TimelineRequest, io.memtrace.collector.reader.KeyTimeline> together =
        ((ClickHouseReader) reader()).timelines(requests);
    assertThat(together.keySet()).containsExactlyElementsOf(requests);
    for (TimelineRequest request : requests) {
      assertThat(together.get(request)).as(request.key()).isEqualTo(timeline(request));
    }
    assertThat(together.get(new TimelineRequest("plan-a")).events()).isNotEmpty();
    assertThat(together.get(new TimelineRequest("no-such-key")).events()).isEmpty();
  }

  /**
   * The lineage of many reads at once ({@link ClickHouseReader#readLineage}: every read of the fixture's traces in one
   * statement, their keys' timelines asked together) is the answer the web view's {@code read_lineage} gives each read
   * alone, the changes only notifications know of taken in: checked for one read of each kind of answer (a write seen,
   * a change outside the traced services, ...), as each read alone costs a dozen statements.
   */
  @Test
  void shouldGiveManyReadsTheLineageTheWebViewGivesEachAlone() {
    ClickHouseReader fleet = (ClickHouseReader) reader();
    // the traces whose keys are within one call's keys whose timelines are asked: past them a read keeps the join's
    // answer
    io.memtrace.collector.query.ResultTable ids = fleet.query("SELECT DISTINCT trace_id, attributes['memory.key'] AS "
        + "key FROM spans WHERE attributes['memory.key'] != '' ORDER BY trace_id, key");
    java.util.Map<String, java.util.Set<String>> keysOf = new java.util.TreeMap<>();
    for (int i = 0; i < ids.size(); i++) {
      keysOf.computeIfAbsent(ids.text(i, "trace_id"), t -> new java.util.TreeSet<>()).add(ids.text(i, "key"));
    }
    List<String> traces = new java.util.ArrayList<>();
    java.util.Set<String> named = new java.util.TreeSet<>();
    keysOf.forEach((trace, keys) -> {
      java.util.Set<String> more = new java.util.TreeSet<>(named);
      more.addAll(keys);
      if (more.size() <= io.memtrace.collector.timeline.MissCauses.MAX_KEYS) {
        traces.add(trace);
        named.addAll(keys);
      }
    });
    io.memtrace.collector.query.ResultTable rows = fleet.readLineage(traces);
    java.util.Map<String, Integer> firstOfKind = new java.util.TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      firstOfKind.putIfAbsent(rows.text(i, "writer") + "/" + rows.text(i, "found") + "/" + rows.text(i, "miss"), i);
    }
    assertThat(rows.size()).isGreaterThan(5);
    assertThat(firstOfKind.keySet()).as("the kinds of answer").anyMatch(k -> k.startsWith("seen/"))
        .anyMatch(k -> k.startsWith("outside/"));
    for (int i : firstOfKind.values()) {
      String span = rows.text(i, "read_span_id");
      io.memtrace.collector.query.ResultTable one = fleet.view(new io.memtrace.collector.reader.ViewQuestion(
          io.memtrace.collector.reader.ViewQuestion.Kind.READ_LINEAGE, java.util.Map.of("trace",
              rows.text(i, "read_trace_id"), "span", span, "start", rows.text(i, "read_time_us")))).table();
      assertThat(one.size()).as(span).isEqualTo(1);
      for (String column : List.of("writer", "write_trace_id", "write_span_id", "write_access", "found", "key",
          "miss")) {
        assertThat(one.text(0, column)).as(span + " " + column).isEqualTo(rows.text(i, column));
      }
      assertThat(one.text(0, "write_us")).as(span).isEqualTo(rows.text(i, "write_time_us"));
    }
  }
}
