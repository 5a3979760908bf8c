#!/usr/bin/env bash
# The load run of issue 14 (bench/README.md, "The load run"): a 4-thread app doing SET then GET on
# distinct keys against a local redis-server, with the memtrace agent attached (defaults),
# exporting to a real `memtrace-collector serve` on a free loopback port (or a discard sink);
# then serve's peak RSS, acknowledgement latency, duplicate rows, report and seed-query times.
# Options go to the harness, e.g.  bench/load.sh --commands 200000 --sink discard --retention on
#                                  bench/load.sh --store /path/to/data   (time an existing store)
# How cost grows with the store (issue 31), instead of the app-driven run:
#   bench/load.sh --growth 1000000,10000000,30000000 [--keep DIR]
# one serve fed a continuous stream of a service's span mix (the collector's GrowthBenchmark), stopped at
# each figure to measure ingest CPU, ack latency, report, the seed queries, traces --last 10, peak RSS and
# disk; one table at the end (bench/README.md, "How cost grows with the store").
set -euo pipefail
cd "$(dirname "$0")/.."
growth=""
rest=()
while (($#)); do
  if [[ $1 == --growth ]]; then
    growth=${2:?--growth needs span counts, e.g. 1000000,10000000,30000000}
    shift 2
  else
    rest+=("$1")
    shift
  fi
done
if [[ -n $growth ]]; then
  # the benchmark is a test class of the collector: its jar and target/test-classes (package compiles the tests),
  # with test-support's classes, which its serve launcher uses
  if [[ ! -f collector/target/memtrace-collector.jar \
        || ! -f collector/target/test-classes/io/memtrace/collector/bench/GrowthBenchmark.class \
        || ! -d test-support/target/classes/io/memtrace/testsupport ]]; then
    echo "== building the collector and its test classes (needs Maven and a JDK 17)"
    mvn -B -q package -DskipTests -pl collector -am
  fi
  exec java -Xmx512m -cp collector/target/test-classes:collector/target/memtrace-collector.jar:test-support/target/classes \
    io.memtrace.collector.bench.GrowthBenchmark --at "$growth" ${rest[@]+"${rest[@]}"}
fi
if [[ ! -f agent/target/memtrace-agent.jar || ! -f bench/target/memtrace-bench.jar \
      || ! -f collector/target/memtrace-collector.jar ]]; then
  echo "== building the agent, the collector and the benchmarks (needs Maven and a JDK 17)"
  mvn -B -q package -DskipTests -pl agent,collector,bench -am
fi
exec java -Xmx512m -cp bench/target/memtrace-bench.jar io.memtrace.bench.load.LoadHarness ${rest[@]+"${rest[@]}"}
