#!/usr/bin/env bash
# Browser test of the HTML report: installs Debian's chromium when it is
# missing, then runs TestReportInBrowser, which opens the report of
# ../shared/corpora/flux2-kustomize-helm-example in headless Chromium,
# clicks a cluster, a HelmRelease and a finding, checks what the page shows
# and saves screenshots.
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
  go test ./internal/cli -run '^TestReportInBrowser$' -count=1 -v
ls "$out"
