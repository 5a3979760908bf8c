package io.memtrace.collector.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.GenericRecord;
import io.memtrace.collector.CollectorException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One ClickHouse, through clickhouse-java's HTTP client, with every failure turned into one line that names what is
 * wrong: the server out of reach, the credentials refused, or ClickHouse's own message.
 */
public final class ClickHouseSession implements AutoCloseable {

  /** ClickHouse's codes for a user or password it refuses. */
  private static final Set<Integer> REFUSED = Set.of(192, 193, 194, 516);

  private final ClickHouseUrl url;
  private final Client client;

  private ClickHouseSession(ClickHouseUrl url, Client client) {
    this.url = url;
    this.client = client;
  }

  /** Connects and asks the server's version, so an unreachable server or wrong credentials fail here. */
  public static ClickHouseSession open(ClickHouseUrl url) {
    Client client = new Client.Builder().addEndpoint(url.endpoint()).setUsername(url.user())
        .setPassword(url.password()).setConnectTimeout(5, ChronoUnit.SECONDS).setSocketTimeout(5, ChronoUnit.MINUTES)
        .setMaxRetries(0).compressServerResponse(true).build();
    ClickHouseSession session = new ClickHouseSession(url, client);
    try {
      session.query("SELECT version()");
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return session;
  }

  public ClickHouseUrl url() {
    return url;
  }

  /** Runs a statement that returns nothing. */
  public void execute(String sql) {
    try {
      client.execute(sql).get(10, TimeUnit.MINUTES).close();
    } catch (Exception e) {
      throw failure(e, sql);
    }
  }

  /** Runs a query and returns its rows. */
  public List<GenericRecord> query(String sql) {
    try {
      return client.queryAll(sql);
    } catch (Exception e) {
      throw failure(e, sql);
    }
  }

  /**
   * Runs a query with ClickHouse settings of its own (readonly, limits) and hands its rows, as clickhouse-java reads
   * them, to {@code read}; a failure is one line, as for every other statement.
   */
  public <T> T read(String sql, Map<String, String> settings,
      java.util.function.Function<com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader, T> read) {
    com.clickhouse.client.api.query.QuerySettings query = new com.clickhouse.client.api.query.QuerySettings()
        .setFormat(com.clickhouse.data.ClickHouseFormat.RowBinaryWithNamesAndTypes).setDatabase(url.database());
    settings.forEach(query::serverSetting);
    try (com.clickhouse.client.api.query.QueryResponse response = client.query(sql, query).get(10, TimeUnit.MINUTES)) {
      return read.apply(client.newBinaryFormatReader(response));
    } catch (CollectorException e) {
      throw e;
    } catch (Exception e) {
      throw failure(e, sql);
    }
  }

  private CollectorException failure(Exception e, String sql) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ServerException server) {
        if (REFUSED.contains(server.getCode())) {
          return new CollectorException("ClickHouse at " + url.endpoint() + " refused the user '" + url.user()
              + "': wrong user or password (they come from " + ClickHouseUrl.USER_ENV + " and "
              + ClickHouseUrl.PASSWORD_ENV + ")", e);
        }
        return new CollectorException("ClickHouse at " + url.endpoint() + " answered " + firstLine(server.getMessage())
            + " to: " + firstLine(sql), e);
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof java.net.http.HttpConnectTimeoutException
          || t.getClass().getName().endsWith("ConnectTimeoutException")
          || t.getClass().getName().endsWith("HttpHostConnectException")) {
        return new CollectorException("cannot reach ClickHouse at " + url.endpoint() + " (" + firstLine(t.toString())
            + "): is it running, and is that its HTTP port (8123)?", e);
      }
    }
    return new CollectorException("ClickHouse at " + url.endpoint() + " failed: " + firstLine(String.valueOf(cause)),
        e);
  }

  private static String firstLine(String text) {
    String line = text == null ? "" : text.strip();
    int newline = line.indexOf('\n');
    line = newline < 0 ? line : line.substring(0, newline);
    // ClickHouse prefixes "Code: N. DB::Exception: " and appends the version; the middle is the message
    line = line.replaceFirst("^Code: \\d+\\. DB::Exception: ", "").replaceFirst("\\s*\\(version [^)]*\\)\\s*(\\(queryId=[^)]*\\))?$", "");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  @Override
  public void close() {
    client.close();
  }
}
