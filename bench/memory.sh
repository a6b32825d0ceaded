#!/usr/bin/env bash
# Benchmark: peak memory and CPU of fluxlint's cold check of generated Flux
# monorepos (tools/genrepo) at several sizes, as bench/run.sh measures its
# cold run (an empty cache folder). Prints, per size: peak RSS, CPU
# (user+sys), wall time and CPU per app, each the median of RUNS runs under
# /usr/bin/time -v. With BASE set to another fluxlint binary (e.g. one built
# from main), both binaries are measured one after the other, size by size,
# in the same run, with the ratios new ÷ base. Not part of CI.
#
# Usage: bench/memory.sh [SIZES] [RUNS]      e.g. bench/memory.sh "100 1000 3000" 1
#   SIZES     app deployments per repository: clusters × apps (default "100 1000 3000")
#   RUNS      runs per measurement (default 1)
#   CLUSTERS  clusters of each repository (default 2, as bench/run.sh);
#             apps per cluster = SIZE / CLUSTERS
#   BASE      a fluxlint binary to compare with (optional)
#   KEEP=1    keep the work folder
#
# Needs go, python3 and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-${SIZES:-"100 1000 3000"}}
RUNS=${2:-${RUNS:-1}}
CLUSTERS=${CLUSTERS:-2}
work=$(mktemp -d)
if [ "${KEEP:-}" = 1 ]; then echo "work folder: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
go build -o "$work/new" ./cmd/fluxlint
bins=(new)
if [ -n "${BASE:-}" ]; then
  cp "$BASE" "$work/base"
  bins=(base new)
fi

: >"$work/rows"
for size in $SIZES; do
  apps=$((size / CLUSTERS))
  repo=$work/repo-$size
  go -C tools run ./genrepo -out "$repo" -clusters "$CLUSTERS" -apps "$apps" >/dev/null
  for i in $(seq "$RUNS"); do
    for bin in "${bins[@]}"; do
      cache=$work/cache
      rm -rf "$cache"
      rc=0
      XDG_CACHE_HOME=$cache/xdg /usr/bin/time -v "$work/$bin" check --offline -q --cache-dir "$cache" "$repo" \
        >/dev/null 2>"$work/time" || rc=$?
      if [ "$rc" -gt 1 ]; then
        echo "$bin (size $size) failed with exit code $rc:" >&2
        tail -5 "$work/time" >&2
        exit 1
      fi
      python3 - "$work/time" "$bin" "$size" >>"$work/rows" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
cpu = float(re.search(r"User time.*: ([\d.]+)", t).group(1)) + float(re.search(r"System time.*: ([\d.]+)", t).group(1))
rss = int(re.search(r"Maximum resident set size.*: (\d+)", t).group(1)) / 1024
print(sys.argv[2], sys.argv[3], f"{rss:.1f}", f"{cpu:.2f}", f"{wall:.2f}")
PY
      tail -1 "$work/rows" >&2
    done
  done
  rm -rf "$repo"
done

python3 - "$work/rows" "$CLUSTERS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
clusters = sys.argv[2]
med = {}
for bin, size, rss, cpu, wall in rows:
    med.setdefault((bin, int(size)), []).append((float(rss), float(cpu), float(wall)))
med = {k: tuple(statistics.median(r[i] for r in v) for i in range(3)) for k, v in med.items()}
print(f"| binary | apps ({clusters} clusters) | peak RSS | CPU | wall | CPU per app | RSS per app | RSS ÷ base | CPU ÷ base |")
print("|---|---|---|---|---|---|---|---|---|")
for (bin, size), (rss, cpu, wall) in sorted(med.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    base = med.get(("base", size))
    ratio = f"{rss / base[0]:.2f}× | {cpu / base[1]:.2f}×" if base and bin != "base" else "– | –"
    print(f"| {bin} | {size} | {rss:.0f} MiB | {cpu:.2f} s | {wall:.2f} s | {1000 * cpu / size:.1f} ms | {1024 * rss / size:.0f} KiB | {ratio} |")
PY
echo
echo "$(date -u +%F), $(nproc) cores, $(go version | cut -d' ' -f3), load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
