#!/usr/bin/env bash
# The load run of issue 14 (bench/README.md, "Load run"): a 4-thread app doing SET then GET on
# distinct keys against a local redis-server, with the memtrace agent attached (defaults),
# exporting to a real `memtrace-collector serve` on a free loopback port (or a discard sink);
# then serve's peak RSS, acknowledgement latency, duplicate rows, report and seed-query times.
# Options go to the harness, e.g.  bench/load.sh --commands 200000 --sink discard --retention on
#                                  bench/load.sh --store /path/to/data   (time an existing store)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f agent/target/memtrace-agent.jar || ! -f bench/target/memtrace-bench.jar \
      || ! -f collector/target/memtrace-collector.jar ]]; then
  echo "== building the agent, the collector and the benchmarks (needs Maven and a JDK 17)"
  mvn -B -q package -DskipTests -pl agent,collector,bench -am
fi
exec java -Xmx512m -cp bench/target/memtrace-bench.jar io.memtrace.bench.load.LoadHarness "$@"
