"""docs/install.md's YAML examples parse, and every webhook stanza in them uses a served
solver name and one group name, so copy-pasted examples work; the operator sections
(publishing an image, OpenShift, upgrading, uninstalling, alerts) name what the chart really
renders."""

from __future__ import annotations

import re

import pytest
import yaml

from chart_render import REPO, SERVED_SOLVERS

DOC = REPO / "docs" / "install.md"
SERVED = set(SERVED_SOLVERS)


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(), flags=re.S)


def parse_block(block: str) -> list:
    """Parse a block; fragments start at an indented key, so they are dedented first."""
    lines = [l for l in block.splitlines() if not l.lstrip().startswith("#")]
    indent = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
    return list(yaml.safe_load_all("\n".join(l[indent:] for l in lines)))


def webhook_stanzas(node):
    if isinstance(node, dict):
        if "groupName" in node and "solverName" in node:
            yield node
        for value in node.values():
            yield from webhook_stanzas(value)
    elif isinstance(node, list):
        for item in node:
            yield from webhook_stanzas(item)


def test_doc_has_the_promised_sections() -> None:
    text = DOC.read_text()
    for heading in ("Route53 with IRSA", "Route53 with access keys", "AliDNS with access keys",
                    "AliDNS with RRSA", "routing table across both", "built-in `route53` solver",
                    "AliDNS webhooks", "Troubleshooting, by error message"):
        assert heading in text, heading
    for heading in ("## 6. Upgrading", "## 7. Uninstalling", "### Publish your image", "### OpenShift",
                    "### Metrics, alerts and dashboard", "### Alerts", "### Chart 0.1.0 → 0.2.0"):
        assert f"\n{heading}\n" in text, heading


@pytest.mark.parametrize("index", range(len(yaml_blocks())))
def test_yaml_examples_parse(index: int) -> None:
    parsed = parse_block(yaml_blocks()[index])
    assert parsed and all(doc is not None for doc in parsed)


def test_webhook_stanzas_use_served_solvers() -> None:
    stanzas = []
    for block in yaml_blocks():
        for doc in parse_block(block):
            stanzas.extend(webhook_stanzas(doc))
    assert len(stanzas) >= 8
    after_migration = [s for s in stanzas if s["groupName"] == "acme.example.com"]
    assert len(after_migration) >= 7
    for s in after_migration:
        assert s["solverName"] in SERVED, s
    # Single-provider solvers take the provider's block bare.
    for s in after_migration:
        if s["solverName"] in ("route53", "alidns", "dnspod", "huaweicloud"):
            assert not {"route53", "alidns", "dnspod", "huaweicloud"} & set(s["config"]), s


def test_routing_table_example_has_one_provider_per_entry() -> None:
    tables = []
    for block in yaml_blocks():
        if "providers:" in block:
            for doc in parse_block(block):
                for s in webhook_stanzas(doc):
                    tables.append(s["config"]["providers"])
    assert tables
    for table in tables:
        for entry in table:
            assert len(set(entry) & {"route53", "alidns", "memory"}) == 1, entry
        assert sum(1 for e in table if "selector" not in e) <= 1, "at most one fallback"


# ---- operator sections ------------------------------------------------------------------

def section(title: str) -> str:
    text = DOC.read_text()
    start = text.index(f"\n{title}\n")
    level = title.split(" ")[0]
    rest = text[start + len(title) + 2:]
    ends = [i for i in (rest.find(f"\n{level} "), rest.find("\n## ")) if i >= 0]
    return rest[: min(ends)] if ends else rest


def test_uninstall_names_what_the_chart_leaves_behind() -> None:
    from chart_render import GROUP, NAMESPACE, RELEASE, VALUE_SETS, render

    text = section("## 7. Uninstalling")
    r = render(VALUE_SETS["default"])
    assert f"helm uninstall {RELEASE} --namespace {NAMESPACE}" in text
    # The Secrets cert-manager wrote, exactly as the rendered Certificates name them.
    secrets = sorted(c["spec"]["secretName"] for c in r.of_kind("Certificate"))
    assert f"kubectl -n {NAMESPACE} delete secret {' '.join(secrets)} --ignore-not-found" in text
    assert f"kubectl delete apiservice {r.one('APIService')['metadata']['name']} --ignore-not-found" in text
    assert r.one("APIService")["metadata"]["name"] == f"v1alpha1.{GROUP}"
    # Leases by the labels the chart's objects carry.
    labels = r.deployment["metadata"]["labels"]
    selector = (f"app.kubernetes.io/name={labels['app.kubernetes.io/name']},"
                f"app.kubernetes.io/instance={labels['app.kubernetes.io/instance']}")
    assert f"kubectl get leases -A -l {selector}" in text
    assert f"kubectl delete leases -A -l {selector}" in text
    assert "kubectl get challenges.acme.cert-manager.io -A" in text


def test_upgrade_section_lists_the_renamed_and_new_values() -> None:
    text = section("## 6. Upgrading")
    assert "--reset-then-reuse-values" in text
    table = section("### Chart 0.1.0 → 0.2.0")
    for name in ("`imagePullSecrets`", "`global.imagePullSecrets`", "`image.registry`",
                 "`podSecurityContext`", "`containerSecurityContext`", "`serviceAccount.create`",
                 "`serviceAccount.automountServiceAccountToken`", "`prometheusRule.*`",
                 "`grafanaDashboard.*`", "ghcr.io/dns01-webhook/dns01-webhook"):
        assert name in table, name


def test_publish_section_matches_the_dockerfile() -> None:
    from test_dockerfile import arg_defaults

    text = section("### Publish your image")
    assert "docker buildx build --platform linux/amd64,linux/arm64" in text
    assert "--push" in text and "docker buildx create" in text and "binfmt" in text
    for arg in arg_defaults():
        assert f"--build-arg {arg}=" in text, arg
    assert "image.registry" in text and "image.repository" in text and "global.imagePullSecrets" in text


def test_every_alert_has_a_runbook_entry() -> None:
    from chart_render import GROUP, render

    rule = render({"groupName": GROUP, "prometheusRule": {"enabled": True}}).one("PrometheusRule")
    alerts = [r["alert"] for g in rule["spec"]["groups"] for r in g["rules"]]
    text = section("### Alerts")
    for alert in alerts:
        # The anchor prometheusRule.runbookBaseURL links to, then the entry itself.
        anchor = f'<a id="{alert.lower()}"></a>'
        assert anchor in text, alert
        assert text.index(anchor) < text.index(f"**`{alert}`**"), alert


def test_openshift_section_uses_the_shipped_example() -> None:
    from chart_render import OPENSHIFT_VALUES, REPO

    text = section("### OpenShift")
    relative = OPENSHIFT_VALUES.relative_to(REPO).as_posix()
    assert f"-f {relative}" in text
    assert (DOC.parent / f"../{relative}").resolve() == OPENSHIFT_VALUES
