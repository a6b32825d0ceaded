#!/usr/bin/env bash
# Benchmark: check --shard I/N on a generated fleet (tools/genrepo, 20
# clusters by default): the whole check, then each of N shards, every run
# cold (an empty cache folder) under /usr/bin/time -v. Prints each run's
# wall time, CPU (user+sys) and peak RSS, each shard's share of the whole,
# and checks that the shards' clusters together are the whole run's, each
# once. Not part of CI.
#
# Usage: bench/shard.sh [APPS] [SHARDS]      e.g. bench/shard.sh 50 4
#   APPS      apps per cluster (default 50)
#   SHARDS    number of shards (default 4)
#   CLUSTERS  clusters of the fleet (default 20)
#   NAMED=1   name every cluster with --cluster (as clusters: in .fluxlint.yaml
#             would): shards are then dealt out without a render of the fleet
#   WARM=1    every run starts from a copy of a cache folder that a whole
#             check of the fleet filled before one overlay file of one
#             cluster changed, as a CI cache restored from the last commit's
#             run would be (instead of an empty cache folder)
#   FLUXLINT  a fluxlint binary to measure instead of a build of this tree
#   KEEP=1    keep the work folder
#
# Needs go, python3 and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
APPS=${1:-${APPS:-50}}
SHARDS=${2:-${SHARDS:-4}}
CLUSTERS=${CLUSTERS:-20}
work=$(mktemp -d)
if [ "${KEEP:-}" = 1 ]; then echo "work folder: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
if [ -n "${FLUXLINT:-}" ]; then cp "$FLUXLINT" "$work/fluxlint"; else go build -o "$work/fluxlint" ./cmd/fluxlint; fi
repo=$work/repo
go -C tools run ./genrepo -out "$repo" -clusters "$CLUSTERS" -apps "$APPS" >/dev/null

# run NAME ARGS...: one cold check under /usr/bin/time -v; its JSON output
# to $work/NAME.json, the report to $work/NAME.time.
run() {
  local name=$1 rc=0
  shift
  rm -rf "$work/cache"
  if [ "${WARM:-}" = 1 ]; then cp -a "$work/warm" "$work/cache"; fi
  XDG_CACHE_HOME=$work/cache/xdg /usr/bin/time -v "$work/fluxlint" check --offline --cache-dir "$work/cache" \
    --format json "$repo" "$@" >"$work/$name.json" 2>"$work/$name.time" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "$name failed with exit code $rc:" >&2
    tail -5 "$work/$name.time" >&2
    exit 1
  fi
}

named=()
if [ "${NAMED:-}" = 1 ]; then
  for d in "$repo"/clusters/*/; do
    c=$(basename "$d")
    named+=(--cluster "$c=clusters/$c")
  done
fi
if [ "${WARM:-}" = 1 ]; then
  XDG_CACHE_HOME=$work/warm/xdg "$work/fluxlint" check --offline -q --cache-dir "$work/warm" "$repo" "${named[@]}" >/dev/null || [ $? -le 1 ]
  echo "# changed after the cache was filled" >>"$repo/apps/overlays/cluster-00/app-0000/deployment-patch.yaml"
fi
run whole "${named[@]}"
for i in $(seq "$SHARDS"); do run "shard-$i" --shard "$i/$SHARDS" "${named[@]}"; done

state="each run cold"
if [ "${WARM:-}" = 1 ]; then state="each run from the cache of the last commit (one overlay file of cluster-00 changed since)"; fi
python3 - "$work" "$SHARDS" "$CLUSTERS" "$APPS" "$state" <<'PY'
import json, re, sys
work, shards, clusters, apps, state = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
def times(name):
    t = open(f"{work}/{name}.time").read()
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    cpu = float(re.search(r"User time.*: ([\d.]+)", t).group(1)) + float(re.search(r"System time.*: ([\d.]+)", t).group(1))
    rss = int(re.search(r"Maximum resident set size.*: (\d+)", t).group(1)) / 1024
    return wall, cpu, rss
def out(name):
    return json.load(open(f"{work}/{name}.json"))
whole = times("whole")
w = out("whole")
print(f"{clusters} clusters x {apps} apps, {shards} shards, {state}")
print("| run | clusters | objects | wall | CPU | peak RSS | wall ÷ whole | CPU ÷ whole |")
print("|---|---|---|---|---|---|---|---|")
print(f"| whole | {w['summary']['clusters']} | {w['summary']['objects']} | {whole[0]:.2f} s | {whole[1]:.2f} s | {whole[2]:.0f} MiB | 1.00 | 1.00 |")
seen, findings = [], 0
for i in range(1, shards + 1):
    t, o = times(f"shard-{i}"), out(f"shard-{i}")
    seen += [c["name"] for c in o["clusters"]]
    findings += len(o["findings"])
    print(f"| shard {i}/{shards} | {o['summary']['clusters']} | {o['summary']['objects']} | {t[0]:.2f} s | {t[1]:.2f} s | {t[2]:.0f} MiB | {t[0] / whole[0]:.2f} | {t[1] / whole[1]:.2f} |")
want = sorted(c["name"] for c in w["clusters"])
ok = sorted(seen) == want
print(f"\nshards cover every cluster once: {'yes' if ok else 'NO'}; findings: whole {len(w['findings'])}, shards together {findings}")
if not ok:
    sys.exit(1)
PY
echo
echo "$(date -u +%F), $(nproc) cores, $(go version | cut -d' ' -f3), load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
