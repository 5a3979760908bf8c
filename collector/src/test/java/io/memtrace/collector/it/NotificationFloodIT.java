package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.testsupport.TestRedis;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * A notification flood through the real collector jar: 100,000 keys of one watched namespace expire within about
 * a second (PEXPIRE of 500 ms, sent in one pipeline) while {@code serve --watch-redis} records them at a cap of 1,000 a second.
 * The cap holds, every notification Redis sent is counted (received = recorded + dropped, exactly, and received is
 * the 100,000 Redis expired), the rows stored are the recorded ones, the serve's memory does not grow with the flood,
 * and span batches posted to the same serve during the flood are acknowledged as fast as before it.
 */
class NotificationFloodIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final int KEYS = 100_000;
  static final int CAP = 1_000;

  @TempDir
  Path dir;

  @Test
  void shouldHoldTheCapCountTheLossAndNotSlowIngestUnderAFlood() throws Exception {
    try (TestRedis redis = TestRedis.startOwn(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      // the operator's setting: expiries on the __keyevent channel; writes and TTL changes send nothing
      jedis.configSet("notify-keyspace-events", "Ex");
      Pipeline load = jedis.pipelined();
      for (int i = 0; i < KEYS; i++) {
        load.set("session:flood:" + i, "x");
      }
      load.set("session:quiet:1", "x");
      load.sync();
      try (CollectorProcess serve = CollectorProcess.serve(dir.resolve("data"),
          "--watch-redis", redis.url(), "--watch-interval", "1s", "--watch-commands-per-second", "200000",
          "--keyspace-events-rate", String.valueOf(CAP))) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> count(serve,
            "SELECT count(*) FROM key_notification_status WHERE state = 'on'") >= 1);
        assertThat(serve.stderr()).contains("the server's notify-keyspace-events is 'xE'")
            .contains("subscribed to __keyevent@*__:*").contains("evictions, deletes and TTL changes, some writes will "
            + "be unknown");
        List<Long> before = postBatches(serve, 20, null);
        long rssBefore = highWater(serve);
        long expiredBefore = Long.parseLong(KeyspaceNotificationsIT.field(jedis.info("stats"), "expired_keys"));

        // relative TTLs: an absolute deadline that a slow pipeline (a loaded machine) passes makes Redis delete the
        // rest of the keys at once, as deletes, not expiries (seen: 80,458 of 100,001 expired at load 17)
        Pipeline expire = jedis.pipelined();
        for (int i = 0; i < KEYS; i++) {
          expire.pexpire("session:flood:" + i, 500);
        }
        expire.sync();
        jedis.pexpire("session:quiet:1", 2_000);
        long floodStart = System.nanoTime();
        List<Long> during;
        try (Jedis probe = new Jedis(redis.host, redis.port)) {
          during = postBatches(serve, 200, () -> probe.dbSize() > 0);
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> jedis.dbSize() == 0);
        double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
        long expired = Long.parseLong(KeyspaceNotificationsIT.field(jedis.info("stats"), "expired_keys")) - expiredBefore;
        assertThat(expired).isEqualTo(KEYS + 1);

        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> count(serve,
            "SELECT max(received) FROM key_notification_status") == KEYS + 1);
        JsonNode status = row(serve, "SELECT received, recorded, dropped_rate, dropped_sampled, dropped_queue, "
            + "state FROM key_notification_status ORDER BY time DESC, received DESC LIMIT 1");
        long received = status.get(0).asLong();
        long recorded = status.get(1).asLong();
        long dropped = status.get(2).asLong() + status.get(3).asLong() + status.get(4).asLong();
        assertThat(received).as("every expiry Redis notified, counted").isEqualTo(KEYS + 1);
        assertThat(recorded + dropped).as("received = recorded + dropped_*: %s", status).isEqualTo(received);
        assertThat(status.get(4).asLong()).as("the writer kept up: nothing dropped for a full queue").isZero();

        JsonNode rows = row(serve, "SELECT count(*), epoch_ms(max(time)) - epoch_ms(min(time)), sum(weight), "
            + "count(*) FILTER (WHERE key = 'session:quiet:1') FROM key_notification");
        long stored = rows.get(0).asLong();
        double spanSeconds = rows.get(1).asLong() / 1000.0;
        assertThat(stored).as("rows stored = recorded").isEqualTo(recorded);
        assertThat((double) stored).as("the cap: %d rows over %.2f s", stored, spanSeconds)
            .isLessThanOrEqualTo(CAP * (Math.ceil(spanSeconds) + 1) + CAP);
        assertThat(rows.get(3).asLong()).as("the quiet namespace's expiry after the flood is kept").isEqualTo(1);
        assertThat(serve.stderr()).contains("not recorded (").contains("left out by sampling")
            .contains("over the rate cap");
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> count(serve, "SELECT count(*) FROM metrics WHERE "
            + "name = 'memtrace.keyspace.notifications' AND value > 0") >= 2);

        long rssGrowth = highWater(serve) - rssBefore;
        System.out.printf("flood: %d expired in %.2f s; received %d, recorded %d, dropped %s; rows %d over %.2f s; "
            + "batch ack ms before %s, during %s; serve's peak RSS grew %d MiB%n", expired, floodSeconds, received,
            recorded, status, stored, spanSeconds, summary(before), summary(during), rssGrowth >> 20);
        assertThat(rssGrowth).as("the serve's peak resident memory during the flood").isLessThan(128L << 20);
        // ingest: the subscriber and writer are threads of their own and the rows are 1,000 a second at most, so a
        // span batch waits for neither; the bound allows for Redis and the watcher taking a core on this 2-core machine
        long medianBefore = median(before);
        assertThat(median(during)).as("median ack of a batch during the flood, ms (before: %d)", medianBefore)
            .isLessThanOrEqualTo(Math.max(3 * medianBefore, 100));
        assertThat(Collections.max(during)).as("slowest ack during the flood, ms").isLessThan(2_000);
        serve.awaitLoaded();
        assertThat(count(serve, "SELECT count(*) FROM spans")).as("every span posted is stored")
            .isEqualTo(50L * (before.size() + during.size()));
      }
    }
  }

  /** Posts {@code n} batches of 50 spans one after another (while {@code until} is true, when given); ack times, ms. */
  private static List<Long> postBatches(CollectorProcess serve, int n, BooleanSupplier until) throws Exception {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < n && (until == null || until.getAsBoolean() || millis.isEmpty()); i++) {
      byte[] batch = ServeIT.batch(String.format("%032x", System.nanoTime()), 50).toByteArray();
      long t = System.nanoTime();
      HttpResponse<String> r = serve.post("/v1/traces", "application/x-protobuf", null, batch);
      millis.add((System.nanoTime() - t) / 1_000_000);
      assertThat(r.statusCode()).isEqualTo(200);
      Thread.sleep(25);
    }
    return millis;
  }

  /** The peak resident memory of serve's JVM (the one a launcher runs, when it relaunches with a bounded heap). */
  private static long highWater(CollectorProcess serve) throws Exception {
    long max = 0;
    List<ProcessHandle> all = serve.jvms();
    for (ProcessHandle p : all) {
      Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
      if (Files.exists(status)) {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            max = Math.max(max, Long.parseLong(line.replaceAll("\\D", "")) * 1024);
          }
        }
      }
    }
    return max;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static String summary(List<Long> values) {
    return "n=" + values.size() + " median=" + median(values) + " max=" + Collections.max(values);
  }

  private static JsonNode row(CollectorProcess serve, String sql) throws Exception {
    HttpResponse<String> response = serve.post("/api/query", "application/sql", null, sql.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).at("/rows/0");
  }

  private static long count(CollectorProcess serve, String sql) throws Exception {
    JsonNode v = row(serve, sql).get(0);
    return v == null || v.isNull() ? -1 : v.asLong();
  }
}
