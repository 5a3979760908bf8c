#!/usr/bin/env bash
# The memtrace demo, one command on a fresh machine:
#   builds whatever is missing, starts a memtrace collector, runs the demo agent fleet (embedded
#   Redis, or REDIS_URL) under -javaagent:memtrace-agent.jar with demo-app/memtrace.yaml, sends its
#   spans and metrics over OTLP/HTTP to the collector, then prints the trace tree and the report.
# Options are passed to the demo app, e.g. ./demo.sh --load --threads 4 --seconds 10
set -euo pipefail
cd "$(dirname "$0")"

AGENT=agent/target/memtrace-agent.jar
DEMO=demo-app/target/memtrace-demo.jar
COLLECTOR=collector/target/memtrace-collector.jar
WORK=target/demo

if [[ ! -f $AGENT || ! -f $DEMO || ! -f $COLLECTOR ]]; then
  echo "== building memtrace (first run only; needs Maven and a JDK 17)"
  mvn -B -q package -DskipTests
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=${MEMTRACE_DEMO_PORT:-4318}
while ! port_free "$PORT"; do PORT=$((PORT + 1)); done

rm -rf "$WORK"
mkdir -p "$WORK"

# --- memory state (issue 29): one Redis for the demo and the collector's keyspace watcher ---
if [[ -z ${REDIS_URL:-} ]]; then
  REDIS_PORT=$((PORT + 1000)); while ! port_free "$REDIS_PORT"; do REDIS_PORT=$((REDIS_PORT + 1)); done
  java -jar "$DEMO" --serve-redis "$REDIS_PORT" >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 100); do port_free "$REDIS_PORT" || break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
fi
WATCH_ARGS=(--watch-redis "$REDIS_URL" --watch-interval 2s --config demo-app/memtrace.yaml)
# --- end memory state ---
echo "== starting the memtrace collector on 127.0.0.1:$PORT (data in $WORK/data, log in $WORK/collector.log)"
java -jar "$COLLECTOR" serve --port "$PORT" --data "$WORK/data" "${WATCH_ARGS[@]}" >"$WORK/collector.log" 2>&1 &
COLLECTOR_PID=$!
trap 'kill "$COLLECTOR_PID" ${REDIS_PID:-} 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  port_free "$PORT" || break
  kill -0 "$COLLECTOR_PID" 2>/dev/null || { cat "$WORK/collector.log"; exit 1; }
  sleep 0.1
done

echo "== running the demo under the agent"
OTEL_SERVICE_NAME=aqe-fleet \
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$PORT" \
OTEL_METRIC_EXPORT_INTERVAL=5000 \
MEMTRACE_TRACES_FILE="$WORK/spans.jsonl" \
  java -javaagent:"$AGENT"=config=demo-app/memtrace.yaml -jar "$DEMO" "$@"

# --- the mixed fleet (issue 36): a Node service, traced by the standard OpenTelemetry instrumentation of ioredis
# (not by memtrace), reads what the Java fleet wrote; its packages come from npm on the first run ---
NODE_RAN=
echo
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "== the demo's Node service is skipped: node and npm are not on this machine (the Java fleet ran as usual)"
else
  echo "== running the demo's Node service aqe-dashboard (demo-app/node: ioredis under @opentelemetry/instrumentation-ioredis)"
  if [[ ! -d demo-app/node/node_modules ]]; then
    (cd demo-app/node && npm ci --no-audit --no-fund --loglevel=error) \
      || echo "   skipped: its packages could not be installed from npm"
  fi
  if [[ -d demo-app/node/node_modules ]]; then
    if node demo-app/node/dashboard.cjs "$REDIS_URL" "http://127.0.0.1:$PORT/v1/traces"; then
      NODE_RAN=1
    else
      echo "   the Node service failed (above); the Java fleet's results stand"
    fi
  fi
fi
# --- end mixed fleet ---

echo
# --data finds the running collector through its note and reads the API token it wrote there; --wait-loaded: the
# services have just sent their last spans, which the collector may still be loading
echo "== the traces (java -jar $COLLECTOR traces --data $WORK/data --service aqe-fleet --last 2 --wait-loaded)"
java -jar "$COLLECTOR" traces --data "$WORK/data" --service aqe-fleet --last 2 --wait-loaded
if [[ -n $NODE_RAN ]]; then
  echo
  echo "== the Node service's trace: its reads, keyed from its statements, and the Java writes they saw"
  java -jar "$COLLECTOR" traces --data "$WORK/data" --service aqe-dashboard --last 1 --wait-loaded
fi
echo
echo "== the report (java -jar $COLLECTOR report --data $WORK/data)"
java -jar "$COLLECTOR" report --data "$WORK/data" || true

# --- memory state (issue 29): seed 001's gauges from the keyspace watcher, after one more pass ---
sleep 3
echo
echo "== the memory gauges of the keyspace watcher (memory.session.size, memory.cache.size, memory.deep.count)"
java -jar "$COLLECTOR" query --data "$WORK/data" "SELECT name, arg_max(value, time)::BIGINT AS value, unit,
  max(time) AS time FROM metrics WHERE name IN ('memory.session.size', 'memory.cache.size', 'memory.deep.count')
  GROUP BY name, unit ORDER BY name" || true
# --- end memory state ---
echo
echo "== where the spans went"
echo "   OTLP/HTTP -> the memtrace collector, stored in $WORK/data (DuckDB); ask it with"
echo "     java -jar $COLLECTOR query --data $WORK/data \"SELECT name, count(*) FROM spans GROUP BY name\""
echo "   and, line by line as OTLP JSON, $WORK/spans.jsonl"

# the web view (issue 30): the collector keeps running so the link can be opened; it signs in once
WEB_URL=$(grep -o 'memtrace web view: http[^ ]*' "$WORK/collector.log" | cut -d' ' -f4 || true)
echo
echo "== the web view: traces, keys, memory (open in a browser on this machine; the link works once)"
echo "   ${WEB_URL:-see $WORK/collector.log}"
if [[ -t 0 ]]; then
  echo "   the collector runs until Ctrl-C"
  trap 'kill "$COLLECTOR_PID" ${REDIS_PID:-} 2>/dev/null; wait "$COLLECTOR_PID" 2>/dev/null; exit 0' INT TERM
  wait "$COLLECTOR_PID" || true
else
  kill "$COLLECTOR_PID" 2>/dev/null && wait "$COLLECTOR_PID" 2>/dev/null || true
fi
