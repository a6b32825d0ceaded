#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml with the real pre-commit tool
# (Debian's package; not part of CI: it builds fluxlint through pre-commit,
# which takes minutes).
#
# It copies this checkout, uncommitted changes included, into a throw-away
# hook repository, makes a scenario GitOps repository that uses the hook
# from it (repo: file://…, rev: the copy's commit), then commits:
#   1. a broken YAML file   -> the hook must fail and the commit must not land;
#   2. a good change to it   -> the hook must pass and the commit must land;
#   3. a non-YAML file       -> the hook must be skipped.
# Prints "N passed, N failed" and exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v pre-commit >/dev/null; then
  echo "--- installing pre-commit (Debian)"
  apt-get install -y pre-commit >/dev/null || { apt-get update >/dev/null && apt-get install -y pre-commit >/dev/null; }
fi
pre-commit --version

# pre-commit's golang environment sets its own GOPATH: keep using the
# machine's module and build caches instead of downloading and compiling
# everything again.
GOMODCACHE="${GOMODCACHE:-$(go env GOMODCACHE)}"
GOCACHE="${GOCACHE:-$(go env GOCACHE)}"
export GOMODCACHE GOCACHE GOFLAGS="${GOFLAGS:-} -buildvcs=false"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
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

echo "--- scenario repository"
repo="$work/gitops"
mkdir -p "$repo/clusters/prod" "$repo/apps"
cd "$repo"
git init -q
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: file://$hooks
    rev: $rev
    hooks:
      - id: fluxlint
EOF
cat > clusters/prod/apps.yaml <<'EOF'
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
EOF
cat > apps/namespace.yaml <<'EOF'
apiVersion: v1
kind: Namespace
metadata:
  name: web
EOF
good_service() {
  cat > apps/service.yaml <<'EOF'
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  ports:
    - name: http
      port: 80
EOF
}
good_service
pre-commit install >/dev/null
git add -A
echo "--- installing the hook environment (builds fluxlint)"
pre-commit install-hooks
git commit -qm "start" || { echo "the first, clean commit failed"; exit 1; }

passed=0 failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

echo "--- 1. a broken YAML file"
cat > apps/service.yaml <<'EOF'
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  ports:
    - name: http
      port: "eighty"
      protocol: [TCP
EOF
git add apps/service.yaml
before="$(git rev-parse HEAD)"
if git commit -m "break the service" >"$work/out1" 2>&1; then
  fail "the commit of a broken file landed"
else
  if grep -q "apps/service.yaml" "$work/out1" && grep -Eq "error .*\[yaml-" "$work/out1" && [ "$(git rev-parse HEAD)" = "$before" ]; then
    pass "the hook failed at apps/service.yaml and the commit did not land"
  else
    fail "the commit failed, but not with a YAML finding at apps/service.yaml"
  fi
fi
sed 's/^/    /' "$work/out1"

echo "--- 2. the file fixed (another port than the first commit's)"
good_service
sed -i 's/port: 80/port: 8080/' apps/service.yaml
git add apps/service.yaml
if git commit -m "fix the service" >"$work/out2" 2>&1; then
  pass "the hook passed and the commit landed"
else
  fail "the commit of a good file failed"
fi
sed 's/^/    /' "$work/out2"

echo "--- 3. a commit without YAML"
echo "# gitops" > README.md
git add README.md
if git commit -m "readme" >"$work/out3" 2>&1 && grep -q "fluxlint.*Skipped" "$work/out3"; then
  pass "the hook was skipped"
else
  fail "the hook ran or failed on a commit without YAML"
fi
sed 's/^/    /' "$work/out3"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
