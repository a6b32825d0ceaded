"""Prints bench/real.sh's table: medians of the /usr/bin/time -v reports in
WORK/times/REPO/NAME.N, the chart server's requests (NAME.N.req) and the
ratios to flate beside issue 20's targets.

Usage: python3 bench/real/report.py WORK REPO...
"""
import json
import os
import re
import statistics
import sys

NAMES = ["fluxlint-cold", "fluxlint-warm", "fluxlint-one-change", "flate-cold", "flate-warm"]
# name: (flate run compared with, the most wall ÷ flate, the most CPU ÷ flate)
TARGETS = {
    "fluxlint-cold": ("flate-cold", 1.0, 0.5),
    "fluxlint-warm": ("flate-warm", 0.3, 0.3),
    "fluxlint-one-change": ("flate-warm", 0.5, 0.5),
}


def parse(path):
    t = open(path).read()
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    cpu = float(re.search(r"User time.*: ([\d.]+)", t).group(1)) + float(re.search(r"System time.*: ([\d.]+)", t).group(1))
    rss = int(re.search(r"Maximum resident set size.*: (\d+)", t).group(1)) / 1024
    req = path + ".req"
    return wall, cpu, rss, int(open(req).read().strip() or 0) if os.path.exists(req) else 0


def runs(d, name):
    return sorted(f for f in os.listdir(d) if re.fullmatch(re.escape(name) + r"\.\d+", f))


def ratio(value, base, limit):
    if not base:
        return "–"
    r = value / base
    return f"{r:.2f}× {'✓' if r <= limit else '✗'}"


def main():
    work, repos = sys.argv[1], sys.argv[2:]
    print("| repository | run | n | wall | CPU | peak RSS | chart requests | wall ÷ flate (target) | CPU ÷ flate (target) |")
    print("|---|---|---|---|---|---|---|---|---|")
    notes = []
    for repo in repos:
        d = os.path.join(work, "times", repo)
        med = {}
        for name in NAMES:
            files = runs(d, name)
            if not files:
                continue
            # A failed run (flate's, most likely) is left out of the medians.
            failed = [f for f in files if os.path.exists(os.path.join(d, f + ".failed"))]
            if failed:
                notes.append(f"{repo} {name}: {len(failed)} of {len(files)} runs failed (KEEP=1 keeps their output), left out")
            rows = [parse(os.path.join(d, f)) for f in files if f not in failed]
            if rows:
                med[name] = (len(rows),) + tuple(statistics.median(r[i] for r in rows) for i in range(4))
        for name, (n, wall, cpu, rss, req) in med.items():
            wall_r = cpu_r = ""
            if name in TARGETS:
                base, wall_max, cpu_max = TARGETS[name]
                b = med.get(base)
                wall_r = f"{ratio(wall, b and b[1], wall_max)} (≤ {wall_max}× {base})"
                cpu_r = f"{ratio(cpu, b and b[2], cpu_max)} (≤ {cpu_max}× {base})"
            print(f"| {repo} | {name} | {n} | {wall:.2f} s | {cpu:.2f} s | {rss:.0f} MiB | {req:.0f} | {wall_r} | {cpu_r} |")
        try:
            summary = json.load(open(os.path.join(work, f"summary-{repo}.json")))
            clusters = summary["clusters"]
            notes.append(f"{repo}: {len(clusters)} clusters, {sum(c['kustomizations'] for c in clusters)} Kustomizations, "
                         f"{sum(c['helmReleases'] for c in clusters)} HelmReleases ({sum(c['helmReleasesRendered'] for c in clusters)} rendered), "
                         f"{sum(c['objects'] for c in clusters)} objects")
        except (OSError, ValueError, KeyError):
            pass
        for name in ("fluxlint-cold", "fluxlint-warm", "fluxlint-one-change"):
            files = runs(d, name)
            stats = [line for line in open(os.path.join(d, files[-1])).read().splitlines() if "cache:" in line] if files else []
            if stats:
                notes.append(f"  {name} (last run) {stats[-1][stats[-1].index('cache:'):]}")
    print()
    for line in notes:
        print(line)


main()
