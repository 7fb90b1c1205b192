"""The config JSON Schema (docs/config.schema.json, generated from the providers'
descriptors) checked with an independent validator (python-jsonschema, draft 2020-12):
it is a valid schema, every example config in the repository passes it, and a set of bad
configs fails it."""

from __future__ import annotations

import json
import pathlib
import re

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "config.schema.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA)
PROVIDERS = sorted(SCHEMA["$defs"]["providers"])


def errors(document):
    return sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.path))


def test_the_schema_is_a_valid_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_provider_has_a_block_definition():
    for name in ["route53", "alidns", "rfc2136", "http", "exec", "memory"]:
        assert name in PROVIDERS


def example_files():
    return sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_example_files_pass(path):
    document = yaml.safe_load(path.read_text())
    assert errors(document) == []


def page_examples():
    """The config example of every generated provider page (`docs/providers/<name>.md`)."""
    found = []
    for page in sorted((ROOT / "docs" / "providers").glob("*.md")):
        for block in re.findall(r"```yaml\n(.*?)```", page.read_text(), re.S):
            found.append(pytest.param(block, id=page.stem))
    assert found, "no provider pages"
    return found


@pytest.mark.parametrize("text", page_examples())
def test_provider_page_examples_pass_wrapped_and_bare(text):
    document = yaml.safe_load(text)
    assert errors(document) == []
    ((name, block),) = document.items()
    bare = Draft202012Validator({"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": f"#/$defs/providers/{name}"})
    assert list(bare.iter_errors(block)) == []


def test_an_empty_document_and_a_policy_alone_pass():
    assert errors({}) == []
    assert errors({"issuerPolicy": {"allowedEndpoints": ["https://hooks.example.com/"]}}) == []


BAD = {
    "unknown top-level field": {"route53": {}, "apiVersion": "v1"},
    "two providers wrapped": {"route53": {}, "alidns": {}},
    "a table and a provider": {"providers": [{"memory": {}}], "route53": {}},
    "empty table": {"providers": []},
    "entry with two providers": {"providers": [{"memory": {}, "route53": {}}]},
    "entry with no provider": {"providers": [{"selector": {"dnsZones": ["example.com"]}}]},
    "unknown selector field": {"providers": [{"selector": {"matchLabels": {"a": "b"}}, "memory": {}}]},
    "misspelt route53 field": {"route53": {"acessKeyID": "AKID"}},
    "secret reference without key": {"route53": {"secretAccessKeySecretRef": {"name": "aws"}}},
    "secret reference with extra field": {"alidns": {"secretKeySecretRef": {"name": "a", "key": "b", "namespace": "x"}}},
    "ttl out of range": {"alidns": {"ttl": 0}},
    "ttl as text": {"alidns": {"ttl": "600"}},
    "bool as text": {"route53": {"waitForInSync": "yes"}},
    "bad protocol": {"rfc2136": {"nameserver": "192.0.2.1", "protocol": "udp"}},
    "rfc2136 without nameserver": {"rfc2136": {"tsigKeyName": "k"}},
    "exec without command": {"exec": {"timeout": "30s"}},
    "bad duration": {"exec": {"command": "/bin/true", "timeout": "thirty seconds"}},
    "policy with a bad URL": {"issuerPolicy": {"allowedEndpoints": ["ftp://example.com/"]}},
    "policy with an unknown field": {"issuerPolicy": {"allowEverything": True}},
    "a pasted Issuer": {"apiVersion": "cert-manager.io/v1", "kind": "Issuer", "spec": {}},
}


@pytest.mark.parametrize("document", BAD.values(), ids=BAD.keys())
def test_bad_configs_fail(document):
    assert errors(document) != []
