package io.memtrace.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.keyspace.RedisUrl;
import io.memtrace.collector.keyspace.WatchAcl;
import io.memtrace.collector.keyspace.notify.EventsMode;
import io.memtrace.collector.keyspace.notify.KeyNotification;
import io.memtrace.collector.keyspace.notify.KeyspaceNotifications;
import io.memtrace.collector.keyspace.notify.NotificationSettings;
import io.memtrace.collector.keyspace.notify.NotificationSink;
import io.memtrace.collector.keyspace.notify.NotificationStatus;
import io.memtrace.testsupport.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;

/**
 * Keyspace notifications from a real redis-server, each test on a server of its own (they change its settings):
 * keys expiring by TTL, keys evicted under a small maxmemory, a write, a TTL change and a delete by an untraced client,
 * each recorded with its kind, key, database and namespace; every key by default, the status row saying so, and with
 * the namespaces narrowed, keys outside them left out;
 * {@code on} adds flags and keeps those set; {@code auto} against a server that sends nothing subscribes to nothing
 * and says so; a user without {@code CONFIG} is {@code unavailable} and keeps watching; a dropped connection is
 * {@code disconnected} until Redis is back.
 */
class KeyspaceNotificationsIT {

  /** Collects what a sink is given. */
  static final class Collected implements NotificationSink {
    final List<KeyNotification> rows = new CopyOnWriteArrayList<>();
    final List<NotificationStatus> statuses = new CopyOnWriteArrayList<>();

    @Override
    public void write(List<KeyNotification> batch) {
      rows.addAll(batch);
    }

    @Override
    public void status(NotificationStatus status) {
      statuses.add(status);
    }

    List<KeyNotification> of(String kind) {
      return rows.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    NotificationStatus last() {
      return statuses.get(statuses.size() - 1);
    }
  }

  private static KeyspaceNotifications watch(String url, EventsMode mode, Collected sink) {
    return watch(url, new NotificationSettings(mode, 100_000, 100_000, List.of()), sink);
  }

  private static KeyspaceNotifications watch(String url, NotificationSettings settings, Collected sink) {
    KeyspaceNotifications n = new KeyspaceNotifications(RedisUrl.parse("--redis", url), settings,
        MemoryStateConfig.defaults(), 1_000, sink);
    n.start();
    return n;
  }

  private static void awaitState(KeyspaceNotifications n, Collected sink, String state) {
    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> state.equals(n.state())
        && sink.statuses.stream().anyMatch(s -> s.state().equals(state)));
  }

  /** The namespaces the first test narrows the notifications to (--keyspace-events-namespaces). */
  private static final List<String> NARROWED = List.of("session", "session:*", "cache", "cache:*", "deep", "deep:*");

