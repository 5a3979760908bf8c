"""CPU of the report's statements that read the kept keys (memtrace_layer_keys: the key sections and the TTL truth's
no-TTL keys), on a chDB directory query_tier.py loaded (--db), from the statements the contract IT wrote
(--statements). Each statement runs --runs times in this process; the least CPU is printed, with an md5 of its rows.

The contract's store is one part, so its statements read the keys with FINAL. --grouped rewrites that subquery into
the grouping KeptKeys asks of a table in several parts (as the reader would of the 10M store). --merged copies the
table into one merged part (ks_merged, in --db: use a copy of a store) and points the statements at it.
--all-namespaces lists every namespace of the layer in the TTL truth's statement (a store where each has a key with
no TTL), in place of the contract's.

    PYTHON bench/clickhouse/key_sections.py --db DIR --statements STATEMENTS [--grouped | --merged] [--all-namespaces]
"""
import argparse
import hashlib
import re
import resource

import chdb

WHOLE = re.compile(r"\(SELECT Key AS key, toString\(Namespace\) AS namespace, .*? FROM memtrace_layer_keys FINAL "
                   r"WHERE Layer = '(\w+)'((?: AND (?:Namespace IN \([^)]*\)|false))?)\)")
NONE = "9223372036854775807"


def grouped(m):
    """KeptKeys.grouped, as the reader writes it."""
    return ("(SELECT any(Key) AS key, any(Namespace) AS namespace, sum(Accesses) AS accesses, sum(Reads) AS reads, "
            "sum(Writes) AS writes, groupBitOr(toUInt8(Deletes > 0) + 2 * (WithTtl > 0) + 4 * (TtlUnknownWrites > 0)) "
            "AS flags, bitAnd(flags, 1) AS deletes, bitAnd(flags, 2) > 0 AS has_ttl, bitShiftRight(flags, 2) AS "
            "ttl_unknown_writes, nullIf(max(coalesce(LargestWrite, -1)), -1) AS largest_write, toInt64(max(LastSeen)) "
            f"AS last_seen, nullIf(min(coalesce(FirstWrite, {NONE})), {NONE}) AS first_write, if(largest_write IS "
            "NULL, NULL, sum(coalesce(BytesWritten, 0))) AS bytes_written FROM memtrace_layer_keys WHERE Layer = "
            f"'{m.group(1)}'{m.group(2)} GROUP BY cityHash64(Namespace, Key), xxHash64(Key))")


def arguments():
    parser = argparse.ArgumentParser()
    for name in ("--db", "--statements"):
        parser.add_argument(name, required=True)
    parser.add_argument("--runs", type=int, default=3)
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--grouped", action="store_true")
    form.add_argument("--merged", action="store_true")
    parser.add_argument("--all-namespaces", action="store_true")
    return parser.parse_args()


def main():
    args = arguments()
    db = chdb.connect(args.db)  # kept: the cursor does not keep its connection
    cur = db.cursor()
    cur.execute("USE otel")
    if args.merged:
        cur.execute("DROP TABLE IF EXISTS ks_merged")
        cur.execute("CREATE TABLE ks_merged AS memtrace_layer_keys")
        cur.execute("INSERT INTO ks_merged SELECT * FROM memtrace_layer_keys FINAL")
        cur.execute("OPTIMIZE TABLE ks_merged FINAL")

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    for layer in ("memory", "redis"):
        for sql in open(f"{args.statements}/report-{layer}.sql").read().split("\n"):
            if "FROM memtrace_layer_keys FINAL" not in sql:
                continue
            if args.all_namespaces and "Namespace IN (" in sql:
                cur.execute(f"SELECT DISTINCT toString(Namespace) FROM memtrace_layer_keys WHERE Layer = '{layer}'")
                listed = ", ".join("'" + r[0].replace("\\", "\\\\").replace("'", "\\'") + "'" for r in cur.fetchall())
                sql = re.sub(r"Namespace IN \([^)]*\)", f"Namespace IN ({listed})", sql)
            if args.grouped:
                sql = WHOLE.sub(grouped, sql)
                if "Namespace IN (" in sql:
                    sql = sql.replace("keys AS (SELECT key, namespace, writes", "keys AS MATERIALIZED (SELECT key, "
                                      "namespace, writes")
            if args.merged:
                sql = sql.replace("memtrace_layer_keys", "ks_merged")
            used = []
            for _ in range(args.runs):
                started = cpu()
                cur.execute(sql)
                rows = cur.fetchall()
                used.append(cpu() - started)
            what = "ttl truth" if "ttl_ns AS" in sql else "key sections"
            print(f"{layer} {what} cpu_ms {min(used) * 1000:5.0f} runs {[round(u * 1000) for u in used]} rows "
                  f"{len(rows)} md5 {hashlib.md5(repr(rows).encode()).hexdigest()[:10]}", flush=True)


if __name__ == "__main__":
    main()
