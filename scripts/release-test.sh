#!/usr/bin/env bash
# Tests a release that scripts/release.sh wrote, and the Dockerfile against
# it. Usage: scripts/release-test.sh [DIST]
# Without DIST it builds a snapshot of the host's target into a temporary
# folder first. Checks:
#   - checksums.txt verifies and lists every archive and SBOM;
#   - each archive holds exactly the binary, README.md and CHANGELOG.md, the
#     binary being the one in DIST/OS/ARCH/;
#   - each binary is static and stripped, built with CGO_ENABLED=0 and
#     -trimpath for its OS and architecture, with the version stamped
#     (go version -m, file);
#   - the host's binary prints the version and the commit that DIST/VERSION
#     and DIST/COMMIT name (fluxlint version), a commit of this repository;
#   - each SBOM is CycloneDX JSON naming the version and the target;
#   - the Dockerfile copies the binary that DIST/container holds for every
#     Linux target to the path its ENTRYPOINT runs, runs as the distroless
#     non-root user, and gives that user the cache volume; with a docker
#     daemon or podman, the image is built and run.
# Prints "N passed, N failed" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

dist=${1:-}
if [ -z "$dist" ]; then
  dist=$(mktemp -d)
  trap 'rm -rf "$dist"' EXIT
  scripts/release.sh --snapshot --dist "$dist" "$(go env GOOS)/$(go env GOARCH)"
fi
dist=$(cd "$dist" && pwd)
version=$(cat "$dist/VERSION")
plain=${version#v}

passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { # description command...: passes when the command succeeds; its output is shown only when it fails
  local what=$1 out
  shift
  if out=$("$@" 2>&1); then pass; else fail "$what"; [ -z "$out" ] || echo "$out"; fi
}

echo "--- checksums"
check "checksums.txt does not verify" bash -c "cd '$dist' && sha256sum --quiet -c checksums.txt"
shopt -s nullglob
archives=("$dist"/fluxlint_*.tar.gz "$dist"/fluxlint_*.zip)
[ ${#archives[@]} -gt 0 ] || fail "no archive in $dist"
for a in "${archives[@]}"; do
  n=$(basename "$a")
  check "$n is not in checksums.txt" grep -q "  $n\$" "$dist/checksums.txt"
  check "$n.sbom.json is not in checksums.txt" grep -q "  $n.sbom.json\$" "$dist/checksums.txt"
done

echo "--- archives and binaries"
for a in "${archives[@]}"; do
  n=$(basename "$a")
  target=${n#fluxlint_"${plain}"_}
  target=${target%.tar.gz}
  target=${target%.zip}
  os=${target%_*} arch=${target#*_} exe=fluxlint
  [ "$os" = windows ] && exe=fluxlint.exe
  bin="$dist/$os/$arch/$exe"
  if [ ! -f "$bin" ]; then fail "$n: no $bin beside it (or a name not fluxlint_${plain}_OS_ARCH)"; continue; fi
  x=$(mktemp -d)
  case "$n" in
    *.zip) unzip -q "$a" -d "$x"; listing=$(unzip -Z1 "$a" | LC_ALL=C sort | tr '\n' ' ') ;;
    *) tar -C "$x" -xzf "$a"; listing=$(tar -tzf "$a" | LC_ALL=C sort | tr '\n' ' ') ;;
  esac
  check "$n holds [$listing], want CHANGELOG.md README.md $exe" [ "$listing" = "CHANGELOG.md README.md $exe " ]
  check "$n: its $exe differs from $bin" cmp -s "$x/$exe" "$bin"
  rm -rf "$x"

  info=$(go version -m "$bin")
  for want in "build	CGO_ENABLED=0" "build	-trimpath=true" "build	GOOS=$os" "build	GOARCH=$arch"; do
    check "$os/$arch: go version -m lacks '$want'" grep -qF -- "$want" <<< "$info"
  done
  # -trimpath leaves -ldflags out of the build information: look for their
  # effects. -s: no symbol table; -X: the version string is in the binary.
  check "$os/$arch has a symbol table (not built with -ldflags -s)" bash -c "go tool nm '$bin' 2>&1 | grep -q 'no symbol'"
  check "$os/$arch does not hold the version $version (-X)" grep -aqF -- "$version" "$bin"
  kind=$(file -b "$bin")
  case "$os" in
    linux) check "linux/$arch is not a static stripped ELF: $kind" grep -Eq 'ELF 64-bit.*statically linked.*stripped' <<< "$kind" ;;
    darwin) check "darwin/$arch is not a Mach-O executable: $kind" grep -q 'Mach-O 64-bit' <<< "$kind" ;;
    windows) check "windows/$arch is not a PE32+ executable: $kind" grep -q 'PE32+ executable' <<< "$kind" ;;
  esac
  printf '  %-14s binary %5.1f MB, archive %5.1f MB: %s\n' "$os/$arch" \
    "$(awk -v b="$(stat -c %s "$bin")" 'BEGIN { print b / 1e6 }')" "$(awk -v b="$(stat -c %s "$a")" 'BEGIN { print b / 1e6 }')" "$kind"

  sbom="$a.sbom.json"
  # shellcheck disable=SC2016 # $v and $p are jq's variables
  check "$n.sbom.json is not CycloneDX for $version $os/$arch" jq -e --arg v "$version" --arg p "goarch=$arch&goos=$os" \
    '.bomFormat == "CycloneDX" and .metadata.component.version == $v and (.metadata.component.purl | contains($p))
      and (.components | length) > 50 and all(.components[]; .purl | contains($p))' "$sbom"

  if [ "$os/$arch" = "$(go env GOOS)/$(go env GOARCH)" ]; then
    out=$("$bin" version)
    commit=$(cat "$dist/COMMIT")
    check "fluxlint version does not print $version first: $(head -1 <<< "$out")" grep -Eq "^fluxlint +$version\$" <<< "$(head -1 <<< "$out")"
    check "fluxlint version does not print the commit $commit second: $(sed -n 2p <<< "$out")" grep -Fxq "commit $commit" <<< "$(sed -n 2p <<< "$out" | tr -s ' ')"
    check "the release's commit $commit is not a commit of this repository" git cat-file -e "${commit%% *}^{commit}"
  fi
