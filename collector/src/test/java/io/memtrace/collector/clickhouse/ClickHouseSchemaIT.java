package io.memtrace.collector.clickhouse;

import static io.memtrace.collector.clickhouse.SpanRows.attrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import com.clickhouse.data.ClickHouseFormat;
import io.memtrace.collector.Cli;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.ingest.StatementKeys;
import io.memtrace.collector.query.TypedAttributes;
import io.memtrace.testsupport.BuildPaths;
import io.memtrace.testsupport.Ports;
import io.memtrace.testsupport.clickhouse.ChdbFront;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * clickhouse init against the real engine (ClickHouse 26.9 in chDB, behind the test front), and spans inserted into
 * otel_traces the way the exporter writes them flowing through the views into memtrace's tables.
 */
class ClickHouseSchemaIT {

  @AutoClose
  static ChdbFront front;

  @BeforeAll
  static void start() throws Exception {
    // user default without a password: the CLI, which reads the credentials from the environment, gets in too
    front = ChdbFront.startIn("clickhouse-schema", "default", "");
  }

  static ClickHouseSession session(String database) {
    return ClickHouseSession.open(ClickHouseUrl.parse(front.url(database), Map.of()));
  }

  static List<String> init(String database) {
    try (ClickHouseSession session = session(database)) {
      return SchemaInit.run(session, new SchemaOptions(database, null, 0));
    }
  }

  @Test
  void shouldCreateEverythingThenChangeNothingOnASecondRun() throws Exception {
    Cli first = Cli.run("clickhouse", "init", "--clickhouse", front.url("twice"));
    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(first.out.lines()).contains("created twice.otel_traces", "created twice.otel_traces_trace_id_ts",
        "created twice.otel_traces_trace_id_ts_mv", "created twice.memtrace_ops", "created twice.memtrace_ops_mv",
        "created twice.memtrace_span_facts", "created twice.memtrace_span_facts_mv",
        "created twice.memtrace_keyspace", "created twice.memtrace_redis_commands",
        "loaded " + RedisCommandTable.ROWS.size() + " Redis commands into twice.memtrace_redis_commands");
    // no dictionary: one over a local table loads as the default user, which a locked-down server refuses
    assertThat(front.query(null, "SELECT count() FROM system.dictionaries WHERE database = 'twice'")).isEqualTo("0\n");
    String tables = "SELECT name, engine, metadata_modification_time FROM system.tables WHERE database = 'twice' "
        + "ORDER BY name";
    String parts = "SELECT table, count() FROM system.parts WHERE database = 'twice' AND active GROUP BY table "
        + "ORDER BY table";
    String before = front.query(null, tables) + front.query(null, parts);

    Cli second = Cli.run("clickhouse", "init", "--clickhouse", front.url("twice"));

    assertThat(second.exitCode).as(second.toString()).isZero();
    assertThat(second.out).isEqualTo("adopted twice.otel_traces: it has every column the exporter writes\n"
        + "nothing to do: every table and view of the schema is in twice\n");
    assertThat(front.query(null, tables) + front.query(null, parts)).isEqualTo(before);
  }

  @Test
  void shouldSetTheTtlOfTablesMadeBeforeWhenTtlIsGivenAndKeepItOtherwise() throws Exception {
    init("ttl");
    List<String> week;
    try (ClickHouseSession session = session("ttl")) {
      week = SchemaInit.run(session, new SchemaOptions("ttl", null, 7));
      assertThat(SchemaInit.run(session, new SchemaOptions("ttl", null, 7))).containsExactly(
          "adopted ttl.otel_traces: it has every column the exporter writes",
          "nothing to do: every table and view of the schema is in ttl");
      assertThat(SchemaInit.run(session, new SchemaOptions("ttl", null, 0))).last().asString()
          .startsWith("nothing to do");
    }

    assertThat(week).contains("set the TTL of ttl.otel_traces to 7 days (was none)",
        "set the TTL of ttl.memtrace_ops to 7 days (was none)");
    assertThat(front.query(null, "SELECT engine_full FROM system.tables WHERE database = 'ttl' AND name = "
        + "'memtrace_ops'")).contains("TTL toDateTime(Timestamp) + toIntervalDay(7)");
  }

  @Test
  void shouldHaveTheKeptKeysMergeWhenQuietAndGiveAnEarlierStoreTheSetting() throws Exception {
    init("quiet");
    String engine = "SELECT engine_full FROM system.tables WHERE database = 'quiet' AND name = 'memtrace_layer_keys'";
    assertThat(front.query(null, engine)).contains("min_age_to_force_merge_seconds = 600",
        "min_age_to_force_merge_on_partition_only = 1");
    // a store of an earlier init: the table without the setting
    front.query(null, "ALTER TABLE quiet.memtrace_layer_keys RESET SETTING min_age_to_force_merge_seconds, "
        + "min_age_to_force_merge_on_partition_only");
    assertThat(front.query(null, engine)).doesNotContain("min_age_to_force_merge");

    assertThat(init("quiet")).contains("set quiet.memtrace_layer_keys to merge into one part once no insert has come "
        + "for 10 minutes (the report's key sections read one part without merging)");
    assertThat(front.query(null, engine)).contains("min_age_to_force_merge_seconds = 600",
        "min_age_to_force_merge_on_partition_only = 1");
    assertThat(init("quiet")).last().asString().startsWith("nothing to do");
  }

