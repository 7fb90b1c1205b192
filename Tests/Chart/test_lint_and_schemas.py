"""helm lint, Kubernetes JSON-schema validation of every rendered manifest, and the chart's
own values.schema.json."""

from __future__ import annotations

import helm_python as helm
import kubernetes_validate
import pytest
from kubernetes_validate.utils import all_versions, latest_version

from chart_render import CHART_DIR, CRD_KINDS, GROUP, VALUE_SETS, render

OLDEST_SUPPORTED = "1.27.0"
NEWEST = latest_version()
KUBE_VERSIONS = [OLDEST_SUPPORTED, NEWEST]


def test_schemas_cover_the_versions_we_claim() -> None:
    versions = all_versions()
    assert any(v.startswith("1.27") for v in versions), versions
    # The newest bundled schema is at least as new as 1.27, so the pair really spans a range.
    assert tuple(int(x) for x in NEWEST.split(".")[:2]) > (1, 27), NEWEST


# ---- helm lint ------------------------------------------------------------------------

@pytest.mark.parametrize("kube", ["v" + OLDEST_SUPPORTED, "v" + NEWEST])
@pytest.mark.parametrize("value_set", sorted(VALUE_SETS))
def test_helm_lint_strict_is_clean(value_set: str, kube: str) -> None:
    report = helm.lint(str(CHART_DIR), VALUE_SETS[value_set], strict=True,
                       namespace="cert-manager", kube_version=kube)
    assert report["total_charts_linted"] == 1
    assert report["errors"] == []
    # Severity 2 = warning, 3 = error; strict lint fails on both. Info (1) is fine.
    serious = [m for m in report["messages"] if m["severity"] >= 2]
    assert serious == []


def test_helm_lint_without_group_name_fails() -> None:
    report = helm.lint(str(CHART_DIR), {}, strict=True, namespace="cert-manager")
    assert report["errors"], report
    assert any("groupName" in e for e in report["errors"]), report["errors"]


def test_chart_metadata() -> None:
    with helm.Chart.load(str(CHART_DIR)) as chart:
        meta = chart.metadata
        assert meta["apiVersion"] == "v2"
        assert meta["name"] == "dns01-webhook"
        assert chart.schema is not None, "values.schema.json must ship with the chart"


# ---- Kubernetes JSON schemas ----------------------------------------------------------

@pytest.mark.parametrize("kube", KUBE_VERSIONS)
@pytest.mark.parametrize("value_set", sorted(VALUE_SETS))
def test_every_manifest_validates_against_kubernetes_schemas(value_set: str, kube: str) -> None:
    rendered = render(VALUE_SETS[value_set])
    validated = 0
    for doc in rendered.docs:
        key = (doc["apiVersion"], doc["kind"])
        if key in CRD_KINDS:
            # CRD-backed kinds have no schema in kubernetes-validate; test_manifests.py
            # asserts their fields instead.
            continue
        try:
            kubernetes_validate.validate(doc, kube, strict=True)
        except kubernetes_validate.ValidationError as err:
            path = ".".join(str(p) for p in err.path)
            pytest.fail(f"{doc['kind']}/{doc['metadata'].get('name')} invalid for {kube} at {path}: {err.message}")
        except kubernetes_validate.SchemaNotFoundError as err:
            pytest.fail(f"no schema for {key} in {kube}: {err.message}; add it to CRD_KINDS only if it is a CRD")
        validated += 1
    assert validated >= 10, f"only {validated} manifests were validated"


