#!/usr/bin/env bash
# One-change runs of several fluxlint binaries, alternated: on a busy
# machine, runs of two builds made minutes apart (bench/real.sh on each)
# differ by more than most changes; runs made in turns see the same load.
#
# The repository is copied and its charts served by tools/benchreal, as in
# bench/real.sh. Each binary fills its own cache folder with a cold run;
# then, ROUNDS times, each binary in turn makes one run after one change
# (a value added to the first HelmRelease with `values:`, different each
# round) from a copy of its filled cache. Prints, per binary, the median,
# lowest and highest CPU time (user+sys, to the microsecond:
# bench/real/cputime.py, where /usr/bin/time counts in 10 ms steps) and the
# median wall time. Not part of CI.
#
# With FLATE=1, flate v0.6.5 (installed as bench/real.sh installs it) makes
# a warm run in each round too, from a copy of the cache its cold run
# filled, and each binary's median is also given as a ratio to flate's
# warm median, of CPU and of wall time: issue 20's one-change target
# (<= 0.5x), with both measured under the same load.
#
# Usage: bench/real-ab.sh REPO ROUNDS BINARY...
#   e.g. git worktree add /tmp/base main && go -C /tmp/base build -o /tmp/fluxlint-main ./cmd/fluxlint
#        go build -o /tmp/fluxlint-new ./cmd/fluxlint
#        bench/real-ab.sh ../shared/corpora/buroa-k8s-gitops 15 /tmp/fluxlint-main /tmp/fluxlint-new
#   KEEP=1 keeps the work folder. PROFILE=DIR writes a CPU profile of each
#   one-change run into DIR (binI.ROUND.pprof), to read with
#   `go tool pprof -top BINARY DIR/binI.*.pprof`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { sed -n '/^# Usage/,/^#   KEEP/p' "$0" >&2; exit 2; }
REPO=$1 ROUNDS=$2
shift 2
work=$(mktemp -d)
. bench/real/server.sh

go -C tools build -o "$work/benchreal" ./benchreal
repo=$work/repo
cp -R "$REPO" "$repo"
rm -rf "$repo/.git"
git -C "$repo" init -q
start_server "$repo"

BIN=${BENCH_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/fluxlint-bench/bin}
if [ "${FLATE:-}" = 1 ]; then
  [ -x "$BIN/flate" ] || { echo "FLATE=1: no flate in $BIN (bench/real.sh installs it)" >&2; exit 1; }
  "$1" check -q --no-cache -o json "$repo" >"$work/summary.json" 2>/dev/null || true
  mapfile -t clusters < <(python3 -c 'import json,sys; [print(c["path"]) for c in json.load(open(sys.argv[1]))["clusters"]]' "$work/summary.json")
  # flate.sh CACHE: flate build all of each cluster, as bench/real.sh runs it.
  {
    echo '#!/usr/bin/env bash'
    echo 'set -euo pipefail'
    for c in "${clusters[@]}"; do
      echo "SSL_CERT_FILE='$work/cert.pem' HOME=\"\$1/home\" XDG_CACHE_HOME=\"\$1/xdg\" '$BIN/flate' build all --no-progress --cache-dir \"\$1\" --path '$repo/$c' >/dev/null"
    done
  } >"$work/flate.sh"
  chmod +x "$work/flate.sh"
  mkdir -p "$work/flate"
  "$work/flate.sh" "$work/flate/filled" 2>/dev/null || { echo "flate's cold run failed" >&2; exit 1; }
fi

changed=$( (grep -rlx --include=helmrelease.yaml --include=release.yaml '  values:' "$repo" || true) | sort | sed -n 1p)
[ -n "$changed" ] || { echo "no HelmRelease with values: in $REPO" >&2; exit 1; }
cp "$changed" "$work/changed.orig"
echo "one change in ${changed#"$repo"/}; $ROUNDS rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

i=0
for b in "$@"; do
  i=$((i + 1))
  mkdir -p "$work/bin$i"
  XDG_CACHE_HOME=$work/bin$i/filled/xdg "$b" check -q --cache-dir "$work/bin$i/filled" -o json "$repo" >/dev/null 2>&1 || true
done
for r in $(seq "$ROUNDS"); do
  sed -i "0,/^  values:\$/s//  values:\n    benchrealChange: \"$r\"/" "$changed"
  i=0
  for b in "$@"; do
    i=$((i + 1))
    d=$work/bin$i
    rm -rf "$d/run" && cp -a "$d/filled" "$d/run"
    prof=()
    [ -z "${PROFILE:-}" ] || prof=(--cpuprofile "$PROFILE/bin$i.$r.pprof")
    python3 bench/real/cputime.py "$d/time" env XDG_CACHE_HOME="$d/run/xdg" "$b" check -q --cache-dir "$d/run" -o json "${prof[@]}" "$repo"
    cat "$d/time" >>"$d/times"
  done
  if [ "${FLATE:-}" = 1 ]; then
    d=$work/flate
    rm -rf "$d/run" && cp -a "$d/filled" "$d/run"
    python3 bench/real/cputime.py "$d/time" "$work/flate.sh" "$d/run"
    cat "$d/time" >>"$d/times"
  fi
  cp "$work/changed.orig" "$changed"
done

flate_cpu="" flate_wall=""
if [ "${FLATE:-}" = 1 ]; then
  median() { awk "{print \$$1}" "$work/flate/times" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  flate_cpu=$(median 1) flate_wall=$(median 2)
fi
echo "| binary | runs | CPU median | CPU lowest | CPU highest | wall median | CPU ÷ flate warm | wall ÷ flate warm |"
echo "|---|---|---|---|---|---|---|---|"
row() {
  python3 - "$@" <<'EOF'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
cpu = [r[0] for r in rows]
wall = [r[1] for r in rows]
def ratio(mine, i):
    return f"{mine / float(sys.argv[i]):.2f}×" if len(sys.argv) > i and sys.argv[i] else "–"
print(f"| {sys.argv[1]} | {len(rows)} | {statistics.median(cpu):.3f} s | {min(cpu):.3f} s | {max(cpu):.3f} s | {statistics.median(wall):.3f} s | {ratio(statistics.median(cpu), 3)} | {ratio(statistics.median(wall), 4)} |")
EOF
}
i=0
for b in "$@"; do
  i=$((i + 1))
  row "$b" "$work/bin$i/times" "$flate_cpu" "$flate_wall"
done
[ "${FLATE:-}" != 1 ] || row "flate v0.6.5 warm" "$work/flate/times" "$flate_cpu" "$flate_wall"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
