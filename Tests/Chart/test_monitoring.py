"""The chart's alerts (PrometheusRule) and Grafana dashboard, and docs/metrics.md.

The rules exist once, in templates/prometheusrule.yaml. These tests render them, check the
rendered group with `promtool check rules` (Prometheus' own parser and rule validation) and
run `promtool test rules` with the unit tests in promtool/alerts_test.yaml over it: every
alert fires on sample series where it should and stays silent where it should not. Every
PromQL expression of the dashboard goes through promtool too, and every metric the rules and
the dashboard name must be one docs/metrics.md documents, which in turn must list every
metric the server defines.
"""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
from typing import Any

import promql_parser
import pytest
import yaml

from chart_render import CHART_DIR, GROUP, NAMESPACE, RELEASE, REPO, VALUE_SETS, Rendered, render

PROMTOOL_DIR = pathlib.Path(__file__).resolve().parent / "promtool"
ALERT_TESTS = PROMTOOL_DIR / "alerts_test.yaml"
DASHBOARD_FILE = CHART_DIR / "dashboards" / "dns01-webhook.json"
METRICS_DOC = REPO / "docs" / "metrics.md"

# kube-state-metrics series the readiness alerts use.
KUBE_STATE_METRICS = {"kube_pod_status_ready", "kube_pod_status_phase", "kube_deployment_spec_replicas"}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")

ALERTS = {
    "DNS01WebhookServingCertificateExpiring", "DNS01WebhookChallengeFailures",
    "DNS01WebhookProviderErrors", "DNS01WebhookProviderThrottled", "DNS01WebhookProviderSlow",
    "DNS01WebhookPodNotReady", "DNS01WebhookUnavailable",
}

RULES_ON = {"groupName": GROUP, "prometheusRule": {"enabled": True}}


def promtool(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("promtool")
    assert exe, "promtool is missing: scripts/setup (or Tests/Chart/run.sh) installs Debian's prometheus package"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def rule_groups(r: Rendered) -> list[dict[str, Any]]:
    return r.one("PrometheusRule")["spec"]["groups"]


def alert_rules(r: Rendered) -> dict[str, dict[str, Any]]:
    return {rule["alert"]: rule for group in rule_groups(r) for rule in group["rules"]}


def write_rules(r: Rendered, directory: pathlib.Path) -> pathlib.Path:
    path = directory / "rendered-rules.yaml"
    path.write_text(yaml.safe_dump({"groups": rule_groups(r)}, sort_keys=False))
    return path


def run_alert_unit_tests(r: Rendered, directory: pathlib.Path) -> subprocess.CompletedProcess[str]:
    rules = write_rules(r, directory)
    tests = yaml.safe_load(ALERT_TESTS.read_text())
    tests["rule_files"] = [rules.name]
    (directory / "alerts_test.yaml").write_text(yaml.safe_dump(tests, sort_keys=False))
    return promtool("test", "rules", "alerts_test.yaml", cwd=directory)


def selectors(expr: str) -> list[tuple[str, dict[str, tuple[str, str]]]]:
    """(metric name, {label: (operator, value)}) for every vector selector of `expr`."""
    found: list[tuple[str, dict[str, tuple[str, str]]]] = []

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            matchers = {m.name: (str(m.op).split(".")[-1], m.value) for m in node.matchers.matchers}
            found.append((node.name, matchers))

    promql_parser.walk(promql_parser.parse(expr), visit)
    return found


def documented_metrics() -> dict[str, dict[str, str]]:
    """docs/metrics.md's table: metric name -> {type, labels}."""
    rows: dict[str, dict[str, str]] = {}
    for line in METRICS_DOC.read_text().splitlines():
        m = re.match(r"\|\s*`(dns01_webhook_\w+)`\s*\|\s*(\w+)\s*\|\s*([^|]*)\|", line)
        if m:
            rows[m.group(1)] = {"type": m.group(2), "labels": m.group(3).strip()}
    return rows


def known_series() -> set[str]:
    """Every series name the webhook exposes, histograms expanded."""
    names: set[str] = set()
    for name, row in documented_metrics().items():
        if row["type"] == "histogram":
            names.update(name + s for s in HISTOGRAM_SUFFIXES)
        else:
            names.add(name)
    return names


# ---- PrometheusRule -------------------------------------------------------------------------------

def test_no_rule_and_no_dashboard_by_default(default_rendering: Rendered) -> None:
    assert default_rendering.of_kind("PrometheusRule") == []
    assert [c for c in default_rendering.of_kind("ConfigMap") if c["metadata"]["name"].endswith("-dashboard")] == []


def test_prometheus_rule_object() -> None:
    r = render(VALUE_SETS["monitoring"])
    rule = r.one("PrometheusRule")
    assert rule["apiVersion"] == "monitoring.coreos.com/v1"
    assert rule["metadata"]["namespace"] == "monitoring"
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert rule["metadata"]["labels"]["app.kubernetes.io/instance"] == RELEASE
    assert rule["metadata"]["annotations"] == {"example.com/owner": "platform"}
    (group,) = rule["spec"]["groups"]
    assert group["name"] == RELEASE
    assert render(RULES_ON).one("PrometheusRule")["metadata"]["namespace"] == NAMESPACE


@pytest.mark.parametrize("value_set", ["default-rules", "monitoring", "everything"])
def test_promtool_check_rules(value_set: str, tmp_path: pathlib.Path) -> None:
    r = render(RULES_ON if value_set == "default-rules" else VALUE_SETS[value_set])
    result = promtool("check", "rules", write_rules(r, tmp_path).name, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules(r))} rules found" in result.stdout


