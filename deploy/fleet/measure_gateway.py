"""The gateway's cost per span, which docs/fleet.md sizes the gateway tier from: the OpenTelemetry Collector that
deploy/stack.sh builds, running deploy/otelcol/fleet-gateway.yaml on loopback, fed OTLP/HTTP protobuf exports of
500 memtrace-shaped spans (as the agent sends them) for a bounded time, exporting to a ClickHouse HTTP endpoint.

    /tmp/venv/bin/pip install opentelemetry-proto
    /tmp/venv/bin/python deploy/fleet/measure_gateway.py --otelcol PATH --clickhouse http://127.0.0.1:PORT \
        [--seconds 30] [--senders 3]

Credentials come from MEMTRACE_CLICKHOUSE_USER / MEMTRACE_CLICKHOUSE_PASSWORD. The schema is the exporter's own
(create_schema switched on for this run). It prints `name value` lines: spans accepted per second, the gateway's CPU
microseconds per span (user + system, from /proc), its peak resident memory, and what the exporter sent and failed.
The endpoint's own speed is not a figure: where it cannot keep up, the queue grows, which the output shows.
"""
import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "otelcol", "fleet-gateway.yaml")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attrs(**values):
    return [common_pb2.KeyValue(key=k.replace("_", "."), value=common_pb2.AnyValue(string_value=str(v)))
            for k, v in values.items()]


def export(spans, seed):
    """One export of `spans` spans: traces of a memory operation and the Redis command under it."""
    rnd = random.Random(seed)
    request = trace_service_pb2.ExportTraceServiceRequest()
    resource_spans = request.resource_spans.add()
    resource_spans.resource.attributes.extend(attrs(service_name="svc-%d" % (seed % 50),
                                                    service_instance_id="pod-%d" % seed,
                                                    telemetry_sdk_language="java", telemetry_sdk_name="opentelemetry"))
    scope = resource_spans.scope_spans.add()
    scope.scope.name = "io.memtrace.jedis"
    now = time.time_ns()
    for i in range(0, spans, 2):
        trace_id = rnd.randbytes(16)
        parent = rnd.randbytes(8)
        key_id = rnd.randrange(1_000_000)
        key = "aqe/test-plans:item-%d" % key_id
        op = scope.spans.add(trace_id=trace_id, span_id=parent, name="aqe.memory.store",
                             kind=trace_pb2.Span.SPAN_KIND_INTERNAL, start_time_unix_nano=now + i * 1000,
                             end_time_unix_nano=now + i * 1000 + 900_000)
        op.attributes.extend(attrs(memory_operation="store", memory_namespace="aqe/test-plans", memory_key=key,
                                   memory_ttl=3600, memory_value_size=200 + key_id % 20000))
        op.events.add(time_unix_nano=now + i * 1000, name="memory.store.started")
        op.events.add(time_unix_nano=now + i * 1000 + 900_000, name="memory.store.completed")
        op.status.code = trace_pb2.Status.STATUS_CODE_OK
        cmd = scope.spans.add(trace_id=trace_id, span_id=rnd.randbytes(8), parent_span_id=parent, name="SETEX",
                              kind=trace_pb2.Span.SPAN_KIND_CLIENT, start_time_unix_nano=now + i * 1000 + 100_000,
                              end_time_unix_nano=now + i * 1000 + 600_000)
        cmd.attributes.extend(attrs(db_system_name="redis", db_operation_name="SETEX",
                                    db_query_text="SETEX %s ? ?" % key, db_namespace="0",
                                    server_address="redis-1.internal", server_port=6379, memory_key=key,
                                    memory_namespace="aqe/test-plans", memory_ttl=3600,
                                    memory_value_size=200 + key_id % 20000))
    return request.SerializeToString()


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid):
    return int(re.search(r"VmHWM:\s+(\d+)", open("/proc/%d/status" % pid).read()).group(1)) / 1024


