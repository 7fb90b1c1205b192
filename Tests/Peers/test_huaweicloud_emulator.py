"""Tests for huaweicloud_emulator.py, proven against Huawei Cloud's OFFICIAL Python SDK.

* the emulator's SDK-HMAC-SHA256 functions reproduce the published canonical
  request hash and the reference's vectors, and agree with the SDK's
  ``Signer.sign`` over a few hundred random requests;
* ``huaweicloudsdkdns`` (with ``huaweicloudsdkcore``) drives the emulator over
  HTTP: zones, recordsets (create/list/show/update/delete), pagination,
  errors, temporary credentials, IAM project lookup, faults;
* two concurrent read-modify-write writers lose a value (the API has no
  precondition) -- the Swift provider must serialise its own writers.

Run: python3 -m pytest -q Tests/Peers/test_huaweicloud_emulator.py
"""

from __future__ import annotations

import hashlib
import json
import random
import string
import sys
import threading
from pathlib import Path
from typing import Any, List, Optional
from urllib.parse import quote

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import emulator_testlib as lib  # noqa: E402
import huaweicloud_emulator as emu  # noqa: E402

from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions import exceptions  # noqa: E402
from huaweicloudsdkcore.region.region import Region  # noqa: E402
from huaweicloudsdkcore.sdk_request import SdkRequest  # noqa: E402
from huaweicloudsdkcore.signer.signer import Signer  # noqa: E402
from huaweicloudsdkdns.v2 import (  # noqa: E402
    CreateRecordSetRequest, CreateRecordSetRequestBody, DeleteRecordSetRequest, DnsClient, ListPublicZonesRequest,
    ListRecordSetsByZoneRequest, ShowRecordSetRequest, UpdateRecordSetReq, UpdateRecordSetRequest)

AK, SK, PROJECT = "HWAKDNSTEST", "huawei-test-secret", "p0000000000000000000000000000001"
OTHER_AK, OTHER_SK = "HWAKOTHERTEST", "other-huawei-secret"
TMP_AK, TMP_SK, TMP_TOKEN = "HWSTSTEMPTEST", "temp-huawei-secret", "huawei-test-security-token"
FQDN = "_acme-challenge.example.com."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = lib.start("huaweicloud_emulator.py", tmp_path_factory.mktemp("huawei"), emu.DEFAULT_CONFIG)
    yield running
    assert lib.stop(running) == 0


@pytest.fixture(autouse=True)
def fresh(request):
    if "server" in request.fixturenames:
        request.getfixturevalue("server").reset()
    yield


def client(server: lib.Running, ak: str = AK, sk: str = SK, project: Optional[str] = PROJECT,
           token: Optional[str] = None) -> DnsClient:
    cred = BasicCredentials(ak, sk, project)
    if token:
        cred.with_security_token(token)
    return DnsClient.new_builder().with_credentials(cred).with_endpoint(server.base).build()


def zone_id(c: DnsClient, name: str = "example.com.") -> str:
    zones = c.list_public_zones(ListPublicZonesRequest(type="public", name=name, search_mode="equal")).zones
    assert len(zones) == 1
    return zones[0].id


def create(c: DnsClient, zid: str, records: List[str], name: str = FQDN, ttl: int = 300):
    body = CreateRecordSetRequestBody(name=name, type="TXT", ttl=ttl, records=records)
    return c.create_record_set(CreateRecordSetRequest(zone_id=zid, body=body))


def txt_sets(c: DnsClient, zid: str, name: str = FQDN, mode: Optional[str] = "equal", **extra: Any):
    return c.list_record_sets_by_zone(ListRecordSetsByZoneRequest(zone_id=zid, type="TXT", name=name,
                                                                  search_mode=mode, **extra))


def error_of(fn, *args):
    with pytest.raises((exceptions.ClientRequestException, exceptions.ServerResponseException)) as info:
        fn(*args)
    return info.value.status_code, info.value.error_code, info.value.error_msg


# ---------------------------------------------------------------------------
# 1. Signature: published check, reference vectors, differential test vs the SDK
# ---------------------------------------------------------------------------


def test_published_canonical_request_hash():
    headers = {"content-type": "application/json", "host": "service.region.example.com", "x-sdk-date": "20191115T033655Z"}
    canonical = emu.canonical_request("GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
                                      "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0", headers,
                                      ["content-type", "host", "x-sdk-date"], emu.EMPTY_HASH)
    assert canonical.split("\n")[1] == "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/"
    assert hashlib.sha256(canonical.encode()).hexdigest() == "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"


