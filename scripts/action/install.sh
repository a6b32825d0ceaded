#!/usr/bin/env bash
# Installs fluxlint for the GitHub Action (action.yml): downloads the release
# archive of the runner's OS and architecture, checks it against the
# release's checksums.txt, and puts the binary on GITHUB_PATH. It never
# installs or changes Go. With FLUXLINT_INSTALL=go it builds fluxlint
# instead with the Go already on PATH, from the action's own checkout.
#
# Environment (the action's inputs and the runner's):
#   FLUXLINT_VERSION        vX.Y.Z (or vX.Y.Z-PRERELEASE), "latest", or empty: the action's ref
#                           when it is a release tag, else latest
#   FLUXLINT_INSTALL        release (default) or go
#   FLUXLINT_RELEASES_URL   where releases are (default
#                           https://github.com/fluxlint/fluxlint/releases):
#                           URL/download/VERSION/FILE and URL/latest
#   GITHUB_ACTION_REF, GITHUB_ACTION_PATH, GITHUB_PATH, GITHUB_OUTPUT,
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, RUNNER_TOOL_CACHE
# Outputs: version (as fluxlint version prints it) and path (the binary).
set -euo pipefail

die() { echo "::error title=fluxlint install::$*" >&2; exit 1; }

: "${RUNNER_TEMP:?RUNNER_TEMP is not set: not a GitHub Actions runner}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}" "${GITHUB_PATH:?GITHUB_PATH is not set}"
releases=${FLUXLINT_RELEASES_URL:-https://github.com/fluxlint/fluxlint/releases}
releases=${releases%/}
install=${FLUXLINT_INSTALL:-release}
tag='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'

version=${FLUXLINT_VERSION:-}
if [ -z "$version" ]; then
  version=latest
  if [[ "${GITHUB_ACTION_REF:-}" =~ $tag ]]; then version=$GITHUB_ACTION_REF; fi
fi

case "${RUNNER_OS:-}" in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) die "no fluxlint release for RUNNER_OS=${RUNNER_OS:-}" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) die "no fluxlint release for RUNNER_ARCH=${RUNNER_ARCH:-} (amd64 and arm64 only); try install: go" ;;
esac
exe=fluxlint ext=tar.gz
if [ "$os" = windows ]; then exe=fluxlint.exe ext=zip; fi

# native turns a runner path into one that this shell's programs read
# (Git Bash on Windows), posixpath the other way for GITHUB_PATH.
native() { if command -v cygpath >/dev/null; then cygpath -u "$1"; else printf '%s\n' "$1"; fi; }
winpath() { if command -v cygpath >/dev/null; then cygpath -w "$1"; else printf '%s\n' "$1"; fi; }
temp=$(native "$RUNNER_TEMP")
tools=$(native "${RUNNER_TOOL_CACHE:-$RUNNER_TEMP}")

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

fetch() { # URL FILE
  curl -fsSL --retry 3 --retry-delay 2 -o "$2" "$1" || die "download failed: $1"
}

extract() { # ARCHIVE FOLDER
  case "$1" in
    *.zip)
      if command -v unzip >/dev/null; then unzip -q -o "$1" "$exe" -d "$2"
      elif command -v 7z >/dev/null; then 7z x -y -o"$2" "$1" "$exe" >/dev/null
      else die "neither unzip nor 7z to open $1"; fi ;;
    *) tar -xzf "$1" -C "$2" "$exe" ;;
  esac
}

install_release() {
  if [ "$version" = latest ]; then
    local url
    url=$(curl -fsSLI --retry 3 -o /dev/null -w '%{url_effective}' "$releases/latest") || die "cannot resolve the latest release at $releases/latest"
    version=${url##*/}
    [[ "$version" =~ $tag ]] || die "the latest release at $releases/latest is '$version', not a vX.Y.Z tag"
  fi
  [[ "$version" =~ $tag ]] || die "version '$version' is not vX.Y.Z or latest"
  dest="$tools/fluxlint/${version#v}/$arch"
  if [ -x "$dest/$exe" ]; then
    echo "fluxlint $version is already installed in $dest"
    return
  fi
  local file="fluxlint_${version#v}_${os}_${arch}.$ext" tmp want got
  tmp=$(mktemp -d "$temp/fluxlint-install.XXXXXX")
  echo "downloading $releases/download/$version/$file"
  fetch "$releases/download/$version/$file" "$tmp/$file"
  fetch "$releases/download/$version/checksums.txt" "$tmp/checksums.txt"
  want=$(awk -v f="$file" '$2 == f || $2 == "*" f { print $1 }' "$tmp/checksums.txt")
  [ -n "$want" ] || die "checksums.txt of fluxlint $version does not list $file"
  got=$(sha256 "$tmp/$file")
  [ "$got" = "$want" ] || die "checksum mismatch for $file: sha256 $got, checksums.txt of $version says $want; not installed"
  mkdir -p "$tmp/x"
  extract "$tmp/$file" "$tmp/x"
  [ -f "$tmp/x/$exe" ] || die "$file holds no $exe"
  chmod 0755 "$tmp/x/$exe"
  mkdir -p "$dest"
  mv "$tmp/x/$exe" "$dest/$exe"
  rm -rf "$tmp"
}

install_go() {
  command -v go >/dev/null || die "install: go needs Go on PATH (for example actions/setup-go before this action); this action does not install Go"
  [ -n "${GITHUB_ACTION_PATH:-}" ] || die "install: go builds the action's checkout, but GITHUB_ACTION_PATH is not set"
  local stamp=$version
  [[ "$stamp" =~ $tag ]] || stamp=dev
  dest="$temp/fluxlint-go/bin"
  mkdir -p "$dest"
  echo "building fluxlint from $GITHUB_ACTION_PATH with $(go version)"
  (cd "$(native "$GITHUB_ACTION_PATH")" && CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X github.com/fluxlint/fluxlint/internal/cli.Version=$stamp" -o "$dest/$exe" ./cmd/fluxlint)
}

case "$install" in
  release) install_release ;;
  go) install_go ;;
  *) die "install: '$install' is not release or go" ;;
esac

winpath "$dest" >> "$GITHUB_PATH"
installed=$("$dest/$exe" version | awk 'NR == 1 { print $2 }')
echo "fluxlint $installed: $dest/$exe"
{
  echo "version=$installed"
  echo "path=$(winpath "$dest/$exe")"
} >> "$GITHUB_OUTPUT"
