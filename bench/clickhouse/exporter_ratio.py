"""memtrace's schema against the exporter's own, in one chDB process (ClickHouse in-process): insert CPU per span and
merged bytes per span, the two ratios issue 74 targets (<= 1.5x each).

The exporter's otel_traces, its trace-id lookup and the lookup's view are made from its own templates (the Go module
deploy/stack.sh's build left) in database `exp`; --schema (clickhouse init's, by default) in database `otel`. The sizing
page's spans (deploy/fleet/measure_sizing.py) are written once to Native files of --block spans, so generating them is
paid by neither, and each file is inserted into both, in turn, the order alternating (getrusage of the process: chDB's
threads, merges included; and the median insert's, which the merges that land in some inserts move less). Then every
table of both is merged (OPTIMIZE FINAL) and its bytes on disk are counted.

    PYTHON bench/clickhouse/exporter_ratio.py [--spans 400000] [--block 20000] [--schema FILE.sql] \\
        [--templates ~/go/pkg/mod/github.com/open-telemetry/opentelemetry-collector-contrib/exporter/clickhouseexporter@v0.165.0/internal/sqltemplates]

The floors under a schema (docs/fleet.md, "Figures"): --views keeps only the materialized views named (e.g.
otel_traces_trace_id_ts_mv: otel_traces with memtrace's attribute columns and the exporter's lookup); with
--ops-from-columns, memtrace_ops is kept by a view straight from otel_traces' attribute columns, for the spans that
name a key only (no span facts, no statement read, no rollup): the least memtrace's key history and lineage can read.
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

TEMPLATES = os.path.expanduser("~/go/pkg/mod/github.com/open-telemetry/opentelemetry-collector-contrib/exporter/"
                               "clickhouseexporter@v0.165.0/internal/sqltemplates")


def exporter_ddl(templates):
    read = lambda name: open(os.path.join(templates, name)).read()  # noqa: E731
    return [read("traces_table.sql").replace("%q.%q", '"%s"."%s"') % ("exp", "otel_traces", "", "MergeTree()", ""),
            read("traces_id_ts_lookup_table.sql") % ("exp", "otel_traces", "", "MergeTree()", ""),
            read("traces_id_ts_lookup_mv.sql") % ("exp", "otel_traces", "", "exp", "otel_traces", "exp", "otel_traces")]


# memtrace_ops' view over the span facts, read instead from otel_traces' attribute columns (the spans that name a key)
FROM_COLUMNS = ("(SELECT TraceId, SpanId, ParentSpanId, ServiceName, StatusCode, Timestamp, Duration, "
                "nullIf(memory_operation, '') AS memory_operation, nullIf(memory_namespace, '') AS memory_namespace, "
                "nullIf(db_system_name, '') AS db_system_name, nullIf(db_system, '') AS db_system, "
                "nullIf(db_operation_name, '') AS db_operation_name, nullIf(server_address, '') AS server_address, "
                "toString(server_port) AS server_port, nullIf(db_namespace, '') AS db_namespace, memory_value_size, "
                "memory_ttl, multiIf(SpanAttributes['memory.found'] = 'true', true, SpanAttributes['memory.found'] = "
                "'false', false, NULL) AS memory_found, memory_key AS OpsKey, 'span' AS OpsKeySource "
                "FROM \"otel\".\"otel_traces\" WHERE memory_key != '')")


def floor_schema(schema, views, ops_from_columns, path):
    """The schema file with only `views` of its materialized views (and the ops view over the columns), at `path`."""
    out = []
    for statement in open(schema).read().split(";\n"):
        view = re.search(r'CREATE MATERIALIZED VIEW IF NOT EXISTS "otel"\."(\w+)"', statement)
        if view and view.group(1) not in views:
            if not (ops_from_columns and view.group(1) == "memtrace_ops_mv"):
                continue
            facts = 'FROM "otel"."memtrace_span_facts"\nWHERE OpsKeySource != \'\''
            if facts not in statement:
                sys.exit("--ops-from-columns: the ops view of " + schema + " does not read the span facts as expected")
            statement = statement.replace(facts, "FROM " + FROM_COLUMNS)
        out.append(statement)
    open(path, "w").write(";\n".join(out))
    return path


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--spans", type=int, default=400_000)
    args.add_argument("--block", type=int, default=20_000)
    args.add_argument("--schema", default=measure_sizing.SCHEMA)
    args.add_argument("--templates", default=TEMPLATES)
    args.add_argument("--views", help="comma-separated: keep only these materialized views of --schema")
    args.add_argument("--ops-from-columns", action="store_true", help="memtrace_ops from otel_traces' columns")
    args = args.parse_args()
    work = tempfile.mkdtemp(prefix="exporter-ratio-spans-")  # the Native files, beside the store
    try:
        if args.views is not None or args.ops_from_columns:
            args.schema = floor_schema(args.schema, set((args.views or "").split(",")), args.ops_from_columns,
                                       os.path.join(work, "floor.sql"))
        with fresh_store.loaded(args.schema, "exporter-ratio-") as run:
            run("CREATE DATABASE exp")
            for statement in exporter_ddl(args.templates):
                run(statement)
            measure(run, work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def native_blocks(run, work, spans, block):
    """The sizing page's `spans` written once to Native files of `block` spans in `work`, and each later INSERT one block
    on one thread (fresh_store.one_block_inserts); the files' paths, in order."""
    files = []
    for offset in range(0, spans, block):
        files.append(os.path.join(work, f"spans-{offset}.native"))
        run(f"SELECT * FROM ({measure_sizing.SPANS.format(offset=offset, count=min(block, spans - offset))})"
            f" INTO OUTFILE '{files[-1]}' FORMAT Native")
    fresh_store.one_block_inserts(run, block)
    return files


