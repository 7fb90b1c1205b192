"""The acmesh image flavour (docs/providers/acmesh.md): one value (image.flavor: acmesh)
selects the -acmesh image and turns on what the provider needs in the pod: an emptyDir on
/tmp, the scripts (a ConfigMap, or an init container fetching acme.sh's dnsapi/ folder), and
exactly the RBAC its state Secrets need in the release namespace. The default stays as it was."""

from __future__ import annotations

import helm_python as helm
import pytest
import yaml

from chart_pss import restricted_violations
from chart_render import CHART_DIR, GROUP, NAMESPACE, VALUE_SETS, bindings_to, rbac_rules, render

APP_VERSION = yaml.safe_load((CHART_DIR / "Chart.yaml").read_text())["appVersion"]
DIGEST = "sha256:" + "c" * 64


def acmesh_roles(r):
    return [role for role, rule in rbac_rules(r.docs) if role["metadata"]["name"].endswith(":acmesh-state")]


def test_default_has_no_acmesh_anything() -> None:
    r = render(VALUE_SETS["default"])
    assert r.container["image"].endswith(f":{APP_VERSION}")
    assert acmesh_roles(r) == []
    assert "initContainers" not in r.pod_spec
    names = [v["name"] for v in r.pod_spec["volumes"]]
    assert "tmp" not in names and "acmesh-scripts" not in names


@pytest.mark.parametrize("image,expected", [
    ({"flavor": "acmesh"}, f"ghcr.io/dns01-webhook/dns01-webhook:{APP_VERSION}-acmesh"),
    ({"flavor": "acmesh", "tag": "0.3.0"}, "ghcr.io/dns01-webhook/dns01-webhook:0.3.0-acmesh"),
    ({"flavor": "acmesh", "digest": DIGEST}, f"ghcr.io/dns01-webhook/dns01-webhook@{DIGEST}"),
])
def test_one_value_selects_the_acmesh_image(image, expected) -> None:
    r = render({"groupName": GROUP, "image": image})
    assert r.container["image"] == expected


def test_acmesh_rbac_is_exactly_the_state_secrets_in_the_release_namespace() -> None:
    r = render(VALUE_SETS["acmeshConfigMap"])
    roles = acmesh_roles(r)
    assert len(roles) == 1
    role = roles[0]
    assert role["kind"] == "Role" and role["metadata"]["namespace"] == NAMESPACE
    assert role["rules"] == [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "create", "update", "delete"]}]
    bindings = bindings_to(r.docs, role)
    assert len(bindings) == 1
    assert bindings[0]["subjects"] == [{"kind": "ServiceAccount", "name": "dns01-webhook", "namespace": NAMESPACE}]


def test_configmap_scripts_are_mounted_read_only_at_scripts_dir() -> None:
    r = render(VALUE_SETS["acmeshConfigMap"])
    volumes = {v["name"]: v for v in r.pod_spec["volumes"]}
    assert volumes["acmesh-scripts"]["configMap"]["name"] == "acmesh-scripts"
    assert "emptyDir" in volumes["tmp"]
    mounts = {m["name"]: m for m in r.container["volumeMounts"]}
    assert mounts["acmesh-scripts"] == {"name": "acmesh-scripts", "mountPath": "/opt/acme.sh/dnsapi", "readOnly": True}
    assert mounts["tmp"]["mountPath"] == "/tmp"
    assert "initContainers" not in r.pod_spec
    assert restricted_violations(r.pod_spec) == []


def test_fetch_runs_an_init_container_with_the_pinned_release() -> None:
    r = render(VALUE_SETS["acmeshFetch"])
    (init,) = r.pod_spec["initContainers"]
    assert init["image"] == r.container["image"]
    env = {e["name"]: e["value"] for e in init["env"]}
    assert env == {
        "ACMESH_VERSION": "3.1.4",
        "ACMESH_URL": "https://github.com/acmesh-official/acme.sh/archive/refs/tags/3.1.4.tar.gz",
        "ACMESH_SHA256": "a" * 64,
    }
    script = init["args"][0]
    assert "sha256sum -c" in script and "--strip-components=2" in script and '"acme.sh-$ACMESH_VERSION/dnsapi"' in script
    assert {m["mountPath"] for m in init["volumeMounts"]} == {"/acmesh-scripts", "/tmp"}
    assert init["securityContext"] == r.container["securityContext"]
    volumes = {v["name"]: v for v in r.pod_spec["volumes"]}
    assert "emptyDir" in volumes["acmesh-scripts"]
    assert restricted_violations(r.pod_spec) == []


def test_a_default_config_naming_acmesh_needs_the_flavour() -> None:
    with pytest.raises(helm.HelmRenderError) as err:
        render({"groupName": GROUP, "config": {"acmesh": {"script": "dns_cf"}}})
    assert "config names the acmesh provider, which needs the acmesh image flavour: set image.flavor: acmesh" in str(err.value)


@pytest.mark.parametrize("bad,where", [
    ({"image": {"repository": "x", "flavor": "busybox"}}, "flavor"),
    ({"acmesh": {"scripts": {"fetch": {"url": "http://example.com/x.tar.gz"}}}}, "url"),
    ({"acmesh": {"scripts": {"fetch": {"sha256": "nothex"}}}}, "sha256"),
    ({"acmesh": {"scriptsDir": "relative"}}, "scriptsDir"),
])
def test_schema_rejects_bad_acmesh_values(bad, where) -> None:
    with helm.Chart.load(str(CHART_DIR)) as chart:
        with pytest.raises(helm.HelmValuesError) as err:
            chart.validate_schema({"groupName": GROUP, **bad})
        assert where in str(err.value)
