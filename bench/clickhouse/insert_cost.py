"""CPU time of inserting the sizing page's spans through clickhouse init's views, in chDB (ClickHouse in-process):
a schema file is loaded into a fresh directory, --stored spans are inserted first (1M an INSERT, as query_tier.py
loads them), then --blocks inserts of --block spans are timed (getrusage of the process, chDB's threads with it).
Without --blocks the --stored spans themselves are timed. Compare two schemas (e.g. `git show COMMIT:deploy/clickhouse/
schema.sql > before.sql`) run in turn.

    PYTHON bench/clickhouse/insert_cost.py --schema deploy/clickhouse/schema.sql --stored 1000000 --block 10000 --blocks 20
"""
import argparse
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "deploy", "fleet"))
import fresh_store  # noqa: E402  a schema loaded into a new chDB directory
import measure_sizing  # noqa: E402  the sizing page's span generator


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--schema", default=measure_sizing.SCHEMA)
    args.add_argument("--stored", type=int, default=1_000_000)
    args.add_argument("--block", type=int, default=10_000)
    args.add_argument("--blocks", type=int, default=0)
    args = args.parse_args()
    with fresh_store.loaded(args.schema, "insert-cost-") as run:
        cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731

        def insert(offset, count):
            run("INSERT INTO otel.otel_traces " + measure_sizing.SPANS.format(offset=offset, count=count))
        started, used = time.perf_counter(), cpu()
        for offset in range(0, args.stored, 1_000_000):
            insert(offset, min(1_000_000, args.stored - offset))
        timed = args.stored
        if args.blocks:
            started, used = time.perf_counter(), cpu()
            for i in range(args.blocks):
                insert(args.stored + i * args.block, args.block)
            timed = args.blocks * args.block
        spent = cpu() - used
        print(f"schema {args.schema} stored {args.stored} timed {timed} spans"
              + (f" in blocks of {args.block}" if args.blocks else "")
              + f": cpu {spent:.2f} s, wall {time.perf_counter() - started:.1f} s, {spent / timed * 1e6:.2f} us a span")
        spans = args.stored + args.blocks * args.block
        for table, rows, size in run("SELECT table, sum(rows), sum(data_compressed_bytes) FROM system.parts "
                                     "WHERE database = 'otel' AND active AND table IN ('memtrace_lineage', 'memtrace_lineage_reads', "
                                     "'memtrace_layer_ops') GROUP BY table ORDER BY table"):
            print(f"{table}: {rows} rows, {size / rows:.1f} bytes a row, {size / spans:.1f} bytes a span")


if __name__ == "__main__":
    main()
