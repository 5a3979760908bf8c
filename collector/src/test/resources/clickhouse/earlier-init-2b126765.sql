-- What an earlier `clickhouse init` (main at 2b126765, deploy/clickhouse/schema.sql) made that this one does not: the
-- key totals and namespace growth, which nothing reads, with their views, the ops view over otel_traces, whose
-- statement facts ({facts}) were the spans view's, over otel_traces, with the span's attributes, and the copy of each
-- span, memtrace_spans, which the memory calls, layer keys and layer operations were read from (its view, over
-- otel_traces, ClickHouseSchemaIT makes from the generator). ClickHouseSchemaIT makes a store of that init from them to
-- check the upgrade. Database "otel", replaced by the test's.

CREATE TABLE IF NOT EXISTS "otel"."memtrace_key_totals" (
Store LowCardinality(String),
    Namespace LowCardinality(String),
    Key String CODEC(ZSTD(1)),
    Reads SimpleAggregateFunction(sum, UInt64),
    Writes SimpleAggregateFunction(sum, UInt64),
    Deletes SimpleAggregateFunction(sum, UInt64),
    Expires SimpleAggregateFunction(sum, UInt64),
    Others SimpleAggregateFunction(sum, UInt64),
    Misses SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    BytesWritten SimpleAggregateFunction(sum, UInt64),
    MaxValueSize SimpleAggregateFunction(max, UInt64),
    FirstSeen SimpleAggregateFunction(min, DateTime64(9)),
    LastSeen SimpleAggregateFunction(max, DateTime64(9)),
    FirstWrite SimpleAggregateFunction(min, Nullable(DateTime64(9))),
    LastWriteTtl AggregateFunction(argMax, Int64, DateTime64(9)),
    Services SimpleAggregateFunction(groupUniqArrayArray, Array(String))
) ENGINE = AggregatingMergeTree()
ORDER BY (Store, Namespace, Key)
COMMENT 'memtrace: each key\'s operation totals';

