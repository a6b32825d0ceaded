#!/usr/bin/env bash
# Benchmark on real repositories: copies of the shared corpora (public Flux
# home-lab and example repositories) whose remote charts are served by a
# chart server on 127.0.0.1 that this script starts (tools/benchreal: an
# OCI registry and HTTP chart repositories on one port, plain HTTP for
# fluxlint and TLS for flate). The charts themselves cannot be downloaded
# here, so the server holds stand-in charts of the names and versions the
# HelmReleases ask for (a Deployment per controller, a Service and a
# ConfigMap of the values, named after the release), and the copies'
# HelmRepository and OCIRepository URLs are rewritten to it.
#
# Measured for each repository, medians of RUNS runs: fluxlint cold (empty
# cache folder), warm (the same again), after one file changed (a value of
# one HelmRelease), and flate v0.6.5 cold and warm (`flate build all` per
# cluster) against the same server. Prints wall time, CPU (user+sys), peak
# RSS from /usr/bin/time -v, the requests the chart server answered, and the
# ratios to flate beside the targets of issue 20. Not part of CI.
#
# Usage: bench/real.sh [REPOS] [RUNS]
#   REPOS     folders of Flux repositories, copied; relative paths are from
#             the project's root (default: the corpora buroa-k8s-gitops and
#             flux2-kustomize-helm-example under ../shared/corpora)
#   RUNS      runs per measurement (default 3)
#   DELAY     delay the chart server adds to every request, e.g. 20ms, to
#             mimic a distant registry (default none)
#   BENCH_BIN where flate is installed if missing (default
#             ${XDG_CACHE_HOME:-~/.cache}/fluxlint-bench/bin)
#   KEEP=1    keep the work folder (copies, /usr/bin/time outputs, logs)
#   NO_FLATE=1 measure fluxlint only
#
# Needs go, python3, curl and /usr/bin/time. flate v0.6.5 needs Go 1.27: it
# is installed with GOTOOLCHAIN=go1.27.3 for that install only; without it
# only fluxlint's rows are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=../shared/corpora
REPOS=${1:-${REPOS:-"$corpora/buroa-k8s-gitops $corpora/flux2-kustomize-helm-example"}}
RUNS=${2:-${RUNS:-3}}
DELAY=${DELAY:-0s}
BIN=${BENCH_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/fluxlint-bench/bin}
work=$(mktemp -d)
. bench/real/server.sh
mkdir -p "$BIN" "$work/times" "$work/repos"

# Tools: fluxlint as it is in this worktree, the chart server, flate.
go build -o "$work/fluxlint" ./cmd/fluxlint
go -C tools build -o "$work/benchreal" ./benchreal
if [ "${NO_FLATE:-}" != 1 ] && [ ! -x "$BIN/flate" ]; then
  echo "installing flate v0.6.5 (GOTOOLCHAIN=go1.27.3)" >&2
  GOBIN=$BIN GOTOOLCHAIN=go1.27.3 go install github.com/home-operations/flate/cmd/flate@v0.6.5 ||
    echo "flate: install failed (is the go1.27.3 toolchain reachable?); its rows are left out" >&2
fi
have_flate=0
[ "${NO_FLATE:-}" != 1 ] && [ -x "$BIN/flate" ] && have_flate=1

# The copies: the benchmark's own, rewritten by the chart server. flate
# finds a repository's root by its .git.
names=()
for r in $REPOS; do
  n=$(basename "$r")
  cp -R "$r" "$work/repos/$n"
  rm -rf "$work/repos/$n/.git"
  git -C "$work/repos/$n" init -q
  names+=("$n")
done

# The chart server (bench/real/server.sh).
start_server -delay "$DELAY" "${names[@]/#/$work/repos/}"
host=$(cat "$work/ready")
head -1 "$work/server.log" >&2
requests() { curl -sf "http://$host/_stats" || echo 0; }

