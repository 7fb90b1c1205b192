"""What the rendered manifests must say: the properties whose absence breaks installs of
other cert-manager webhooks (wrong groupName, wrong cert-manager ServiceAccount, SAN
mismatches, flowcontrol RBAC, Secret access in the wrong namespaces, ...)."""

from __future__ import annotations

import posixpath
from typing import Any

import pytest
import yaml

from chart_pss import restricted_violations
from chart_render import GROUP, NAMESPACE, RELEASE, SERVED_SOLVERS, VALUE_SETS, Rendered, bindings_to, flag, rbac_rules, render



def pod_labels(r: Rendered) -> dict[str, str]:
    return r.deployment["spec"]["template"]["metadata"]["labels"]


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


# ---- APIService, Service, serving certificate ------------------------------------------

def test_apiservice_matches_group_name(any_rendering: Rendered) -> None:
    group = any_rendering.values["groupName"]
    api = any_rendering.one("APIService")
    assert api["metadata"]["name"] == f"v1alpha1.{group}"
    assert api["spec"]["group"] == group
    assert api["spec"]["version"] == "v1alpha1"
    assert "caBundle" not in api["spec"], "the CA comes from cainjector"
    assert api["spec"].get("insecureSkipTLSVerify") in (None, False)


def test_apiservice_points_at_the_service(any_rendering: Rendered) -> None:
    api = any_rendering.one("APIService")
    svc = any_rendering.one("Service")
    assert api["spec"]["service"]["name"] == svc["metadata"]["name"]
    assert api["spec"]["service"]["namespace"] == svc["metadata"]["namespace"] == NAMESPACE
    assert api["spec"]["service"]["port"] in [p["port"] for p in svc["spec"]["ports"]]


def test_apiservice_ca_is_injected_from_the_serving_certificate(any_rendering: Rendered) -> None:
    api = any_rendering.one("APIService")
    ref = api["metadata"]["annotations"]["cert-manager.io/inject-ca-from"]
    ns, name = ref.split("/")
    cert = any_rendering.one("Certificate", name)
    assert ns == cert["metadata"]["namespace"] == NAMESPACE


def test_service_routes_to_the_webhook_port(any_rendering: Rendered) -> None:
    svc = any_rendering.one("Service")
    assert selects(svc["spec"]["selector"], pod_labels(any_rendering))
    (port,) = svc["spec"]["ports"]
    container_ports = {p["name"]: p["containerPort"] for p in any_rendering.container["ports"]}
    assert port["targetPort"] in container_ports
    assert container_ports[port["targetPort"]] == any_rendering.values["securePort"]


@pytest.mark.parametrize("release,namespace", [(RELEASE, NAMESPACE), ("corp", "platform-dns"),
                                                ("dns01-webhook-prod", "webhooks")])
def test_serving_certificate_sans_match_the_service(release: str, namespace: str) -> None:
    r = render(VALUE_SETS["default"], release=release, namespace=namespace)
    svc = r.one("Service")
    name = svc["metadata"]["name"]
    assert svc["metadata"]["namespace"] == namespace
    api = r.one("APIService")
    cert_name = api["metadata"]["annotations"]["cert-manager.io/inject-ca-from"].split("/")[1]
    cert = r.one("Certificate", cert_name)
    sans = cert["spec"]["dnsNames"]
    for expected in (name, f"{name}.{namespace}", f"{name}.{namespace}.svc"):
        assert expected in sans
    assert "server auth" in cert["spec"]["usages"]


def test_cluster_domain_san_is_optional() -> None:
    r = render({"groupName": GROUP, "pki": {"clusterDomain": "cluster.local"}})
    name = r.one("Service")["metadata"]["name"]
    certs = [c for c in r.of_kind("Certificate") if not c["spec"].get("isCA")]
    assert f"{name}.{NAMESPACE}.svc.cluster.local" in certs[0]["spec"]["dnsNames"]


