"""Tests for ovh_emulator.py, proven against OVHcloud's OFFICIAL Python SDK (python-ovh).

python-ovh 1.2.0 only accepts named endpoints, so the tests register one
(``ovh.client.ENDPOINTS["local"] = "http://127.0.0.1:<port>/1.0"`` and the
matching ``OAUTH2_TOKEN_URLS`` entry), exactly as the reference describes.
The SDK signs with ``$1$`` SHA-1 after learning its clock delta from
``/auth/time``; its oauth2 mode fetches a client-credentials token and sends
``Authorization: Bearer``.

Run: python3 -m pytest -q Tests/Peers/test_ovh_emulator.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import emulator_testlib as lib  # noqa: E402
import ovh_emulator as emu  # noqa: E402

import ovh  # noqa: E402
import ovh.client  # noqa: E402
from ovh import exceptions as ovh_exc  # noqa: E402

AK, AS, CK = "ovhtestappkey", "ovh-test-app-secret", "ovhtestconsumerkey"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = lib.start("ovh_emulator.py", tmp_path_factory.mktemp("ovh"), emu.DEFAULT_CONFIG)
    yield running
    assert lib.stop(running) == 0


@pytest.fixture(autouse=True)
def fresh(request, monkeypatch):
    if "server" in request.fixturenames:
        running = request.getfixturevalue("server")
        running.reset()
        monkeypatch.setitem(ovh.client.ENDPOINTS, "local", running.base + "/1.0")
        monkeypatch.setitem(ovh.client.OAUTH2_TOKEN_URLS, "local", running.base + "/auth/oauth2/token")
        monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # oauthlib refuses http token URLs otherwise
    yield


def client(ak: str = AK, secret: str = AS, ck: Optional[str] = CK) -> ovh.Client:
    return ovh.Client(endpoint="local", application_key=ak, application_secret=secret, consumer_key=ck)


def oauth_client(client_id: str = "ovh-test-client", secret: str = "ovh-test-client-secret") -> ovh.Client:
    return ovh.Client(endpoint="local", client_id=client_id, client_secret=secret)


def add(c: ovh.Client, target: str, sub: str = "_acme-challenge", zone: str = "example.com") -> Dict[str, Any]:
    return c.post(f"/domain/zone/{zone}/record", fieldType="TXT", subDomain=sub, target=target, ttl=60)


def raw(server: lib.Running, method: str, path: str, body: str = "", *, ak: str = AK, secret: str = AS, ck: str = CK,
        timestamp: Optional[int] = None, sign_url: Optional[str] = None):
    url = server.base + "/1.0" + path
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"X-Ovh-Application": ak, "X-Ovh-Consumer": ck, "X-Ovh-Timestamp": stamp,
               "X-Ovh-Signature": emu.ovh_signature(secret, ck, method, sign_url or url, body.encode(), stamp),
               "Content-Type": "application/json"}
    status, resp_headers, data = server.http(method, "/1.0" + path, body.encode() if body else None, headers)
    return status, resp_headers, json.loads(data) if data else None


# ---------------------------------------------------------------------------
# 1. Signature vectors
# ---------------------------------------------------------------------------


def test_reference_signature_vectors():
    body = b'{"fieldType":"TXT","subDomain":"_acme-challenge","target":"abc","ttl":60}'
    assert emu.ovh_signature("EXAMPLEsecret", "EXAMPLEconsumer", "POST",
                             "https://eu.api.ovh.com/1.0/domain/zone/example.com/record", body, "1700000000") == \
        "$1$88d060fbc974ac7925873b14089855921b83d173"
    assert emu.ovh_signature("EXAMPLEsecret", "EXAMPLEconsumer", "GET",
                             "https://eu.api.ovh.com/1.0/domain/zone/example.com/record?fieldType=TXT&subDomain=_acme-challenge",
                             b"", "1700000000") == "$1$a6e673fd7a69795a64f87ea97552c06a6651ce54"


# ---------------------------------------------------------------------------
# 2. python-ovh (application keys) against the emulator
# ---------------------------------------------------------------------------


def test_record_lifecycle_and_refresh(server):
    c = client()
    assert c.get("/domain/zone") == ["example.com", "example.net"]
    assert c.get("/domain/zone/example.com")["name"] == "example.com"
    assert c.get("/domain/zone/example.com/status")["isDeployed"] is True
    first = add(c, "apex-key")
    second = add(c, "wildcard-key")
    assert first["target"] == "apex-key" and first["fieldType"] == "TXT" and first["zone"] == "example.com"
    ids = c.get("/domain/zone/example.com/record", fieldType="TXT", subDomain="_acme-challenge")
    assert ids == [first["id"], second["id"]]
    assert c.get(f"/domain/zone/example.com/record/{second['id']}")["target"] == "wildcard-key"
    assert server.state()["published"]["example.com"] == []  # nothing served before a refresh
    assert c.post("/domain/zone/example.com/refresh") is None
    assert [r["target"] for r in server.state()["published"]["example.com"]] == ["apex-key", "wildcard-key"]
    assert c.delete(f"/domain/zone/example.com/record/{first['id']}") is None
    assert [r["target"] for r in server.state()["published"]["example.com"]] == ["apex-key", "wildcard-key"]
    c.post("/domain/zone/example.com/refresh")
    state = server.state()
    assert [r["target"] for r in state["published"]["example.com"]] == ["wildcard-key"] and state["refreshes"]["example.com"] == 2
    with pytest.raises(ovh_exc.ResourceNotFoundError) as info:
        c.get(f"/domain/zone/example.com/record/{first['id']}")
    assert str(first["id"]) in str(info.value)
    assert c.get("/domain/zone/example.com/record", fieldType="TXT", subDomain="nothing") == []
    assert state["okCounts"]["createRecord"] == 2 and state["okCounts"]["refreshZone"] == 2


def test_zone_errors_and_validation(server):
    c = client()
    with pytest.raises(ovh_exc.ResourceNotFoundError) as info:
        c.get("/domain/zone/other.example")  # another account's zone
    assert "This service does not exist" in str(info.value)
    with pytest.raises(ovh_exc.BadParametersError):
        c.post("/domain/zone/example.com/record", fieldType="NOPE", subDomain="x", target="v")
    with pytest.raises(ovh_exc.BadParametersError):
        c.post("/domain/zone/example.com/record", fieldType="TXT", subDomain="x")
    record = add(c, "v")
    c.put(f"/domain/zone/example.com/record/{record['id']}", target="v2", ttl=120)
    assert c.get(f"/domain/zone/example.com/record/{record['id']}")["target"] == "v2"


# ---------------------------------------------------------------------------
# 3. Authentication
# ---------------------------------------------------------------------------


def test_time_delta_is_learned_from_auth_time(server):
    server.admin("POST", "clock", {"offsetSeconds": 3600})
    assert client().get("/auth/time", _need_auth=False) >= int(time.time()) + 3590
    assert add(client(), "with-delta")["id"]  # the SDK corrects its timestamps by the learned delta
    status, _, body = raw(server, "GET", "/domain/zone")  # a client that ignores /auth/time
    assert status == 400 and body["errorCode"] == "QUERY_TIME_OUT"
    server.admin("POST", "clock", {"now": 1700000000})
    assert raw(server, "GET", "/domain/zone", timestamp=1700000000 + 170)[0] == 200
    assert raw(server, "GET", "/domain/zone", timestamp=1700000000 - 190)[2]["errorCode"] == "QUERY_TIME_OUT"


def test_credential_errors(server):
    with pytest.raises(ovh_exc.BadParametersError) as info:
        client(secret="a-secret-that-must-not-leak").get("/domain/zone")
    assert "Invalid signature" in str(info.value)
    with pytest.raises(ovh_exc.InvalidKey):
        client(ak="unknownkey").get("/domain/zone")
    with pytest.raises(ovh_exc.InvalidCredential):
        client(ck="unknownconsumer").get("/domain/zone")
    readonly = client(ck="ovhreadonlyconsumerkey")
    assert readonly.get("/domain/zone")
    with pytest.raises(ovh_exc.NotGrantedCall):
        add(readonly, "v")
    status, headers, body = raw(server, "GET", "/domain/zone", secret="wrong")
    assert (status, body["errorCode"], body["httpCode"], body["class"]) == \
        (400, "INVALID_SIGNATURE", "400 Bad Request", "Client::BadRequest")
    assert "X-Ovh-Queryid" in headers
    assert "a-secret-that-must-not-leak" not in json.dumps(server.state()) and AS not in json.dumps(server.state())


def test_signature_covers_url_body_and_query(server):
    assert raw(server, "GET", "/domain/zone/example.com/record?fieldType=TXT")[0] == 200
    signed_elsewhere = raw(server, "GET", "/domain/zone/example.com/record?fieldType=TXT",
                           sign_url="https://eu.api.ovh.com/1.0/domain/zone/example.com/record?fieldType=TXT")
    assert signed_elsewhere[2]["errorCode"] == "INVALID_SIGNATURE"
    body = '{"fieldType":"TXT","subDomain":"_acme-challenge","target":"raw","ttl":60}'
    assert raw(server, "POST", "/domain/zone/example.com/record", body)[0] == 200
    stamp = str(int(time.time()))
    sig = emu.ovh_signature(AS, CK, "POST", server.base + "/1.0/domain/zone/example.com/record", body.encode(), stamp)
    status, _, data = server.http("POST", "/1.0/domain/zone/example.com/record", body.replace("raw", "evil").encode(),
                                  {"X-Ovh-Application": AK, "X-Ovh-Consumer": CK, "X-Ovh-Timestamp": stamp,
                                   "X-Ovh-Signature": sig, "Content-Type": "application/json"})
    assert status == 400 and json.loads(data)["errorCode"] == "INVALID_SIGNATURE"


# ---------------------------------------------------------------------------
# 4. OAuth2 client credentials (python-ovh's oauth2 mode)
# ---------------------------------------------------------------------------


def test_oauth2_mode(server):
    c = oauth_client()
    record = add(c, "via-oauth2")
    assert c.get(f"/domain/zone/example.com/record/{record['id']}")["target"] == "via-oauth2"
    state = server.state()
    assert state["okCounts"]["oauth2Token"] == 1 and state["issuedTokens"] == 1
    with pytest.raises(ovh_exc.OAuth2FailureError):
        oauth_client(secret="wrong").get("/domain/zone")
    status, _, body = server.http("GET", "/1.0/domain/zone", None, {"Authorization": "Bearer forged"})
    assert status == 401 and json.loads(body)["errorCode"] == "INVALID_CREDENTIAL"
    token = c._oauth2.token["access_token"]
    server.admin("POST", "clock", {"offsetSeconds": 3601})
    status, _, body = server.http("GET", "/1.0/domain/zone", None, {"Authorization": f"Bearer {token}"})
    assert status == 401  # expired on the server


# ---------------------------------------------------------------------------
# 5. Faults and process
# ---------------------------------------------------------------------------


def test_throttle_and_5xx(server):
    c = client()
    server.admin("POST", "faults", {"throttle": 1, "error5xx": 1, "actions": ["createRecord"]})
    with pytest.raises(ovh_exc.APIError) as info:
        add(c, "x")
    assert info.value.response.status_code == 429
    with pytest.raises(ovh_exc.APIError) as info:
        add(c, "x")
    assert info.value.response.status_code == 503
    add(c, "x")
    state = server.state()
    assert [e["outcome"] for e in state["requests"] if e["action"] == "createRecord"] == \
        ["Client::TooManyRequests", "Server::ServiceUnavailable", "OK"]
    assert len(state["records"]) == 1


def test_seed_and_stdin_eof(tmp_path):
    running = lib.start("ovh_emulator.py", tmp_path)
    try:
        running.admin("POST", "seed", {"records": [{"zone": "example.com", "subDomain": "_acme-challenge", "target": "foreign"}]})
        state = running.state()
        assert [r["target"] for r in state["records"]] == ["foreign"] and state["published"]["example.com"][0]["target"] == "foreign"
    finally:
        assert lib.stop(running, "stdin") == 0
