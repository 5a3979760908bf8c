package io.memtrace.collector.truth;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.reader.ClickHouseReader;
import io.memtrace.collector.clickhouse.reader.FleetFront;
import io.memtrace.collector.clickhouse.reader.OtelTracesRows;
import io.memtrace.collector.it.CollectorProcess;
import io.memtrace.collector.query.TestQueryLimits;
import io.memtrace.testsupport.OtlpSink;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The run's store again on ClickHouse (chDB, behind the test front): the spans as serve forwarded them, written into
 * {@code otel_traces} as the OpenTelemetry Collector's exporter writes them, and the notifications and their status
 * rows as the embedded store recorded them; asked through a query-tier {@code serve --clickhouse}, the same HTTP
 * questions as the embedded store, and through the same reader in this process for many reads at once.
 */
final class ClickHouseTwin implements AutoCloseable {

  private final ChdbFront front;
  private final CollectorProcess tier;
  private final ClickHouseReader reader;

  private ClickHouseTwin(ChdbFront front, CollectorProcess tier, ClickHouseReader reader) {
    this.front = front;
    this.tier = tier;
    this.reader = reader;
  }

  static ClickHouseTwin load(Path dir, List<OtlpSink.Request> forwarded, MemtraceAnswers embedded) throws Exception {
    ChdbFront front = ChdbFront.start(dir.resolve("chdb"));
    try {
      ClickHouseUrl url = FleetFront.init(front);
      List<ExportTraceServiceRequest> payloads = new ArrayList<>();
      for (OtlpSink.Request r : forwarded) {
        if (r.path.endsWith("/v1/traces")) {
          payloads.add(ExportTraceServiceRequest.parseFrom(r.decodedBody()));
        }
      }
      try (Client client = FleetFront.client(front)) {
        insert(client, "otel_traces", OtelTracesRows.of(payloads));
        insert(client, "memtrace_key_notifications", jsonRows(embedded, "SELECT redis AS \"Store\", db AS \"Db\", "
            + "coalesce(namespace, '') AS \"Namespace\", key AS \"Key\", strftime(time, '%Y-%m-%d %H:%M:%S.%f') AS "
            + "\"Timestamp\", event AS \"Event\", kind AS \"Kind\", weight AS \"Weight\" FROM key_notification"));
        insert(client, "memtrace_key_notification_status", jsonRows(embedded, "SELECT strftime(time, "
            + "'%Y-%m-%d %H:%M:%S.%g') AS \"Time\", redis AS \"Redis\", state AS \"State\", "
            + "coalesce(notify_config, '') AS \"NotifyConfig\", coalesce(received, 0) AS \"Received\", "
            + "coalesce(recorded, 0) AS \"Recorded\", "
            + "coalesce(dropped_rate, 0) AS \"DroppedRate\", coalesce(dropped_sampled, 0) AS \"DroppedSampled\", "
            + "coalesce(dropped_queue, 0) AS \"DroppedQueue\", coalesce(error, '') AS \"Error\", "
            + "coalesce(namespaces, '') AS \"Namespaces\", dropped_namespaces AS \"DroppedNamespaces\" "
            + "FROM key_notification_status"));
      }
      CollectorProcess tier = CollectorProcess.serve(launch -> launch.env(ClickHouseUrl.USER_ENV, front.user())
          .env(ClickHouseUrl.PASSWORD_ENV, front.password()), dir.resolve("tier"), "--clickhouse", front.url("fleet"), "--query-timeout", TruthSuite.HANG_GUARD);
      return new ClickHouseTwin(front, tier, ClickHouseReader.open(url, TestQueryLimits.HANG_GUARD));
    } catch (Exception | AssertionError e) {
      front.close();
      throw e;
    }
  }

  /** The query tier's answers over HTTP, as a user's browser or {@code timeline --key} asks them. */
  MemtraceAnswers answers() {
    return new MemtraceAnswers(tier);
  }

  /**
   * The store's reader in this process, for the questions about many reads at once that the HTTP API asks one read or
   * key at a time ({@link ClickHouseReader#readLineage}, {@link ClickHouseReader#timelines}): the same reader code.
   */
  ClickHouseReader reader() {
    return reader;
  }

  /** The rows of {@code sql} on the embedded store as JSON lines, named as ClickHouse's columns. */
  private static byte[] jsonRows(MemtraceAnswers embedded, String sql) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (JsonNode row : embedded.objects(sql)) {
      lines.append(row).append('\n');
    }
    return lines.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void insert(Client client, String table, byte[] rows) throws Exception {
    if (rows.length > 0) {
      client.insert(table, new ByteArrayInputStream(rows), ClickHouseFormat.JSONEachRow).get(120, TimeUnit.SECONDS)
          .close();
    }
  }

  @Override
  public void close() throws Exception {
    reader.close();
    tier.close();
    front.close();
  }
}
