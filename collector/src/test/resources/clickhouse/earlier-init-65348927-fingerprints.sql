-- The span facts and the memory calls' views as `clickhouse init` made them at 65348927 (2026-11-29), before whether
-- a call carries a value's fingerprint was read into the facts: a second view read it from otel_traces.

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
    OpsKeySource LowCardinality(String)
) ENGINE = Null
COMMENT 'memtrace: each inserted span\'s typed columns and key facts, for the views that keep them';

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_span_facts_mv"
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
    if(MemoryKey IS NOT NULL OR FromStatement, multiIf(MemoryKey IS NOT NULL, 'span', Hidden, 'hidden', 'statement'), '') AS OpsKeySource
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
FROM "otel"."otel_traces"
)
)
) AS s) AS s;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_memory_calls_mv"
TO "otel"."memtrace_memory_calls"
AS SELECT cityHash64(if(Role = 1, span_id, parent_span_id)) AS Call, max(Role = 1) AS IsCall, maxIf(trace_id, Role = 1) AS TraceId, maxIf(span_id, Role = 1) AS SpanId, maxIf(intDiv(toUnixTimestamp64Nano(time), 1000), Role = 1) AS Start, maxIf(coalesce(memory_namespace, '(none)'), Role = 1) AS Store, maxIf(lower(coalesce(memory_operation, '')), Role = 1) AS Operation, maxIf(memory_key, Role = 1) AS Key, maxIf(memory_ttl, Role = 1) AS Ttl, maxIf(coalesce(memory_result_count, if(lower(memory_operation) IN ('retrieve', 'search'), gen_ai_memory_record_count, NULL)), Role = 1) AS Results, maxIf(coalesce(memtrace_compressed_count, 0), Role = 1) AS Carried, maxIf(status IN ('Error', 'STATUS_CODE_ERROR'), Role = 1) AS Error, toUInt8(0) AS Fingerprinted, countIf(Role = 2) AS Commands, sumIf(coalesce(memory_value_size, 0), Role = 2) AS Bytes, countIf(Role = 2 AND (memory_ttl > 0 OR upper(db_operation_name) IN ('EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT', 'PERSIST', 'GETEX'))) AS TtlCommands, minIf(if(memory_ttl > 0, memory_ttl, NULL), Role = 2) AS LowTtl, maxIf(memory_ttl, Role = 2) AS GotTtl, minIf(memory_key, Role = 2) AS RedisKey, groupUniqArrayIf((upper(coalesce(db_operation_name, '')), cityHash64(memory_key)), Role = 2 AND memory_key IS NOT NULL) AS CommandKeys, max(time) AS Seen
FROM (SELECT TraceId AS trace_id, SpanId AS span_id, ParentSpanId AS parent_span_id, Timestamp AS time, StatusCode AS status, memory_operation, memory_namespace, memory_key, memory_ttl, memory_result_count, gen_ai_memory_record_count, memtrace_compressed_count, memory_value_size, db_operation_name, db_system_name, db_system, Role FROM "otel"."memtrace_span_facts"
ARRAY JOIN arrayFilter(r -> (r = 1 AND memory_operation IS NOT NULL) OR (r = 2 AND (db_system_name IS NOT NULL OR db_system IS NOT NULL) AND ParentSpanId != ''), [1, 2]) AS Role)
GROUP BY Call;

CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"."memtrace_memory_calls_fingerprints_mv"
TO "otel"."memtrace_memory_calls"
AS SELECT cityHash64(SpanId) AS Call, toUInt8(1) AS Fingerprinted, Timestamp AS Seen FROM "otel"."otel_traces"
WHERE SpanAttributes['memory.value.fingerprint'] != '';
