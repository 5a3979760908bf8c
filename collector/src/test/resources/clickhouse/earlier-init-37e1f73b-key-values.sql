-- The key values' view as the init of 37e1f73b made it: over otel_traces, planned at every insert (ClickHouseValuesContractIT).
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
            `Events.Timestamp` AS ET, `Events.Attributes` AS EA,
            arrayFilter(i -> `Events.Name`[i] = 'memory.value', arrayEnumerate(`Events.Name`)) AS Idx
        FROM "otel"."otel_traces"
        WHERE has(`Events.Name`, 'memory.value'))
    ARRAY JOIN Idx AS I, arrayEnumerate(Idx) AS N)
WHERE A['memory.key'] != '' AND A['memory.value.change'] IN ('replace', 'fields_set', 'fields_removed', 'push_tail', 'push_head', 'members_added', 'members_removed', 'append')
