"""The Dockerfile cannot be built here (no Docker engine), so its contract is read: a
Swift build stage producing the static release binary, a slim non-root runtime, and the
entrypoint the chart relies on."""

from __future__ import annotations

import json
import re

from chart_render import REPO, render, VALUE_SETS

DOCKERFILE = REPO / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    text = DOCKERFILE.read_text()
    text = re.sub(r"\\\n", " ", text)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def stages() -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for ins in instructions():
        if ins[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(ins)
    return result


def arg_defaults() -> dict[str, str]:
    out = {}
    for word, rest in instructions():
        if word == "ARG" and "=" in rest:
            k, v = rest.split("=", 1)
            out[k] = v
    return out


def resolve(image: str) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: arg_defaults()[m.group(1)], image)


def test_multi_stage_swift_build() -> None:
    s = stages()
    assert len(s) >= 2
    build_image = resolve(s[0][0][1].split()[0])
    assert re.fullmatch(r"swift:6\.\d+(\.\d+)?(-[a-z0-9]+)?", build_image), build_image
    runs = " ".join(rest for word, rest in s[0] if word == "RUN")
    # The image is built by scripts/build-release, the same script CI builds with: a static
    # release build with function sections (docs/memory.md).
    assert "scripts/build-release --product dns01-webhook" in runs
    script = (REPO / "scripts" / "build-release").read_text()
    assert re.search(r"swift build -c release --static-swift-stdlib\b", script), script
    assert "-function-sections" in script


def test_build_image_matches_the_package_tools_version() -> None:
    tools = re.search(r"swift-tools-version:\s*(\d+\.\d+)", (REPO / "Package.swift").read_text())
    assert tools, "Package.swift has no tools version"
    build_image = resolve(stages()[0][0][1].split()[0])
    assert build_image.startswith(f"swift:{tools.group(1)}"), (build_image, tools.group(1))


def test_runtime_glibc_matches_the_builder() -> None:
    build_image = resolve(stages()[0][0][1].split()[0])
    runtime_image = resolve(stages()[-1][0][1].split()[0])
    # Debian 12 both sides (a newer builder glibc would not load on the runtime's).
    assert build_image.endswith("-bookworm")
    assert "debian12" in runtime_image or "bookworm" in runtime_image


def test_runtime_is_non_root_with_the_binary_as_entrypoint() -> None:
    final = stages()[-1]
    runtime_image = resolve(final[0][1].split()[0])
    assert "swift" not in runtime_image, "the toolchain must not ship"
    users = [rest for word, rest in final if word == "USER"]
    assert users and users[-1].split(":")[0] == "65532"
    entry = [json.loads(rest) for word, rest in final if word == "ENTRYPOINT"]
    assert entry[-1] == ["/usr/local/bin/dns01-webhook"]
    cmd = [json.loads(rest) for word, rest in final if word == "CMD"]
    assert cmd[-1] == ["serve"]
    copies = [rest for word, rest in final if word == "COPY"]
    assert any("/usr/local/bin/" in c and "--from=build" in c for c in copies)


def test_chart_runs_as_the_image_user() -> None:
    r = render(VALUE_SETS["default"])
    user = [rest for word, rest in stages()[-1] if word == "USER"][-1]
    uid, gid = (int(x) for x in user.split(":"))
    assert r.pod_spec["securityContext"]["runAsUser"] == uid
    assert r.pod_spec["securityContext"]["runAsGroup"] == gid
    assert "command" not in r.container, "the chart relies on the image's ENTRYPOINT"


def test_dockerignore_keeps_the_build_context_small() -> None:
    ignored = (REPO / ".dockerignore").read_text().split()
    for entry in (".git", ".build"):
        assert entry in ignored
    # SwiftPM needs every target folder, tests included, to load the manifest.
    assert "Tests" not in ignored and "Sources" not in ignored


def named_stage(name: str) -> list[tuple[str, str]]:
    for stage in stages():
        parts = stage[0][1].split()
        if len(parts) == 3 and parts[1].upper() == "AS" and parts[2] == name:
            return stage
    raise AssertionError(f"no stage named {name}")


def test_default_image_stays_distroless() -> None:
    # `docker build .` builds the last stage: the acmesh flavour must come before it.
    runtime_image = resolve(stages()[-1][0][1].split()[0])
    assert runtime_image.startswith("gcr.io/distroless/"), runtime_image


def test_acmesh_flavour_adds_a_shell_userland_and_the_shim() -> None:
    stage = named_stage("acmesh")
    base = resolve(stage[0][1].split()[0])
    assert base.endswith("bookworm-slim"), base  # the builder's glibc
    runs = " ".join(rest for word, rest in stage if word == "RUN")
    for package in ("curl", "openssl", "ca-certificates"):
        assert re.search(rf"apt-get install [^;]*\b{package}\b", runs), package
    # The image build fails when the shim lacks a tool.
    assert "acmesh-run.sh --check-tools" in runs
    copies = [rest for word, rest in stage if word == "COPY"]
    assert any("--from=build" in c and c.endswith("/usr/local/bin/") for c in copies)
    # Where the binary looks for the shim: ../libexec/dns01-webhook/acmesh next to it.
    assert any("shims/acmesh/acmesh-run.sh" in c and "shims/acmesh/acmesh-shim.sh" in c
               and c.endswith("/usr/local/libexec/dns01-webhook/acmesh/") for c in copies)
    for shim in ("acmesh-run.sh", "acmesh-shim.sh"):
        assert (REPO / "shims" / "acmesh" / shim).is_file()
    assert [rest for word, rest in stage if word == "USER"][-1] == "65532:65532"
    assert [json.loads(rest) for word, rest in stage if word == "ENTRYPOINT"][-1] == ["/usr/local/bin/dns01-webhook"]
    assert [json.loads(rest) for word, rest in stage if word == "CMD"][-1] == ["serve"]
    ignored = (REPO / ".dockerignore").read_text().split()
    assert "shims" not in ignored
