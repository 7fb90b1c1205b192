"""The values shared with cert-manager's chart (image, global.imagePullSecrets, serviceAccount,
podSecurityContext / containerSecurityContext, podDisruptionBudget) and the OpenShift example:
what each one renders, that older names still work, and that nothing in the templates pins a
UID, GID or fsGroup any more."""

from __future__ import annotations

import re
from typing import Any, Iterator

import helm_python as helm
import pytest
import yaml

from chart_pss import restricted_violations
from chart_render import (CHART_DIR, GROUP, NAMESPACE, OPENSHIFT_VALUES, VALUE_SETS, Rendered,
                          example_values, render)

APP_VERSION = yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())["appVersion"]
DEFAULTS = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
DIGEST = "sha256:" + "b" * 64


# ---- image --------------------------------------------------------------------------------

@pytest.mark.parametrize("image,expected", [
    ({}, f"ghcr.io/dns01-webhook/dns01-webhook:{APP_VERSION}"),
    ({"tag": "0.2.0"}, "ghcr.io/dns01-webhook/dns01-webhook:0.2.0"),
    ({"digest": DIGEST}, f"ghcr.io/dns01-webhook/dns01-webhook@{DIGEST}"),
    ({"tag": "0.2.0", "digest": DIGEST}, f"ghcr.io/dns01-webhook/dns01-webhook@{DIGEST}"),
    # A registry goes in front of the repository (cert-manager's image.registry).
    ({"registry": "registry.example.com", "repository": "platform/dns01-webhook"},
     f"registry.example.com/platform/dns01-webhook:{APP_VERSION}"),
    ({"registry": "registry.example.com:5000/mirror/", "repository": "dns01-webhook", "digest": DIGEST},
     f"registry.example.com:5000/mirror/dns01-webhook@{DIGEST}"),
    # Values written for chart 0.1.0, with the whole name in repository, mean the same.
    ({"repository": "registry.example.com/platform/dns01-webhook", "tag": "0.1.0"},
     "registry.example.com/platform/dns01-webhook:0.1.0"),
], ids=["default", "tag", "digest", "digest-wins", "registry", "registry-prefix-digest", "0.1.0-style"])
def test_image_reference(image: dict[str, str], expected: str) -> None:
    r = render({"groupName": GROUP, "image": image})
    assert r.container["image"] == expected


def test_default_image_is_the_documented_one() -> None:
    assert DEFAULTS["image"]["registry"] == ""
    assert DEFAULTS["image"]["repository"] == "ghcr.io/dns01-webhook/dns01-webhook"
    assert DEFAULTS["image"]["tag"] == ""
    install = (CHART_DIR.parents[1] / "docs" / "install.md").read_text()
    assert "ghcr.io/dns01-webhook/dns01-webhook" in install
    assert "image.registry" in install and "image.repository" in install


def test_pull_secrets_under_both_names() -> None:
    r = render(VALUE_SETS["imageRegistry"])
    assert r.pod_spec["imagePullSecrets"] == [{"name": "regcred"}, {"name": "legacy-regcred"}]
    r = render({"groupName": GROUP, "global": {"imagePullSecrets": [{"name": "a"}]},
                "imagePullSecrets": [{"name": "a"}, {"name": "b"}]})
    assert r.pod_spec["imagePullSecrets"] == [{"name": "a"}, {"name": "b"}], "duplicates dropped"
    r = render({"groupName": GROUP, "imagePullSecrets": [{"name": "only-old"}]})
    assert r.pod_spec["imagePullSecrets"] == [{"name": "only-old"}]
    assert "imagePullSecrets" not in render(VALUE_SETS["default"]).pod_spec


def test_global_accepts_a_parent_charts_keys() -> None:
    """global is shared with a parent chart: keys this chart does not know pass."""
    r = render({"groupName": GROUP, "global": {"commonLabels": {"a": "b"}, "priorityClassName": "x"}})
    assert r.deployment


# ---- serviceAccount ---------------------------------------------------------------------

def test_existing_service_account_is_used_everywhere() -> None:
    r = render(VALUE_SETS["existingServiceAccount"])
    assert r.of_kind("ServiceAccount") == []
    assert r.pod_spec["serviceAccountName"] == "dns01-solver"
    subject = {"kind": "ServiceAccount", "name": "dns01-solver", "namespace": NAMESPACE}
    webhook_bindings = [b for b in r.of_kind("RoleBinding") + r.of_kind("ClusterRoleBinding")
                        if not b["metadata"]["name"].endswith(":domain-solver")]
    # authentication reader, auth delegator, 2 x credentials, record-name locks (huaweicloud is served)
    assert len(webhook_bindings) == 5
    for binding in webhook_bindings:
        assert binding["subjects"] == [subject], binding["metadata"]["name"]


