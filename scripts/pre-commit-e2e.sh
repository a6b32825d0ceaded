#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml with the real pre-commit tool
# (Debian's package, installed when missing).
#
# It copies this checkout, uncommitted changes included, into a throw-away
# hook repository, makes a GitOps repository of two clusters (prod and
# staging) that uses the hooks from it (repo: file://…, rev: the copy's
# commit), and measures the hook's install (pre-commit install-hooks, which
# builds fluxlint with go install ./...) and a warm commit. Then:
#   1. a broken YAML file   -> the fluxlint hook fails, the commit does not
#                              land, and the output is the findings only (-q);
#   2. the file fixed       -> the hook passes and the commit lands;
#   3. a non-YAML file      -> the hook is skipped;
#   4. with a schema error in staging (committed with --no-verify) and a good
#      change to prod staged: fluxlint-changed, run with pre-commit try-repo,
#      passes (staging is not reached) and fluxlint fails (it checks everything);
#   5. a broken change to prod staged: fluxlint-changed fails at that file;
#   6. a repository without a commit: fluxlint-changed checks everything.
# The commits run the fluxlint hook (SKIP=fluxlint-changed); the other runs
# use pre-commit run HOOK, and try-repo once (it installs the hook again, in
# a store of its own).
# Prints the timings and "N passed, N failed"; exits non-zero on any failure.
# E2E_COLD_GOCACHE=1 builds with an empty Go build cache (a first install on
# a new machine; modules still come from the module cache).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v pre-commit >/dev/null; then
  echo "--- installing pre-commit (Debian)"
  apt-get install -y pre-commit >/dev/null || { apt-get update >/dev/null && apt-get install -y pre-commit >/dev/null; }
fi
pre-commit --version

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# pre-commit's golang environment sets its own GOPATH: keep using the
# machine's module cache (and build cache, unless E2E_COLD_GOCACHE=1)
# instead of downloading everything again.
GOMODCACHE="${GOMODCACHE:-$(go env GOMODCACHE)}"
GOCACHE="${GOCACHE:-$(go env GOCACHE)}"
if [ "${E2E_COLD_GOCACHE:-}" = 1 ]; then GOCACHE="$work/gocache"; fi
export GOMODCACHE GOCACHE GOFLAGS="${GOFLAGS:-} -buildvcs=false"
export HOME="$work/home" PRE_COMMIT_HOME="$work/pre-commit-cache" XDG_CACHE_HOME="$work/cache"
mkdir -p "$HOME"
git config --global user.email e2e@example.com
git config --global user.name e2e
git config --global init.defaultBranch main

echo "--- hook repository: a copy of $here"
hooks="$work/fluxlint"
mkdir -p "$hooks"
(cd "$here" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf -) | tar -C "$hooks" -xf -
git -C "$hooks" init -q
git -C "$hooks" add -A
git -C "$hooks" commit -qm "fluxlint under test"
rev="$(git -C "$hooks" rev-parse HEAD)"

# cluster NAME writes a cluster whose Flux Kustomization applies apps/NAME.
cluster() {
  mkdir -p "clusters/$1" "apps/$1"
  cat > "clusters/$1/apps.yaml" <<EOF
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/$1
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
EOF
  cat > "apps/$1/namespace.yaml" <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: web
EOF
  service "$1" 80
}
service() { # CLUSTER PORT (a port that is not a number breaks the file)
  cat > "apps/$1/service.yaml" <<EOF
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  ports:
    - name: http
      port: $2
EOF
}
broken_service() {
  service "$1" '"eighty"'
  echo "      protocol: [TCP" >> "apps/$1/service.yaml"
}

echo "--- GitOps repository"
repo="$work/gitops"
mkdir -p "$repo"
cd "$repo"
git init -q
config() {
  cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: file://$hooks
    rev: $rev
    hooks:
      - id: fluxlint
      - id: fluxlint-changed
EOF
}
config
export SKIP=fluxlint-changed
cluster prod
cluster staging
pre-commit install >/dev/null
git add -A
echo "--- installing the hook environment (go install ./... in the hook repository)"
start=$(date +%s.%N)
pre-commit install-hooks
install_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
git commit -qm "start" || { echo "the first, clean commit failed"; exit 1; }

passed=0 failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

