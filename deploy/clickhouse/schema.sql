-- memtrace's fleet schema on ClickHouse, on one server.
-- Printed by `java -jar memtrace-collector.jar clickhouse schema`; `clickhouse init` with the same options applies the same statements.
-- deploy/clickhouse/schema.sql is the output without options; do not edit it: ClickHouseSchemaFilesTest fails while it differs.
-- Database: otel; retention: none (add --ttl DAYS).
-- Why each ORDER BY, partition and codec: docs/fleet.md, "Schema".

CREATE DATABASE IF NOT EXISTS "otel";

CREATE TABLE IF NOT EXISTS "otel"."memtrace_redis_commands" (
Name String,
    FirstKey UInt8,
    Access LowCardinality(String)
) ENGINE = ReplacingMergeTree()
ORDER BY Name
COMMENT 'memtrace: Redis commands, generated from memtrace\'s command table';

CREATE TABLE IF NOT EXISTS "otel"."otel_traces" (
Timestamp DateTime64(9) CODEC(Delta, ZSTD(3)),
    TraceId String CODEC(ZSTD(3)),
    SpanId String CODEC(ZSTD(3)),
    ParentSpanId String CODEC(ZSTD(3)),
    TraceState String CODEC(ZSTD(3)),
    SpanName LowCardinality(String) CODEC(ZSTD(3)),
    SpanKind LowCardinality(String) CODEC(ZSTD(3)),
    ServiceName LowCardinality(String) CODEC(ZSTD(3)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    ScopeName String CODEC(ZSTD(3)),
    ScopeVersion String CODEC(ZSTD(3)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    Duration UInt64 CODEC(ZSTD(3)),
    StatusCode LowCardinality(String) CODEC(ZSTD(3)),
    StatusMessage String CODEC(ZSTD(3)),
    Events Nested(Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(3)),
    Links Nested(TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(3)),
    memory_operation LowCardinality(String) MATERIALIZED SpanAttributes['memory.operation'] CODEC(ZSTD(3)),
    memory_namespace LowCardinality(String) MATERIALIZED SpanAttributes['memory.namespace'] CODEC(ZSTD(3)),
    memory_key String MATERIALIZED SpanAttributes['memory.key'] CODEC(ZSTD(3)),
    memory_value_size Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['memory.value_size'], 'Int64') CODEC(ZSTD(3)),
    memory_ttl Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['memory.ttl'], 'Int64') CODEC(ZSTD(3)),
    memory_operation_duration_ms Nullable(Float64) MATERIALIZED accurateCastOrNull(SpanAttributes['memory.operation_duration_ms'], 'Float64') CODEC(ZSTD(3)),
    db_system_name LowCardinality(String) MATERIALIZED SpanAttributes['db.system.name'] CODEC(ZSTD(3)),
    db_system LowCardinality(String) MATERIALIZED SpanAttributes['db.system'] CODEC(ZSTD(3)),
    db_operation_name LowCardinality(String) MATERIALIZED SpanAttributes['db.operation.name'] CODEC(ZSTD(3)),
    memtrace_compressed_count Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['memtrace.compressed.count'], 'Int64') CODEC(ZSTD(3)),
    memtrace_compressed_duration_ms Nullable(Float64) MATERIALIZED accurateCastOrNull(SpanAttributes['memtrace.compressed.duration_ms'], 'Float64') CODEC(ZSTD(3)),
    gen_ai_operation_name LowCardinality(String) MATERIALIZED SpanAttributes['gen_ai.operation.name'] CODEC(ZSTD(3)),
    gen_ai_memory_store_id LowCardinality(String) MATERIALIZED SpanAttributes['gen_ai.memory.store.id'] CODEC(ZSTD(3)),
    gen_ai_memory_record_id String MATERIALIZED SpanAttributes['gen_ai.memory.record.id'] CODEC(ZSTD(3)),
    gen_ai_memory_record_count Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['gen_ai.memory.record.count'], 'Int64') CODEC(ZSTD(3)),
    memory_result_count Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['memory.result_count'], 'Int64') CODEC(ZSTD(3)),
    server_address LowCardinality(String) MATERIALIZED SpanAttributes['server.address'] CODEC(ZSTD(3)),
    server_port Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['server.port'], 'Int64') CODEC(ZSTD(3)),
    db_namespace LowCardinality(String) MATERIALIZED SpanAttributes['db.namespace'] CODEC(ZSTD(3)),
    memtrace_derived_from LowCardinality(String) MATERIALIZED SpanAttributes['memtrace.derived.from'] CODEC(ZSTD(3)),
    memtrace_unknown LowCardinality(String) MATERIALIZED SpanAttributes['memtrace.unknown'] CODEC(ZSTD(3)),
    memory_value_fingerprint String MATERIALIZED SpanAttributes['memory.value.fingerprint'] CODEC(ZSTD(3)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1
COMMENT 'spans as the OpenTelemetry Collector clickhouseexporter writes them';

CREATE TABLE IF NOT EXISTS "otel"."otel_traces_trace_id_ts" (
TraceId String CODEC(ZSTD(3)),
    Start DateTime CODEC(Delta, ZSTD(3)),
    End DateTime CODEC(Delta, ZSTD(3)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.01) GRANULARITY 1
) ENGINE = MergeTree()
PARTITION BY toDate(Start)
ORDER BY (TraceId, Start)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1
COMMENT 'a trace\'s time range, for finding its spans (the exporter\'s lookup)';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_ops" (
Store LowCardinality(String) CODEC(ZSTD(1)),
    Namespace LowCardinality(String) CODEC(ZSTD(1)),
    Key String CODEC(ZSTD(1)),
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Operation LowCardinality(String) CODEC(ZSTD(1)),
    Kind Enum8('other' = 0, 'read' = 1, 'write' = 2, 'delete' = 3, 'expire' = 4) CODEC(ZSTD(1)),
    Access Enum8('other' = 0, 'read' = 1, 'write' = 2, 'delete' = 3) CODEC(ZSTD(1)),
    KeySource Enum8('span' = 1, 'statement' = 2, 'hidden' = 3) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    Duration UInt64 CODEC(T64, ZSTD(1)),
    ValueSize Nullable(UInt64) CODEC(T64, ZSTD(1)),
    Ttl Nullable(Int64) CODEC(ZSTD(1)),
    Found Nullable(UInt8) CODEC(ZSTD(1)),
    Error UInt8 CODEC(ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (Store, Namespace, Key, Timestamp)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1
COMMENT 'memtrace: one row per memory or Redis operation on a key';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_keyspace" (
Time DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    Redis LowCardinality(String),
    Db UInt16,
    Namespace LowCardinality(String),
    Layer LowCardinality(String),
    Keys UInt64 CODEC(T64, ZSTD(1)),
    Bytes UInt64 CODEC(T64, ZSTD(1)),
    BytesError UInt64 CODEC(T64, ZSTD(1)),
    SampledKeys UInt64 CODEC(T64, ZSTD(1)),
    KeysWithoutTtl UInt64 CODEC(T64, ZSTD(1)),
    TtlP50S Nullable(Float64), TtlP90S Nullable(Float64), TtlP99S Nullable(Float64),
    IdleP50S Nullable(Float64), IdleP90S Nullable(Float64), IdleP99S Nullable(Float64),
    LfuFreqP50 Nullable(Float64),
    Types Map(LowCardinality(String), UInt64),
    PassId UInt64,
    Complete Bool,
    Stale Bool,
    KeysError UInt64 CODEC(T64, ZSTD(1)),
    Sampled Bool
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(Time)
ORDER BY (Redis, Db, Namespace, Time)
COMMENT 'memtrace: the keyspace watcher\'s samples per namespace and pass';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_key_notifications" (
Store LowCardinality(String) CODEC(ZSTD(1)),
    Db UInt16,
    Namespace LowCardinality(String) CODEC(ZSTD(1)),
    Key String CODEC(ZSTD(1)),
    Timestamp DateTime64(6) CODEC(Delta(8), ZSTD(1)),
    Event LowCardinality(String),
    Kind Enum8('write' = 1, 'delete' = 2, 'ttl' = 3, 'expiry' = 4, 'eviction' = 5),
    Weight Float64 DEFAULT 1
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (Store, Namespace, Key, Timestamp)
SETTINGS ttl_only_drop_parts = 1
COMMENT 'memtrace: the keyspace notifications the watcher recorded';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_key_notification_status" (
Time DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    Redis LowCardinality(String),
    State LowCardinality(String),
    NotifyConfig String,
    Received UInt64, Recorded UInt64, DroppedRate UInt64, DroppedSampled UInt64, DroppedQueue UInt64,
    Error String,
    Namespaces String DEFAULT '',
    DroppedNamespaces Nullable(String)
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(Time)
ORDER BY (Redis, Time)
COMMENT 'memtrace: what the watcher\'s keyspace notifications cover';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_key_values" (
Namespace LowCardinality(String) CODEC(ZSTD(1)),
    Key String CODEC(ZSTD(1)),
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    Seq UInt32,
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Redis LowCardinality(String) CODEC(ZSTD(1)),
    Db UInt16,
    Operation LowCardinality(String),
    Change LowCardinality(String),
    Type LowCardinality(String),
    Base64 Bool,
    Value String CODEC(ZSTD(3)),
    Size UInt64 CODEC(T64, ZSTD(1)),
    Truncated Bool
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (Namespace, Key, Timestamp)
SETTINGS ttl_only_drop_parts = 1
COMMENT 'memtrace: the captured values (memory.value span events), kept apart from the spans';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_memory_calls" (
Call UInt64 CODEC(Delta(8), ZSTD(1)),
    IsCall SimpleAggregateFunction(max, UInt8) CODEC(ZSTD(1)),
    TraceId SimpleAggregateFunction(max, String) CODEC(ZSTD(1)),
    SpanId SimpleAggregateFunction(max, String) CODEC(ZSTD(1)),
    Start SimpleAggregateFunction(max, Int64) CODEC(T64, ZSTD(1)),
    Store SimpleAggregateFunction(max, String) CODEC(ZSTD(1)),
    Operation SimpleAggregateFunction(max, String) CODEC(ZSTD(1)),
    Key SimpleAggregateFunction(max, Nullable(String)) CODEC(ZSTD(1)),
    Ttl SimpleAggregateFunction(max, Nullable(Int64)) CODEC(T64, ZSTD(1)),
    Results SimpleAggregateFunction(max, Nullable(Int64)) CODEC(T64, ZSTD(1)),
    Carried SimpleAggregateFunction(max, Int64) CODEC(T64, ZSTD(1)),
    Error SimpleAggregateFunction(max, UInt8) CODEC(ZSTD(1)),
    Fingerprinted SimpleAggregateFunction(max, UInt8) CODEC(ZSTD(1)),
    Commands SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    Bytes SimpleAggregateFunction(sum, Int64) CODEC(T64, ZSTD(1)),
    TtlCommands SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    LowTtl SimpleAggregateFunction(min, Nullable(Int64)) CODEC(T64, ZSTD(1)),
    GotTtl SimpleAggregateFunction(max, Nullable(Int64)) CODEC(T64, ZSTD(1)),
    RedisKey SimpleAggregateFunction(min, Nullable(String)) CODEC(ZSTD(1)),
    CommandKeys SimpleAggregateFunction(groupUniqArrayArray, Array(Tuple(String, UInt64))) CODEC(ZSTD(1)),
    Seen SimpleAggregateFunction(max, DateTime64(9)) CODEC(T64, ZSTD(1))
) ENGINE = MergeTree()
ORDER BY Call
COMMENT 'memtrace: each memory call with its Redis commands totals, kept at insert';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_layer_keys" (
Layer Enum8('memory' = 1, 'redis' = 2),
    Namespace LowCardinality(String),
    Key String CODEC(ZSTD(1)),
    Accesses SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    Reads SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    Writes SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    Deletes SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    WithTtl SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    TtlUnknownWrites SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    LargestWrite SimpleAggregateFunction(max, Nullable(Int64)) CODEC(T64, ZSTD(1)),
    BytesWritten SimpleAggregateFunction(sum, Nullable(Int64)) CODEC(T64, ZSTD(1)),
    FirstWrite SimpleAggregateFunction(min, Nullable(Int64)) CODEC(ZSTD(1)),
    LastSeen SimpleAggregateFunction(max, Int64) CODEC(T64, ZSTD(1))
) ENGINE = AggregatingMergeTree()
ORDER BY (Layer, Namespace, Key)
SETTINGS min_age_to_force_merge_seconds = 600, min_age_to_force_merge_on_partition_only = 1
COMMENT 'memtrace: each key\'s totals per report layer, kept at insert';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_layer_ops" (
Layer Enum8('memory' = 1, 'redis' = 2, 'span' = 3),
    Namespace LowCardinality(String),
    Operation LowCardinality(String),
    Hour DateTime,
    Spans SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    Hits SimpleAggregateFunction(sum, UInt64),
    Misses SimpleAggregateFunction(sum, UInt64),
    DurationSum SimpleAggregateFunction(sum, Float64),
    Durations AggregateFunction(quantilesExactInclusive(0.5, 0.95, 0.99), Float64),
    Slowest AggregateFunction(groupArraySorted(10), Tuple(Float64, Int64, Nullable(String), Nullable(String), String, String)),
    Largest AggregateFunction(groupArraySorted(10), Tuple(Int64, String, String, String)),
    KeysFromAgent SimpleAggregateFunction(sum, UInt64),
    KeysFromStatements SimpleAggregateFunction(sum, UInt64),
    KeysHidden SimpleAggregateFunction(sum, UInt64),
    SizesUnknown SimpleAggregateFunction(sum, UInt64),
    Derived SimpleAggregateFunction(sum, UInt64),
    Traces AggregateFunction(uniqCombined(16), String),
    Services SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    FirstStart SimpleAggregateFunction(min, Int64),
    LastEnd SimpleAggregateFunction(max, Int64)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(Hour)
