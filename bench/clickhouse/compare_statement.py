"""One statement of the report in two commits' forms, run in turn (before, after, before, after) in one process on a
chDB directory query_tier.py loaded: CPU and wall time of each run, and whether the two forms give the same rows. The
statement is the line of each layer's report (STATEMENTS/report-LAYER.sql, as the contract IT wrote it) that
contains MARK in the one set and AFTER_MARK in the other.

    PYTHON bench/clickhouse/compare_statement.py --db DIR --before STATEMENTS --after STATEMENTS --mark 'AS wasted_share'
"""
import argparse
import resource
import time

import chdb


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--db", required=True)
    args.add_argument("--before", required=True)
    args.add_argument("--after", required=True)
    args.add_argument("--mark", required=True, help="text found in the statement's line, in both sets")
    args = args.parse_args()
    db = chdb.connect(args.db)  # kept: the cursor does not keep its connection
    cur = db.cursor()
    cur.execute("USE otel")
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    for layer in ("memory", "redis"):
        rows = {}
        for side in ("before", "after", "before", "after"):
            lines = open(f"{getattr(args, side)}/report-{layer}.sql").read().split("\n")
            sql = [line for line in lines if args.mark in line][0]
            c0, w0 = cpu(), time.time()
            cur.execute(sql)
            got = cur.fetchall()
            print(f"{layer} {side} cpu_ms {round((cpu() - c0) * 1000)} wall_ms {round((time.time() - w0) * 1000)} "
                  f"rows {len(got)}", flush=True)
            rows.setdefault(side, got)
        print(f"{layer} same rows: {rows['before'] == rows['after']}")


if __name__ == "__main__":
    main()
