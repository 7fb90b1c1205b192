"""Proves cloudflare_emulator.py honest with the OFFICIAL Cloudflare Python SDK
(``cloudflare``, Stainless-generated) pointed at it, plus raw HTTP where the
SDK cannot express a request (no credentials, cert-manager's exact queries).

Run: python3 -m pytest -q -p no:cacheprovider Tests/Peers/test_cloudflare_emulator.py
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cloudflare  # noqa: E402
from cloudflare import Cloudflare  # noqa: E402

import emulator_testlib as lib  # noqa: E402

SCRIPT = "cloudflare_emulator.py"
TOKEN = "cf-test-token-all-zones-dns-edit-0000000"
TOKEN_EXAMPLE_COM = "cf-test-token-example-com-only-000000000"
TOKEN_READ_ONLY = "cf-test-token-read-only-all-zones-000000"
TOKEN_DISABLED = "cf-test-token-disabled-00000000000000000"
EMAIL, KEY = "dns01@example.com", "0123456789abcdef0123456789abcdef01234"
ZONE_ID = hashlib.md5(b"example.com").hexdigest()
ORG_ZONE_ID = hashlib.md5(b"example.org").hexdigest()
FQDN = "_acme-challenge.example.com"
V1 = "LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM"
V2 = "xg6Wn8DnRzJvwzS8bFmNQsYTjOvTx7kTOPGYs4Y8XkE"


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


def sdk(server, **kwargs) -> Cloudflare:
    kwargs.setdefault("max_retries", 0)
    if "api_key" not in kwargs and "api_token" not in kwargs:
        kwargs["api_token"] = TOKEN
    return Cloudflare(base_url=f"{server.base}/client/v4", **kwargs)


def raw(server, method, path, headers=None, body=None):
    status, hdrs, data = server.http(method, "/client/v4" + path,
                                     json.dumps(body).encode() if body is not None else None,
                                     dict({"Content-Type": "application/json"}, **(headers or {})))
    return status, {k.lower(): v for k, v in hdrs.items()}, json.loads(data) if data else None


BEARER = {"Authorization": "Bearer " + TOKEN}


def test_process_rules():
    lib.check_process_rules(SCRIPT)


def test_cert_manager_flow_with_sdk_token(server):
    cf = sdk(server)
    zones = list(cf.zones.list(name="example.com"))
    assert [(z.id, z.name, z.status) for z in zones] == [(ZONE_ID, "example.com", "active")]
    assert list(cf.zones.list(name="_acme-challenge.example.com")) == []  # the walk's first candidates miss
    created = cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V1, ttl=60)
    assert (created.name, created.type, created.content, created.ttl) == (FQDN, "TXT", V1, 60)
    assert len(created.id) == 32
    second = cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V2, ttl=60)
    # cert-manager's exact query: per_page=100&type=TXT&name=<fqdn> (plain name=, not name.exact=)
    status, _, body = raw(server, "GET", f"/zones/{ZONE_ID}/dns_records?per_page=100&type=TXT&name={FQDN}",
                          BEARER)
    assert status == 200 and body["success"] is True
    assert sorted(r["content"] for r in body["result"]) == sorted([V1, V2])
    assert "zone_id" not in body["result"][0]
    assert body["result_info"] == {"page": 1, "per_page": 100, "count": 2, "total_count": 2, "total_pages": 1}
    # the SDK's own filter form (name.exact=) finds the same records, case-insensitively
    found = list(cf.dns.records.list(zone_id=ZONE_ID, type="TXT", name={"exact": FQDN.upper()}))
    assert {r.id for r in found} == {created.id, second.id}
    deleted = cf.dns.records.delete(created.id, zone_id=ZONE_ID)
    assert deleted.id == created.id
    left = list(cf.dns.records.list(zone_id=ZONE_ID, type="TXT", name={"exact": FQDN}))
    assert [r.content for r in left] == [V2]  # the other value survived
    state = server.state()
    assert state["counts"]["dns_records.create"] == 2 and state["counts"]["dns_records.delete"] == 1
    assert [r["name"] for r in state["records"] if r["type"] == "TXT"] == [FQDN]


def test_global_api_key_works(server):
    cf = sdk(server, api_email=EMAIL, api_key=KEY)
    assert {z.name for z in cf.zones.list()} == {"example.com", "example.org", "other.example"}
    rec = cf.dns.records.create(zone_id=ORG_ZONE_ID, type="TXT", name="_acme-challenge.example.org", content=V1,
                                ttl=60)
    assert rec.name == "_acme-challenge.example.org"
    assert server.state()["requests"][-1]["principal"] == "key:dns01@example.com"


def test_duplicate_record_is_refused_with_cloudflare_code(server):
    cf = sdk(server)
    cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V1, ttl=60)
    with pytest.raises(cloudflare.BadRequestError) as info:
        cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V1, ttl=60)
    assert info.value.status_code == 400
    assert info.value.body["errors"] == [{"code": 81058, "message": "An identical record already exists."}]
    assert len([r for r in server.state()["records"] if r["type"] == "TXT"]) == 1


@pytest.mark.parametrize("headers,status,errors,full", [
    ({"Authorization": "Bearer " + "x" * 40}, 403, [{"code": 9109, "message": "Invalid access token"}], True),
    ({"Authorization": "Bearer " + TOKEN_DISABLED}, 403, [{"code": 9109, "message": "Invalid access token"}], True),
    ({"Authorization": "Bearer short"}, 400, [{"code": 6003, "message": "Invalid request headers", "error_chain": [
        {"code": 6111, "message": "Invalid format for Authorization header"}]}], True),
    ({"Authorization": TOKEN}, 400, [{"code": 6003, "message": "Invalid request headers", "error_chain": [
        {"code": 6111, "message": "Invalid format for Authorization header"}]}], True),
    ({"X-Auth-Email": EMAIL, "X-Auth-Key": TOKEN}, 400, [{"code": 6003, "message": "Invalid request headers",
                                                          "error_chain": [{"code": 6103, "message":
                                                                           "Invalid format for X-Auth-Key header"}]}],
     True),
    ({"X-Auth-Email": "nobody", "X-Auth-Key": "k"}, 400, [{"code": 6003, "message": "Invalid request headers",
                                                           "error_chain": [
                                                               {"code": 6102, "message": "Invalid format for X-Auth-Email header"},
                                                               {"code": 6103, "message": "Invalid format for X-Auth-Key header"}]}],
     True),
    ({"X-Auth-Email": "other@example.com", "X-Auth-Key": KEY}, 403,
     [{"code": 9103, "message": "Unknown X-Auth-Key or X-Auth-Email"}], True),
    ({}, 400, [{"code": 9106, "message": "Missing X-Auth-Key, X-Auth-Email or Authorization headers"}], False),
], ids=["unknown-token", "disabled-token", "short-token", "no-bearer", "token-as-key", "bad-email-and-key",
        "unknown-key", "no-credentials"])
def test_bad_credentials_get_cloudflare_error_envelope(server, headers, status, errors, full):
    code, _, body = raw(server, "GET", "/zones?name=example.com", headers)
    assert code == status
    expected = {"success": False, "errors": errors}
    if full:
        expected.update({"messages": [], "result": None})
    assert body == expected
    assert server.state()["counts"] == {"zones.list": 1}
    assert server.state()["requests"][-1]["outcome"] == str(errors[0]["code"])


def test_bad_credentials_raise_the_sdk_documented_exceptions(server):
    with pytest.raises(cloudflare.PermissionDeniedError) as info:
        list(sdk(server, api_token="y" * 40).zones.list(name="example.com"))
    assert info.value.status_code == 403 and info.value.body["errors"][0]["code"] == 9109
    with pytest.raises(cloudflare.BadRequestError) as info:
        list(sdk(server, api_token="not-a-token").zones.list())
    assert info.value.body["errors"][0]["error_chain"][0]["code"] == 6111
    with pytest.raises(cloudflare.PermissionDeniedError) as info:
        sdk(server, api_email=EMAIL, api_key="f" * 37).dns.records.create(
            zone_id=ZONE_ID, type="TXT", name=FQDN, content=V1, ttl=60)
    assert info.value.body["errors"][0]["code"] == 9103
    assert not [r for r in server.state()["records"] if r["type"] == "TXT"]


def test_email_sent_with_a_token_is_ignored(server):
    # cert-manager sends X-Auth-Email whenever `email` is set, even with a token
    code, _, body = raw(server, "GET", "/zones?name=example.com", dict(BEARER, **{"X-Auth-Email": EMAIL}))
    assert code == 200 and body["result"][0]["id"] == ZONE_ID


def test_scoped_and_read_only_tokens(server):
    scoped = sdk(server, api_token=TOKEN_EXAMPLE_COM)
    assert [z.name for z in scoped.zones.list()] == ["example.com"]
    assert list(scoped.zones.list(name="example.org")) == []  # invisible, not an error
    scoped.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V1, ttl=60)
    with pytest.raises(cloudflare.PermissionDeniedError) as info:
        scoped.dns.records.create(zone_id=ORG_ZONE_ID, type="TXT", name="_acme-challenge.example.org",
                                  content=V1, ttl=60)
    assert info.value.body["errors"] == [{"code": 10000, "message": "Authentication error"}]
    with pytest.raises(cloudflare.PermissionDeniedError):
        scoped.zones.get(zone_id=ORG_ZONE_ID)
    read_only = sdk(server, api_token=TOKEN_READ_ONLY)
    records = list(read_only.dns.records.list(zone_id=ZONE_ID, type="TXT"))
    assert [r.content for r in records] == [V1]
    with pytest.raises(cloudflare.PermissionDeniedError):
        read_only.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V2, ttl=60)
    with pytest.raises(cloudflare.PermissionDeniedError):
        read_only.dns.records.delete(records[0].id, zone_id=ZONE_ID)


def test_sdk_follows_record_pagination(server):
    server.admin("POST", "seed", {"zone": "example.com", "count": 23, "name": FQDN, "type": "TXT",
                                  "content": "value-{i}"})
    server.admin("POST", "seed", {"records": [{"zone": "example.com", "name": "other.example.com", "type": "TXT",
                                               "content": "not mine"}]})
    cf = sdk(server)
    before = server.state()["counts"].get("dns_records.list", 0)
    values = [r.content for r in cf.dns.records.list(zone_id=ZONE_ID, type="TXT", name={"exact": FQDN}, per_page=5)]
    assert values == [f"value-{i}" for i in range(23)]
    # 5 full/partial pages, then the empty page the SDK stops on
    assert server.state()["counts"]["dns_records.list"] - before == 6
    page = cf.dns.records.list(zone_id=ZONE_ID, type="TXT", per_page=5, page=5)
    assert page.result_info.page == 5 and len(page.result) == 4
    _, _, body = raw(server, "GET", f"/zones/{ZONE_ID}/dns_records?type=TXT&per_page=5&page=5", BEARER)
    assert body["result_info"] == {"page": 5, "per_page": 5, "count": 4, "total_count": 24, "total_pages": 5}
    _, _, body = raw(server, "GET", f"/zones/{ZONE_ID}/dns_records?type=TXT&per_page=2", BEARER)
    assert body["result_info"]["per_page"] == 5  # clamped to the API minimum


def test_sdk_follows_zone_pagination(tmp_path):
    config = {"zones": [{"name": f"zone{i:02d}.example"} for i in range(12)],
              "tokens": [{"token": TOKEN, "zones": "*", "permissions": ["zone:read", "dns:edit"]}]}
    running = lib.start(SCRIPT, tmp_path, config)
    try:
        cf = Cloudflare(api_token=TOKEN, base_url=f"{running.base}/client/v4", max_retries=0)
        names = [z.name for z in cf.zones.list(per_page=5)]
        assert names == [f"zone{i:02d}.example" for i in range(12)]
        assert running.state()["counts"]["zones.list"] == 4  # 5 + 5 + 2, then an empty page
        status, _, data = running.http("GET", "/client/v4/zones?per_page=500", headers={"Authorization": "Bearer " + TOKEN})
        assert json.loads(data)["result_info"]["per_page"] == 50
    finally:
        assert lib.stop(running) == 0


def test_injected_throttle_is_what_the_sdk_treats_as_a_rate_limit(server):
    server.faults(throttle=1, retryAfterSeconds=1, actions=["dns_records.create"])
    cf = sdk(server)
    assert list(cf.zones.list(name="example.com"))  # not a matching action
    with pytest.raises(cloudflare.RateLimitError) as info:
        cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V1, ttl=60)
    assert info.value.status_code == 429
    assert info.value.response.headers["retry-after"] == "1"
    assert info.value.body["errors"][0]["code"] == 971
    # with retries on, the SDK waits Retry-After and succeeds
    server.faults(throttle=1, retryAfterSeconds=1, methods=["POST"])
    started = time.monotonic()
    rec = sdk(server, max_retries=2).dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V1, ttl=60)
    assert time.monotonic() - started >= 0.9
    assert rec.content == V1
    log = [(e["action"], e["status"], e["fault"]) for e in server.state()["requests"]]
    assert log[-2:] == [("dns_records.create", 429, "throttle"), ("dns_records.create", 200, None)]
    assert len([r for r in server.state()["records"] if r["type"] == "TXT"]) == 1


def test_injected_5xx_and_custom_errors(server):
    server.faults(error5xx=1, errors=[{"status": 403, "code": 10000, "message": "Authentication error"}])
    cf = sdk(server)
    with pytest.raises(cloudflare.InternalServerError):
        list(cf.zones.list(name="example.com"))
    with pytest.raises(cloudflare.PermissionDeniedError):
        list(cf.zones.list(name="example.com"))
    assert list(cf.zones.list(name="example.com"))
    server.faults(error5xx=2)
    assert list(sdk(server, max_retries=2).zones.list(name="example.com"))  # the SDK retries 5xx
    assert server.state()["statusCounts"]["zones.list"]["503"] == 3


def test_faults_do_not_hit_unauthenticated_calls(server):
    server.faults(throttle=1)
    assert raw(server, "GET", "/zones", {"Authorization": "Bearer " + "z" * 40})[0] == 403
    assert raw(server, "GET", "/zones", BEARER)[0] == 429


def test_real_rate_limit(tmp_path):
    config = {"zones": [{"name": "example.com"}],
              "tokens": [{"token": TOKEN, "zones": "*", "permissions": ["zone:read", "dns:edit"]}],
              "rateLimit": {"requests": 3, "windowSeconds": 2}}
    running = lib.start(SCRIPT, tmp_path, config)
    try:
        cf = Cloudflare(api_token=TOKEN, base_url=f"{running.base}/client/v4", max_retries=0)
        page = cf.zones.with_raw_response.list()
        assert page.headers["ratelimit-policy"] == '"default";q=3;w=2'
        assert page.headers["x-ratelimit-remaining"] == "2"
        cf.zones.list()  # one page object: one request (iterating would fetch the empty next page too)
        cf.zones.list()
        with pytest.raises(cloudflare.RateLimitError) as info:
            cf.zones.list()
        assert 1 <= int(info.value.response.headers["retry-after"]) <= 2
        assert info.value.body["errors"][0]["code"] == 971
        time.sleep(2.1)
        assert cf.zones.list().result
    finally:
        assert lib.stop(running) == 0


def test_record_name_semantics(server):
    cf = sdk(server)
    cases = {"_acme-challenge": "_acme-challenge.example.com",
             "_ACME-Challenge.Sub.Example.COM.": "_acme-challenge.sub.example.com",
             "@": "example.com",
             "_acme-challenge.other.com": "_acme-challenge.other.com.example.com"}
    for sent, stored in cases.items():
        assert cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=sent, content=V1, ttl=1).name == stored
    with pytest.raises(cloudflare.BadRequestError) as info:
        cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V1, ttl=30)
    assert info.value.body["errors"][0]["code"] == 9021


def test_quoted_txt_content_option(tmp_path):
    config = {"zones": [{"name": "example.com"}], "quoteTxtContent": True, "duplicateCode": 81057,
              "tokens": [{"token": TOKEN, "zones": "*", "permissions": ["zone:read", "dns:edit"]}]}
    running = lib.start(SCRIPT, tmp_path, config)
    try:
        cf = Cloudflare(api_token=TOKEN, base_url=f"{running.base}/client/v4", max_retries=0)
        assert cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=V1, ttl=1).content == f'"{V1}"'
        with pytest.raises(cloudflare.BadRequestError) as info:
            cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=f"\"{V1}\"", ttl=1)
        assert info.value.body["errors"] == [{"code": 81057, "message": "The record already exists."}]
    finally:
        assert lib.stop(running) == 0


def test_delete_unknown_record_and_routes(server):
    cf = sdk(server)
    with pytest.raises(cloudflare.NotFoundError) as info:
        cf.dns.records.delete("0" * 32, zone_id=ZONE_ID)
    assert info.value.body["errors"] == [{"code": 81044, "message": "Record does not exist."}]
    assert raw(server, "GET", "/nothing", BEARER)[2]["errors"][0]["code"] == 7000
    assert raw(server, "PUT", "/zones", BEARER)[0] == 405


def test_token_verify(server):
    assert sdk(server).user.tokens.verify().status == "active"
    with pytest.raises(cloudflare.AuthenticationError) as info:
        sdk(server, api_token="q" * 40).user.tokens.verify()
    assert info.value.body["errors"] == [{"code": 1000, "message": "Invalid API Token"}]


def test_admin_endpoints(server):
    seeded = server.admin("POST", "seed", {"records": [{"zone": "example.com", "name": FQDN, "type": "TXT",
                                                        "content": "foreign"}]})["seeded"]
    assert len(seeded) == 1
    state = server.state()
    assert {z["name"] for z in state["zones"]} == {"example.com", "example.org", "other.example"}
    assert [r["content"] for r in state["records"]] == ["192.0.2.10", "foreign"]
    assert server.http("GET", "/__admin/nothing")[0] == 404
    assert server.http("POST", "/__admin/faults", b"{bad", {"Content-Type": "application/json"})[0] == 400
    server.reset()
    assert [r["content"] for r in server.state()["records"]] == ["192.0.2.10"]


def test_concurrent_creates_of_two_values_both_survive(server):
    import concurrent.futures
    cf = sdk(server)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda v: cf.dns.records.create(zone_id=ZONE_ID, type="TXT", name=FQDN, content=v, ttl=60),
                      [V1, V2]))
    assert sorted(r["content"] for r in server.state()["records"] if r["type"] == "TXT") == sorted([V1, V2])


def test_httpx_transport_sees_json_content_type(server):
    response = httpx.get(f"{server.base}/client/v4/zones", headers=BEARER)
    assert response.headers["content-type"] == "application/json"
