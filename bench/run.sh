#!/usr/bin/env bash
# Benchmark: fluxlint's full check of a generated Flux monorepo (tools/genrepo)
# at several sizes, cold (empty cache), warm (nothing changed) and after one
# app's file changed, beside flate v0.6.5 rendering the same repository and
# the classic pipeline, `kustomize build | kubeconform` per overlay.
# Prints a table of medians of RUNS runs: wall time, CPU (user+sys) and peak
# RSS from /usr/bin/time -v, and the ratios to flate. Not part of CI.
#
# Usage: bench/run.sh [SIZES] [RUNS]      e.g. bench/run.sh "10 100 1000" 5
#   SIZES    app deployments per repository: clusters × apps (default "10 100 1000")
#   RUNS     runs per measurement (default 5); RUNS_LARGE for sizes ≥ 1000 (default RUNS)
#   CLUSTERS clusters of each repository (default 2); apps per cluster = SIZE / CLUSTERS
#   BENCH_BIN where flate, kustomize and kubeconform are installed if missing
#            (default ${XDG_CACHE_HOME:-~/.cache}/fluxlint-bench/bin)
#   KEEP=1   keep the work folder (repositories, /usr/bin/time outputs)
#
# Needs go, python3 and /usr/bin/time. flate v0.6.5 needs Go 1.27: it is
# installed with GOTOOLCHAIN=go1.27.3 for that install only.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-${SIZES:-"10 100 1000"}}
RUNS=${2:-${RUNS:-5}}
RUNS_LARGE=${RUNS_LARGE:-$RUNS}
CLUSTERS=${CLUSTERS:-2}
BIN=${BENCH_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/fluxlint-bench/bin}
work=$(mktemp -d)
if [ "${KEEP:-}" = 1 ]; then echo "work folder: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$BIN" "$work/times"

# Tools.
go build -o "$work/fluxlint" ./cmd/fluxlint
if [ ! -x "$BIN/flate" ]; then
  echo "installing flate v0.6.5 (GOTOOLCHAIN=go1.27.3)" >&2
  GOBIN=$BIN GOTOOLCHAIN=go1.27.3 go install github.com/home-operations/flate/cmd/flate@v0.6.5 ||
    echo "flate: install failed (is the go1.27.3 toolchain reachable?); its rows are left out" >&2
fi
[ -x "$BIN/kustomize" ] || GOBIN=$BIN go install sigs.k8s.io/kustomize/kustomize/v5@v5.8.0
[ -x "$BIN/kubeconform" ] || GOBIN=$BIN go install github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0
have_flate=0
[ -x "$BIN/flate" ] && have_flate=1

# kubeconform's schemas, offline: kubeconform-style files made from the
# schemas fluxlint embeds (tools/genobjects), so that both validate against
# the same schemas. Without them kubeconform skips every kind.
kc_flags=(-schema-location "$work/kc/schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json")
if ! go -C tools run ./genobjects -out "$work/kc" -n 1 >/dev/null 2>&1; then
  echo "kubeconform: no offline schemas (tools/genobjects failed): run with -ignore-missing-schemas" >&2
  kc_flags=(-schema-location "$work/kc/none/{{ .ResourceKind }}.json" -ignore-missing-schemas)
fi
# The classic pipeline, as a script of its own for /usr/bin/time: kustomize
# build of every overlay of the repository piped into kubeconform.
{
  echo '#!/usr/bin/env bash'
  echo 'set -euo pipefail'
  echo 'for d in "$1"/apps/overlays/*/*/; do'
  echo "  '$BIN/kustomize' build \"\$d\" | '$BIN/kubeconform' -strict -summary $(printf '%q ' "${kc_flags[@]}")- >/dev/null"
  echo 'done'
} >"$work/classic.sh"
chmod +x "$work/classic.sh"