def test_pki_chain_self_signed_to_ca_to_serving(any_rendering: Rendered) -> None:
    issuers = {i["metadata"]["name"]: i for i in any_rendering.of_kind("Issuer")}
    certs = {c["metadata"]["name"]: c for c in any_rendering.of_kind("Certificate")}
    assert len(issuers) == 2 and len(certs) == 2
    (ca_cert,) = [c for c in certs.values() if c["spec"].get("isCA")]
    (serving,) = [c for c in certs.values() if not c["spec"].get("isCA")]
    # The CA is signed by a self-signed Issuer.
    self_signed = issuers[ca_cert["spec"]["issuerRef"]["name"]]
    assert ca_cert["spec"]["issuerRef"]["kind"] == "Issuer"
    assert self_signed["spec"] == {"selfSigned": {}}
    # The serving certificate is signed by a CA Issuer that uses the CA's Secret.
    ca_issuer = issuers[serving["spec"]["issuerRef"]["name"]]
    assert serving["spec"]["issuerRef"]["kind"] == "Issuer"
    assert ca_issuer["spec"]["ca"]["secretName"] == ca_cert["spec"]["secretName"]
    for obj in [*issuers.values(), *certs.values()]:
        assert obj["apiVersion"] == "cert-manager.io/v1"
        assert obj["metadata"]["namespace"] == NAMESPACE
    # The serving certificate's Secret is what the pod mounts at /tls.
    tls_volumes = [v for v in any_rendering.pod_spec["volumes"] if "secret" in v]
    mounted = {m["name"]: m["mountPath"] for m in any_rendering.container["volumeMounts"]}
    (tls,) = [v for v in tls_volumes if v["secret"]["secretName"] == serving["spec"]["secretName"]]
    assert mounted[tls["name"]] == "/tls"
    mount = next(m for m in any_rendering.container["volumeMounts"] if m["name"] == tls["name"])
    assert "subPath" not in mount, "subPath mounts never see renewed certificates"


# ---- Deployment wiring ----------------------------------------------------------------

def test_args_wire_the_server_flags(any_rendering: Rendered) -> None:
    v = any_rendering.values
    c = any_rendering.container
    args = c["args"]
    assert args[0] == "serve"
    assert "command" not in c, "the image's ENTRYPOINT is the binary"
    expected = {
        "--group-name": v["groupName"],
        "--secure-port": str(v["securePort"]),
        "--bind-address": v["bindAddress"],
        "--tls-cert-file": "/tls/tls.crt",
        "--tls-private-key-file": "/tls/tls.key",
        "--log-format": v["logFormat"],
        "--log-level": v["logLevel"],
        "--request-timeout": v["requestTimeout"],
        "--shutdown-grace-period": v["shutdownGracePeriod"],
        "--shutdown-delay-duration": v["shutdownDelay"],
    }
    for name, value in expected.items():
        assert flag(args, name) == [value], name


def test_extra_args_are_appended() -> None:
    r = render({"groupName": GROUP, "extraArgs": ["--requestheader-allowed-names=front-proxy-client"]})
    assert r.container["args"][-1] == "--requestheader-allowed-names=front-proxy-client"


def test_probes_are_https_on_healthz_and_readyz(any_rendering: Rendered) -> None:
    c = any_rendering.container
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = c[probe]["httpGet"]
        assert get["scheme"] == "HTTPS"
        assert get["path"] == path
        port = get["port"]
        resolved = ports[port] if isinstance(port, str) else port
        assert resolved == any_rendering.values["securePort"]


def test_default_port_is_8443(default_rendering: Rendered) -> None:
    assert flag(default_rendering.container["args"], "--secure-port") == ["8443"]
    assert default_rendering.container["ports"][0]["containerPort"] == 8443
    assert not default_rendering.pod_spec.get("hostNetwork")


