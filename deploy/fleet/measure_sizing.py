"""The figures docs/fleet.md sizes a fleet from, measured on ClickHouse itself (chDB: ClickHouse in-process).

    python3 -m venv /tmp/chdb-venv && /tmp/chdb-venv/bin/pip install chdb
    /tmp/chdb-venv/bin/python deploy/fleet/measure_sizing.py [--spans 10000000] [--schema FILE.sql]

Spans shaped like the memtrace agent's (a task, three memory operations, four Redis commands under them, per
trace; 50 services, 500 instances, 20 namespaces, 1M keys, the attributes the agent sets) go into otel_traces of
the schema `memtrace-collector clickhouse init` creates (deploy/clickhouse/schema.sql, or --schema), as the
OpenTelemetry Collector's clickhouseexporter inserts them, and so through its materialized views. It prints, as
`name value` lines:

- bytes per span on disk, compressed, for every table (otel_traces and what its views write), and raw;
- rows per second inserted on this machine, in one thread, as the gateway's exporter sends them (20,000-row
  inserts of the Native format) and as large blocks, and rows per CPU second (which a busy machine does not skew).

The data lives in a temporary directory, removed at the end.
"""
import argparse
import os
import resource
import shutil
import tempfile
import time

import chdb

# the schema `memtrace-collector clickhouse init` creates on one server, as checked in beside its generator
SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clickhouse", "schema.sql")