# measure REPO NAME CMD...: one run of CMD under /usr/bin/time -v, its
# stdout to $work/out, the report to $work/times/REPO/NAME.N and the chart
# server's requests during it to NAME.N.req. Exit code 1 of fluxlint check
# means findings, not a failure; a failed flate run is reported and kept.
measure() {
  local repo=$1 name=$2 dir="$work/times/$1" n rc=0 before
  shift 2
  mkdir -p "$dir"
  n=$(($(find "$dir" -name "$name.*" ! -name '*.req' ! -name '*.failed' | wc -l) + 1))
  before=$(requests)
  /usr/bin/time -v "$@" >"$work/out" 2>"$dir/$name.$n" || rc=$?
  echo $(($(requests) - before)) >"$dir/$name.$n.req"
  if [ "$rc" -gt 1 ] || { [ "$rc" = 1 ] && [[ $name != fluxlint-* ]]; }; then
    echo "$name ($repo) failed with exit code $rc:" >&2
    sed -e '/^Command exited/d' -e '/^\tCommand being timed/,$d' "$dir/$name.$n" | tail -5 >&2
    echo "$rc" >"$dir/$name.$n.failed"
  fi
}

# flate renders one cluster a run, so a flate run renders each of the
# repository's clusters (the paths fluxlint found). It reaches the chart
# server over TLS, trusting its certificate through SSL_CERT_FILE.
cat >"$work/flate.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
cache=\$1 repo=\$2
shift 2
for c in "\$@"; do
  SSL_CERT_FILE='$work/cert.pem' HOME="\$cache/home" XDG_CACHE_HOME="\$cache/xdg" \\
    '$BIN/flate' build all --no-progress --cache-dir "\$cache" --path "\$repo/\$c" >/dev/null
done
EOF
chmod +x "$work/flate.sh"

# change FILE I: one value of a HelmRelease, different each run: a line
# under its `  values:` (or, without one, a comment at the end).
change() {
  if grep -qx '  values:' "$1"; then
    sed -i "0,/^  values:\$/s//  values:\n    benchrealChange: \"$2\"/" "$1"
  else
    echo "# benchreal change $2" >>"$1"
  fi
}

for n in "${names[@]}"; do
  repo=$work/repos/$n
  # The clusters and the size, from a first fluxlint run (not measured).
  XDG_CACHE_HOME=$work/cache-count/xdg "$work/fluxlint" check --cache-dir "$work/cache-count" -o json "$repo" >"$work/summary-$n.json" || true
  rm -rf "$work/cache-count"
  mapfile -t clusters < <(python3 -c 'import json,sys; [print(c["path"]) for c in json.load(open(sys.argv[1]))["clusters"]]' "$work/summary-$n.json")
  changed=$( (grep -rlx --include=helmrelease.yaml --include=release.yaml '  values:' "$repo" || true) | sort | sed -n 1p)
  [ -n "$changed" ] || changed=$(find "$repo" -name kustomization.yaml | sort | sed -n 1p)
  cp "$changed" "$work/changed.orig"
  echo "$n: clusters ${clusters[*]}; one change in ${changed#"$repo"/}; $RUNS runs" >&2
  for i in $(seq "$RUNS"); do
    cache=$work/cache-$n
    rm -rf "$cache"
    fluxlint=(env FLUXLINT_STATS=1 XDG_CACHE_HOME="$cache/xdg" "$work/fluxlint" check -q --cache-dir "$cache" "$repo")
    measure "$n" fluxlint-cold "${fluxlint[@]}"
    measure "$n" fluxlint-warm "${fluxlint[@]}"
    change "$changed" "$i"
    measure "$n" fluxlint-one-change "${fluxlint[@]}"
    cp "$work/changed.orig" "$changed"
    # flate is not run again on a repository it failed to render.
    if [ "$have_flate" = 1 ] && [ ! -e "$work/times/$n/flate-cold.1.failed" ]; then
      rm -rf "$work/flate-cache"
      measure "$n" flate-cold "$work/flate.sh" "$work/flate-cache" "$repo" "${clusters[@]}"
      measure "$n" flate-warm "$work/flate.sh" "$work/flate-cache" "$repo" "${clusters[@]}"
    fi
  done
  rm -rf "$work/cache-$n" "$work/flate-cache"
done

python3 bench/real/report.py "$work" "${names[@]}" | tee "$work/table.md"
echo
echo "$(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go version | cut -d' ' -f3), chart server delay $DELAY, load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