def test_existing_service_account_needs_a_name() -> None:
    with pytest.raises(helm.HelmRenderError) as err:
        render({"groupName": GROUP, "serviceAccount": {"create": False}})
    assert "serviceAccount.name is required when serviceAccount.create is false" in str(err.value)


def test_automount_is_the_service_accounts_default_only() -> None:
    r = render(VALUE_SETS["imageRegistry"])
    assert r.one("ServiceAccount")["automountServiceAccountToken"] is False
    # The server needs its token, so the pod asks for it whatever the account says.
    assert r.pod_spec["automountServiceAccountToken"] is True
    assert render(VALUE_SETS["default"]).one("ServiceAccount")["automountServiceAccountToken"] is True


# ---- security contexts ------------------------------------------------------------------

def test_templates_pin_no_ids() -> None:
    """The IDs live in values.yaml (where OpenShift users null them), not in a template."""
    for path in (CHART_DIR / "templates").iterdir():
        text = path.read_text()
        assert "65532" not in text, path.name
        assert not re.search(r"\b(runAsUser|runAsGroup|fsGroup)\s*:", text), path.name


def test_security_contexts_come_from_the_values(default_rendering: Rendered) -> None:
    assert default_rendering.pod_spec["securityContext"] == DEFAULTS["podSecurityContext"]
    assert default_rendering.container["securityContext"] == DEFAULTS["containerSecurityContext"]
    assert DEFAULTS["podSecurityContext"]["runAsUser"] == 65532
    assert DEFAULTS["podSecurityContext"]["fsGroup"] == 65532
    # With the fixed fsGroup the key is readable by the webhook's group only.
    (tls,) = [v for v in default_rendering.pod_spec["volumes"] if v["name"] == "tls"]
    assert tls["secret"]["defaultMode"] == 0o440


def test_security_context_keys_can_be_changed_and_added() -> None:
    r = render({"groupName": GROUP,
                "podSecurityContext": {"runAsUser": 1000, "supplementalGroups": [4000]},
                "containerSecurityContext": {"runAsUser": 1000,
                                             "seccompProfile": {"type": "Localhost",
                                                                "localhostProfile": "profiles/webhook.json"}}})
    psc, csc = r.pod_spec["securityContext"], r.container["securityContext"]
    assert psc["runAsUser"] == 1000 and psc["supplementalGroups"] == [4000]
    assert psc["fsGroup"] == 65532, "keys not given keep their defaults"
    assert csc["seccompProfile"] == {"type": "Localhost", "localhostProfile": "profiles/webhook.json"}
    assert csc["readOnlyRootFilesystem"] is True
    assert restricted_violations(r.pod_spec) == []


# ---- OpenShift ---------------------------------------------------------------------------

ID_KEYS = {"runAsUser", "runAsGroup", "fsGroup", "supplementalGroups", "fsGroupChangePolicy"}


