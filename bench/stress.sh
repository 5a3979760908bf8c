#!/usr/bin/env bash
# The stress and fault suite (bench/README.md, "The stress and fault suite"): the demo's layered
# memory on a local Redis, under the memtrace agent, exporting through a fault-injecting proxy to a
# real memtrace collector, all on loopback; scenarios, lengths and bounds in bench/stress.yaml.
#   bench/stress.sh --list-scenarios
#   bench/stress.sh --scenario NAME [--duration S]
#   bench/stress.sh --quick | --comprehensive | --ci
# Results in bench/target/stress/: stress-results.json, stress-report.md and PNG charts.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f agent/target/memtrace-agent.jar || ! -f collector/target/memtrace-collector.jar \
      || ! -f demo-app/target/memtrace-demo.jar || ! -f bench/target/memtrace-bench.jar ]]; then
  echo "== building the agent, the collector, the demo and the benchmarks (needs Maven and a JDK 17)"
  mvn -B -q package -DskipTests -pl agent,collector,demo-app,bench -am
fi
exec java -Xmx512m -Djava.awt.headless=true -cp bench/target/memtrace-bench.jar \
  io.memtrace.bench.stress.StressHarness "$@"
