#!/usr/bin/env bash
# The memtrace demo, one command on a fresh machine:
#   builds whatever is missing, starts a memtrace collector, runs the demo agent fleet (embedded
#   Redis, or REDIS_URL) under -javaagent:memtrace-agent.jar with demo-app/memtrace.yaml, sends its
#   spans and metrics over OTLP/HTTP to the collector, then prints the trace tree and the report.
# The collector and Redis take the first free ports from 4318 and 5318 (MEMTRACE_DEMO_PORT names the collector's
# port exactly). Every step is checked: one that fails ends the demo with its reason and a non-zero status.
# Options are passed to the demo app, e.g. ./demo.sh --load --threads 4 --seconds 10
set -euo pipefail
cd "$(dirname "$0")"

AGENT=agent/target/memtrace-agent.jar
DEMO=demo-app/target/memtrace-demo.jar
COLLECTOR=collector/target/memtrace-collector.jar
WORK=target/demo

# fail REASON [LOG]: ends the demo here. What would follow a failed step (no traces, an empty report) only hides
# its cause, so the reason is said instead, with the log that tells more.
fail() {
  echo >&2
  echo "demo failed: $1" >&2
  if [[ -n ${2:-} && -s $2 ]]; then
    sed 's/^/   | /' "$2" >&2
  fi
  exit 1
}

if [[ ! -f $AGENT || ! -f $DEMO || ! -f $COLLECTOR ]]; then
  echo "== building memtrace (first run only; needs Maven and a JDK 17)"
  mvn -B -q package -DskipTests || fail "the build failed (Maven's messages are above)"
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
first_free_port() { local p=$1; while ! port_free "$p"; do p=$((p + 1)); done; echo "$p"; }

# ask PORT REQUEST: REQUEST on a fresh connection to 127.0.0.1:PORT, and the answer's lines (a few seconds at most)
ask() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf '%b' "$2" >&3
    while IFS= read -r -t 5 line <&3 || [[ -n ${line:-} ]]; do printf '%s\n' "${line%$'\r'}"; line=; done
  ) 2>/dev/null
}

# The collector's /api/status, asked with the token it wrote into our data directory: an answer is this collector
# itself, not merely some process that listens on the port.
collector_status() {
  local token
  token=$(cat "$WORK/data/api-token" 2>/dev/null) || return 1
  ask "$PORT" "GET /api/status HTTP/1.0\r\nHost: 127.0.0.1:$PORT\r\nAuthorization: Bearer $token\r\n\r\n"
}

rm -rf "$WORK"
mkdir -p "$WORK"
trap 'kill ${COLLECTOR_PID:-} ${REDIS_PID:-} 2>/dev/null || true' EXIT

# --- memory state (issue 29): one Redis for the demo and the collector's keyspace watcher ---
if [[ -z ${REDIS_URL:-} ]]; then
  REDIS_PORT=$(first_free_port 5318)
  echo "== starting Redis on 127.0.0.1:$REDIS_PORT (log in $WORK/redis.log)"
  java -jar "$DEMO" --serve-redis "$REDIS_PORT" >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 300); do
    [[ $(ask "$REDIS_PORT" 'PING\r\nQUIT\r\n') == +PONG* ]] && break
    kill -0 "$REDIS_PID" 2>/dev/null || fail "Redis did not start; its log ($WORK/redis.log) says:" "$WORK/redis.log"
    sleep 0.2
  done
  [[ $(ask "$REDIS_PORT" 'PING\r\nQUIT\r\n') == +PONG* ]] \
    || fail "Redis on 127.0.0.1:$REDIS_PORT did not answer PING within 60 seconds; its log ($WORK/redis.log):" "$WORK/redis.log"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
fi
# --keyspace-events on: the demo's own Redis is told to send its keyspace notifications, so a key's timeline names
# what Redis did to it (the demo's login state expires); every namespace is recorded, the planner's among them
# --snapshot-every: a snapshot of the planner's namespace at start (and every 10 minutes), the base time travel
# rebuilds from (restore --as-of, below)
WATCH_ARGS=(--watch-redis "$REDIS_URL" --watch-interval 2s --keyspace-events on
  --config demo-app/memtrace.yaml --snapshot-every 10m --snapshot-namespaces aqe/planner)
# --- end memory state ---

if [[ -n ${MEMTRACE_DEMO_PORT:-} ]]; then
  PORT=$MEMTRACE_DEMO_PORT  # as given: a port in use is the collector's to report
  WHY=", as MEMTRACE_DEMO_PORT says"
else
  PORT=$(first_free_port 4318)
  WHY=$([[ $PORT == 4318 ]] || echo ", 4318 being in use")