# measure NAME SIZE CMD...: one run of CMD under /usr/bin/time -v, its
# stdout to $work/out, the report to $work/times/SIZE/NAME.N. Exit code 1
# of fluxlint check means findings, not a failure; of the others it fails.
measure() {
  local name=$1 size=$2 dir="$work/times/$2" n rc=0
  shift 2
  mkdir -p "$dir"
  n=$(($(ls "$dir" | grep -c "^$name\." || true) + 1))
  /usr/bin/time -v "$@" >"$work/out" 2>"$dir/$name.$n" || rc=$?
  if [ "$rc" -gt 1 ] || { [ "$rc" = 1 ] && [[ $name != fluxlint-* ]]; }; then
    echo "$name (size $size) failed with exit code $rc:" >&2
    tail -5 "$dir/$name.$n" >&2
    return 1
  fi
}


cat >"$work/report.py" <<'PY'
import os, re, statistics, sys
work, sizes = sys.argv[1], sys.argv[2].split()
def parse(path):
    t = open(path).read()
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    cpu = float(re.search(r"User time.*: ([\d.]+)", t).group(1)) + float(re.search(r"System time.*: ([\d.]+)", t).group(1))
    rss = int(re.search(r"Maximum resident set size.*: (\d+)", t).group(1)) / 1024
    return wall, cpu, rss
names = ["fluxlint-cold", "fluxlint-warm", "fluxlint-one-change", "flate-cold", "flate-warm", "kustomize+kubeconform"]
print("| size | run | n | wall | CPU | peak RSS | wall ÷ flate | CPU ÷ flate |  (÷ flate: warm runs ÷ flate warm, others ÷ flate cold)")
print("|---|---|---|---|---|---|---|---|")
per_object, notes = {}, []
for size in sizes:
    d = os.path.join(work, "times", size)
    med = {}
    for name in names:
        files = sorted(f for f in os.listdir(d) if f.startswith(name + "."))
        if not files:
            continue
        rows = [parse(os.path.join(d, f)) for f in files]
        med[name] = (len(rows),) + tuple(statistics.median(r[i] for r in rows) for i in range(3))
    for name, (n, wall, cpu, rss) in med.items():
        # Warm runs are compared with flate's warm run, the others with its cold one.
        flate = med.get("flate-warm" if name in ("fluxlint-warm", "fluxlint-one-change") else "flate-cold")
        ratio = f"{wall / flate[1]:.2f}× | {cpu / flate[2]:.2f}×" if flate and flate[1] > 0 and flate[2] > 0 else "– | –"
        print(f"| {size} | {name} | {n} | {wall:.2f} s | {cpu:.2f} s | {rss:.0f} MiB | {ratio} |")
    summary = open(os.path.join(work, f"summary-{size}")).read()
    m = re.search(r"(\d+) objects", summary)
    if m and "fluxlint-cold" in med:
        per_object[size] = (int(m.group(1)), med["fluxlint-cold"][1], med["fluxlint-cold"][2])
    if "fluxlint-cold" in med and "fluxlint-warm" in med:
        c, w, o = med["fluxlint-cold"], med["fluxlint-warm"], med.get("fluxlint-one-change")
        line = f"size {size}: warm is {c[1] / w[1]:.1f}× faster than cold (wall), {c[2] / w[2]:.1f}× (CPU)"
        if o:
            line += f"; one change {o[1]:.2f} s wall, {o[2]:.2f} s CPU"
        if "flate-cold" in med:
            f = med["flate-cold"]
            line += f"; fluxlint warm ÷ flate cold {w[1] / f[1]:.2f}× wall, {w[2] / f[2]:.2f}× CPU"
        notes.append(line)
        for name in ("fluxlint-cold", "fluxlint-warm", "fluxlint-one-change"):
            files = sorted(f for f in os.listdir(d) if f.startswith(name + "."))
            stats = [l for l in open(os.path.join(d, files[-1])).read().splitlines() if "cache:" in l] if files else []
            if stats:
                notes.append(f"  {name} (last run) {stats[-1][stats[-1].index('cache:'):]}")
