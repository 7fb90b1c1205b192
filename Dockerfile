# syntax=docker/dockerfile:1
#
# dns01-webhook container image.
#
#   docker build -t dns01-webhook:dev .
#   docker build --target acmesh -t dns01-webhook:dev-acmesh .    # the acmesh flavour
#
# Stage 1 builds a release binary with the Swift standard library (and Foundation) linked
# statically; stage 2 is a distroless runtime with glibc, libstdc++, CA certificates and a
# non-root user, nothing else (no shell, no package manager).
#
# The two stages must share a glibc: the builder is Debian 12 (bookworm), and so is
# distroless cc-debian12. Change them together.

ARG SWIFT_IMAGE=swift:6.2-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot
# The acmesh flavour's base: the same Debian 12 as the builder (its glibc), slim.
ARG ACMESH_BASE_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build
WORKDIR /src

# Resolve dependencies in their own layer so that source edits don't refetch them.
# Package.resolved is optional (the glob matches nothing when it is absent).
COPY Package.swift Package.resolve[d] ./
RUN if [ -f Package.resolved ]; then \
        swift package resolve --force-resolved-versions; \
    else \
        swift package resolve; \
    fi

COPY . .
# scripts/build-release: the release flags (static stdlib, function sections; docs/memory.md).
RUN scripts/build-release --product dns01-webhook

# Stage the binary plus any resource bundles SwiftPM produced next to it.
RUN set -eu; \
    bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"; \
    mkdir -p /staging; \
    cp "$bin/dns01-webhook" /staging/; \
    strip --strip-unneeded /staging/dns01-webhook; \
    find -L "$bin" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/ \; ; \
    /staging/dns01-webhook --help > /dev/null

# ---------------------------------------------------------------------------------------
# The acmesh flavour (`--target acmesh`, published with the tag suffix -acmesh; the chart's
# image.flavor: acmesh): the same binary on a minimal shell userland, for the acmesh provider,
# which runs acme.sh dnsapi scripts (docs/providers/acmesh.md). bookworm-slim brings dash, sed,
# grep, mawk, coreutils and tar; curl, openssl and CA certificates are added; the shim goes
# where the binary looks for it (../libexec/dns01-webhook/acmesh next to it). The default
# image (the last stage) stays distroless.
FROM ${ACMESH_BASE_IMAGE} AS acmesh

RUN set -eu; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl openssl; \
    rm -rf /var/lib/apt/lists/*; \
    mkdir -p /opt/acme.sh/dnsapi

COPY --from=build --chown=0:0 /staging/ /usr/local/bin/
COPY --chown=0:0 shims/acmesh/acmesh-run.sh shims/acmesh/acmesh-shim.sh /usr/local/libexec/dns01-webhook/acmesh/
# Fails the build when a tool the shim needs is missing.
RUN sh /usr/local/libexec/dns01-webhook/acmesh/acmesh-run.sh --check-tools

USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/usr/local/bin/dns01-webhook"]
CMD ["serve"]

# ---------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}

LABEL org.opencontainers.image.title="dns01-webhook" \
      org.opencontainers.image.description="cert-manager DNS-01 webhook solver for Route53 and Alibaba Cloud DNS"

COPY --from=build --chown=0:0 /staging/ /usr/local/bin/

# distroless "nonroot": uid/gid 65532. Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 65532:65532

# HTTPS only (the aggregated API); the chart sets --secure-port, 8443 by default.
EXPOSE 8443

ENTRYPOINT ["/usr/local/bin/dns01-webhook"]
CMD ["serve"]
