#!/usr/bin/env bash
# Benchmark: cold and warm `fluxlint check` of a repository whose
# HelmReleases take their charts from a chart repository on 127.0.0.1
# (tools/chartserve: N releases of K charts, by semver range and exact
# version, U of them on a host that never answers), with this tree's
# fluxlint and with BASE's (default: the merge base with main), each with a
# cache folder of its own. Prints the median wall time and CPU
# (user+sys, /usr/bin/time -v) of RUNS warm runs, the cold run, and the
# ratios. Not part of CI.
#
# Usage: bench/chartcache.sh [N] [RUNS]      e.g. bench/chartcache.sh 40 5
#   K (default 10) charts, U (default 4) unreachable releases,
#   BASE (default: git merge-base HEAD main) the revision to compare with.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40}
RUNS=${2:-5}
K=${K:-10}
U=${U:-4}
BASE=${BASE:-$(git merge-base HEAD main)}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/after" ./cmd/fluxlint
mkdir "$work/base-src"
git archive "$BASE" | tar -x -C "$work/base-src"
go -C "$work/base-src" build -o "$work/before" ./cmd/fluxlint
go -C tools build -o "$work/chartserve" ./chartserve

"$work/chartserve" -out "$work/repo" -n "$N" -charts "$K" -unreachable "$U" > "$work/server.out" &
server=$!
until grep -q ready "$work/server.out" 2>/dev/null; do sleep 0.1; done

run() { # binary cache label
  /usr/bin/time -v "$work/$1" check "$work/repo" --cache-dir "$work/cache-$1" --no-color -q \
    > /dev/null 2> "$work/time.$3" || true
}
for bin in before after; do
  run "$bin" "$bin" "$bin.cold"
  for i in $(seq "$RUNS"); do run "$bin" "$bin" "$bin.warm.$i"; done
done

python3 - "$work" "$RUNS" "$N" "$K" "$U" <<'PY'
import re, statistics, sys
work, runs, n, k, u = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def read(label):
    t = open(f"{work}/time.{label}").read()
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    cpu = float(re.search(r"User time.*: ([\d.]+)", t).group(1)) + float(re.search(r"System time.*: ([\d.]+)", t).group(1))
    return wall, cpu
rows = {}
for b in ("before", "after"):
    cold = read(f"{b}.cold")
    warm = [read(f"{b}.warm.{i}") for i in range(1, runs + 1)]
    rows[b] = (cold, (statistics.median(w for w, _ in warm), statistics.median(c for _, c in warm)))
print(f"{n} HelmReleases, {k} charts, {u} on a silent host; warm = median of {runs}")
print(f"{'':8} {'cold wall':>10} {'cold CPU':>10} {'warm wall':>10} {'warm CPU':>10}")
for b, ((cw, cc), (ww, wc)) in rows.items():
    print(f"{b:8} {cw:9.2f}s {cc:9.2f}s {ww:9.2f}s {wc:9.2f}s")
(bcw, bcc), (bww, bwc) = rows["before"]
(acw, acc), (aww, awc) = rows["after"]
print(f"{'ratio':8} {acw/bcw:9.2f}x {acc/bcc:9.2f}x {aww/bww:9.2f}x {awc/bwc:9.2f}x")
PY