def test_every_alert_is_rendered_with_its_values() -> None:
    rules = alert_rules(render(RULES_ON))
    assert set(rules) == ALERTS
    defaults = yaml.safe_load((CHART_DIR / "values.yaml").read_text())["prometheusRule"]["alerts"]
    by_value = {
        "certificateExpiry": "DNS01WebhookServingCertificateExpiring",
        "challengeFailures": "DNS01WebhookChallengeFailures",
        "providerErrors": "DNS01WebhookProviderErrors",
        "providerThrottling": "DNS01WebhookProviderThrottled",
        "providerLatency": "DNS01WebhookProviderSlow",
        "podNotReady": "DNS01WebhookPodNotReady",
        "unavailable": "DNS01WebhookUnavailable",
    }
    assert set(by_value) == set(defaults)
    for key, alert in by_value.items():
        rule = rules[alert]
        assert rule["for"] == defaults[key]["for"], alert
        assert rule["labels"] == {"severity": defaults[key]["severity"]}, alert
        assert set(rule["annotations"]) == {"summary", "description"}, alert
    assert "< 14 * 86400" in rules["DNS01WebhookServingCertificateExpiring"]["expr"]


def test_alert_knobs() -> None:
    rules = alert_rules(render(VALUE_SETS["monitoring"]))
    assert "DNS01WebhookProviderThrottled" not in rules, "alerts.providerThrottling.enabled=false"
    expiry = rules["DNS01WebhookServingCertificateExpiring"]
    assert "< 21 * 86400" in expiry["expr"] and expiry["for"] == "2h"
    assert expiry["labels"] == {"severity": "critical", "team": "platform"}
    assert expiry["annotations"]["runbook_url"] == (
        "https://git.example.com/platform/dns01-webhook/blob/main/docs/install.md"
        "#dns01webhookservingcertificateexpiring")
    assert expiry["annotations"]["dashboard"] == "https://grafana.example.com/d/dns01-webhook"
    failures = rules["DNS01WebhookChallengeFailures"]["expr"]
    assert ") > 0.2" in failures and ">= 5" in failures
    slow = rules["DNS01WebhookProviderSlow"]["expr"]
    assert slow.startswith("histogram_quantile(0.9,") and ") > 2.5" in slow
    assert rules["DNS01WebhookUnavailable"]["labels"]["severity"] == "page"
    # A label of the same name cannot override an alert's severity.
    r = render({**RULES_ON, "prometheusRule": {"enabled": True, "additionalRuleLabels": {"severity": "none"}}})
    assert {rule["labels"]["severity"] for rule in alert_rules(r).values()} == {"warning", "info", "critical"}


