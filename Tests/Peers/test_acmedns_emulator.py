"""Proves acmedns_emulator.py honest with acme-dns's own Python client
(``pyacmedns``, by acme-dns's author) and plain ``requests`` following the
acme-dns README, checked against acme-dns's source (see the emulator's
docstring).

Run: python3 -m pytest -q -p no:cacheprovider Tests/Peers/test_acmedns_emulator.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pyacmedns import Client  # noqa: E402
from pyacmedns.exceptions import AcmeDnsClientException  # noqa: E402

import acmedns_emulator as emu  # noqa: E402
import emulator_testlib as lib  # noqa: E402

SCRIPT = "acmedns_emulator.py"
ACCOUNT = {"username": "11111111-2222-4333-8444-555555555555",
           "password": "acmeDnsTestPassword_0000000000000000000A",
           "subdomain": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
           "fulldomain": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee.auth.example.org"}
FENCED = {"username": "22222222-3333-4444-8555-666666666666",
          "password": "acmeDnsTestPassword_1111111111111111111B",
          "subdomain": "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff"}
V1 = "LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM"
V2 = "xg6Wn8DnRzJvwzS8bFmNQsYTjOvTx7kTOPGYs4Y8XkE"
V3 = "3wq-oTNIU_3D2PeHsm0M3wHgFT6G9xjS4Zv2qmYwkr8"


@pytest.fixture(scope="module")
def server():
    running = lib.start(SCRIPT)
    yield running
    assert lib.stop(running) == 0


@pytest.fixture(autouse=True)
def fresh(request):
    if "server" in request.fixturenames:
        request.getfixturevalue("server").reset()
    yield


def update(server, account, txt, subdomain=None, **headers):
    hdrs = {"X-Api-User": account["username"], "X-Api-Key": account["password"], "Content-Type": "application/json"}
    hdrs.update(headers)
    return requests.post(server.base + "/update", headers=hdrs, timeout=5,
                         data=json.dumps({"subdomain": subdomain or account["subdomain"], "txt": txt}))


def values(server, sub=ACCOUNT["subdomain"]):
    return sorted(server.state()["values"][sub])


def test_process_rules():
    lib.check_process_rules(SCRIPT)


def test_pyacmedns_update_keeps_the_two_most_recent_values(server):
    client = Client(server.base)
    server.admin("POST", "clock", {"now": 1_700_000_000})
    client.update_txt_record(ACCOUNT, V1)
    server.admin("POST", "clock", {"now": 1_700_000_001})
    client.update_txt_record(ACCOUNT, V2)
    assert values(server) == sorted([V1, V2])  # apex + wildcard coexist
    server.admin("POST", "clock", {"now": 1_700_000_002})
    client.update_txt_record(ACCOUNT, V3)  # a third value evicts the oldest
    assert values(server) == sorted([V2, V3])
    updates = server.state()["updates"]
    assert [(u["value"], u["replaced"]) for u in updates] == [(V1, ""), (V2, ""), (V3, V1)]
    assert server.state()["counts"] == {"update": 3}


def test_same_second_updates_evict_by_row_order(server):
    server.admin("POST", "clock", {"now": 1_700_000_000})
    for value in (V1, V2, V1, V2):  # apex, wildcard, then both presented again within the second
        assert update(server, ACCOUNT, value).status_code == 200
    assert server.state()["values"][ACCOUNT["subdomain"]] == [V2, V2]  # V1 lost: acme-dns's real quirk
    server.admin("POST", "clock", {"now": 1_700_000_001})
    assert update(server, ACCOUNT, V1).status_code == 200
    assert values(server) == sorted([V1, V2])


def test_update_answer_shape(server):
    response = update(server, ACCOUNT, V1)
    assert response.status_code == 200
    assert response.content == ('{"txt": "%s"}' % V1).encode()
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("mutate,note", [
    (lambda h, b: h.update({"X-Api-User": "not-a-uuid"}), "invalid username"),
    (lambda h, b: h.update({"X-Api-Key": ACCOUNT["password"][:-1]}), "invalid key"),
    (lambda h, b: h.update({"X-Api-Key": ACCOUNT["password"][:-1] + "!"}), "invalid key"),
    (lambda h, b: h.update({"X-Api-Key": "x" * 40}), "unknown user or wrong password"),
    (lambda h, b: h.update({"X-Api-User": "33333333-2222-4333-8444-555555555555"}), "unknown user or wrong password"),
    (lambda h, b: h.pop("X-Api-User"), "invalid username"),
    (lambda h, b: b.update({"subdomain": FENCED["subdomain"]}), "subdomain_mismatch"),
    (lambda h, b: b.update({"subdomain": ACCOUNT["subdomain"].upper()}), "subdomain_mismatch"),
    (lambda h, b: b.clear(), "subdomain_mismatch"),
], ids=["user-not-uuid", "key-39", "key-bad-char", "wrong-key", "unknown-user", "no-user", "other-subdomain",
        "subdomain-case", "no-body-fields"])
def test_forbidden(server, mutate, note):
    headers = {"X-Api-User": ACCOUNT["username"], "X-Api-Key": ACCOUNT["password"]}
    body = {"subdomain": ACCOUNT["subdomain"], "txt": V1}
    mutate(headers, body)
    response = requests.post(server.base + "/update", headers=headers, data=json.dumps(body), timeout=5)
    assert (response.status_code, response.json()) == (401, {"error": "forbidden"})
    last = server.state()["requests"][-1]
    assert (last["outcome"], last["note"]) == ("forbidden", note)
    assert values(server) == []


def test_pyacmedns_raises_its_exception_on_refusal(server):
    with pytest.raises(AcmeDnsClientException) as info:
        Client(server.base).update_txt_record(dict(ACCOUNT, password="y" * 40), V1)
    assert "Response HTTP status: 401" in str(info.value) and '"error": "forbidden"' in str(info.value)


def test_username_forms_go_uuid_accepts(server):
    upper = ACCOUNT["username"].upper()
    for form in (upper, "{" + ACCOUNT["username"] + "}", "urn:uuid:" + ACCOUNT["username"],
                 ACCOUNT["username"].replace("-", "")):
        assert update(server, ACCOUNT, V1, **{"X-Api-User": form}).status_code == 200, form
    assert emu.go_uuid_parse("11111111-2222-4333-8444-55555555555") is None
    assert emu.go_uuid_parse("11111111_2222-4333-8444-555555555555") is None


def test_bad_txt(server):
    for txt in (V1[:-1], V1 + "A", V1[:-1] + "=", V1[:-1] + "+", ""):
        response = update(server, ACCOUNT, txt)
        assert (response.status_code, response.json()) == (400, {"error": "bad_txt"}), txt
    assert values(server) == []


def test_allowfrom_and_proxy_header(server, tmp_path):
    response = update(server, FENCED, V1)
    assert (response.status_code, response.json()) == (401, {"error": "forbidden"})
    assert server.state()["requests"][-1]["note"] == "ip_unauthorized"
    config = json.loads(json.dumps(emu.DEFAULT_CONFIG))
    config["useHeader"] = True
    running = lib.start(SCRIPT, tmp_path, config)
    try:
        assert update(running, FENCED, V1, **{"X-Forwarded-For": "203.0.113.9, 192.0.2.77"}).status_code == 200
        assert update(running, FENCED, V2, **{"X-Forwarded-For": "203.0.113.9"}).status_code == 401
        assert update(running, FENCED, V2).status_code == 401  # no header, a non-empty allowfrom
        assert update(running, ACCOUNT, V2).status_code == 200  # empty allowfrom: anyone
    finally:
        assert lib.stop(running) == 0


def test_pyacmedns_register_then_update(server):
    client = Client(server.base)
    account = client.register_account(None)
    assert set(account) == {"username", "password", "fulldomain", "subdomain", "allowfrom"}
    assert account["fulldomain"] == account["subdomain"] + ".auth.example.org"
    assert account["allowfrom"] == [] and len(account["password"]) == 40
    assert emu.go_uuid_parse(account["username"]) == account["username"]
    client.update_txt_record(account, V1)
    assert server.state()["values"][account["subdomain"]] == [V1]
    fenced = client.register_account(["192.0.2.0/24", "[2001:db8::]/32"])
    assert fenced["allowfrom"] == ["192.0.2.0/24", "2001:db8::/32"]
    with pytest.raises(AcmeDnsClientException):
        client.update_txt_record(fenced, V1)  # 127.0.0.1 is outside allowfrom
    with pytest.raises(AcmeDnsClientException) as info:
        client.register_account(["not-a-cidr"])
    assert "invalid_allowfrom_cidr" in str(info.value)
    response = requests.post(server.base + "/register", data="{bad", timeout=5)
    assert (response.status_code, response.json()) == (400, {"error": "malformed_json_payload"})
    assert requests.post(server.base + "/register", data='{"AllowFrom": ["10.0.0.0/8"]}',
                         timeout=5).json()["allowfrom"] == ["10.0.0.0/8"]  # Go matches keys case-insensitively


def test_routes(server, tmp_path):
    assert requests.get(server.base + "/health", timeout=5).status_code == 200
    response = requests.get(server.base + "/update", timeout=5)
    assert (response.status_code, response.headers["Allow"]) == (405, "POST, OPTIONS")
    response = requests.post(server.base + "/delete", timeout=5)
    assert (response.status_code, response.text) == (404, "404 page not found\n")
    config = dict(emu.DEFAULT_CONFIG, disableRegistration=True)
    running = lib.start(SCRIPT, tmp_path, config)
    try:
        assert requests.post(running.base + "/register", timeout=5).status_code == 404
    finally:
        assert lib.stop(running) == 0


def test_injected_faults(server):
    server.faults(throttle=1, retryAfterSeconds=2, error5xx=1, error5xxStatus=500, actions=["update"])
    assert requests.get(server.base + "/health", timeout=5).status_code == 200
    response = update(server, ACCOUNT, V1)
    assert (response.status_code, response.headers["Retry-After"], response.text) == (429, "2", "Too Many Requests\n")
    response = update(server, ACCOUNT, V1)
    assert (response.status_code, response.json()) == (500, {"error": "db_error"})
    server.faults(error5xx=1, error5xxStatus=503)
    # a proxy's plain-text 503 is not JSON: pyacmedns's error path (res.json()) itself fails on it
    with pytest.raises(requests.exceptions.JSONDecodeError):
        Client(server.base).update_txt_record(ACCOUNT, V1)
    assert update(server, ACCOUNT, V1).status_code == 200
    assert values(server) == [V1]
    statuses = [e["status"] for e in server.state()["requests"] if e["action"] == "update"]
    assert statuses == [429, 500, 503, 200]


def test_delay_fault(server):
    server.faults(delayMs=300, delayCount=1)
    started = time.monotonic()
    assert update(server, ACCOUNT, V1).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_admin_seed_and_state(server):
    server.admin("POST", "seed", {"subdomain": ACCOUNT["subdomain"], "values": [V1, V2, V3]})
    state = server.state()
    assert sorted(state["values"][ACCOUNT["subdomain"]]) == sorted([V2, V3])
    assert {a["username"] for a in state["accounts"]} == {ACCOUNT["username"], FENCED["username"]}
    assert all("password" not in a for a in state["accounts"])
    server.reset()
    assert values(server) == []
