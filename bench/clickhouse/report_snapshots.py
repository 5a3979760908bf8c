"""Each report statement that starts with one of PREFIX, kept by a refreshable materialized view (REFRESH EVERY) on a
chDB directory query_tier.py loaded: the statement's own CPU and wall time, the view's first refresh (CREATE, then
SYSTEM WAIT VIEW), the snapshot's read time, and whether its rows are the statement's, in order. The views are dropped
after. docs/fleet.md, "Lineage as of a refresh".

    PYTHON bench/clickhouse/report_snapshots.py DB STATEMENTS PREFIX...
"""
import resource, sys, time, chdb
db, stmts, pattern = sys.argv[1], sys.argv[2], sys.argv[3:]
conn = chdb.connect(db); cur = conn.cursor(); cur.execute("USE otel")
def q(s):
    cur.execute(s); return cur.fetchall()
def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF); return u.ru_utime + u.ru_stime
for layer in ("memory", "redis"):
    for line in [l for l in open(f"{stmts}/report-{layer}.sql").read().split("\n") if l.strip()]:
        if not any(line.startswith(p) for p in pattern):
            continue
        line = line.replace("'fleet.memtrace_redis_commands_dict'", "'otel.memtrace_redis_commands_dict'")
        name = f"snap_{layer}_{abs(hash(line)) % 10**8}"
        c, w = cpu(), time.time(); live = q(line); lc, lw = cpu() - c, time.time() - w
        q(f"DROP TABLE IF EXISTS {name}")
        c, w = cpu(), time.time()
        q(f"CREATE MATERIALIZED VIEW {name} REFRESH EVERY 1 HOUR ENGINE = MergeTree ORDER BY memtrace_row AS "
          f"SELECT rowNumberInAllBlocks() AS memtrace_row, * FROM ({line})")
        q(f"SYSTEM WAIT VIEW {name}")
        rc, rw = cpu() - c, time.time() - w
        st = q(f"SELECT status, last_success_time, exception FROM system.view_refreshes WHERE view = '{name}'")
        c, w = cpu(), time.time()
        snap = q(f"SELECT * EXCEPT (memtrace_row) FROM {name} ORDER BY memtrace_row")
        sc, sw = cpu() - c, time.time() - w
        print(f"{layer} live cpu {lc*1000:.0f} ms wall {lw*1000:.0f}; refresh cpu {rc*1000:.0f} wall {rw*1000:.0f}; "
              f"snapshot read cpu {sc*1000:.1f} wall {sw*1000:.1f}; rows {len(live)} same {snap == live}; {st}; {line[:70]}")
        q(f"DROP TABLE {name}")
