package io.memtrace.collector.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The --cluster DDL, checked as text: no cluster runs here (docs/fleet.md says so). Every sharded table is a
 * Replicated table on every node and a Distributed twin sharded by its key; every view reads a node's local table.
 */
class ClusterSchemaTest {

  static final SchemaOptions CLUSTER = new SchemaOptions("otel", "fleet", 7, true);
  static final List<String> DDL = ClickHouseSchema.statements(CLUSTER);

  @Test
  void shouldGiveEveryShardedTableAReplicatedLocalTableAndADistributedTwin() {
    for (Table table : ClickHouseSchema.tables(CLUSTER)) {
      String local = create(table.name() + "_local");
      if (table.shardingKey() == null) {
        assertThat(local).as(table.name()).isNull();
        assertThat(create(table.name())).contains("ON CLUSTER 'fleet'")
            .contains("ENGINE = Replicated" + table.engine() + "('/clickhouse/tables/{database}/" + table.name()
                + "', '{replica}')");
        continue;
      }
      // an engine's own arguments follow the replication path: ReplacingMergeTree(Version)
      String family = table.engine().replaceAll("\\(.*", "");
      String arguments = table.engine().contains("(") ? ", " + table.engine().replaceAll(".*\\((.*)\\)", "$1") : "";
      assertThat(local).as(table.name()).contains("ON CLUSTER 'fleet'")
          .contains("ENGINE = Replicated" + family + "('/clickhouse/tables/{shard}/{database}/"
              + table.name() + "_local', '{replica}'" + arguments + ")");
      assertThat(create(table.name())).as(table.name())
          .contains("ON CLUSTER 'fleet' AS \"otel\".\"" + table.name() + "_local\"")
          .contains("ENGINE = Distributed('fleet', 'otel', '" + table.name() + "_local', " + table.shardingKey() + ")");
    }
  }

  @Test
  void shouldShardOperationsByKeyAndSpansByTrace() {
    assertThat(create("memtrace_ops")).endsWith("cityHash64(Store, Key))");
    assertThat(create("otel_traces")).endsWith("cityHash64(TraceId))");
    assertThat(create("otel_traces_trace_id_ts")).endsWith("cityHash64(TraceId))");
    assertThat(create("memtrace_key_event_spans")).endsWith("cityHash64(TraceId))");
    // no copy of each span: the reader asks otel_traces
    assertThat(create("memtrace_spans")).isNull();
    // a key's captured values live on its shard, beside its operations
    assertThat(create("memtrace_key_values")).endsWith("cityHash64(Redis, Key))");
    // a call's spans are on its trace's node, and its rows are written there; a key's rows per layer meet on its shard
    assertThat(create("memtrace_memory_calls")).endsWith("'memtrace_memory_calls_local', Call)");
    assertThat(create("memtrace_memory_calls_local")).contains("ReplicatedMergeTree(");
    assertThat(create("memtrace_layer_keys")).endsWith("'memtrace_layer_keys_local', cityHash64(Key))");
    // a node's spans per layer and operation are written there, and the reader's GROUP BY merges the nodes' rows
    assertThat(create("memtrace_layer_ops")).endsWith("'memtrace_layer_ops_local', cityHash64(Namespace, Operation))");
    // a place's lineage events, its stored writes and its reads meet on one shard
    assertThat(create("memtrace_lineage")).endsWith("cityHash64(Place))");
    assertThat(create("memtrace_lineage_local")).contains("ReplicatedReplacingMergeTree(").contains("'{replica}', Version)");
    assertThat(create("memtrace_lineage_events_local")).contains("ON CLUSTER 'fleet'").contains("ENGINE = Null");
    assertThat(create("memtrace_lineage_events")).endsWith("'memtrace_lineage_events_local', cityHash64(place))");
  }