def test_rules_select_this_release() -> None:
    """Webhook series by job and namespace (the ServiceMonitor's labels), kube-state-metrics
    series by namespace and this Deployment's pod names; a custom selector replaces the first."""
    for release, namespace in ((RELEASE, NAMESPACE), ("corp", "platform-dns")):
        r = render(RULES_ON, release=release, namespace=namespace)
        fullname = r.deployment["metadata"]["name"]
        for alert, rule in alert_rules(r).items():
            for name, matchers in selectors(rule["expr"]):
                assert matchers["namespace"] == ("Equal", namespace), (alert, name)
                if name.startswith("dns01_webhook_"):
                    assert matchers["job"] == ("Equal", fullname), (alert, name)
                elif name == "kube_deployment_spec_replicas":
                    assert matchers["deployment"] == ("Equal", fullname)
                else:
                    op, pattern = matchers["pod"]
                    assert op == "Re"
                    regex = re.compile(pattern)
                    assert regex.fullmatch(f"{fullname}-7d4b9c8f6-x2k9q")
                    assert not regex.fullmatch(f"{fullname}-extra-7d4b9c8f6-x2k9q")
                    assert not regex.fullmatch(f"other-{fullname}-7d4b9c8f6-x2k9q")
    custom = alert_rules(render(VALUE_SETS["monitoring"]))
    for alert, rule in custom.items():
        for name, matchers in selectors(rule["expr"]):
            assert matchers["cluster"] == ("Equal", "prod"), (alert, name)
            if name in KUBE_STATE_METRICS:
                assert matchers["job"] == ("Equal", "kube-state-metrics")


def test_rules_use_only_known_metrics() -> None:
    known = known_series() | KUBE_STATE_METRICS
    used = {name for rule in alert_rules(render(RULES_ON)).values() for name, _ in selectors(rule["expr"])}
    assert used <= known, used - known
    # The metrics the issue asks alerts on are all there.
    assert {"dns01_webhook_serving_certificate_expiry_timestamp_seconds", "dns01_webhook_challenges_total",
            "dns01_webhook_provider_requests_total",
            "dns01_webhook_provider_request_duration_seconds_bucket", "kube_pod_status_ready"} <= used


