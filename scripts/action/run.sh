#!/usr/bin/env bash
# Runs fluxlint check for the GitHub Action (action.yml), always writing a
# SARIF file besides the formats asked for, then prunes the cache folder
# (before the action saves it) and exits with fluxlint's exit code.
#
# Environment (the action's inputs):
#   FLUXLINT                     the binary (default: fluxlint on PATH)
#   FLUXLINT_PATH                folder to check (default .); findings name
#                                files from the Git root either way
#   FLUXLINT_FORMATS             FORMAT or FORMAT=FILE, separated by blanks
#   FLUXLINT_KUBERNETES_VERSION, FLUXLINT_FAIL_ON, FLUXLINT_OFFLINE (true)
#   FLUXLINT_CHANGED_SINCE       a Git revision: check only the clusters the
#                                changes since it reach (fetched when the
#                                checkout lacks it; everything is checked when
#                                it cannot be had)
#   FLUXLINT_SHARD               I/N: check only the I-th of N shards of the
#                                clusters (--shard)
#   FLUXLINT_SARIF_CATEGORY      code scanning category (default fluxlint);
#                                with a shard, -shard-I-of-N is appended
#   FLUXLINT_ARGS                more arguments, split on blanks
#   FLUXLINT_CACHE_DIR           the cache folder the action saves, pruned
#                                to FLUXLINT_CACHE_MAX_SIZE (default 500MB)
#   RUNNER_TEMP, GITHUB_OUTPUT
# Outputs: sarif-file, sarif-category, exit-code.
set -uo pipefail
set -f # the formats and arguments are split on blanks, never globbed
: "${RUNNER_TEMP:?RUNNER_TEMP is not set}" "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
fluxlint=${FLUXLINT:-fluxlint}
path=${FLUXLINT_PATH:-.}
sarif="$RUNNER_TEMP/fluxlint.sarif"
rm -f "$sarif"

args=(check "$path" --fail-on "${FLUXLINT_FAIL_ON:-error}" --format "sarif=$sarif")
for f in ${FLUXLINT_FORMATS:-github}; do
  case "$f" in sarif) ;; *) args+=(--format "$f") ;; esac
done
if [ -n "${FLUXLINT_KUBERNETES_VERSION:-}" ]; then args+=(--kubernetes-version "$FLUXLINT_KUBERNETES_VERSION"); fi
if [ "${FLUXLINT_OFFLINE:-false}" = true ]; then args+=(--offline); fi
category=${FLUXLINT_SARIF_CATEGORY:-fluxlint}
if [ -n "${FLUXLINT_SHARD:-}" ]; then
  args+=(--shard "$FLUXLINT_SHARD")
  category="$category-shard-${FLUXLINT_SHARD/\//-of-}"
fi

rev=${FLUXLINT_CHANGED_SINCE:-}
if [ -n "$rev" ]; then
  # A pull request's base is not in a shallow checkout: fetch that commit.
  if ! git -C "$path" cat-file -e "$rev^{commit}" 2>/dev/null; then
    echo "fetching $rev, the base of --changed-since"
    git -C "$path" fetch --quiet --no-tags --depth=1 origin "$rev" 2>&1 || true
  fi
  if git -C "$path" cat-file -e "$rev^{commit}" 2>/dev/null; then
    args+=(--changed-since "$rev")
  else
    echo "::warning title=fluxlint::changed-since: $rev is not in the checkout and could not be fetched; checking everything"
  fi
fi

# shellcheck disable=SC2206 # extra arguments are split on blanks on purpose
extra=(${FLUXLINT_ARGS:-})
code=0
"$fluxlint" "${args[@]}" "${extra[@]}" || code=$?

if [ -n "${FLUXLINT_CACHE_DIR:-}" ] && [ -d "$FLUXLINT_CACHE_DIR" ]; then
  "$fluxlint" cache prune --cache-dir "$FLUXLINT_CACHE_DIR" --max-size "${FLUXLINT_CACHE_MAX_SIZE:-500MB}" ||
    echo "::warning title=fluxlint cache::prune failed; the cache is saved as it is"
fi

if [ -f "$sarif" ]; then echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"; fi
echo "sarif-category=$category" >> "$GITHUB_OUTPUT"
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
exit "$code"