echo "--- a warm commit (a good change; the hook runs with fluxlint's cache filled)"
service prod 81
git add -A
start=$(date +%s.%N)
git commit -qm "warm" >"$work/out0" 2>&1 || fail "the warm commit of a good change failed"
warm_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')

echo "--- 1. a broken YAML file"
broken_service prod
git add -A
before="$(git rev-parse HEAD)"
if git commit -m "break the service" >"$work/out1" 2>&1; then
  fail "the commit of a broken file landed"
elif grep -q "apps/prod/service.yaml" "$work/out1" && grep -Eq "error .*\[yaml-" "$work/out1" && [ "$(git rev-parse HEAD)" = "$before" ]; then
  pass "the hook failed at apps/prod/service.yaml and the commit did not land"
else
  fail "the commit failed, but not with a YAML finding at apps/prod/service.yaml"
fi
# -q: every line of fluxlint's output is a finding (FILE:LINE:COL: ...),
# between pre-commit's own lines (each hook's name and result, "- hook id",
# "- exit code").
if grep -vE '^(fluxlint.*\.\.\.\.|- hook id: |- exit code: |$)' "$work/out1" | grep -vqE '^[^ :]+:[0-9]+:[0-9]+: '; then
  fail "the hook printed more than findings"
else
  pass "the hook printed only findings"
fi
sed 's/^/    /' "$work/out1"

echo "--- 2. the file fixed"
service prod 8080
git add -A
if git commit -m "fix the service" >"$work/out2" 2>&1; then pass "the hook passed and the commit landed"; else fail "the commit of a good file failed"; fi
sed 's/^/    /' "$work/out2"

echo "--- 3. a commit without YAML"
echo "# gitops" > README.md
git add README.md
if git commit -m "readme" >"$work/out3" 2>&1 && grep -qE "^fluxlint\.+\(no files to check\)Skipped" "$work/out3"; then
  pass "the hook was skipped"
else
  fail "the hook ran or failed on a commit without YAML"
fi
sed 's/^/    /' "$work/out3"

echo "--- 4. staging broken in HEAD, a good change to prod staged (pre-commit try-repo)"
# A schema error, not a YAML one: a build that fails makes every change
# reach its cluster (what it reads is unknown), so that would be checked.
service staging '"eighty"'
git add -A
git commit -q --no-verify -m "staging broken, committed without the hook"
service prod 8081
git add -A
if pre-commit try-repo "$hooks" fluxlint-changed --ref "$rev" >"$work/out4" 2>&1; then
  pass "fluxlint-changed passed: the change reaches prod only"
else
  fail "fluxlint-changed failed on a change to prod while only staging is broken"
fi
sed 's/^/    /' "$work/out4"
if SKIP='' pre-commit run fluxlint >"$work/out4b" 2>&1; then
  fail "fluxlint passed with staging broken"
elif grep -q "apps/staging/service.yaml" "$work/out4b"; then
  pass "fluxlint failed at apps/staging/service.yaml"
else
  fail "fluxlint failed, but not at apps/staging/service.yaml"
fi

echo "--- 5. a broken change to prod staged"
broken_service prod
git add -A
if SKIP='' pre-commit run fluxlint-changed >"$work/out5" 2>&1; then
  fail "fluxlint-changed passed a broken change to prod"
elif grep -q "apps/prod/service.yaml" "$work/out5"; then
  pass "fluxlint-changed failed at apps/prod/service.yaml"
else
  fail "fluxlint-changed failed, but not at apps/prod/service.yaml"
fi
sed 's/^/    /' "$work/out5"

echo "--- 6. fluxlint-changed in a repository without a commit"
mkdir -p "$work/fresh"
cd "$work/fresh"
git init -q
config
cluster prod
git add -A
if SKIP='' pre-commit run fluxlint-changed >"$work/out6" 2>&1; then
  pass "fluxlint-changed checked a repository without a commit"
else
  fail "fluxlint-changed failed in a repository without a commit"
fi
sed 's/^/    /' "$work/out6"

printf 'hook install (go install ./...): %.1f s%s; warm commit: %.2f s\n' "$install_s" \
  "$([ "${E2E_COLD_GOCACHE:-}" = 1 ] && echo ', empty Go build cache' || echo ', warm Go build cache')" "$warm_s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