# One row per span, n = 8 * trace + position: 0 the task, 1-3 memory operations under it, 4-7 Redis commands
# under the operations (4 under 1, 5 under 2, 6 and 7 under 3). Spans are 8 us apart: 125k spans/s, one
# shard's share of 1M spans/s over 8 shards.
SPANS = """
WITH
    intDiv(number, 8) AS trace,
    number % 8 AS pos,
    multiIf(pos = 0, 0, pos <= 3, pos, pos = 4, 1, pos = 5, 2, 3) AS op,
    multiIf(pos = 0, 0, pos <= 3, 0, op) AS parent_pos,
    trace % 500 AS instance,
    instance % 50 AS service,
    cityHash64(trace, op) % 1000000 AS key_id,
    ['aqe/test-plans', 'aqe/sessions', 'aqe/cache', 'aqe/deep', 'cart', 'session', 'user:profile', 'rate',
     'feature-flags', 'search:q', 'reco', 'inventory', 'price', 'token', 'lock', 'queue:jobs', 'geo', 'ab',
     'feed', 'chat'][key_id % 20 + 1] AS namespace,
    concat(namespace, ':item-', toString(key_id)) AS key,
    ['store', 'retrieve', 'search'][op] AS operation,
    ['SETEX', 'GET', 'GET', 'EXPIRE'][pos - 3] AS command,
    toString(200 + cityHash64(key_id) % 20000) AS value_size,
    lower(hex(cityHash64(trace, 'a'))) || lower(hex(cityHash64(trace, 'b'))) AS trace_id,
    fromUnixTimestamp64Nano(toInt64(1795000000000000000 + number * 8000 + cityHash64(number) % 4000)) AS ts,
    concat('svc-', toString(service)) AS service_name
SELECT
    ts AS Timestamp,
    trace_id AS TraceId,
    lower(hex(cityHash64(trace, pos))) AS SpanId,
    if(pos = 0, '', lower(hex(cityHash64(trace, parent_pos)))) AS ParentSpanId,
    '' AS TraceState,
    multiIf(pos = 0, 'aqe.task.generate', pos <= 3, concat('aqe.memory.', operation), command) AS SpanName,
    if(pos <= 3, 'Internal', 'Client') AS SpanKind,
    service_name AS ServiceName,
    -- the agent's resource, as the demo's spans carry it
    map('service.name', service_name,
        'service.instance.id', concat(service_name, '-pod-', toString(instance)),
        'deployment.environment.name', 'production', 'process.pid', toString(1000 + instance),
        'process.runtime.version', '17.0.15+6-Debian-1deb12u1', 'telemetry.distro.name', 'memtrace',
        'telemetry.distro.version', '0.1.0', 'telemetry.sdk.language', 'java',
        'telemetry.sdk.name', 'opentelemetry') AS ResourceAttributes,
    if(pos <= 3, 'io.memtrace.memory', 'io.memtrace.jedis') AS ScopeName,
    '0.1.0' AS ScopeVersion,
    multiIf(
        pos = 0, map('agent.id', concat('agent-', toString(trace % 97)), 'task.id', toString(trace)),
        pos <= 3, map('memory.operation', operation, 'memory.namespace', namespace, 'memory.key', key,
                      'memory.ttl', '3600', 'memory.value_size', value_size),
        map('db.system.name', 'redis', 'db.operation.name', command,
            'db.query.text', concat(command, ' ', key, multiIf(command = 'SETEX', ' ? ?', command = 'EXPIRE', ' ?', '')),
            'db.namespace', '0', 'server.address', concat('redis-', toString(key_id % 8), '.internal'),
            'server.port', '6379', 'memory.key', key, 'memory.namespace', namespace, 'memory.ttl', '3600',
            'memory.value_size', value_size)) AS SpanAttributes,
    multiIf(pos = 0, 5000000 + cityHash64(number) % 45000000, pos <= 3, 100000 + cityHash64(number) % 4900000,
            40000 + cityHash64(number) % 460000) AS Duration,
    if(cityHash64(number, 'e') % 100 = 0, 'Error', if(pos <= 3, 'Ok', 'Unset')) AS StatusCode,
    if(cityHash64(number, 'e') % 100 = 0,
       'WRONGTYPE Operation against a key holding the wrong kind of value', '') AS StatusMessage,
    if(pos BETWEEN 1 AND 3, [ts, ts + toIntervalMicrosecond(50)], []) AS `Events.Timestamp`,
    if(pos BETWEEN 1 AND 3, [concat('memory.', operation, '.started'), concat('memory.', operation, '.completed')],
       []) AS `Events.Name`,
    if(pos BETWEEN 1 AND 3, [map(), map()], []) AS `Events.Attributes`,
    [] AS `Links.TraceId`, [] AS `Links.SpanId`, [] AS `Links.TraceState`, [] AS `Links.Attributes`
FROM numbers({offset}, {count})
"""


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def figure(name, value):
    print(f"{name} {value}", flush=True)


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--spans", type=int, default=10_000_000)
    args.add_argument("--insert-spans", type=int, default=2_000_000)
    args.add_argument("--schema", default=SCHEMA, help="DDL creating the database otel (default: clickhouse init's)")
    args = args.parse_args()
    work = tempfile.mkdtemp(prefix="fleet-sizing-")
    try:
        db = chdb.connect(os.path.join(work, "db"))
        cur = db.cursor()

        def run(sql):
            cur.execute(sql)
            return cur.fetchall()

        ddl = open(args.schema).read()
        for statement in [s for s in ddl.split(";\n") if s.strip()]:
            run(statement)
        figure("engine", run("SELECT version()")[0][0])

        # bytes per span: the spans in blocks of 1M, then merged as ClickHouse would over a day
        for offset in range(0, args.spans, 1_000_000):
            run("INSERT INTO otel.otel_traces " + SPANS.format(offset=offset, count=min(1_000_000, args.spans - offset)))
        run("OPTIMIZE TABLE otel.otel_traces FINAL")
        tables = run("SELECT table, sum(rows), sum(data_compressed_bytes), sum(data_uncompressed_bytes), "
                     "sum(bytes_on_disk) FROM system.parts WHERE active AND database = 'otel' GROUP BY table "
                     "ORDER BY table")
        total = 0
        for table, rows, compressed, uncompressed, on_disk in tables:
            figure(f"table.{table}.rows", rows)
            figure(f"table.{table}.bytes_on_disk_per_span", round(on_disk / args.spans, 1))
            figure(f"table.{table}.uncompressed_bytes_per_span", round(uncompressed / args.spans, 1))
            total += on_disk
        figure("all_tables.bytes_on_disk_per_span", round(total / args.spans, 1))
        columns = run("SELECT column, sum(column_data_compressed_bytes), sum(column_data_uncompressed_bytes) "
                      "FROM system.parts_columns WHERE active AND database = 'otel' AND table = 'otel_traces' "
                      "GROUP BY column ORDER BY 2 DESC LIMIT 6")
        for column, compressed, uncompressed in columns:
            figure(f"otel_traces.column.{column}.compressed_bytes_per_span", round(compressed / args.spans, 1))

        # insert speed: the spans once more as a Native file, then inserted as the exporter sends them
        native = os.path.join(work, "spans.native")
        run(f"SELECT * FROM ({SPANS.format(offset=args.spans, count=args.insert_spans)}) "
            f"INTO OUTFILE '{native}' FORMAT Native")
        for label, block in (("20k_row_inserts", 20_000), ("1M_row_inserts", 1_000_000)):
            run("TRUNCATE TABLE otel.otel_traces")
            for setting in ("max_insert_threads = 1", "max_threads = 1", f"max_insert_block_size = {block}",
                            f"min_insert_block_size_rows = {block}", "min_insert_block_size_bytes = 0"):
                run("SET " + setting)
            started, cpu = time.perf_counter(), cpu_seconds()
            run(f"INSERT INTO otel.otel_traces FROM INFILE '{native}' FORMAT Native")
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            parts = run("SELECT count() FROM system.parts WHERE active AND database = 'otel' AND table = 'otel_traces'")
            figure(f"insert.{label}.rows_per_second", round(args.insert_spans / seconds))
            # CPU time (all of chDB's threads, in this process) holds on a busy machine where wall time does not
            figure(f"insert.{label}.rows_per_cpu_second", round(args.insert_spans / cpu))
            figure(f"insert.{label}.parts", parts[0][0])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
