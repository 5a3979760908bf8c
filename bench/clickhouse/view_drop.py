"""Where an insert's CPU goes, view by view: the schema whole and the schema without one view (or one group of views),
each in a database of its own, beside the exporter's own schema, in one chDB process (ClickHouse in-process), the
same Native blocks of the sizing page's spans (deploy/fleet/measure_sizing.py) inserted into each in turn, the order
rotating with each block.

    PYTHON bench/clickhouse/view_drop.py [--spans 200000] [--block 20000] [--schema FILE.sql] \\
        --drop memtrace_layer_ops_mv --drop memtrace_memory_call_totals_mv,memtrace_memory_call_keys_mv ...

Each insert's CPU is read two ways: getrusage of the process around it (chDB's threads, so a merge of any database
lands in some insert: the median insert's moves less) and of the calling thread, on which chDB runs the insert and its
views (a background merge runs on other threads; chDB 4.4 keeps no system.query_log to ask). A variant's
cost is printed per span, with what dropping its views saved against the whole schema, and its ratio to the exporter's.
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
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "deploy", "fleet"))
import exporter_ratio  # noqa: E402  the exporter's DDL, the CPU of the process
import fresh_store  # noqa: E402  a schema loaded into a new chDB directory
import measure_sizing  # noqa: E402  the sizing page's span generator


def thread_cpu():
    usage = resource.getrusage(resource.RUSAGE_THREAD)
    return usage.ru_utime + usage.ru_stime


def variant(schema_text, database, dropped):
    """The schema's statements in `database`, without the materialized views named in `dropped`."""
    out = []
    for statement in schema_text.split(";\n"):
        if not statement.strip():
            continue
        view = re.search(r'CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"\."(\w+)"', statement)
        if view and view.group(1) in dropped:
            continue
        out.append(statement.replace('"otel"', '"' + database + '"'))
    return out


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--spans", type=int, default=200_000)
    args.add_argument("--block", type=int, default=20_000)
    args.add_argument("--schema", default=measure_sizing.SCHEMA)
    args.add_argument("--templates", default=exporter_ratio.TEMPLATES)
    args.add_argument("--drop", action="append", default=[], help="comma-separated views left out of one variant")
    args.add_argument("--also", action="append", default=[], help="another schema file, whole, as one more variant")
    args = args.parse_args()
    text = open(args.schema).read()
    variants = {"exp": None, "v0": set()}
    for i, views in enumerate(args.drop):
        variants[f"v{i + 1}"] = set(views.split(","))
    others = {}
    for i, path in enumerate(args.also):
        others[f"s{i + 1}"] = open(path).read()
        variants[f"s{i + 1}"] = set()
    work = tempfile.mkdtemp(prefix="view-drop-spans-")
    empty = os.path.join(work, "empty.sql")
    open(empty, "w").write("SELECT 1")
    try:
        with fresh_store.loaded(empty, "view-drop-") as run:
            run("CREATE DATABASE exp")
            for statement in exporter_ratio.exporter_ddl(args.templates):
                run(statement)
            for name, dropped in variants.items():
                if dropped is not None:
                    for statement in variant(others.get(name, text), name, dropped):
                        run(statement)
            measure(run, work, args, variants)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(run, work, args, variants):
    files = exporter_ratio.native_blocks(run, work, args.spans, args.block)
    names = list(variants)
    each = {n: [] for n in names}
    own = {n: [] for n in names}  # the calling thread's CPU: chDB runs an insert and its views there, merges elsewhere
    for i, path in enumerate(files):
        order = names[i % len(names):] + names[:i % len(names)]
        for name in order:
            used, mine = exporter_ratio.cpu(), thread_cpu()
            run(f"INSERT INTO {name}.otel_traces FROM INFILE '{path}' FORMAT Native")
            own[name].append(thread_cpu() - mine)
            each[name].append(exporter_ratio.cpu() - used)
    print(f"{args.spans} spans in blocks of {args.block}; schema {args.schema}")
    per = lambda seconds: seconds / args.block * 1e6  # noqa: E731
    for label, series in (("process", each), ("insert thread", own)):
        if not all(series.values()):
            continue
        med = {n: per(statistics.median(series[n])) for n in names}
        total = {n: sum(series[n]) / args.spans * 1e6 for n in names}
        print(f"{label} CPU, us a span (median insert / all inserts), ratio to the exporter's, saved against v0:")
        for n in names:
            dropped = "exporter" if variants[n] is None else (args.also[int(n[1:]) - 1] if n.startswith("s") else (
                "whole schema" if not variants[n] else "without " + ",".join(sorted(variants[n]))))
            print(f"  {n}: {med[n]:6.2f} / {total[n]:6.2f}  x{med[n] / med['exp']:.2f} / x{total[n] / total['exp']:.2f}"
                  f"  saved {med['v0'] - med[n]:+6.2f} / {total['v0'] - total[n]:+6.2f}  {dropped}")


if __name__ == "__main__":
    main()