ORDER BY (Layer, Namespace, Operation, Hour)
COMMENT 'memtrace: each report layer\'s spans per namespace, operation and hour, kept at insert';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_key_event_spans" (
Timestamp DateTime64(9) CODEC(Delta, ZSTD(3)),
    TraceId String CODEC(ZSTD(3)),
    SpanId String CODEC(ZSTD(3)),
    ParentSpanId String CODEC(ZSTD(3)),
    TraceState String CODEC(ZSTD(3)),
    SpanName LowCardinality(String) CODEC(ZSTD(3)),
    SpanKind LowCardinality(String) CODEC(ZSTD(3)),
    ServiceName LowCardinality(String) CODEC(ZSTD(3)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    ScopeName String CODEC(ZSTD(3)),
    ScopeVersion String CODEC(ZSTD(3)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    Duration UInt64 CODEC(ZSTD(3)),
    StatusCode LowCardinality(String) CODEC(ZSTD(3)),
    StatusMessage String CODEC(ZSTD(3)),
    Events Nested(Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(3)),
    Links Nested(TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(3)),
    memory_operation LowCardinality(String) MATERIALIZED SpanAttributes['memory.operation'] CODEC(ZSTD(3)),
    memory_namespace LowCardinality(String) MATERIALIZED SpanAttributes['memory.namespace'] CODEC(ZSTD(3)),
    memory_key String MATERIALIZED SpanAttributes['memory.key'] CODEC(ZSTD(3)),
    memory_value_size Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['memory.value_size'], 'Int64') CODEC(ZSTD(3)),
    memory_ttl Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['memory.ttl'], 'Int64') CODEC(ZSTD(3)),
    memory_operation_duration_ms Nullable(Float64) MATERIALIZED accurateCastOrNull(SpanAttributes['memory.operation_duration_ms'], 'Float64') CODEC(ZSTD(3)),
    db_system_name LowCardinality(String) MATERIALIZED SpanAttributes['db.system.name'] CODEC(ZSTD(3)),
    db_system LowCardinality(String) MATERIALIZED SpanAttributes['db.system'] CODEC(ZSTD(3)),
    db_operation_name LowCardinality(String) MATERIALIZED SpanAttributes['db.operation.name'] CODEC(ZSTD(3)),
    memtrace_compressed_count Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['memtrace.compressed.count'], 'Int64') CODEC(ZSTD(3)),
    memtrace_compressed_duration_ms Nullable(Float64) MATERIALIZED accurateCastOrNull(SpanAttributes['memtrace.compressed.duration_ms'], 'Float64') CODEC(ZSTD(3)),
    gen_ai_operation_name LowCardinality(String) MATERIALIZED SpanAttributes['gen_ai.operation.name'] CODEC(ZSTD(3)),
    gen_ai_memory_store_id LowCardinality(String) MATERIALIZED SpanAttributes['gen_ai.memory.store.id'] CODEC(ZSTD(3)),
    gen_ai_memory_record_id String MATERIALIZED SpanAttributes['gen_ai.memory.record.id'] CODEC(ZSTD(3)),
    gen_ai_memory_record_count Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['gen_ai.memory.record.count'], 'Int64') CODEC(ZSTD(3)),
    memory_result_count Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['memory.result_count'], 'Int64') CODEC(ZSTD(3)),
    server_address LowCardinality(String) MATERIALIZED SpanAttributes['server.address'] CODEC(ZSTD(3)),
    server_port Nullable(Int64) MATERIALIZED accurateCastOrNull(SpanAttributes['server.port'], 'Int64') CODEC(ZSTD(3)),
    db_namespace LowCardinality(String) MATERIALIZED SpanAttributes['db.namespace'] CODEC(ZSTD(3)),
    memtrace_derived_from LowCardinality(String) MATERIALIZED SpanAttributes['memtrace.derived.from'] CODEC(ZSTD(3)),
    memtrace_unknown LowCardinality(String) MATERIALIZED SpanAttributes['memtrace.unknown'] CODEC(ZSTD(3)),
    memory_value_fingerprint String MATERIALIZED SpanAttributes['memory.value.fingerprint'] CODEC(ZSTD(3)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1
COMMENT 'memtrace: the Redis spans the agent sent as key events (memtrace.key_events carriers of otel_traces), as the spans they stand for';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_memory_call_counts" (
Kind Enum8('totals' = 1, 'late' = 2, 'counted' = 3, 'keys' = 4),
    Store LowCardinality(String),
    Operation LowCardinality(String),
    Hour DateTime,
    Call UInt64 CODEC(Delta(8), ZSTD(1)),
    HasKey UInt8,
    KeyHash UInt64 CODEC(Delta(8), ZSTD(1)),
    Calls SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    Reads SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    Writes SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    Searches SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    EmptySearches SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    Commands SimpleAggregateFunction(sum, Int64) CODEC(T64, ZSTD(1)),
    Bytes SimpleAggregateFunction(sum, Int64) CODEC(T64, ZSTD(1)),
    NPlusOne SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    TtlLost SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    TtlDiffers SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    TtlUnchecked SimpleAggregateFunction(sum, UInt64) CODEC(T64, ZSTD(1)),
    Start SimpleAggregateFunction(max, Int64) CODEC(ZSTD(1)),
    Day SimpleAggregateFunction(max, Date)
) ENGINE = AggregatingMergeTree()
ORDER BY (Kind, Store, Operation, Hour, Call, HasKey, KeyHash)
COMMENT 'memtrace: memory health\'s counts per store, operation and hour, the late calls, what each call was counted as and the keys written per store, kept at insert';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_span_facts" (
    TraceId String,
    SpanId String,
    ParentSpanId String,
    SpanName LowCardinality(String),
    ServiceName LowCardinality(String),
    StatusCode LowCardinality(String),
    StatusMessage String,
    Timestamp DateTime64(9),
    Duration UInt64,
    memory_operation Nullable(String),
    memory_key Nullable(String),
    memory_namespace Nullable(String),
    db_system_name Nullable(String),
    db_system Nullable(String),
    db_operation_name Nullable(String),
    memory_value_size Nullable(Int64),
    memory_ttl Nullable(Int64),
    memory_found Nullable(Bool),
    memtrace_compressed_count Nullable(Int64),
    memory_result_count Nullable(Int64),
    gen_ai_memory_record_count Nullable(Int64),
    memtrace_derived_from Nullable(String),
    memtrace_unknown Nullable(String),
    server_address Nullable(String),
    server_port Nullable(String),
    db_namespace Nullable(String),
    OpsKey String,
    OpsKeySource LowCardinality(String),
    Fingerprinted UInt8
) ENGINE = Null
COMMENT 'memtrace: each inserted span\'s typed columns and key facts, for the views that keep them';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_statement_spans" (
    Timestamp DateTime64(9),
    ServiceName LowCardinality(String),
    TraceId String,
    SpanId String,
    ParentSpanId String,
    Duration UInt64,
    StatusCode LowCardinality(String),
    SpanName LowCardinality(String),
    StatusMessage String,
    SpanAttributes Map(LowCardinality(String), String)
) ENGINE = Null
COMMENT 'memtrace: the inserted spans whose facts need their statement (a Redis span that names no key)';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_value_spans" (
    TraceId String,
    SpanId String,
    ServiceName LowCardinality(String),
    SpanName LowCardinality(String),
    SpanAttributes Map(LowCardinality(String), String),
    EventTimes Array(DateTime64(9)),
    EventNames Array(LowCardinality(String)),
    EventAttributes Array(Map(LowCardinality(String), String))
) ENGINE = Null
COMMENT 'memtrace: the inserted spans that carry a captured value, for the key values\' view';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_key_event_carriers" (
    ServiceName LowCardinality(String),
    ResourceAttributes Map(LowCardinality(String), String),
    ScopeName String,
    ScopeVersion String,
    EventTimes Array(DateTime64(9)),
    EventAttributes Array(Map(LowCardinality(String), String))
) ENGINE = Null
COMMENT 'memtrace: the key events\' carriers of each insert into otel_traces, for the views that expand them';

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."otel_traces_trace_id_ts_mv"
TO "otel"."otel_traces_trace_id_ts"
AS SELECT TraceId, min(Timestamp) AS Start, max(Timestamp) AS End
FROM "otel"."otel_traces"
WHERE TraceId != ''
GROUP BY TraceId;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_statement_facts_mv"
TO "otel"."memtrace_span_facts"
AS SELECT s.TraceId AS TraceId, s.SpanId AS SpanId, s.ParentSpanId AS ParentSpanId, s.SpanName AS SpanName, s.ServiceName AS ServiceName, s.StatusCode AS StatusCode, s.StatusMessage AS StatusMessage, s.Timestamp AS Timestamp, s.Duration AS Duration,
    coalesce(nullIf(s.SpanAttributes['memory.operation'], ''), CASE nullIf(s.SpanAttributes['gen_ai.operation.name'], '') WHEN 'search_memory' THEN CASE WHEN nullIf(s.SpanAttributes['gen_ai.memory.record.id'], '') IS NOT NULL AND (nullIf(s.SpanAttributes['memory.found'], '') IS NOT NULL OR nullIf(s.SpanAttributes['gen_ai.memory.record.count'], '') IS NULL) THEN 'retrieve' ELSE 'search' END WHEN 'upsert_memory' THEN 'store' WHEN 'delete_memory' THEN 'delete' WHEN 'create_memory' THEN 'create' WHEN 'update_memory' THEN 'update' WHEN 'create_memory_store' THEN 'create_memory_store' WHEN 'delete_memory_store' THEN 'delete_memory_store' END) AS memory_operation,
    coalesce(CASE WHEN nullIf(s.SpanAttributes['memory.operation'], '') IS NULL AND nullIf(s.SpanAttributes['gen_ai.operation.name'], '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(s.SpanAttributes['gen_ai.memory.record.id'], '') ELSE nullIf(s.SpanAttributes['memory.key'], '') END, if(o_ks = 'statement', nullIf(o_Key, ''), NULL)) AS memory_key,
    coalesce(CASE WHEN nullIf(s.SpanAttributes['memory.operation'], '') IS NULL AND nullIf(s.SpanAttributes['gen_ai.operation.name'], '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(s.SpanAttributes['gen_ai.memory.store.id'], '') ELSE nullIf(s.SpanAttributes['memory.namespace'], '') END, if(o_ks = 'statement', nullIf(o_Namespace, ''), NULL)) AS memory_namespace,
    nullIf(s.SpanAttributes['db.system.name'], '') AS db_system_name,
    nullIf(s.SpanAttributes['db.system'], '') AS db_system,
    coalesce(nullIf(s.SpanAttributes['db.operation.name'], ''), if(o_ks != '', nullIf(o_Operation, ''), NULL)) AS db_operation_name,
    coalesce(toInt64OrNull(nullIf(s.SpanAttributes['memory.value_size'], '')), if(o_ks = 'statement' AND NOT arrayExists(w -> w = '?' OR startsWith(w, '['), arraySlice(words, 2)), multiIf(upper(words[1]) IN ('SET', 'SETNX', 'GETSET', 'APPEND'), toInt64(length(words[3])), upper(words[1]) IN ('SETEX', 'PSETEX'), toInt64(length(words[4])), NULL), NULL)) AS memory_value_size,
    coalesce(toInt64OrNull(nullIf(s.SpanAttributes['memory.ttl'], '')), if(o_ks = 'statement' AND NOT arrayExists(w -> w = '?' OR startsWith(w, '['), arraySlice(words, 2)), multiIf(upper(words[1]) = 'SETEX', toInt64OrNull(words[3]), upper(words[1]) = 'PSETEX', intDiv(toInt64OrNull(words[3]), 1000), upper(words[1]) = 'SET' AND indexOf(arrayMap(w -> upper(w), words), 'EX') > 2, toInt64OrNull(words[indexOf(arrayMap(w -> upper(w), words), 'EX') + 1]), upper(words[1]) = 'SET' AND indexOf(arrayMap(w -> upper(w), words), 'PX') > 2, intDiv(toInt64OrNull(words[indexOf(arrayMap(w -> upper(w), words), 'PX') + 1]), 1000), NULL), NULL)) AS memory_ttl,
    multiIf(nullIf(s.SpanAttributes['memory.found'], '') = 'true', true, nullIf(s.SpanAttributes['memory.found'], '') = 'false', false, NULL) AS memory_found,
    toInt64OrNull(nullIf(s.SpanAttributes['memtrace.compressed.count'], '')) AS memtrace_compressed_count,
    toInt64OrNull(nullIf(s.SpanAttributes['memory.result_count'], '')) AS memory_result_count,
    toInt64OrNull(nullIf(s.SpanAttributes['gen_ai.memory.record.count'], '')) AS gen_ai_memory_record_count,
    if(o_ks != '', if(s.SpanAttributes['db.query.text'] != '', 'db.query.text', 'db.statement'), NULL) AS memtrace_derived_from,
    if(o_ks != '', nullIf(arrayStringConcat(arrayFilter(x -> x != '', [if(o_ks = 'hidden', 'memory.key', ''), if(upper(words[1]) IN ('SET', 'SETNX', 'GETSET', 'APPEND', 'SETEX', 'PSETEX') AND (o_ks = 'hidden' OR arrayExists(w -> w = '?' OR startsWith(w, '['), arraySlice(words, 2))), 'memory.value_size', '')]), ','), ''), NULL) AS memtrace_unknown,
    coalesce(nullIf(s.SpanAttributes['server.address'], ''), nullIf(s.SpanAttributes['net.peer.name'], '')) AS server_address,
    coalesce(nullIf(s.SpanAttributes['server.port'], ''), nullIf(s.SpanAttributes['net.peer.port'], '')) AS server_port,
    coalesce(nullIf(s.SpanAttributes['db.namespace'], ''), nullIf(s.SpanAttributes['db.redis.database_index'], '')) AS db_namespace,
    if(MemoryKey IS NOT NULL OR FromStatement, Key, '') AS OpsKey,
    if(MemoryKey IS NOT NULL OR FromStatement, multiIf(MemoryKey IS NOT NULL, 'span', Hidden, 'hidden', 'statement'), '') AS OpsKeySource,
    s.SpanAttributes['memory.value.fingerprint'] != '' AS Fingerprinted
FROM (SELECT *, if(if(MemoryKey IS NULL AND FromStatement, multiIf(MemoryKey IS NOT NULL, 'span', Hidden, 'hidden', 'statement'), '') = 'statement' AND position(Key, ';') + position(Operation, 'PIPELINE') + position(Operation, 'MULTI') > 0, 'hidden', toString(if(MemoryKey IS NULL AND FromStatement, multiIf(MemoryKey IS NOT NULL, 'span', Hidden, 'hidden', 'statement'), ''))) AS o_ks, Key AS o_Key, coalesce(CASE WHEN nullIf(SpanAttributes['memory.operation'], '') IS NULL AND nullIf(SpanAttributes['gen_ai.operation.name'], '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(SpanAttributes['gen_ai.memory.store.id'], '') ELSE nullIf(SpanAttributes['memory.namespace'], '') END, nullIf(regexpExtract(Key, '^(.*)[:/][^:/]*$', 1), ''), '') AS o_Namespace, Operation AS o_Operation, Words AS words
FROM (
SELECT *,
    if(Position2 > 0, Position2, Position1) AS Position,
    if(Position2 > 0, Name2, Name1) AS Command,
    Words[Position + 1] AS Word,
    Word = '' OR Word = '?' OR (startsWith(Word, '[') AND Words[Position + 2] = 'other') AS Hidden,
    MemoryKey IS NULL AND IsRedis AND Position > 0 AS FromStatement,
    multiIf(MemoryKey IS NOT NULL, MemoryKey, FromStatement AND NOT Hidden, Word, '') AS Key,
    upper(coalesce(coalesce(nullIf(SpanAttributes['memory.operation'], ''), CASE nullIf(SpanAttributes['gen_ai.operation.name'], '') WHEN 'search_memory' THEN CASE WHEN nullIf(SpanAttributes['gen_ai.memory.record.id'], '') IS NOT NULL AND (nullIf(SpanAttributes['memory.found'], '') IS NOT NULL OR nullIf(SpanAttributes['gen_ai.memory.record.count'], '') IS NULL) THEN 'retrieve' ELSE 'search' END WHEN 'upsert_memory' THEN 'store' WHEN 'delete_memory' THEN 'delete' WHEN 'create_memory' THEN 'create' WHEN 'update_memory' THEN 'update' WHEN 'create_memory_store' THEN 'create_memory_store' WHEN 'delete_memory_store' THEN 'delete_memory_store' END), nullIf(SpanAttributes['db.operation.name'], ''), if(FromStatement, Command, NULL), '')) AS Operation
FROM (
SELECT *, transform(Name2, ['APPEND', 'BITCOUNT', 'BITFIELD', 'BITFIELD_RO', 'BITOP', 'BITPOS', 'BLMOVE', 'BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BZPOPMAX', 'BZPOPMIN', 'COPY', 'DECR', 'DECRBY', 'DEL', 'DELEX', 'DIGEST', 'DUMP', 'EXISTS', 'EXPIRE', 'EXPIREAT', 'EXPIRETIME', 'GEOADD', 'GEODIST', 'GEOHASH', 'GEOPOS', 'GEORADIUS', 'GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO', 'GEORADIUS_RO', 'GEOSEARCH', 'GEOSEARCHSTORE', 'GET', 'GETBIT', 'GETDEL', 'GETEX', 'GETRANGE', 'GETSET', 'HDEL', 'HEXISTS', 'HEXPIRE', 'HEXPIREAT', 'HEXPIRETIME', 'HGET', 'HGETALL', 'HGETDEL', 'HGETEX', 'HINCRBY', 'HINCRBYFLOAT', 'HKEYS', 'HLEN', 'HMGET', 'HMSET', 'HPERSIST', 'HPEXPIRE', 'HPEXPIREAT', 'HPEXPIRETIME', 'HPTTL', 'HRANDFIELD', 'HSCAN', 'HSET', 'HSETEX', 'HSETNX', 'HSTRLEN', 'HTTL', 'HVALS', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'JSON.ARRAPPEND', 'JSON.ARRINDEX', 'JSON.ARRINSERT', 'JSON.ARRLEN', 'JSON.ARRPOP', 'JSON.ARRTRIM', 'JSON.CLEAR', 'JSON.DEBUG|MEMORY', 'JSON.DEL', 'JSON.FORGET', 'JSON.GET', 'JSON.MERGE', 'JSON.MGET', 'JSON.MSET', 'JSON.NUMINCRBY', 'JSON.NUMMULTBY', 'JSON.OBJKEYS', 'JSON.OBJLEN', 'JSON.RESP', 'JSON.SET', 'JSON.STRAPPEND', 'JSON.STRLEN', 'JSON.TOGGLE', 'JSON.TYPE', 'LCS', 'LINDEX', 'LINSERT', 'LLEN', 'LMOVE', 'LPOP', 'LPOS', 'LPUSH', 'LPUSHX', 'LRANGE', 'LREM', 'LSET', 'LTRIM', 'MEMORY|USAGE', 'MGET', 'MIGRATE', 'MOVE', 'MSET', 'MSETNX', 'OBJECT|ENCODING', 'OBJECT|FREQ', 'OBJECT|IDLETIME', 'OBJECT|REFCOUNT', 'PERSIST', 'PEXPIRE', 'PEXPIREAT', 'PEXPIRETIME', 'PFADD', 'PFCOUNT', 'PFDEBUG', 'PFMERGE', 'PSETEX', 'PTTL', 'RENAME', 'RENAMENX', 'RESTORE', 'RESTORE-ASKING', 'RPOP', 'RPOPLPUSH', 'RPUSH', 'RPUSHX', 'SADD', 'SCARD', 'SDIFF', 'SDIFFSTORE', 'SET', 'SETBIT', 'SETEX', 'SETNX', 'SETRANGE', 'SINTER', 'SINTERSTORE', 'SISMEMBER', 'SMEMBERS', 'SMISMEMBER', 'SMOVE', 'SORT', 'SORT_RO', 'SPOP', 'SRANDMEMBER', 'SREM', 'SSCAN', 'STRLEN', 'SUBSTR', 'SUNION', 'SUNIONSTORE', 'TOUCH', 'TTL', 'TYPE', 'UNLINK', 'VADD', 'VCARD', 'VDIM', 'VEMB', 'VGETATTR', 'VINFO', 'VISMEMBER', 'VLINKS', 'VRANDMEMBER', 'VRANGE', 'VREM', 'VSETATTR', 'VSIM', 'WATCH', 'XACK', 'XACKDEL', 'XADD', 'XAUTOCLAIM', 'XCLAIM', 'XDEL', 'XDELEX', 'XGROUP|CREATE', 'XGROUP|CREATECONSUMER', 'XGROUP|DELCONSUMER', 'XGROUP|DESTROY', 'XGROUP|SETID', 'XINFO|CONSUMERS', 'XINFO|GROUPS', 'XINFO|STREAM', 'XLEN', 'XPENDING', 'XRANGE', 'XREVRANGE', 'XSETID', 'XTRIM', 'ZADD', 'ZCARD', 'ZCOUNT', 'ZDIFFSTORE', 'ZINCRBY', 'ZINTERSTORE', 'ZLEXCOUNT', 'ZMSCORE', 'ZPOPMAX', 'ZPOPMIN', 'ZRANDMEMBER', 'ZRANGE', 'ZRANGEBYLEX', 'ZRANGEBYSCORE', 'ZRANGESTORE', 'ZRANK', 'ZREM', 'ZREMRANGEBYLEX', 'ZREMRANGEBYRANK', 'ZREMRANGEBYSCORE', 'ZREVRANGE', 'ZREVRANGEBYLEX', 'ZREVRANGEBYSCORE', 'ZREVRANK', 'ZSCAN', 'ZSCORE', 'ZUNIONSTORE'], [1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 3, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], toUInt8(0)) AS Position2,
    transform(Name1, ['APPEND', 'BITCOUNT', 'BITFIELD', 'BITFIELD_RO', 'BITOP', 'BITPOS', 'BLMOVE', 'BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BZPOPMAX', 'BZPOPMIN', 'COPY', 'DECR', 'DECRBY', 'DEL', 'DELEX', 'DIGEST', 'DUMP', 'EXISTS', 'EXPIRE', 'EXPIREAT', 'EXPIRETIME', 'GEOADD', 'GEODIST', 'GEOHASH', 'GEOPOS', 'GEORADIUS', 'GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO', 'GEORADIUS_RO', 'GEOSEARCH', 'GEOSEARCHSTORE', 'GET', 'GETBIT', 'GETDEL', 'GETEX', 'GETRANGE', 'GETSET', 'HDEL', 'HEXISTS', 'HEXPIRE', 'HEXPIREAT', 'HEXPIRETIME', 'HGET', 'HGETALL', 'HGETDEL', 'HGETEX', 'HINCRBY', 'HINCRBYFLOAT', 'HKEYS', 'HLEN', 'HMGET', 'HMSET', 'HPERSIST', 'HPEXPIRE', 'HPEXPIREAT', 'HPEXPIRETIME', 'HPTTL', 'HRANDFIELD', 'HSCAN', 'HSET', 'HSETEX', 'HSETNX', 'HSTRLEN', 'HTTL', 'HVALS', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'JSON.ARRAPPEND', 'JSON.ARRINDEX', 'JSON.ARRINSERT', 'JSON.ARRLEN', 'JSON.ARRPOP', 'JSON.ARRTRIM', 'JSON.CLEAR', 'JSON.DEBUG|MEMORY', 'JSON.DEL', 'JSON.FORGET', 'JSON.GET', 'JSON.MERGE', 'JSON.MGET', 'JSON.MSET', 'JSON.NUMINCRBY', 'JSON.NUMMULTBY', 'JSON.OBJKEYS', 'JSON.OBJLEN', 'JSON.RESP', 'JSON.SET', 'JSON.STRAPPEND', 'JSON.STRLEN', 'JSON.TOGGLE', 'JSON.TYPE', 'LCS', 'LINDEX', 'LINSERT', 'LLEN', 'LMOVE', 'LPOP', 'LPOS', 'LPUSH', 'LPUSHX', 'LRANGE', 'LREM', 'LSET', 'LTRIM', 'MEMORY|USAGE', 'MGET', 'MIGRATE', 'MOVE', 'MSET', 'MSETNX', 'OBJECT|ENCODING', 'OBJECT|FREQ', 'OBJECT|IDLETIME', 'OBJECT|REFCOUNT', 'PERSIST', 'PEXPIRE', 'PEXPIREAT', 'PEXPIRETIME', 'PFADD', 'PFCOUNT', 'PFDEBUG', 'PFMERGE', 'PSETEX', 'PTTL', 'RENAME', 'RENAMENX', 'RESTORE', 'RESTORE-ASKING', 'RPOP', 'RPOPLPUSH', 'RPUSH', 'RPUSHX', 'SADD', 'SCARD', 'SDIFF', 'SDIFFSTORE', 'SET', 'SETBIT', 'SETEX', 'SETNX', 'SETRANGE', 'SINTER', 'SINTERSTORE', 'SISMEMBER', 'SMEMBERS', 'SMISMEMBER', 'SMOVE', 'SORT', 'SORT_RO', 'SPOP', 'SRANDMEMBER', 'SREM', 'SSCAN', 'STRLEN', 'SUBSTR', 'SUNION', 'SUNIONSTORE', 'TOUCH', 'TTL', 'TYPE', 'UNLINK', 'VADD', 'VCARD', 'VDIM', 'VEMB', 'VGETATTR', 'VINFO', 'VISMEMBER', 'VLINKS', 'VRANDMEMBER', 'VRANGE', 'VREM', 'VSETATTR', 'VSIM', 'WATCH', 'XACK', 'XACKDEL', 'XADD', 'XAUTOCLAIM', 'XCLAIM', 'XDEL', 'XDELEX', 'XGROUP|CREATE', 'XGROUP|CREATECONSUMER', 'XGROUP|DELCONSUMER', 'XGROUP|DESTROY', 'XGROUP|SETID', 'XINFO|CONSUMERS', 'XINFO|GROUPS', 'XINFO|STREAM', 'XLEN', 'XPENDING', 'XRANGE', 'XREVRANGE', 'XSETID', 'XTRIM', 'ZADD', 'ZCARD', 'ZCOUNT', 'ZDIFFSTORE', 'ZINCRBY', 'ZINTERSTORE', 'ZLEXCOUNT', 'ZMSCORE', 'ZPOPMAX', 'ZPOPMIN', 'ZRANDMEMBER', 'ZRANGE', 'ZRANGEBYLEX', 'ZRANGEBYSCORE', 'ZRANGESTORE', 'ZRANK', 'ZREM', 'ZREMRANGEBYLEX', 'ZREMRANGEBYRANK', 'ZREMRANGEBYSCORE', 'ZREVRANGE', 'ZREVRANGEBYLEX', 'ZREVRANGEBYSCORE', 'ZREVRANK', 'ZSCAN', 'ZSCORE', 'ZUNIONSTORE'], [1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 3, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], toUInt8(0)) AS Position1
FROM (
SELECT Timestamp, ServiceName, TraceId, SpanId, ParentSpanId, Duration, StatusCode,
    CASE WHEN nullIf(SpanAttributes['memory.operation'], '') IS NULL AND nullIf(SpanAttributes['gen_ai.operation.name'], '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(SpanAttributes['gen_ai.memory.record.id'], '') ELSE nullIf(SpanAttributes['memory.key'], '') END AS MemoryKey,
    (SpanAttributes['db.system.name'] = 'redis' OR SpanAttributes['db.system'] = 'redis') AS IsRedis,
    splitByWhitespace(if(MemoryKey IS NULL AND IsRedis, if(SpanAttributes['db.query.text'] != '', SpanAttributes['db.query.text'], SpanAttributes['db.statement']), '')) AS Words,
    upper(Words[1]) AS Name1,
    concat(Name1, '|', upper(Words[2])) AS Name2,
    SpanName, StatusMessage, SpanAttributes
FROM "otel"."memtrace_statement_spans"
)
)
) AS s) AS s
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_span_facts_mv"
TO "otel"."memtrace_span_facts"
AS SELECT s.TraceId AS TraceId, s.SpanId AS SpanId, s.ParentSpanId AS ParentSpanId, s.SpanName AS SpanName, s.ServiceName AS ServiceName, s.StatusCode AS StatusCode, s.StatusMessage AS StatusMessage, s.Timestamp AS Timestamp, s.Duration AS Duration,
    coalesce(nullIf(s.memory_operation, ''), CASE nullIf(s.gen_ai_operation_name, '') WHEN 'search_memory' THEN CASE WHEN nullIf(s.gen_ai_memory_record_id, '') IS NOT NULL AND (nullIf(s.SpanAttributes['memory.found'], '') IS NOT NULL OR nullIf(s.SpanAttributes['gen_ai.memory.record.count'], '') IS NULL) THEN 'retrieve' ELSE 'search' END WHEN 'upsert_memory' THEN 'store' WHEN 'delete_memory' THEN 'delete' WHEN 'create_memory' THEN 'create' WHEN 'update_memory' THEN 'update' WHEN 'create_memory_store' THEN 'create_memory_store' WHEN 'delete_memory_store' THEN 'delete_memory_store' END) AS memory_operation,
    CASE WHEN nullIf(s.memory_operation, '') IS NULL AND nullIf(s.gen_ai_operation_name, '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(s.gen_ai_memory_record_id, '') ELSE nullIf(s.memory_key, '') END AS memory_key,
    CASE WHEN nullIf(s.memory_operation, '') IS NULL AND nullIf(s.gen_ai_operation_name, '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(s.gen_ai_memory_store_id, '') ELSE nullIf(s.memory_namespace, '') END AS memory_namespace,
    nullIf(s.db_system_name, '') AS db_system_name,
    nullIf(s.db_system, '') AS db_system,
    nullIf(s.db_operation_name, '') AS db_operation_name,
    s.memory_value_size AS memory_value_size,
    s.memory_ttl AS memory_ttl,
    multiIf(nullIf(s.SpanAttributes['memory.found'], '') = 'true', true, nullIf(s.SpanAttributes['memory.found'], '') = 'false', false, NULL) AS memory_found,
    s.memtrace_compressed_count AS memtrace_compressed_count,
    s.memory_result_count AS memory_result_count,
    s.gen_ai_memory_record_count AS gen_ai_memory_record_count,
    CAST(NULL AS Nullable(String)) AS memtrace_derived_from,
    CAST(NULL AS Nullable(String)) AS memtrace_unknown,
    coalesce(nullIf(s.server_address, ''), nullIf(s.SpanAttributes['net.peer.name'], '')) AS server_address,
    coalesce(nullIf(s.SpanAttributes['server.port'], ''), nullIf(s.SpanAttributes['net.peer.port'], '')) AS server_port,
    coalesce(nullIf(s.db_namespace, ''), nullIf(s.SpanAttributes['db.redis.database_index'], '')) AS db_namespace,
    ifNull(memory_key, '') AS OpsKey,
    if(memory_key IS NOT NULL, 'span', '') AS OpsKeySource,
    s.memory_value_fingerprint != '' AS Fingerprinted
FROM "otel"."otel_traces" AS s
WHERE NOT (memory_key IS NULL AND (s.db_system_name = 'redis' OR s.db_system = 'redis'))
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_statement_spans_mv"
TO "otel"."memtrace_statement_spans"
AS SELECT Timestamp, ServiceName, TraceId, SpanId, ParentSpanId, Duration, StatusCode, SpanName, StatusMessage, SpanAttributes
FROM "otel"."otel_traces" AS s
WHERE CASE WHEN nullIf(s.memory_operation, '') IS NULL AND nullIf(s.gen_ai_operation_name, '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(s.gen_ai_memory_record_id, '') ELSE nullIf(s.memory_key, '') END IS NULL AND (s.db_system_name = 'redis' OR s.db_system = 'redis')
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_ops_mv"
TO "otel"."memtrace_ops"
AS SELECT
    if((ifNull(db_system_name, '') = 'redis' OR ifNull(db_system, '') = 'redis'), concat(coalesce(server_address, ''), ':', coalesce(server_port, ''), '/', coalesce(db_namespace, '0')), '') AS Store,
    if(memory_namespace IS NOT NULL, assumeNotNull(memory_namespace), coalesce(nullIf(regexpExtract(Key, '^(.*)[:/][^:/]*$', 1), ''), '')) AS Namespace,
    OpsKey AS Key, Timestamp, upper(coalesce(memory_operation, db_operation_name, '')) AS Operation,
    CASE WHEN Operation IN ('EXISTS', 'GET', 'GETDEL', 'GETEX', 'GETRANGE', 'HEXISTS', 'HGET', 'HGETALL', 'HKEYS', 'HLEN', 'HMGET', 'HVALS', 'LINDEX', 'LLEN', 'LRANGE', 'MGET', 'PTTL', 'RETRIEVE', 'SCARD', 'SISMEMBER', 'SMEMBERS', 'SRANDMEMBER', 'STRLEN', 'TTL', 'XLEN', 'XRANGE', 'XREAD', 'XREVRANGE', 'ZCARD', 'ZRANGE', 'ZRANGEBYSCORE', 'ZRANK', 'ZREVRANGE', 'ZSCORE') THEN 'read' WHEN Operation IN ('APPEND', 'COPY', 'DECR', 'DECRBY', 'GETSET', 'HDEL', 'HINCRBY', 'HINCRBYFLOAT', 'HMSET', 'HSET', 'HSETNX', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'LINSERT', 'LPOP', 'LPUSH', 'LPUSHX', 'LREM', 'LSET', 'LTRIM', 'MSET', 'MSETNX', 'PSETEX', 'RESTORE', 'RPOP', 'RPUSH', 'RPUSHX', 'SADD', 'SET', 'SETEX', 'SETNX', 'SETRANGE', 'SPOP', 'SREM', 'STORE', 'XADD', 'XDEL', 'XTRIM', 'ZADD', 'ZINCRBY', 'ZREM') THEN 'write' WHEN Operation IN ('DEL', 'DELETE', 'UNLINK') THEN 'delete' WHEN Operation IN ('EXPIRE', 'EXPIREAT', 'PERSIST', 'PEXPIRE', 'PEXPIREAT') THEN 'expire' ELSE 'other' END AS Kind,
    if((ifNull(db_system_name, '') = 'redis' OR ifNull(db_system, '') = 'redis'), transform(Operation, ['APPEND', 'BITFIELD', 'BITOP', 'BLMOVE', 'BLMPOP', 'BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BZMPOP', 'BZPOPMAX', 'BZPOPMIN', 'DECR', 'DECRBY', 'DEL', 'DELEX', 'DUMP', 'EXISTS', 'FT.AGGREGATE', 'FT.CURSOR', 'FT.CURSOR|READ', 'FT.HYBRID', 'FT.SEARCH', 'GEOADD', 'GEODIST', 'GEOHASH', 'GEOPOS', 'GEORADIUS', 'GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO', 'GEORADIUS_RO', 'GEOSEARCH', 'GEOSEARCHSTORE', 'GET', 'GETDEL', 'GETEX', 'GETRANGE', 'GETSET', 'HDEL', 'HEXISTS', 'HGET', 'HGETALL', 'HGETDEL', 'HGETEX', 'HINCRBY', 'HINCRBYFLOAT', 'HKEYS', 'HMGET', 'HMSET', 'HRANDFIELD', 'HSCAN', 'HSET', 'HSETEX', 'HSETNX', 'HVALS', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'JSON.ARRAPPEND', 'JSON.ARRINSERT', 'JSON.ARRPOP', 'JSON.ARRTRIM', 'JSON.CLEAR', 'JSON.DEL', 'JSON.FORGET', 'JSON.GET', 'JSON.MERGE', 'JSON.MGET', 'JSON.MSET', 'JSON.NUMINCRBY', 'JSON.NUMMULTBY', 'JSON.RESP', 'JSON.SET', 'JSON.STRAPPEND', 'JSON.TOGGLE', 'LCS', 'LINDEX', 'LINSERT', 'LMOVE', 'LMPOP', 'LPOP', 'LPOS', 'LPUSH', 'LPUSHX', 'LRANGE', 'LREM', 'LSET', 'LTRIM', 'MGET', 'MOVE', 'MSET', 'MSETEX', 'MSETNX', 'PFADD', 'PFMERGE', 'PSETEX', 'PUBLISH', 'RENAME', 'RENAMENX', 'RESTORE', 'RESTORE-ASKING', 'RPOP', 'RPOPLPUSH', 'RPUSH', 'RPUSHX', 'SADD', 'SDIFF', 'SDIFFSTORE', 'SET', 'SETBIT', 'SETEX', 'SETNX', 'SETRANGE', 'SINTER', 'SINTERSTORE', 'SISMEMBER', 'SMEMBERS', 'SMISMEMBER', 'SMOVE', 'SORT', 'SORT_RO', 'SPOP', 'SRANDMEMBER', 'SREM', 'SSCAN', 'SUBSTR', 'SUNION', 'SUNIONSTORE', 'UNLINK', 'VADD', 'VEMB', 'VGETATTR', 'VISMEMBER', 'VLINKS', 'VRANDMEMBER', 'VRANGE', 'VREM', 'VSETATTR', 'VSIM', 'XACKDEL', 'XADD', 'XAUTOCLAIM', 'XCLAIM', 'XDEL', 'XDELEX', 'XGROUP|DELCONSUMER', 'XGROUP|DESTROY', 'XRANGE', 'XREAD', 'XREADGROUP', 'XREVRANGE', 'XTRIM', 'ZADD', 'ZDIFF', 'ZDIFFSTORE', 'ZINCRBY', 'ZINTER', 'ZINTERSTORE', 'ZMPOP', 'ZMSCORE', 'ZPOPMAX', 'ZPOPMIN', 'ZRANDMEMBER', 'ZRANGE', 'ZRANGEBYLEX', 'ZRANGEBYSCORE', 'ZRANGESTORE', 'ZREM', 'ZREMRANGEBYLEX', 'ZREMRANGEBYRANK', 'ZREMRANGEBYSCORE', 'ZREVRANGE', 'ZREVRANGEBYLEX', 'ZREVRANGEBYSCORE', 'ZSCAN', 'ZSCORE', 'ZUNION', 'ZUNIONSTORE'], ['write', 'write', 'write', 'write', 'read', 'read', 'read', 'write', 'read', 'read', 'read', 'write', 'write', 'delete', 'delete', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'write', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'write', 'read', 'read', 'read', 'read', 'write', 'delete', 'read', 'read', 'read', 'read', 'read', 'write', 'write', 'read', 'read', 'write', 'read', 'read', 'write', 'write', 'write', 'read', 'write', 'write', 'write', 'write', 'write', 'read', 'delete', 'write', 'delete', 'delete', 'read', 'write', 'read', 'write', 'write', 'write', 'read', 'write', 'write', 'write', 'read', 'read', 'write', 'write', 'read', 'read', 'read', 'write', 'write', 'read', 'delete', 'write', 'delete', 'read', 'delete', 'write', 'write', 'write', 'write', 'write', 'write', 'write', 'delete', 'delete', 'write', 'write', 'read', 'write', 'write', 'write', 'write', 'read', 'write', 'write', 'write', 'write', 'write', 'write', 'read', 'write', 'read', 'read', 'read', 'write', 'read', 'read', 'read', 'read', 'delete', 'read', 'read', 'read', 'write', 'delete', 'write', 'read', 'read', 'read', 'read', 'read', 'read', 'delete', 'write', 'read', 'delete', 'write', 'read', 'read', 'delete', 'delete', 'delete', 'delete', 'read', 'read', 'read', 'read', 'delete', 'write', 'read', 'write', 'write', 'read', 'write', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'write', 'delete', 'delete', 'delete', 'delete', 'read', 'read', 'read', 'read', 'read', 'read', 'write'], 'other'), 'other') AS Access,
    OpsKeySource AS KeySource,
    ServiceName, TraceId, SpanId, if((ifNull(db_system_name, '') = 'redis' OR ifNull(db_system, '') = 'redis'), ParentSpanId, '') AS ParentSpanId, Duration,
    if(OpsKeySource = 'span' AND memory_value_size >= 0, toUInt64(memory_value_size), NULL) AS ValueSize,
    if(OpsKeySource = 'span', memory_ttl, NULL) AS Ttl,
    CAST(memory_found, 'Nullable(UInt8)') AS Found,
    StatusCode IN ('Error', 'STATUS_CODE_ERROR') AS Error
FROM "otel"."memtrace_span_facts"
WHERE OpsKeySource != ''
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_key_values_mv"
TO "otel"."memtrace_key_values"
AS SELECT
    multiIf(A['memory.namespace'] != '', A['memory.namespace'],
        A['memory.key'] = SpanAttributes['memory.key'] AND SpanAttributes['memory.namespace'] != '', SpanAttributes['memory.namespace'],
        regexpExtract(A['memory.key'], '^(.*)[:/][^:/]*$', 1)) AS Namespace,
    A['memory.key'] AS Key, EventTime AS Timestamp, TraceId, SpanId, toUInt32(N - 1) AS Seq, ServiceName,
    if(IsRedis AND SpanAttributes['server.address'] != '', concat(SpanAttributes['server.address'], ':', SpanAttributes['server.port']), '') AS Redis,
    if(IsRedis, toUInt16OrZero(SpanAttributes['db.namespace']), 0) AS Db,
    multiIf(SpanAttributes['memory.operation'] != '', SpanAttributes['memory.operation'], SpanAttributes['db.operation.name'] != '', SpanAttributes['db.operation.name'], toString(SpanName)) AS Operation,
    A['memory.value.change'] AS Change, A['memory.value.type'] AS Type,
    A['memory.value.encoding'] = 'base64' AS Base64, A['memory.value'] AS Value,
    if(A['memory.value.size'] != '', toUInt64OrZero(A['memory.value.size']), length(A['memory.value'])) AS Size,
    A['memory.value.truncated'] = 'true' AS Truncated
FROM (SELECT TraceId, SpanId, ServiceName, SpanName, SpanAttributes, IsRedis, EA[I] AS A, ET[I] AS EventTime, N
    FROM (SELECT TraceId, SpanId, ServiceName, SpanName, SpanAttributes,
            (SpanAttributes['db.system.name'] = 'redis' OR SpanAttributes['db.system'] = 'redis') AS IsRedis,
            EventTimes AS ET, EventAttributes AS EA,
            arrayFilter(i -> EventNames[i] = 'memory.value', arrayEnumerate(EventNames)) AS Idx
        FROM "otel"."memtrace_value_spans")
    ARRAY JOIN Idx AS I, arrayEnumerate(Idx) AS N)
WHERE A['memory.key'] != '' AND A['memory.value.change'] IN ('replace', 'fields_set', 'fields_removed', 'push_tail', 'push_head', 'members_added', 'members_removed', 'append')
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_value_spans_mv"
TO "otel"."memtrace_value_spans"
AS SELECT TraceId, SpanId, ServiceName, SpanName, SpanAttributes, `Events.Timestamp` AS EventTimes, `Events.Name` AS EventNames, `Events.Attributes` AS EventAttributes
FROM "otel"."otel_traces"
WHERE has(`Events.Name`, 'memory.value')
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_memory_calls_mv"
TO "otel"."memtrace_memory_calls"
AS SELECT cityHash64(if(Role = 1, span_id, parent_span_id)) AS Call, max(Role = 1) AS IsCall, maxIf(trace_id, Role = 1) AS TraceId, maxIf(span_id, Role = 1) AS SpanId, maxIf(intDiv(toUnixTimestamp64Nano(time), 1000), Role = 1) AS Start, maxIf(coalesce(memory_namespace, '(none)'), Role = 1) AS Store, maxIf(lower(coalesce(memory_operation, '')), Role = 1) AS Operation, maxIf(memory_key, Role = 1) AS Key, maxIf(memory_ttl, Role = 1) AS Ttl, maxIf(coalesce(memory_result_count, if(lower(memory_operation) IN ('retrieve', 'search'), gen_ai_memory_record_count, NULL)), Role = 1) AS Results, maxIf(coalesce(memtrace_compressed_count, 0), Role = 1) AS Carried, maxIf(status IN ('Error', 'STATUS_CODE_ERROR'), Role = 1) AS Error, toUInt8(maxIf(fingerprint, Role = 1)) AS Fingerprinted, countIf(Role = 2) AS Commands, sumIf(coalesce(memory_value_size, 0), Role = 2) AS Bytes, countIf(Role = 2 AND (memory_ttl > 0 OR upper(db_operation_name) IN ('EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT', 'PERSIST', 'GETEX'))) AS TtlCommands, minIf(if(memory_ttl > 0, memory_ttl, NULL), Role = 2) AS LowTtl, maxIf(memory_ttl, Role = 2) AS GotTtl, minIf(memory_key, Role = 2) AS RedisKey, groupUniqArrayIf((upper(coalesce(db_operation_name, '')), cityHash64(memory_key)), Role = 2 AND memory_key IS NOT NULL) AS CommandKeys, max(time) AS Seen
FROM (SELECT TraceId AS trace_id, SpanId AS span_id, ParentSpanId AS parent_span_id, Timestamp AS time, StatusCode AS status, Fingerprinted AS fingerprint, memory_operation, memory_namespace, memory_key, memory_ttl, memory_result_count, gen_ai_memory_record_count, memtrace_compressed_count, memory_value_size, db_operation_name, db_system_name, db_system, Role FROM "otel"."memtrace_span_facts"
ARRAY JOIN arrayFilter(r -> (r = 1 AND memory_operation IS NOT NULL) OR (r = 2 AND (db_system_name IS NOT NULL OR db_system IS NOT NULL) AND ParentSpanId != ''), [1, 2]) AS Role)
GROUP BY Call
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_memory_call_counts_mv"
TO "otel"."memtrace_memory_call_counts"
AS SELECT kind AS Kind, if(kind IN ('totals', 'keys'), store, '') AS Store, if(kind = 'totals', operation, '') AS Operation, if(kind = 'totals', toStartOfHour(seen), toDateTime(0)) AS Hour, if(kind IN ('late', 'counted'), call, 0) AS Call, toUInt8(kind = 'keys' AND key IS NOT NULL) AS HasKey, if(kind = 'keys' AND key IS NOT NULL, cityHash64(key), 0) AS KeyHash, toUInt64(kind = 'totals') AS Calls, toUInt64(kind = 'totals' AND access = 'read') AS Reads, toUInt64(kind = 'totals' AND access = 'write') AS Writes, toUInt64(kind = 'totals' AND operation = 'search') AS Searches, toUInt64(kind = 'totals' AND operation = 'search' AND coalesce(results = 0, 0)) AS EmptySearches, if(kind IN ('totals', 'counted'), commands, 0) AS Commands, if(kind IN ('totals', 'counted'), bytes, 0) AS Bytes, toUInt64(kind IN ('totals', 'counted') AND n_plus_one) AS NPlusOne, toUInt64(kind IN ('totals', 'counted') AND finding = 'ttl_lost') AS TtlLost, toUInt64(kind IN ('totals', 'counted') AND finding = 'ttl_differs') AS TtlDiffers, toUInt64(kind IN ('totals', 'counted') AND finding = 'ttl_unchecked') AS TtlUnchecked, if(kind = 'counted' AND finding IN ('ttl_lost', 'ttl_differs'), start, 0) AS Start, toDate(seen) AS Day
FROM (SELECT Call AS call, IsCall AS is_call, Store AS store, Operation AS operation, Key AS key, Results AS results, toInt64(Carried) + toInt64(Commands) AS commands, Bytes AS bytes, Start AS start, Seen AS seen, CASE Operation WHEN 'retrieve' THEN 'read' WHEN 'store' THEN 'write' WHEN 'create' THEN 'write' WHEN 'update' THEN 'write' WHEN 'delete' THEN 'delete' ELSE 'other' END AS access, (Commands >= 5 AND if(empty(CommandKeys), 0, arrayMax(arrayMap(c -> length(arrayFilter(x -> x.1 = c, CommandKeys)), arrayDistinct(arrayMap(x -> x.1, CommandKeys))))) >= 5) AS n_plus_one, multiIf(NOT (CASE Operation WHEN 'retrieve' THEN 'read' WHEN 'store' THEN 'write' WHEN 'create' THEN 'write' WHEN 'update' THEN 'write' WHEN 'delete' THEN 'delete' ELSE 'other' END = 'write' AND coalesce(Ttl > 0, 0) AND Error = 0), '', TtlCommands = 0 AND (Commands = 0 OR Carried > 0), 'ttl_unchecked', TtlCommands = 0, 'ttl_lost', coalesce(GotTtl > 0 AND NOT (LowTtl = Ttl OR GotTtl = Ttl), 0), 'ttl_differs', '') AS finding FROM "otel"."memtrace_memory_calls" WHERE IsCall > 0 OR Commands > 0)
ARRAY JOIN if(is_call > 0, if(access = 'write', ['totals', 'counted', 'keys'], ['totals', 'counted']), ['late']) AS kind
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_layer_keys_mv"
TO "otel"."memtrace_layer_keys"
AS SELECT Layer, Namespace, Key, count() AS Accesses, countIf(op IN ('EXISTS', 'GET', 'GETDEL', 'GETEX', 'GETRANGE', 'HEXISTS', 'HGET', 'HGETALL', 'HKEYS', 'HLEN', 'HMGET', 'HVALS', 'LINDEX', 'LLEN', 'LRANGE', 'MGET', 'PTTL', 'RETRIEVE', 'SCARD', 'SISMEMBER', 'SMEMBERS', 'SRANDMEMBER', 'STRLEN', 'TTL', 'XLEN', 'XRANGE', 'XREAD', 'XREVRANGE', 'ZCARD', 'ZRANGE', 'ZRANGEBYSCORE', 'ZRANK', 'ZREVRANGE', 'ZSCORE')) AS Reads, countIf(is_write) AS Writes, countIf(op IN ('DEL', 'DELETE', 'UNLINK')) AS Deletes, countIf(ttl > 0) AS WithTtl, countIf(is_write AND ttl_unknown) AS TtlUnknownWrites, maxIf(size, is_write) AS LargestWrite, sumIf(size, is_write) AS BytesWritten, minIf(toNullable(start_us), is_write) AS FirstWrite, max(start_us) AS LastSeen
FROM (SELECT Layer, coalesce(memory_namespace, '') AS Namespace, assumeNotNull(memory_key) AS Key, upper(coalesce(memory_operation, db_operation_name)) AS op, memory_ttl AS ttl, position(coalesce(memtrace_unknown, ''), 'memory.ttl') > 0 AS ttl_unknown, memory_value_size AS size, intDiv(toUnixTimestamp64Nano(Timestamp), 1000) AS start_us, ifNull(op IN ('APPEND', 'COPY', 'DECR', 'DECRBY', 'GETSET', 'HDEL', 'HINCRBY', 'HINCRBYFLOAT', 'HMSET', 'HSET', 'HSETNX', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'LINSERT', 'LPOP', 'LPUSH', 'LPUSHX', 'LREM', 'LSET', 'LTRIM', 'MSET', 'MSETNX', 'PSETEX', 'RESTORE', 'RPOP', 'RPUSH', 'RPUSHX', 'SADD', 'SET', 'SETEX', 'SETNX', 'SETRANGE', 'SPOP', 'SREM', 'STORE', 'XADD', 'XDEL', 'XTRIM', 'ZADD', 'ZINCRBY', 'ZREM'), 0) AS is_write FROM "otel"."memtrace_span_facts" ARRAY JOIN arrayFilter(l -> (l = 'memory' AND memory_operation IS NOT NULL) OR (l = 'redis' AND (db_system_name IS NOT NULL OR db_system IS NOT NULL)), ['memory', 'redis']) AS Layer WHERE memory_key IS NOT NULL) WHERE coalesce(op, '') != 'SEARCH'
GROUP BY Layer, Namespace, Key
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_layer_ops_mv"
TO "otel"."memtrace_layer_ops"
AS SELECT Layer, if(Layer = 'span', '', coalesce(memory_namespace, '(none)')) AS Namespace, if(Layer = 'span', '', coalesce(memory_operation, db_operation_name, toString(SpanName))) AS Operation, toStartOfHour(Timestamp) AS Hour, count() AS Spans, countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR')) AS Errors, countIf(memory_found) AS Hits, countIf(NOT memory_found) AS Misses, sum(Duration / 1e6) AS DurationSum,
    quantilesExactInclusiveStateIf(0.5, 0.95, 0.99)(Duration / 1e6, Layer != 'span') AS Durations,
    groupArraySortedStateIf(10)((-round(Duration / 1e6, 3), intDiv(toUnixTimestamp64Nano(Timestamp), 1000), memory_key, memory_namespace, coalesce(memory_operation, db_operation_name, toString(SpanName)), toString(ServiceName)), Layer != 'span') AS Slowest,
    groupArraySortedStateIf(10)((-assumeNotNull(memory_value_size), assumeNotNull(memory_key), coalesce(memory_namespace, ''), assumeNotNull(upper(coalesce(memory_operation, db_operation_name)))), Layer != 'span' AND memory_key IS NOT NULL AND memory_value_size IS NOT NULL AND upper(coalesce(memory_operation, db_operation_name)) IN ('APPEND', 'COPY', 'DECR', 'DECRBY', 'GETSET', 'HDEL', 'HINCRBY', 'HINCRBYFLOAT', 'HMSET', 'HSET', 'HSETNX', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'LINSERT', 'LPOP', 'LPUSH', 'LPUSHX', 'LREM', 'LSET', 'LTRIM', 'MSET', 'MSETNX', 'PSETEX', 'RESTORE', 'RPOP', 'RPUSH', 'RPUSHX', 'SADD', 'SET', 'SETEX', 'SETNX', 'SETRANGE', 'SPOP', 'SREM', 'STORE', 'XADD', 'XDEL', 'XTRIM', 'ZADD', 'ZINCRBY', 'ZREM')) AS Largest,
    countIf(memory_key IS NOT NULL AND NOT memtrace_derived_from IS NOT NULL) AS KeysFromAgent, countIf(memory_key IS NOT NULL AND memtrace_derived_from IS NOT NULL) AS KeysFromStatements, countIf(position(coalesce(memtrace_unknown, ''), 'memory.key') > 0) AS KeysHidden, countIf(position(coalesce(memtrace_unknown, ''), 'memory.value_size') > 0) AS SizesUnknown, countIf(memtrace_derived_from IS NOT NULL) AS Derived,
    uniqCombinedStateIf(16)(TraceId, Layer = 'span') AS Traces, groupUniqArrayIf(toString(ServiceName), Layer = 'span') AS Services, min(intDiv(toUnixTimestamp64Nano(Timestamp), 1000)) AS FirstStart, max(intDiv(toUnixTimestamp64Nano(Timestamp) + Duration, 1000)) AS LastEnd
FROM "otel"."memtrace_span_facts" ARRAY JOIN arrayFilter(l -> l = 'span' OR (l = 'memory' AND memory_operation IS NOT NULL) OR (l = 'redis' AND (db_system_name IS NOT NULL OR db_system IS NOT NULL)), ['span', 'memory', 'redis']) AS Layer
GROUP BY Layer, Namespace, Operation, Hour
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_key_event_carriers_mv"
TO "otel"."memtrace_key_event_carriers"
AS SELECT ServiceName, ResourceAttributes, ScopeName, ScopeVersion, `Events.Timestamp` AS EventTimes, `Events.Attributes` AS EventAttributes
FROM "otel"."otel_traces"
WHERE SpanName = 'memtrace.key_events'
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_key_event_spans_mv"
TO "otel"."memtrace_key_event_spans"
AS SELECT fromUnixTimestamp64Nano(greatest(End - Dur, 0)) AS Timestamp,
    lower(hex(tryBase64URLDecode(substring(ctx, 1, 22)))) AS TraceId, lower(hex(tryBase64URLDecode(g[3]))) AS SpanId,
    if(length(ctx) > 22, lower(hex(tryBase64URLDecode(substring(ctx, 24)))), '') AS ParentSpanId,
    '' AS TraceState, Name AS SpanName, 'Client' AS SpanKind, ServiceName, ResourceAttributes, ScopeName, ScopeVersion,
    mapFilter((k, v) -> v != '', mapConcat(map('db.system.name', 'redis', 'db.operation.name', Name, 'db.namespace', A['db.namespace'], 'server.address', A['server.address'], 'server.port', A['server.port'], 'memtrace.key_event', 'true'), map('memory.key', substring(g[8], 1, toUInt64OrZero(g[7])), 'memory.namespace', multiIf(startsWith(g[6], '*'), substring(substring(g[8], toUInt64OrZero(g[7]) + 1), 3 + length(extract(substring(g[8], toUInt64OrZero(g[7]) + 1), '^ ([0-9]+):'))), splitByChar(',', g[6])[1] != '', substring(substring(g[8], 1, toUInt64OrZero(g[7])), 1, toUInt64OrZero(splitByChar(',', g[6])[1])), ''), 'memory.value_size', splitByChar(',', g[6])[2], 'memory.found', if(splitByChar(',', g[6])[3] = '', '', if(toInt64OrZero(splitByChar(',', g[6])[3]) != 0, 'true', 'false')), 'memory.ttl', splitByChar(',', g[6])[4], 'memory.result_count', splitByChar(',', g[6])[5]))) AS SpanAttributes,
    toUInt64(End - greatest(End - Dur, 0)) AS Duration, 'Unset' AS StatusCode, '' AS StatusMessage
FROM (SELECT *, T0 + e AS End, toInt64(toUInt64OrZero(g[2])) AS Dur, if(match(g[5], '^[0-9]'), substring(g[5], position(g[5], ':') + 1), g[5]) AS Name
    FROM (SELECT ServiceName, ResourceAttributes, ScopeName, ScopeVersion, A, T0, g, ctx, e
    FROM (SELECT *, arrayMap(l -> extractGroups(l, '^(-?[0-9]+) ([0-9]+) ([A-Za-z0-9_-]{11}) ((?:[A-Za-z0-9_-]{22}(?:[.][A-Za-z0-9_-]{11})?)?) ([^ ]+) ([*0-9]*(?:,[0-9]*)*) ([0-9]+):(.*)$'), Lines) AS G
    FROM (SELECT ServiceName, ResourceAttributes, ScopeName, ScopeVersion, A, toUnixTimestamp64Nano(T) AS T0, arrayPopBack(splitByChar('\n', A['memtrace.commands'])) AS Lines
    FROM "otel"."memtrace_key_event_carriers"
    ARRAY JOIN EventAttributes AS A, EventTimes AS T
    WHERE mapContains(A, 'memtrace.commands') AND endsWith(A['memtrace.commands'], '\n')))
    ARRAY JOIN G AS g, arrayFill(c -> c != '', arrayMap(x -> x[4], G)) AS ctx, arrayCumSum(arrayMap(x -> toInt64OrZero(x[1]), G)) AS e
    WHERE G[1][4] != '' AND arrayAll(x -> length(x) = 8 AND if(match(x[5], '^[0-9]'), length(x[5]) = length(extract(x[5], '^([0-9]+):')) + 1 + toUInt64OrZero(extract(x[5], '^([0-9]+):')), position(x[5], ' ') = 0) AND length(x[8]) >= toUInt64OrZero(x[7]) AND if(startsWith(x[6], '*'), extract(substring(x[8], toUInt64OrZero(x[7]) + 1), '^ ([0-9]+):') != '' AND length(substring(x[8], toUInt64OrZero(x[7]) + 1)) = length(extract(substring(x[8], toUInt64OrZero(x[7]) + 1), '^ ([0-9]+):')) + 2 + toUInt64OrZero(extract(substring(x[8], toUInt64OrZero(x[7]) + 1), '^ ([0-9]+):')), length(x[8]) = toUInt64OrZero(x[7]) AND toUInt64OrZero(splitByChar(',', x[6])[1]) <= toUInt64OrZero(x[7])), G)))
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_key_event_batches_mv"
TO "otel"."memtrace_key_event_spans"
AS SELECT fromUnixTimestamp64Nano(greatest(End - Dur, 0)) AS Timestamp,
    lower(hex(tryBase64URLDecode(substring(ctx, 1, 22)))) AS TraceId, lower(hex(tryBase64URLDecode(g[3]))) AS SpanId,
    if(length(ctx) > 22, lower(hex(tryBase64URLDecode(substring(ctx, 24)))), '') AS ParentSpanId,
    '' AS TraceState, Name AS SpanName, 'Client' AS SpanKind, ServiceName, ResourceAttributes, ScopeName, ScopeVersion,
    mapFilter((k, v) -> v != '', map('db.system.name', 'redis', 'db.operation.name', Name, 'db.namespace', A['db.namespace'], 'server.address', A['server.address'], 'server.port', A['server.port'], 'memtrace.key_event', 'true')) AS SpanAttributes,
    toUInt64(End - greatest(End - Dur, 0)) AS Duration, 'Unset' AS StatusCode, '' AS StatusMessage,
    arrayMap(x -> fromUnixTimestamp64Nano(End), Commands) AS `Events.Timestamp`, arrayMap(x -> 'memtrace.batch.command', Commands) AS `Events.Name`,
    arrayMap(x -> mapFilter((k, v) -> v != '', mapConcat(map('db.operation.name', if(match(x[1], '^[0-9]'), substring(x[1], position(x[1], ':') + 1), x[1])), map('memory.key', substring(x[4], 1, toUInt64OrZero(x[3])), 'memory.namespace', multiIf(startsWith(x[2], '*'), substring(substring(x[4], toUInt64OrZero(x[3]) + 1), 3 + length(extract(substring(x[4], toUInt64OrZero(x[3]) + 1), '^ ([0-9]+):'))), splitByChar(',', x[2])[1] != '', substring(substring(x[4], 1, toUInt64OrZero(x[3])), 1, toUInt64OrZero(splitByChar(',', x[2])[1])), ''), 'memory.value_size', splitByChar(',', x[2])[2], 'memory.found', if(splitByChar(',', x[2])[3] = '', '', if(toInt64OrZero(splitByChar(',', x[2])[3]) != 0, 'true', 'false')), 'memory.ttl', splitByChar(',', x[2])[4], 'memory.result_count', splitByChar(',', x[2])[5]))), Commands) AS `Events.Attributes`
FROM (SELECT *, T0 + e AS End, toInt64(toUInt64OrZero(g[2])) AS Dur, if(match(g[5], '^[0-9]'), substring(g[5], position(g[5], ':') + 1), g[5]) AS Name
    FROM (SELECT ServiceName, ResourceAttributes, ScopeName, ScopeVersion, A, T0, g, ctx, e, arrayFilter((x, i, c) -> c AND i = n, C, Of, IsCommand) AS Commands
    FROM (SELECT *, arrayMap(l -> startsWith(l, '+ '), Lines) AS IsCommand,
        arrayMap(l -> extractGroups(l, '^(-?[0-9]+) ([0-9]+) ([A-Za-z0-9_-]{11}) ((?:[A-Za-z0-9_-]{22}(?:[.][A-Za-z0-9_-]{11})?)?) (.+)$'), arrayFilter((l, c) -> NOT c, Lines, IsCommand)) AS G,
        arrayMap(l -> extractGroups(l, '^[+] ([^ ]+) ([*0-9]*(?:,[0-9]*)*) ([0-9]+):(.*)$'), Lines) AS C,
        arrayCumSum(arrayMap(c -> toUInt64(NOT c), IsCommand)) AS Of
    FROM (SELECT ServiceName, ResourceAttributes, ScopeName, ScopeVersion, A, toUnixTimestamp64Nano(T) AS T0, arrayPopBack(splitByChar('\n', A['memtrace.batches'])) AS Lines
    FROM "otel"."memtrace_key_event_carriers"
    ARRAY JOIN EventAttributes AS A, EventTimes AS T
    WHERE mapContains(A, 'memtrace.batches') AND endsWith(A['memtrace.batches'], '\n')))
    ARRAY JOIN G AS g, arrayEnumerate(G) AS n, arrayFill(c -> c != '', arrayMap(x -> x[4], G)) AS ctx, arrayCumSum(arrayMap(x -> toInt64OrZero(x[1]), G)) AS e
    WHERE NOT IsCommand[1] AND G[1][4] != '' AND arrayAll(x -> length(x) = 5 AND if(match(x[5], '^[0-9]'), length(x[5]) = length(extract(x[5], '^([0-9]+):')) + 1 + toUInt64OrZero(extract(x[5], '^([0-9]+):')), position(x[5], ' ') = 0), G)
        AND arrayAll((x, c) -> NOT c OR (length(x) = 4 AND if(match(x[1], '^[0-9]'), length(x[1]) = length(extract(x[1], '^([0-9]+):')) + 1 + toUInt64OrZero(extract(x[1], '^([0-9]+):')), position(x[1], ' ') = 0) AND length(x[4]) >= toUInt64OrZero(x[3]) AND if(startsWith(x[2], '*'), extract(substring(x[4], toUInt64OrZero(x[3]) + 1), '^ ([0-9]+):') != '' AND length(substring(x[4], toUInt64OrZero(x[3]) + 1)) = length(extract(substring(x[4], toUInt64OrZero(x[3]) + 1), '^ ([0-9]+):')) + 2 + toUInt64OrZero(extract(substring(x[4], toUInt64OrZero(x[3]) + 1), '^ ([0-9]+):')), length(x[4]) = toUInt64OrZero(x[3]) AND toUInt64OrZero(splitByChar(',', x[2])[1]) <= toUInt64OrZero(x[3]))), C, IsCommand)))
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_key_event_spans_facts_mv"
TO "otel"."memtrace_span_facts"
AS SELECT s.TraceId AS TraceId, s.SpanId AS SpanId, s.ParentSpanId AS ParentSpanId, s.SpanName AS SpanName, s.ServiceName AS ServiceName, s.StatusCode AS StatusCode, s.StatusMessage AS StatusMessage, s.Timestamp AS Timestamp, s.Duration AS Duration,
    coalesce(nullIf(s.memory_operation, ''), CASE nullIf(s.gen_ai_operation_name, '') WHEN 'search_memory' THEN CASE WHEN nullIf(s.gen_ai_memory_record_id, '') IS NOT NULL AND (nullIf(s.SpanAttributes['memory.found'], '') IS NOT NULL OR nullIf(s.SpanAttributes['gen_ai.memory.record.count'], '') IS NULL) THEN 'retrieve' ELSE 'search' END WHEN 'upsert_memory' THEN 'store' WHEN 'delete_memory' THEN 'delete' WHEN 'create_memory' THEN 'create' WHEN 'update_memory' THEN 'update' WHEN 'create_memory_store' THEN 'create_memory_store' WHEN 'delete_memory_store' THEN 'delete_memory_store' END) AS memory_operation,
    CASE WHEN nullIf(s.memory_operation, '') IS NULL AND nullIf(s.gen_ai_operation_name, '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(s.gen_ai_memory_record_id, '') ELSE nullIf(s.memory_key, '') END AS memory_key,
    CASE WHEN nullIf(s.memory_operation, '') IS NULL AND nullIf(s.gen_ai_operation_name, '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(s.gen_ai_memory_store_id, '') ELSE nullIf(s.memory_namespace, '') END AS memory_namespace,
    nullIf(s.db_system_name, '') AS db_system_name,
    nullIf(s.db_system, '') AS db_system,
    nullIf(s.db_operation_name, '') AS db_operation_name,
    s.memory_value_size AS memory_value_size,
    s.memory_ttl AS memory_ttl,
    multiIf(nullIf(s.SpanAttributes['memory.found'], '') = 'true', true, nullIf(s.SpanAttributes['memory.found'], '') = 'false', false, NULL) AS memory_found,
    s.memtrace_compressed_count AS memtrace_compressed_count,
    s.memory_result_count AS memory_result_count,
    s.gen_ai_memory_record_count AS gen_ai_memory_record_count,
    CAST(NULL AS Nullable(String)) AS memtrace_derived_from,
    CAST(NULL AS Nullable(String)) AS memtrace_unknown,
    coalesce(nullIf(s.server_address, ''), nullIf(s.SpanAttributes['net.peer.name'], '')) AS server_address,
    coalesce(nullIf(s.SpanAttributes['server.port'], ''), nullIf(s.SpanAttributes['net.peer.port'], '')) AS server_port,
    coalesce(nullIf(s.db_namespace, ''), nullIf(s.SpanAttributes['db.redis.database_index'], '')) AS db_namespace,
    ifNull(memory_key, '') AS OpsKey,
    if(memory_key IS NOT NULL, 'span', '') AS OpsKeySource,
    s.memory_value_fingerprint != '' AS Fingerprinted
FROM "otel"."memtrace_key_event_spans" AS s
SETTINGS optimize_and_compare_chain = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_key_event_spans_trace_id_ts_mv"
TO "otel"."otel_traces_trace_id_ts"
AS SELECT TraceId, min(Timestamp) AS Start, max(Timestamp) AS End
FROM "otel"."memtrace_key_event_spans"
WHERE TraceId != ''
GROUP BY TraceId
SETTINGS optimize_and_compare_chain = 0;

CREATE VIEW IF NOT EXISTS "otel"."spans"
AS SELECT
    TraceId AS trace_id, SpanId AS span_id, nullIf(ParentSpanId, '') AS parent_span_id,
    toString(SpanName) AS name,
    upper(replaceRegexpOne(toString(SpanKind), '^SPAN_KIND_', '')) AS kind,
    toDateTime64(Timestamp, 6, 'UTC') AS start_time,
    fromUnixTimestamp64Micro(intDiv(toUnixTimestamp64Nano(Timestamp) + Duration, 1000), 'UTC') AS end_time,
    Duration / 1e6 AS duration_ms,
    multiIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR'), 'ERROR', StatusCode IN ('Ok', 'STATUS_CODE_OK'), 'OK', 'UNSET') AS status_code,
    StatusMessage AS status_message, toString(ServiceName) AS service_name, ScopeName AS scope_name,
    CAST(SpanAttributes, 'Map(String, String)') AS attributes,
    toJSONString(arrayFilter(e -> tupleElement(e, 'name') != 'memory.value', arrayMap((n, t, a) -> CAST((n, toUnixTimestamp64Nano(t), a), 'Tuple(name String, time_unix_nano UInt64, attributes Map(String, String))'), `Events.Name`, `Events.Timestamp`, `Events.Attributes`))) AS events,
    CAST(ResourceAttributes, 'Map(String, String)') AS resource,
    memory_operation, memory_namespace, memory_key, memory_value_size, memory_ttl, accurateCastOrNull(SpanAttributes['memory.found'], 'Bool') AS memory_found, memory_operation_duration_ms, db_system_name, db_system, db_operation_name, memtrace_compressed_count, memtrace_compressed_duration_ms, gen_ai_operation_name, gen_ai_memory_store_id, gen_ai_memory_record_id, gen_ai_memory_record_count, memory_result_count, server_address, server_port, db_namespace, memtrace_derived_from, memtrace_unknown, memory_value_fingerprint
FROM "otel"."otel_traces";

INSERT INTO "otel"."memtrace_redis_commands" (Name, FirstKey, Access) VALUES
    ('ACL', 0, 'other'), ('ACL|CAT', 0, 'other'), ('ACL|DELUSER', 0, 'other'), ('ACL|DRYRUN', 0, 'other'),
    ('ACL|GENPASS', 0, 'other'), ('ACL|GETUSER', 0, 'other'), ('ACL|HELP', 0, 'other'), ('ACL|LIST', 0, 'other'),
    ('ACL|LOAD', 0, 'other'), ('ACL|LOG', 0, 'other'), ('ACL|SAVE', 0, 'other'), ('ACL|SETUSER', 0, 'other'),
    ('ACL|USERS', 0, 'other'), ('ACL|WHOAMI', 0, 'other'), ('APPEND', 1, 'write'), ('ASKING', 0, 'other'),
    ('AUTH', 0, 'other'), ('BGREWRITEAOF', 0, 'other'), ('BGSAVE', 0, 'other'), ('BITCOUNT', 1, 'other'),
    ('BITFIELD', 1, 'write'), ('BITFIELD_RO', 1, 'other'), ('BITOP', 2, 'write'), ('BITPOS', 1, 'other'),
    ('BLMOVE', 1, 'write'), ('BLMPOP', 0, 'read'), ('BLPOP', 1, 'read'), ('BRPOP', 1, 'read'),
    ('BRPOPLPUSH', 1, 'write'), ('BZMPOP', 0, 'read'), ('BZPOPMAX', 1, 'read'), ('BZPOPMIN', 1, 'read'),
    ('CLIENT', 0, 'other'), ('CLIENT|CACHING', 0, 'other'), ('CLIENT|GETNAME', 0, 'other'), ('CLIENT|GETREDIR', 0, 'other'),
    ('CLIENT|HELP', 0, 'other'), ('CLIENT|ID', 0, 'other'), ('CLIENT|INFO', 0, 'other'), ('CLIENT|KILL', 0, 'other'),
    ('CLIENT|LIST', 0, 'other'), ('CLIENT|NO-EVICT', 0, 'other'), ('CLIENT|NO-TOUCH', 0, 'other'), ('CLIENT|PAUSE', 0, 'other'),
    ('CLIENT|REPLY', 0, 'other'), ('CLIENT|SETINFO', 0, 'other'), ('CLIENT|SETNAME', 0, 'other'), ('CLIENT|TRACKING', 0, 'other'),
    ('CLIENT|TRACKINGINFO', 0, 'other'), ('CLIENT|UNBLOCK', 0, 'other'), ('CLIENT|UNPAUSE', 0, 'other'), ('CLUSTER', 0, 'other'),
    ('CLUSTER|ADDSLOTS', 0, 'other'), ('CLUSTER|ADDSLOTSRANGE', 0, 'other'), ('CLUSTER|BUMPEPOCH', 0, 'other'), ('CLUSTER|COUNT-FAILURE-REPORTS', 0, 'other'),
    ('CLUSTER|COUNTKEYSINSLOT', 0, 'other'), ('CLUSTER|DELSLOTS', 0, 'other'), ('CLUSTER|DELSLOTSRANGE', 0, 'other'), ('CLUSTER|FAILOVER', 0, 'other'),
    ('CLUSTER|FLUSHSLOTS', 0, 'other'), ('CLUSTER|FORGET', 0, 'other'), ('CLUSTER|GETKEYSINSLOT', 0, 'other'), ('CLUSTER|HELP', 0, 'other'),
    ('CLUSTER|INFO', 0, 'other'), ('CLUSTER|KEYSLOT', 0, 'other'), ('CLUSTER|LINKS', 0, 'other'), ('CLUSTER|MEET', 0, 'other'),
    ('CLUSTER|MYID', 0, 'other'), ('CLUSTER|MYSHARDID', 0, 'other'), ('CLUSTER|NODES', 0, 'other'), ('CLUSTER|REPLICAS', 0, 'other'),
    ('CLUSTER|REPLICATE', 0, 'other'), ('CLUSTER|RESET', 0, 'other'), ('CLUSTER|SAVECONFIG', 0, 'other'), ('CLUSTER|SET-CONFIG-EPOCH', 0, 'other'),
    ('CLUSTER|SETSLOT', 0, 'other'), ('CLUSTER|SHARDS', 0, 'other'), ('CLUSTER|SLAVES', 0, 'other'), ('CLUSTER|SLOTS', 0, 'other'),
    ('COMMAND', 0, 'other'), ('COMMAND|COUNT', 0, 'other'), ('COMMAND|DOCS', 0, 'other'), ('COMMAND|GETKEYS', 0, 'other'),
    ('COMMAND|GETKEYSANDFLAGS', 0, 'other'), ('COMMAND|HELP', 0, 'other'), ('COMMAND|INFO', 0, 'other'), ('COMMAND|LIST', 0, 'other'),
    ('CONFIG', 0, 'other'), ('CONFIG|GET', 0, 'other'), ('CONFIG|HELP', 0, 'other'), ('CONFIG|RESETSTAT', 0, 'other'),
    ('CONFIG|REWRITE', 0, 'other'), ('CONFIG|SET', 0, 'other'), ('COPY', 1, 'other'), ('DBSIZE', 0, 'other'),
    ('DEBUG', 0, 'other'), ('DECR', 1, 'write'), ('DECRBY', 1, 'write'), ('DEL', 1, 'delete'),
    ('DELEX', 1, 'delete'), ('DIGEST', 1, 'other'), ('DISCARD', 0, 'other'), ('DUMP', 1, 'read'),
    ('ECHO', 0, 'other'), ('EVAL', 0, 'other'), ('EVALSHA', 0, 'other'), ('EVALSHA_RO', 0, 'other'),
    ('EVAL_RO', 0, 'other'), ('EXEC', 0, 'other'), ('EXISTS', 1, 'read'), ('EXPIRE', 1, 'other'),
    ('EXPIREAT', 1, 'other'), ('EXPIRETIME', 1, 'other'), ('FAILOVER', 0, 'other'), ('FCALL', 0, 'other'),
    ('FCALL_RO', 0, 'other'), ('FLUSHALL', 0, 'other'), ('FLUSHDB', 0, 'other'), ('FT.AGGREGATE', 0, 'read'),
    ('FT.ALIASADD', 0, 'other'), ('FT.ALIASDEL', 0, 'other'), ('FT.ALIASLIST', 0, 'other'), ('FT.ALIASUPDATE', 0, 'other'),
    ('FT.ALTER', 0, 'other'), ('FT.CONFIG', 0, 'other'), ('FT.CONFIG|GET', 0, 'other'), ('FT.CONFIG|HELP', 0, 'other'),
    ('FT.CONFIG|SET', 0, 'other'), ('FT.CREATE', 0, 'other'), ('FT.CURSOR', 0, 'read'), ('FT.CURSOR|DEL', 0, 'other'),
    ('FT.CURSOR|READ', 0, 'read'), ('FT.DICTADD', 0, 'other'), ('FT.DICTDEL', 0, 'other'), ('FT.DICTDUMP', 0, 'other'),
    ('FT.DROPINDEX', 0, 'other'), ('FT.EXPLAIN', 0, 'other'), ('FT.EXPLAINCLI', 0, 'other'), ('FT.HYBRID', 0, 'read'),
    ('FT.INFO', 0, 'other'), ('FT.PROFILE', 0, 'other'), ('FT.SEARCH', 0, 'read'), ('FT.SPELLCHECK', 0, 'other'),
    ('FT.SUGADD', 0, 'other'), ('FT.SUGDEL', 0, 'other'), ('FT.SUGGET', 0, 'other'), ('FT.SUGLEN', 0, 'other'),
    ('FT.SYNDUMP', 0, 'other'), ('FT.SYNUPDATE', 0, 'other'), ('FT.TAGVALS', 0, 'other'), ('FT._LIST', 0, 'other'),
    ('FUNCTION', 0, 'other'), ('FUNCTION|DELETE', 0, 'other'), ('FUNCTION|DUMP', 0, 'other'), ('FUNCTION|FLUSH', 0, 'other'),
    ('FUNCTION|HELP', 0, 'other'), ('FUNCTION|KILL', 0, 'other'), ('FUNCTION|LIST', 0, 'other'), ('FUNCTION|LOAD', 0, 'other'),
    ('FUNCTION|RESTORE', 0, 'other'), ('FUNCTION|STATS', 0, 'other'), ('GEOADD', 1, 'write'), ('GEODIST', 1, 'read'),
    ('GEOHASH', 1, 'read'), ('GEOPOS', 1, 'read'), ('GEORADIUS', 1, 'read'), ('GEORADIUSBYMEMBER', 1, 'read'),
    ('GEORADIUSBYMEMBER_RO', 1, 'read'), ('GEORADIUS_RO', 1, 'read'), ('GEOSEARCH', 1, 'read'), ('GEOSEARCHSTORE', 1, 'write'),
    ('GET', 1, 'read'), ('GETBIT', 1, 'other'), ('GETDEL', 1, 'read'), ('GETEX', 1, 'read'),
    ('GETRANGE', 1, 'read'), ('GETSET', 1, 'write'), ('HDEL', 1, 'delete'), ('HELLO', 0, 'other'),
    ('HEXISTS', 1, 'read'), ('HEXPIRE', 1, 'other'), ('HEXPIREAT', 1, 'other'), ('HEXPIRETIME', 1, 'other'),
    ('HGET', 1, 'read'), ('HGETALL', 1, 'read'), ('HGETDEL', 1, 'read'), ('HGETEX', 1, 'read'),
    ('HINCRBY', 1, 'write'), ('HINCRBYFLOAT', 1, 'write'), ('HKEYS', 1, 'read'), ('HLEN', 1, 'other'),
    ('HMGET', 1, 'read'), ('HMSET', 1, 'write'), ('HPERSIST', 1, 'other'), ('HPEXPIRE', 1, 'other'),
    ('HPEXPIREAT', 1, 'other'), ('HPEXPIRETIME', 1, 'other'), ('HPTTL', 1, 'other'), ('HRANDFIELD', 1, 'read'),
    ('HSCAN', 1, 'read'), ('HSET', 1, 'write'), ('HSETEX', 1, 'write'), ('HSETNX', 1, 'write'),
    ('HSTRLEN', 1, 'other'), ('HTTL', 1, 'other'), ('HVALS', 1, 'read'), ('INCR', 1, 'write'),
    ('INCRBY', 1, 'write'), ('INCRBYFLOAT', 1, 'write'), ('INFO', 0, 'other'), ('JSON.ARRAPPEND', 1, 'write'),
    ('JSON.ARRINDEX', 1, 'other'), ('JSON.ARRINSERT', 1, 'write'), ('JSON.ARRLEN', 1, 'other'), ('JSON.ARRPOP', 1, 'read'),
    ('JSON.ARRTRIM', 1, 'delete'), ('JSON.CLEAR', 1, 'write'), ('JSON.DEBUG', 0, 'other'), ('JSON.DEBUG|HELP', 0, 'other'),
    ('JSON.DEBUG|MEMORY', 2, 'other'), ('JSON.DEL', 1, 'delete'), ('JSON.FORGET', 1, 'delete'), ('JSON.GET', 1, 'read'),
    ('JSON.MERGE', 1, 'write'), ('JSON.MGET', 1, 'read'), ('JSON.MSET', 1, 'write'), ('JSON.NUMINCRBY', 1, 'write'),
    ('JSON.NUMMULTBY', 1, 'write'), ('JSON.OBJKEYS', 1, 'other'), ('JSON.OBJLEN', 1, 'other'), ('JSON.RESP', 1, 'read'),
    ('JSON.SET', 1, 'write'), ('JSON.STRAPPEND', 1, 'write'), ('JSON.STRLEN', 1, 'other'), ('JSON.TOGGLE', 1, 'write'),
    ('JSON.TYPE', 1, 'other'), ('KEYS', 0, 'other'), ('LASTSAVE', 0, 'other'), ('LATENCY', 0, 'other'),
    ('LATENCY|DOCTOR', 0, 'other'), ('LATENCY|GRAPH', 0, 'other'), ('LATENCY|HELP', 0, 'other'), ('LATENCY|HISTOGRAM', 0, 'other'),
    ('LATENCY|HISTORY', 0, 'other'), ('LATENCY|LATEST', 0, 'other'), ('LATENCY|RESET', 0, 'other'), ('LCS', 1, 'read'),
    ('LINDEX', 1, 'read'), ('LINSERT', 1, 'write'), ('LLEN', 1, 'other'), ('LMOVE', 1, 'write'),
    ('LMPOP', 0, 'read'), ('LOLWUT', 0, 'other'), ('LPOP', 1, 'read'), ('LPOS', 1, 'read'),
    ('LPUSH', 1, 'write'), ('LPUSHX', 1, 'write'), ('LRANGE', 1, 'read'), ('LREM', 1, 'delete'),
    ('LSET', 1, 'write'), ('LTRIM', 1, 'delete'), ('MEMORY', 0, 'other'), ('MEMORY|DOCTOR', 0, 'other'),
    ('MEMORY|HELP', 0, 'other'), ('MEMORY|MALLOC-STATS', 0, 'other'), ('MEMORY|PURGE', 0, 'other'), ('MEMORY|STATS', 0, 'other'),
    ('MEMORY|USAGE', 2, 'other'), ('MGET', 1, 'read'), ('MIGRATE', 3, 'other'), ('MODULE', 0, 'other'),
    ('MODULE|HELP', 0, 'other'), ('MODULE|LIST', 0, 'other'), ('MODULE|LOAD', 0, 'other'), ('MODULE|LOADEX', 0, 'other'),
    ('MODULE|UNLOAD', 0, 'other'), ('MONITOR', 0, 'other'), ('MOVE', 1, 'delete'), ('MSET', 1, 'write'),
    ('MSETEX', 0, 'write'), ('MSETNX', 1, 'write'), ('MULTI', 0, 'other'), ('OBJECT', 0, 'other'),
    ('OBJECT|ENCODING', 2, 'other'), ('OBJECT|FREQ', 2, 'other'), ('OBJECT|HELP', 0, 'other'), ('OBJECT|IDLETIME', 2, 'other'),
    ('OBJECT|REFCOUNT', 2, 'other'), ('PERSIST', 1, 'other'), ('PEXPIRE', 1, 'other'), ('PEXPIREAT', 1, 'other'),
    ('PEXPIRETIME', 1, 'other'), ('PFADD', 1, 'write'), ('PFCOUNT', 1, 'other'), ('PFDEBUG', 2, 'other'),
    ('PFMERGE', 1, 'write'), ('PFSELFTEST', 0, 'other'), ('PING', 0, 'other'), ('PSETEX', 1, 'write'),
    ('PSUBSCRIBE', 0, 'other'), ('PSYNC', 0, 'other'), ('PTTL', 1, 'other'), ('PUBLISH', 0, 'write'),
    ('PUBSUB', 0, 'other'), ('PUBSUB|CHANNELS', 0, 'other'), ('PUBSUB|HELP', 0, 'other'), ('PUBSUB|NUMPAT', 0, 'other'),
    ('PUBSUB|NUMSUB', 0, 'other'), ('PUBSUB|SHARDCHANNELS', 0, 'other'), ('PUBSUB|SHARDNUMSUB', 0, 'other'), ('PUNSUBSCRIBE', 0, 'other'),
    ('QUIT', 0, 'other'), ('RANDOMKEY', 0, 'other'), ('READONLY', 0, 'other'), ('READWRITE', 0, 'other'),
    ('RENAME', 1, 'delete'), ('RENAMENX', 1, 'delete'), ('REPLCONF', 0, 'other'), ('REPLICAOF', 0, 'other'),
    ('RESET', 0, 'other'), ('RESTORE', 1, 'write'), ('RESTORE-ASKING', 1, 'write'), ('ROLE', 0, 'other'),
    ('RPOP', 1, 'read'), ('RPOPLPUSH', 1, 'write'), ('RPUSH', 1, 'write'), ('RPUSHX', 1, 'write'),
    ('SADD', 1, 'write'), ('SAVE', 0, 'other'), ('SCAN', 0, 'other'), ('SCARD', 1, 'other'),
    ('SCRIPT', 0, 'other'), ('SCRIPT|DEBUG', 0, 'other'), ('SCRIPT|EXISTS', 0, 'other'), ('SCRIPT|FLUSH', 0, 'other'),
    ('SCRIPT|HELP', 0, 'other'), ('SCRIPT|KILL', 0, 'other'), ('SCRIPT|LOAD', 0, 'other'), ('SDIFF', 1, 'read'),
    ('SDIFFSTORE', 1, 'write'), ('SELECT', 0, 'other'), ('SENTINEL', 0, 'other'), ('SENTINEL|CKQUORUM', 0, 'other'),
    ('SENTINEL|CONFIG', 0, 'other'), ('SENTINEL|DEBUG', 0, 'other'), ('SENTINEL|FAILOVER', 0, 'other'), ('SENTINEL|FLUSHCONFIG', 0, 'other'),
    ('SENTINEL|GET-MASTER-ADDR-BY-NAME', 0, 'other'), ('SENTINEL|HELP', 0, 'other'), ('SENTINEL|INFO-CACHE', 0, 'other'), ('SENTINEL|IS-MASTER-DOWN-BY-ADDR', 0, 'other'),
    ('SENTINEL|MASTER', 0, 'other'), ('SENTINEL|MASTERS', 0, 'other'), ('SENTINEL|MONITOR', 0, 'other'), ('SENTINEL|MYID', 0, 'other'),
    ('SENTINEL|PENDING-SCRIPTS', 0, 'other'), ('SENTINEL|REMOVE', 0, 'other'), ('SENTINEL|REPLICAS', 0, 'other'), ('SENTINEL|RESET', 0, 'other'),
    ('SENTINEL|SENTINELS', 0, 'other'), ('SENTINEL|SET', 0, 'other'), ('SENTINEL|SIMULATE-FAILURE', 0, 'other'), ('SENTINEL|SLAVES', 0, 'other'),
    ('SET', 1, 'write'), ('SETBIT', 1, 'write'), ('SETEX', 1, 'write'), ('SETNX', 1, 'write'),
    ('SETRANGE', 1, 'write'), ('SFLUSH', 0, 'other'), ('SHUTDOWN', 0, 'other'), ('SINTER', 1, 'read'),
    ('SINTERCARD', 0, 'other'), ('SINTERSTORE', 1, 'write'), ('SISMEMBER', 1, 'read'), ('SLAVEOF', 0, 'other'),
    ('SLOWLOG', 0, 'other'), ('SLOWLOG|GET', 0, 'other'), ('SLOWLOG|HELP', 0, 'other'), ('SLOWLOG|LEN', 0, 'other'),
    ('SLOWLOG|RESET', 0, 'other'), ('SMEMBERS', 1, 'read'), ('SMISMEMBER', 1, 'read'), ('SMOVE', 1, 'write'),
    ('SORT', 1, 'read'), ('SORT_RO', 1, 'read'), ('SPOP', 1, 'read'), ('SPUBLISH', 0, 'other'),
    ('SRANDMEMBER', 1, 'read'), ('SREM', 1, 'delete'), ('SSCAN', 1, 'read'), ('SSUBSCRIBE', 0, 'other'),
    ('STRLEN', 1, 'other'), ('SUBSCRIBE', 0, 'other'), ('SUBSTR', 1, 'read'), ('SUNION', 1, 'read'),
    ('SUNIONSTORE', 1, 'write'), ('SUNSUBSCRIBE', 0, 'other'), ('SWAPDB', 0, 'other'), ('SYNC', 0, 'other'),
    ('TIME', 0, 'other'), ('TOUCH', 1, 'other'), ('TTL', 1, 'other'), ('TYPE', 1, 'other'),
    ('UNLINK', 1, 'delete'), ('UNSUBSCRIBE', 0, 'other'), ('UNWATCH', 0, 'other'), ('VADD', 1, 'write'),
    ('VCARD', 1, 'other'), ('VDIM', 1, 'other'), ('VEMB', 1, 'read'), ('VGETATTR', 1, 'read'),
    ('VINFO', 1, 'other'), ('VISMEMBER', 1, 'read'), ('VLINKS', 1, 'read'), ('VRANDMEMBER', 1, 'read'),
    ('VRANGE', 1, 'read'), ('VREM', 1, 'delete'), ('VSETATTR', 1, 'write'), ('VSIM', 1, 'read'),
    ('WAIT', 0, 'other'), ('WAITAOF', 0, 'other'), ('WATCH', 1, 'other'), ('XACK', 1, 'other'),
    ('XACKDEL', 1, 'delete'), ('XADD', 1, 'write'), ('XAUTOCLAIM', 1, 'read'), ('XCLAIM', 1, 'read'),
    ('XDEL', 1, 'delete'), ('XDELEX', 1, 'delete'), ('XGROUP', 0, 'other'), ('XGROUP|CREATE', 2, 'other'),
    ('XGROUP|CREATECONSUMER', 2, 'other'), ('XGROUP|DELCONSUMER', 2, 'delete'), ('XGROUP|DESTROY', 2, 'delete'), ('XGROUP|HELP', 0, 'other'),
    ('XGROUP|SETID', 2, 'other'), ('XINFO', 0, 'other'), ('XINFO|CONSUMERS', 2, 'other'), ('XINFO|GROUPS', 2, 'other'),
    ('XINFO|HELP', 0, 'other'), ('XINFO|STREAM', 2, 'other'), ('XLEN', 1, 'other'), ('XPENDING', 1, 'other'),
    ('XRANGE', 1, 'read'), ('XREAD', 0, 'read'), ('XREADGROUP', 0, 'read'), ('XREVRANGE', 1, 'read'),
    ('XSETID', 1, 'other'), ('XTRIM', 1, 'delete'), ('ZADD', 1, 'write'), ('ZCARD', 1, 'other'),
    ('ZCOUNT', 1, 'other'), ('ZDIFF', 0, 'read'), ('ZDIFFSTORE', 1, 'write'), ('ZINCRBY', 1, 'write'),
    ('ZINTER', 0, 'read'), ('ZINTERCARD', 0, 'other'), ('ZINTERSTORE', 1, 'write'), ('ZLEXCOUNT', 1, 'other'),
    ('ZMPOP', 0, 'read'), ('ZMSCORE', 1, 'read'), ('ZPOPMAX', 1, 'read'), ('ZPOPMIN', 1, 'read'),
    ('ZRANDMEMBER', 1, 'read'), ('ZRANGE', 1, 'read'), ('ZRANGEBYLEX', 1, 'read'), ('ZRANGEBYSCORE', 1, 'read'),
    ('ZRANGESTORE', 1, 'write'), ('ZRANK', 1, 'other'), ('ZREM', 1, 'delete'), ('ZREMRANGEBYLEX', 1, 'delete'),
    ('ZREMRANGEBYRANK', 1, 'delete'), ('ZREMRANGEBYSCORE', 1, 'delete'), ('ZREVRANGE', 1, 'read'), ('ZREVRANGEBYLEX', 1, 'read'),
    ('ZREVRANGEBYSCORE', 1, 'read'), ('ZREVRANK', 1, 'other'), ('ZSCAN', 1, 'read'), ('ZSCORE', 1, 'read'),
    ('ZUNION', 0, 'read'), ('ZUNIONSTORE', 1, 'write');