done

echo "--- Dockerfile"
# shellcheck source=scripts/dockerfile-check.sh
source "$root/scripts/dockerfile-check.sh"
check "the Dockerfile does not fit the release's container context" dockerfile_check "$root/Dockerfile" "$dist/container"
# The check itself: a context whose only difference is one mistake in the
# Dockerfile must fail it.
mutant=$(mktemp -d)
mkdir -p "$mutant/container"
for bin in "$dist"/container/linux/*/fluxlint; do
  arch=$(basename "$(dirname "$bin")")
  mkdir -p "$mutant/container/linux/$arch" "$mutant/linux/$arch"
  ln -s "$bin" "$mutant/container/linux/$arch/fluxlint"
  ln -s "$dist/linux/$arch/fluxlint" "$mutant/linux/$arch/fluxlint"
done
cp "$dist/container/CACHEDIR.TAG" "$mutant/container/"
# shellcheck disable=SC2016 # ${TARGETPLATFORM} is the Dockerfile's, not the shell's
for m in 's#^ENTRYPOINT .*#ENTRYPOINT ["/usr/bin/fluxlint"]#' 's#^USER .*#USER root#' 's#^USER .*##' \
  's#^\(COPY .*\) /usr/local/bin/fluxlint$#\1 /bin/fluxlint#' 's#^COPY \${TARGETPLATFORM}/fluxlint#COPY linux/amd64/fluxlint#' \
  's#^VOLUME .*##' 's#--chown=65532:65532 ##' 's#^FROM .*#FROM gcr.io/distroless/static-debian12:latest#' 's#^ENV XDG_CACHE_HOME=.*#ENV XDG_CACHE_HOME=/tmp#'; do
  sed "$m" "$root/Dockerfile" > "$mutant/container/Dockerfile"
  if cmp -s "$root/Dockerfile" "$mutant/container/Dockerfile"; then fail "the mutation $m changes nothing"; continue; fi
  if dockerfile_check "$mutant/container/Dockerfile" "$mutant/container" >/dev/null; then fail "the Dockerfile check passes a Dockerfile edited with $m"; else pass; fi
done
rm -rf "$mutant"

if docker info >/dev/null 2>&1 || command -v podman >/dev/null; then
  engine=docker
  docker info >/dev/null 2>&1 || engine=podman
  platform="linux/$(go env GOARCH)"
  if [ -f "$dist/container/$platform/fluxlint" ]; then
    tag="fluxlint-release-test:$plain"
    check "$engine build failed" "$engine" build --platform "$platform" -t "$tag" "$dist/container"
    check "the image does not run fluxlint version" bash -c "'$engine' run --rm '$tag' version | grep -q '^fluxlint *$version'"
    check "the image does not run as 65532:65532" bash -c "[ \"\$('$engine' image inspect -f '{{.Config.User}}' '$tag')\" = 65532:65532 ]"
  fi
else
  echo "  (no docker daemon and no podman: the image is not built; the Dockerfile was checked statically)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
