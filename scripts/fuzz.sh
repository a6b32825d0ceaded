#!/bin/sh
# Runs each fuzz test of fluxlint for MINUTES minutes (default 10), one at a
# time and with one worker, so that a shared machine stays usable. Not part
# of CI. New crashers land in the package's testdata/fuzz/FuzzXxx/ folder:
# fix the bug, keep the file as a regression seed.
#
#   scripts/fuzz.sh [MINUTES] [NAME-REGEXP]
set -eu
minutes=${1:-10}
targets=${2:-}
failed=""
cd "$(dirname "$0")/.."
for target in \
	./internal/source:FuzzParse \
	./internal/check:FuzzSuppressions \
	./internal/render:FuzzPatchesOfKustomization \
	./internal/render:FuzzSubstitution \
	./internal/render:FuzzContentCodec \
	./internal/helm:FuzzValues \
	./internal/termsafe:FuzzEscape \
	./internal/report:FuzzTextPrinter \
	./internal/report:FuzzGitHubPrinter \
	./internal/cli:FuzzRepositoryConfig; do
	pkg=${target%%:*}
	name=${target#*:}
	if [ -n "$targets" ] && ! echo "$name" | grep -Eq "$targets"; then
		continue
	fi
	echo "== $name ($pkg), ${minutes}m"
	start=$(date +%s)
	if go test "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "${minutes}m" -fuzzminimizetime 10s -parallel 1; then
		echo "== $name: $(( $(date +%s) - start )) s, no failure"
	else
		echo "== $name: FAILED after $(( $(date +%s) - start )) s"
		failed="$failed $name"
	fi
done
if [ -n "$failed" ]; then
	echo "failed:$failed"
	exit 1
fi
