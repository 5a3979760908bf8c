"""What unmerged parts cost wasted writes read from memtrace_next_access with FINAL: the table's rows of a chDB
directory query_tier.py loaded are copied into a table of PARTS parts split by write time (as inserts over time leave
them: each part spans every place), merges stopped, and the memory layer's statement (STATEMENTS/report-memory.sql,
the line with `AS wasted_share`) run on the table and on the copy in turn; CPU and wall ms and the first row each.

    PYTHON bench/clickhouse/next_access_parts.py --db DIR --statements STATEMENTS [--parts 20]
"""
import argparse
import resource
import time

import chdb


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--db", required=True)
    args.add_argument("--statements", required=True)
    args.add_argument("--parts", type=int, default=20)
    args = args.parse_args()
    db = chdb.connect(args.db)  # kept: the cursor does not keep its connection
    cur = db.cursor()
    run = lambda sql: (cur.execute(sql), cur.fetchall())[1]  # noqa: E731
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731
    run("USE otel")
    copy = f"next_access_{args.parts}_parts"
    run(f"DROP TABLE IF EXISTS {copy}")
    run(f"CREATE TABLE {copy} AS memtrace_next_access")
    run(f"SYSTEM STOP MERGES {copy}")
    levels = ", ".join(str(i / args.parts) for i in range(1, args.parts))
    bounds = [int(float(str(row[0]).strip("'"))) for row in
              run(f"SELECT arrayJoin(quantiles({levels})(Time)) FROM memtrace_next_access")]
    bounds = [-1] + bounds + [2 ** 62]
    for low, high in zip(bounds, bounds[1:]):
        run(f"INSERT INTO {copy} SELECT * FROM memtrace_next_access WHERE Time > {low} AND Time <= {high}")
    print("parts, rows", run(f"SELECT count(), sum(rows) FROM system.parts WHERE active AND table = '{copy}'"))
    lines = open(f"{args.statements}/report-memory.sql").read().split("\n")
    sql = [line for line in lines if "AS wasted_share" in line and "memtrace_next_access FINAL" in line][0]
    try:
        for table in ["memtrace_next_access", copy] * 2:
            c0, w0 = cpu(), time.time()
            got = run(sql.replace("FROM memtrace_next_access FINAL", f"FROM {table} FINAL"))
            print(table, "cpu_ms", round((cpu() - c0) * 1000), "wall_ms", round((time.time() - w0) * 1000), got[0])
    finally:
        run(f"DROP TABLE {copy}")


if __name__ == "__main__":
    main()
