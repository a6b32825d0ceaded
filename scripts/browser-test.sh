#!/usr/bin/env bash
# Browser tests of the HTML report: installs Debian's chromium when it is
# missing, then runs, in headless Chromium at 1400x1000:
#   TestReportInBrowser     ../shared/corpora/flux2-kustomize-helm-example: a
#                           cluster, a HelmRelease, its focus, a finding, the
#                           search, the changes of a diff;
#   TestReportAtScale       a generated cluster of 100 Kustomizations (1,205
#                           objects): groups collapse, zoom and pan, labels in
#                           their boxes, focus, addresses of an object and a
#                           finding, no sideways scrolling; logs the open time;
#   TestReportClusterPicker eight generated clusters: the picker filters;
#   TestReportCorpusAtScale ../shared/corpora/buroa-k8s-gitops (about 100
#                           Kustomizations): groups, findings, an address.
# Each saves screenshots (small-*, scale-*, picker-*, corpus-*).
#
# Usage: scripts/browser-test.sh [SCREENSHOT_DIR]   (default: a new temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
  echo "--- installing chromium (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }; }; then
    # In CI the browser test is an extra: a machine that cannot install
    # chromium skips it loudly instead of failing the run.
    if [ "${FLUXLINT_BROWSER_OPTIONAL:-}" = 1 ]; then
      echo "WARNING: chromium could not be installed; the browser test is skipped"
      exit 0
    fi
    exit 1
  fi
fi
chromium --version 2>/dev/null || true

out="${1:-$(mktemp -d /tmp/fluxlint-browser-XXXXXX)}"
mkdir -p "$out"
echo "--- browser test (screenshots in $out)"
FLUXLINT_BROWSER_TEST=1 FLUXLINT_SCREENSHOTS="$out" \
  go test ./internal/cli -run '^TestReport(InBrowser|AtScale|ClusterPicker|CorpusAtScale)$' -count=1 -v -timeout 20m
ls "$out"