def measure(run, work, args):
    """The inserts, timed, then the merged bytes, printed."""
    files = native_blocks(run, work, args.spans, args.block)
    spent = {"exp": 0.0, "otel": 0.0}
    each = {"exp": [], "otel": []}  # each insert's CPU: a merge lands in one insert or another, the median in none
    for i, path in enumerate(files):
        for database in (("exp", "otel") if i % 2 == 0 else ("otel", "exp")):
            used = cpu()
            run(f"INSERT INTO {database}.otel_traces FROM INFILE '{path}' FORMAT Native")
            each[database].append(cpu() - used)
            spent[database] += each[database][-1]
    sizes = {}
    for database in ("exp", "otel"):
        for (table,) in run(f"SELECT name FROM system.tables WHERE database = '{database}' AND engine LIKE '%MergeTree'"):
            run(f"OPTIMIZE TABLE {database}.{table} FINAL")
        sizes[database] = run("SELECT table, sum(rows), sum(bytes_on_disk) FROM system.parts WHERE active AND "
                              f"database = '{database}' GROUP BY table ORDER BY 3 DESC")
    print(f"{args.spans} spans in blocks of {args.block}; schema {args.schema}"
          + (f", views {args.views or 'none'}" if args.views is not None else "")
          + (", memtrace_ops from otel_traces' columns" if args.ops_from_columns else ""))
    us = {d: spent[d] / args.spans * 1e6 for d in spent}
    size = {d: sum(s for _, _, s in sizes[d]) / args.spans for d in sizes}
    print(f"insert CPU per span: memtrace {us['otel']:.2f} us, exporter {us['exp']:.2f} us, "
          f"ratio {us['otel'] / us['exp']:.2f}")
    median = {d: statistics.median(each[d]) / args.block * 1e6 for d in each}
    print(f"median insert's CPU per span: memtrace {median['otel']:.2f} us, exporter {median['exp']:.2f} us, "
          f"ratio {median['otel'] / median['exp']:.2f}")
    print(f"merged bytes per span: memtrace {size['otel']:.1f} B, exporter {size['exp']:.1f} B, "
          f"ratio {size['otel'] / size['exp']:.2f}")
    for database in ("exp", "otel"):
        for table, rows, on_disk in sizes[database]:
            print(f"  {database}.{table}: {rows} rows, {on_disk / args.spans:.1f} B a span")


if __name__ == "__main__":
    main()