def metric(text, name, exporter_or_receiver):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") and exporter_or_receiver in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--otelcol", required=True)
    args.add_argument("--clickhouse", required=True)
    args.add_argument("--seconds", type=float, default=30)
    args.add_argument("--senders", type=int, default=3)
    args.add_argument("--spans-per-request", type=int, default=500)
    args = args.parse_args()
    work = tempfile.mkdtemp(prefix="fleet-gateway-")
    ports = {name: free_port() for name in ("grpc", "http", "health", "metrics", "telemetry")}
    env = dict(os.environ, OTELCOL_OTLP_GRPC_ENDPOINT="127.0.0.1:%d" % ports["grpc"],
               OTELCOL_OTLP_HTTP_ENDPOINT="127.0.0.1:%d" % ports["http"],
               OTELCOL_HEALTH_ENDPOINT="127.0.0.1:%d" % ports["health"],
               OTELCOL_PROMETHEUS_ENDPOINT="127.0.0.1:%d" % ports["metrics"], OTELCOL_TELEMETRY_HOST="127.0.0.1",
               OTELCOL_TELEMETRY_PORT=str(ports["telemetry"]), FLEET_QUEUE_DIR=os.path.join(work, "queue"),
               MEMTRACE_CLICKHOUSE_ENDPOINT=args.clickhouse)
    log = open(os.path.join(work, "otelcol.log"), "w")
    gateway = subprocess.Popen([args.otelcol, "--config=" + CONFIG, "--set=exporters::clickhouse::create_schema=true"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/" % ports["health"], timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        bodies = [export(args.spans_per_request, seed) for seed in range(20)]
        url = "http://127.0.0.1:%d/v1/traces" % ports["http"]
        stop = time.monotonic() + args.seconds
        refused = [0]

        def send():
            n = 0
            while time.monotonic() < stop:
                request = urllib.request.Request(url, data=bodies[n % len(bodies)],
                                                 headers={"Content-Type": "application/x-protobuf"})
                try:
                    urllib.request.urlopen(request, timeout=10).read()
                except OSError:
                    refused[0] += 1
                n += 1

        cpu0, t0 = cpu_seconds(gateway.pid), time.monotonic()
        senders = [threading.Thread(target=send) for _ in range(args.senders)]
        for s in senders:
            s.start()
        for s in senders:
            s.join()
        t1 = time.monotonic()

        def telemetry():
            return urllib.request.urlopen("http://127.0.0.1:%d/metrics" % ports["telemetry"]).read().decode()

        # the CPU of a span is counted once it has been exported too: wait (60 s at most) for the queue to drain
        drained = time.monotonic() + 60
        while True:
            text = telemetry()
            accepted = metric(text, "otelcol_receiver_accepted_spans", 'receiver="otlp"')
            done = metric(text, "otelcol_exporter_sent_spans", 'exporter="clickhouse"') + metric(
                text, "otelcol_exporter_send_failed_spans", 'exporter="clickhouse"')
            if done >= accepted or time.monotonic() > drained:
                break
            time.sleep(0.5)
        cpu1 = cpu_seconds(gateway.pid)
        telemetry = text
        print("drain_seconds %.1f" % (time.monotonic() - t1))
        # what one span costs on the wire, and so in the queue on disk
        print("otlp_protobuf_bytes_per_span %.0f" % (sum(map(len, bodies)) / (len(bodies) * args.spans_per_request)))
        print("seconds %.1f" % (t1 - t0))
        print("spans_accepted %d" % accepted)
        print("spans_accepted_per_second %d" % (accepted / (t1 - t0)))
        print("requests_refused %d" % refused[0])
        print("gateway_cpu_us_per_span %.2f" % ((cpu1 - cpu0) * 1e6 / max(accepted, 1)))
        print("gateway_peak_rss_mib %d" % peak_rss_mib(gateway.pid))
        print("exporter_sent_spans %d" % metric(telemetry, "otelcol_exporter_sent_spans", 'exporter="clickhouse"'))
        print("exporter_send_failed_spans %d" % metric(telemetry, "otelcol_exporter_send_failed_spans",
                                                       'exporter="clickhouse"'))
        print("exporter_queue_size %d" % metric(telemetry, "otelcol_exporter_queue_size", 'exporter="clickhouse"'))
    finally:
        gateway.terminate()
        gateway.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