  @Test
  void shouldTurnSpansOfEveryLanguageIntoTypedOperationsAndRollups() throws Exception {
    init("flow");
    SpanRows rows = everyLanguage();
    insert("flow", rows);

    assertThat(front.query("flow", "SELECT KeySource, Store, Namespace, Key, Operation, Kind, Access, ServiceName, "
        + "ValueSize, Ttl, Found FROM memtrace_ops ORDER BY Timestamp").lines()).containsExactly(
        "span\t\taqe/test-plans\tplan-1\tSTORE\twrite\tother\tplanner\t120\t3600\t\\N",
        "span\tredis:6379/0\taqe/test-plans\taqe/test-plans:plan-1\tSET\twrite\twrite\tplanner\t120\t3600\t\\N",
        "span\tredis:6379/0\taqe/test-plans\taqe/test-plans:plan-1\tGET\tread\tread\texecutor\t120\t\\N\t1",
        "statement\tredis:6379/0\taqe/cache\taqe/cache:a-node\tSET\twrite\twrite\tnode-svc\t\\N\t\\N\t\\N",
        "statement\tredis:6379/0\taqe/sessions\taqe/sessions:s-java\tGET\tread\tread\tjava-otel\t\\N\t\\N\t\\N",
        "hidden\tredis:6379/0\t\t\tSET\twrite\twrite\tpy-svc\t\\N\t\\N\t\\N",
        "span\t\taqe/notes\tn-1\tRETRIEVE\tread\tother\tagent\t\\N\t\\N\t0");
    assertThat(front.query("flow", "SELECT uniqExact(TraceId) FROM otel_traces_trace_id_ts")).isEqualTo("6\n");
    // each span's typed columns as the facts view derives them at insert, the statements' key facts as the ops view
    // reads them
    assertThat(front.query("flow", "SELECT ServiceName, memory_operation, memory_key, memory_namespace, "
        + "db_operation_name, memory_value_size, memory_ttl, memory_found, memtrace_derived_from, memtrace_unknown, "
        + "server_address, db_namespace FROM " + SpanFacts.stored(new SchemaOptions("flow", null, 0))
        + " ORDER BY Timestamp").lines()).containsExactly(
        "planner\tstore\tplan-1\taqe/test-plans\t\\N\t120\t3600\t\\N\t\\N\t\\N\t\\N\t\\N",
        "planner\t\\N\taqe/test-plans:plan-1\taqe/test-plans\tSET\t120\t3600\t\\N\t\\N\t\\N\tredis\t0",
        "executor\t\\N\taqe/test-plans:plan-1\taqe/test-plans\tGET\t120\t\\N\ttrue\t\\N\t\\N\tredis\t0",
        "node-svc\t\\N\taqe/cache:a-node\taqe/cache\tSET\t\\N\t\\N\t\\N\tdb.statement\tmemory.value_size\tredis\t\\N",
        "java-otel\t\\N\taqe/sessions:s-java\taqe/sessions\tGET\t\\N\t\\N\t\\N\tdb.query.text\t\\N\tredis\t0",
        "py-svc\t\\N\t\\N\t\\N\tSET\t\\N\t\\N\t\\N\tdb.statement\tmemory.key,memory.value_size\tredis\t0",
        "agent\tretrieve\tn-1\taqe/notes\t\\N\t\\N\t\\N\tfalse\t\\N\t\\N\t\\N\t\\N",
        "planner\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N");

    // an otel_traces that held spans before the rollups existed (an earlier schema): init derives them once
    String keys = "SELECT Layer, Namespace, Key, Accesses, Reads, Writes, BytesWritten FROM memtrace_layer_keys FINAL "
        + "ORDER BY ALL";
    String ops = "SELECT Layer, Namespace, Operation, sum(Spans), sum(Errors) FROM memtrace_layer_ops GROUP BY ALL "
        + "ORDER BY ALL";
    String keysBefore = front.query("flow", keys);
    String opsBefore = front.query("flow", ops);
    assertThat(keysBefore.lines()).hasSize(5);
    for (String table : List.of("memtrace_layer_keys", "memtrace_layer_ops")) {
      front.query("flow", "DROP VIEW " + table + "_mv");
      front.query("flow", "DROP TABLE " + table);
    }
    assertThat(init("flow")).contains("filled flow.memtrace_layer_keys from the spans stored before it (5 keys of "
        + "the two layers)", "filled flow.memtrace_layer_ops from the spans stored before it (8 spans)",
        "created flow.memtrace_layer_keys", "created flow.memtrace_layer_ops_mv");
    assertThat(front.query("flow", keys)).isEqualTo(keysBefore);
    assertThat(front.query("flow", ops)).isEqualTo(opsBefore);
    assertThat(init("flow")).containsExactly("adopted flow.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in flow");
  }

  @Test
  void shouldGiveTheOpsViewOfAnEarlierInitTheNamespaceRuleOnlyWhereItIsReadWithTheSameRows() throws Exception {
    init("nsrule");
    // the ops view as the init of 122274d1 made it: the rule over every operation's key, where the span named its
    // namespace too
    String current = MemtraceViews.opsSelect(new SchemaOptions("nsrule", null, 0));
    String earlier = current.replace("if(memory_namespace IS NOT NULL, assumeNotNull(memory_namespace), coalesce(",
        "coalesce(memory_namespace, ").replace("', 1), ''), '')) AS Namespace", "', 1), ''), '') AS Namespace");
    assertThat(earlier).isNotEqualTo(current).contains(ViewUpgrades.RULE_ON_EVERY_KEY);
    front.query("nsrule", "ALTER TABLE memtrace_ops_mv MODIFY QUERY " + earlier);
    insert("nsrule", everyLanguage());
    String ops = "SELECT KeySource, Store, Namespace, Key, Operation, ServiceName, TraceId, SpanId FROM memtrace_ops "
        + "ORDER BY ALL";
    String earlierOps = front.query("nsrule", ops);
    assertThat(earlierOps.lines()).hasSize(7).anyMatch(l -> l.contains("\taqe/sessions\taqe/sessions:s-java\t"));

    assertInitDoes("nsrule", "redefined nsrule.memtrace_ops_mv to read a key's namespace with the rule only where its "
        + "span names none: the same rows, and no regular expression over the keys of memtrace's own spans");
    assertThat(front.query(null, "SELECT create_table_query FROM system.tables WHERE database = 'nsrule' AND name = "
        + "'memtrace_ops_mv'")).doesNotContain(ViewUpgrades.RULE_ON_EVERY_KEY);
    // the same spans again, through the redefined view: the same operations
    front.query("nsrule", "TRUNCATE TABLE memtrace_ops");
    insert("nsrule", everyLanguage());
    assertThat(front.query("nsrule", ops)).isEqualTo(earlierOps);
    assertInitDoes("nsrule", "nothing to do: every table and view of the schema is in nsrule");
  }

  @Test
  void shouldGiveTheFactsViewOfAnEarlierInitTheStatementsOnlyWhereASpanNamesNoKeyWithTheSameRows() throws Exception {
    init("split");
    // the store as the init of cf23a955 made it: one facts view over otel_traces, every span's statement words in it
    SchemaOptions options = new SchemaOptions("split", null, 0);
    for (String object : List.of(SpanFacts.STATEMENTS_VIEW, SpanFacts.STATEMENT_FACTS_VIEW, SpanFacts.STATEMENTS)) {
      front.query("split", "DROP TABLE split." + object);
    }
    front.query("split", "ALTER TABLE " + SpanFacts.VIEW + " MODIFY QUERY " + SpanFacts.select(options,
        OtelTracesTable.spans().local(options)));
    insert("split", everyLanguage());
    String ops = "SELECT KeySource, Store, Namespace, Key, Operation, Kind, Access, ServiceName, TraceId, SpanId, "
        + "ValueSize, Ttl, Found FROM memtrace_ops ORDER BY ALL";
    String keys = "SELECT Layer, Namespace, Key, Accesses, Reads, Writes, WithTtl, TtlUnknownWrites, BytesWritten "
        + "FROM memtrace_layer_keys FINAL ORDER BY ALL";
    String earlierOps = front.query("split", ops);
    String earlierKeys = front.query("split", keys);
    // the statements' keys among them: Java's GET, Node's hidden value, Python's hidden key
    assertThat(earlierOps.lines()).hasSize(7).anyMatch(l -> l.startsWith("statement\t") && l.contains("s-java"))
        .anyMatch(l -> l.startsWith("hidden\t"));

    assertInitDoes("split", "redefined split.memtrace_span_facts_mv to read only the spans that need no statement, and "
        + "sent the others (Redis spans that name no key) through split.memtrace_statement_spans to "
        + "split.memtrace_statement_facts_mv: the same facts, the statement's words planned only for inserts that hold "
        + "such spans", "created split.memtrace_statement_facts_mv", "created split.memtrace_statement_spans",
        "created split.memtrace_statement_spans_mv");
    // the same spans again, through the split views: the same operations and keys, as a fresh store's
    front.query("split", "TRUNCATE TABLE memtrace_ops");
    front.query("split", "TRUNCATE TABLE memtrace_layer_keys");
    insert("split", everyLanguage());
    init("splitfresh");
    insert("splitfresh", everyLanguage());
    assertThat(front.query("split", ops)).isEqualTo(earlierOps).isEqualTo(front.query("splitfresh", ops));
    assertThat(front.query("split", keys)).isEqualTo(earlierKeys).isEqualTo(front.query("splitfresh", keys));
    assertInitDoes("split", "nothing to do: every table and view of the schema is in split");
  }

