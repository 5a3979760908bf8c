package io.memtrace.collector.clickhouse.reader;

import com.clickhouse.client.api.Client;
import io.memtrace.collector.clickhouse.ClickHouseSession;
import io.memtrace.collector.clickhouse.ClickHouseUrl;
import io.memtrace.collector.clickhouse.SchemaInit;
import io.memtrace.collector.clickhouse.SchemaOptions;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import java.util.Map;

/** A test front's database {@code fleet} with the schema {@code clickhouse init} makes, and a client that writes to it. */
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
