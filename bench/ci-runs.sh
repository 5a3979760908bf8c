#!/usr/bin/env bash
# The test run's stability check: fresh clones of one commit run .ci/run (the README's test command) in a row, each
# timed, optionally beside a CPU hog, and a table of the results is printed and kept.
#
#   bench/ci-runs.sh [--runs N] [--hog-run K] [--hog-threads T] [--commit REV] [--out DIR] [--empty-caches]
#
#   --runs N         fresh-clone runs in a row (default 5)
#   --hog-run K      run K (1-based) has busy loops beside it (default 0: none); `uptime` is sampled through every run
#   --hog-threads T  how many busy loops the hog starts (default 4: load >= 4 on top of the run's own)
#   --commit REV     what to clone (default HEAD of this checkout)
#   --out DIR        logs and results.md (default bench/target/ci-runs)
#   --empty-caches   a fresh machine: each run gets a new, empty home folder, so the Maven repository, the Go module
#                    and build caches, the stack's Go programs, pip's, npm's and memtrace's caches all start empty.
#                    The machine's settings are copied in (.gitconfig, .npmrc, .m2/settings.xml, Go's env file) and
#                    its toolchains linked (.pyenv, .cargo, .rustup); the home is removed after the run
#
# Each run: `git clone` into a new directory, `/usr/bin/time -v .ci/run` there, then the clone is removed (its log
# stays). Where the CPU went is kept per test class (MEMTRACE_TEST_CPU_LOG, test-support's TestCpuLog): cpu-N.log
# has a line per class, cpu-N.md the modules' sums and the 30 dearest classes. The CPU of every process the run
# started, by kind of process, is in procs-N.md (bench/process-cpu.py): it also counts the processes no one waited
# for (a killed `serve` launcher's child JVM), which `time` and the per-class figures miss. The table gives each run's
# wall time, CPU (user + sys, as `time` counts it, then every process's), the tests counted in its reports, its load
# average at the start and at the end, and green or red with the first failing test. Exits non-zero when any run
# was red.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=5 HOG_RUN=0 HOG_THREADS=4 COMMIT=HEAD OUT=$ROOT/bench/target/ci-runs EMPTY=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --hog-run) HOG_RUN=$2; shift 2 ;;
    --hog-threads) HOG_THREADS=$2; shift 2 ;;
    --commit) COMMIT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --empty-caches) EMPTY=1; shift ;;
    *) echo "usage: bench/ci-runs.sh [--runs N] [--hog-run K] [--hog-threads T] [--commit REV] [--out DIR] [--empty-caches]" >&2
       exit 2 ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "error: --runs must be a positive whole number, not '$RUNS'" >&2; exit 2; }
REV=$(git rev-parse --short=8 "$COMMIT")
mkdir -p "$OUT"
RESULTS=$OUT/results.md
{
  caches="warm caches"
  [[ $EMPTY -eq 1 ]] && caches="empty caches"
  # a new machine's first run: the Maven repository is not there yet, so run 1 fills every cache as --empty-caches does
  [[ $EMPTY -eq 0 && ! -d $HOME/.m2/repository ]] && caches="empty caches in run 1 (a new machine), warm after"
  echo "# bench/ci-runs.sh: $RUNS fresh-clone runs of $REV ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $caches)"
  echo
  echo "| run | hog | wall | CPU | CPU, every process | tests | load at start | load at end | result |"
  echo "|---|---|---:|---:|---:|---:|---|---|---|"
} >"$RESULTS"

hog_pids=()
stop_hog() {
  for pid in "${hog_pids[@]:-}"; do
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  done
  hog_pids=()
}
stop_sampler() {
  if [[ -n ${sampler:-} ]]; then
    kill -TERM "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
  fi
  sampler=
}
trap 'stop_hog; stop_sampler' EXIT

# fresh_home DIR: an empty home with the machine's settings and toolchains, none of its caches
fresh_home() {
  local home=$1 file
  mkdir -p "$home/.config/go" "$home/.m2"
  for file in .gitconfig .npmrc .m2/settings.xml .config/go/env; do
    [[ -f $HOME/$file ]] && cp "$HOME/$file" "$home/$file"
  done
  for file in .pyenv .cargo .rustup; do
    [[ -e $HOME/$file ]] && ln -s "$HOME/$file" "$home/$file"
  done
  return 0
}

