"""CPU and wall time of the report's lineage statement and of wasted writes alone, from several directories of the
reader's statements in turn (e.g. collector/target/clickhouse-statements and clickhouse-statements-joined, which
ClickHouseReaderContractIT writes: the report as on a store with memtrace_lineage, and as on one without), on a chDB
directory query_tier.py loaded and kept (--db DIR).

    PYTHON bench/clickhouse/lineage_statements.py --db DIR --rounds 2 JOINED_DIR KEPT_DIR
"""
import argparse
import resource
import time

import chdb


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--db", required=True)
    args.add_argument("--rounds", type=int, default=1)
    args.add_argument("statements", nargs="+")
    args = args.parse_args()
    db = chdb.connect(args.db)  # kept: the cursor does not keep its connection
    cur = db.cursor()
    run = lambda sql: (cur.execute(sql), cur.fetchall())[1]  # noqa: E731
    run("USE otel")
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731
    # the lineage statement: over the layer's lineage rows (WITH lin AS MATERIALIZED ...), or over each read's rows
    # kept apart (memtrace_lineage_reads); either way the only one with value age's percentiles
    picks = (("lineage", lambda l: "AS age_p50_ms" in l),
             ("wasted_writes", lambda l: "count(why) AS wasted" in l))
    for n in range(args.rounds):
        for where in args.statements:
            for layer in ("memory", "redis"):
                lines = [l.replace("'fleet.memtrace_redis_commands_dict'", "'otel.memtrace_redis_commands_dict'")
                         for l in open(f"{where}/report-{layer}.sql").read().split("\n") if l.strip()]
                for name, pick in picks:
                    statement = next(l for l in lines if pick(l))
                    used, started = cpu(), time.perf_counter()
                    run(statement)
                    print(f"round {n + 1} {where} {layer} {name}: cpu {(cpu() - used) * 1000:.0f} ms, "
                          f"wall {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
