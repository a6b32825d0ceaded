#!/usr/bin/env bash
# Works out, for the GitHub Action (action.yml), which folder to cache and
# under which key: fluxlint's cache folder for the checked path (as
# "fluxlint cache dir" names it, honouring cacheDir in .fluxlint.yaml), and
#   fluxlint-v1-OS-ARCH-CHARTS-FILES
# where CHARTS hashes the YAML files that name chart sources (kind
# HelmRepository, OCIRepository, HelmChart or HelmRelease) and FILES hashes
# every YAML file under the path. Restoring falls back to the newest entry
# with the same CHARTS (its charts are the ones this run needs; only renders
# and findings of changed files are stale), then to any entry of the
# runner's OS and architecture (most charts are still there). An exact hit
# (nothing changed) is not saved again. Charts are what the cache saves most
# time and network on; the entries of renders and findings check their own
# inputs, so an older cache is never wrong, only less complete.
#
# With FLUXLINT_SHARD (I/N), the key ends in -shard-I-of-N: each job of a
# sharded matrix saves the renders and findings of its own clusters, and
# restores the others' through the restore keys.
#
# Environment: FLUXLINT (the binary), FLUXLINT_PATH, FLUXLINT_SHARD, RUNNER_OS,
# RUNNER_ARCH, GITHUB_OUTPUT. Outputs: enabled (false when the folder cannot be had),
# dir, key, restore-keys.
set -euo pipefail
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
path=${FLUXLINT_PATH:-.}

if [ ! -d "$path" ]; then
  echo "::warning title=fluxlint cache::no cache: path $path is not a folder"
  echo "enabled=false" >> "$GITHUB_OUTPUT"
  exit 0
fi
if ! dir=$("${FLUXLINT:-fluxlint}" cache dir "$path" 2>&1); then
  echo "::warning title=fluxlint cache::no cache: $dir"
  echo "enabled=false" >> "$GITHUB_OUTPUT"
  exit 0
fi

sha() { if command -v sha256sum >/dev/null; then sha256sum | cut -c1-16; else shasum -a 256 | cut -c1-16; fi; }
# hash_files reads NUL-separated names and hashes names and contents.
hash_files() {
  LC_ALL=C sort -z | while IFS= read -r -d '' f; do
    printf '%s\0' "$f"
    cat -- "$f"
    printf '\0'
  done | sha
}
yaml() { find "$path" -name .git -prune -o -type f \( -name '*.yaml' -o -name '*.yml' \) -print0; }
chart_sources() { # grep exits 1 when no file matches: that is no chart source, not an error
  yaml | xargs -0 -r grep -lZE '^kind:[[:space:]]*["'"'"']?(HelmRepository|OCIRepository|HelmChart|HelmRelease)["'"'"']?[[:space:]]*$' -- || true
}
charts=$(chart_sources | hash_files)
files=$(yaml | hash_files)
shard=""
if [ -n "${FLUXLINT_SHARD:-}" ]; then shard="-shard-${FLUXLINT_SHARD/\//-of-}"; fi

prefix="fluxlint-v1-${RUNNER_OS:-os}-${RUNNER_ARCH:-arch}"
{
  echo "enabled=true"
  echo "dir=$dir"
  echo "key=$prefix-$charts-$files$shard"
  echo "restore-keys<<FLUXLINT_EOF"
  echo "$prefix-$charts-"
  echo "$prefix-"
  echo "FLUXLINT_EOF"
} >> "$GITHUB_OUTPUT"
echo "cache folder $dir, key $prefix-$charts-$files$shard"
