"""Times the query tier's ClickHouse SQL (serve --clickhouse, report/traces/query --clickhouse) on ClickHouse itself:
chDB, ClickHouse in-process, so no HTTP front's speed is in the figures.

    mvn -B -o -T 1 -pl collector-it -am verify -Dtest=NONE -Dit.test=ClickHouseReaderContractIT \
        -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
    PYTHON bench/clickhouse/query_tier.py [--spans 10000000]

The contract IT writes the statements the ClickHouse reader ran (collector/target/clickhouse-statements: each layer's
report as the reader runs it on a store with no retention carriers, which is what this script's spans are (since
2026-11-27; before, as on the contract corpus, which has carriers), one trace's spans and lineage, and in
trace-no-retention.sql the latter on a store with no carriers). This script loads --spans realistic spans into otel_traces of clickhouse
init's schema (deploy/clickhouse/schema.sql) with deploy/fleet/measure_sizing.py's generator, as the exporter inserts
them and so through the materialized views, then runs each statement (best of three) and prints `name value` lines:
each layer's report in all and its slowest statements, one trace's spans and its lineage, a key's history from
memtrace_ops, and seed 000's three queries on the spans view (as `query` sends them: bench/clickhouse/seed_queries.py). With --db DIR the loaded chDB directory is kept there
and reused by the next run with the same --db (a 10M load takes minutes); the report's figures include the CPU time of
the process (chDB's threads with it), steadier than wall time on a shared machine.
"""
import argparse
import os
import re
import resource
import shutil
import sys
import tempfile
import time

import chdb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "deploy", "fleet"))
import measure_sizing  # noqa: E402  the sizing page's span generator, one shape for both
import seed_queries  # noqa: E402  seed 000's queries, as the reader rewrites them

STATEMENTS = os.path.join(ROOT, "collector", "target", "clickhouse-statements")

# seed 000's queries as `query --clickhouse` sends them: each attribute read from the spans view's column
SEED = [seed_queries.form(sql, 1) for sql in seed_queries.SEED]


