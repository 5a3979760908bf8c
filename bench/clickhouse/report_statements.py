"""CPU and wall time of each of the report's statements, run once, on a chDB directory query_tier.py loaded (--db):
where a layer's report spends its time, statement by statement. STATEMENTS is a directory the contract IT wrote
(collector/target/clickhouse-statements, or a copy of another commit's).

    PYTHON bench/clickhouse/report_statements.py --db DIR --statements STATEMENTS
"""
import argparse
import resource
import time

import chdb


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--db", required=True, help="a directory query_tier.py --db loaded")
    args.add_argument("--statements", required=True, help="a directory of the reader's statements")
    args = args.parse_args()
    db = chdb.connect(args.db)  # kept: the cursor does not keep its connection
    cur = db.cursor()
    cur.execute("USE otel")

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    # the exact trace count runs only where the reader would run it (query_tier.py says why)
    cur.execute("SELECT uniqCombined(16)(TraceId) FROM memtrace_spans")
    exact = cur.fetchall()[0][0] <= 11_000
    for layer in ("memory", "redis"):
        total = 0
        for sql in [line for line in open(f"{args.statements}/report-{layer}.sql").read().split("\n") if line.strip()]:
            if not exact and sql.startswith("SELECT uniqExact(TraceId) AS traces FROM"):
                print(f"{layer} skipped, as the reader would on a store of over 11,000 traces: {sql[:60]}")
                continue
            sql = sql.replace("'fleet.memtrace_redis_commands_dict'", "'otel.memtrace_redis_commands_dict'")
            used, started = cpu(), time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            used, took = cpu() - used, time.perf_counter() - started
            total += used
            print(f"{layer} cpu_ms {used * 1000:7.0f} wall_ms {took * 1000:7.0f} {sql[:110]}")
        print(f"{layer} total cpu_ms {total * 1000:.0f}")


if __name__ == "__main__":
    main()
