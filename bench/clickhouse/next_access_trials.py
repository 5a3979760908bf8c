"""Random arrival orders against memtrace_next_access, in chDB: 30 trials, each 12 key events of two places (reads,
failed reads, writes with and without a TTL, deletes; times that tie to the microsecond) shuffled and cut into 1-6
inserts into memtrace_lineage_events, as the schema's views take them; in each, every write's class (expired,
overwritten, deleted, or neither) from the kept next access must equal the window's over memtrace_lineage. Prints the
first difference and `bad N`.

    java -jar collector/target/memtrace-collector.jar clickhouse schema --lineage-at-insert > /tmp/schema-lineage.sql
    PYTHON bench/clickhouse/next_access_trials.py SEED /tmp/schema-lineage.sql
"""
import chdb, random, sys
if len(sys.argv) != 3:
    sys.exit(__doc__)
text = open(sys.argv[2]).read()
stmts = [s for s in text.split(";\n") if s.strip()]
stmts = ["\n".join(l for l in s.split("\n") if not l.startswith("--")) for s in stmts]
con = chdb.connect(":memory:"); cur = con.cursor()
def run(s):
    cur.execute(s); return cur.fetchall()
for s in stmts:
    if s.strip(): run(s)
# events: place, time_us, end_us, layer, trace_id, span_id, key, namespace, access, found, value_size, ttl, status_code
def ev(i, place, t, acc, ttl=None, st='OK'):
    return f"('{place}', {t}, {t+1}, 'redis', 't{i:03d}', 's{i:03d}', 'k', 'ns', '{acc}', NULL, 10, {ttl if ttl else 'NULL'}, '{st}')"
WANT = """SELECT toString(Layer) l, Namespace, Time, TraceId, multiIf(ttl > 0 AND end_us + ttl*1000000 <= coalesce(next_t, toUnixTimestamp64Micro(now64(6))), 'expired', next_access='write','overwritten', next_access='delete','deleted', NULL) why
 FROM (SELECT *, Time AS end_us, Ttl AS ttl, leadInFrame(toNullable(toString(Access))) OVER w AS next_access, leadInFrame(toNullable(Time)) OVER w AS next_t FROM otel.memtrace_lineage WHERE StatusCode != 'ERROR' WINDOW w AS (PARTITION BY Place ORDER BY Time, Row, TraceId, SpanId ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)) WHERE Access = 'write' ORDER BY Time, TraceId"""
GOT = """SELECT toString(Layer), Namespace, Time, TraceId, multiIf(Ttl > 0 AND Time + Ttl*1000000 <= if(n.5='none', toUnixTimestamp64Micro(now64(6)), n.1), 'expired', n.5='write','overwritten', n.5='delete','deleted', NULL) FROM (SELECT Place, Time, TraceId, SpanId, Layer, Namespace, Ttl, min(Next) n FROM otel.memtrace_next_access GROUP BY Place, Time, TraceId, SpanId, Layer, Namespace, Ttl) ORDER BY Time, TraceId"""
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
bad = 0
for trial in range(30):
    run("TRUNCATE TABLE otel.memtrace_lineage"); run("TRUNCATE TABLE otel.memtrace_next_access")
    evs = []
    for i in range(12):
        place = random.choice(['r|a|0|x', 'r|a|0|y'])
        t = random.choice([100, 200, 200, 300, 400, 500]) + random.randint(0, 2)
        acc = random.choice(['read', 'read', 'write', 'write', 'delete'])
        st = 'ERROR' if acc == 'read' and random.random() < 0.2 else 'OK'
        ttl = random.choice([None, None, 1]) if acc == 'write' else None
        evs.append(ev(i, place, t, acc, ttl, st))
    random.shuffle(evs)
    cuts = sorted(random.sample(range(1, len(evs)), random.randint(0, 5)))
    parts = [evs[a:b] for a, b in zip([0] + cuts, cuts + [len(evs)])]
    for p in parts:
        run("INSERT INTO otel.memtrace_lineage_events VALUES " + ", ".join(p))
    w, g = run(WANT), run(GOT)
    if w != g:
        bad += 1; print("DIFF", parts, w, g, sep="\n"); break
print("bad", bad)