def test_host_network_with_port_override() -> None:
    r = render(VALUE_SETS["hostNetwork"])
    spec = r.pod_spec
    assert spec["hostNetwork"] is True
    assert spec["dnsPolicy"] == "ClusterFirstWithHostNet"
    assert flag(r.container["args"], "--secure-port") == ["10260"]
    assert r.container["ports"][0]["containerPort"] == 10260
    # No surge: a second pod could not bind the host port on the same node.
    assert r.deployment["spec"]["strategy"]["rollingUpdate"]["maxSurge"] == 0


def test_replicas_spread_and_disruption_budget(default_rendering: Rendered) -> None:
    r = default_rendering
    assert r.deployment["spec"]["replicas"] == 2
    labels = pod_labels(r)
    assert selects(r.deployment["spec"]["selector"]["matchLabels"], labels)
    spread = r.pod_spec["topologySpreadConstraints"]
    keys = {s["topologyKey"] for s in spread}
    assert {"kubernetes.io/hostname", "topology.kubernetes.io/zone"} <= keys
    for s in spread:
        assert selects(s["labelSelector"]["matchLabels"], labels)
    pdb = r.one("PodDisruptionBudget")
    assert selects(pdb["spec"]["selector"]["matchLabels"], labels)
    assert pdb["spec"]["minAvailable"] == 1


def test_no_disruption_budget_for_one_replica() -> None:
    r = render(VALUE_SETS["singleReplica"])
    assert r.deployment["spec"]["replicas"] == 1
    assert r.of_kind("PodDisruptionBudget") == []


def test_resources_sized_from_the_footprint(any_rendering: Rendered) -> None:
    res = any_rendering.container["resources"]
    assert res["requests"]["cpu"] == "20m"
    assert res["requests"]["memory"] == "32Mi"
    assert res["limits"]["memory"] == "128Mi"
    assert "cpu" not in res["limits"], "no CPU limit by default (see values.yaml)"


def test_termination_grace_exceeds_shutdown_delay_and_grace(any_rendering: Rendered) -> None:
    seconds = []
    for name in ("shutdownDelay", "shutdownGracePeriod"):
        value = any_rendering.values[name]
        assert value.endswith("s") and value[:-1].isdigit(), name
        seconds.append(int(value[:-1]))
    assert any_rendering.pod_spec["terminationGracePeriodSeconds"] > sum(seconds)


# ---- the default routing table ----------------------------------------------------------

CONFIG_PATH = "/config/config.yaml"


def config_map_behind(r: Rendered, path: str) -> tuple[dict, str]:
    """The ConfigMap mounted where `path` lives, and the key `path` names in it."""
    mount_dir, file_name = posixpath.split(path)
    mount = next(m for m in r.container["volumeMounts"] if m["mountPath"] == mount_dir)
    assert mount.get("readOnly") is True and "subPath" not in mount
    volume = next(v for v in r.pod_spec["volumes"] if v["name"] == mount["name"])
    return r.one("ConfigMap", volume["configMap"]["name"]), file_name


def test_config_map_holds_the_config_value_and_is_passed_as_config(any_rendering: Rendered) -> None:
    r = any_rendering
    cm, key = config_map_behind(r, CONFIG_PATH)
    assert cm["metadata"]["namespace"] == NAMESPACE
    assert yaml.safe_load(cm["data"][key]) == r.values["config"]
    if r.values["config"]:
        assert flag(r.container["args"], "--config") == [CONFIG_PATH]
    else:
        # No default table: the server would reject an empty document, so no flag.
        assert flag(r.container["args"], "--config") == []


def test_routing_table_is_passed_as_config() -> None:
    values = VALUE_SETS["workloadIdentity"]
    r = render(values)
    (path,) = flag(r.container["args"], "--config")
    cm, key = config_map_behind(r, path)
    assert yaml.safe_load(cm["data"][key]) == values["config"]
    assert yaml.safe_load(cm["data"][key])["providers"][1]["alidns"]["regionId"] == "cn-hangzhou"


