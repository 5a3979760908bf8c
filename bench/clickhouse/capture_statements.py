"""The statements the reader itself runs for each layer's report on a loaded chDB directory (--db, e.g. one
query_tier.py --db loaded), written as report-memory.sql and report-redis.sql into OUT, one a line, the form
query_tier.py --statements and report_statements.py read.

The contract IT's statements (collector/target/clickhouse-statements) are the ones the reader ran on the contract's
small store: where a store differs (no memory call to read on its own, the kept keys in several parts, ...) the
reader asks other statements of it, which this records. It starts the test-support chDB front on the directory with
--log-statements, runs `report --clickhouse --layer L --format json` of the collector jar for each layer, and keeps
what each run asked. The front's times are not figures: the report's JVM shares the machine with the engine while it
runs; replay the statements in one process for those.

    PYTHON bench/clickhouse/capture_statements.py --db DIR --out OUT [--jar collector/target/memtrace-collector.jar]
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FRONT = os.path.join(ROOT, "test-support", "src", "main", "resources", "io", "memtrace", "testsupport", "clickhouse",
                     "chdb_front.py")


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--db", required=True, help="a loaded chDB directory (its database otel)")
    args.add_argument("--out", required=True, help="the directory to write report-memory.sql and report-redis.sql to")
    args.add_argument("--jar", default=os.path.join(ROOT, "collector", "target", "memtrace-collector.jar"))
    args = args.parse_args()
    if not os.path.isfile(args.jar):
        sys.exit(f"no collector jar at {args.jar}: build it first (mvn -B -o -pl collector -am package -DskipTests)")
    os.makedirs(args.out, exist_ok=True)
    log = tempfile.NamedTemporaryFile(prefix="statements-", suffix=".sql", delete=False).name
    front = subprocess.Popen([sys.executable, FRONT, "--data", args.db, "--port", "0", "--log-statements", log],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = front.stdout.readline()
        if not line.startswith("chdb-front listening on "):
            sys.exit(f"the front did not start: {line.strip() or 'no output'}")
        port = int(line.split()[3].rstrip(","))
        for layer in ("memory", "redis"):
            start = os.path.getsize(log)
            done = subprocess.run(["java", "-jar", args.jar, "report", "--clickhouse",
                                   f"http://127.0.0.1:{port}/otel", "--layer", layer, "--format", "json"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if done.returncode != 0:
                sys.exit(f"report --layer {layer} failed: {done.stderr.strip()}")
            with open(log) as f:
                f.seek(start)
                # the client's own connect query is not the report's
                asked = [s for s in f.read().split("\n") if s.strip() and s.strip() != "SELECT version()"]
            with open(os.path.join(args.out, f"report-{layer}.sql"), "w") as out:
                out.write("\n".join(asked) + "\n")
            print(f"{layer}: {len(asked)} statements")
    finally:
        front.stdin.close()
        front.wait(timeout=30)
        os.unlink(log)
        # the front keeps an INSERT's rows beside the directory; a report inserts nothing
        scratch = os.path.normpath(args.db) + "-inserts"
        if os.path.isdir(scratch) and not os.listdir(scratch):
            os.rmdir(scratch)


if __name__ == "__main__":
    main()
