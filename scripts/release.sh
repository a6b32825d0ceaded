#!/usr/bin/env bash
# Builds a fluxlint release into dist/: static binaries (CGO_ENABLED=0,
# -trimpath, stripped) with the version and commit stamped, one archive per
# target (tar.gz; zip for Windows) holding the binary, README.md and
# CHANGELOG.md, a CycloneDX SBOM of each binary, checksums.txt (sha256 of
# the archives and SBOMs), the release notes (the version's CHANGELOG.md
# section) and the build context of the container image (Dockerfile).
#
# Usage: scripts/release.sh [--snapshot] [--dist DIR] [TARGET...]
#   TARGET      GOOS/GOARCH (default: linux, darwin and windows on amd64 and
#               arm64); RELEASE_TARGETS may name them too
#   --snapshot  build the current tree, committed or not, as
#               vX.Y.(Z+1)-SNAPSHOT-<commit> (vX.Y.Z the latest tag, else
#               v0.0.0); without it HEAD must be a clean checkout of a tag vX.Y.Z
#   --dist DIR  output folder (default dist; emptied first)
#
# The SBOM generator, cyclonedx-gomod, is a tool of the tools module
# (tools/go.mod pins it and go.sum its checksums). Archives are
# reproducible: their files carry the commit's time and no owner.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"
snapshot=0 dist=dist targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --snapshot) snapshot=1 ;;
    --dist) dist=${2:?--dist needs a folder}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "release: unknown flag $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
if [ ${#targets[@]} -eq 0 ]; then read -r -a targets <<< "${RELEASE_TARGETS:-$all_targets}"; fi
for t in "${targets[@]}"; do
  case " $all_targets " in *" $t "*) ;; *) echo "release: unknown target $t (one of: $all_targets)" >&2; exit 2 ;; esac
done

# Version and commit.
commit=$(git rev-parse HEAD)
epoch=$(git log -1 --format=%ct HEAD)
dirty=$(git status --porcelain --untracked-files=no)
if [ "$snapshot" = 1 ]; then
  next=v0.0.0
  if last=$(git describe --tags --abbrev=0 --match 'v[0-9]*.[0-9]*.[0-9]*' 2>/dev/null); then
    last=${last%%-*}
    next="${last%.*}.$(( ${last##*.} + 1 ))"
  fi
  version="$next-SNAPSHOT-${commit:0:12}"
  if [ -n "$dirty" ]; then commit="$commit (modified)"; fi
else
  version=$(git describe --tags --exact-match --match 'v[0-9]*.[0-9]*.[0-9]*' HEAD 2>/dev/null) ||
    { echo "release: HEAD is not a tag vX.Y.Z (use --snapshot for a test build)" >&2; exit 2; }
  if [ -n "$dirty" ]; then echo "release: the work tree has uncommitted changes" >&2; exit 2; fi
fi
plain=${version#v}

rm -rf "$dist"
mkdir -p "$dist/container"
dist=$(cd "$dist" && pwd)
pkg=github.com/fluxlint/fluxlint/internal/cli
ldflags="-s -w -buildid= -X $pkg.Version=$version -X '$pkg.Commit=$commit'"
echo "fluxlint $version ($commit), targets: ${targets[*]}"

# archive writes the files of folder $2 into archive $1, sorted, with the
# commit's time, owner root and modes 0755/0644: the same bytes every time.
archive() {
  local out=$1 dir=$2
  find "$dir" -exec touch -h -d "@$epoch" {} +
  case "$out" in
    *.zip) (cd "$dir" && find . -type f | LC_ALL=C sort | sed 's#^\./##' | TZ=UTC zip -q -X -D "$out" -@) ;;
    *) (cd "$dir" && find . -type f | LC_ALL=C sort | sed 's#^\./##' |
        tar --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --no-recursion -T - -cf -) | gzip -9n > "$out" ;;
  esac
}

# The SBOM generator is built once for this machine; it takes the target's
# purl qualifiers (goos, goarch) from GOOS and GOARCH, not from the binary.
tooldir=$(mktemp -d)
trap 'rm -rf "$tooldir"' EXIT
go -C tools build -o "$tooldir/cyclonedx-gomod" github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod
sbom() { # os arch binary output
  GOOS=$1 GOARCH=$2 "$tooldir/cyclonedx-gomod" bin -json -noserial -notimestamp -version "$version" -output "$4" "$3"
}

for t in "${targets[@]}"; do
  os=${t%/*} arch=${t#*/} exe=fluxlint
  [ "$os" = windows ] && exe=fluxlint.exe
  start=$SECONDS
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "$ldflags" -o "$dist/$os/$arch/$exe" ./cmd/fluxlint
  stage=$(mktemp -d)
  chmod 0755 "$stage"
  cp "$dist/$os/$arch/$exe" README.md CHANGELOG.md "$stage/"
  chmod 0755 "$stage/$exe"
  chmod 0644 "$stage/README.md" "$stage/CHANGELOG.md"
  name="fluxlint_${plain}_${os}_${arch}"
  ext=tar.gz
  [ "$os" = windows ] && ext=zip
  archive "$dist/$name.$ext" "$stage"
  rm -rf "$stage"
  sbom "$os" "$arch" "$dist/$os/$arch/$exe" "$dist/$name.$ext.sbom.json"
  if [ "$os" = linux ]; then
    mkdir -p "$dist/container/$os/$arch"
    cp "$dist/$os/$arch/$exe" "$dist/container/$os/$arch/$exe"
  fi
  awk -v t="$t" -v s=$((SECONDS - start)) -v b="$(stat -c %s "$dist/$os/$arch/$exe")" -v n="$name.$ext" -v a="$(stat -c %s "$dist/$name.$ext")" \
    'BEGIN { printf "  %-14s %4d s  binary %5.1f MB  %s %5.1f MB\n", t, s, b / 1e6, n, a / 1e6 }'
done

# The container image's build context: the Linux binaries at
# $TARGETPLATFORM/fluxlint and the cache folder's tag (see Dockerfile).
printf 'Signature: 8a477f597d28d172789f06886806bc55\n# The cache folder of fluxlint (XDG_CACHE_HOME): see https://bford.info/cachedir/\n' > "$dist/container/CACHEDIR.TAG"
cp Dockerfile "$dist/container/Dockerfile"

(cd "$dist" && shopt -s nullglob && sha256sum -- *.tar.gz *.zip *.sbom.json | LC_ALL=C sort -k2 > checksums.txt)

# Release notes: the version's section of CHANGELOG.md (a heading
# "## [vX.Y.Z] ..."), else, for a snapshot, the first section.
section() { # version (empty: the first section)
  awk -v v="$1" '/^## / { if (on) exit; on = (v == "" || index($0, "[" v "]")) } on' CHANGELOG.md
}
section "$version" > "$dist/RELEASE_NOTES.md"
if [ ! -s "$dist/RELEASE_NOTES.md" ]; then
  [ "$snapshot" = 1 ] || { echo "release: CHANGELOG.md has no section [$version]" >&2; exit 2; }
  section "" > "$dist/RELEASE_NOTES.md"
fi

echo "$version" > "$dist/VERSION"
echo "$commit" > "$dist/COMMIT"
echo "wrote $dist: ${#targets[@]} archives and their SBOMs, checksums.txt, RELEASE_NOTES.md, VERSION, COMMIT, container/"