def test_pods_roll_when_config_changes() -> None:
    a = render({"groupName": GROUP})
    b = render({"groupName": GROUP, "config": {"route53": {"region": "eu-west-1"}}})
    c = render({"groupName": GROUP, "replicaCount": 3})
    key = "checksum/config"
    ann = lambda r: r.deployment["spec"]["template"]["metadata"]["annotations"][key]  # noqa: E731
    assert ann(a) != ann(b)
    assert ann(a) == ann(c), "the checksum must depend on the config only"


# ---- RBAC --------------------------------------------------------------------------------

def webhook_sa(r: Rendered) -> dict[str, str]:
    if not r.values["serviceAccount"]["create"]:
        # An existing ServiceAccount, named in the values, in the release namespace.
        assert r.of_kind("ServiceAccount") == []
        name = r.values["serviceAccount"]["name"]
        assert r.pod_spec["serviceAccountName"] == name
        return {"kind": "ServiceAccount", "name": name, "namespace": r.namespace}
    sa = r.one("ServiceAccount")
    assert r.pod_spec["serviceAccountName"] == sa["metadata"]["name"]
    return {"kind": "ServiceAccount", "name": sa["metadata"]["name"], "namespace": sa["metadata"]["namespace"]}


def test_domain_solver_binding_names_cert_managers_service_account(any_rendering: Rendered) -> None:
    r = any_rendering
    group = r.values["groupName"]
    cm = r.values["certManager"]
    solver_roles = [role for role, rule in rbac_rules(r.docs) if group in rule.get("apiGroups", [])]
    assert len(solver_roles) == 1
    role = solver_roles[0]
    assert role["kind"] == "ClusterRole"
    solvers = r.values["solvers"]
    if (r.values.get("image") or {}).get("flavor") == "acmesh" and "acmesh" not in solvers:
        solvers = solvers + ["acmesh"]
    assert role["rules"] == [{"apiGroups": [group], "resources": solvers, "verbs": ["create"]}]
    (binding,) = bindings_to(r.docs, role)
    assert binding["kind"] == "ClusterRoleBinding"
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": cm["serviceAccountName"], "namespace": cm["namespace"]}
    ]


def test_custom_cert_manager_identity() -> None:
    r = render(VALUE_SETS["customCertManager"])
    crbs = [b for b in r.of_kind("ClusterRoleBinding") if b["metadata"]["name"].endswith(":domain-solver")]
    assert crbs[0]["subjects"][0]["name"] == "cm-cert-manager"
    assert crbs[0]["subjects"][0]["namespace"] == "security"
    # ClusterIssuer Secrets live in cert-manager's namespace: the default Secret scope follows it.
    secret_roles = [role for role, rule in rbac_rules(r.docs) if "secrets" in rule.get("resources", [])]
    assert [x["metadata"]["namespace"] for x in secret_roles] == ["security"]
    assert "system:serviceaccount:security:cm-cert-manager" in r.notes


@pytest.mark.parametrize("solvers", [["dispatch", "route53"], ["route53", "alidns"], ["alidns"]])
def test_solvers_value_limits_what_cert_manager_may_call(solvers: list[str]) -> None:
    r = render({"groupName": GROUP, "solvers": solvers})
    (rule,) = [rule for _, rule in rbac_rules(r.docs) if GROUP in rule.get("apiGroups", [])]
    assert rule["resources"] == solvers
    # The pasted ClusterIssuer uses a solver cert-manager is allowed to call.
    test_notes_print_apiservice_solvers_and_a_cluster_issuer(r)


def test_default_solvers_are_the_served_ones(default_rendering: Rendered) -> None:
    # Every served solver is callable by default (a provider added to the registry and not to
    # the chart would be refused by RBAC before it reaches the webhook), dispatch first.
    # `acmesh` needs the acmesh image flavour, which adds it (below).
    assert len(SERVED_SOLVERS) > 10 and "acmesh" in SERVED_SOLVERS
    assert default_rendering.values["solvers"][0] == "dispatch"
    assert sorted(default_rendering.values["solvers"]) == sorted(set(SERVED_SOLVERS) - {"acmesh"})


