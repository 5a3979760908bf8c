"""Times seed 000's three queries as `query --clickhouse` runs them on the spans view, on ClickHouse itself (chDB,
in-process): each attribute lookup read from the view's attribute column, which otel_traces keeps at insert
(`attributes['memory.key']` as `memory_key`, what the reader's rewrite sends), and, interleaved with it, the same
query as it ran before those columns (and runs on a store of an earlier init): the lookups on the attribute map, the
numbers cast (`accurateCastOrNull(attributes['k'], 'Float64')`). Both on the same spans, so their answers are
compared too. Prints `name value` lines: each form's wall time per run, its median and its CPU median (chDB's
threads included).

    PYTHON bench/clickhouse/query_tier.py --spans 10000000 --db DIR --skip-report   # loads DIR once
    PYTHON bench/clickhouse/seed_queries.py --db DIR [--runs 7]
"""
import argparse
import resource
import statistics
import time

import chdb

# seed 000's queries (/work/shared/seeds/000_*.txt), as written
SEED = [
    "SELECT attributes['memory.key'] as key, attributes['memory.namespace'] as namespace, "
    "attributes['memory.operation_duration_ms'] as duration_ms FROM spans WHERE name LIKE 'aqe.memory.%' "
    "ORDER BY duration_ms DESC LIMIT 10",
    "SELECT attributes['memory.key'] as key, attributes['memory.value_size'] as size_bytes FROM spans "
    "WHERE name = 'aqe.memory.store' ORDER BY size_bytes DESC LIMIT 10",
    "SELECT attributes['memory.namespace'] as namespace, COUNT(*) as operation_count, "
    "AVG(attributes['memory.operation_duration_ms']) as avg_duration_ms FROM spans WHERE name LIKE 'aqe.memory.%' "
    "GROUP BY namespace"]

# each lookup as the reader sends it: from the map, a number cast as before; from the column now
LOOKUPS = {
    "attributes['memory.key']": ("attributes['memory.key']", "memory_key"),
    "attributes['memory.namespace']": ("attributes['memory.namespace']", "memory_namespace"),
    "attributes['memory.operation_duration_ms']": (
        "accurateCastOrNull(attributes['memory.operation_duration_ms'], 'Float64')", "memory_operation_duration_ms"),
    "attributes['memory.value_size']": ("accurateCastOrNull(attributes['memory.value_size'], 'Int64')",
                                        "memory_value_size"),
}


def form(sql, which):
    for lookup, forms in LOOKUPS.items():
        sql = sql.replace(lookup, forms[which])
    return sql


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--db", required=True, help="a chDB directory query_tier.py --db loaded")
    args.add_argument("--runs", type=int, default=7)
    args = args.parse_args()
    db = chdb.connect(args.db)  # kept: the cursor does not keep its connection
    cur = db.cursor()

    def run(sql):
        cur.execute(sql)
        return cur.fetchall()

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    run("USE otel")
    print("spans", run("SELECT count() FROM otel_traces")[0][0], flush=True)
    for i, sql in enumerate(SEED):
        timed = {0: [], 1: []}
        answers = {}
        for _ in range(args.runs):
            for which in (0, 1):
                started, used = time.perf_counter(), cpu()
                answers[which] = run(form(sql, which))
                timed[which].append(((time.perf_counter() - started) * 1000, (cpu() - used) * 1000))
        for which, name in ((0, "map"), (1, "columns")):
            walls = [w for w, _ in timed[which]]
            print(f"seed_query_{i + 1}.{name}_ms", round(statistics.median(walls), 1), "runs",
                  [round(w) for w in walls], "cpu", round(statistics.median(c for _, c in timed[which]), 1), flush=True)
        # the third query's groups, and the first two's rows where no two sort alike, agree
        print(f"seed_query_{i + 1}.same_answer", sorted(map(str, answers[0])) == sorted(map(str, answers[1]))
              if i == 2 else len(answers[0]) == len(answers[1]), flush=True)


if __name__ == "__main__":
    main()
