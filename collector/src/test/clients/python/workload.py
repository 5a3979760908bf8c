"""A Python service's task on Redis, traced by opentelemetry-instrumentation-redis and exported over OTLP/HTTP
protobuf: a store with a TTL, a read, a miss, a multi-key write, a WRONGTYPE error, a store with no TTL, a delete of
two keys, and a pipeline of a store and a read.

Usage: python workload.py REDIS_PORT OTLP_TRACES_URL
"""
import sys

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.redis import RedisInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

port = int(sys.argv[1])
url = sys.argv[2]

provider = TracerProvider(resource=Resource.create({"service.name": "python-redis"}))
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=url)))
trace.set_tracer_provider(provider)
RedisInstrumentor().instrument()

import redis  # noqa: E402  (instrumented above)

r = redis.Redis(host="127.0.0.1", port=port)
plan = "aqe/test-plans:plan-python"
with trace.get_tracer("memtrace-test-workload").start_as_current_span("task.plan"):
    r.set(plan, '{"tests": 12}', ex=3600)
    r.get(plan)
    r.get("aqe/test-plans:missing-python")
    r.mset({"aqe/cache:a-python": "1", "aqe/cache:b-python": "2"})
    try:
        r.lpush(plan, "x")
    except redis.exceptions.ResponseError as e:
        if "WRONGTYPE" not in str(e):
            raise
    r.set("aqe/sessions:s-python", "v")
    r.delete("aqe/cache:a-python", "aqe/cache:b-python")
    pipe = r.pipeline()
    pipe.set("aqe/sessions:p-python", "v", ex=60)
    pipe.get("aqe/sessions:p-python")
    pipe.execute()
r.close()
provider.force_flush()
provider.shutdown()
print("done python")