def test_acmesh_flavour_lets_cert_manager_call_acmesh() -> None:
    r = render({"groupName": GROUP, "image": {"flavor": "acmesh"}})
    (rule,) = [rule for _, rule in rbac_rules(r.docs) if GROUP in rule.get("apiGroups", [])]
    assert sorted(rule["resources"]) == sorted(SERVED_SOLVERS)
    r = render({"groupName": GROUP, "image": {"flavor": "acmesh"}, "solvers": ["dispatch", "acmesh"]})
    (rule,) = [rule for _, rule in rbac_rules(r.docs) if GROUP in rule.get("apiGroups", [])]
    assert rule["resources"] == ["dispatch", "acmesh"]


def test_authentication_reader_and_auth_delegator(any_rendering: Rendered) -> None:
    r = any_rendering
    sa = webhook_sa(r)
    reader = [b for b in r.of_kind("RoleBinding")
              if b["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                  "name": "extension-apiserver-authentication-reader"}]
    assert len(reader) == 1
    assert reader[0]["metadata"]["namespace"] == "kube-system"
    assert reader[0]["subjects"] == [sa]
    delegator = [b for b in r.of_kind("ClusterRoleBinding")
                 if b["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                     "name": "system:auth-delegator"}]
    assert len(delegator) == 1
    assert delegator[0]["subjects"] == [sa]


FLOWCONTROL_RESOURCES = {"flowschemas", "prioritylevelconfigurations"}


def test_no_flowcontrol_rules_anywhere(any_rendering: Rendered) -> None:
    for role, rule in rbac_rules(any_rendering.docs):
        groups = rule.get("apiGroups") or []
        resources = set(rule.get("resources") or [])
        name = role["metadata"]["name"]
        assert not any(g.startswith("flowcontrol.apiserver.k8s.io") for g in groups), name
        assert not resources & FLOWCONTROL_RESOURCES, name
        assert "*" not in groups and "*" not in resources and "*" not in rule.get("verbs", []), name


def grants(r: Rendered, resource: str, verb: str) -> dict[str, list[dict]]:
    """Namespaces ('*' for cluster-wide) where the webhook SA holds `verb` on `resource`,
    with the rules that grant it; only rules reachable through a binding to the SA count."""
    sa = webhook_sa(r)
    out: dict[str, list[dict]] = {}
    for role, rule in rbac_rules(r.docs):
        if resource not in (rule.get("resources") or []) or verb not in rule.get("verbs", []):
            continue
        for binding in bindings_to(r.docs, role):
            if sa not in binding["subjects"]:
                continue
            scope = "*" if binding["kind"] == "ClusterRoleBinding" else binding["metadata"]["namespace"]
            out.setdefault(scope, []).append(rule)
    return out


def test_secret_access_defaults_to_cert_manager_namespace(default_rendering: Rendered) -> None:
    g = grants(default_rendering, "secrets", "get")
    assert set(g) == {"cert-manager"}
    assert all(set(rule["verbs"]) == {"get"} for rule in g["cert-manager"])


def test_secret_access_only_in_configured_namespaces() -> None:
    r = render(VALUE_SETS["namespacedSecrets"])
    g = grants(r, "secrets", "get")
    assert set(g) == {"cert-manager", "team-a", "team-b"}
    for rules in g.values():
        assert len(rules) == 1
        assert rules[0]["resourceNames"] == ["route53-credentials", "alidns-credentials"]
    # No list/watch anywhere: the server reads Secrets by name.
    assert grants(r, "secrets", "list") == {} and grants(r, "secrets", "watch") == {}


def test_secret_access_cluster_wide_is_opt_in() -> None:
    r = render(VALUE_SETS["clusterWideSecrets"])
    g = grants(r, "secrets", "get")
    assert set(g) == {"*"}
    assert [x for x in r.of_kind("Role") if any("secrets" in ru.get("resources", []) for ru in x["rules"])] == []


def test_secret_access_can_be_disabled() -> None:
    r = render({"groupName": GROUP, "secretAccess": {"enabled": False}})
    assert grants(r, "secrets", "get") == {}
    assert "may read no Secrets" in r.notes


def credential_scope(r: Rendered) -> set[str]:
    """Where the values say credentials may be read: '*' or the namespaces."""
    cfg = r.values["secretAccess"]
    if cfg["clusterWide"]:
        return {"*"}
    return set(cfg["namespaces"] or [r.values["certManager"]["namespace"]])


def test_no_secret_access_outside_configured_namespaces(any_rendering: Rendered) -> None:
    r = any_rendering
    g = grants(r, "secrets", "get")
    if not r.values["secretAccess"]["enabled"]:
        assert g == {}
    else:
        assert set(g) == credential_scope(r)


def test_service_account_tokens_only_when_enabled(any_rendering: Rendered) -> None:
    r = any_rendering
    enabled = r.values["route53"]["serviceAccountRef"]["enabled"]
    tokens = grants(r, "serviceaccounts/token", "create")
    any_token_rule = [rule for _, rule in rbac_rules(r.docs) if "serviceaccounts/token" in rule.get("resources", [])]
    if not enabled:
        assert tokens == {} and any_token_rule == []
    else:
        assert tokens, "serviceAccountRef enabled but no serviceaccounts/token grant"
        assert set(tokens) == credential_scope(r), "tokens follow the Secret scope"
        for rules in tokens.values():
            for rule in rules:
                assert rule["verbs"] == ["create"]
                names = r.values["route53"]["serviceAccountRef"]["serviceAccountNames"]
                assert rule.get("resourceNames", []) == names


def test_service_account_tokens_in_default_scope() -> None:
    r = render(VALUE_SETS["serviceAccountRef"])
    assert set(grants(r, "serviceaccounts/token", "create")) == {"cert-manager"}


def test_service_account_annotations_for_workload_identity() -> None:
    r = render(VALUE_SETS["workloadIdentity"])
    ann = r.one("ServiceAccount")["metadata"]["annotations"]
    assert ann["eks.amazonaws.com/role-arn"] == "arn:aws:iam::123456789012:role/dns01-webhook"
    assert ann["pod-identity.alibabacloud.com/role-name"] == "dns01-webhook"
    assert r.pod_spec["automountServiceAccountToken"] is True


# ---- monitoring ---------------------------------------------------------------------------

def test_service_monitor() -> None:
    r = render(VALUE_SETS["serviceMonitor"])
    sm = r.one("ServiceMonitor")
    svc = r.one("Service")
    assert sm["apiVersion"] == "monitoring.coreos.com/v1"
    assert sm["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert selects(sm["spec"]["selector"]["matchLabels"], svc["metadata"]["labels"])
    assert sm["spec"]["namespaceSelector"]["matchNames"] == [NAMESPACE]
    (ep,) = sm["spec"]["endpoints"]
    assert ep["port"] in [p["name"] for p in svc["spec"]["ports"]]
    assert ep["scheme"] == "https" and ep["path"] == "/metrics"
    assert ep["bearerTokenFile"] == "/var/run/secrets/kubernetes.io/serviceaccount/token"
    serving = next(c for c in r.of_kind("Certificate") if not c["spec"].get("isCA"))
    assert ep["tlsConfig"]["ca"]["secret"] == {"name": serving["spec"]["secretName"], "key": "ca.crt"}
    assert ep["tlsConfig"]["serverName"] in serving["spec"]["dnsNames"]
    # The scraper's identity may GET /metrics (the server authorizes it like an API server).
    (reader,) = [role for role, rule in rbac_rules(r.docs) if "/metrics" in rule.get("nonResourceURLs", [])]
    assert reader["kind"] == "ClusterRole"
    assert reader["rules"] == [{"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]
    (binding,) = bindings_to(r.docs, reader)
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "prometheus-k8s", "namespace": "monitoring"}]


def test_no_service_monitor_by_default(default_rendering: Rendered) -> None:
    assert default_rendering.of_kind("ServiceMonitor") == []
    assert not [role for role, rule in rbac_rules(default_rendering.docs) if rule.get("nonResourceURLs")]


# ---- NOTES.txt ----------------------------------------------------------------------------

def test_notes_print_apiservice_solvers_and_a_cluster_issuer(any_rendering: Rendered) -> None:
    r = any_rendering
    group = r.values["groupName"]
    notes = r.notes
    assert f"APIService:   v1alpha1.{group}" in notes
    for solver in r.values["solvers"]:
        assert solver in notes
    assert f"kubectl get apiservice v1alpha1.{group}" in notes
    assert f"kubectl wait --for=condition=Available --timeout=180s apiservice/v1alpha1.{group}" in notes
    # The ClusterIssuer snippet parses and uses the right groupName.
    snippet = notes[notes.index("apiVersion: cert-manager.io/v1"):]
    snippet = snippet.split("\n\n")[0]
    issuer = yaml.safe_load(snippet)
    assert issuer["kind"] == "ClusterIssuer"
    webhook = issuer["spec"]["acme"]["solvers"][0]["dns01"]["webhook"]
    assert webhook["groupName"] == group
    assert webhook["solverName"] in r.values["solvers"]


# ---- every optional knob ---------------------------------------------------------------------

def test_every_option_lands_where_it_should() -> None:
    v = VALUE_SETS["everything"]
    r = render(v)
    c = r.container
    spec = r.pod_spec
    assert r.deployment["metadata"]["name"] == "acme-dns"
    assert c["image"] == "registry.example.com/dns01-webhook@sha256:" + "a" * 64
    assert c["imagePullPolicy"] == "Always"
    assert flag(c["args"], "--bind-address") == ["::"]
    assert flag(c["args"], "--log-format") == ["text"]
    assert c["args"][-1] == v["extraArgs"][0]
    assert {"name": "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "value": "/var/run/secrets/rrsa/token"} in c["env"]
    assert {"name": "rrsa-token", "mountPath": "/var/run/secrets/rrsa", "readOnly": True} in c["volumeMounts"]
    assert any(vol["name"] == "rrsa-token" and "projected" in vol for vol in spec["volumes"])
    assert spec["terminationGracePeriodSeconds"] == 25
    assert spec["priorityClassName"] == "system-cluster-critical"
    assert spec["nodeSelector"] == v["nodeSelector"]
    assert spec["tolerations"] == v["tolerations"]
    assert spec["affinity"] == v["affinity"]
    assert spec["imagePullSecrets"] == [{"name": "regcred"}]
    assert spec["serviceAccountName"] == "acme-dns-solver"
    assert r.one("ServiceAccount")["metadata"]["name"] == "acme-dns-solver"
    tmeta = r.deployment["spec"]["template"]["metadata"]
    assert tmeta["labels"]["example.com/tier"] == "infra"
    assert tmeta["annotations"]["example.com/team"] == "platform"
    assert r.deployment["spec"]["strategy"] == v["updateStrategy"]
    spread = spec["topologySpreadConstraints"]
    assert [s["topologyKey"] for s in spread] == ["kubernetes.io/hostname", "topology.kubernetes.io/region"]
    assert spread[0]["whenUnsatisfiable"] == "DoNotSchedule"
    pdb = r.one("PodDisruptionBudget")
    assert pdb["spec"] == {"maxUnavailable": 1, "selector": pdb["spec"]["selector"]}
    api = r.one("APIService")
    assert api["spec"]["service"]["port"] == 8443
    assert api["spec"]["groupPriorityMinimum"] == 2000 and api["spec"]["versionPriority"] == 20
    serving = next(x for x in r.of_kind("Certificate") if not x["spec"].get("isCA"))
    assert serving["spec"]["privateKey"]["algorithm"] == "RSA" and serving["spec"]["privateKey"]["size"] == 2048
    assert serving["spec"]["duration"] == "2160h" and serving["spec"]["renewBefore"] == "360h"
    assert r.one("ServiceMonitor")["spec"]["endpoints"][0]["tlsConfig"] == {"insecureSkipVerify": True}
    # Secrets off, tokens on: one Role holding only the token rule, limited to the named SA.
    roles = [x for x in r.of_kind("Role") if x["metadata"]["name"].endswith(":credentials-reader")]
    assert len(roles) == 1
    assert roles[0]["rules"] == [{"apiGroups": [""], "resources": ["serviceaccounts/token"],
                                  "verbs": ["create"], "resourceNames": ["route53-issuer"]}]
    assert restricted_violations(spec) == []


def test_service_monitor_binding_needs_a_namespace() -> None:
    import helm_python as helm
    with pytest.raises(helm.HelmRenderError) as err:
        render({"groupName": GROUP, "serviceMonitor": {"enabled": True,
                                                        "prometheusServiceAccount": {"name": "prometheus"}}})
    assert "prometheusServiceAccount.namespace" in str(err.value)


# ---- record-name locks (Leases) ------------------------------------------------------------

def name_lock_roles(r: Rendered) -> list[dict[str, Any]]:
    return [x for x in r.of_kind("Role") if any("leases" in rule.get("resources", []) for rule in x["rules"])]


@pytest.mark.parametrize("values", [
    {"groupName": GROUP},  # the default solvers serve huaweicloud
    {"groupName": GROUP, "solvers": ["dispatch"], "config": {"gandi": {"apiKeySecretRef": {"name": "g", "key": "k"}}}},
    {"groupName": GROUP, "solvers": ["dispatch"],
     "config": {"providers": [{"selector": {"dnsZones": ["example.com"]}, "route53": {}}, {"akamai": {}}]}},
    {"groupName": GROUP, "solvers": ["pdns"]},
    {"groupName": GROUP, "solvers": ["dispatch"], "nameLocks": {"enabled": True}},
], ids=["default-solvers", "gandi-in-config", "akamai-in-routing-table", "pdns-solver", "forced"])
def test_leases_are_granted_exactly_in_its_namespace_when_a_provider_needs_them(values) -> None:
    r = render(values)
    roles = name_lock_roles(r)
    assert len(roles) == 1
    role = roles[0]
    assert role["metadata"]["namespace"] == NAMESPACE
    assert role["rules"] == [{"apiGroups": ["coordination.k8s.io"], "resources": ["leases"],
                              "verbs": ["get", "list", "create", "update", "delete"]}]
    assert "resourceNames" not in role["rules"][0], "Lease names are hashes of record names, not known up front"
    bindings = bindings_to(r.docs, role)
    assert len(bindings) == 1 and bindings[0]["metadata"]["namespace"] == NAMESPACE
    assert bindings[0]["subjects"] == [{"kind": "ServiceAccount", "name": r.pod_spec["serviceAccountName"],
                                        "namespace": NAMESPACE}]
    # The webhook finds its namespace and its holder identity in the pod's environment.
    env = {e["name"]: e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") for e in r.container["env"]}
    assert env["POD_NAMESPACE"] == "metadata.namespace" and env["POD_NAME"] == "metadata.name"


@pytest.mark.parametrize("values", [
    {"groupName": GROUP, "solvers": ["dispatch", "route53", "alidns", "memory"],
     "config": {"providers": [{"route53": {}}]}},
    {"groupName": GROUP, "nameLocks": {"enabled": False}},
], ids=["no-such-provider", "disabled"])
def test_no_leases_when_no_configured_provider_needs_them(values) -> None:
    r = render(values)
    assert name_lock_roles(r) == []
    assert not any(rule for _, rule in rbac_rules(r.docs) if "leases" in rule.get("resources", []))


def test_name_locks_value_is_validated() -> None:
    with pytest.raises(Exception, match="nameLocks"):
        render({"groupName": GROUP, "nameLocks": {"enabled": "sometimes"}})
