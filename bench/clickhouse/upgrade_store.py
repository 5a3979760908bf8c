"""Brings a chDB directory query_tier.py loaded to a schema file (every statement is IF NOT EXISTS) and fills the named
tables, each kept by a view on memtrace_memory_calls, from memtrace_memory_calls with each call's rows merged (by the
functions its columns' types name, as MemoryCallRows.merged reads them) as `clickhouse init` fills them on an older store; prints each fill's CPU and wall time and rows. So one 10M load serves several commits' schemas.

    PYTHON bench/clickhouse/upgrade_store.py DB SCHEMA TABLE...
"""
import re, resource, sys, time
import chdb
db, schema, tables = sys.argv[1], sys.argv[2], sys.argv[3:]
con = chdb.connect(db); cur = con.cursor()
def run(sql):
    cur.execute(sql); return cur.fetchall()
text = open(schema).read()
stmts = [s for s in text.split(";\n") if s.strip() and not s.strip().startswith("INSERT")]
stmts = ["\n".join(l for l in s.split("\n") if not l.startswith("--")) for s in stmts]
mvs = {}
for s in stmts:
    m = re.search(r'CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"\."(\w+)_mv"\nTO "otel"\."(\w+)"\nAS (.*)', s, re.S)
    if m and m.group(2) in tables:
        mvs[m.group(2)] = m.group(3)
for s in stmts:
    if s.strip():
        run(s)
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
calls = run("SELECT create_table_query FROM system.tables WHERE database = 'otel' AND name = 'memtrace_memory_calls'")[0][0]
merged = "(SELECT Call, " + ", ".join(f"{fn}({col}) AS {col}" for col, fn in
                                      re.findall(r"`?(\w+)`? SimpleAggregateFunction\((\w+),", calls))
merged += ' FROM "otel"."memtrace_memory_calls" GROUP BY Call)'
for t in tables:
    sel = mvs[t].replace('FROM "otel"."memtrace_memory_calls"', "FROM " + merged)
    c0, w0 = cpu(), time.time()
    run(f'INSERT INTO "otel"."{t}" {sel}')
    print(t, "fill cpu_s", round(cpu() - c0, 1), "wall_s", round(time.time() - w0, 1), run(f'SELECT count() FROM "otel"."{t}"'))