print()
for line in notes:
    print(line)
if per_object:
    print("\ncold check per rendered object (fluxlint's object count):")
    for size, (objs, wall, cpu) in per_object.items():
        print(f"  size {size}: {objs} objects, {1000 * wall / objs:.2f} ms wall, {1000 * cpu / objs:.2f} ms CPU per object")
    if "100" in per_object and "1000" in per_object:
        a, b = per_object["100"], per_object["1000"]
        print(f"  100 → 1000: per-object wall {100 * ((b[1] / b[0]) / (a[1] / a[0]) - 1):+.0f} %, CPU {100 * ((b[2] / b[0]) / (a[2] / a[0]) - 1):+.0f} %")
PY

# flate renders one cluster a run (--path is the cluster's folder, the
# repository's root is found by its .git), so a flate run renders each.
{
  echo '#!/usr/bin/env bash'
  echo 'set -euo pipefail'
  echo 'for c in "$2"/clusters/*/; do'
  echo "  HOME=\"\$1/home\" XDG_CACHE_HOME=\"\$1/xdg\" '$BIN/flate' build all --no-progress --cache-dir \"\$1\" --path \"\$c\" >/dev/null"
  echo 'done'
} >"$work/flate.sh"
chmod +x "$work/flate.sh"

done_sizes=""
for size in $SIZES; do
  apps=$((size / CLUSTERS))
  runs=$RUNS
  [ "$size" -ge 1000 ] && runs=$RUNS_LARGE
  repo=$work/repo-$size
  go -C tools run ./genrepo -out "$repo" -clusters "$CLUSTERS" -apps "$apps"
  git -C "$repo" init -q # flate finds the repository's root by it
  changed=$repo/apps/base/app-0000/deployment.yaml
  cp "$changed" "$work/changed.orig"
  # The rendered objects, for time per object.
  XDG_CACHE_HOME=$work/cache-count "$work/fluxlint" check --offline --cache-dir "$work/cache-count" "$repo" |
    tail -1 >"$work/summary-$size" || true
  rm -rf "$work/cache-count"
  echo "size $size ($CLUSTERS clusters × $apps apps): $(cat "$work/summary-$size"); $runs runs" >&2
  for i in $(seq "$runs"); do
    cache=$work/cache-$size
    rm -rf "$cache"
    # FLUXLINT_STATS prints the cache lookups that hit ("cache: ...") to
    # stderr, into the /usr/bin/time report.
    fluxlint=(env FLUXLINT_STATS=1 XDG_CACHE_HOME="$cache/xdg" "$work/fluxlint" check --offline -q --cache-dir "$cache" "$repo")
    measure fluxlint-cold "$size" "${fluxlint[@]}"
    measure fluxlint-warm "$size" "${fluxlint[@]}"
    # One app's file changes: its Deployment's image tag, different each run.
    sed "s/:1\.0\.0$/:1.0.$i/" "$work/changed.orig" >"$changed"
    measure fluxlint-one-change "$size" "${fluxlint[@]}"
    cp "$work/changed.orig" "$changed"
    if [ "$have_flate" = 1 ]; then
      rm -rf "$work/flate-cache"
      measure flate-cold "$size" "$work/flate.sh" "$work/flate-cache" "$repo"
      measure flate-warm "$size" "$work/flate.sh" "$work/flate-cache" "$repo"
    fi
    measure kustomize+kubeconform "$size" "$work/classic.sh" "$repo"
  done
  rm -rf "$repo" "$work/cache-$size" "$work/flate-cache"
  done_sizes="$done_sizes $size"
  python3 "$work/report.py" "$work" "$done_sizes" >"$work/table.md"
  cat "$work/table.md" >&2
  echo >&2
done

cat "$work/table.md"
echo
echo "$(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go version | cut -d' ' -f3), load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