  @Test
  void shouldFeedViewsFromLocalTablesAndSendOperationsToTheirKeysShard() {
    assertThat(views(DDL)).containsExactly(
        "otel_traces_trace_id_ts_mv: otel_traces_local -> otel_traces_trace_id_ts_local",
        // a node's spans read once into facts kept nowhere; each key's operations go to that key's shard, the rest
        // stays on the node
        "memtrace_span_facts_mv: otel_traces_local -> memtrace_span_facts",
        "memtrace_ops_mv: memtrace_span_facts -> memtrace_ops",
        // the node's spans that carry a value, through a Null table of the node's own, to their keys' shards
        "memtrace_key_values_mv: memtrace_value_spans -> memtrace_key_values",
        "memtrace_value_spans_mv: otel_traces_local -> memtrace_value_spans",
        "memtrace_memory_calls_mv: memtrace_span_facts -> memtrace_memory_calls_local",
        // memory health's counts of the node's calls, every kind of row in one pass, into the node's own table
        "memtrace_memory_call_counts_mv: memtrace_memory_calls_local -> memtrace_memory_call_counts_local",
        "memtrace_layer_keys_mv: memtrace_span_facts -> memtrace_layer_keys",
        "memtrace_layer_ops_mv: memtrace_span_facts -> memtrace_layer_ops_local",
        "memtrace_lineage_events_mv: memtrace_span_facts -> memtrace_lineage_events",
        "memtrace_lineage_mv: memtrace_lineage_events_local -> memtrace_lineage_local",
        "memtrace_lineage_late_mv: memtrace_lineage_events_local -> memtrace_lineage_local",
        // a place's events, lineage and writes are on its shard: the node's own next accesses
        "memtrace_next_access_mv: memtrace_lineage_events_local -> memtrace_next_access_local",
        // each read's rows of the node's own lineage, beside it
        "memtrace_lineage_reads_mv: memtrace_lineage_local -> memtrace_lineage_reads_local",
        // a carrier's commands go to their traces' shards as spans, whose facts, ops and lookup rows are made there
        "memtrace_key_event_carriers_mv: otel_traces_local -> memtrace_key_event_carriers",
        "memtrace_key_event_spans_mv: memtrace_key_event_carriers -> memtrace_key_event_spans",
        "memtrace_key_event_batches_mv: memtrace_key_event_carriers -> memtrace_key_event_spans",
        "memtrace_key_event_spans_facts_mv: memtrace_key_event_spans_local -> memtrace_span_facts",
        "memtrace_key_event_spans_trace_id_ts_mv: memtrace_key_event_spans_local -> otel_traces_trace_id_ts_local");
    assertThat(create("memtrace_memory_call_findings")).isNull();
    assertThat(create("memtrace_memory_call_counts_local")).contains("ReplicatedAggregatingMergeTree(");
  }

  @Test
  void shouldReadTheStatementsOfTheNodesOwnSpansThroughTheirNullTableWhereNoLineageIsKept() {
    List<String> ddl = ClickHouseSchema.statements(new SchemaOptions("otel", "fleet", 7));

    assertThat(views(ddl)).containsSubsequence(
        "memtrace_statement_facts_mv: memtrace_statement_spans -> memtrace_span_facts",
        "memtrace_span_facts_mv: otel_traces_local -> memtrace_span_facts",
        "memtrace_statement_spans_mv: otel_traces_local -> memtrace_statement_spans");
    assertThat(ddl).filteredOn(s -> s.startsWith("CREATE TABLE IF NOT EXISTS \"otel\".\"memtrace_statement_spans\" "))
        .singleElement().asString().contains("ON CLUSTER 'fleet'").contains("ENGINE = Null");
    // with the lineage kept at insert, one view reads each span's facts (SpanFacts.split)
    assertThat(views(DDL)).noneMatch(v -> v.contains("statement"));
  }

  @Test
  void shouldPutTheTtlOnEveryTableThatGrows() {
    for (Table table : ClickHouseSchema.tables(CLUSTER)) {
      if (table.ttlTime() != null) {
        assertThat(create(table.local(CLUSTER))).as(table.name()).contains("\nTTL " + table.ttlTime()
            + " + toIntervalDay(7)\n");
      }
    }
    assertThat(ClickHouseSchema.tables(CLUSTER)).filteredOn(t -> t.ttlTime() == null).extracting(Table::name)
        .containsExactly(RedisCommandTable.TABLE);
  }

  /** Each view of {@code ddl} as {@code name: source -> target}. */
  private static List<String> views(List<String> ddl) {
    Pattern view = Pattern.compile("CREATE MATERIALIZED VIEW IF NOT EXISTS \"otel\".\"(\\w+)\" ON CLUSTER 'fleet'\n"
        + "TO \"otel\".\"(\\w+)\"[\\s\\S]*?FROM \"otel\".\"(\\w+)\"");
    return ddl.stream().filter(s -> s.startsWith("CREATE MATERIALIZED VIEW")).map(s -> {
      Matcher m = view.matcher(s);
      assertThat(m.find()).as(s).isTrue();
      return m.group(1) + ": " + m.group(3) + " -> " + m.group(2);
    }).collect(Collectors.toList());
  }

  private static String create(String name) {
    String prefix = "CREATE TABLE IF NOT EXISTS \"otel\".\"" + name + "\" ";
    return DDL.stream().filter(s -> s.startsWith(prefix)).findFirst().orElse(null);
  }
}
