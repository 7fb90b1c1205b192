"""The webhook pod satisfies the Kubernetes "restricted" Pod Security Standard, and the
checker that says so really catches each kind of violation."""

from __future__ import annotations

import copy

import pytest

from chart_render import VALUE_SETS, Rendered, render
from chart_pss import baseline_violations, restricted_violations

NON_HOST_NETWORK_SETS = sorted(k for k, v in VALUE_SETS.items() if not v.get("hostNetwork"))


@pytest.mark.parametrize("value_set", NON_HOST_NETWORK_SETS)
def test_pod_passes_the_restricted_standard(value_set: str) -> None:
    r = render(VALUE_SETS[value_set])
    annotations = r.deployment["spec"]["template"]["metadata"].get("annotations")
    assert restricted_violations(r.pod_spec, annotations) == []


def test_restricted_fields_explicitly(default_rendering: Rendered) -> None:
    """The same standard, spelled out on the rendered fields."""
    spec = default_rendering.pod_spec
    psc = spec["securityContext"]
    assert psc["runAsNonRoot"] is True
    assert psc["runAsUser"] != 0 and psc["runAsUser"] == 65532
    assert psc["seccompProfile"] == {"type": "RuntimeDefault"}
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        assert not spec.get(key)
    for vol in spec["volumes"]:
        assert set(vol) - {"name"} <= {"secret", "configMap", "projected", "emptyDir", "downwardAPI"}
    containers = spec["containers"] + spec.get("initContainers", [])
    for c in containers:
        sc = c["securityContext"]
        assert sc["allowPrivilegeEscalation"] is False
        assert sc["privileged"] is False
        assert sc["runAsNonRoot"] is True
        assert sc["runAsUser"] != 0
        assert sc["readOnlyRootFilesystem"] is True
        assert sc["capabilities"] == {"drop": ["ALL"]}
        assert sc["seccompProfile"] == {"type": "RuntimeDefault"}
        assert all(not p.get("hostPort") for p in c.get("ports", []))


def test_read_only_root_filesystem_everywhere(any_rendering: Rendered) -> None:
    for c in any_rendering.pod_spec["containers"]:
        assert c["securityContext"]["readOnlyRootFilesystem"] is True


def test_host_network_breaks_only_the_host_namespace_control() -> None:
    """hostNetwork is a documented trade-off (namespace must allow it); everything else holds."""
    r = render(VALUE_SETS["hostNetwork"])
    assert restricted_violations(r.pod_spec) == ["spec.hostNetwork must be unset or false"]


# ---- the checker itself -------------------------------------------------------------------

def _mutations():
    """(description, mutate(spec)) pairs, each a distinct violation of the standard."""
    def c0(spec):
        return spec["containers"][0]

    def sc(spec):
        return c0(spec)["securityContext"]

    return [
        ("hostPID", lambda s: s.__setitem__("hostPID", True)),
        ("hostIPC", lambda s: s.__setitem__("hostIPC", True)),
        ("hostNetwork", lambda s: s.__setitem__("hostNetwork", True)),
        ("privileged", lambda s: sc(s).__setitem__("privileged", True)),
        ("add SYS_ADMIN", lambda s: sc(s)["capabilities"].__setitem__("add", ["SYS_ADMIN"])),
        ("add CHOWN (baseline ok, restricted not)", lambda s: sc(s)["capabilities"].__setitem__("add", ["CHOWN"])),
        ("drop not ALL", lambda s: sc(s)["capabilities"].__setitem__("drop", ["NET_RAW"])),
        ("hostPath volume", lambda s: s["volumes"].append({"name": "h", "hostPath": {"path": "/"}})),
        ("gitRepo-like volume", lambda s: s["volumes"].append({"name": "n", "nfs": {"server": "x", "path": "/"}})),
        ("hostPort", lambda s: c0(s)["ports"][0].__setitem__("hostPort", 8443)),
        ("apparmor unconfined", lambda s: sc(s).__setitem__("appArmorProfile", {"type": "Unconfined"})),
        ("selinux type", lambda s: s["securityContext"].__setitem__("seLinuxOptions", {"type": "spc_t"})),
        ("selinux user", lambda s: sc(s).__setitem__("seLinuxOptions", {"user": "root"})),
        ("procMount", lambda s: sc(s).__setitem__("procMount", "Unmasked")),
        ("seccomp unconfined", lambda s: sc(s).__setitem__("seccompProfile", {"type": "Unconfined"})),
        ("seccomp unset", lambda s: (s["securityContext"].pop("seccompProfile"), sc(s).pop("seccompProfile"))),
        ("unsafe sysctl", lambda s: s["securityContext"].__setitem__("sysctls", [{"name": "kernel.msgmax", "value": "1"}])),
        ("allowPrivilegeEscalation unset", lambda s: sc(s).pop("allowPrivilegeEscalation")),
        ("allowPrivilegeEscalation true", lambda s: sc(s).__setitem__("allowPrivilegeEscalation", True)),
        ("runAsNonRoot false", lambda s: sc(s).__setitem__("runAsNonRoot", False)),
        ("runAsNonRoot unset", lambda s: (s["securityContext"].pop("runAsNonRoot"), sc(s).pop("runAsNonRoot"))),
        ("runAsUser 0", lambda s: sc(s).__setitem__("runAsUser", 0)),
        ("pod runAsUser 0", lambda s: s["securityContext"].__setitem__("runAsUser", 0)),
        ("windows hostProcess", lambda s: sc(s).__setitem__("windowsOptions", {"hostProcess": True})),
        ("init container without hardening", lambda s: s.__setitem__("initContainers", [{"name": "init", "image": "x"}])),
    ]


@pytest.mark.parametrize("description,mutate", _mutations(), ids=[d for d, _ in _mutations()])
def test_checker_detects_each_violation(default_rendering: Rendered, description: str, mutate) -> None:
    spec = copy.deepcopy(default_rendering.pod_spec)
    assert restricted_violations(spec) == []
    mutate(spec)
    assert restricted_violations(spec), f"{description} was not detected"


def test_baseline_allows_what_only_restricted_forbids(default_rendering: Rendered) -> None:
    spec = copy.deepcopy(default_rendering.pod_spec)
    spec["containers"][0]["securityContext"]["capabilities"] = {"add": ["CHOWN"]}
    spec["containers"][0]["securityContext"]["allowPrivilegeEscalation"] = True
    assert baseline_violations(spec) == []
    assert len(restricted_violations(spec)) == 3
