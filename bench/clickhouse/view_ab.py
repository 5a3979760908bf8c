"""Two versions of some of clickhouse init's views, side by side in one chDB process (ClickHouse in-process): the insert
CPU each adds, and whether they keep the same rows. For a change to a view, where exporter_ratio.py's whole-schema
figures move by more than the change between runs on a loaded machine.

--before is loaded as it is; the --views of --after (materialized views by name, e.g. memtrace_span_facts_mv,
memtrace_ops_mv) are added beside them with their target tables, each name with the suffix _after (a view of the set
reading another's table reads the _after table). The sizing page's spans (deploy/fleet/measure_sizing.py) are written
once to Native files of --block spans; then, merges stopped, each file is inserted in turn with no view attached, with
the --views of --before, and with those of --after (the order reversed every round), --inserts rounds, timed by
getrusage of the process (chDB's threads with it). Prints each set's median CPU an insert and per span over no view,
then compares each pair of tables that keep rows (the same multiset of rows, or the first difference).

    git show main:deploy/clickhouse/schema.sql > /tmp/before.sql
    PYTHON bench/clickhouse/view_ab.py --before /tmp/before.sql --after deploy/clickhouse/schema.sql \\
        --views memtrace_span_facts_mv,memtrace_ops_mv [--block 20000] [--inserts 8]
"""
import argparse
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "deploy", "fleet"))
import fresh_store  # noqa: E402  a schema loaded into a new chDB directory
import measure_sizing  # noqa: E402  the sizing page's span generator

SUFFIX = "_after"


def statement(text, kind, name):
    """The CREATE statement of `name` in a schema file's text."""
    found = re.search(rf'CREATE {kind} IF NOT EXISTS "otel"\."{name}".*?;\n', text, re.S)
    if not found:
        sys.exit(f"no {kind} otel.{name} in the --after schema")
    return found.group(0).rstrip(";\n")


def renamed(sql, names):
    for name in names:
        sql = sql.replace(f'"otel"."{name}"', f'"otel"."{name}{SUFFIX}"')
    return sql


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--before", required=True)
    args.add_argument("--after", required=True)
    args.add_argument("--views", required=True, help="comma-separated materialized views")
    args.add_argument("--block", type=int, default=20_000)
    args.add_argument("--inserts", type=int, default=8)
    args = args.parse_args()
    views = args.views.split(",")
    after = open(args.after).read()
    targets = {v: re.search(r'\nTO "otel"\."(\w+)"', statement(after, "MATERIALIZED VIEW", v)).group(1) for v in views}
    names = views + list(targets.values())
    work = tempfile.mkdtemp(prefix="view-ab-spans-")
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731
    try:
        with fresh_store.loaded(args.before, "view-ab-") as run:
            for table in targets.values():
                run(renamed(statement(after, "TABLE", table), names))
            for view in views:
                run(renamed(statement(after, "MATERIALIZED VIEW", view), names))
            files = []
            for i in range(args.inserts):
                files.append(os.path.join(work, f"spans-{i}.native"))
                run(f"SELECT * FROM ({measure_sizing.SPANS.format(offset=i * args.block, count=args.block)})"
                    f" INTO OUTFILE '{files[-1]}' FORMAT Native")
            fresh_store.one_block_inserts(run, args.block)
            only = fresh_store.attacher(run, [n for (n,) in run("SELECT name FROM system.tables WHERE database = "
                                                                 "'otel' AND engine = 'MaterializedView'")])
            run("SYSTEM STOP MERGES")
            sets = {"no view": [], "before": views, "after": [v + SUFFIX for v in views]}
            spent = {name: [] for name in sets}
            for i, path in enumerate(files):
                for name in (list(sets) if i % 2 == 0 else list(reversed(sets))):
                    only(sets[name])
                    used = cpu()
                    run(f"INSERT INTO otel.otel_traces FROM INFILE '{path}' FORMAT Native")
                    spent[name].append(cpu() - used)
            none = statistics.median(spent["no view"])
            print(f"{args.inserts} inserts of {args.block} spans a set, merges stopped; views {', '.join(views)}; "
                  "medians")
            for name, times in spent.items():
                median = statistics.median(times)
                print(f"  {name:8s} {median * 1000:8.1f} ms an insert, {(median - none) / args.block * 1e6:6.2f} us a "
                      "span over no view")
            for table in targets.values():
                if run(f"SELECT engine FROM system.tables WHERE database = 'otel' AND name = '{table}'")[0][0] == "Null":
                    continue
                a, b = f"otel.{table}", f"otel.{table}{SUFFIX}"
                differ = run(f"SELECT count() FROM ((SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b}) UNION ALL "
                             f"(SELECT * FROM {b} EXCEPT ALL SELECT * FROM {a}))")[0][0]
                rows = run(f"SELECT count() FROM {a}")[0][0]
                print(f"  {table}: {rows} rows before, {'the same rows after' if differ == 0 else f'{differ} differ'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
