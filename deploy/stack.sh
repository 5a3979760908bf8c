#!/usr/bin/env bash
# Builds the deployment's Go programs from their Go modules, once per version, into a cache, for a host with
# no container engine (and for deploy-check's StackIT, which runs them): the OpenTelemetry Collector with the
# components of otel-collector-config.yaml (deploy/otelcol/builder.yaml), Jaeger v2, and Prometheus, at the
# versions docker-compose.yml pins (deploy-check's StackVersionsTest fails when they differ).
#
#   deploy/stack.sh build      build what is missing; print each program's path, one "name path" per line
#   deploy/stack.sh prebuild   start `build` detached and return at once (the root pom runs it first, so that a fresh
#                              machine compiles the Go programs beside the Java modules); its log is prebuild.log in
#                              the cache; without Go it does nothing
#   deploy/stack.sh versions   print "name version" per line
#
# Needs Go and the Go module proxy. The cache is $MEMTRACE_STACK_CACHE, by default ~/.cache/memtrace-stack. One build
# at a time: a second `build` waits on the cache's lock and then finds the programs the first one made, so two tests
# that need the stack at once pay for one build.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

OTELCOL_VERSION=0.165.0     # otel/opentelemetry-collector-contrib:0.165.0; the modules in deploy/otelcol/builder.yaml
JAEGER_VERSION=2.13.0       # jaegertracing/jaeger:2.13.0, whose Go module version is v1.76.0
JAEGER_MODULE_VERSION=v1.76.0
PROMETHEUS_VERSION=3.16.0   # prom/prometheus:v3.16.0, whose Go module version is v0.316.0
PROMETHEUS_MODULE_VERSION=v0.316.0

CACHE=${MEMTRACE_STACK_CACHE:-$HOME/.cache/memtrace-stack}
# Prometheus without its service-discovery plugins (Kubernetes, the clouds' SDKs, ...): Prometheus's own build tag.
# The stack's prometheus.yml uses static_configs only; the tag is part of the cache key.
PROMETHEUS_TAGS=remove_all_sd

versions() {
  echo "otelcol $OTELCOL_VERSION"
  echo "jaeger $JAEGER_VERSION"
  echo "prometheus $PROMETHEUS_VERSION"
}

# build NAME VERSION FUNCTION: runs FUNCTION in a fresh work folder unless the cache has NAME at VERSION
build() {
  local name=$1 version=$2 how=$3
  local dir="$CACHE/$name-$version"
  # the builder's manifest is part of the otelcol key: another component list is another build
  if [[ $name == otelcol ]]; then
    dir="$dir-$(sha256sum deploy/otelcol/builder.yaml | cut -c1-12)"
  elif [[ $name == prometheus ]]; then
    dir="$dir-$PROMETHEUS_TAGS"
  fi
  if [[ ! -x $dir/$name ]]; then
    local work
    work=$(mktemp -d)
    local started=$SECONDS
    echo "building $name $version (once; later runs use $dir)" >&2
    if ! (cd "$work" && "$how" "$work" >"$work/build.log" 2>&1); then
      tail -n 30 "$work/build.log" >&2
      echo "error: could not build $name $version; its log is $work/build.log" >&2
      exit 1
    fi
    mkdir -p "$dir"
    mv "$work/$name" "$dir/$name.partial" && mv "$dir/$name.partial" "$dir/$name"
    echo "built $name $version in $((SECONDS - started)) s" >&2
    rm -rf "$work"
  fi
  echo "$name $dir/$name"
}

otelcol() {
  GOBIN="$1/tools" go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION"
  cp "$ROOT/deploy/otelcol/builder.yaml" "$1/builder.yaml"
  "$1/tools/builder" --config="$1/builder.yaml"
  mv "$1/otelcol-memtrace/otelcol-memtrace" "$1/otelcol"
}

jaeger() {
  # v2.x tags are not Go module versions, and v1.76.0's go.mod has a replace that `go install` refuses, so
  # the binary is built inside a small module of its own, which ignores that replace
  go mod init memtrace.local/jaeger-build
  go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION"
  go build -o "$1/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger
}

prometheus() {
  go mod init memtrace.local/prometheus-build
  go get -tool "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_MODULE_VERSION"
  go build -tags "$PROMETHEUS_TAGS" -o "$1/prometheus" github.com/prometheus/prometheus/cmd/prometheus
}

case "${1:-}" in
  versions) versions ;;
  build)
    command -v go >/dev/null || { echo "error: Go is not on this machine: the stack is built from its Go modules" >&2; exit 2; }
    mkdir -p "$CACHE"
    exec 9>"$CACHE/build.lock"
    flock 9
    build otelcol "$OTELCOL_VERSION" otelcol
    build jaeger "$JAEGER_VERSION" jaeger
    build prometheus "$PROMETHEUS_VERSION" prometheus
    ;;
  prebuild)
    command -v go >/dev/null || exit 0
    mkdir -p "$CACHE"
    # setsid: the build outlives a Maven that stops early, and is not killed with its process group; nice: the Java
    # modules' tests, which run beside it, keep the CPU they need to hold their waits
    setsid nice -n 5 "$0" build >"$CACHE/prebuild.log" 2>&1 </dev/null &
    echo "deploy/stack.sh: building the stack's Go programs in the background (log: $CACHE/prebuild.log)"
    ;;
  *) echo "usage: deploy/stack.sh build|prebuild|versions" >&2; exit 2 ;;
esac