  /**
   * Spans of every kind the views read: memtrace's agent (a memory call and its Redis commands), other languages'
   * statements (one that names its key, one that hides it), the GenAI memory conventions alone, a span of no memory.
   */
  private static SpanRows everyLanguage() {
    return new SpanRows()
        // memtrace's agent: a memory-manager store and its Redis SET, then another service's GET of the same key
        .add("planner", "io.memtrace", "t1", 1, "aqe.memory.store", "Internal", attrs("memory.operation", "store",
            "memory.key", "plan-1", "memory.namespace", "aqe/test-plans", "memory.value_size", "120",
            "memory.ttl", "3600"))
        .add("planner", "io.memtrace", "t1", 2, "SET", "Client", attrs("db.system.name", "redis",
            "db.operation.name", "SET", "db.query.text", "SET aqe/test-plans:plan-1 ? EX ?", "memory.key",
            "aqe/test-plans:plan-1", "memory.namespace", "aqe/test-plans", "memory.value_size", "120",
            "memory.ttl", "3600", "server.address", "redis", "server.port", "6379", "db.namespace", "0"))
        .add("executor", "io.memtrace", "t2", 3, "GET", "Client", attrs("db.system.name", "redis",
            "db.operation.name", "GET", "memory.key", "aqe/test-plans:plan-1", "memory.namespace", "aqe/test-plans",
            "memory.value_size", "120", "memory.found", "true", "server.address", "redis", "server.port", "6379",
            "db.namespace", "0"))
        // other languages: a statement only
        .add("node-svc", "@opentelemetry/instrumentation-ioredis", "t3", 4, "set", "Client", attrs("db.system",
            "redis", "db.statement", "set aqe/cache:a-node [1 other arguments]", "net.peer.name", "redis",
            "net.peer.port", "6379"))
        .add("java-otel", "io.opentelemetry.jedis-4.0", "t4", 5, "GET", "Client", attrs("db.system.name", "redis",
            "db.query.text", "GET aqe/sessions:s-java", "server.address", "redis", "server.port", "6379",
            "db.namespace", "0"))
        .add("py-svc", "opentelemetry.instrumentation.redis", "t5", 6, "SET", "Client", attrs("db.system", "redis",
            "db.statement", "SET ? ? ? ?", "net.peer.name", "redis", "net.peer.port", "6379",
            "db.redis.database_index", "0"))
        // the GenAI memory conventions alone, and a span with nothing of memory
        .add("agent", "io.memtrace", "t6", 7, "search_memory", "Client", attrs("gen_ai.operation.name",
            "search_memory", "gen_ai.memory.store.id", "aqe/notes", "gen_ai.memory.record.id", "n-1",
            "memory.found", "false"))
        .add("planner", "io.opentelemetry.http", "t1", 8, "GET /plans", "Server", attrs("http.route", "/plans"));
  }

  /** {@code init} on {@code database}, whose otel_traces it adopts, says it did {@code done} and nothing else. */
  private static void assertInitDoes(String database, String... done) {
    List<String> lines = new java.util.ArrayList<>(List.of("adopted " + database + ".otel_traces: it has every column "
        + "the exporter writes"));
    lines.addAll(List.of(done));
    assertThat(init(database)).containsExactlyElementsOf(lines);
  }

