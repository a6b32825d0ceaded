#!/bin/sh
# compare-conftest.sh compares fluxlint's verdicts with conftest's on the
# conftest-style policy folder testdata/policies/conftest (package main,
# deny/violation/warn, a data file). It is not part of CI: it needs conftest
# v0.71.1 (go install github.com/open-policy-agent/conftest@v0.71.1), found
# on PATH or named by $CONFTEST. Exit 0 when both tools report the same
# failures and warnings, with the same messages, for the same files.
set -eu
cd "$(dirname "$0")/.."
conftest=${CONFTEST:-conftest}
dir=testdata/policies/conftest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$conftest" --version
"$conftest" test --no-color --output json --policy "$dir/policy" --data "$dir/data" "$dir"/repo/manifests/*.yaml >"$tmp/conftest.json" || true
go build -o "$tmp/fluxlint" ./cmd/fluxlint
"$tmp/fluxlint" check "$dir/repo" --cluster m=manifests --offline --format json \
	--policy "$dir/policy" --data "$dir/data" >"$tmp/fluxlint.json" || true

python3 - "$tmp/conftest.json" "$tmp/fluxlint.json" <<'PY'
import json, os, sys

conftest = set()
for result in json.load(open(sys.argv[1])):
    name = os.path.basename(result["filename"])
    for kind, severity in (("failures", "error"), ("warnings", "warning")):
        for r in result.get(kind) or []:
            conftest.add((name, severity, r["msg"]))

fluxlint = set()
for f in json.load(open(sys.argv[2]))["findings"]:
    if f["rule"].startswith("policy-main-"):
        fluxlint.add((os.path.basename(f["position"]["file"]), f["severity"], f["message"]))

for v in sorted(conftest | fluxlint):
    mark = "=" if v in conftest and v in fluxlint else ("conftest only" if v in conftest else "fluxlint only")
    print(f"{mark:14} {v[0]:16} {v[1]:8} {v[2]}")
print(f"conftest {len(conftest)} verdicts, fluxlint {len(fluxlint)}, same {len(conftest & fluxlint)}")
sys.exit(0 if conftest == fluxlint else 1)
PY
