"""The fleet schema's figures, measured on ClickHouse in-process (chDB), never through an HTTP front.

Loads deploy/clickhouse/schema.sql into a fresh chDB directory, inserts N realistic spans into otel_traces (the
materialized views fill memtrace_ops and the rollups as they would behind the exporter), then prints: insert rate
with and without the views, compressed bytes per row of each table, and the query times the query tier depends on
(median of 5 runs, after one warm-up). The report's key sections at scale are query_tier.py's.

    python bench/clickhouse/schema_bench.py [--spans 10000000] [--keys 1000000] [--dir D]

Run it with the venv the tests make (python3 is not enough: it needs chdb), e.g.
    ~/.cache/memtrace/chdb-venv/chdb-4.4.0-core-26.9.0-r1/bin/python bench/clickhouse/schema_bench.py
"""

import argparse
import os
import re
import shutil
import statistics
import sys
import time

import chdb

SCHEMA = os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "clickhouse", "schema.sql")
DB = "otel"


def statements(path):
    text = open(path).read()
    for chunk in re.split(r";\n", text):
        sql = "\n".join(line for line in chunk.splitlines() if not line.startswith("--")).strip()
        if sql:
            yield sql


def spans_sql(table, n, keys, offset=0):
    """n spans from number offset: 5 a trace, one task span and four memory/Redis spans; keys skewed (x^2.5), 50
    namespaces, 20 services; 80 % memtrace's agent (memory.key), 10 % Node, 5 % the Java agent, 5 % Python (hidden);
    60 % reads, 30 % writes, 5 % deletes, 5 % expires; spread over one day."""
    ns_per_day = 86400 * 10**9
    return f"""
INSERT INTO {DB}.{table} (Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
    ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode, StatusMessage)
SELECT
    toDateTime64('2026-11-20 00:00:00', 9) + toIntervalNanosecond(intDiv(number * {ns_per_day}, {n + offset})) AS ts,
    lower(hex(MD5(toString(intDiv(number, 5))))) AS trace,
    lower(hex(cityHash64(number))) AS span,
    if(number % 5 = 0, '', lower(hex(cityHash64(intDiv(number, 5) * 5)))),
    '',
    multiIf(number % 5 = 0, 'aqe.task.run', op),
    if(number % 5 = 0, 'Internal', 'Client'),
    concat('svc', toString(cityHash64(intDiv(number, 5), 4) % 20)) AS service,
    map('service.name', service),
    multiIf(lang < 80, 'io.memtrace', lang < 90, '@opentelemetry/instrumentation-ioredis',
        lang < 95, 'io.opentelemetry.jedis-4.0', 'opentelemetry.instrumentation.redis'),
    '1.0',
    multiIf(number % 5 = 0, map('agent.id', service),
        lang < 80, map('db.system.name', 'redis', 'db.operation.name', op, 'memory.key', key,
            'memory.namespace', ns, 'memory.value_size', toString(100 + k % 900), 'server.address', 'redis',
            'server.port', '6379', 'db.namespace', '0', 'memory.found', if(op = 'GET', if(k % 7 = 0, 'false', 'true'), ''),
            'memory.ttl', if(op = 'SET' AND k % 3 = 0, '3600', '')),
        lang < 90, map('db.system', 'redis', 'db.statement', concat(lower(op), ' ', key,
            if(op = 'SET', ' [1 other arguments]', '')), 'net.peer.name', 'redis', 'net.peer.port', '6379'),
        lang < 95, map('db.system.name', 'redis', 'db.query.text', concat(op, ' ', key, if(op = 'SET', ' ?', '')),
            'server.address', 'redis', 'server.port', '6379', 'db.namespace', '0'),
        map('db.system', 'redis', 'db.statement', concat(op, ' ?', if(op = 'SET', ' ?', '')), 'net.peer.name',
            'redis', 'net.peer.port', '6379', 'db.redis.database_index', '0')),
    40000 + cityHash64(number, 5) % 200000,
    'Unset', ''
FROM (
    SELECT number + {offset} AS number,
        toUInt64(pow((cityHash64(number + {offset}, 1) % 1000000) / 1000000, 2.5) * {keys}) AS k,
        concat('aqe/ns', toString(k % 50)) AS ns,
        concat(ns, ':', toString(k)) AS key,
        cityHash64(number + {offset}, 2) % 100 AS r,
        multiIf(r < 60, 'GET', r < 90, 'SET', r < 95, 'DEL', 'EXPIRE') AS op,
        cityHash64(number + {offset}, 3) % 100 AS lang
    FROM numbers({n}))
"""


