#!/usr/bin/env bash
# Benchmark: schema validation of N objects (default 10,000: Deployments,
# Services, ConfigMaps, ServiceAccounts, Ingresses and Flux Kustomizations,
# HelmReleases, GitRepositories and HelmRepositories, from tools/genobjects)
# by fluxlint beside kubeconform v0.8.0 on the same objects, with local JSON
# schemas that tools/genobjects makes from the schemas fluxlint embeds
# (Kubernetes 1.37 and the newest Flux release), in the same run.
#
# Rows:
#   kubeconform        kubeconform -strict on the objects' folder
#   fluxlint schema    tools/schemavalidate: fluxlint's validator alone
#                      (JSON schemas and the Flux CRDs' CEL rules) on the
#                      same folder
#   fluxlint check     the whole of fluxlint check on a repository whose one
#                      cluster applies the objects with 100 Flux
#                      Kustomizations: kustomize builds, references, policies
#                      and schemas (--no-cache: nothing from earlier runs)
#   fluxlint check, cached   the same, reusing the findings that the run
#                      before kept in the cache folder (unchanged files)
# Prints the median of RUNS runs of wall time, CPU time (user+system),
# objects per second of wall time and of CPU time (steadier than wall time
# on a busy machine) and peak RSS (/usr/bin/time -v), then the
# Go benchmark of the validator (objects per second on one core).
# Not part of CI. Needs /usr/bin/time and python3; installs kubeconform
# with go install. Usage: bench/validate.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$(go env GOPATH)/bin:$PATH"
command -v kubeconform >/dev/null || go install github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
go build -o "$work/fluxlint" ./cmd/fluxlint
go -C tools build -o "$work/schemavalidate" ./schemavalidate
go -C tools run ./genobjects -out "$work" -n "$N" -kubernetes-version 1.37

kubeconform_run() {
  kubeconform -strict -summary -kubernetes-version 1.37.0 \
    -schema-location "$work/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$work/repo/apps"
}
schema_run() {
  "$work/schemavalidate" -kubernetes-version 1.37 "$work/repo/apps"
}
check_run() {
  "$work/fluxlint" check "$work/repo" --offline --kubernetes-version 1.37 --cache-dir "$work/cache" \
    --no-cache --format json
}
cached_check_run() {
  "$work/fluxlint" check "$work/repo" --offline --kubernetes-version 1.37 --cache-dir "$work/cache" \
    --format json
}

# Each tool must find every object valid before it is timed.
kubeconform_run | tail -1
schema_run
check_run > "$work/check.json" || true
cached_check_run > /dev/null || true # fills the cache
python3 - "$work/check.json" "$N" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
schema = [f for f in d["findings"] if f["rule"].startswith("schema-")]
print(f"fluxlint check: {d['summary']['objects']} objects, {len(schema)} schema findings, "
      f"{d['summary']['errors']} errors, {d['summary']['warnings']} warnings (sources and charts are offline)")
if schema or d["summary"]["objects"] < int(sys.argv[2]):
    sys.exit("fluxlint check did not validate every object cleanly")
PY

measure() { # label function
  local label=$1 fn=$2 i
  for i in $(seq "$RUNS"); do
    /usr/bin/time -v bash -c "$(declare -f "$fn"); work='$work'; $fn" 2> "$work/time.$fn.$i" >/dev/null || true
  done
  python3 - "$label" "$work" "$fn" "$RUNS" "$N" <<'PY'
import re, statistics, sys
label, work, fn, runs, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
wall, cpu, rss = [], [], []
for i in range(1, runs + 1):
    t = open(f"{work}/time.{fn}.{i}").read()
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    wall.append(int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3)))
    cpu.append(float(re.search(r"User time.*: ([\d.]+)", t).group(1)) + float(re.search(r"System time.*: ([\d.]+)", t).group(1)))
    rss.append(int(re.search(r"Maximum resident set size.*: (\d+)", t).group(1)) / 1024)
w, c = statistics.median(wall), statistics.median(cpu)
print(f"| {label} | {w:.2f} s | {c:.2f} s | {n / w:,.0f} | {n / c:,.0f} | {statistics.median(rss):.0f} MiB |")
PY
}
echo
echo "$N objects, median of $RUNS runs, $(nproc) cores"
echo "| tool | wall | CPU | objects/s | objects/CPU-s | peak RSS |"
echo "|---|---|---|---|---|---|"
measure "kubeconform v0.8.0 -strict" kubeconform_run
measure "fluxlint schema validation" schema_run
measure "fluxlint check (everything)" check_run
measure "fluxlint check, cached" cached_check_run
echo
go test ./internal/schema -run '^$' -bench 'ValidateMixed' -benchtime 3s | grep Benchmark
