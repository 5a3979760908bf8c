-- Memory health's four tables, their Null table of the calls' findings and the five views that fed them, as
-- `clickhouse init` made them at 9e09af83 (2026-12-01), before memtrace_memory_call_counts kept the four kinds of row
-- in one table fed by one view.

CREATE TABLE IF NOT EXISTS "otel"."memtrace_memory_call_totals" (
Store LowCardinality(String),
    Operation LowCardinality(String),
    Hour DateTime,
    Calls SimpleAggregateFunction(sum, UInt64),
    Reads SimpleAggregateFunction(sum, UInt64),
    Writes SimpleAggregateFunction(sum, UInt64),
    Searches SimpleAggregateFunction(sum, UInt64),
    EmptySearches SimpleAggregateFunction(sum, UInt64),
    Commands SimpleAggregateFunction(sum, Int64),
    Bytes SimpleAggregateFunction(sum, Int64),
    NPlusOne SimpleAggregateFunction(sum, UInt64),
    TtlLost SimpleAggregateFunction(sum, UInt64),
    TtlDiffers SimpleAggregateFunction(sum, UInt64),
    TtlUnchecked SimpleAggregateFunction(sum, UInt64)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(Hour)
ORDER BY (Store, Operation, Hour)
COMMENT 'memtrace: memory calls per store, operation and hour, each with the commands of its insert, kept at insert';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_memory_call_late" (
Call UInt64 CODEC(Delta(8), ZSTD(1)),
    Day Date
) ENGINE = ReplacingMergeTree()
ORDER BY Call
COMMENT 'memtrace: memory calls whose Redis commands came in an insert without the call';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_memory_call_counted" (
Call UInt64 CODEC(Delta(8), ZSTD(1)),
    Commands Int64 CODEC(T64, ZSTD(1)),
    Bytes Int64 CODEC(T64, ZSTD(1)),
    NPlusOne UInt8,
    Finding LowCardinality(String),
    Start Int64 CODEC(ZSTD(1)),
    Day Date
) ENGINE = MergeTree()
ORDER BY Call
COMMENT 'memtrace: what each memory call was counted as in memtrace_memory_call_totals';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_memory_call_keys" (
Store LowCardinality(String),
    HasKey UInt8,
    KeyHash UInt64 CODEC(Delta(8), ZSTD(1)),
    Day Date
) ENGINE = ReplacingMergeTree(Day)
ORDER BY (Store, HasKey, KeyHash)
COMMENT 'memtrace: the keys memory calls wrote per store, as hashes';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_memory_call_findings" (
    Call UInt64,
    Store String,
    Operation String,
    Key Nullable(String),
    Results Nullable(Int64),
    Carried Int64,
    Commands UInt64,
    Bytes Int64,
    Start Int64,
    Seen DateTime64(9),
    Access String,
    NPlusOne UInt8,
    Finding String
) ENGINE = Null
COMMENT 'memtrace: the memory calls of an insert with their access, N+1 and TTL finding, for memory health\'s counts';

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_memory_call_findings_mv"
TO "otel"."memtrace_memory_call_findings"
AS SELECT Call, Store, Operation, Key, Results, Carried, Commands, Bytes, Start, Seen, CASE Operation WHEN 'retrieve' THEN 'read' WHEN 'store' THEN 'write' WHEN 'create' THEN 'write' WHEN 'update' THEN 'write' WHEN 'delete' THEN 'delete' ELSE 'other' END AS Access, (Commands >= 5 AND if(empty(CommandKeys), 0, arrayMax(arrayMap(c -> length(arrayFilter(x -> x.1 = c, CommandKeys)), arrayDistinct(arrayMap(x -> x.1, CommandKeys))))) >= 5) AS NPlusOne, multiIf(NOT (CASE Operation WHEN 'retrieve' THEN 'read' WHEN 'store' THEN 'write' WHEN 'create' THEN 'write' WHEN 'update' THEN 'write' WHEN 'delete' THEN 'delete' ELSE 'other' END = 'write' AND coalesce(Ttl > 0, 0) AND Error = 0), '', TtlCommands = 0 AND (Commands = 0 OR Carried > 0), 'ttl_unchecked', TtlCommands = 0, 'ttl_lost', coalesce(GotTtl > 0 AND NOT (LowTtl = Ttl OR GotTtl = Ttl), 0), 'ttl_differs', '') AS Finding FROM "otel"."memtrace_memory_calls" WHERE IsCall > 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_memory_call_totals_mv"
TO "otel"."memtrace_memory_call_totals"
AS SELECT Store, Operation, toStartOfHour(Seen) AS Hour, count() AS Calls, countIf(Access = 'read') AS Reads, countIf(Access = 'write') AS Writes, countIf(Operation = 'search') AS Searches, countIf(Operation = 'search' AND coalesce(Results = 0, 0)) AS EmptySearches, sum(toInt64(Carried) + toInt64(Commands)) AS Commands, sum(Bytes) AS Bytes, countIf(NPlusOne) AS NPlusOne, countIf(Finding = 'ttl_lost') AS TtlLost, countIf(Finding = 'ttl_differs') AS TtlDiffers, countIf(Finding = 'ttl_unchecked') AS TtlUnchecked
FROM "otel"."memtrace_memory_call_findings"
GROUP BY Store, Operation, Hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_memory_call_late_mv"
TO "otel"."memtrace_memory_call_late"
AS SELECT Call, toDate(Seen) AS Day FROM "otel"."memtrace_memory_calls" WHERE IsCall = 0 AND Commands > 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_memory_call_counted_mv"
TO "otel"."memtrace_memory_call_counted"
AS SELECT Call, toInt64(Carried) + toInt64(Commands) AS Commands, Bytes, NPlusOne, Finding, if(Finding IN ('ttl_lost', 'ttl_differs'), Start, 0) AS Start, toDate(Seen) AS Day FROM "otel"."memtrace_memory_call_findings";

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_memory_call_keys_mv"
TO "otel"."memtrace_memory_call_keys"
AS SELECT Store, Key IS NOT NULL AS HasKey, if(HasKey, cityHash64(Key), 0) AS KeyHash, toDate(Seen) AS Day FROM "otel"."memtrace_memory_call_findings" WHERE Access = 'write';