def timed(con, sql, runs=5):
    con.query(sql, "Null")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        con.query(sql, "Null")
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def text(con, sql):
    return con.query(sql, "TabSeparated").bytes().decode().strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, default=10_000_000)
    parser.add_argument("--keys", type=int, default=1_000_000)
    parser.add_argument("--dir", default="/tmp/memtrace-chbench")
    parser.add_argument("--queries-only", action="store_true", help="time the queries on a directory loaded before")
    args = parser.parse_args()
    if not args.queries_only:
        shutil.rmtree(args.dir, ignore_errors=True)
    con = chdb.connect(args.dir)
    print("ClickHouse", text(con, "SELECT version()"), "| cores", os.cpu_count(), "| load", os.getloadavg()[0])
    if args.queries_only:
        return run_queries(con, args)
    for sql in statements(SCHEMA):
        con.query(sql)

    # the same spans into a bare copy of otel_traces: what the views cost on top of the exporter's own insert
    con.query(f"CREATE TABLE {DB}.bare AS {DB}.otel_traces")
    n = min(args.spans, 2_000_000)
    t = time.perf_counter()
    con.query(spans_sql("bare", n, args.keys))
    bare = n / (time.perf_counter() - t)
    con.query(f"DROP TABLE {DB}.bare")

    t = time.perf_counter()
    step = 2_000_000
    for offset in range(0, args.spans, step):
        con.query(spans_sql("otel_traces", min(step, args.spans - offset), args.keys, offset))
    loaded = time.perf_counter() - t
    print(f"insert: {args.spans / loaded:,.0f} spans/s with the views, {bare:,.0f} spans/s into otel_traces alone")
    for table in ("otel_traces", "memtrace_ops", "otel_traces_trace_id_ts"):
        con.query(f"OPTIMIZE TABLE {DB}.{table} FINAL")
    for row in text(con, f"""
        SELECT table, sum(rows), sum(data_compressed_bytes), sum(data_uncompressed_bytes)
        FROM system.parts WHERE database = '{DB}' AND active GROUP BY table ORDER BY table""").splitlines():
        table, rows, compressed, raw = row.split("\t")
        rows, compressed, raw = int(rows), int(compressed), int(raw)
        print(f"{table}: {rows:,} rows, {compressed / max(rows, 1):.1f} bytes a row compressed "
              f"({raw / max(rows, 1):.0f} raw), {compressed / 2**20:,.0f} MiB")
    print("ops columns, bytes a row:", text(con, f"""
        SELECT arrayStringConcat(groupArray(concat(column, '=', toString(round(b, 1)))), ' ') FROM (
        SELECT column, sum(column_data_compressed_bytes) / (SELECT sum(rows) FROM system.parts WHERE database = '{DB}'
            AND table = 'memtrace_ops' AND active) AS b
        FROM system.parts_columns WHERE database = '{DB}' AND table = 'memtrace_ops' AND active
        GROUP BY column ORDER BY b DESC)"""))

    return run_queries(con, args)


def run_queries(con, args):
    one = text(con, f"SELECT Store, Namespace, Key FROM {DB}.memtrace_ops WHERE KeySource = 'span' "
                    f"ORDER BY cityHash64(Key) LIMIT 1").split("\t")
    trace = text(con, f"SELECT TraceId FROM {DB}.memtrace_ops WHERE Kind = 'read' ORDER BY cityHash64(TraceId) LIMIT 1")
    queries = {
        "hot keys (raw ops)": f"""SELECT Store, Namespace, Key, count() AS n FROM {DB}.memtrace_ops
            GROUP BY Store, Namespace, Key ORDER BY n DESC LIMIT 20""",
        "one key's history": f"""SELECT Timestamp, Operation, ServiceName, TraceId FROM {DB}.memtrace_ops
            WHERE Store = '{one[0]}' AND Namespace = '{one[1]}' AND Key = '{one[2]}' ORDER BY Timestamp""",
        "one key's history, key alone": f"""SELECT Timestamp, Operation, ServiceName, TraceId FROM {DB}.memtrace_ops
            WHERE Key = '{one[2]}' ORDER BY Timestamp""",
        "one trace's lineage (ASOF)": f"""
            WITH reads AS (SELECT Store, Namespace, Key, Timestamp FROM {DB}.memtrace_ops
                WHERE TraceId = '{trace}' AND Kind = 'read')
            SELECT r.Key, r.Timestamp, w.Timestamp, w.TraceId, w.ServiceName FROM reads AS r
            ASOF LEFT JOIN (SELECT Store, Namespace, Key, Timestamp, TraceId, ServiceName FROM {DB}.memtrace_ops
                WHERE Kind IN ('write', 'delete') AND (Store, Namespace, Key) IN (SELECT Store, Namespace, Key FROM reads))
                AS w ON r.Store = w.Store AND r.Namespace = w.Namespace AND r.Key = w.Key AND r.Timestamp > w.Timestamp""",
        "one trace's spans (lookup + bloom)": f"""SELECT * FROM {DB}.otel_traces WHERE TraceId = '{trace}'
            AND Timestamp >= (SELECT min(Start) FROM {DB}.otel_traces_trace_id_ts WHERE TraceId = '{trace}')
            AND Timestamp <= (SELECT max(End) + 1 FROM {DB}.otel_traces_trace_id_ts WHERE TraceId = '{trace}')""",
    }
    for name, sql in queries.items():
        print(f"{name}: {timed(con, sql):.1f} ms")

    derived = text(con, f"""SELECT KeySource, count() FROM {DB}.memtrace_ops GROUP BY KeySource ORDER BY KeySource""")
    print("ops by key source:", derived.replace("\n", ", ").replace("\t", " "))


if __name__ == "__main__":
    sys.exit(main())
