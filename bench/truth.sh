#!/bin/sh
# The truth suite (issue 72) at length: SCENARIOS seeded scenarios (default 10000) against a real Redis, the agent
# and serve, every traced read's answers judged against the oracle; prints the table (right, unknown by cause, wrong
# by known cause) and the first wrong answers of no known cause, each with the seed that replays it.
# Usage: bench/truth.sh [SCENARIOS] [-Dtruth.from=N] [-Dtruth.ops=common] [-Dtruth.namespaces='*']
# One seed again: bench/truth.sh 1 -Dtruth.seed=S
# Then the first 100 seeds under memtrace's defaults with key events, compared read by read with full capture
# (issue 77): -Dtruth.defaults.scenarios=N for more, 0 for none
set -e
cd "$(dirname "$0")/.."
n=${1:-10000}
[ $# -gt 0 ] && shift
exec nice -n 5 mvn -B -q -pl collector-it -am verify -Dit.test=TruthSuiteIT -Dtest=NONE \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dtruth.scenarios="$n" "$@"
