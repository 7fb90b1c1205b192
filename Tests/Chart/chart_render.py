"""Rendering helpers and value sets for the chart tests.

The chart is rendered by the real Helm engine (Helm v4's Go SDK, loaded as a shared
library by the `helm-python-sdk` package), entirely offline: no cluster, no helm binary.
"""

from __future__ import annotations

import copy
import functools
import json
import pathlib
import re
from dataclasses import dataclass, field
from typing import Any

import helm_python as helm
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
CHART_DIR = REPO / "charts" / "dns01-webhook"

GROUP = "acme.example.com"
RELEASE = "dns01-webhook"
NAMESPACE = "cert-manager"

# The solver names the server serves: `dispatch` and one per provider, as the generated provider
# index (docs/providers/README.md, kept fresh by ProviderDocsTests from the registry) lists them.
PROVIDER_INDEX = REPO / "docs" / "providers" / "README.md"
SERVED_SOLVERS = ["dispatch"] + re.findall(r"^\| \[[^\]]*\]\([^)]*\) \| `([A-Za-z0-9]+)` \|", PROVIDER_INDEX.read_text(), flags=re.M)

# Values files shipped with the chart for users to pass with -f.
OPENSHIFT_VALUES = CHART_DIR / "examples" / "openshift-values.yaml"


def example_values(path: pathlib.Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())