red=0
for ((i = 1; i <= RUNS; i++)); do
  clone=$(mktemp -d /tmp/memtrace-ci-run-XXXXXX)
  git clone -q "$ROOT" "$clone"
  git -C "$clone" checkout -q "$REV"
  hog=no
  if [[ $i -eq $HOG_RUN ]]; then
    hog="$HOG_THREADS loops"
    for ((t = 0; t < HOG_THREADS; t++)); do
      # a busy loop that ends by itself after two hours, whatever happens to this script
      timeout 7200 sh -c 'while :; do :; done' &
      hog_pids+=($!)
    done
  fi
  log=$OUT/run-$i.log
  cpu_log=$OUT/cpu-$i.log
  rm -f "$cpu_log"
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  started=$(date -u '+%H:%M')
  sampler=
  if command -v python3 >/dev/null; then
    python3 bench/process-cpu.py "$clone" "$OUT/procs-$i.md" >"$OUT/procs-$i.total" &
    sampler=$!
  fi
  set +e
  if [[ $EMPTY -eq 1 ]]; then
    home=$(mktemp -d /tmp/memtrace-ci-home-XXXXXX)
    fresh_home "$home"
    (cd "$clone" && MEMTRACE_TEST_CPU_LOG=$cpu_log env -u XDG_CACHE_HOME -u MEMTRACE_CACHE_DIR -u MEMTRACE_STACK_CACHE -u GOCACHE -u GOMODCACHE \
      -u GOPATH HOME="$home" /usr/bin/time -v .ci/run) >"$log" 2>&1
    status=$?
    rm -rf "$home"
  else
    (cd "$clone" && MEMTRACE_TEST_CPU_LOG=$cpu_log /usr/bin/time -v .ci/run) >"$log" 2>&1
    status=$?
  fi
  set -e
  load_end=$(cut -d' ' -f1-3 /proc/loadavg)
  stop_hog
  every="n/a"
  if [[ -n $sampler ]]; then
    stop_sampler
    [[ -s $OUT/procs-$i.total ]] && every="$(cat "$OUT/procs-$i.total") s"
    rm -f "$OUT/procs-$i.total"
  fi
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" | tail -1)
  user=$(sed -n 's/.*User time (seconds): //p' "$log" | tail -1)
  sys=$(sed -n 's/.*System time (seconds): //p' "$log" | tail -1)
  cpu=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.0f s", u + s }')
  # a run that stopped before any test wrote a report counts 0, and its row is still written
  tests=$({ cat "$clone"/*/target/surefire-reports/TEST-*.xml "$clone"/*/target/failsafe-reports/TEST-*.xml 2>/dev/null \
    | grep -o '<testsuite [^>]*tests="[0-9]*"' || true; } | sed 's/.*tests="//; s/"//' | awk '{ n += $1 } END { print n + 0 }')
  if [[ $status -eq 0 ]]; then
    result=green
  else
    red=1
    first=$(grep -m1 -E '^\[ERROR\] (Tests run:.*FAILURE|  [A-Za-z]+.*:[0-9]+ )' "$log" || true)
    result="red (exit $status): ${first:-see $log}"
  fi
  echo "| $i ($started UTC) | $hog | $wall | $cpu | $every | $tests | $load_start | $load_end | ${result//|/\\|} |" >>"$RESULTS"
  rm -rf "$clone"
  if [[ -s $cpu_log ]]; then
    {
      echo "# run $i: test CPU (s) by module"
      awk '{ cpu[$3] += $1; wall[$3] += $2 } END { for (m in cpu) printf "%8.1f cpu %8.1f wall  %s\n", cpu[m], wall[m], m }' \
        "$cpu_log" | sort -rn
      echo
      echo "# run $i: the 30 classes that took the most CPU (s)"
      sort -rn "$cpu_log" | sed -n 1,30p  # sed reads to the end: head would leave sort a SIGPIPE, 141 under pipefail
    } >"$OUT/cpu-$i.md"
  fi
  tail -n 1 "$RESULTS"
done
cat "$RESULTS"
exit $red
