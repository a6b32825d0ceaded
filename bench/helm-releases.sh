#!/usr/bin/env bash
# Benchmark: fluxlint renders N HelmReleases of one chart with different
# values, beside `helm template` run N times on the same chart and values.
# Prints wall time, CPU and peak RSS (median of RUNS runs) of both.
# Not part of CI. Needs /usr/bin/time and installs helm v4.3.1 with go.
# Usage: bench/helm-releases.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
RUNS=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$(go env GOPATH)/bin:$PATH"
command -v helm >/dev/null || go install helm.sh/helm/v4/cmd/helm@v4.3.1
go build -o "$work/fluxlint" ./cmd/fluxlint
go -C tools run ./genhelm -out "$work/repo" -n "$N"

fluxlint_run() {
  "$work/fluxlint" render "$work/repo" --cluster bench --offline --cache-dir "$work/cache" > "$work/fluxlint.out"
}
helm_run() {
  for f in "$work"/repo/values/*.yaml; do
    name=$(basename "$f" .yaml)
    helm template "$name" "$work/repo/charts/app" -n bench -f "$f" > /dev/null
  done
}
measure() { # name function
  local name=$1 fn=$2 i
  for i in $(seq "$RUNS"); do
    /usr/bin/time -v bash -c "$(declare -f "$fn"); work='$work'; N='$N'; $fn" 2> "$work/time.$name.$i" >/dev/null
  done
  python3 - "$name" "$work" "$RUNS" <<'PY'
import re, statistics, sys
name, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
wall, cpu, rss = [], [], []
for i in range(1, runs + 1):
    t = open(f"{work}/time.{name}.{i}").read()
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    h = int(m.group(1) or 0); wall.append(h * 3600 + int(m.group(2)) * 60 + float(m.group(3)))
    cpu.append(float(re.search(r"User time.*: ([\d.]+)", t).group(1)) + float(re.search(r"System time.*: ([\d.]+)", t).group(1)))
    rss.append(int(re.search(r"Maximum resident set size.*: (\d+)", t).group(1)) / 1024)
print(f"| {name} | {statistics.median(wall):.2f} s | {statistics.median(cpu):.2f} s | {statistics.median(rss):.0f} MiB |")
PY
}
fluxlint_run
echo "rendered objects: $(grep -c '^kind:' "$work/fluxlint.out") (N=$N)"
echo "| tool | wall | CPU | peak RSS |"
echo "|---|---|---|---|"
measure fluxlint fluxlint_run
measure helm helm_run
