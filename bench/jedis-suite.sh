#!/usr/bin/env bash
# Jedis's own cluster and sentinel tests, without and then with the memtrace agent (issue 33;
# bench/README.md, "Jedis's own cluster and sentinel tests"). Not part of CI: ~21 minutes.
#
#   bench/jedis-suite.sh [--tag v5.2.0] [--jedis-git DIR] [--agent JAR] [--maven-repo DIR] [--offline]
#                        [--tests 'Class1,Class2'] [--out DIR] [--keep]
#
# Extracts the Jedis release with `git archive`, starts the servers its Makefile describes that these
# tests use (masters, replicas, Sentinels, the cluster nodes, on the fixed ports the tests expect), runs the
# test classes with Maven, restarts the servers, runs them again with -javaagent, compares Surefire's
# reports test by test and exits 1 when any test's status changed. Every server is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

tag=v5.2.0
jedis_git=${JEDIS_GIT:-/work/.mirror/redis+jedis/repo}
agent=$root/agent/target/memtrace-agent.jar
maven_repo=""
offline=""
tests=""
out=$root/bench/target/jedis-suite
keep=""
while (($#)); do
  case $1 in
    --tag) tag=${2:?}; shift 2 ;;
    --jedis-git) jedis_git=${2:?}; shift 2 ;;
    --agent) agent=$(realpath "${2:?}"); shift 2 ;;
    --maven-repo) maven_repo=$(realpath "${2:?}"); shift 2 ;;
    --offline) offline=-o; shift ;;
    --tests) tests=${2:?}; shift 2 ;;
    --out) out=$(realpath -m "${2:?}"); shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done
mvn_opts=(-B -q ${maven_repo:+-Dmaven.repo.local=$maven_repo})
command -v redis-server >/dev/null && command -v redis-cli >/dev/null \
  || { echo "needs redis-server and redis-cli on PATH (Debian: apt-get install redis-server)" >&2; exit 2; }
git --git-dir="$jedis_git" rev-parse -q --verify "$tag^{commit}" >/dev/null \
  || { echo "no tag $tag in the Jedis repository $jedis_git (--jedis-git DIR, a clone with tags)" >&2; exit 2; }
if [[ ! -f $agent ]]; then
  echo "== building the agent (needs Maven and a JDK 17)"
  mvn "${mvn_opts[@]}" $offline install -DskipTests -pl agent -am
fi