# Named value sets the suite renders. Each is merged over the chart's defaults by Helm.
VALUE_SETS: dict[str, dict[str, Any]] = {
    "default": {"groupName": GROUP},
    "hostNetwork": {"groupName": GROUP, "hostNetwork": True, "securePort": 10260},
    "clusterWideSecrets": {"groupName": GROUP, "secretAccess": {"clusterWide": True}},
    "namespacedSecrets": {
        "groupName": GROUP,
        "secretAccess": {
            "namespaces": ["cert-manager", "team-a", "team-b", "team-a"],
            "secretNames": ["route53-credentials", "alidns-credentials"],
        },
    },
    "serviceAccountRef": {
        "groupName": GROUP,
        "route53": {"serviceAccountRef": {"enabled": True}},
    },
    "serviceAccountRefClusterWide": {
        "groupName": GROUP,
        "secretAccess": {"clusterWide": True},
        "route53": {
            "serviceAccountRef": {"enabled": True, "serviceAccountNames": ["route53-issuer"]}
        },
    },
    # The acmesh image flavour with scripts from a ConfigMap, and fetched by an init container.
    "acmeshConfigMap": {
        "groupName": GROUP,
        "image": {"flavor": "acmesh"},
        "acmesh": {"scripts": {"configMap": "acmesh-scripts"}},
        "config": {"acmesh": {"script": "dns_cf", "env": {"CF_Token": {"secretKeyRef": {"name": "cf", "key": "token"}}}}},
    },
    "acmeshFetch": {
        "groupName": GROUP,
        "image": {"flavor": "acmesh"},
        "acmesh": {"scripts": {"fetch": {"enabled": True, "sha256": "a" * 64}}},
    },
    "serviceMonitor": {
        "groupName": GROUP,
        "serviceMonitor": {
            "enabled": True,
            "labels": {"release": "kube-prometheus-stack"},
            "prometheusServiceAccount": {
                "name": "prometheus-k8s",
                "namespace": "monitoring",
            },
        },
    },
    "customCertManager": {
        "groupName": "acme.corp.example.org",
        "certManager": {"namespace": "security", "serviceAccountName": "cm-cert-manager"},
    },
    "workloadIdentity": {
        "groupName": GROUP,
        "serviceAccount": {
            "annotations": {
                "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/dns01-webhook",
                "pod-identity.alibabacloud.com/role-name": "dns01-webhook",
            }
        },
        "config": {
            "providers": [
                {"selector": {"dnsZones": ["example.com"]}, "route53": {"region": "us-east-1"}},
                {
                    "selector": {"dnsZones": ["example.cn"]},
                    "alidns": {
                        "regionId": "cn-hangzhou",
                        "accessTokenSecretRef": {"name": "alidns", "key": "access-key-id"},
                        "secretKeySecretRef": {"name": "alidns", "key": "access-key-secret"},
                    },
                },
            ]
        },
    },
    "singleReplica": {"groupName": GROUP, "replicaCount": 1},
    # examples/openshift-values.yaml: no fixed UID, GID or fsGroup anywhere.
    "openshift": {"groupName": GROUP, **example_values(OPENSHIFT_VALUES)},
    # An existing ServiceAccount (cert-manager's serviceAccount.create / name).
    "existingServiceAccount": {
        "groupName": GROUP,
        "serviceAccount": {"create": False, "name": "dns01-solver"},
        "secretAccess": {"namespaces": ["cert-manager", "team-a"]},
    },
    # A registry in front of the repository, and the pull secrets under both names.
    "imageRegistry": {
        "groupName": GROUP,
        "image": {"registry": "registry.example.com:5000", "repository": "platform/dns01-webhook",
                  "tag": "0.1.0-rc.1"},
        "global": {"imagePullSecrets": [{"name": "regcred"}]},
        "imagePullSecrets": [{"name": "legacy-regcred"}],
        "serviceAccount": {"automountServiceAccountToken": False},
    },
    # Every optional knob at once, so each template branch is rendered and validated.
    "everything": {
        "groupName": "dns01.platform.example.net",
        "fullnameOverride": "acme-dns",
        "replicaCount": 3,
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}},
        "podDisruptionBudget": {"enabled": True, "maxUnavailable": 1},
        "topologySpread": {"enabled": True, "whenUnsatisfiable": "DoNotSchedule",
                           "topologyKeys": ["kubernetes.io/hostname"]},
        "topologySpreadConstraints": [{
            "maxSkew": 2, "topologyKey": "topology.kubernetes.io/region",
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "dns01-webhook"}},
        }],
        "image": {"repository": "registry.example.com/dns01-webhook",
                  "digest": "sha256:" + "a" * 64, "pullPolicy": "Always"},
        "imagePullSecrets": [{"name": "regcred"}],
        "service": {"port": 8443, "annotations": {"example.com/owner": "platform"}},
        "bindAddress": "::",
        "logFormat": "text",
        "logLevel": "debug",
        "requestTimeout": "20s",
        "shutdownGracePeriod": "15s",
        "shutdownDelay": "3s",
        "terminationGracePeriodSeconds": 25,
        "extraArgs": ["--requestheader-allowed-names=front-proxy-client,aggregator"],
        "extraEnv": [
            {"name": "ALIBABA_CLOUD_ROLE_ARN", "value": "acs:ram::1234567890:role/dns01-webhook"},
            {"name": "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "value": "/var/run/secrets/rrsa/token"},
        ],
        "extraVolumes": [{"name": "rrsa-token", "projected": {"sources": [{"serviceAccountToken": {
            "path": "token", "audience": "sts.aliyuncs.com", "expirationSeconds": 3600}}]}}],
        "extraVolumeMounts": [{"name": "rrsa-token", "mountPath": "/var/run/secrets/rrsa", "readOnly": True}],
        "podAnnotations": {"example.com/team": "platform"},
        "podLabels": {"example.com/tier": "infra"},
        "priorityClassName": "system-cluster-critical",
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}],
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64", "arm64"]}]}]}}},
        "serviceAccount": {"name": "acme-dns-solver", "labels": {"example.com/team": "platform"}},
        "secretAccess": {"enabled": False},
        "route53": {"serviceAccountRef": {"enabled": True, "serviceAccountNames": ["route53-issuer"]}},
        "pki": {"clusterDomain": "cluster.local", "privateKey": {"algorithm": "RSA", "size": 2048},
                "caDuration": "87600h", "servingCertificateDuration": "2160h",
                "servingCertificateRenewBefore": "360h"},
        "apiService": {"groupPriorityMinimum": 2000, "versionPriority": 20},
        "solvers": ["dispatch", "route53"],
        "config": {"route53": {"region": "us-east-1"}},
        "serviceMonitor": {"enabled": True, "interval": "30s", "scrapeTimeout": "5s",
                           "tlsConfig": {"insecureSkipVerify": True}},
        "prometheusRule": {"enabled": True},
        "grafanaDashboard": {"enabled": True},
    },
    # Alerts and dashboard with every knob turned.
    "monitoring": {
        "groupName": GROUP,
        "serviceMonitor": {"enabled": True, "labels": {"release": "kube-prometheus-stack"}},
        "prometheusRule": {
            "enabled": True,
            "namespace": "monitoring",
            "labels": {"release": "kube-prometheus-stack"},
            "annotations": {"example.com/owner": "platform"},
            "additionalRuleLabels": {"team": "platform"},
            "additionalRuleAnnotations": {"dashboard": "https://grafana.example.com/d/dns01-webhook"},
            "selector": 'job="dns01-webhook",namespace="cert-manager",cluster="prod"',
            "kubeStateMetricsSelector": 'job="kube-state-metrics",cluster="prod"',
            "runbookBaseURL": "https://git.example.com/platform/dns01-webhook/blob/main/docs/install.md",
            "alerts": {
                "certificateExpiry": {"days": 21, "for": "2h", "severity": "critical"},
                "challengeFailures": {"ratio": 0.2, "minFailures": 5, "for": "10m"},
                "providerErrors": {"ratio": 0.05, "minErrors": 1},
                "providerThrottling": {"enabled": False},
                "providerLatency": {"quantile": 0.9, "seconds": 2.5, "severity": "info"},
                "podNotReady": {"for": "15m"},
                "unavailable": {"for": "2m", "severity": "page"},
            },
        },
        "grafanaDashboard": {
            "enabled": True,
            "namespace": "monitoring",
            "label": "grafana.example.com/dashboard",
            "labelValue": "dns01",
            "labels": {"team": "platform"},
            "annotations": {"grafana_folder": "cert-manager"},
        },
    },
}