  @Test
  void shouldRecordEveryNamespaceByDefaultAndSaySoInTheStatus() throws Exception {
    try (TestRedis redis = TestRedis.startOwn(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      Collected sink = new Collected();
      try (KeyspaceNotifications n = watch(redis.url(), EventsMode.ON, sink)) {
        awaitState(n, sink, NotificationStatus.ON);
        jedis.set("user:42", "hello");
        jedis.set("plain", "no namespace");
        jedis.del("life:ttl:1", "user:42");
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> sink.of("delete").size() >= 1);
        assertThat(sink.rows).extracting(r -> r.key() + "/" + r.kind()).contains("user:42/write", "plain/write",
            "user:42/delete");
        n.passed();
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> sink.last().counts().recorded() >= 3);
        assertThat(sink.last().namespaces()).isEqualTo("*");
        assertThat(sink.last().droppedNamespaces()).isNull();
      }
    }
  }

  /**
   * Redis sends no event for FLUSHDB, FLUSHALL or SWAPDB: the watcher counts each in INFO commandstats, as a row
   * without a key, its window (between two polls) in its weight, before the notification of a SET sent after it.
   */
  @Test
  void shouldRecordEachCommandOnAWholeDatabaseInTheWindowItRanIn() throws Exception {
    try (TestRedis redis = TestRedis.startOwn(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      Collected sink = new Collected();
      try (KeyspaceNotifications n = watch(redis.url(), EventsMode.ON, sink)) {
        awaitState(n, sink, NotificationStatus.ON);
        Thread.sleep(300); // the counts' first poll
        java.time.Instant before = java.time.Instant.now();
        jedis.set("user:1", "a");
        jedis.flushDB();
        jedis.swapDB(0, 1);
        jedis.swapDB(1, 0);
        jedis.flushAll();
        java.time.Instant after = java.time.Instant.now();
        Thread.sleep(300); // a poll after them
        jedis.set("user:2", "b");
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> sink.rows.stream()
            .anyMatch(r -> r.key().equals("user:2")));
        List<KeyNotification> whole = sink.rows.stream().filter(r -> r.key().isEmpty()).toList();
        assertThat(whole).extracting(KeyNotification::event).containsExactlyInAnyOrder("flushdb", "swapdb", "swapdb",
            "flushall");
        assertThat(whole).allSatisfy(r -> {
          assertThat(r.namespace()).isNull();
          assertThat(r.kind()).isEqualTo("delete");
          assertThat(r.redis()).isEqualTo("127.0.0.1:" + redis.port);
          // the window, from when the poll before was sent to when this one answered, holds a time in which the
          // commands ran (between before and after)
          assertThat(r.time()).isAfterOrEqualTo(before);
          assertThat(r.time().minusNanos((long) (r.weight() * 1e9))).isBeforeOrEqualTo(after);
          assertThat(r.weight()).isLessThan(5.0);
        });
        assertThat(sink.rows.indexOf(sink.rows.stream().filter(r -> r.key().equals("user:2")).findFirst()
            .orElseThrow())).as("written in order, before the SET after them").isGreaterThan(sink.rows.indexOf(
                whole.get(whole.size() - 1)));
        n.passed();
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> sink.last().counts().recorded() >= 2);
        assertThat(sink.last().counts().recorded()).as("not notifications Redis sent").isEqualTo(2);
      }
    }
  }

  @Test
  void shouldRecordExpiriesEvictionsAndOutsideChangesOfTheWatchedNamespacesOnly() throws Exception {
    try (TestRedis redis = TestRedis.startOwn(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      jedis.configSet("notify-keyspace-events", "Km"); // someone else's flags: keyspace channel, key misses
      Collected sink = new Collected();
      try (KeyspaceNotifications n = watch(redis.url(), new NotificationSettings(EventsMode.ON, 100_000, 100_000,
          NARROWED), sink)) {
        awaitState(n, sink, NotificationStatus.ON);
        String now = jedis.configGet("notify-keyspace-events").get("notify-keyspace-events");
        assertThat(now).as("the flags already set are kept").contains("K", "m").contains("E");
        assertThat(now).as("and every class the watcher needs is on").matches(s -> s.contains("A")
            || "g$lshzxet".chars().allMatch(c -> s.indexOf(c) >= 0));
        assertThat(sink.last().notifyConfig()).isEqualTo(now);
        assertThat(sink.last().namespaces()).isEqualTo(String.join(",", NARROWED));

        // 50 keys expiring by TTL, and 50 outside the watched namespaces
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < 50; i++) {
          p.set("session:s1:turn" + i, "x");
          p.pexpire("session:s1:turn" + i, 200);
          p.set("bulk:" + i, "x");
          p.pexpire("bulk:" + i, 200);
        }
        p.sync();
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> jedis.dbSize() == 0
            && sink.of("expiry").size() >= 50);
        // an untraced client: a write, a TTL and a delete, one of them in database 3
        jedis.hset("deep:memory:7", "text", "edited by hand");
        jedis.expire("deep:memory:7", 3_600);
        jedis.del("deep:memory:7");
        jedis.select(3);
        jedis.set("cache:answer", "42");
        jedis.select(0);
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> sink.rows.stream()
            .anyMatch(r -> r.key().equals("cache:answer")));

        assertThat(sink.of("expiry")).hasSize(50).allSatisfy(r -> {
          assertThat(r.key()).startsWith("session:s1:turn");
          assertThat(r.namespace()).isEqualTo("session:s1");
          assertThat(r.event()).isEqualTo("expired");
          assertThat(r.db()).isZero();
          assertThat(r.redis()).isEqualTo("127.0.0.1:" + redis.port);
          assertThat(r.weight()).isEqualTo(1.0);
        });
        assertThat(sink.rows).as("keys outside the watched namespaces").noneMatch(r -> r.key().startsWith("bulk:"));
        assertThat(sink.rows.stream().filter(r -> r.key().equals("deep:memory:7"))
            .map(r -> r.event() + "/" + r.kind() + "/" + r.namespace()).toList())
            .containsExactly("hset/write/deep:memory", "expire/ttl/deep:memory", "del/delete/deep:memory");
        assertThat(sink.rows.stream().filter(r -> r.key().equals("cache:answer")).toList()).singleElement()
            .satisfies(r -> assertThat(r.db()).isEqualTo(3)).satisfies(r -> assertThat(r.kind()).isEqualTo("write"));

        // evictions: a small maxmemory under allkeys-lru, filled by cache keys
        long used = Long.parseLong(field(jedis.info("memory"), "used_memory"));
        jedis.configSet("maxmemory-policy", "allkeys-lru");
        jedis.configSet("maxmemory", String.valueOf(used + 2_000_000));
        int written = 0;
        for (int round = 0; round < 40; round++) {
          Pipeline fill = jedis.pipelined();
          for (int i = 0; i < 100; i++) {
            fill.set("cache:blob" + written++, "v".repeat(2_000));
          }
          fill.sync();
        }
        // no eviction after the fill: any command at the limit makes Redis evict, the watcher's polls of
        // INFO commandstats among them, and the counts below would race with it
        jedis.configSet("maxmemory", "0");
        long kept = jedis.scan("0", new ScanParams().match("cache:blob*").count(10_000)).getResult().size();
        long evicted = Long.parseLong(field(jedis.info("stats"), "evicted_keys"));
        assertThat(written - kept).as("the fill went past maxmemory").isPositive();
        assertThat(evicted).as("Redis evicted the blobs it lacks, and perhaps the key of db 3")
            .isBetween(written - kept, written - kept + 1);
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> sink.of("eviction").size() >= evicted);
        Thread.sleep(300);
        assertThat(sink.of("eviction")).as("one row per key Redis evicted").hasSize((int) evicted)
            .allSatisfy(r -> assertThat(r.event()).isEqualTo("evicted"))
            .allSatisfy(r -> assertThat(r.namespace()).isEqualTo("cache"));
        assertThat(sink.of("eviction").stream().filter(r -> r.key().startsWith("cache:blob")).count())
            .isEqualTo(written - kept);

        n.passed();
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> sink.last().counts().recorded() == sink.rows.size());
        var counts = sink.last().counts();
        assertThat(counts.received()).isEqualTo(counts.recorded()).isEqualTo(sink.rows.size());
        assertThat(counts.ignored()).as("the bulk keys' set, expire and expired").isGreaterThanOrEqualTo(150);
      }
    }
  }

  @Test
  void shouldSubscribeToNothingUnderAutoWhenTheServerSendsNothingAndSaySo() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    try (TestRedis redis = TestRedis.startOwn(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      Collected sink = new Collected();
      try (KeyspaceNotifications n = watch(redis.url(), EventsMode.AUTO, sink)) {
        awaitState(n, sink, NotificationStatus.OFF);
        assertThat(jedis.pubsubNumPat()).as("nothing subscribed").isZero();
        assertThat(jedis.configGet("notify-keyspace-events").get("notify-keyspace-events")).as("nothing changed")
            .isEmpty();
        assertThat(sink.last().notifyConfig()).isEmpty();
        jedis.set("session:s1:a", "1");
        jedis.del("session:s1:a");
      }
      assertThat(sink.rows).isEmpty();
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("keyspace notifications of 127.0.0.1:" + redis.port)
          .contains("notify-keyspace-events is ''").contains("not subscribed")
          .contains("expiries, evictions and changes outside the traced services will be unknown")
          .contains("--keyspace-events on");
    } finally {
      System.setErr(before);
    }
  }

  @Test
  void shouldKeepWatchingAsUnavailableWhenConfigIsRefusedAndComeBackAfterADrop() throws Exception {
    try (TestRedis redis = TestRedis.startOwn(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      jedis.configSet("notify-keyspace-events", "Ex"); // set by an operator: expiries only
      jedis.aclSetUser("watcher", ("on >pw " + WatchAcl.RULES).split(" "));
      Collected sink = new Collected();
      try (KeyspaceNotifications n = watch("redis://watcher:pw@127.0.0.1:" + redis.port, EventsMode.ON, sink)) {
        awaitState(n, sink, NotificationStatus.UNAVAILABLE);
        assertThat(sink.last().error()).contains("CONFIG GET notify-keyspace-events refused").contains("NOPERM");
        assertThat(sink.last().notifyConfig()).isNull();
        jedis.psetex("session:s2:x", 50, "1");
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> !sink.of("expiry").isEmpty());

        redis.stop();
        awaitState(n, sink, NotificationStatus.DISCONNECTED);
        redis.restart();
        try (Jedis again = new Jedis(redis.host, redis.port)) {
          again.configSet("notify-keyspace-events", "Ex");
          again.aclSetUser("watcher", ("on >pw " + WatchAcl.RULES).split(" "));
          Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> NotificationStatus.UNAVAILABLE.equals(n.state())
              && again.pubsubNumPat() == 1);
          again.psetex("session:s2:y", 50, "1");
          Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> sink.of("expiry").stream()
              .anyMatch(r -> r.key().equals("session:s2:y")));
        }
      }
    }
  }

  @Test
  void shouldNoticeAfterAPassThatTheServerStoppedSendingThem() throws Exception {
    try (TestRedis redis = TestRedis.startOwn(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      jedis.configSet("notify-keyspace-events", "Ex");
      Collected sink = new Collected();
      try (KeyspaceNotifications n = watch(redis.url(), EventsMode.AUTO, sink)) {
        awaitState(n, sink, NotificationStatus.ON);
        assertThat(sink.last().notifyConfig()).isEqualTo("xE");
        jedis.configSet("notify-keyspace-events", "");
        n.passed();
        awaitState(n, sink, NotificationStatus.OFF);
        assertThat(sink.last().notifyConfig()).as("what the answers cover from now on").isEmpty();
        jedis.configSet("notify-keyspace-events", "Egx");
        n.passed();
        awaitState(n, sink, NotificationStatus.ON);
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> "gxE".equals(sink.last().notifyConfig()));
      }
    }
  }

  @Test
  void shouldSayOnceThatAUserWithoutPsubscribeGetsNoNotifications() throws Exception {
    try (TestRedis redis = TestRedis.startOwn(); Jedis jedis = new Jedis(redis.host, redis.port)) {
      jedis.configSet("notify-keyspace-events", "Ex");
      // the watcher's rules before notifications: no PSUBSCRIBE, no channel
      jedis.aclSetUser("old", ("on >pw resetchannels -@all +info +select +scan +type +pttl +config|get ~*").split(" "));
      Collected sink = new Collected();
      try (KeyspaceNotifications n = watch("redis://old:pw@127.0.0.1:" + redis.port, EventsMode.AUTO, sink)) {
        awaitState(n, sink, NotificationStatus.UNAVAILABLE);
        assertThat(sink.last().error()).startsWith("PSUBSCRIBE __keyevent@*__:* refused (NOPERM");
        assertThat(sink.last().notifyConfig()).isEqualTo("xE");
        Thread.sleep(1_500);
        long tries = refusedCalls(jedis, "psubscribe");
        assertThat(tries).as("PSUBSCRIBEs refused, by Redis's ACL LOG: asked again each interval (1 s here), not in a "
            + "loop").isBetween(1L, 3L);
        assertThat(sink.statuses).as("one row for the state, not one per try").hasSizeLessThanOrEqualTo(2);
        assertThat(n.state()).isEqualTo(NotificationStatus.UNAVAILABLE);
      }
    }
  }

  /** How many times Redis refused {@code command} by ACL, from ACL LOG (read raw: Jedis's parser wants Redis 7's fields). */
  @SuppressWarnings("unchecked")
  private static long refusedCalls(Jedis jedis, String command) {
    long n = 0;
    for (Object entry : (List<Object>) jedis.sendCommand(redis.clients.jedis.Protocol.Command.ACL, "LOG")) {
      List<Object> kv = (List<Object>) entry;
      java.util.Map<String, Object> fields = new java.util.HashMap<>();
      for (int i = 0; i + 1 < kv.size(); i += 2) {
        fields.put(new String((byte[]) kv.get(i), StandardCharsets.UTF_8), kv.get(i + 1));
      }
      if (fields.get("object") instanceof byte[] o && new String(o, StandardCharsets.UTF_8).equalsIgnoreCase(command)) {
        n += (Long) fields.get("count");
      }
    }
    return n;
  }

  static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    throw new AssertionError(name + " not in INFO");
  }
}