# Clean up whatever happens: servers by PID, then the scratch directory.
scratch=$(mktemp -d /tmp/jedis-suite.XXXXXX)
run=$scratch/run
src=$scratch/jedis
pids=()
stop_servers() {
  local pid
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
finish() {
  stop_servers
  if [[ -n $keep ]]; then echo "== kept $scratch"; else rm -rf "$scratch"; fi
}
trap finish EXIT
trap 'exit 130' INT TERM

echo "== Jedis $tag from $jedis_git into $src"
mkdir -p "$src" "$run"
git --git-dir="$jedis_git" archive "$tag" | tar -x -C "$src"
makefile=$src/Makefile

# The servers, by their Makefile block: what the cluster and Sentinel tests connect to, directly or through
# a Sentinel. Left out: the other standalone servers (6386, 6388, 6389, the Unix socket, 6400), stunnel
# (the SSL* tests are not run) and the redis-stack container (modules).
servers=(REDIS1_CONF REDIS2_CONF REDIS3_CONF REDIS4_CONF REDIS5_CONF REDIS6_CONF REDIS7_CONF REDIS9_CONF)
sentinels=(REDIS_SENTINEL1 REDIS_SENTINEL2 REDIS_SENTINEL3 REDIS_SENTINEL4 REDIS_SENTINEL5)
cluster=(REDIS_CLUSTER_NODE1_CONF REDIS_CLUSTER_NODE2_CONF REDIS_CLUSTER_NODE3_CONF REDIS_CLUSTER_NODE4_CONF
  REDIS_CLUSTER_NODE5_CONF REDIS_STABLE_CLUSTER_NODE1_CONF REDIS_STABLE_CLUSTER_NODE2_CONF
  REDIS_STABLE_CLUSTER_NODE3_CONF)

# A block's configuration as the Makefile defines it, with three changes to how it runs, none to what it
# is: in the foreground (so its PID is ours), its files (also replication's RDB) under the scratch
# directory instead of /tmp and the current directory, and bound to loopback.
config() {
  awk -v name="$1" '$1 == "define" && $2 == name {on = 1; next} on && $1 == "endef" {exit} on' "$makefile" \
    | sed -e 's/^daemonize yes$/daemonize no/' -e "s#/tmp/#$run/#g" \
    | { cat; echo "bind 127.0.0.1 -::1"; echo "dir $run"; }
}
port_of() { config "$1" | awk '$1 == "port" {print $2}'; }

listening() { ss -Hltn "sport = :$1" | grep -q .; }

# Fixed ports: refuse to start beside anything already listening there (and on a cluster node's bus port).
check_ports() {
  local block port busy=()
  for block in "${servers[@]}" "${sentinels[@]}" "${cluster[@]}"; do
    port=$(port_of "$block")
    [[ -n $port ]] || { echo "no block $block with a port in $makefile" >&2; exit 2; }
    if listening "$port"; then busy+=("$port ($block)"); fi
    if config "$block" | grep -q '^cluster-enabled yes' && listening $((port + 10000)); then
      busy+=("$((port + 10000)) (cluster bus of $block)")
    fi
  done
  if ((${#busy[@]})); then
    echo "these fixed ports that Jedis's tests expect are taken, stop what listens there first:" >&2
    printf '  %s\n' "${busy[@]}" >&2
    exit 3
  fi
}

start_block() {
  local block=$1 mode=${2:-} port
  port=$(port_of "$block")
  config "$block" >"$run/$block.conf"
  redis-server "$run/$block.conf" $mode >>"$run/$block.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    redis-cli -p "$port" ping 2>/dev/null | grep -qE 'PONG|NOAUTH' && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "$block did not start on port $port:" >&2
  tail -5 "$run/$block.out" "$(config "$block" | awk '$1 == "logfile" {print $2}')" >&2 2>/dev/null || true
  exit 3
}

# Waits for a condition a Redis answer shows (replication up, cluster state ok), at most 30 s.
await() {
  local what=$1 expect=$2
  shift 2
  for _ in $(seq 300); do
    redis-cli --no-auth-warning "$@" 2>/dev/null | grep -q "$expect" && return 0
    sleep 0.1
  done
  echo "timed out waiting for $what" >&2
  exit 3
}

start_environment() {
  rm -rf "$run" && mkdir -p "$run"
  local block
  for block in "${servers[@]}"; do start_block "$block"; done
  for block in "${sentinels[@]}"; do start_block "$block" --sentinel; sleep 0.5; done
  for block in "${cluster[@]}"; do start_block "$block"; done
  # the Makefile's own command that makes the stable cluster out of its three nodes
  local create
  create=$(grep -E '^\s*redis-cli .*--cluster create' "$makefile" | sed 's/^\s*//')
  eval "$create" >"$run/cluster-create.out" 2>&1 || { cat "$run/cluster-create.out" >&2; exit 3; }
  for block in REDIS_STABLE_CLUSTER_NODE1_CONF REDIS_STABLE_CLUSTER_NODE2_CONF REDIS_STABLE_CLUSTER_NODE3_CONF; do
    await "the stable cluster on $(port_of $block)" 'cluster_state:ok' -p "$(port_of $block)" -a cluster cluster info
  done
  for block in REDIS4_CONF REDIS5_CONF REDIS7_CONF; do
    await "replication on $(port_of $block)" 'master_link_status:up' -p "$(port_of $block)" -a foobared info replication
  done
  echo "   ${#pids[@]} servers up: ${#servers[@]} masters and replicas, ${#sentinels[@]} Sentinels, ${#cluster[@]} cluster nodes"
}

# The classes: every *Cluster*Test and *Sentinel*Test of the release that declares a concrete class (5.2.0's
# JedisClusterCommandTest is all commented out), less those that need what is not started here (SSL*:
# stunnel; scenario/: a Redis Enterprise endpoint).
if [[ -z $tests ]]; then
  tests=$(cd "$src/src/test/java" && find . -name '*Test.java' \( -name '*Cluster*' -o -name '*Sentinel*' \) \
    | grep -v -e '/SSL' -e '/scenario/' | xargs grep -lE '^(public )?(final )?class ' \
    | sed -e 's#^\./##' -e 's#\.java$##' -e 's#/#.#g' | sort | paste -sd, -)
fi
echo "== test classes: ${tests//,/ }"

check_ports  # before the build, which takes minutes; again before each start

# Jedis's build, its test dependencies (online unless --offline) and one server-less test of the set, so
# that both runs below are offline and alike.
maven() { (cd "$src" && env -u JAVA_TOOL_OPTIONS mvn "${mvn_opts[@]}" "$@"); }
echo "== compiling Jedis $tag and resolving its test dependencies"
maven $offline test -Djacoco.skip=true -Dtest=JedisClusterCRC16Test -Dsurefire.failIfNoSpecifiedTests=false \
  >"$scratch/prepare.log" 2>&1 || { tail -40 "$scratch/prepare.log" >&2; exit 4; }

rm -rf "$out" && mkdir -p "$out"
spans=$out/agent-spans.jsonl
run_tests() {
  local name=$1
  shift
  echo "== run '$name': starting the servers"
  check_ports
  start_environment
  echo "   running the tests ($(date -u +%H:%M:%S) UTC)"
  rm -rf "$src/target/surefire-reports"
  local started=$SECONDS
  # surefire:test alone: the classes are compiled above, and a failing test is a result here, not an error
  maven -o surefire:test -DforkCount=1 -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmaven.test.failure.ignore=true -Dsurefire.timeout=2400 "$@" >"$out/$name.log" 2>&1 \
    || echo "   Maven ended with an error, see $out/$name.log"
  echo "   took $((SECONDS - started)) s"
  cp -r "$src/target/surefire-reports" "$out/$name" 2>/dev/null || mkdir -p "$out/$name"
  stop_servers
  cp "$run"/*.log "$out/$name/" 2>/dev/null || true
}

# Clear what would change either run: the agent's and OpenTelemetry's settings come only from here.
for var in $(env | grep -oE '^(OTEL|MEMTRACE)_[A-Za-z0-9_]*'); do unset "$var"; done
run_tests plain
MEMTRACE_TRACES_FILE=$spans MEMTRACE_RETENTION_ENABLED=false OTEL_TRACES_EXPORTER=none \
  OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none run_tests agent "-DargLine=-javaagent:$agent"

# A class without a report did not run to its end (a crashed or timed-out fork): the comparison below
# cannot see it, so it is named here and the run fails.
incomplete=""
for name in plain agent; do
  for class in ${tests//,/ }; do
    [[ $class == *[\*\#!]* ]] && continue  # a pattern, not a class name
    [[ -f $out/$name/TEST-$class.xml ]] || incomplete+=" $name:$class"
  done
done
if [[ -n $incomplete ]]; then
  echo "== classes without a report (see the runs' logs):$incomplete" >&2
fi

span_count=$(grep -o '"spanId"' "$spans" 2>/dev/null | wc -l || true)
echo "== spans the agent exported in the agent run: $span_count ($spans)"
if ((span_count)); then
  echo "   by server.port: $(grep -oE '"key":"server.port","value":\{"intValue":"?[0-9]+' "$spans" \
    | grep -oE '[0-9]+$' | sort | uniq -c | sort -rn | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}')"
fi

classes=$scratch/comparison-classes
javac -d "$classes" "$root"/bench/src/main/java/io/memtrace/bench/jedissuite/*.java
status=0
java -cp "$classes" io.memtrace.bench.jedissuite.StatusComparison "$out/plain" "$out/agent" \
  | tee "$out/comparison.md" || status=${PIPESTATUS[0]}
if [[ -n $incomplete ]]; then
  ((status)) || status=4
fi
if ((span_count == 0)); then
  echo "the agent exported no span: it did not trace this run, so it proves nothing" >&2
  ((status)) || status=5
fi
echo "== reports, logs and the comparison in $out"
exit "$status"
