package io.memtrace.collector.clickhouse.reader;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test front's database {@code fleet} with the schema {@code clickhouse init} makes, a client that writes to it, and
 * spans written into its otel_traces as the OpenTelemetry Collector's exporter writes them.
 */
public final class FleetFront {

  private FleetFront() {
  }

  /** Makes the schema; the URL readers connect with. */
  public static ClickHouseUrl init(ChdbFront front) {
    return init(front, "fleet");
  }

  /** The same in {@code database}, for a fixture of its own on the one front. */
  static ClickHouseUrl init(ChdbFront front, String database) {
    ClickHouseUrl url = ClickHouseUrl.parse(front.url(database), Map.of(ClickHouseUrl.USER_ENV, front.user(),
        ClickHouseUrl.PASSWORD_ENV, front.password()));
    try (ClickHouseSession session = ClickHouseSession.open(url)) {
      SchemaInit.run(session, new SchemaOptions(database, null, 0, true));
    }
    return url;
  }

  /** Makes the schema and writes {@code spans} into its otel_traces; the URL readers connect with. */
  public static ClickHouseUrl load(ChdbFront front, List<ExportTraceServiceRequest> spans) throws Exception {
    ClickHouseUrl url = init(front);
    insert(front, "fleet", spans);
    return url;
  }

  /** Writes {@code spans} into {@code database}'s otel_traces as the exporter does, and its views then fill. */
  static void insert(ChdbFront front, String database, List<ExportTraceServiceRequest> spans) throws Exception {
    try (Client client = client(front, database)) {
      client.insert("otel_traces", new ByteArrayInputStream(OtelTracesRows.of(spans)), ClickHouseFormat.JSONEachRow)
          .get(60, TimeUnit.SECONDS).close();
    }
  }

  /** A clickhouse-java client of database {@code fleet}, which the caller closes. */
  public static Client client(ChdbFront front) {
    return client(front, "fleet");
  }

  /** A client of {@code database}. */
  static Client client(ChdbFront front, String database) {
    return new Client.Builder().addEndpoint(front.endpoint()).setUsername(front.user())
        .setPassword(front.password()).setDefaultDatabase(database).compressClientRequest(true).build();
  }
}
