"""docs/install.md's YAML examples parse, and every webhook stanza in them uses a served
solver name and one group name, so copy-pasted examples work."""

from __future__ import annotations

import re

import pytest
import yaml

from chart_render import REPO

DOC = REPO / "docs" / "install.md"
SERVED = {"dispatch", "route53", "alidns", "rfc2136", "http", "exec", "memory"}


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
        if s["solverName"] in ("route53", "alidns"):
            assert "route53" not in s["config"] and "alidns" not in s["config"], s


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
