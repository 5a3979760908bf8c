"""Checks that deploy/clickhouse/schema.sql makes otel_traces, its trace-id lookup and the lookup's view exactly as the
OpenTelemetry Collector's clickhouseexporter does: both are created in chDB and compared as ClickHouse reports them
(columns with types, codecs and defaults; partition, sorting and primary keys; skip indexes; the full engine clause with
a 30-day TTL; the view's SELECT). memtrace's own MATERIALIZED attribute columns of otel_traces, which the exporter's
inserts do not name, are left out of the comparison and listed. The exporter's own templates are read from its Go module where deploy/stack.sh's
build left it; nothing of them is copied into this repository.

    <chdb venv>/bin/python bench/clickhouse/compare_exporter_schema.py \
        ~/go/pkg/mod/github.com/open-telemetry/opentelemetry-collector-contrib/exporter/clickhouseexporter@v0.165.0/internal/sqltemplates
"""
import chdb, re, sys
D = sys.argv[1]
c = chdb.connect(':memory:')
q = lambda s: c.query(s, 'TabSeparated').bytes().decode()
q("CREATE DATABASE exp")
t = open(D + '/traces_table.sql').read().replace('%q.%q', '"%s"."%s"') % ('exp', 'otel_traces', '', 'MergeTree()', 'TTL toDateTime(Timestamp) + toIntervalDay(30)')
q(t)
q(open(D + '/traces_id_ts_lookup_table.sql').read() % ('exp', 'otel_traces', '', 'MergeTree()', 'TTL toDateTime(Start) + toIntervalDay(30)'))
q(open(D + '/traces_id_ts_lookup_mv.sql').read() % ('exp', 'otel_traces', '', 'exp', 'otel_traces', 'exp', 'otel_traces'))
text = open('deploy/clickhouse/schema.sql').read().replace('"otel"', '"ours"').replace("DB 'otel'", "DB 'ours'").replace("'otel.", "'ours.")
for chunk in re.split(r';\n', text):
    sql = "\n".join(l for l in chunk.splitlines() if not l.startswith('--')).strip()
    if sql: q(sql)
q("ALTER TABLE ours.otel_traces MODIFY TTL toDateTime(Timestamp) + toIntervalDay(30)")
q("ALTER TABLE ours.otel_traces_trace_id_ts MODIFY TTL toDateTime(Start) + toIntervalDay(30)")
def facts(db, t):
    return (q(f"SELECT groupArray((name, type, compression_codec, default_kind)) FROM (SELECT * FROM system.columns WHERE database='{db}' AND table='{t}' AND default_kind != 'MATERIALIZED' ORDER BY position)"),
            q(f"SELECT engine, partition_key, sorting_key, primary_key, sampling_key FROM system.tables WHERE database='{db}' AND name='{t}'"),
            q(f"SELECT groupArray((name, type_full, expr, granularity)) FROM (SELECT * FROM system.data_skipping_indices WHERE database='{db}' AND table='{t}' ORDER BY name)"),
            q(f"SELECT engine_full FROM system.tables WHERE database='{db}' AND name='{t}'"))
for t in ('otel_traces', 'otel_traces_trace_id_ts'):
    for what, a, b in zip(('columns', 'keys', 'indices', 'engine_full'), facts('exp', t), facts('ours', t)):
        print(t, what, 'SAME' if a == b else 'DIFF\n  exporter: ' + a[:700] + '\n  memtrace: ' + b[:700])
print('memtrace\'s MATERIALIZED columns of otel_traces:', q("SELECT arrayStringConcat(groupArray(name), ', ') FROM system.columns WHERE database = 'ours' AND table = 'otel_traces' AND default_kind = 'MATERIALIZED'").strip())
a = q("SELECT as_select FROM system.tables WHERE database = 'exp' AND name = 'otel_traces_trace_id_ts_mv'").replace('exp.', '')
b = q("SELECT as_select FROM system.tables WHERE database = 'ours' AND name = 'otel_traces_trace_id_ts_mv'").replace('ours.', '')
print('mv', 'SAME' if a == b else 'DIFF\n' + a + '\n' + b)