def test_reference_vectors():
    headers = {"content-type": "application/json", "host": "dns.cn-north-4.myhuaweicloud.com", "x-sdk-date": "20231114T221320Z"}
    signed = ["content-type", "host", "x-sdk-date"]
    path = "/v2/zones/ff8080825b8fda0b015b9bf3a3e5b9b6/recordsets"
    body = b'{"name":"_acme-challenge.example.com.","type":"TXT","ttl":300,"records":["\\"test-value\\""]}'
    cr = emu.canonical_request("POST", path, "", headers, signed, hashlib.sha256(body).hexdigest())
    assert emu.sign("hwskexample", emu.string_to_sign("20231114T221320Z", cr)) == \
        "3b2681f586ecc804b7f03dc488247f774c31244cf7a2b3b4a3651d5d6cf28fdf"
    query = "type=TXT&name=_acme-challenge.example.com.&search_mode=equal"
    assert emu.canonical_query(query) == "name=_acme-challenge.example.com.&search_mode=equal&type=TXT"
    cr = emu.canonical_request("GET", path, query, headers, signed, emu.EMPTY_HASH)
    assert emu.sign("hwskexample", emu.string_to_sign("20231114T221320Z", cr)) == \
        "900b8c5fc369a06ca1c20c3784f14decb63755687915db97a7e53bfd7496cd9d"


def test_verifier_agrees_with_sdk_signer_on_random_requests():
    rnd = random.Random(219)
    alphabet = string.ascii_letters + string.digits + " -_.~!*'();:@&=+$,/?%#[]é中"
    for _ in range(300):
        segments = ["v2", "zones"] + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 10)))
                                      for _ in range(rnd.randint(0, 3))]
        resource_path = "/" + "/".join(quote(s, safe="") for s in segments)
        query = [("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 6))),
                  rnd.choice([rnd.randint(0, 500), "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))]))
                 for _ in range(rnd.randint(0, 4))]
        method = rnd.choice(["GET", "POST", "PUT", "DELETE"])
        body = json.dumps({"records": ["\"%s\"" % rnd.random()]}) if method in ("POST", "PUT") else ""
        headers = {"Content-Type": "application/json", "User-Agent": "huaweicloud-usdk-python/3.0",
                   "X-Project-Id": PROJECT}
        if rnd.random() < 0.3:
            headers["X-Sdk-Date"] = "20240102T030405Z"
        sk = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30)))
        request = SdkRequest(method=method, schema="http", host="127.0.0.1:%d" % rnd.randint(1, 65535),
                             resource_path=resource_path, query_params=list(query), header_params=dict(headers),
                             body=body)
        signed = Signer(BasicCredentials("AK", sk)).sign(request)
        auth = signed.header_params["Authorization"]
        match = emu._AUTH_RE.match(auth)
        assert match, auth
        _, signed_list, official = match.groups()
        lower = {k.lower(): str(v) for k, v in signed.header_params.items()}
        raw_path, _, raw_query = signed.uri.partition("?")
        payload = hashlib.sha256(body.encode()).hexdigest() if body else emu.EMPTY_HASH
        canonical = emu.canonical_request(method, raw_path, raw_query, lower, signed_list.split(";"), payload)
        assert emu.sign(sk, emu.string_to_sign(lower["x-sdk-date"], canonical)) == official


# ---------------------------------------------------------------------------
# 2. The official SDK against the emulator
# ---------------------------------------------------------------------------


def test_zones_lookup_and_pagination(server):
    c = client(server)
    assert [z.name for z in c.list_public_zones(ListPublicZonesRequest(type="public")).zones] == \
        ["example.com.", "example.net."]
    fuzzy = c.list_public_zones(ListPublicZonesRequest(name="example"))
    assert fuzzy.metadata.total_count == 2
    page = c.list_public_zones(ListPublicZonesRequest(limit=1))
    assert len(page.zones) == 1 and page.links.next and "marker=" + page.zones[0].id in page.links.next
    page2 = c.list_public_zones(ListPublicZonesRequest(limit=1, marker=page.zones[0].id))
    assert [z.name for z in page2.zones] == ["example.net."] and page2.links.next is None
    assert [z.name for z in c.list_public_zones(ListPublicZonesRequest(limit=1, offset=1)).zones] == ["example.net."]
    assert c.list_public_zones(ListPublicZonesRequest(name="other.example.", search_mode="equal")).zones == []
    assert error_of(c.list_public_zones, ListPublicZonesRequest(limit=501))[1] == "DNS.0303"


