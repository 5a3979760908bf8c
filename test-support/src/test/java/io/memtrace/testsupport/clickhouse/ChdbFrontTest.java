package io.memtrace.testsupport.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import io.memtrace.testsupport.BuildPaths;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChdbFrontTest {

  static Path data;
  static ChdbFront front;
  static Client client;

  @BeforeAll
  static void start() throws Exception {
    data = BuildPaths.IT_WORK.resolve("chdb-front-" + System.nanoTime()).resolve("chdb");
    front = ChdbFront.start(data);
    front.query(null, "CREATE DATABASE IF NOT EXISTS otel");
    client = clientFor(front.password(), true);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    front.close();
  }

  static Client clientFor(String password, boolean compressRequests) {
    return new Client.Builder().addEndpoint(front.endpoint()).setUsername(front.user()).setPassword(password)
        .setDefaultDatabase("otel").compressServerResponse(true).compressClientRequest(compressRequests).build();
  }

  @Test
  void shouldAnswerClickhouseJavaWithTheRealEngine() throws Exception {
    assertThat(client.ping(30_000)).isTrue();
    client.execute("CREATE TABLE kv (k String, n UInt64, attrs Map(LowCardinality(String), String)) "
        + "ENGINE = MergeTree ORDER BY k").get(30, TimeUnit.SECONDS).close();
    byte[] rows = ("{\"k\":\"aqe/cache:a\",\"n\":3,\"attrs\":{\"memory.namespace\":\"aqe/cache\"}}\n"
        + "{\"k\":\"aqe/cache:b\",\"n\":5,\"attrs\":{}}\n").getBytes(StandardCharsets.UTF_8);
    // clickhouse-java compresses this body in ClickHouse's LZ4 block framing, checksum included
    client.insert("kv", new ByteArrayInputStream(rows), ClickHouseFormat.JSONEachRow).get(30, TimeUnit.SECONDS).close();

    List<GenericRecord> read = client.queryAll("SELECT k, n, attrs['memory.namespace'] AS ns FROM kv ORDER BY k");

    assertThat(read).extracting(r -> r.getString("k") + " " + r.getLong("n") + " " + r.getString("ns"))
        .containsExactly("aqe/cache:a 3 aqe/cache", "aqe/cache:b 5 ");
    assertThat(client.getTableSchema("kv").getColumns()).extracting(c -> c.getColumnName())
        .containsExactly("k", "n", "attrs");
  }

  @Test
  void shouldRefuseAWrongPasswordWithClickhousesErrorAndCode() {
    try (Client wrong = clientFor("not-it", false)) {
      assertThatThrownBy(() -> wrong.queryAll("SELECT 1")).cause()
          .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.getCode()).isEqualTo(516))
          .hasMessageContaining("Authentication failed");
    }
  }

  @Test
  void shouldSurfaceTheEnginesOwnErrorMessage() {
    assertThatThrownBy(() -> client.queryAll("SELECT * FROM no_such_table")).cause()
        .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.getCode()).isEqualTo(60))
        .hasMessageContaining("no_such_table");
  }

  @Test
  void shouldAnswerClickhouseGosConnectQueryWithRevisionZero() throws Exception {
    String answer = post("/?database=otel", "SELECT displayName(), version(), revision(), timezone()");

    assertThat(answer.split("\t")).hasSize(4);
    assertThat(answer.split("\t")[2]).isEqualTo("0");
    assertThat(answer.split("\t")[1]).startsWith("26.9");
  }

  @Test
  void shouldRunAnInsertWhoseStatementIsInTheUrlAndDataInTheBody() throws Exception {
    front.query("otel", "CREATE TABLE IF NOT EXISTS url_insert (k String) ENGINE = MergeTree ORDER BY k");

    post("/?database=otel&query=" + java.net.URLEncoder.encode("INSERT INTO url_insert FORMAT TabSeparated",
        StandardCharsets.UTF_8), "x\ny\n");

    assertThat(front.query("otel", "SELECT count() FROM url_insert")).isEqualTo("2\n");
    java.nio.file.Path inserts = data.resolveSibling(data.getFileName() + "-inserts");
    try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(inserts)) {
      assertThat(left).as("the insert's file, beside the chDB directory, removed once read").isEmpty();
    }
  }

  @Test
  void shouldKeepTablesInItsDirectoryAcrossFronts() throws Exception {
    front.query("otel", "CREATE TABLE IF NOT EXISTS kept (k String) ENGINE = MergeTree ORDER BY k");
    front.query("otel", "INSERT INTO kept VALUES ('a'), ('b')");
    Path other = data.resolveSibling("second");
    // a second engine in its own directory is a second process; the first one's tables stay where they are
    try (ChdbFront second = ChdbFront.start(other)) {
      assertThat(second.query(null, "EXISTS TABLE otel.kept")).isEqualTo("0\n");
    }
    assertThat(front.query("otel", "SELECT count() FROM kept")).isEqualTo("2\n");
  }

  @Test
  void shouldTakeABodyInBlockFramingAndRefuseOneWhoseChecksumIsWrong() throws Exception {
    front.query("otel", "CREATE TABLE IF NOT EXISTS framed (k String) ENGINE = MergeTree ORDER BY k");
    byte[] framed = blocks("INSERT INTO framed FORMAT TabSeparated\na\nb\n");

    HttpResponse<String> taken = postBytes("/?database=otel&decompress=1", framed);
    framed[framed.length - 1] ^= 1;
    HttpResponse<String> corrupted = postBytes("/?database=otel&decompress=1", framed);

    assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
    assertThat(front.query("otel", "SELECT count() FROM framed")).isEqualTo("2\n");
    assertThat(corrupted.statusCode()).isEqualTo(500);
    assertThat(corrupted.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("40");
    assertThat(corrupted.body()).startsWith("Code: 40. DB::Exception: Checksum doesn't match");
  }

  @Test
  void shouldEnforceAQuerysLimitsForThatQueryAlone() throws Exception {
    HttpResponse<String> limited = postBytes("/?database=otel&max_result_rows=5&result_overflow_mode=throw",
        "SELECT number FROM numbers(10)".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> readonly = postBytes("/?database=otel&readonly=1",
        "CREATE TABLE nope (k String) ENGINE = Memory".getBytes(StandardCharsets.UTF_8));

    assertThat(limited.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("396");
    assertThat(readonly.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("164");
    assertThat(readonly.statusCode()).isEqualTo(403);
    assertThat(post("/?database=otel", "SELECT count() FROM (SELECT number FROM numbers(10))")).isEqualTo("10");
  }

  /** {@code text} as one block of ClickHouse's framing with method 0x02 (stored as it is), checksum first. */
  private static byte[] blocks(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(16 + 9 + payload.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    frame.position(16);
    frame.put((byte) 0x02).putInt(9 + payload.length).putInt(payload.length).put(payload);
    long[] hash = com.clickhouse.data.ClickHouseCityHash.cityHash128(frame.array(), 16, 9 + payload.length);
    frame.putLong(0, hash[0]).putLong(8, hash[1]);
    return frame.array();
  }

  private static HttpResponse<String> postBytes(String pathAndQuery, byte[] body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(front.endpoint() + pathAndQuery))
        .header("X-ClickHouse-User", front.user()).header("X-ClickHouse-Key", front.password())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String post(String pathAndQuery, String body) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(front.endpoint() + pathAndQuery))
            .header("X-ClickHouse-User", front.user()).header("X-ClickHouse-Key", front.password())
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body().strip();
  }
}
