#!/usr/bin/env bash
# The issue-33 target by hand (not CI): N commands (default 1,000,000) from several JedisCluster threads under the
# agent on a real 6-node Redis Cluster (Debian's redis-server), a resharding and a failover in the middle; prints the
# mispaired replies and the spans produced against the commands and redirections.
#   bench/cluster-pairing.sh [COMMANDS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f agent/target/memtrace-agent.jar ]] || mvn -B -q package -DskipTests -pl agent -am
mvn -B -q -pl bench -am install -DskipTests >/dev/null
exec mvn -B -pl bench test -Dtest=ClusterPairingRun -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcluster.commands="${1:-1000000}" -Dcluster.threads="${2:-8}"