fi
echo "== starting the memtrace collector on 127.0.0.1:$PORT$WHY (data in $WORK/data, log in $WORK/collector.log)"
java -jar "$COLLECTOR" serve --port "$PORT" --data "$WORK/data" "${WATCH_ARGS[@]}" >"$WORK/collector.log" 2>&1 &
COLLECTOR_PID=$!
for _ in $(seq 1 300); do
  [[ $(collector_status) == *'"status":"ok"'* ]] && break
  kill -0 "$COLLECTOR_PID" 2>/dev/null \
    || fail "the memtrace collector did not start; its log ($WORK/collector.log) says:" "$WORK/collector.log"
  sleep 0.2
done
[[ $(collector_status) == *'"status":"ok"'* ]] \
  || fail "the memtrace collector did not answer on 127.0.0.1:$PORT within 60 seconds; its log ($WORK/collector.log):" \
    "$WORK/collector.log"

echo "== running the demo under the agent"
OTEL_SERVICE_NAME=aqe-fleet \
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$PORT" \
OTEL_METRIC_EXPORT_INTERVAL=5000 \
MEMTRACE_TRACES_FILE="$WORK/spans.jsonl" \
  java -javaagent:"$AGENT"=config=demo-app/memtrace.yaml -jar "$DEMO" "$@" \
  || fail "the demo application ended with status $? (its messages are above)"
# an agent that could not export still lets its application end well: what counts is what the collector holds
kill -0 "$COLLECTOR_PID" 2>/dev/null \
  || fail "the memtrace collector stopped while the demo ran; its log ($WORK/collector.log):" "$WORK/collector.log"
RECEIVED=$(collector_status | grep -o '"spans_received":[0-9]*' | cut -d: -f2 || true)
[[ ${RECEIVED:-0} -gt 0 ]] \
  || fail "the collector on 127.0.0.1:$PORT received no spans from the demo (the agent's lines above say why)" \
    "$WORK/collector.log"

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
echo "== the traces (java -jar $COLLECTOR traces --data $WORK/data --service aqe-fleet --last 3 --wait-loaded)"
java -jar "$COLLECTOR" traces --data "$WORK/data" --service aqe-fleet --last 3 --wait-loaded \
  || fail "the collector could not give the traces (above)"
if [[ -n $NODE_RAN ]]; then
  echo
  echo "== the Node service's trace: its reads, keyed from its statements, and the Java writes they saw"
  java -jar "$COLLECTOR" traces --data "$WORK/data" --service aqe-dashboard --last 1 --wait-loaded \
    || fail "the collector could not give the Node service's trace (above)"
fi
echo
echo "== the report (java -jar $COLLECTOR report --data $WORK/data)"
java -jar "$COLLECTOR" report --data "$WORK/data" || fail "the collector could not give the report (above)"

# --- memory state: the memory-state gauges from the keyspace watcher, after one more pass ---
sleep 3
echo
echo "== the memory gauges of the keyspace watcher (memory.session.size, memory.cache.size, memory.deep.count)"
java -jar "$COLLECTOR" query --data "$WORK/data" "SELECT name, arg_max(value, time)::BIGINT AS value, unit,
  max(time) AS time FROM metrics WHERE name IN ('memory.session.size', 'memory.cache.size', 'memory.deep.count')
  GROUP BY name, unit ORDER BY name" || fail "the collector could not give the memory gauges (above)"
# --- end memory state ---

# --- a record's life (issue 50): the login state the demo cached for one second, expired by Redis before its read ---
echo
echo "== a record's timeline: why the login state was gone (java -jar $COLLECTOR timeline --key cache:oauth-state --data $WORK/data)"
java -jar "$COLLECTOR" timeline --key cache:oauth-state --data "$WORK/data" \
  || fail "the collector could not give the timeline of cache:oauth-state (above)"

# --- versions and time travel (issue 51): the planner's conversation, whose values demo-app/memtrace.yaml captures ---
PLAN_KEY=aqe/planner:planning-user-service
echo
echo "== a record's versions: the planner's conversation, rewritten whole on each message (java -jar $COLLECTOR timeline --key $PLAN_KEY --versions --data $WORK/data)"
java -jar "$COLLECTOR" timeline --key "$PLAN_KEY" --versions --data "$WORK/data" \
  || fail "the collector could not give the versions of $PLAN_KEY (above)"
FIRST_TRACE=$(java -jar "$COLLECTOR" query --include-values --format csv --data "$WORK/data" \
  "SELECT trace_id FROM key_value WHERE key = '$PLAN_KEY' ORDER BY time LIMIT 1" | sed -n 2p)
[[ -n $FIRST_TRACE ]] || fail "the collector holds no captured value of $PLAN_KEY"
echo
echo "== the planner's memory as it was when the conversation's first trace began, rebuilt into a scratch Redis:"
echo "   java -jar $COLLECTOR restore --as-of $FIRST_TRACE --namespace aqe/planner --into redis://127.0.0.1:6380 --data $WORK/data"
echo "   (from the snapshot the collector took at start and every write after it; it says first what it could not rebuild)"
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
