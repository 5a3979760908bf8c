"""What each materialized view of a schema costs an insert, whatever its size: the fixed part of an insert's CPU
that docs/fleet.md ("What an insert costs") says makes small batches dear. In chDB (ClickHouse in-process).

A schema file is loaded into a fresh directory and --stored spans (the sizing page's, deploy/fleet/measure_sizing.py)
are inserted through all of its views. Then, for each view, every view is detached but that one and the views that
feed its source table (a view on memtrace_span_facts needs the facts view), and --inserts inserts of one span are timed
(getrusage of the process: chDB's threads with it) with and without it. A view's cost is the difference. The rounds
go through the views in turn, --rounds times, and the median of each view's differences is printed.

    java -jar collector/target/memtrace-collector.jar clickhouse schema --lineage-at-insert > /tmp/schema-lineage.sql
    PYTHON bench/clickhouse/view_cost.py --schema /tmp/schema-lineage.sql [--stored 1000] [--inserts 10]

With --block N each insert has N spans, and each view's cost is also printed per span: what it adds to the gateway's
20,000-row inserts (--block 20000 --inserts 2), where the fixed part is spread over the block.

Compare two schemas (e.g. `git show COMMIT:deploy/clickhouse/schema.sql > before.sql`) run in turn: the machine's
noise is about 10 ms an insert.

With --plan it only runs each view's SELECT over its empty source tables, --inserts times (median), and inserts
nothing: what ClickHouse spends on a view's statement before it reads a row, planned again at every insert.
"""
import argparse
import os
import re
import resource
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "deploy", "fleet"))
import fresh_store  # noqa: E402  a schema loaded into a new chDB directory
import measure_sizing  # noqa: E402  the sizing page's span generator

TO = re.compile(r"\bTO\s+(?:\"?(\w+)\"?\.)?\"?(\w+)\"?", re.I)


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--schema", default=measure_sizing.SCHEMA)
    args.add_argument("--stored", type=int, default=1000)
    args.add_argument("--inserts", type=int, default=10)
    args.add_argument("--rounds", type=int, default=3)
    args.add_argument("--block", type=int, default=1, help="spans an insert")
    args.add_argument("--plan", action="store_true", help="each view's SELECT over empty sources only")
    args = args.parse_args()
    if args.plan:
        return plan(args)
    with fresh_store.loaded(args.schema, "view-cost-") as run:
        run("INSERT INTO otel.otel_traces " + measure_sizing.SPANS.format(offset=0, count=args.stored))
        source = {}  # view -> the table whose inserts run it
        for table, view in run("SELECT name, arrayJoin(dependencies_table) FROM system.tables WHERE database = 'otel'"):
            source[view] = table
        views = {}  # view -> (source table, target table)
        for name, query in run("SELECT name, create_table_query FROM system.tables "
                               "WHERE database = 'otel' AND engine = 'MaterializedView' ORDER BY name"):
            views[name] = (source[name], TO.search(query[:query.index(" AS ")]).group(2))
        feeds = {}  # table -> the views that write it
        for name, (_, target) in views.items():
            feeds.setdefault(target, []).append(name)

        def upstream(view):
            """The views that must run for `view` to see rows: those writing its source, and theirs."""
            found, todo = [], [views[view][0]]
            while todo:
                for feeder in feeds.get(todo.pop(), []):
                    if feeder not in found:
                        found.append(feeder)
                        todo.append(views[feeder][0])
            return found

        only = fresh_store.attacher(run, views)
        offset = [args.stored]

        def per_insert(keep):
            only(keep)
            cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731
            used = cpu()
            for _ in range(args.inserts):
                run("INSERT INTO otel.otel_traces " + measure_sizing.SPANS.format(offset=offset[0], count=args.block))
                offset[0] += args.block
            return (cpu() - used) / args.inserts * 1000

        costs = {name: [] for name in views}
        totals, bare = [], []
        for _ in range(args.rounds):
            totals.append(per_insert(views))
            bare.append(per_insert([]))
            for name in views:
                below = upstream(name)
                costs[name].append(per_insert(below + [name]) - per_insert(below))
        print(f"schema {args.schema}, {len(views)} views, {args.stored} spans stored, {args.inserts} inserts of "
              f"{args.block} spans a measure, {args.rounds} rounds; ms of CPU an insert"
              + (" (and us a span)" if args.block > 1 else "") + ", medians")

        def line(name, ms, note=""):
            per_span = f" {ms * 1000 / args.block:9.2f} us" if args.block > 1 else ""
            print(f"{name:45s} {ms:9.1f} ms{per_span}{note}")
        line("every view", statistics.median(totals))
        line("no view", statistics.median(bare))
        for name in sorted(views, key=lambda n: -statistics.median(costs[n])):
            line(name, statistics.median(costs[name]), f"   (on {views[name][0]})")


VIEW = re.compile(r'CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"\."(\w+)"\nTO "otel"\."\w+"\nAS (.*?);\n', re.S)


def plan(args):
    """Each view's SELECT over the empty tables of a fresh store: median CPU of --inserts runs, and their sum."""
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731
    with fresh_store.loaded(args.schema, "view-plan-") as run:
        run("SET max_threads = 1")
        print(f"schema {args.schema}: each view's SELECT over empty sources, ms of CPU, medians of {args.inserts} runs")
        total = 0.0
        for name, select in VIEW.findall(open(args.schema).read()):
            run(select)  # once before: the first run of a statement also loads what it reads
            spent = []
            for _ in range(args.inserts):
                used = cpu()
                run(select)
                spent.append(cpu() - used)
            total += statistics.median(spent) * 1000
            print(f"{name:45s} {statistics.median(spent) * 1000:9.1f} ms")
        print(f"{'every view':45s} {total:9.1f} ms")


if __name__ == "__main__":
    main()
