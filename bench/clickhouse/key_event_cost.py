"""What a compressed Redis command costs ClickHouse's inserts as a key event, against the same command as a full span,
through every view of a schema (clickhouse init's, by default), in one chDB process (ClickHouse in-process).

The same --commands Redis commands (SET, GET, EXPIRE, DEL of keys of four namespaces, four under each memory
manager's span, with the attributes memtrace's agent gives them) are written once to Native files two ways: as full
Redis spans, as the exporter would insert them, and as memtrace.key_events carriers of 512 commands, a
memtrace.commands event of lines each (the grammar of common's KeyEventLines). Then, merges stopped, each file is
inserted in turn, the order alternating, --rounds rounds with fresh ids, timed by getrusage of the process (chDB's
threads with it). Prints the median CPU a command each way and their ratio; issue 77 asks a key event's collector CPU
at most a third of a span's.

    PYTHON bench/clickhouse/key_event_cost.py [--schema deploy/clickhouse/schema.sql] [--commands 20480] [--rounds 5]
"""
import argparse
import base64
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "deploy", "fleet"))
import fresh_store  # noqa: E402  a schema loaded into a new chDB directory

SCHEMA = os.path.join(HERE, "..", "..", "deploy", "clickhouse", "schema.sql")
T0 = 1_732_089_600_000_000_000
COLUMNS = ("Timestamp DateTime64(9), TraceId String, SpanId String, ParentSpanId String, TraceState String, "
           "SpanName LowCardinality(String), SpanKind LowCardinality(String), ServiceName LowCardinality(String), "
           "ResourceAttributes Map(LowCardinality(String), String), ScopeName String, ScopeVersion String, "
           "SpanAttributes Map(LowCardinality(String), String), Duration UInt64, StatusCode LowCardinality(String), "
           "StatusMessage String, `Events.Timestamp` Array(DateTime64(9)), `Events.Name` Array(LowCardinality(String)), "
           "`Events.Attributes` Array(Map(LowCardinality(String), String)), `Links.TraceId` Array(String), "
           "`Links.SpanId` Array(String), `Links.TraceState` Array(String), "
           "`Links.Attributes` Array(Map(LowCardinality(String), String))")
SERVER = {"server.address": "redis", "server.port": "6379", "db.namespace": "0"}


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def time(nanos):
    return f"{nanos // 1_000_000_000}.{nanos % 1_000_000_000:09d}"


def commands(n, rng):
    """(trace, parent, span, name, end, duration, key, namespace, size, found, ttl, removed), four a parent."""
    out = []
    for i in range(n):
        if i % 4 == 0:
            trace, parent = rng.randbytes(16), rng.randbytes(8)
        name = ("SET", "GET", "EXPIRE", "DEL")[i % 4]
        namespace = ("plans:", "users:", "cache:", "jobs:")[(i // 4) % 4]
        key = f"{namespace}{rng.randrange(100_000)}"
        out.append((trace, parent, rng.randbytes(8), name, T0 + i * 50_000, 20_000, key, namespace,
                    64 if name in ("SET", "GET") else None, 1 if name == "GET" else None,
                    60 if name == "EXPIRE" else None, 1 if name == "DEL" else None))
    return out


def span_row(c, service):
    trace, parent, span, name, end, duration, key, namespace, size, found, ttl, removed = c
    attrs = {"db.system.name": "redis", "db.operation.name": name, **SERVER, "memory.key": key,
             "memory.namespace": namespace}
    for k, v in (("memory.value_size", size), ("memory.found", None if found is None else "true"),
                 ("memory.ttl", ttl), ("memory.result_count", removed)):
        if v is not None:
            attrs[k] = str(v)
    return {"Timestamp": time(end - duration), "TraceId": trace.hex(), "SpanId": span.hex(),
            "ParentSpanId": parent.hex(), "SpanName": name, "SpanKind": "Client", "ServiceName": service,
            "ScopeName": "io.memtrace", "SpanAttributes": attrs, "Duration": duration, "StatusCode": "Unset"}


def lines(cs):
    text, previous, context = [], None, None
    for trace, parent, span, name, end, duration, key, namespace, size, found, ttl, removed in cs:
        this = (trace, parent)
        ctx = "" if this == context else b64(trace) + "." + b64(parent)
        context = this
        fields = [str(len(namespace))] + ["" if v is None else str(v) for v in (size, found, ttl, removed)]
        while len(fields) > 1 and fields[-1] == "":
            fields.pop()
        text.append(f"{0 if previous is None else end - previous} {duration} {b64(span)} {ctx} {name} "
                    f"{','.join(fields)} {len(key.encode())}:{key}\n")
        previous = end
    return "".join(text)


def carrier_rows(cs, service, rng, per=512):
    rows = []
    for i in range(0, len(cs), per):
        part = cs[i:i + per]
        rows.append({"Timestamp": time(part[0][4]), "TraceId": rng.randbytes(16).hex(), "SpanId": rng.randbytes(8).hex(),
                     "SpanName": "memtrace.key_events", "SpanKind": "Internal", "ServiceName": service,
                     "ScopeName": "io.memtrace", "Duration": part[-1][4] - part[0][4], "StatusCode": "Unset",
                     "Events.Timestamp": [time(part[0][4])], "Events.Name": ["memtrace.commands"],
                     "Events.Attributes": [{**SERVER, "memtrace.commands": lines(part)}]})
    return rows


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--schema", default=SCHEMA)
    args.add_argument("--commands", type=int, default=20_480)
    args.add_argument("--rounds", type=int, default=5)
    args = args.parse_args()
    rng = random.Random(77)
    work = tempfile.mkdtemp(prefix="key-event-cost-")
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731
    try:
        with fresh_store.loaded(args.schema, "key-event-cost-") as run:
            run(f"CREATE TABLE otel.stage ({COLUMNS}) ENGINE = Memory")
            files = []
            for r in range(args.rounds):
                cs = commands(args.commands, rng)
                for form, rows in (("spans", [span_row(c, "svc") for c in cs]),
                                   ("key events", carrier_rows(cs, "svc", rng))):
                    path = os.path.join(work, f"{r}-{form.replace(' ', '-')}.native")
                    run("TRUNCATE TABLE otel.stage")
                    run("INSERT INTO otel.stage FORMAT JSONEachRow " + "\n".join(json.dumps(x) for x in rows))
                    run(f"SELECT * FROM otel.stage INTO OUTFILE '{path}' FORMAT Native")
                    files.append((form, path))
            fresh_store.one_block_inserts(run, args.commands)
            run("SYSTEM STOP MERGES")
            spent = {"spans": [], "key events": []}
            for r in range(args.rounds):
                pair = files[2 * r:2 * r + 2]
                for form, path in (pair if r % 2 == 0 else list(reversed(pair))):
                    used = cpu()
                    run(f"INSERT INTO otel.otel_traces FROM INFILE '{path}' FORMAT Native")
                    spent[form].append(cpu() - used)
            stored = run("SELECT count() FROM otel.memtrace_key_event_spans")[0][0]
            ops = run("SELECT count() FROM otel.memtrace_ops")[0][0]
            per = {form: statistics.median(t) / args.commands * 1e6 for form, t in spent.items()}
            print(f"{args.commands} commands an insert, {args.rounds} rounds, merges stopped; schema {args.schema}")
            print(f"  as full spans:  {per['spans']:6.2f} us a command (median)")
            print(f"  as key events:  {per['key events']:6.2f} us a command (median), {per['key events'] / per['spans']:.2f}"
                  " of a span's")
            print(f"  stored: {stored} key-event spans, {ops} ops rows")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