CREATE TABLE IF NOT EXISTS "otel"."memtrace_namespace_growth" (
Store LowCardinality(String),
    Namespace LowCardinality(String),
    Hour DateTime CODEC(Delta(4), ZSTD(1)),
    Ops SimpleAggregateFunction(sum, UInt64),
    Writes SimpleAggregateFunction(sum, UInt64),
    BytesWritten SimpleAggregateFunction(sum, UInt64),
    KeysWritten AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(Hour)
ORDER BY (Store, Namespace, Hour)
COMMENT 'memtrace: each namespace\'s operations and keys written per hour';

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_ops_mv"
TO "otel"."memtrace_ops"
AS SELECT
    if(IsRedis, concat(coalesce(nullIf(SpanAttributes['server.address'], ''), nullIf(SpanAttributes['net.peer.name'], ''), ''), ':', coalesce(nullIf(SpanAttributes['server.port'], ''), nullIf(SpanAttributes['net.peer.port'], ''), ''), '/', coalesce(nullIf(SpanAttributes['db.namespace'], ''), nullIf(SpanAttributes['db.redis.database_index'], ''), '0')), '') AS Store,
    coalesce(CASE WHEN nullIf(SpanAttributes['memory.operation'], '') IS NULL AND nullIf(SpanAttributes['gen_ai.operation.name'], '') IN ('search_memory', 'upsert_memory', 'delete_memory', 'create_memory', 'update_memory', 'create_memory_store', 'delete_memory_store') THEN nullIf(SpanAttributes['gen_ai.memory.store.id'], '') ELSE nullIf(SpanAttributes['memory.namespace'], '') END, nullIf(regexpExtract(Key, '^(.*)[:/][^:/]*$', 1), ''), '') AS Namespace,
    Key, Timestamp, Operation,
    CASE WHEN Operation IN ('EXISTS', 'GET', 'GETDEL', 'GETEX', 'GETRANGE', 'HEXISTS', 'HGET', 'HGETALL', 'HKEYS', 'HLEN', 'HMGET', 'HVALS', 'LINDEX', 'LLEN', 'LRANGE', 'MGET', 'PTTL', 'RETRIEVE', 'SCARD', 'SISMEMBER', 'SMEMBERS', 'SRANDMEMBER', 'STRLEN', 'TTL', 'XLEN', 'XRANGE', 'XREAD', 'XREVRANGE', 'ZCARD', 'ZRANGE', 'ZRANGEBYSCORE', 'ZRANK', 'ZREVRANGE', 'ZSCORE') THEN 'read' WHEN Operation IN ('APPEND', 'COPY', 'DECR', 'DECRBY', 'GETSET', 'HDEL', 'HINCRBY', 'HINCRBYFLOAT', 'HMSET', 'HSET', 'HSETNX', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'LINSERT', 'LPOP', 'LPUSH', 'LPUSHX', 'LREM', 'LSET', 'LTRIM', 'MSET', 'MSETNX', 'PSETEX', 'RESTORE', 'RPOP', 'RPUSH', 'RPUSHX', 'SADD', 'SET', 'SETEX', 'SETNX', 'SETRANGE', 'SPOP', 'SREM', 'STORE', 'XADD', 'XDEL', 'XTRIM', 'ZADD', 'ZINCRBY', 'ZREM') THEN 'write' WHEN Operation IN ('DEL', 'DELETE', 'UNLINK') THEN 'delete' WHEN Operation IN ('EXPIRE', 'EXPIREAT', 'PERSIST', 'PEXPIRE', 'PEXPIREAT') THEN 'expire' ELSE 'other' END AS Kind,
    if(IsRedis, transform(Operation, ['APPEND', 'BITFIELD', 'BITOP', 'BLMOVE', 'BLMPOP', 'BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BZMPOP', 'BZPOPMAX', 'BZPOPMIN', 'COPY', 'DECR', 'DECRBY', 'DEL', 'DELEX', 'DUMP', 'EXISTS', 'FT.AGGREGATE', 'FT.CURSOR', 'FT.CURSOR|READ', 'FT.HYBRID', 'FT.SEARCH', 'GEOADD', 'GEODIST', 'GEOHASH', 'GEOPOS', 'GEORADIUS', 'GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO', 'GEORADIUS_RO', 'GEOSEARCH', 'GEOSEARCHSTORE', 'GET', 'GETDEL', 'GETEX', 'GETRANGE', 'GETSET', 'HDEL', 'HEXISTS', 'HGET', 'HGETALL', 'HGETDEL', 'HGETEX', 'HINCRBY', 'HINCRBYFLOAT', 'HKEYS', 'HMGET', 'HMSET', 'HRANDFIELD', 'HSCAN', 'HSET', 'HSETEX', 'HSETNX', 'HVALS', 'INCR', 'INCRBY', 'INCRBYFLOAT', 'JSON.ARRAPPEND', 'JSON.ARRINSERT', 'JSON.ARRPOP', 'JSON.ARRTRIM', 'JSON.CLEAR', 'JSON.DEL', 'JSON.FORGET', 'JSON.GET', 'JSON.MERGE', 'JSON.MGET', 'JSON.MSET', 'JSON.NUMINCRBY', 'JSON.NUMMULTBY', 'JSON.RESP', 'JSON.SET', 'JSON.STRAPPEND', 'JSON.TOGGLE', 'LCS', 'LINDEX', 'LINSERT', 'LMOVE', 'LMPOP', 'LPOP', 'LPOS', 'LPUSH', 'LPUSHX', 'LRANGE', 'LREM', 'LSET', 'LTRIM', 'MGET', 'MOVE', 'MSET', 'MSETEX', 'MSETNX', 'PFADD', 'PFMERGE', 'PSETEX', 'PUBLISH', 'RENAME', 'RENAMENX', 'RESTORE', 'RESTORE-ASKING', 'RPOP', 'RPOPLPUSH', 'RPUSH', 'RPUSHX', 'SADD', 'SDIFF', 'SDIFFSTORE', 'SET', 'SETBIT', 'SETEX', 'SETNX', 'SETRANGE', 'SINTER', 'SINTERSTORE', 'SISMEMBER', 'SMEMBERS', 'SMISMEMBER', 'SMOVE', 'SORT', 'SORT_RO', 'SPOP', 'SRANDMEMBER', 'SREM', 'SSCAN', 'SUBSTR', 'SUNION', 'SUNIONSTORE', 'UNLINK', 'VADD', 'VEMB', 'VGETATTR', 'VISMEMBER', 'VLINKS', 'VRANDMEMBER', 'VRANGE', 'VREM', 'VSETATTR', 'VSIM', 'XACKDEL', 'XADD', 'XAUTOCLAIM', 'XCLAIM', 'XDEL', 'XDELEX', 'XGROUP|DELCONSUMER', 'XGROUP|DESTROY', 'XRANGE', 'XREAD', 'XREADGROUP', 'XREVRANGE', 'XTRIM', 'ZADD', 'ZDIFF', 'ZDIFFSTORE', 'ZINCRBY', 'ZINTER', 'ZINTERSTORE', 'ZMPOP', 'ZMSCORE', 'ZPOPMAX', 'ZPOPMIN', 'ZRANDMEMBER', 'ZRANGE', 'ZRANGEBYLEX', 'ZRANGEBYSCORE', 'ZRANGESTORE', 'ZREM', 'ZREMRANGEBYLEX', 'ZREMRANGEBYRANK', 'ZREMRANGEBYSCORE', 'ZREVRANGE', 'ZREVRANGEBYLEX', 'ZREVRANGEBYSCORE', 'ZSCAN', 'ZSCORE', 'ZUNION', 'ZUNIONSTORE'], ['write', 'write', 'write', 'write', 'read', 'read', 'read', 'write', 'read', 'read', 'read', 'write', 'write', 'write', 'delete', 'delete', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'write', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'write', 'read', 'read', 'read', 'read', 'write', 'delete', 'read', 'read', 'read', 'read', 'read', 'write', 'write', 'read', 'read', 'write', 'read', 'read', 'write', 'write', 'write', 'read', 'write', 'write', 'write', 'write', 'write', 'read', 'delete', 'write', 'delete', 'delete', 'read', 'write', 'read', 'write', 'write', 'write', 'read', 'write', 'write', 'write', 'read', 'read', 'write', 'write', 'read', 'read', 'read', 'write', 'write', 'read', 'delete', 'write', 'delete', 'read', 'write', 'write', 'write', 'write', 'write', 'write', 'write', 'write', 'write', 'write', 'write', 'write', 'read', 'write', 'write', 'write', 'write', 'read', 'write', 'write', 'write', 'write', 'write', 'write', 'read', 'write', 'read', 'read', 'read', 'write', 'read', 'read', 'read', 'read', 'delete', 'read', 'read', 'read', 'write', 'delete', 'write', 'read', 'read', 'read', 'read', 'read', 'read', 'delete', 'write', 'read', 'delete', 'write', 'read', 'read', 'delete', 'delete', 'delete', 'delete', 'read', 'read', 'read', 'read', 'delete', 'write', 'read', 'write', 'write', 'read', 'write', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'write', 'delete', 'delete', 'delete', 'delete', 'read', 'read', 'read', 'read', 'read', 'read', 'write'], 'other'), 'other') AS Access,
    multiIf(MemoryKey IS NOT NULL, 'span', Hidden, 'hidden', 'statement') AS KeySource,
    ServiceName, TraceId, SpanId, ParentSpanId, Duration,
    toUInt64OrNull(SpanAttributes['memory.value_size']) AS ValueSize,
    toInt64OrNull(SpanAttributes['memory.ttl']) AS Ttl,
    multiIf(SpanAttributes['memory.found'] = 'true', 1, SpanAttributes['memory.found'] = 'false', 0, NULL) AS Found,
    StatusCode IN ('Error', 'STATUS_CODE_ERROR') AS Error
FROM (
{facts}
WHERE MemoryKey IS NOT NULL OR FromStatement
);

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_key_totals_mv"
TO "otel"."memtrace_key_totals"
AS SELECT Store, Namespace, Key,
    countIf(Kind = 'read') AS Reads, countIf(Kind = 'write') AS Writes, countIf(Kind = 'delete') AS Deletes,
    countIf(Kind = 'expire') AS Expires, countIf(Kind = 'other') AS Others,
    countIf(Kind = 'read' AND Found = 0) AS Misses, countIf(Error = 1) AS Errors,
    sumIf(assumeNotNull(ValueSize), Kind = 'write') AS BytesWritten,
    max(assumeNotNull(ValueSize)) AS MaxValueSize,
    min(Timestamp) AS FirstSeen, max(Timestamp) AS LastSeen,
    minIf(toNullable(Timestamp), Kind = 'write') AS FirstWrite,
    argMaxStateIf(coalesce(Ttl, -1), Timestamp, Kind = 'write') AS LastWriteTtl,
    groupUniqArray(toString(ServiceName)) AS Services
FROM "otel"."memtrace_ops"
GROUP BY Store, Namespace, Key;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_namespace_growth_mv"
TO "otel"."memtrace_namespace_growth"
AS SELECT Store, Namespace, toStartOfHour(Timestamp) AS Hour,
    count() AS Ops, countIf(Kind = 'write') AS Writes,
    sumIf(assumeNotNull(ValueSize), Kind = 'write') AS BytesWritten,
    uniqStateIf(Key, Kind = 'write') AS KeysWritten
FROM "otel"."memtrace_ops"
GROUP BY Store, Namespace, Hour;

CREATE TABLE IF NOT EXISTS "otel"."memtrace_spans" (
TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Duration UInt64 CODEC(T64, ZSTD(1)),
    memory_operation Nullable(String) CODEC(ZSTD(1)),
    memory_key Nullable(String) CODEC(ZSTD(1)),
    memory_namespace Nullable(String) CODEC(ZSTD(1)),
    db_system_name Nullable(String) CODEC(ZSTD(1)),
    db_system Nullable(String) CODEC(ZSTD(1)),
    db_operation_name Nullable(String) CODEC(ZSTD(1)),
    memory_value_size Nullable(Int64) CODEC(ZSTD(1)),
    memory_ttl Nullable(Int64) CODEC(ZSTD(1)),
    memory_found Nullable(Bool) CODEC(ZSTD(1)),
    memtrace_compressed_count Nullable(Int64) CODEC(ZSTD(1)),
    memory_result_count Nullable(Int64) CODEC(ZSTD(1)),
    gen_ai_memory_record_count Nullable(Int64) CODEC(ZSTD(1)),
    memtrace_derived_from Nullable(String) CODEC(ZSTD(1)),
    memtrace_unknown Nullable(String) CODEC(ZSTD(1)),
    server_address Nullable(String) CODEC(ZSTD(1)),
    server_port Nullable(String) CODEC(ZSTD(1)),
    db_namespace Nullable(String) CODEC(ZSTD(1))
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (TraceId, SpanId)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1
COMMENT 'memtrace: each span\'s typed columns, derived as it is inserted';