def test_recordset_lifecycle_and_substring_name_match(server):
    c = client(server)
    zid = zone_id(c)
    created = create(c, zid, ['"key-1"'])
    assert created.status == "PENDING_CREATE" and created.name == FQDN and created.zone_name == "example.com."
    create(c, zid, ['"deeper"'], name="x._acme-challenge.example.com.")
    assert sorted(r.name for r in txt_sets(c, zid, FQDN, mode=None).recordsets) == [FQDN, "x." + FQDN]
    exact = txt_sets(c, zid).recordsets
    assert [(r.id, r.records, r.status) for r in exact] == [(created.id, ['"key-1"'], "ACTIVE")]
    assert error_of(create, c, zid, ['"key-2"'])[:2] == (400, "DNS.0312")
    updated = c.update_record_set(UpdateRecordSetRequest(zone_id=zid, recordset_id=created.id,
                                                         body=UpdateRecordSetReq(records=['"key-1"', '"key-2"'], ttl=60)))
    assert updated.status == "PENDING_UPDATE" and updated.records == ['"key-1"', '"key-2"']
    shown = c.show_record_set(ShowRecordSetRequest(zone_id=zid, recordset_id=created.id))
    assert shown.records == ['"key-1"', '"key-2"'] and shown.ttl == 60 and shown.status == "ACTIVE"
    deleted = c.delete_record_set(DeleteRecordSetRequest(zone_id=zid, recordset_id=created.id))
    assert deleted.status == "PENDING_DELETE"
    assert error_of(c.show_record_set, ShowRecordSetRequest(zone_id=zid, recordset_id=created.id)) == \
        (404, "DNS.0313", "This record set does not exist.")
    assert txt_sets(c, zid).metadata.total_count == 0
    everything = c.list_record_sets_by_zone(ListRecordSetsByZoneRequest(zone_id=zid))
    assert {r.type for r in everything.recordsets if r.default} == {"SOA", "NS"}
    state = server.state(log=False)
    assert state["okCounts"]["CreateRecordSet"] == 2 and state["okCounts"]["UpdateRecordSet"] == 1


def test_recordset_pagination(server):
    c = client(server)
    zid = zone_id(c)
    for i in range(5):
        create(c, zid, ['"v%d"' % i], name=f"n{i}.example.com.")
    first = c.list_record_sets_by_zone(ListRecordSetsByZoneRequest(zone_id=zid, type="TXT", limit=2))
    assert first.metadata.total_count == 5 and len(first.recordsets) == 2 and first.links.next
    seen = [r.name for r in first.recordsets]
    marker = first.recordsets[-1].id
    while True:
        page = c.list_record_sets_by_zone(ListRecordSetsByZoneRequest(zone_id=zid, type="TXT", limit=2, marker=marker))
        seen += [r.name for r in page.recordsets]
        if not page.links.next:
            break
        marker = page.recordsets[-1].id
    assert seen == [f"n{i}.example.com." for i in range(5)]


def test_errors_and_ownership(server):
    c = client(server)
    other = client(server, OTHER_AK, OTHER_SK, "p0000000000000000000000000000009")
    zid = zone_id(c)
    status, code, message = error_of(txt_sets, other, zid)
    assert (status, code) == (404, "DNS.0302") and zid in message
    assert error_of(create, c, zid, ['"v"'], "_acme-challenge.example.org.")[:2] == (400, "DNS.0303")
    assert error_of(create, c, zid, [])[:2] == (400, "DNS.0303")
    assert error_of(c.show_record_set, ShowRecordSetRequest(zone_id=zid, recordset_id="ff80808200000000000000000000dead"))[1] == "DNS.0313"
    status, _, data = server.http("GET", "/v2/nothing")
    assert status == 404 and json.loads(data)["error_code"] == "APIGW.0101"


# ---------------------------------------------------------------------------
# 3. Authentication
# ---------------------------------------------------------------------------


def test_authentication_failures(server):
    assert error_of(client(server, sk="a-secret-that-must-not-leak").list_public_zones, ListPublicZonesRequest())[:2] == \
        (401, "APIGW.0301")
    assert error_of(client(server, ak="HWUNKNOWN").list_public_zones, ListPublicZonesRequest())[:2] == (401, "APIGW.0301")
    assert error_of(client(server, project="p-not-mine").list_public_zones, ListPublicZonesRequest())[:2] == (401, "APIGW.0301")
    assert "a-secret-that-must-not-leak" not in json.dumps(server.state())
    status, _, data = server.http("GET", "/v2/zones")
    assert status == 401 and json.loads(data)["error_code"] == "APIGW.0301" and "request_id" in json.loads(data)


def test_sdk_date_window(server):
    c = client(server)
    server.admin("POST", "clock", {"offsetSeconds": 890})
    assert zone_id(c)
    server.admin("POST", "clock", {"offsetSeconds": 910})
    assert error_of(c.list_public_zones, ListPublicZonesRequest())[:2] == (401, "APIGW.0301")
    server.admin("POST", "clock", {"offsetSeconds": -910})
    assert error_of(c.list_public_zones, ListPublicZonesRequest())[:2] == (401, "APIGW.0301")


