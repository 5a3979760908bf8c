"""CPU and wall time of each of the report's statements, run once, on a chDB directory query_tier.py loaded (--db):
where a layer's report spends its time, statement by statement. STATEMENTS is a directory the contract IT wrote
(collector/target/clickhouse-statements, or a copy of another commit's), or one capture_statements.py wrote (the
reader's own statements on that directory).

    PYTHON bench/clickhouse/report_statements.py --db DIR --statements STATEMENTS [--layer redis] [--rounds N]

With --rounds N each layer's report runs N times over in the one process, statement by statement as the reader runs
them, and each round's wall and CPU time is printed instead (the first round with ClickHouse's caches cold, the
others warm; chDB takes 0.7-0.9 s once per process about a hundred statements in, so one round is that much longer
than the others, docs/fleet.md "Round by round").
"""
import argparse
import resource
import time

import chdb


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--db", required=True, help="a directory query_tier.py --db loaded")
    args.add_argument("--statements", required=True, help="a directory of the reader's statements")
    args.add_argument("--layer", choices=("memory", "redis"), help="one layer's report only")
    args.add_argument("--rounds", type=int, default=0, help="time each report N times over, round by round")
    args = args.parse_args()
    db = chdb.connect(args.db)  # kept: the cursor does not keep its connection
    cur = db.cursor()
    cur.execute("USE otel")

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    # the exact trace count runs only where the reader would run it (query_tier.py says why)
    cur.execute("SELECT uniqCombined(16)(TraceId) FROM otel_traces")
    exact = cur.fetchall()[0][0] <= 11_000
    for layer in (args.layer,) if args.layer else ("memory", "redis"):
        statements = []
        for sql in [line for line in open(f"{args.statements}/report-{layer}.sql").read().split("\n") if line.strip()]:
            if not exact and sql.startswith("SELECT uniqExact(TraceId) AS traces FROM"):
                print(f"{layer} skipped, as the reader would on a store of over 11,000 traces: {sql[:60]}")
                continue
            statements.append(sql.replace("'fleet.memtrace_redis_commands_dict'", "'otel.memtrace_redis_commands_dict'"))
        if args.rounds:
            for r in range(args.rounds):
                used, started = cpu(), time.perf_counter()
                for sql in statements:
                    cur.execute(sql)
                    cur.fetchall()
                print(f"{layer} round {r + 1} wall_ms {(time.perf_counter() - started) * 1000:.0f} "
                      f"cpu_ms {(cpu() - used) * 1000:.0f}", flush=True)
            continue
        total = 0
        for sql in statements:
            used, started = cpu(), time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            used, took = cpu() - used, time.perf_counter() - started
            total += used
            print(f"{layer} cpu_ms {used * 1000:7.0f} wall_ms {took * 1000:7.0f} {sql[:110]}")
        print(f"{layer} total cpu_ms {total * 1000:.0f}")


if __name__ == "__main__":
    main()