def walk(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from walk(item, f"{path}[{i}]")


@pytest.mark.parametrize("extra", [{}, {"prometheusRule": {"enabled": True}, "serviceMonitor": {"enabled": True},
                                        "grafanaDashboard": {"enabled": True}, "replicaCount": 3}],
                         ids=["example", "example+monitoring"])
def test_openshift_values_render_no_fixed_ids(extra: dict[str, Any]) -> None:
    values = {**VALUE_SETS["openshift"], **extra}
    r = render(values)
    found = [f"{d['kind']}/{d['metadata'].get('name')}{path}.{key}={value}"
             for d in r.docs for path, key, value in walk(d) if key in ID_KEYS]
    assert found == []
    assert "65532" not in "".join(r.sources.values())
    # Still the restricted standard, which OpenShift's restricted-v2 SCC also demands.
    annotations = r.deployment["spec"]["template"]["metadata"].get("annotations")
    assert restricted_violations(r.pod_spec, annotations) == []
    psc, csc = r.pod_spec["securityContext"], r.container["securityContext"]
    assert psc == {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
    assert csc["allowPrivilegeEscalation"] is False and csc["capabilities"] == {"drop": ["ALL"]}
    assert csc["runAsNonRoot"] is True and csc["readOnlyRootFilesystem"] is True
    assert not r.pod_spec.get("hostNetwork")
    # Whatever UID and group OpenShift assigns can read the serving key.
    (tls,) = [v for v in r.pod_spec["volumes"] if v["name"] == "tls"]
    assert tls["secret"]["defaultMode"] == 0o444


def test_openshift_example_only_drops_ids() -> None:
    example = example_values(OPENSHIFT_VALUES)
    assert set(example) == {"podSecurityContext", "containerSecurityContext"}
    for context in example.values():
        assert set(context) <= ID_KEYS
        assert all(value is None for value in context.values())
    with helm.Chart.load(str(CHART_DIR)) as chart:
        chart.validate_schema({"groupName": GROUP, **example})


# ---- podDisruptionBudget (cert-manager's names) ---------------------------------------------

@pytest.mark.parametrize("pdb,expected", [
    ({}, {"minAvailable": 1}),
    ({"minAvailable": "50%"}, {"minAvailable": "50%"}),
    ({"maxUnavailable": 1}, {"maxUnavailable": 1}),
    ({"minAvailable": None, "maxUnavailable": "25%"}, {"maxUnavailable": "25%"}),
    ({"enabled": False}, None),
])
def test_pod_disruption_budget_values(pdb: dict[str, Any], expected: dict[str, Any] | None) -> None:
    r = render({"groupName": GROUP, "replicaCount": 3, "podDisruptionBudget": pdb})
    budgets = r.of_kind("PodDisruptionBudget")
    if expected is None:
        assert budgets == []
        return
    (budget,) = budgets
    spec = dict(budget["spec"])
    spec.pop("selector")
    assert spec == expected


# ---- schema ---------------------------------------------------------------------------------

BAD = {
    "serviceAccount.create": ({"serviceAccount": {"create": "yes"}}, "/serviceAccount/create"),
    "automount": ({"serviceAccount": {"automountServiceAccountToken": "no"}},
                  "/serviceAccount/automountServiceAccountToken"),
    "pull secret as a string": ({"global": {"imagePullSecrets": ["regcred"]}}, "/global/imagePullSecrets/0"),
    "old pull secret without name": ({"imagePullSecrets": [{"secret": "regcred"}]}, "/imagePullSecrets/0"),
    "registry with scheme": ({"image": {"registry": "https://registry.example.com"}}, "/image/registry"),
    "repository with digest": ({"image": {"repository": "x@sha256:abc"}}, "/image/repository"),
    "tag with colon": ({"image": {"tag": "dns01:1.0"}}, "/image/tag"),
    "negative uid": ({"podSecurityContext": {"runAsUser": -1}}, "/podSecurityContext/runAsUser"),
    "uid as string": ({"containerSecurityContext": {"runAsUser": "65532"}}, "/containerSecurityContext/runAsUser"),
    "seccomp type": ({"podSecurityContext": {"seccompProfile": {"type": "Default"}}},
                     "/podSecurityContext/seccompProfile/type"),
    "context not a map": ({"containerSecurityContext": "restricted"}, "/containerSecurityContext"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_schema_rejects(case: str) -> None:
    bad, where = BAD[case]
    with helm.Chart.load(str(CHART_DIR)) as chart:
        with pytest.raises(helm.HelmValuesError) as err:
            chart.validate_schema({"groupName": GROUP, **bad})
        assert where in str(err.value)


# ---- upgrades ----------------------------------------------------------------------------

@pytest.mark.parametrize("dropped,key", [
    ({"podSecurityContext": None}, "podSecurityContext"),
    ({"containerSecurityContext": None}, "containerSecurityContext"),
    ({"prometheusRule": None}, "prometheusRule"),
    ({"grafanaDashboard": None}, "grafanaDashboard"),
    ({"serviceAccount": {"create": None}}, "serviceAccount.create"),
])
def test_values_without_this_versions_blocks_are_refused(dropped: dict[str, Any], key: str) -> None:
    """What `helm upgrade --reuse-values` from chart 0.1.0 hands the templates: the old chart's
    defaults, without the blocks added since. Rendering on would drop the pod's securityContext
    (or the ServiceAccount), so the chart stops and says which flag to use."""
    with pytest.raises(helm.HelmRenderError) as err:
        render({"groupName": GROUP, **dropped})
    message = str(err.value)
    assert f"the values lack {key}" in message
    assert "--reset-then-reuse-values" in message and "-f" in message


def test_notes_name_the_image_and_the_deprecated_value() -> None:
    r = render(VALUE_SETS["imageRegistry"])
    assert "Image:        registry.example.com:5000/platform/dns01-webhook:0.1.0-rc.1" in r.notes
    assert "imagePullSecrets value is deprecated" in r.notes
    assert "deprecated" not in render({"groupName": GROUP, "global": {"imagePullSecrets": [{"name": "a"}]}}).notes


@pytest.mark.parametrize("name,ours", [("securityContext", "podSecurityContext"), ("strategy", "updateStrategy")])
def test_cert_managers_other_names_are_refused_with_ours(name: str, ours: str) -> None:
    """Values written for cert-manager's chart fail with this chart's name in the message,
    instead of the bare "additional properties not allowed"."""
    with helm.Chart.load(str(CHART_DIR)) as chart:
        with pytest.raises(helm.HelmValuesError) as err:
            chart.validate_schema({"groupName": GROUP, name: {"runAsNonRoot": True}})
        assert f"/{name}" in str(err.value) and f"this chart calls it {ours}" in str(err.value)
