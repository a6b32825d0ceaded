# shellcheck shell=bash
# dockerfile_check DOCKERFILE CONTEXT prints each way in which DOCKERFILE
# does not fit the container context that scripts/release.sh writes
# (CONTEXT: DIST/container) and returns how many there are (0: it fits):
#   - the base is distroless static, its nonroot variant;
#   - the binary is copied from ${TARGETPLATFORM}/fluxlint, which CONTEXT
#     holds for every Linux target of the release, identical to the released
#     binary beside CONTEXT (DIST/linux/ARCH/fluxlint);
#   - ENTRYPOINT (exec form) runs exactly the path the binary is copied to;
#   - USER is the distroless non-root user, 65532:65532;
#   - XDG_CACHE_HOME is a VOLUME, and a file copied into it with
#     --chown=65532:65532 makes the folder the user's; its source exists;
#   - CONTEXT/Dockerfile is DOCKERFILE.
# Instructions must fit on one line each (no continuation lines).
# Sourced by scripts/release-test.sh.
dockerfile_check() {
  local file=$1 ctx=$2 problems=0 line
  problem() { echo "  Dockerfile: $*"; problems=$((problems + 1)); }
  if grep -q '\\$' "$file"; then problem "a continuation line; write each instruction on one line"; fi
  instr() { grep -E "^$1[[:space:]]" "$file" | sed -E "s/^$1[[:space:]]+//"; }

  local from binary_src binary_dst entry user cache
  from=$(instr FROM | tail -1)
  [[ "$from" =~ ^gcr\.io/distroless/static(-debian[0-9]+)?:nonroot(@sha256:[0-9a-f]{64})?$ ]] ||
    problem "FROM $from: want gcr.io/distroless/static-debianNN:nonroot"

  line=$(instr COPY | grep -F 'TARGETPLATFORM' || true)
  read -r binary_src binary_dst <<< "$(sed -E 's/--[a-z]+=[^ ]+ //g' <<< "$line")"
  # shellcheck disable=SC2016 # ${TARGETPLATFORM} is the Dockerfile's, not the shell's
  [ "$binary_src" = '${TARGETPLATFORM}/fluxlint' ] || problem "the binary is copied from '$binary_src', want \${TARGETPLATFORM}/fluxlint"
  local found=0 bin arch
  for bin in "$ctx"/linux/*/fluxlint; do
    [ -f "$bin" ] || continue
    found=1
    arch=$(basename "$(dirname "$bin")")
    cmp -s "$bin" "$ctx/../linux/$arch/fluxlint" || problem "$bin is not the released linux/$arch binary"
  done
  [ "$found" = 1 ] || problem "the context $ctx holds no linux/ARCH/fluxlint"

  entry=$(instr ENTRYPOINT)
  [ "$entry" = "[\"$binary_dst\"]" ] || problem "ENTRYPOINT $entry does not run the copied binary $binary_dst"
  [[ "$binary_dst" = /* ]] || problem "the binary's destination $binary_dst is not an absolute path"

  user=$(instr USER | tail -1)
  [ "$user" = 65532:65532 ] || problem "USER ${user:-(none)}: want 65532:65532, distroless's nonroot"

  cache=$(instr ENV | sed -nE 's/^XDG_CACHE_HOME=([^ ]+).*/\1/p')
  [ -n "$cache" ] || problem "no ENV XDG_CACHE_HOME: the cache folder is not known"
  instr VOLUME | grep -qE "^\[?\"?$cache\"?\]?\$" || problem "the cache folder $cache is not a VOLUME"
  line=$(instr COPY | grep -E -- "--chown=65532:65532 [^ ]+ $cache/" || true)
  [ -n "$line" ] || problem "nothing is copied into $cache with --chown=65532:65532: a volume there would be root's"
  if [ -n "$line" ]; then
    local src
    src=$(awk '{ print $(NF-1) }' <<< "$line")
    [ -f "$ctx/$src" ] || problem "the context lacks $src, copied into the cache folder"
  fi

  cmp -s "$file" "$ctx/Dockerfile" || problem "$ctx/Dockerfile is not $file"
  return "$problems"
}
