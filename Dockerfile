# The fluxlint container image: the static release binary on distroless
# static, run as the image's non-root user. The build context is the
# container/ folder that scripts/release.sh writes (the Linux binaries at
# $TARGETPLATFORM/fluxlint, and CACHEDIR.TAG):
#
#   scripts/release.sh --snapshot linux/amd64 linux/arm64
#   docker buildx build --platform linux/amd64,linux/arm64 -t fluxlint:snapshot dist/container
#
# Run it on the repository in the current folder, keeping the cache folder
# (charts, indexes, render results) in a named volume:
#
#   docker run --rm -v "$PWD:/repo:ro" -v fluxlint-cache:/cache fluxlint:snapshot check .
#
# scripts/release-test.sh checks this file against the release script's
# output (binary path, user, entrypoint, cache folder).
FROM gcr.io/distroless/static-debian12:nonroot

ARG TARGETPLATFORM
COPY ${TARGETPLATFORM}/fluxlint /usr/local/bin/fluxlint

# fluxlint keeps its cache in $XDG_CACHE_HOME/fluxlint. COPY --chown makes
# /cache belong to the non-root user, so a volume mounted there (which
# starts as a copy of it) is writable by fluxlint.
COPY --chown=65532:65532 CACHEDIR.TAG /cache/CACHEDIR.TAG
ENV XDG_CACHE_HOME=/cache
VOLUME ["/cache"]

# 65532 is the nonroot user of the distroless images.
USER 65532:65532
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/fluxlint"]
CMD ["check", "."]