figure = measure_sizing.figure


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--spans", type=int, default=10_000_000)
    args.add_argument("--skip-report", action="store_true", help="time the lookups only (the report takes minutes)")
    args.add_argument("--statements", nargs="+", default=[STATEMENTS],
                      help="directories of the reader's statements (e.g. of two commits): each one's lookups are "
                           "timed in turn, --rounds times, on the same loaded spans")
    args.add_argument("--rounds", type=int, default=1)
    args.add_argument("--schema", default=measure_sizing.SCHEMA,
                      help="the DDL to load (`clickhouse schema --lineage-at-insert`'s for each read's writer kept at insert, "
                           "which the report's kept lineage statements read)")
    args.add_argument("--db", help="keep the loaded chDB directory here, and reuse it when it holds a load already "
                                   "(delete it when done: 10M spans take a few GB)")
    args = args.parse_args()
    work = tempfile.mkdtemp(prefix="query-tier-")
    path = args.db or os.path.join(work, "db")
    loaded = args.db is not None and os.path.exists(os.path.join(path, "loaded"))
    try:
        db = chdb.connect(path)
        cur = db.cursor()
        run = lambda sql: (cur.execute(sql), cur.fetchall())[1]  # noqa: E731

        def cpu():
            usage = resource.getrusage(resource.RUSAGE_SELF)
            return usage.ru_utime + usage.ru_stime

        def best(sql, times=3):
            """The best of `times` runs, wall ms; the CPU ms of that run (chDB's threads included) in cpu_ms[sql]."""
            took = []
            for _ in range(times):
                started, used = time.perf_counter(), cpu()
                run(sql)
                took.append((time.perf_counter() - started, cpu() - used))
            wall, spent = min(took)
            cpu_ms[sql] = spent * 1000
            return wall * 1000
        cpu_ms = {}

        if loaded:
            run("USE otel")
            figure("engine", run("SELECT version()")[0][0])
            figure("load_s", "reused " + path)
        else:
            for statement in [s for s in open(args.schema).read().split(";\n") if s.strip()]:
                run(statement)
            figure("engine", run("SELECT version()")[0][0])
            started = time.perf_counter()
            for offset in range(0, args.spans, 1_000_000):
                run("INSERT INTO otel.otel_traces "
                    + measure_sizing.SPANS.format(offset=offset, count=min(1_000_000, args.spans - offset)))
            figure("load_s", round(time.perf_counter() - started, 1))
            run("USE otel")
            # the exporter's metrics table, empty: the report's counters section asks it (the generator makes no
            # metrics)
            run("CREATE TABLE otel_metrics_sum (ServiceName LowCardinality(String), MetricName String, "
                "Attributes Map(LowCardinality(String), String), TimeUnix DateTime64(9), Value Float64, "
                "AggregationTemporality Int32) ENGINE = MergeTree ORDER BY (ServiceName, MetricName)")
            if args.db:
                open(os.path.join(path, "loaded"), "w").write(str(args.spans))
        figure("spans", run("SELECT count() FROM otel_traces")[0][0])
        figure("ops", run("SELECT count() FROM memtrace_ops")[0][0])

        # the reader counts a report's traces exactly only near or under 10,000 (TraceCounting.EXACT, with 10 %
        # margin); the contract's corpus is that small, so its statements carry the exact count: run it only where
        # the reader would, on this store
        exact = run("SELECT uniqCombined(16)(TraceId) FROM otel_traces")[0][0] <= 11_000

        def statements(name, trace=None, where=args.statements[0]):
            lines = [l for l in open(os.path.join(where, name)).read().split("\n") if l.strip()]
            lines = [l for l in lines if exact or not l.startswith("SELECT uniqExact(TraceId) AS traces FROM")]
            lines = [l.replace("'fleet.memtrace_redis_commands_dict'", "'otel.memtrace_redis_commands_dict'")
                     for l in lines]
            if trace:
                lines = [re.sub(r"0{29}1b2", trace, l) for l in lines]
            return lines

        for _ in range(0 if args.skip_report else args.rounds):
            for n, where in enumerate(args.statements):
                label = "" if len(args.statements) == 1 else f"{n + 1}:"
                for layer in ("memory", "redis"):
                    timed = [(best(s, 1), s) for s in statements(f"report-{layer}.sql", where=where)]
                    figure(f"{label}report.{layer}.statements", len(timed))
                    figure(f"{label}report.{layer}.total_ms", round(sum(t for t, _ in timed)))
                    figure(f"{label}report.{layer}.total_cpu_ms", round(sum(cpu_ms[s] for _, s in timed)))
                    for t, s in sorted(timed, reverse=True)[:5]:
                        figure(f"{label}report.{layer}.slowest_ms", f"{round(t)} (cpu {round(cpu_ms[s])}) {s[:90]}")
        trace = run("SELECT TraceId FROM otel_traces WHERE SpanName = 'GET' LIMIT 1 OFFSET 12345")[0][0]

        def lookups(where, label):
            # the reader's statements for one trace: its spans, the spans naming its keys, whether any span carries
            # retention's counts (statements of before 2026-11-27 lack it), their lineage, writer tasks; the contract's
            # trace, keys and spans swapped for this data's, and the statements of a store without carriers where this
            # data has none, as the reader would choose
            lines = statements("trace.sql", trace, where)
            carriers = [l for l in lines if "memtrace_compressed_count IS NOT NULL LIMIT 1" in l]
            if carriers and not run(carriers[0]):
                lines = statements("trace-no-retention.sql", trace, where)
            keys = ", ".join("'%s'" % k for (k,) in run(f"SELECT DISTINCT Key FROM memtrace_ops WHERE TraceId = '{trace}'"))
            lines = [re.sub(r"WHERE Key IN \([^)]*\)", f"WHERE Key IN ({keys})", l) for l in lines]
            named = next(l for l in lines if l.startswith("SELECT DISTINCT TraceId, SpanId FROM memtrace_ops"))
            at = next(i for i, l in enumerate(lines) if l.startswith("WITH ev AS"))
            pairs = run(re.sub(r" LIMIT \d+$", "", named))
            listed = ("s.TraceId IN (" + ", ".join(sorted({"'%s'" % t for t, _ in pairs})) + ") AND (s.TraceId, s.SpanId) IN ("
                      + ", ".join("('%s', '%s')" % p for p in pairs) + ")")
            lines[at] = re.sub(r"s\.TraceId IN \('[^)]*\) AND \(s\.TraceId, s\.SpanId\) IN \((?:\('[0-9a-f]+', '[0-9a-f]+'\)(?:, )?)+\)",
                               lambda m: listed, lines[at])
            assert listed in lines[at] and trace in lines[at], "the lineage statement's spans were not swapped"
            figure(label + "trace.spans_ms", round(best(lines[0]), 1))
            figure(label + "trace.lineage_statements", 2 + len(carriers))
            figure(label + "trace.lineage_ms", round(best(named) + sum(best(c) for c in carriers) + best(lines[at]), 1))
            key = run("SELECT Store, Namespace, Key FROM memtrace_ops WHERE Operation = 'GET' LIMIT 1 OFFSET 4321")[0]
            figure(label + "key_history_ms", round(best(
                "SELECT Timestamp, Operation, Kind, ServiceName, TraceId, SpanId, ValueSize, Ttl, Found FROM memtrace_ops "
                f"WHERE Store = '{key[0]}' AND Namespace = '{key[1]}' AND Key = '{key[2]}' ORDER BY Timestamp"), 1))
        for _ in range(args.rounds):
            for n, where in enumerate(args.statements):
                lookups(where, "" if len(args.statements) == 1 else f"{n + 1}:")
        for i, sql in enumerate(SEED):
            figure(f"seed_query_{i + 1}_ms", round(best(sql), 1))
    finally:
        shutil.rmtree(work, ignore_errors=True)  # --db's directory is the caller's to delete


if __name__ == "__main__":
    main()
