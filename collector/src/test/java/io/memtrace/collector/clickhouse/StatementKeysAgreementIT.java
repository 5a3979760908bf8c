package io.memtrace.collector.clickhouse;

import static io.memtrace.collector.clickhouse.SpanRows.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import io.memtrace.collector.ingest.StatementKeys;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The measurement behind reading other languages' keys in ClickHouse: the same statements, as four instrumentations
 * write them, through serve's StatementKeys (the embedded store's reading) and through the ops view's dictionary
 * lookup. Plain keys must agree everywhere; keys holding spaces or the instrumentations' own marks are where the
 * view's plain word split and StatementKeys' dialect checks part, and the test prints how often (docs/fleet.md).
 */
class StatementKeysAgreementIT {

  static final List<String> PLAIN = List.of("k", "user:42", "aqe/sessions:abc-123", "session:abc/x", "caf\u00e9:1",
      "a;b", "EX", "?x", "a...b");
  static final List<String> HOSTILE = List.of("a b", "GET x", "two  spaces", "?", "a ?", "[2 other arguments]",
      "x [1 other arguments]", " lead", "trail ", "");

  /** Scope, attribute, and the statement of GET, SET and DEL of key {@code %s} each instrumentation writes. */
  static final String[][] WRITERS = {
      {"io.opentelemetry.jedis-4.0", "db.query.text", "GET %s", "SET %s ?", "DEL %s"},
      {"@opentelemetry/instrumentation-ioredis", "db.statement", "get %s", "set %s [1 other arguments]", "del %s"},
      {"github.com/redis/go-redis/extra/redisotel", "db.query.text", "get %s", "set %s v", "del %s"},
      {"opentelemetry.instrumentation.redis", "db.statement", "GET ?", "SET ? ?", "DEL ?"}};

  @Test
  void shouldReadEveryPlainKeyAsServeDoesAndCountWhereHostileOnesPart() throws Exception {
    List<String[]> cases = new ArrayList<>();
    SpanRows rows = new SpanRows();
    for (String[] writer : WRITERS) {
      for (List<String> keys : List.of(PLAIN, HOSTILE)) {
        for (String key : keys) {
          for (int form = 2; form < writer.length; form++) {
            String statement = String.format(writer[form], key);
            Map<String, Object> span = new HashMap<>(Map.of("db.system", "redis", writer[1], statement));
            StatementKeys.derive(span, writer[0]);
            String trace = "c" + cases.size();
            cases.add(new String[] {writer[0], keys == PLAIN ? "plain" : "hostile", trace,
                span.get("memory.key") == null ? "" : (String) span.get("memory.key"), statement});
            rows.add("svc", writer[0], trace, 1, "redis", "Client", attrs("db.system", "redis", writer[1], statement));
          }
        }
      }
    }
    Map<String, String> viewKeys = new HashMap<>();
    try (ChdbFront front = ChdbFront.start(BuildPaths.IT_WORK.resolve("agreement-" + System.nanoTime())
        .resolve("chdb"), "default", "")) {
      try (ClickHouseSession session = ClickHouseSession.open(ClickHouseUrl.parse(front.url("agree"), Map.of()))) {
        SchemaInit.run(session, new SchemaOptions("agree", null, 0));
      }
      try (Client client = new Client.Builder().addEndpoint(front.endpoint()).setUsername("default").setPassword("")
          .setDefaultDatabase("agree").build()) {
        client.insert("otel_traces", new ByteArrayInputStream(rows.bytes()), ClickHouseFormat.JSONEachRow)
            .get(60, TimeUnit.SECONDS).close();
      }
      for (String line : front.query("agree", "SELECT TraceId, base64Encode(Key) FROM memtrace_ops "
          + "FORMAT TabSeparated").split("\n")) {
        String[] cells = line.split("\t", -1);
        viewKeys.put(cells[0], new String(java.util.Base64.getDecoder().decode(cells[1]),
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    Map<String, int[]> tally = new TreeMap<>();
    List<String> parted = new ArrayList<>();
    for (String[] c : cases) {
      String trace = String.format("%032x", c[2].hashCode() & 0xffffffffL);
      String view = viewKeys.getOrDefault(trace, "(no row)");
      boolean same = view.equals(c[3]);
      int[] t = tally.computeIfAbsent(c[1] + " " + c[0], k -> new int[2]);
      t[0] += same ? 1 : 0;
      t[1]++;
      if (!same) {
        parted.add(c[1] + " " + c[0] + ": " + c[4].replace("\n", "\\n") + " -> serve '" + c[3] + "', view '" + view
            + "'");
      }
    }
    tally.forEach((name, t) -> System.out.printf("agreement %s: %d of %d%n", name, t[0], t[1]));
    parted.forEach(p -> System.out.println("parted " + p));

    assertThat(parted).filteredOn(p -> p.startsWith("plain")).isEmpty();
  }
}
