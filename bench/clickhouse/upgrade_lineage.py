"""Brings a chDB directory query_tier.py loaded, with memtrace_lineage kept, to a schema file (every statement is IF NOT
EXISTS) and runs a fill statement once, as `clickhouse init` fills a table kept from memtrace_lineage on an older store
(memtrace_next_access: NextAccessRows.fill); prints the fill's CPU and wall time and the table's rows.

    PYTHON bench/clickhouse/upgrade_lineage.py DB SCHEMA FILL_SQL TABLE
"""
import resource, sys, time
import chdb
db, schema, fill, table = sys.argv[1:5]
con = chdb.connect(db); cur = con.cursor()
def run(sql):
    cur.execute(sql); return cur.fetchall()
stmts = [s for s in open(schema).read().split(";\n") if s.strip() and not s.strip().startswith("INSERT")]
for s in ["\n".join(l for l in s.split("\n") if not l.startswith("--")) for s in stmts]:
    if s.strip():
        run(s)
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
c0, w0 = cpu(), time.time()
run(open(fill).read())
print(table, "fill cpu_s", round(cpu() - c0, 1), "wall_s", round(time.time() - w0, 1),
      run(f'SELECT count() FROM "otel"."{table}"'))