def test_schema_validation_catches_a_broken_manifest(default_rendering) -> None:
    """The validator is not a no-op: a Deployment with a wrong field type is rejected."""
    dep = default_rendering.deployment
    dep["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(dep, OLDEST_SUPPORTED, strict=True)
    dep["spec"]["replicas"] = 2
    dep["spec"]["template"]["spec"]["containers"][0]["securityContext"]["readOnlyRootFilesystm"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(dep, NEWEST, strict=True)


def test_only_expected_kinds_are_rendered(any_rendering) -> None:
    kinds = {(d["apiVersion"], d["kind"]) for d in any_rendering.docs}
    allowed = CRD_KINDS | {
        ("v1", "ServiceAccount"), ("v1", "Service"), ("v1", "ConfigMap"),
        ("apps/v1", "Deployment"), ("policy/v1", "PodDisruptionBudget"),
        ("apiregistration.k8s.io/v1", "APIService"),
        ("rbac.authorization.k8s.io/v1", "Role"), ("rbac.authorization.k8s.io/v1", "RoleBinding"),
        ("rbac.authorization.k8s.io/v1", "ClusterRole"),
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    }
    assert kinds <= allowed, kinds - allowed


# ---- values.schema.json ---------------------------------------------------------------

BAD_GROUP_NAMES = [
    "Not_A_DNS_Name",
    "",
    "acme",  # a single label: not a domain the user owns
    "ACME.Example.com",
    "-acme.example.com",
    "acme.example.com.",
    "acme..example.com",
    "acme example.com",
    ("a" * 64) + ".example.com",  # label longer than 63
    ".".join(["abcdefghij"] * 23),  # 252 characters: v1alpha1.<group> would exceed 253
]


@pytest.mark.parametrize("bad", BAD_GROUP_NAMES, ids=lambda s: repr(s)[:30])
def test_schema_rejects_bad_group_name(bad: str) -> None:
    with helm.Chart.load(str(CHART_DIR)) as chart:
        with pytest.raises(helm.HelmValuesError) as err:
            chart.validate_schema({"groupName": bad})
        assert "groupName" in str(err.value)
        # Rendering (what `helm install` does) refuses it too.
        with pytest.raises(helm.HelmValuesError):
            chart.render({"groupName": bad}, name="dns01-webhook", namespace="cert-manager")


def test_schema_rejects_missing_group_name() -> None:
    with helm.Chart.load(str(CHART_DIR)) as chart:
        with pytest.raises(helm.HelmValuesError) as err:
            chart.render({}, name="dns01-webhook", namespace="cert-manager")
        assert "groupName" in str(err.value)
        # Explicitly unsetting it (null removes a key in Helm) is still missing.
        with pytest.raises(helm.HelmValuesError):
            chart.render({"groupName": None}, name="dns01-webhook", namespace="cert-manager")


@pytest.mark.parametrize("good", ["acme.example.com", "dns01.platform.corp.example.org",
                                  "a1.b2", "xn--bcher-kva.example"])
def test_schema_accepts_good_group_names(good: str) -> None:
    with helm.Chart.load(str(CHART_DIR)) as chart:
        chart.validate_schema({"groupName": good})


BAD_VALUES = {
    "replicas zero": ({"replicaCount": 0}, '/replicaCount'),
    "replicas string": ({"replicaCount": "2"}, '/replicaCount'),
    "privileged port": ({"securePort": 443}, '/securePort'),
    "port too high": ({"securePort": 70000}, '/securePort'),
    "service port zero": ({"service": {"port": 0}}, '/service/port'),
    "log format": ({"logFormat": "xml"}, '/logFormat'),
    "log level": ({"logLevel": "verbose"}, '/logLevel'),
    "duration": ({"requestTimeout": "25 seconds"}, '/requestTimeout'),
    "typo at top level": ({"replicas": 3}, "'replicas'"),
    "typo in certManager": ({"certManager": {"namespace": "cert-manager", "serviceAccount": "x"}}, "'serviceAccount'"),
    "certManager namespace": ({"certManager": {"namespace": "Cert_Manager", "serviceAccountName": "cert-manager"}}, '/certManager/namespace'),
    "empty cert-manager SA": ({"certManager": {"namespace": "cert-manager", "serviceAccountName": ""}}, '/certManager/serviceAccountName'),
    "secret namespace": ({"secretAccess": {"namespaces": ["Team A"]}}, '/secretAccess/namespaces/0'),
    "clusterWide not bool": ({"secretAccess": {"clusterWide": "yes"}}, '/secretAccess/clusterWide'),
    "no solvers": ({"solvers": []}, '/solvers'),
    "bad solver name": ({"solvers": ["route53 "]}, '/solvers/0'),
    "solver name with a dot": ({"solvers": ["cloud.dns"]}, '/solvers/0'),
    "config not a map": ({"config": "route53: {}"}, '/config'),
    "pdb percent": ({"podDisruptionBudget": {"minAvailable": "half"}}, '/podDisruptionBudget/minAvailable'),
    "spread policy": ({"topologySpread": {"whenUnsatisfiable": "Sometimes"}}, '/topologySpread/whenUnsatisfiable'),
    "image digest": ({"image": {"repository": "x", "digest": "latest"}}, '/image/digest'),
    "extraArgs not flags": ({"extraArgs": ["serve"]}, '/extraArgs/0'),
    "key algorithm": ({"pki": {"privateKey": {"algorithm": "DSA"}}}, '/pki/privateKey/algorithm'),
    "hostNetwork string": ({"hostNetwork": "true"}, '/hostNetwork'),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_schema_rejects_bad_values(case: str) -> None:
    bad, where = BAD_VALUES[case]
    with helm.Chart.load(str(CHART_DIR)) as chart:
        chart.validate_schema({"groupName": GROUP})  # the baseline is accepted ...
        with pytest.raises(helm.HelmValuesError) as err:  # ... and the one change is not
            chart.validate_schema({"groupName": GROUP, **bad})
        assert where in str(err.value)


@pytest.mark.parametrize("value_set", sorted(VALUE_SETS))
def test_schema_accepts_every_value_set(value_set: str) -> None:
    with helm.Chart.load(str(CHART_DIR)) as chart:
        chart.validate_schema(VALUE_SETS[value_set])