# Kinds backed by CRDs (cert-manager, Prometheus Operator): not in the Kubernetes schemas.
CRD_KINDS = {
    ("cert-manager.io/v1", "Issuer"),
    ("cert-manager.io/v1", "Certificate"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("monitoring.coreos.com/v1", "PrometheusRule"),
}


@dataclass
class Rendered:
    """One rendering of the chart: parsed manifests plus NOTES.txt."""

    docs: list[dict[str, Any]]
    notes: str
    values: dict[str, Any]
    namespace: str
    release: str
    sources: dict[str, str] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [d for d in self.docs if d["kind"] == kind]

    def one(self, kind: str, name: str | None = None) -> dict[str, Any]:
        found = [d for d in self.of_kind(kind) if name is None or d["metadata"]["name"] == name]
        assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
        return found[0]

    @property
    def deployment(self) -> dict[str, Any]:
        return self.one("Deployment")

    @property
    def pod_spec(self) -> dict[str, Any]:
        return self.deployment["spec"]["template"]["spec"]

    @property
    def container(self) -> dict[str, Any]:
        containers = self.pod_spec["containers"]
        assert len(containers) == 1
        return containers[0]


@functools.lru_cache(maxsize=None)
def _render_cached(values_json: str, release: str, namespace: str) -> Rendered:
    values = json.loads(values_json)
    with helm.Chart.load(str(CHART_DIR)) as chart:
        out = chart.render(values, name=release, namespace=namespace, is_install=True)
        merged = chart.merge_values(values)
    docs: list[dict[str, Any]] = []
    notes = ""
    for path, text in sorted(out.items()):
        if path.endswith("NOTES.txt"):
            notes = text
            continue
        for doc in yaml.safe_load_all(text):
            if doc:
                doc.setdefault("metadata", {})
                docs.append(doc)
    return Rendered(docs=docs, notes=notes, values=merged, namespace=namespace,
                    release=release, sources=dict(out))


def render(values: dict[str, Any], release: str = RELEASE, namespace: str = NAMESPACE) -> Rendered:
    """Render the chart with `values` (merged over the defaults) as a fresh copy."""
    return copy.deepcopy(_render_cached(json.dumps(values, sort_keys=True), release, namespace))


def flag(args: list[str], name: str) -> list[str]:
    """Values of `--name` in an argument list, accepting `--name=value` and `--name value`."""
    found: list[str] = []
    for i, arg in enumerate(args):
        if arg.startswith(name + "="):
            found.append(arg.split("=", 1)[1])
        elif arg == name and i + 1 < len(args):
            found.append(args[i + 1])
    return found


def rbac_rules(docs: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(role, rule) for every rule of every Role and ClusterRole."""
    out = []
    for doc in docs:
        if doc["kind"] in ("Role", "ClusterRole"):
            for rule in doc.get("rules") or []:
                out.append((doc, rule))
    return out


def bindings_to(docs: list[dict[str, Any]], role: dict[str, Any]) -> list[dict[str, Any]]:
    """The RoleBindings/ClusterRoleBindings in `docs` whose roleRef is `role`."""
    found = []
    for doc in docs:
        if doc["kind"] not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        ref = doc["roleRef"]
        if ref["kind"] != role["kind"] or ref["name"] != role["metadata"]["name"]:
            continue
        if role["kind"] == "Role" and doc["metadata"].get("namespace") != role["metadata"].get("namespace"):
            continue
        found.append(doc)
    return found