def test_temporary_credentials_need_their_security_token(server):
    assert zone_id(client(server, TMP_AK, TMP_SK, token=TMP_TOKEN))
    assert error_of(client(server, TMP_AK, TMP_SK).list_public_zones, ListPublicZonesRequest())[:2] == (401, "APIGW.0301")
    assert error_of(client(server, TMP_AK, TMP_SK, token="wrong").list_public_zones, ListPublicZonesRequest())[1] == "APIGW.0301"
    assert error_of(client(server, token="stray").list_public_zones, ListPublicZonesRequest())[1] == "APIGW.0301"


def test_tampered_request_is_refused(server):
    request = SdkRequest(method="GET", schema="http", host=server.host, resource_path="/v2/zones",
                         query_params=[("type", "public")], header_params={"Content-Type": "application/json"}, body="")
    signed = Signer(BasicCredentials(AK, SK)).sign(request)
    headers = {k: str(v) for k, v in signed.header_params.items() if k.lower() != "host"}
    assert server.http("GET", signed.uri, None, headers)[0] == 200
    assert server.http("GET", signed.uri + "&name=x", None, headers)[0] == 401
    assert server.http("GET", "/v2/zones/?type=public", None, headers)[0] == 200  # the canonical URI always ends in /


def test_region_builder_looks_the_project_up_in_iam(server):
    cred = BasicCredentials(AK, SK).with_iam_endpoint(server.base)
    c = DnsClient.new_builder().with_credentials(cred).with_region(Region("ap-southeast-1", server.base)).build()
    assert cred.project_id == "p0000000000000000000000000000002"
    assert zone_id(c)
    assert server.state(log=False)["okCounts"]["KeystoneListProjects"] == 1


# ---------------------------------------------------------------------------
# 4. No precondition: concurrent read-modify-write loses a value
# ---------------------------------------------------------------------------


def test_concurrent_read_modify_write_writers_can_lose_a_value(server):
    setup = client(server)
    zid = zone_id(setup)
    rs = create(setup, zid, ['"existing"'])
    both_read = threading.Barrier(2)
    errors: List[BaseException] = []

    def writer(value: str) -> None:
        try:
            c = client(server)
            current = c.show_record_set(ShowRecordSetRequest(zone_id=zid, recordset_id=rs.id)).records
            both_read.wait(timeout=10)  # both writers hold the same snapshot
            c.update_record_set(UpdateRecordSetRequest(zone_id=zid, recordset_id=rs.id,
                                                       body=UpdateRecordSetReq(records=current + [value])))
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(v,)) for v in ('"apex-key"', '"wildcard-key"')]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert not errors
    final = setup.show_record_set(ShowRecordSetRequest(zone_id=zid, recordset_id=rs.id)).records
    assert len(final) == 2 and final[0] == '"existing"'  # both PUTs succeeded (202) ...
    assert final[1] in ('"apex-key"', '"wildcard-key"')  # ... and one writer's value is gone


# ---------------------------------------------------------------------------
# 5. Faults, pending status, admin, process
# ---------------------------------------------------------------------------


def test_throttle_and_5xx_faults(server):
    c = client(server)
    zid = zone_id(c)
    server.admin("POST", "faults", {"throttle": 1, "error5xx": 1, "actions": ["CreateRecordSet"]})
    assert error_of(create, c, zid, ['"a"'])[:2] == (429, "APIGW.0308")
    assert error_of(create, c, zid, ['"a"'])[0] == 503
    assert create(c, zid, ['"a"']).status == "PENDING_CREATE"
    state = server.state()
    assert state["counts"]["CreateRecordSet"] == 3 and state["okCounts"]["CreateRecordSet"] == 1
    assert [e["outcome"] for e in state["requests"] if e["action"] == "CreateRecordSet"] == ["APIGW.0308", "error5xx", "OK"]


def test_pending_status_lasts_pending_ms(tmp_path):
    running = lib.start("huaweicloud_emulator.py", tmp_path, dict(emu.DEFAULT_CONFIG, pendingMs=60000))
    try:
        c = client(running)
        zid = zone_id(c)
        rs = create(c, zid, ['"v"'])
        assert c.show_record_set(ShowRecordSetRequest(zone_id=zid, recordset_id=rs.id)).status == "PENDING_CREATE"
        running.admin("POST", "clock", {"offsetSeconds": 61})
        assert c.show_record_set(ShowRecordSetRequest(zone_id=zid, recordset_id=rs.id)).status == "ACTIVE"
    finally:
        assert lib.stop(running, "stdin") == 0


def test_seed_foreign_records(server):
    server.admin("POST", "seed", {"records": [{"zone": "example.com", "name": FQDN, "type": "TXT", "records": ['"foreign"']}]})
    c = client(server)
    assert txt_sets(c, zone_id(c)).recordsets[0].records == ['"foreign"']
