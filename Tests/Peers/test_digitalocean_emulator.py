"""Proves digitalocean_emulator.py honest with the OFFICIAL DigitalOcean Python
SDK (``pydo``) pointed at it.  pydo authenticates through azure-core's
BearerTokenCredentialPolicy, which refuses plain http unless each call passes
``enforce_https=False`` (providers-builtin.md §4.5), so every call here does.

Run: python3 -m pytest -q -p no:cacheprovider Tests/Peers/test_digitalocean_emulator.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pydo  # noqa: E402
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError  # noqa: E402

import emulator_testlib as lib  # noqa: E402

SCRIPT = "digitalocean_emulator.py"
TOKEN = "dop_v1_" + "0" * 64
READ_ONLY = "dop_v1_" + "1" * 64
FQDN = "_acme-challenge.example.com"
V1 = "LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM"
V2 = "xg6Wn8DnRzJvwzS8bFmNQsYTjOvTx7kTOPGYs4Y8XkE"
NO_TLS = {"enforce_https": False}


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


def client(server, token=TOKEN, retries=0) -> pydo.Client:
    return pydo.Client(token=token, endpoint=server.base, retry_total=retries, retry_backoff_factor=0.01)


def txt_records(server):
    return [r for r in server.state()["records"] if r["type"] == "TXT"]


def test_process_rules():
    lib.check_process_rules(SCRIPT)


def test_cert_manager_flow_with_pydo(server):
    do = client(server)
    listed = do.domains.list_records("example.com", type="TXT", name=FQDN, per_page=200, **NO_TLS)
    assert listed == {"domain_records": [], "links": {"pages": {}}, "meta": {"total": 0}}
    # cert-manager sends the absolute name with a trailing dot
    first = do.domains.create_record("example.com", {"type": "TXT", "name": FQDN + ".", "data": V1, "ttl": 60},
                                     **NO_TLS)["domain_record"]
    assert (first["name"], first["type"], first["data"], first["ttl"]) == ("_acme-challenge", "TXT", V1, 60)
    assert isinstance(first["id"], int)
    do.domains.create_record("example.com", {"type": "TXT", "name": FQDN + ".", "data": V2, "ttl": 60}, **NO_TLS)
    listed = do.domains.list_records("example.com", type="TXT", name=FQDN, per_page=200, **NO_TLS)
    assert sorted(r["data"] for r in listed["domain_records"]) == sorted([V1, V2])
    assert listed["meta"] == {"total": 2}
    assert do.domains.delete_record("example.com", first["id"], **NO_TLS) is None
    listed = do.domains.list_records("example.com", type="TXT", name=FQDN, **NO_TLS)
    assert [r["data"] for r in listed["domain_records"]] == [V2]
    counts = server.state()["counts"]
    assert (counts["records.list"], counts["records.create"], counts["records.delete"]) == (3, 2, 1)
    # the raw DELETE answer: 204 with no body
    rec_id = listed["domain_records"][0]["id"]
    status, headers, body = server.http("DELETE", f"/v2/domains/example.com/records/{rec_id}",
                                        headers={"Authorization": "Bearer " + TOKEN})
    assert (status, body) == (204, b"")
    assert txt_records(server) == []


def test_all_records_include_the_automatic_ns_and_soa(server):
    records = client(server).domains.list_records("example.com", **NO_TLS)["domain_records"]
    assert [(r["type"], r["name"]) for r in records] == [("NS", "@")] * 3 + [("SOA", "@")]


def test_bad_credentials(server):
    with pytest.raises(ClientAuthenticationError) as info:
        client(server, token="dop_v1_" + "f" * 64).domains.list_records("example.com", **NO_TLS)
    assert info.value.status_code == 401
    body = info.value.response.json()
    assert (body["id"], body["message"]) == ("unauthorized", "Unable to authenticate you")
    for headers in ({}, {"Authorization": "Token " + TOKEN}, {"Authorization": TOKEN}):
        status, _, data = server.http("GET", "/v2/domains", headers=headers)
        assert status == 401 and json.loads(data)["id"] == "unauthorized"
    status, _, _ = server.http("GET", "/v2/domains", headers={"Authorization": "bearer " + TOKEN})
    assert status == 200
    with pytest.raises(HttpResponseError) as info:
        client(server, token=READ_ONLY).domains.create_record(
            "example.com", {"type": "TXT", "name": "_acme-challenge", "data": V1, "ttl": 60}, **NO_TLS)
    assert info.value.status_code == 403 and info.value.response.json()["id"] == "forbidden"
    assert txt_records(server) == []


def follow(do, fetch, key):
    """Walk links.pages.next the way godo/cert-manager do; returns (items, pages seen)."""
    items, pages, page = [], [], 1
    while True:
        body = fetch(page)
        items += body[key]
        pages.append(body["links"]["pages"])
        nxt = body["links"]["pages"].get("next")
        if not nxt:
            return items, pages, body["meta"]["total"]
        page = int(parse_qs(urlsplit(nxt).query)["page"][0])


def test_pydo_record_pagination(server):
    server.admin("POST", "seed", {"domain": "example.com", "count": 45, "name": "_acme-challenge", "data": "v{i}"})
    server.admin("POST", "seed", {"records": [{"domain": "example.com", "name": "www", "type": "TXT", "data": "x"}]})
    do = client(server)
    items, pages, total = follow(do, lambda p: do.domains.list_records("example.com", type="TXT", name=FQDN,
                                                                        per_page=20, page=p, **NO_TLS),
                                 "domain_records")
    assert [r["data"] for r in items] == [f"v{i}" for i in range(45)]
    assert total == 45
    assert [sorted(p) for p in pages] == [["last", "next"], ["first", "last", "next", "prev"], ["first", "prev"]]
    nxt = urlsplit(pages[0]["next"])
    assert nxt.netloc == f"127.0.0.1:{server.port}" and nxt.path == "/v2/domains/example.com/records"
    assert parse_qs(nxt.query) == {"page": ["2"], "per_page": ["20"], "type": ["TXT"], "name": [FQDN]}
    assert parse_qs(urlsplit(pages[0]["last"]).query)["page"] == ["3"]
    body = do.domains.list_records("example.com", type="TXT", per_page=500, **NO_TLS)
    assert len(body["domain_records"]) == 46 and body["links"]["pages"] == {}  # per_page clamped to 200


def test_pydo_domain_pagination(tmp_path):
    config = {"domains": [f"d{i:02d}.example" for i in range(45)], "tokens": [{"token": TOKEN}]}
    running = lib.start(SCRIPT, tmp_path, config)
    try:
        do = pydo.Client(token=TOKEN, endpoint=running.base, retry_total=0)
        items, pages, total = follow(do, lambda p: do.domains.list(per_page=20, page=p, **NO_TLS), "domains")
        assert [d["name"] for d in items] == [f"d{i:02d}.example" for i in range(45)] and total == 45
        assert len(pages) == 3
        assert "$ORIGIN d00.example." in items[0]["zone_file"]
    finally:
        assert lib.stop(running) == 0


def test_injected_throttle_is_a_429_pydo_retries(server):
    server.faults(throttle=1, retryAfterSeconds=5, actions=["records.create"])
    do = client(server)
    body = {"type": "TXT", "name": FQDN + ".", "data": V1, "ttl": 60}
    with pytest.raises(HttpResponseError) as info:
        do.domains.create_record("example.com", body, **NO_TLS)
    assert info.value.status_code == 429
    assert info.value.response.json()["id"] == "too_many_requests"
    headers = info.value.response.headers
    assert headers["ratelimit-remaining"] == "0"
    assert 3 <= int(headers["ratelimit-reset"]) - time.time() <= 7
    assert "retry-after" not in {k.lower() for k in headers}
    # azure-core retries a 429 on a POST only when Retry-After is present, which
    # DigitalOcean never sends: pydo gives up at once even with retries on ...
    server.faults(throttle=1, methods=["POST"])
    with pytest.raises(HttpResponseError) as info:
        client(server, retries=3).domains.create_record("example.com", body, **NO_TLS)
    assert info.value.status_code == 429
    # ... but retries the GET, and the second attempt succeeds
    server.faults(throttle=1, methods=["GET"])
    listed = client(server, retries=3).domains.list_records("example.com", type="TXT", **NO_TLS)
    assert listed["meta"] == {"total": 0}
    log = [(e["action"], e["status"], e["fault"]) for e in server.state()["requests"]]
    assert log[-3:] == [("records.create", 429, "throttle"), ("records.list", 429, "throttle"),
                        ("records.list", 200, None)]
    assert txt_records(server) == []


def test_injected_5xx(server):
    server.faults(error5xx=1, error5xxStatus=500)
    with pytest.raises(HttpResponseError) as info:
        client(server).domains.list_records("example.com", **NO_TLS)
    assert info.value.status_code == 500 and info.value.response.json()["id"] == "server_error"
    server.faults(error5xx=2)
    assert client(server, retries=3).domains.list_records("example.com", **NO_TLS)["meta"]["total"] == 4


def test_real_rate_limit_and_headers(tmp_path):
    config = {"domains": ["example.com"], "tokens": [{"token": TOKEN}], "rateLimit": {"perHour": 100, "perMinute": 3}}
    running = lib.start(SCRIPT, tmp_path, config)
    try:
        do = pydo.Client(token=TOKEN, endpoint=running.base, retry_total=0)
        seen = {}
        do.domains.list(cls=lambda resp, body, headers: seen.update(headers), **NO_TLS)
        assert (seen["ratelimit-limit"], seen["ratelimit-remaining"]) == (100, 99)
        do.domains.list(**NO_TLS)
        do.domains.list(**NO_TLS)
        with pytest.raises(HttpResponseError) as info:
            do.domains.list(**NO_TLS)
        assert info.value.status_code == 429 and info.value.response.headers["ratelimit-remaining"] == "0"
        assert running.state()["requests"][-1]["fault"] == "rate-limit"
    finally:
        assert lib.stop(running) == 0


def test_record_name_semantics(server):
    do = client(server)

    def create(name):
        return do.domains.create_record("example.com", {"type": "TXT", "name": name, "data": V1, "ttl": 30},
                                        **NO_TLS)["domain_record"]["name"]

    assert create("_acme-challenge") == "_acme-challenge"
    assert create("example.com.") == "@"
    assert create("@") == "@"
    assert create("_ACME-challenge.Sub.Example.com.") == "_acme-challenge.sub"
    assert create(FQDN) == "_acme-challenge.example.com"  # no dot: relative, zone-file style
    with pytest.raises(HttpResponseError) as info:
        create("_acme-challenge.example.org.")
    assert info.value.status_code == 422
    with pytest.raises(HttpResponseError) as info:
        do.domains.create_record("example.com", {"type": "TXT", "name": "x", "data": V1, "ttl": 10}, **NO_TLS)
    assert info.value.status_code == 422
    names = lambda n: [r["name"] for r in do.domains.list_records("example.com", type="TXT", name=n,
                                                                     **NO_TLS)["domain_records"]]
    assert names(FQDN) == ["_acme-challenge"]
    assert names(FQDN.upper()) == ["_acme-challenge"]
    assert names(FQDN + ".") == []
    assert names("_acme-challenge") == []  # the filter wants the fully qualified name
    assert names("_acme-challenge.example.com.example.com") == ["_acme-challenge.example.com"]


def test_not_found_answers(server):
    do = client(server)
    # pydo's delete_record, get_record and list_records treat 404 as a documented answer and return its body
    for body in (do.domains.delete_record("example.com", 1, **NO_TLS),
                 do.domains.get_record("example.com", 1, **NO_TLS)):
        assert (body["id"], body["message"]) == ("not_found", "The resource you were accessing could not be found.")
    body = do.domains.list_records("nothere.example", **NO_TLS)
    assert (body["id"], body["message"]) == ("not_found", "The resource you were accessing could not be found.")
    assert "request_id" in body
    status, _, data = server.http("GET", "/v2/nothing", headers={"Authorization": "Bearer " + TOKEN})
    assert status == 404


def test_admin_endpoints(server):
    server.admin("POST", "seed", {"records": [{"domain": "example.org", "name": "_acme-challenge", "data": "foreign"}]})
    state = server.state()
    assert state["domains"] == ["example.com", "example.org"]
    assert [(r["fqdn"], r["data"]) for r in state["records"] if r["type"] == "TXT"] == [
        ("_acme-challenge.example.org", "foreign")]
    server.reset()
    assert txt_records(server) == []
    assert server.http("GET", "/__admin/nothing")[0] == 404
