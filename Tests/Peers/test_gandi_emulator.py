"""Tests for gandi_emulator.py.  Gandi publishes no official Python SDK for LiveDNS, so
the client here is plain ``requests`` following Gandi's published v5 reference
(paths, bodies, auth headers, status codes), the same calls lego, acme.sh and
the cert-manager webhooks make.

Run: python3 -m pytest -q Tests/Peers/test_gandi_emulator.py
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import emulator_testlib as lib  # noqa: E402
import gandi_emulator as emu  # noqa: E402

PAT = "gandi-test-pat"
BEARER = {"Authorization": f"Bearer {PAT}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = lib.start("gandi_emulator.py", tmp_path_factory.mktemp("gandi"), emu.DEFAULT_CONFIG)
    yield running
    assert lib.stop(running) == 0


@pytest.fixture(autouse=True)
def fresh(request):
    if "server" in request.fixturenames:
        request.getfixturevalue("server").reset()
    yield


def call(server: lib.Running, method: str, path: str, body: Optional[Dict[str, Any]] = None,
         headers: Optional[Dict[str, str]] = None, base: str = "/v5/livedns") -> requests.Response:
    return requests.request(method, server.base + base + path, json=body,
                            headers=BEARER if headers is None else headers, timeout=10)


TXT = "/domains/example.com/records/_acme-challenge/TXT"


def test_domain_and_rrset_round_trip(server):
    assert [d["fqdn"] for d in call(server, "GET", "/domains").json()] == ["example.com", "example.net"]
    domain = call(server, "GET", "/domains/example.com").json()
    assert domain["domain_records_href"].endswith("/v5/livedns/domains/example.com/records")
    missing = call(server, "GET", TXT)
    assert missing.status_code == 404 and missing.json()["code"] == 404 and set(missing.json()) >= {"message", "object", "cause"}
    created = call(server, "PUT", TXT, {"rrset_ttl": 300, "rrset_values": ["apex-key"]})
    assert created.status_code == 201 and created.json() == {"message": "DNS Record Created"}
    got = call(server, "GET", TXT).json()
    assert got["rrset_values"] == ['"apex-key"'] and got["rrset_ttl"] == 300 and got["rrset_type"] == "TXT"
    assert got["rrset_href"].endswith(TXT)
    # the lego way: GET, append, PUT the full list (values come back quoted)
    call(server, "PUT", TXT, {"rrset_ttl": 300, "rrset_values": ["wildcard-key"] + got["rrset_values"]})
    assert call(server, "GET", TXT).json()["rrset_values"] == ['"wildcard-key"', '"apex-key"']
    by_name = call(server, "GET", "/domains/example.com/records/_acme-challenge").json()
    assert [r["rrset_type"] for r in by_name] == ["TXT"]
    call(server, "PUT", TXT, {"rrset_ttl": 300, "rrset_values": ['"wildcard-key"']})  # cleanup of one value
    assert call(server, "GET", TXT).json()["rrset_values"] == ['"wildcard-key"']
    deleted = call(server, "DELETE", TXT)
    assert deleted.status_code == 204 and deleted.content == b""
    assert call(server, "DELETE", TXT).status_code == 404
    counts = server.state(log=False)["okCounts"]
    assert counts["replaceRRSet"] == 3 and counts["deleteRRSet"] == 1


def test_create_endpoints_and_conflicts(server):
    body = {"rrset_name": "_acme-challenge", "rrset_type": "TXT", "rrset_ttl": 300, "rrset_values": ["v"]}
    assert call(server, "POST", "/domains/example.com/records", body).status_code == 201
    conflict = call(server, "POST", "/domains/example.com/records", body)
    assert conflict.status_code == 409 and conflict.json()["code"] == 409
    assert call(server, "POST", TXT, {"rrset_values": ["x"]}).status_code == 409
    assert call(server, "POST", "/domains/example.com/records/other/TXT", {"rrset_values": ["x"]}).status_code == 201
    assert call(server, "GET", "/domains/example.com/records/other/TXT").json()["rrset_ttl"] == 10800
    listed = call(server, "GET", "/domains/example.com/records").json()
    assert {(r["rrset_name"], r["rrset_type"]) for r in listed} == {("@", "NS"), ("_acme-challenge", "TXT"), ("other", "TXT")}


def test_validation_errors(server):
    low = call(server, "PUT", TXT, {"rrset_ttl": 60, "rrset_values": ["v"]})
    assert low.status_code == 400 and low.json()["errors"][0]["name"] == "rrset_ttl"
    empty = call(server, "PUT", TXT, {"rrset_ttl": 300, "rrset_values": []})
    assert empty.status_code == 400 and empty.json()["errors"][0]["name"] == "rrset_values"
    assert call(server, "PUT", "/domains/example.com/records/_acme-challenge/BOGUS", {"rrset_values": ["v"]}).status_code == 400
    assert call(server, "GET", "/domains/unknown.example").status_code == 404


def test_authentication_styles(server):
    assert call(server, "GET", "/domains/example.com", headers={"Authorization": "Apikey gandi-test-apikey"}).status_code == 200
    legacy = call(server, "GET", "/domains/example.com", headers={"X-Api-Key": "gandi-test-apikey"}, base="/api/v5")
    assert legacy.status_code == 200 and legacy.json()["domain_href"].endswith("/api/v5/domains/example.com")
    bad = call(server, "GET", "/domains", headers={"Authorization": "Bearer a-secret-that-must-not-leak"})
    assert bad.status_code == 401 and bad.json()["object"] == "HTTPUnauthorized" and bad.json()["cause"] == "Unauthorized"
    assert "a-secret-that-must-not-leak" not in bad.text
    assert call(server, "GET", "/domains", headers={}).status_code == 401
    assert call(server, "GET", "/domains", headers={"Authorization": f"Apikey {PAT}"}).status_code == 401  # a PAT is not a key
    limited = {"Authorization": "Bearer gandi-limited-pat"}
    assert call(server, "GET", "/domains/example.net/records", headers=limited).status_code == 200
    forbidden = call(server, "GET", TXT, headers=limited)
    assert forbidden.status_code == 403 and forbidden.json()["cause"] == "Forbidden"
    assert "a-secret-that-must-not-leak" not in json.dumps(server.state())


def test_put_has_no_precondition_so_concurrent_writers_can_lose_values(server):
    call(server, "PUT", TXT, {"rrset_ttl": 300, "rrset_values": ["existing"]})
    both_read = threading.Barrier(2)
    errors: List[BaseException] = []

    def writer(value: str) -> None:
        try:
            current = call(server, "GET", TXT).json()["rrset_values"]
            both_read.wait(timeout=10)
            assert call(server, "PUT", TXT, {"rrset_ttl": 300, "rrset_values": current + [value]}).status_code == 201
        except BaseException as err:  # pragma: no cover
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(v,)) for v in ("apex-key", "wildcard-key")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert not errors
    final = call(server, "GET", TXT).json()["rrset_values"]
    assert len(final) == 2 and final[0] == '"existing"'


def test_faults(server):
    server.admin("POST", "faults", {"throttle": 1, "error5xx": 1, "actions": ["replaceRRSet"]})
    assert call(server, "GET", TXT).status_code == 404  # not a matching action
    throttled = call(server, "PUT", TXT, {"rrset_values": ["v"]})
    assert throttled.status_code == 429 and throttled.json()["code"] == 429
    assert call(server, "PUT", TXT, {"rrset_values": ["v"]}).status_code == 503
    assert call(server, "PUT", TXT, {"rrset_values": ["v"]}).status_code == 201
    state = server.state()
    assert [e["status"] for e in state["requests"] if e["action"] == "replaceRRSet"] == [429, 503, 201]
    server.admin("POST", "seed", {"records": [{"domain": "example.com", "name": "_acme-challenge", "values": ["foreign"]}]})
    assert call(server, "GET", TXT).json()["rrset_values"] == ['"v"', '"foreign"']


def test_stdin_eof(tmp_path):
    assert lib.stop(lib.start("gandi_emulator.py", tmp_path), "stdin") == 0
