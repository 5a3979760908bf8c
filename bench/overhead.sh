#!/usr/bin/env bash
# The side-by-side overhead run (bench/README.md): no agent, memtrace, memtrace without trace export,
# memtrace with retention, the OpenTelemetry Java agent 2.33.1, both agents, and memtrace as an
# extension of the OpenTelemetry agent, on the same Jedis workload (or Lettuce, with --client lettuce) and the
# same loopback Redis.
# Options go to the harness, e.g.  bench/overhead.sh --rounds 5 --seconds 20   or   --client lettuce
set -euo pipefail
cd "$(dirname "$0")/.."
modules=agent,bench
missing=false
for jar in agent/target/memtrace-agent.jar bench/target/memtrace-bench.jar bench/target/otel/opentelemetry-javaagent.jar; do
  [[ -f $jar ]] || missing=true
done
# the extension variant and the Spring Boot start-up probe, built when their modules are in this checkout
for module in otel-extension:memtrace-otel-extension.jar spring-app:memtrace-spring-app.jar; do
  dir=${module%%:*}
  if grep -q "<module>$dir</module>" pom.xml; then
    modules+=,$dir
    [[ -f $dir/target/${module#*:} ]] || missing=true
  fi
done
if $missing; then
  echo "== building $modules (needs Maven and a JDK 17)"
  mvn -B -q package -DskipTests -pl "$modules" -am
fi
exec java -Xmx256m -cp bench/target/memtrace-bench.jar io.memtrace.bench.overhead.OverheadHarness "$@"