def test_promtool_unit_tests_pass(tmp_path: pathlib.Path) -> None:
    result = run_alert_unit_tests(render(RULES_ON), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_unit_tests_cover_every_alert_firing_and_silent() -> None:
    tests = yaml.safe_load(ALERT_TESTS.read_text())["tests"]
    fires, silent = set(), set()
    for case in tests:
        for check in case["alert_rule_test"]:
            (fires if check.get("exp_alerts") else silent).add(check["alertname"])
    assert fires == ALERTS
    assert silent == ALERTS


@pytest.mark.parametrize("alerts", [
    {"certificateExpiry": {"days": 1}},
    {"certificateExpiry": {"days": 90}},
    {"challengeFailures": {"minFailures": 1}},
    {"challengeFailures": {"ratio": 0.5}},
    {"providerErrors": {"ratio": 0.3}},
    {"providerThrottling": {"ratio": 0.04}},
    {"providerLatency": {"seconds": 10}},
    {"podNotReady": {"for": "30m"}},
    {"unavailable": {"for": "1m"}},
], ids=lambda a: json.dumps(a, sort_keys=True))
def test_unit_tests_catch_a_changed_rule(alerts: dict[str, Any], tmp_path: pathlib.Path) -> None:
    """The unit tests are not vacuous: moving any threshold makes some case fail."""
    r = render({**RULES_ON, "prometheusRule": {"enabled": True, "alerts": alerts}})
    result = run_alert_unit_tests(r, tmp_path)
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr


def test_schema_rejects_bad_rule_values() -> None:
    import helm_python as helm
    bad = [
        ({"selector": '{job="x"}'}, "/prometheusRule/selector"),
        ({"alerts": {"challengeFailures": {"ratio": 2}}}, "/prometheusRule/alerts/challengeFailures/ratio"),
        ({"alerts": {"providerLatency": {"quantile": 1}}}, "/prometheusRule/alerts/providerLatency/quantile"),
        ({"alerts": {"podNotReady": {"for": "10 minutes"}}}, "/prometheusRule/alerts/podNotReady/for"),
        ({"alerts": {"certificateExpiry": {"days": 0}}}, "/prometheusRule/alerts/certificateExpiry/days"),
        ({"alerts": {"unknownAlert": {}}}, "unknownAlert"),
        ({"runbookBaseURL": "docs/install.md"}, "/prometheusRule/runbookBaseURL"),
    ]
    with helm.Chart.load(str(CHART_DIR)) as chart:
        for values, where in bad:
            with pytest.raises(helm.HelmValuesError) as err:
                chart.validate_schema({"groupName": GROUP, "prometheusRule": {"enabled": True, **values}})
            assert where in str(err.value), values


# ---- Grafana dashboard ----------------------------------------------------------------------------

def dashboard_config_map(r: Rendered) -> dict[str, Any]:
    (cm,) = [c for c in r.of_kind("ConfigMap") if c["metadata"]["name"].endswith("-dashboard")]
    return cm


def panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for panel in dashboard["panels"]:
        out.append(panel)
        out.extend(panel.get("panels", []))
    return out


def queries(dashboard: dict[str, Any]) -> list[tuple[str, str]]:
    """(panel title, PromQL) for every target of every panel."""
    return [(p["title"], t["expr"]) for p in panels(dashboard) for t in p.get("targets", [])]


def with_variables_filled(expr: str) -> str:
    """Grafana's variables replaced by values, as Grafana does before sending the query."""
    expr = expr.replace("$__rate_interval", "5m").replace("$__interval", "1m")
    return re.sub(r"\$\{?\w+\}?", "x", expr)


def test_dashboard_config_map_for_the_sidecar() -> None:
    r = render({"groupName": GROUP, "grafanaDashboard": {"enabled": True}})
    cm = dashboard_config_map(r)
    assert cm["metadata"]["namespace"] == NAMESPACE
    assert cm["metadata"]["labels"]["grafana_dashboard"] == "1"
    (key,) = cm["data"]
    assert key.endswith(".json")
    assert json.loads(cm["data"][key]) == json.loads(DASHBOARD_FILE.read_text())
    # kubectl apply keeps a copy in an annotation limited to 256 KiB; stay well below.
    assert len(cm["data"][key]) < 128 * 1024

    r = render(VALUE_SETS["monitoring"])
    cm = dashboard_config_map(r)
    assert cm["metadata"]["namespace"] == "monitoring"
    labels = cm["metadata"]["labels"]
    assert labels["grafana.example.com/dashboard"] == "dns01"
    assert "grafana_dashboard" not in labels
    assert labels["team"] == "platform"
    assert cm["metadata"]["annotations"] == {"grafana_folder": "cert-manager"}


def test_dashboard_json_is_well_formed() -> None:
    dashboard = json.loads(DASHBOARD_FILE.read_text())
    assert dashboard["uid"] == "dns01-webhook" and dashboard["title"]
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    ids = [p["id"] for p in panels(dashboard)]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in panels(dashboard):
        assert {"h", "w", "x", "y"} <= set(panel["gridPos"]), panel["title"]
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, panel["title"]
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == panel["datasource"]
            # Every query is scoped by the dashboard's namespace and job variables.
            for name, matchers in selectors(with_variables_filled(target["expr"])):
                assert "namespace" in matchers and "job" in matchers, (panel["title"], name)
    used_variables = set(re.findall(r"\$(\w+)", json.dumps([e for _, e in queries(dashboard)])))
    assert used_variables - {"__rate_interval"} <= set(variables)


def test_dashboard_queries_parse_with_promtool(tmp_path: pathlib.Path) -> None:
    dashboard = json.loads(DASHBOARD_FILE.read_text())
    exprs = [with_variables_filled(e) for _, e in queries(dashboard)]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            m = re.fullmatch(r"label_values\((.*),\s*\w+\)", variable["query"]["query"], flags=re.S)
            assert m, variable["query"]
            exprs.append(with_variables_filled(m.group(1)))
    # promtool parses PromQL only inside rule files: one recording rule per query.
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{i}", "expr": e} for i, e in enumerate(exprs)]}]}
    (tmp_path / "dashboard-rules.yaml").write_text(yaml.safe_dump(rules))
    result = promtool("check", "rules", "dashboard-rules.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(exprs)} rules found" in result.stdout


def test_dashboard_uses_only_known_metrics() -> None:
    dashboard = json.loads(DASHBOARD_FILE.read_text())
    known = known_series()
    used = {name for _, e in queries(dashboard) for name, _ in selectors(with_variables_filled(e))}
    assert used <= known, used - known
    # Every documented metric has a panel.
    documented = documented_metrics()
    for name, row in documented.items():
        series = {name + s for s in HISTOGRAM_SUFFIXES} if row["type"] == "histogram" else {name}
        assert series & used, f"no panel shows {name}"


def test_dashboard_has_the_promised_panels() -> None:
    dashboard = json.loads(DASHBOARD_FILE.read_text())

    def find(predicate) -> list[str]:
        return [title for title, e in queries(dashboard) if predicate(e)]

    # Challenges by solver, provider and outcome.
    assert find(lambda e: "dns01_webhook_challenges_total" in e
                and re.search(r"by \(solver, provider, outcome\)", e))
    # Provider latency as histogram quantiles.
    latency = find(lambda e: e.startswith("histogram_quantile(")
                   and "dns01_webhook_provider_request_duration_seconds_bucket" in e)
    assert len(latency) >= 3, latency
    # Throttling.
    assert find(lambda e: 'dns01_webhook_provider_requests_total' in e and 'outcome="throttled"' in e)
    # Certificate expiry.
    assert find(lambda e: "dns01_webhook_serving_certificate_expiry_timestamp_seconds" in e and "time()" in e)


# ---- docs/metrics.md ----------------------------------------------------------------------------

def server_metric_names() -> set[str]:
    """Every metric name in the server's sources: "dns01_webhook_…" literals, and the names the
    metrics types build from their namespace ("\\(namespace)_…" labels and the suffixes passed
    to their failure counters), with the namespace the server gives them (dns01_webhook)."""
    names = set()
    for path in (REPO / "Sources").rglob("*.swift"):
        text = path.read_text()
        names.update(re.findall(r'"(dns01_webhook_[a-z0-9_]+)"', text))
        names.update("dns01_webhook_" + n for n in re.findall(r'"\\\(namespace\)_([a-z0-9_]+)"', text))
        names.update("dns01_webhook_" + n for n in re.findall(r'failureCounter\("([a-z0-9_]+)"', text))
    return names


def test_metrics_doc_lists_every_server_metric() -> None:
    defined = server_metric_names()
    assert len(defined) >= 7, defined
    missing = defined - set(documented_metrics())
    assert not missing, f"add these to docs/metrics.md: {sorted(missing)}"


def test_metrics_doc_rows() -> None:
    rows = documented_metrics()
    # The three provider-facing series the alerts and dashboard are built on.
    assert rows["dns01_webhook_challenges_total"]["labels"] == "`solver`, `action`, `outcome`, `provider`"
    assert rows["dns01_webhook_provider_requests_total"] == {
        "type": "counter", "labels": "`provider`, `operation`, `outcome`"}
    assert rows["dns01_webhook_provider_request_duration_seconds"] == {
        "type": "histogram", "labels": "`provider`, `operation`"}
    assert rows["dns01_webhook_serving_certificate_expiry_timestamp_seconds"]["type"] == "gauge"
    for name, row in rows.items():
        assert row["type"] in {"counter", "gauge", "histogram"}, name
        assert name.endswith("_total") == (row["type"] == "counter"), name
        if row["type"] == "histogram":
            assert name.endswith("_seconds"), name
    assert len(rows) == 10


def test_metrics_doc_queries_parse(tmp_path: pathlib.Path) -> None:
    blocks = re.findall(r"```promql\n(.*?)```", METRICS_DOC.read_text(), flags=re.S)
    exprs = []
    for block in blocks:
        for chunk in re.split(r"\n\s*\n", block):
            lines = [line for line in chunk.splitlines() if not line.lstrip().startswith("#")]
            if "".join(lines).strip():
                exprs.append("\n".join(lines))
    assert len(exprs) >= 4
    rules = {"groups": [{"name": "doc", "rules": [
        {"record": f"doc:query_{i}", "expr": e} for i, e in enumerate(exprs)]}]}
    (tmp_path / "doc-rules.yaml").write_text(yaml.safe_dump(rules))
    result = promtool("check", "rules", "doc-rules.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    known = known_series()
    for e in exprs:
        assert {name for name, _ in selectors(e)} <= known, e


def test_notes_say_what_monitoring_was_installed() -> None:
    alone = render(RULES_ON).notes
    assert "PrometheusRule cert-manager/dns01-webhook" in alone
    assert "WARNING: serviceMonitor is off" in alone
    full = render(VALUE_SETS["monitoring"]).notes
    assert "ServiceMonitor cert-manager/dns01-webhook scrapes /metrics" in full
    assert "PrometheusRule monitoring/dns01-webhook" in full
    assert 'label grafana.example.com/dashboard="dns01"' in full
    assert "WARNING" not in full
    assert "Monitoring" not in render(VALUE_SETS["default"]).notes
