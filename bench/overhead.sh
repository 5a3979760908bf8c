#!/usr/bin/env bash
# The side-by-side overhead run (bench/README.md): no agent, memtrace, memtrace without trace export,
# and the OpenTelemetry Java agent 2.33.1 on the same Jedis workload and the same loopback Redis.
# Options go to the harness, e.g.  bench/overhead.sh --rounds 5 --seconds 20
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f agent/target/memtrace-agent.jar || ! -f bench/target/memtrace-bench.jar \
      || ! -f bench/target/otel/opentelemetry-javaagent.jar ]]; then
  echo "== building the agent and the benchmarks (needs Maven and a JDK 17)"
  mvn -B -q package -DskipTests -pl agent,bench -am
fi
exec java -Xmx256m -cp bench/target/memtrace-bench.jar io.memtrace.bench.overhead.OverheadHarness "$@"
