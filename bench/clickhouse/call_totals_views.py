"""CPU of the views' statements that keep memory health's counts (memtrace_memory_call_totals, _late, _counted,
_keys), and of the calls' view before them, over one 10k-span block of a chDB directory query_tier.py loaded: the
block's spans copied into a Memory table, the calls' view's rows of it into another (as the four views see them at
insert), each statement run 20 times, then planned 20 times (EXPLAIN). docs/fleet.md, "Memory health's counts kept at
insert".

    PYTHON bench/clickhouse/call_totals_views.py DB SCHEMA
"""
import resource, sys, re, chdb
conn = chdb.connect(sys.argv[1]); cur = conn.cursor(); cur.execute("USE otel")
def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF); return u.ru_utime + u.ru_stime
text = open(sys.argv[2]).read()
def view(name):
    s = [s for s in text.split(";\n") if f'"{name}"\nAS ' in s or f'"{name}_mv"' in s and "MATERIALIZED VIEW" in s][0]
    return s[s.index("\nAS ") + 4:]
calls = view("memtrace_memory_calls")
# the block's span facts, as the facts view derives them from otel_traces
cur.execute("DROP TABLE IF EXISTS blk_spans"); cur.execute("CREATE TABLE blk_spans AS memtrace_span_facts ENGINE = Memory")
cur.execute("INSERT INTO blk_spans SELECT * FROM (" + view("memtrace_span_facts") + ") LIMIT 10000")
cur.execute("DROP TABLE IF EXISTS blk"); cur.execute("CREATE TABLE blk AS memtrace_memory_calls ENGINE = Memory")
cur.execute("INSERT INTO blk " + calls.replace('"otel"."memtrace_span_facts"', "blk_spans"))
cur.execute("SELECT count() FROM blk"); print("calls rows of the block", cur.fetchall())
names = ["memtrace_memory_call_totals", "memtrace_memory_call_late", "memtrace_memory_call_counted", "memtrace_memory_call_keys"]
for r in range(2):
    for name in ["memtrace_memory_calls"] + names:
        sql = view(name)
        sql = sql.replace('"otel"."memtrace_span_facts"', "blk_spans") if name == "memtrace_memory_calls" else sql.replace('"otel"."memtrace_memory_calls"', "blk")
        c = cpu()
        for i in range(20):
            cur.execute("SELECT count() FROM (" + sql + ")"); cur.fetchall()
        c1 = cpu() - c
        c = cpu()
        for i in range(20):
            cur.execute("EXPLAIN " + sql); cur.fetchall()
        print(f"{name}: {c1/20*1000:.2f} ms a 10k block ({c1/20/10000*1e6:.3f} us a span); explain {(cpu()-c)/20*1000:.2f} ms")
cur.execute("DROP TABLE blk"); cur.execute("DROP TABLE blk_spans")