  /** What {@code queries} answer on {@code database}, one after the other. */
  private static String queries(String database, List<String> queries) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String query : queries) {
      out.append(front.query(database, query)).append("--\n");
    }
    return out.toString();
  }

  /** The statements of a test resource that keeps what an earlier init made, for {@code database}, comments left out. */
  private static List<String> earlierInit(String resource, String database) throws java.io.IOException {
    String earlier = new String(ClickHouseSchemaIT.class.getResourceAsStream("/clickhouse/" + resource).readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8).replace("\"otel\".", "\"" + database + "\".");
    return java.util.Arrays.stream(earlier.split(";\n")).map(sql -> sql.lines().filter(l -> !l.startsWith("--"))
        .collect(java.util.stream.Collectors.joining("\n")).strip()).filter(sql -> !sql.isEmpty()).toList();
  }

  /** {@code rows} inserted into {@code database}'s otel_traces as the exporter would. */
  private static void insert(String database, SpanRows rows) throws Exception {
    try (Client client = new Client.Builder().addEndpoint(front.endpoint()).setUsername("default").setPassword("")
        .setDefaultDatabase(database).compressClientRequest(true).build()) {
      client.insert("otel_traces", new ByteArrayInputStream(rows.bytes()), ClickHouseFormat.JSONEachRow)
          .get(60, TimeUnit.SECONDS).close();
    }
  }

  @Test
  void shouldGiveAStoreOfAnEarlierInitTheSpansFactsReadOnceAndStopTheUnreadRollupsAndSpanCopies() throws Exception {
    init("upgrade");
    // the store as the init of 2b126765 made it: no facts; a spans view over otel_traces that read every span's
    // statement into memtrace_spans, which the calls and layers were read from, an ops view over otel_traces that read
    // the statement again, and the key totals and namespace growth beside them
    for (String view : List.of("memtrace_key_event_carriers_mv", "memtrace_key_event_spans_mv",
        "memtrace_key_event_batches_mv", "memtrace_key_event_spans_facts_mv",
        "memtrace_key_event_spans_trace_id_ts_mv", "memtrace_span_facts_mv", SpanFacts.STATEMENTS_VIEW,
        SpanFacts.STATEMENT_FACTS_VIEW)) {
      front.query("upgrade", "DROP VIEW upgrade." + view);
    }
    front.query("upgrade", "DROP TABLE upgrade." + SpanFacts.STATEMENTS);
    front.query("upgrade", "DROP TABLE upgrade.memtrace_key_event_spans");
    front.query("upgrade", "DROP TABLE upgrade.memtrace_key_event_carriers");
    front.query("upgrade", "DROP TABLE upgrade.memtrace_span_facts");
    String statement = "if(SpanAttributes['db.query.text'] != '', SpanAttributes['db.query.text'], "
        + "SpanAttributes['db.statement'])";
    String spansSelect = SpanFactsSelect.spansSelect(new SchemaOptions("upgrade", null, 0))
        .replace("splitByWhitespace(if(MemoryKey IS NULL AND IsRedis, " + statement + ", '')) AS Words",
            "splitByWhitespace(" + statement + ") AS Words")
        .replace("Words AS words", SpanColumns.WORDS + " AS words");
    String facts = spansSelect.substring(spansSelect.indexOf("\nFROM (\n") + 8,
        spansSelect.lastIndexOf("\n) AS s) AS s"))
        .replace("    SpanName, StatusMessage, SpanAttributes\n", "    SpanAttributes, ResourceAttributes\n");
    for (String sql : earlierInit("earlier-init-2b126765.sql", "upgrade")) {
      if (sql.startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS \"upgrade\".\"memtrace_ops_mv\"")) {
        front.query("upgrade", "ALTER TABLE upgrade.memtrace_ops_mv MODIFY QUERY "
            + ClickHouseSchema.viewSelect(sql).replace("{facts}", facts));
      } else {
        front.query("upgrade", sql);
      }
    }
    front.query("upgrade", "CREATE MATERIALIZED VIEW upgrade.memtrace_spans_mv TO upgrade.memtrace_spans AS "
        + spansSelect);
    SchemaOptions options = new SchemaOptions("upgrade", null, 0);
    for (String view : List.of("memtrace_memory_calls_mv", "memtrace_layer_keys_mv", "memtrace_layer_ops_mv")) {
      String create = ClickHouseSchema.statements(options).stream()
          .filter(sql -> view.equals(ClickHouseSchema.viewName(sql))).findFirst().orElseThrow();
      front.query("upgrade", "ALTER TABLE upgrade." + view + " MODIFY QUERY " + ClickHouseSchema.viewSelect(create)
          .replace(SpanFacts.source(options), "\"upgrade\".\"memtrace_spans\"")
          // the calls' view of that init, which took no fingerprint from the spans it read
          .replace(SpanFacts.FINGERPRINTED + " AS fingerprint, ", "")
          .replace("toUInt8(maxIf(fingerprint, Role = 1))", "toUInt8(0)"));
    }
    // with a key that holds a ';', which the ops table keeps as the statement's word and the typed spans take as hidden
    SpanRows rows = everyLanguage().add("node-svc", "@opentelemetry/instrumentation-ioredis", "t7", 9, "get", "Client",
        attrs("db.system", "redis", "db.statement", "get a;b", "net.peer.name", "redis", "net.peer.port", "6379"));
    insert("upgrade", rows);
    String ops = "SELECT KeySource, Store, Namespace, Key, Operation, Kind, Access, ServiceName, TraceId, SpanId, "
        + "ParentSpanId, Duration, ValueSize, Ttl, Found, Error, count() FROM memtrace_ops GROUP BY ALL ORDER BY ALL";
    String calls = "SELECT TraceId, SpanId, Operation, Key, Commands, Bytes, TtlCommands FROM "
        + MemoryCallTotals.mergedCalls("") + " ORDER BY ALL";
    String keys = "SELECT Layer, Namespace, Key, Accesses, Reads, Writes, BytesWritten FROM memtrace_layer_keys FINAL "
        + "ORDER BY ALL";
    String layerOps = "SELECT Layer, Namespace, Operation, sum(Spans), sum(Errors) FROM memtrace_layer_ops GROUP BY ALL "
        + "ORDER BY ALL";
    String earlierOps = front.query("upgrade", ops);
    String earlierRollups = front.query("upgrade", calls) + front.query("upgrade", keys)
        + front.query("upgrade", layerOps);
    assertThat(earlierOps.lines()).hasSize(8).anyMatch(l -> l.startsWith("statement\tredis:6379/0\t\ta;b\tGET"));

    assertThat(init("upgrade")).containsExactly("adopted upgrade.otel_traces: it has every column the exporter writes",
        "created upgrade.memtrace_key_event_batches_mv", "created upgrade.memtrace_key_event_carriers",
        "created upgrade.memtrace_key_event_carriers_mv", "created upgrade.memtrace_key_event_spans",
        "created upgrade.memtrace_key_event_spans_facts_mv",
        "created upgrade.memtrace_key_event_spans_mv", "created upgrade.memtrace_key_event_spans_trace_id_ts_mv",
        "created upgrade.memtrace_span_facts", "created upgrade.memtrace_span_facts_mv",
        "created upgrade.memtrace_statement_facts_mv", "created upgrade.memtrace_statement_spans",
        "created upgrade.memtrace_statement_spans_mv",
        "redefined upgrade.memtrace_ops_mv to read upgrade.memtrace_span_facts, which "
            + "upgrade.memtrace_span_facts_mv fills: each span's attributes and statement are read once at insert, "
            + "into the same rows",
        "redefined upgrade.memtrace_memory_calls_mv, upgrade.memtrace_layer_keys_mv, upgrade.memtrace_layer_ops_mv to "
            + "read upgrade.memtrace_span_facts, and dropped upgrade.memtrace_spans_mv: spans are read from "
            + "upgrade.otel_traces, so inserts no longer copy each span into upgrade.memtrace_spans; its rows stay "
            + "until you run DROP TABLE \"upgrade\".\"memtrace_spans\"",
        "dropped upgrade.memtrace_key_totals_mv: no question memtrace asks reads upgrade.memtrace_key_totals (the "
            + "report reads memtrace_layer_keys and memtrace_layer_ops), so inserts no longer pay for it; its rows "
            + "stay until you run DROP TABLE \"upgrade\".\"memtrace_key_totals\"",
        "dropped upgrade.memtrace_namespace_growth_mv: no question memtrace asks reads "
            + "upgrade.memtrace_namespace_growth (the report reads memtrace_layer_keys and memtrace_layer_ops), so "
            + "inserts no longer pay for it; its rows stay until you run DROP TABLE "
            + "\"upgrade\".\"memtrace_namespace_growth\"");
    String totals = "SELECT count() FROM memtrace_key_totals";
    String kept = front.query("upgrade", totals);

    String copies = front.query("upgrade", "SELECT count() FROM memtrace_spans");

    // the same spans again: the upgraded views make the rows the earlier ones made (a fresh store given the spans
    // twice has the same calls and layers), the span copies and the unread rollups stay as they were
    insert("upgrade", rows);
    assertThat(front.query("upgrade", ops)).isEqualTo(earlierOps.replaceAll("\t1\n", "\t2\n"));
    init("fresh");
    insert("fresh", rows);
    assertThat(front.query("fresh", calls) + front.query("fresh", keys) + front.query("fresh", layerOps))
        .isEqualTo(earlierRollups);
    insert("fresh", rows);
    assertThat(front.query("upgrade", calls) + front.query("upgrade", keys) + front.query("upgrade", layerOps))
        .isEqualTo(front.query("fresh", calls) + front.query("fresh", keys) + front.query("fresh", layerOps));
    assertThat(front.query("upgrade", "SELECT count() FROM memtrace_spans")).isEqualTo(copies);
    assertThat(front.query("upgrade", totals)).isEqualTo(kept);
    assertThat(init("upgrade")).containsExactly("adopted upgrade.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in upgrade");
  }

  @Test
  void shouldGiveAStoreOfAnEarlierInitTheCallsFingerprintsFromTheFactsWithTheSameCalls() throws Exception {
    init("prints");
    // the store as the init of 65348927 made it: facts without the fingerprint, which a view of its own read from
    // otel_traces into the calls
    for (String object : List.of("memtrace_span_facts_mv", "memtrace_memory_calls_mv", SpanFacts.STATEMENTS_VIEW,
        SpanFacts.STATEMENT_FACTS_VIEW, SpanFacts.STATEMENTS, "memtrace_span_facts")) {
      front.query("prints", "DROP TABLE prints." + object);
    }
    for (String sql : earlierInit("earlier-init-65348927-fingerprints.sql", "prints")) {
      front.query("prints", sql);
    }
    SpanRows rows = everyLanguage()
        .add("planner", "io.memtrace", "t8", 9, "aqe.memory.store", "Internal", attrs("memory.operation", "store",
            "memory.key", "plan-2", "memory.namespace", "aqe/test-plans", "memory.value.fingerprint", "f00d"))
        // a fingerprint on a span that is no memory call: no call of its own
        .add("planner", "io.memtrace", "t8", 10, "SET", "Client", attrs("db.system.name", "redis",
            "db.operation.name", "SET", "memory.key", "aqe/test-plans:plan-2", "memory.value.fingerprint", "f00d",
            "server.address", "redis", "server.port", "6379"));
    insert("prints", rows);
    String calls = "SELECT TraceId, SpanId, Store, Operation, Key, Fingerprinted, Commands, Seen FROM "
        + MemoryCallTotals.mergedCalls("") + " WHERE IsCall > 0 ORDER BY ALL";
    String earlierCalls = front.query("prints", calls);
    assertThat(earlierCalls.lines()).hasSize(3).anyMatch(l -> l.contains("\tplan-2\t1\t"));

    assertInitDoes("prints", "redefined prints.memtrace_span_facts_mv to read only the spans that need no statement, "
        + "and sent the others (Redis spans that name no key) through prints.memtrace_statement_spans to "
        + "prints.memtrace_statement_facts_mv: the same facts, the statement's words planned only for inserts that "
        + "hold such spans", "created prints.memtrace_statement_facts_mv", "created prints.memtrace_statement_spans",
        "created prints.memtrace_statement_spans_mv",
        "redefined prints.memtrace_span_facts_mv and prints.memtrace_memory_calls_mv to keep "
        + "whether a call carries a value's fingerprint in the span facts, and dropped "
        + "prints.memtrace_memory_calls_fingerprints_mv: inserts no longer read each span's attributes a second "
        + "time for it");
    assertThat(front.query(null, "SELECT name FROM system.tables WHERE database = 'prints' AND name LIKE "
        + "'%fingerprints%'")).isEmpty();

    // the same spans again, through the upgraded views: the calls are as before, and a fresh store's
    insert("prints", rows);
    init("printsfresh");
    insert("printsfresh", rows);
    assertThat(front.query("prints", calls)).isEqualTo(earlierCalls).isEqualTo(front.query("printsfresh", calls));
    assertInitDoes("prints", "nothing to do: every table and view of the schema is in prints");
  }

  @Test
  void shouldKeepMemoryHealthsCountsOfAnEarlierInitsFourTablesInOneWithTheSameCounts() throws Exception {
    // the store as the init of 9e09af83 made it: four tables fed by five views through a Null table of the findings
    assertUpgradesMemoryHealthsCounts("fourtables", earlierMemoryHealth("fourtables", true));
  }

  @Test
  void shouldKeepMemoryHealthsCountsOfAnInitBeforeTheFindingsInOneTableWithTheSameCounts() throws Exception {
    // the store as the init of 9c896d87 made it: the totals', counted and keys' views each computed the findings
    assertUpgradesMemoryHealthsCounts("findings", earlierMemoryHealth("findings", false));
  }

  /**
   * Memory health's tables and views of an earlier init, for {@code database}: those of 9e09af83 (four tables, the
   * findings' Null table and five views), or with {@code findings} false the four tables with the late calls' view
   * of 9e09af83 and the three views of 9c896d87, each computing the findings.
   */
  private static List<String> earlierMemoryHealth(String database, boolean findings) throws java.io.IOException {
    List<String> four = earlierInit("earlier-init-9e09af83-memory-health.sql", database);
    if (findings) {
      return four;
    }
    List<String> out = new java.util.ArrayList<>(four.stream().filter(sql -> sql.startsWith("CREATE TABLE")
        && !sql.contains(MemoryCallTotals.FINDINGS)).toList());
    out.addAll(four.stream().filter(sql -> sql.contains(MemoryCallTotals.LATE + "_mv")).toList());
    out.addAll(earlierInit("earlier-init-9c896d87-call-findings.sql", database));
    return out;
  }

  /**
   * On {@code database} made by this init with memory health's table and view replaced by {@code earlier}'s, spans
   * with a lost TTL and an N+1 inserted: init fills the counts' table from the stored calls with the counts the
   * earlier tables held, kind by kind as the reader reads them, drops the earlier views, and the same spans again give
   * the counts a fresh store given them twice gives.
   */
  private static void assertUpgradesMemoryHealthsCounts(String database, List<String> earlier) throws Exception {
    init(database);
    for (String object : List.of(MemoryCallTotals.VIEW, MemoryCallTotals.COUNTS)) {
      front.query(database, "DROP TABLE " + database + "." + object);
    }
    for (String sql : earlier) {
      front.query(database, sql);
    }
    SpanRows rows = everyLanguage();
    int store = rows.size() + 1;
    // a store whose TTL no command set (ttl_lost), and a retrieve that reads five keys one GET each (an N+1)
    rows.add("planner", "io.memtrace", "t9", 20, "aqe.memory.store", "Internal", attrs("memory.operation", "store",
        "memory.key", "plan-9", "memory.namespace", "aqe/test-plans", "memory.ttl", "60"));
    rows.under(store).add("planner", "io.memtrace", "t9", 21, "SET", "Client", attrs("db.system.name", "redis",
        "db.operation.name", "SET", "memory.key", "aqe/test-plans:plan-9", "memory.value_size", "40"));
    rows.add("planner", "io.memtrace", "t9", 22, "aqe.memory.retrieve", "Internal", attrs("memory.operation",
        "retrieve", "memory.namespace", "aqe/test-plans"));
    for (int i = 0; i < 5; i++) {
      rows.under(store + 2).add("planner", "io.memtrace", "t9", 23 + i, "GET", "Client", attrs("db.system.name",
          "redis", "db.operation.name", "GET", "memory.key", "aqe/test-plans:plan-" + i, "memory.value_size", "10"));
    }
    insert(database, rows);
    String totals = "SELECT Store, Operation, Hour, sum(Calls), sum(Reads), sum(Writes), sum(Searches), "
        + "sum(EmptySearches), sum(Commands), sum(Bytes), sum(NPlusOne), sum(TtlLost), sum(TtlDiffers), "
        + "sum(TtlUnchecked) FROM %s GROUP BY ALL ORDER BY ALL";
    String keys = "SELECT Store, uniqExactIf(KeyHash, HasKey > 0) FROM %s GROUP BY Store ORDER BY ALL";
    String late = "SELECT DISTINCT Call FROM %s ORDER BY ALL";
    List<String> before = List.of(totals.formatted(MemoryCallTotals.TOTALS),
        "SELECT Call, sum(Commands), sum(Bytes), sum(NPlusOne), countIf(Finding = 'ttl_lost'), countIf(Finding = "
            + "'ttl_differs'), countIf(Finding = 'ttl_unchecked'), max(Start) FROM " + MemoryCallTotals.COUNTED
            + " GROUP BY Call ORDER BY ALL", keys.formatted(MemoryCallTotals.KEYS), late.formatted(MemoryCallTotals.LATE));
    List<String> after = List.of(totals.formatted(kind("totals")), "SELECT Call, sum(Commands), sum(Bytes), "
        + "sum(NPlusOne), sum(TtlLost), sum(TtlDiffers), sum(TtlUnchecked), max(Start) FROM " + kind("counted")
        + " GROUP BY Call ORDER BY ALL", keys.formatted(kind("keys")), late.formatted(kind("late")));
    String earlierCounts = queries(database, before);
    assertThat(front.query(database, "SELECT sum(NPlusOne), sum(TtlLost), sum(TtlUnchecked) > 0 FROM "
        + MemoryCallTotals.TOTALS)).isEqualTo("1\t1\t1\n");
    String calls = front.query(database, "SELECT uniqExactIf(Call, IsCall > 0) FROM memtrace_memory_calls").strip();
    String views = String.join(", ", MemoryCallTotals.EARLIER_VIEWS.stream().filter(v -> earlier.stream()
        .anyMatch(sql -> sql.contains("\"" + v + "\""))).map(v -> database + "." + v).toList());
    String drop = String.join("; ", List.of(MemoryCallTotals.TOTALS, MemoryCallTotals.LATE, MemoryCallTotals.COUNTED,
        MemoryCallTotals.KEYS).stream().map(t -> "DROP TABLE \"" + database + "\".\"" + t + "\"").toList());
    boolean findings = earlier.stream().anyMatch(sql -> sql.contains("\"" + MemoryCallTotals.FINDINGS + "\" ("));

    assertInitDoes(database, "filled " + database + "." + MemoryCallTotals.COUNTS + " from the calls stored before it ("
        + calls + " memory calls)", "dropped " + views + (findings ? " and " + database + "." + MemoryCallTotals.FINDINGS
        : "") + ": memory health's counts are kept in " + database + "." + MemoryCallTotals.COUNTS + " by one view, "
        + "filled from the calls stored before it; the earlier tables' rows stay until you run " + drop,
        "created " + database + "." + MemoryCallTotals.COUNTS, "created " + database + "." + MemoryCallTotals.VIEW);
    assertThat(queries(database, after)).isEqualTo(earlierCounts);
    assertThat(front.query(null, "SELECT name FROM system.tables WHERE database = '" + database + "' AND name LIKE "
        + "'memtrace_memory_call%' ORDER BY name")).isEqualTo(String.join("\n", MemoryCallTotals.COUNTED,
        MemoryCallTotals.COUNTS, MemoryCallTotals.VIEW, MemoryCallTotals.KEYS, MemoryCallTotals.LATE,
        MemoryCallTotals.TOTALS, "memtrace_memory_calls", "memtrace_memory_calls_mv") + "\n");
    // the same spans again, through the upgraded view: each count twice, as a fresh store given them twice counts them
    insert(database, rows);
    init(database + "fresh");
    insert(database + "fresh", rows);
    insert(database + "fresh", rows);
    String twice = queries(database, after);
    assertThat(twice).isNotEqualTo(earlierCounts).isEqualTo(queries(database + "fresh", after));
    assertThat(front.query(database, "SELECT sum(NPlusOne), sum(TtlLost) FROM " + kind("totals"))).isEqualTo("2\t2\n");
    assertInitDoes(database, "nothing to do: every table and view of the schema is in " + database);
  }

  /** The rows of {@code kind} of memory health's counts. */
  private static String kind(String kind) {
    return "(SELECT * FROM " + MemoryCallTotals.COUNTS + " WHERE Kind = '" + kind + "')";
  }

  @Test
  void shouldLookCommandsUpWithoutTheDictionaryOfAnEarlierInitAndWithTheCurrentTable() throws Exception {
    init("dict");
    // as an earlier init left a store: the dictionary over the command table, the views reading it, and a table of
    // other commands (GET with no key, and one this memtrace does not have)
    String dictionary = "dict." + RedisCommandTable.OLD_DICTIONARY;
    front.query("dict", "CREATE DICTIONARY " + dictionary + " (Name String, FirstKey UInt8, Access String) "
        + "PRIMARY KEY Name SOURCE(CLICKHOUSE(DB 'dict' TABLE 'memtrace_redis_commands')) LIFETIME(MIN 0 MAX 3600) "
        + "LAYOUT(COMPLEX_KEY_HASHED())");
    SchemaOptions options = new SchemaOptions("dict", null, 0);
    java.util.function.UnaryOperator<String> fromDictionary = select -> {
      for (String name : List.of("Name1", "Name2")) {
        select = select.replace(RedisCommandTable.firstKey(name, "toUInt8(0)"), "dictGetOrDefault('" + dictionary
            + "', 'FirstKey', tuple(" + name + "), toUInt8(0))");
      }
      return select.replace(RedisCommandTable.access("Operation"), "dictGetOrDefault('" + dictionary
          + "', 'Access', tuple(Operation), 'other')");
    };
    for (String statement : ClickHouseSchema.statements(options)) {
      String view = ClickHouseSchema.viewName(statement);
      if (view != null && RedisCommandTable.looksUp(statement)) {
        front.query("dict", "ALTER TABLE dict." + view + " MODIFY QUERY "
            + fromDictionary.apply(ClickHouseSchema.viewSelect(statement)));
      }
    }
    // and the key events' facts view as an earlier init made it: each span's statement words, read with the dictionary
    front.query("dict", "ALTER TABLE dict." + KeyEventSpansTable.FACTS_VIEW + " MODIFY QUERY "
        + fromDictionary.apply(SpanFacts.select(options, KeyEventSpansTable.table().local(options))));
    String definitions = "SELECT name FROM system.tables WHERE database = 'dict' AND create_table_query LIKE "
        + "'%dictGetOrDefault%' ORDER BY name";
    assertThat(front.query("dict", definitions).lines()).containsExactly("memtrace_key_event_spans_facts_mv",
        "memtrace_ops_mv", "memtrace_statement_facts_mv");
    front.query("dict", "INSERT INTO memtrace_redis_commands VALUES ('GET', 0, 'other'), ('GONE', 1, 'read')");

    assertThat(init("dict")).containsExactly("adopted dict.otel_traces: it has every column the exporter writes",
        "redefined dict.memtrace_key_event_spans_facts_mv to read the key events' spans without statements' words, "
            + "which they never carry: the same facts, with no statement to plan at an insert that holds a carrier",
        "loaded " + RedisCommandTable.ROWS.size() + " Redis commands into dict.memtrace_redis_commands",
        "redefined dict.memtrace_statement_facts_mv with the current command table",
        "redefined dict.memtrace_ops_mv with the current command table",
        "dropped dict." + RedisCommandTable.OLD_DICTIONARY + ": the views look commands up in their own SQL now, with "
            + "no dictionary to load as the default user");

    assertThat(front.query("dict", definitions)).isEmpty();
    assertThat(front.query("dict", "SELECT count(), countIf(Name = 'GONE'), anyIf(FirstKey, Name = 'GET') FROM "
        + "memtrace_redis_commands FINAL")).isEqualTo(RedisCommandTable.ROWS.size() + "\t0\t1\n");
    assertThat(front.query(null, "SELECT count() FROM system.dictionaries WHERE database = 'dict'")).isEqualTo("0\n");
    SpanRows rows = new SpanRows().add("java-otel", "io.opentelemetry.jedis-4.0", "t1", 1, "GET", "Client",
        attrs("db.system.name", "redis", "db.query.text", "GET aqe/sessions:s-java", "server.address", "redis",
            "server.port", "6379", "db.namespace", "0"));
    insert("dict", rows);
    assertThat(front.query("dict", "SELECT KeySource, Key, Operation, Access FROM memtrace_ops")).isEqualTo(
        "statement\taqe/sessions:s-java\tGET\tread\n");
    assertThat(front.query("dict", "SELECT memory_key, db_operation_name FROM "
        + SpanFacts.stored(options))).isEqualTo(
        "aqe/sessions:s-java\tGET\n");
    assertThat(init("dict")).containsExactly("adopted dict.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in dict");
  }

  @Test
  void shouldReadStatementsNamespacesWithTheConfiguredRuleAndKeepItUntilAnotherIsGiven() throws Exception {
    Path dir = Files.createDirectories(BuildPaths.IT_WORK.resolve("clickhouse-rule-" + System.nanoTime()));
    // the first segment; a quote and a backslash in it, which the views' SQL escapes and init reads back
    Path firstSegment = Files.writeString(dir.resolve("first.yaml"), "redis:\n  namespace-from-key: '^([^:'']+)\\:'\n");
    Path lookAround = Files.writeString(dir.resolve("re2.yaml"), "redis:\n  namespace-from-key: '^(?=t)([^:]+):'\n");
    Path none = Files.writeString(dir.resolve("none.yaml"), "# no namespace rule: the agent's default\n");

    Cli first = Cli.run("clickhouse", "init", "--clickhouse", front.url("rule"), "--config", firstSegment.toString());
    assertThat(first.exitCode).as(first.toString()).isZero();
    insertStatement("rule", "GET tenant:sessions:s-1");
    assertThat(front.query("rule", "SELECT Namespace FROM memtrace_ops")).isEqualTo("tenant\n");
    assertThat(front.query("rule", "SELECT Namespace FROM memtrace_layer_keys FINAL")).isEqualTo("tenant\n");

    // without --config the views keep the rule they have
    assertThat(init("rule")).containsExactly("adopted rule.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in rule");
    // a rule ClickHouse's RE2 cannot read: refused in one line before anything changes
    Cli refused = Cli.run("clickhouse", "init", "--clickhouse", front.url("rule"), "--config", lookAround.toString());
    assertThat(refused.exitCode).as(refused.toString()).isNotZero();
    assertThat(refused.err.strip()).doesNotContain("\n").contains("redis.namespace-from-key '^(?=t)([^:]+):' is not "
        + "a regular expression ClickHouse reads");
    // a file that names no rule: the agent's default, and every view that reads namespaces made again with it
    Cli back = Cli.run("clickhouse", "init", "--clickhouse", front.url("rule"), "--config", none.toString());
    assertThat(back.exitCode).as(back.toString()).isZero();
    String rule = "with the namespace rule '" + io.memtrace.common.NamespaceRule.DEFAULT + "'";
    assertThat(back.out.lines()).containsExactly("adopted rule.otel_traces: it has every column the exporter writes",
        "redefined rule.memtrace_statement_facts_mv " + rule, "redefined rule.memtrace_ops_mv " + rule,
        "redefined rule.memtrace_key_values_mv " + rule);
    insertStatement("rule", "GET tenant:sessions:s-2");
    assertThat(front.query("rule", "SELECT Key, Namespace FROM memtrace_ops ORDER BY Key").lines()).containsExactly(
        "tenant:sessions:s-1\ttenant", "tenant:sessions:s-2\ttenant:sessions");
  }

  /** One span of the OpenTelemetry Java agent's Jedis instrumentation with {@code statement} into {@code database}. */
  private static void insertStatement(String database, String statement) throws Exception {
    SpanRows rows = new SpanRows().add("java-otel", "io.opentelemetry.jedis-4.0", "t-" + statement, 1,
        "GET", "Client", attrs("db.system.name", "redis", "db.query.text", statement, "server.address", "redis",
            "server.port", "6379", "db.namespace", "0"));
    insert(database, rows);
  }

  @Test
  void shouldFindTheKeysTheEmbeddedStoreFindsInOtherLanguagesStatements() throws Exception {
    // serve's ingest (StatementKeys) is the embedded store's reading; the view must give the same key and namespace
    Map<String, String> node = Map.of("db.system", "redis", "db.statement", "set aqe/cache:a-node [1 other arguments]");
    Map<String, String> java = Map.of("db.system.name", "redis", "db.query.text", "GET aqe/sessions:s-java");
    assertThat(embedded(node, "@opentelemetry/instrumentation-ioredis")).isEqualTo("aqe/cache:a-node aqe/cache");
    assertThat(embedded(java, "io.opentelemetry.jedis-4.0")).isEqualTo("aqe/sessions:s-java aqe/sessions");
    assertThat(embedded(Map.of("db.system", "redis", "db.statement", "SET ? ? ? ?"),
        "opentelemetry.instrumentation.redis")).isEqualTo("null null");
  }

  private static String embedded(Map<String, String> attributes, String scope) {
    Map<String, Object> span = new HashMap<>(attributes);
    StatementKeys.derive(span, scope);
    return span.get("memory.key") + " " + span.get("memory.namespace");
  }

  @Test
  void shouldAdoptAnOtelTracesTheExporterMadeWithItsOlderLayout() throws Exception {
    front.query(null, "CREATE DATABASE adopt");
    front.query("adopt", exporterTable("Duration UInt64 CODEC(ZSTD(1))", "ScopeName String CODEC(ZSTD(1)), "
        + "ScopeVersion String CODEC(ZSTD(1)),"));

    assertThat(init("adopt")).startsWith("adopted adopt.otel_traces: it has every column the exporter writes")
        .contains("created adopt.memtrace_ops_mv", "added to adopt.otel_traces the attribute columns query reads "
            + "(memory_key, ...), computed as spans are inserted; the spans stored before compute them when read");
    assertThat(front.query(null, "SELECT default_kind, default_expression FROM system.columns WHERE database = "
        + "'adopt' AND table = 'otel_traces' AND name IN ('memory_key', 'memory_value_size') ORDER BY name"))
        .isEqualTo("MATERIALIZED\tSpanAttributes[\\'memory.key\\']\n"
            + "MATERIALIZED\taccurateCastOrNull(SpanAttributes[\\'memory.value_size\\'], \\'Int64\\')\n");
  }

  /**
   * A store of an earlier init: otel_traces and the spans view without the attribute columns. query answers seed
   * 000's queries from the map lookups there; init adds the columns and replaces the view, and query then reads the
   * columns, computed from the map for the spans stored before and kept for those inserted after, with the same
   * answers.
   */
  @Test
  void shouldGiveAStoreOfAnEarlierInitTheAttributeColumnsWithQuerysAnswersUnchanged()
      throws Exception {
    init("earlier");
    SpanRows rows = new SpanRows();
    String[][] ops = {{"aqe.memory.store", "aqe/test-plans", "plan-1", "387", "12"},
        {"aqe.memory.retrieve", "aqe/test-plans", "plan-1", "387", "5"},
        {"aqe.memory.store", "aqe/reports", "report-1", "1247", "15"},
        {"aqe.memory.search", "aqe/test-plans", "plan-%", "", "8.5"}};
    for (int i = 0; i < ops.length; i++) {
      rows.add("aqe-fleet", "io.memtrace", "t" + i, i + 1, ops[i][0], "Internal", attrs("memory.operation",
          ops[i][0].substring("aqe.memory.".length()), "memory.namespace", ops[i][1], "memory.key", ops[i][2],
          "memory.value_size", ops[i][3], "memory.operation_duration_ms", ops[i][4]));
    }
    rows.add("aqe-fleet", "io.memtrace", "t9", 9, "aqe.task.generate", "Internal", attrs("agent.id", "gen"));
    insert("earlier", rows);
    // the key events' spans too, which have otel_traces' columns and are read with it; the facts views that read the
    // columns go with them (an earlier init's read the map), and init makes them again
    for (String view : List.of(SpanFacts.VIEW, SpanFacts.STATEMENTS_VIEW, KeyEventSpansTable.FACTS_VIEW)) {
      front.query("earlier", "DROP VIEW " + view);
    }
    for (String table : List.of("otel_traces", "memtrace_key_event_spans")) {
      front.query("earlier", "ALTER TABLE " + table + " " + AttributeColumns.COLUMNS.values().stream()
          .map(c -> "DROP COLUMN IF EXISTS " + c).collect(java.util.stream.Collectors.joining(", ")));
    }
    front.query("earlier", "CREATE OR REPLACE VIEW spans AS SELECT toString(SpanName) AS name, "
        + "CAST(SpanAttributes, 'Map(String, String)') AS attributes FROM otel_traces");
    List<String> seed = List.of(
        "SELECT attributes['memory.key'] as key, attributes['memory.namespace'] as namespace, "
            + "attributes['memory.operation_duration_ms'] as duration_ms FROM spans WHERE name LIKE 'aqe.memory.%' "
            + "ORDER BY duration_ms DESC LIMIT 10",
        "SELECT attributes['memory.key'] as key, attributes['memory.value_size'] as size_bytes FROM spans "
            + "WHERE name = 'aqe.memory.store' ORDER BY size_bytes DESC LIMIT 10",
        "SELECT attributes['memory.namespace'] as namespace, COUNT(*) as operation_count, "
            + "AVG(attributes['memory.operation_duration_ms']) as avg_duration_ms FROM spans "
            + "WHERE name LIKE 'aqe.memory.%' GROUP BY namespace ORDER BY namespace");
    io.memtrace.collector.reader.StoreReader reader = io.memtrace.collector.clickhouse.reader.ClickHouseReader.open(
        ClickHouseUrl.parse(front.url("earlier"), Map.of()), io.memtrace.collector.query.TestQueryLimits.HANG_GUARD);
    try (reader) {
      List<List<List<Object>>> before = new java.util.ArrayList<>();
      for (String sql : seed) {
        before.add(reader.query(sql).rows());
      }
      assertThat(before.get(0)).extracting(r -> r.get(0) + " " + r.get(2)).containsExactly("report-1 15.0",
          "plan-1 12.0", "plan-% 8.5", "plan-1 5.0");
      assertThat(before.get(1)).extracting(r -> r.get(0) + " " + r.get(1)).containsExactly("report-1 1247",
          "plan-1 387");
      assertThat(before.get(2)).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).containsExactly(
          "aqe/reports 1 15.0", "aqe/test-plans 3 8.5");

      assertThat(init("earlier")).contains("added to earlier.otel_traces and earlier.memtrace_key_event_spans the "
          + "attribute columns query reads "
          + "(memory_key, ...), computed as spans are inserted; the spans stored before compute them when read",
          "replaced earlier.spans with a view that has the attribute columns (memory_key, ...), which query reads "
          + "for attributes['memory.key'] and the like");

      assertThat(front.query("earlier", "SELECT name FROM system.columns WHERE database = 'earlier' AND table = "
          + "'spans' AND name LIKE 'memory_%' ORDER BY position").lines()).startsWith("memory_operation",
          "memory_namespace", "memory_key", "memory_value_size");
      for (int i = 0; i < seed.size(); i++) {
        assertThat(reader.query(seed.get(i)).rows()).as(seed.get(i)).isEqualTo(before.get(i));
      }
      // spans inserted after: their columns kept at insert, the answers the lookups give
      insert("earlier", rows);
      before.clear();
      for (String sql : seed) {
        // the lookups on otel_traces itself (which query refuses unless asked for the captured values)
        before.add(reader.queryWithValues(TypedAttributes.rewrite(sql, Map.of("memory.value_size", "BIGINT",
            "memory.operation_duration_ms", "DOUBLE"), AttributeColumns::typed).replace("FROM spans",
            "FROM (SELECT toString(SpanName) AS name, CAST(SpanAttributes, 'Map(String, String)') AS attributes "
            + "FROM otel_traces)")).rows());
      }
      assertThat(before.get(2)).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).containsExactly(
          "aqe/reports 2 15.0", "aqe/test-plans 6 8.5");
      for (int i = 0; i < seed.size(); i++) {
        assertThat(reader.query(seed.get(i)).rows()).as(seed.get(i)).isEqualTo(before.get(i));
      }
    }
    assertThat(init("earlier")).containsExactly("adopted earlier.otel_traces: it has every column the exporter writes",
        "nothing to do: every table and view of the schema is in earlier");
  }

  @Test
  void shouldRefuseAnOtelTracesTheExporterCannotWriteAndCreateNothing() throws Exception {
    front.query(null, "CREATE DATABASE refuse");
    front.query("refuse", exporterTable("Duration Int64 CODEC(ZSTD(1))", ""));

    assertThatThrownBy(() -> init("refuse")).isInstanceOf(CollectorException.class)
        .hasMessage("refusing to adopt refuse.otel_traces: it has no column ScopeName (String), which the exporter "
            + "writes; the exporter (v0.140 or later) writes the schema in deploy/clickhouse/schema.sql");
    assertThat(front.query(null, "SELECT name FROM system.tables WHERE database = 'refuse'")).isEqualTo(
        "otel_traces\n");
  }

  /** otel_traces as older exporters made it (before ScopeName, with a signed Duration in the oldest). */
  private static String exporterTable(String duration, String scope) {
    return "CREATE TABLE otel_traces (Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)), TraceId String CODEC(ZSTD(1)), "
        + "SpanId String CODEC(ZSTD(1)), ParentSpanId String CODEC(ZSTD(1)), TraceState String CODEC(ZSTD(1)), "
        + "SpanName LowCardinality(String) CODEC(ZSTD(1)), SpanKind LowCardinality(String) CODEC(ZSTD(1)), "
        + "ServiceName LowCardinality(String) CODEC(ZSTD(1)), "
        + "ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)), " + scope
        + "SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)), " + duration + ", "
        + "StatusCode LowCardinality(String) CODEC(ZSTD(1)), StatusMessage String CODEC(ZSTD(1)), "
        + "Events Nested (Timestamp DateTime64(9), Name LowCardinality(String), "
        + "Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)), "
        + "Links Nested (TraceId String, SpanId String, TraceState String, "
        + "Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)), "
        + "INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1) ENGINE MergeTree() "
        + "PARTITION BY toDate(Timestamp) ORDER BY (ServiceName, SpanName, toUnixTimestamp(Timestamp), TraceId) "
        + "SETTINGS index_granularity=8192, ttl_only_drop_parts = 1";
  }

  @Test
  void shouldHaveTheEngineParseEveryStatementOfTheClusterSchema() throws Exception {
    // no cluster runs here: ClickHouse's own parser is as far as the cluster DDL can be checked by the engine
    SchemaOptions cluster = new SchemaOptions("otel", "fleet", 30);
    List<String> statements = new java.util.ArrayList<>(ClickHouseSchema.statements(cluster));
    statements.add(RedisCommandTable.insert(cluster));

    for (String statement : statements) {
      assertThat(front.query(null, "EXPLAIN AST " + statement)).as(statement).isNotBlank();
    }
  }

  @Test
  void shouldNameWrongCredentialsInOneLine() {
    ClickHouseUrl url = ClickHouseUrl.parse(front.url("otel"), Map.of(ClickHouseUrl.USER_ENV, "default",
        ClickHouseUrl.PASSWORD_ENV, "not-it"));

    assertThatThrownBy(() -> ClickHouseSession.open(url)).isInstanceOf(CollectorException.class)
        .hasMessage("ClickHouse at " + front.endpoint() + " refused the user 'default': wrong user or password (they "
            + "come from MEMTRACE_CLICKHOUSE_USER and MEMTRACE_CLICKHOUSE_PASSWORD)");
  }

  @Test
  void shouldNameAnUnreachableServerInOneLine() throws Exception {
    Cli cli;
    int port;
    try (Ports.Refusing nothing = Ports.refusing()) {
      port = nothing.port();
      cli = Cli.run("clickhouse", "init", "--clickhouse", "http://127.0.0.1:" + port + "/otel");
    }

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).startsWith("error: cannot reach ClickHouse at http://127.0.0.1:" + port + " (")
        .endsWith("): is it running, and is that its HTTP port (8123)?\n");
    assertThat(cli.err.strip().lines()).hasSize(1);
  }

  @Test
  void shouldNameABadUrlInOneLine() {
    Cli cli = Cli.run("clickhouse", "init", "--clickhouse", "http://127.0.0.1:8123");

    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).isEqualTo("error: --clickhouse http://127.0.0.1:8123: its path names no database (the one "
        + "the OpenTelemetry Collector's exporter writes to); the form is http://HOST:8123/DATABASE\n");
  }
}
