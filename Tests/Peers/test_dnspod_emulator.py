"""Tests for dnspod_emulator.py, proven against Tencent Cloud's OFFICIAL Python SDK.

* the emulator's TC3-HMAC-SHA256 functions reproduce the published vector and
  agree with the SDK's signer (``AbstractClient._get_tc3_signature`` +
  ``Sign.sign_tc3``) over a few hundred random requests;
* the SDK itself (tencentcloud-sdk-python-dnspod / -common) drives the
  emulator over HTTP: good and bad credentials, clock skew, temporary
  credentials, STS AssumeRoleWithWebIdentity through the SDK's own TKE OIDC
  credential provider, throttling and 5xx faults;
* hand-signed raw requests (signed by the SDK's functions) probe single rules.

Run: python3 -m pytest -q Tests/Peers/test_dnspod_emulator.py
"""

from __future__ import annotations

import json
import random
import string
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, Optional
from urllib.parse import urlencode

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import dnspod_emulator as emu  # noqa: E402
import emulator_testlib as lib  # noqa: E402

from tencentcloud.common import credential as tc_credential  # noqa: E402
from tencentcloud.common.abstract_client import AbstractClient  # noqa: E402
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException  # noqa: E402
from tencentcloud.common.profile.client_profile import ClientProfile  # noqa: E402
from tencentcloud.common.profile.http_profile import HttpProfile  # noqa: E402
from tencentcloud.common.sign import Sign  # noqa: E402
from tencentcloud.dnspod.v20210323 import dnspod_client, models  # noqa: E402

SID, SKEY = "AKIDDNSPODTEST", "dnspod-test-secret"
OTHER_SID, OTHER_SKEY = "AKIDOTHERACCOUNT", "other-test-secret"
TMP_SID, TMP_SKEY, TMP_TOKEN = "AKIDTEMPTEST", "temp-test-secret", "temp-test-token"
ROLE = "qcs::cam::uin/100000000001:roleName/dns01-webhook"
CONFIG = dict(emu.DEFAULT_CONFIG, roles=[{"roleArn": "qcs::cam::uin/100000000001:roleName/signed", "account": SID}])


# ---------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = lib.start("dnspod_emulator.py", tmp_path_factory.mktemp("dnspod"), CONFIG)
    yield running
    assert lib.stop(running) == 0


@pytest.fixture(autouse=True)
def fresh(request):
    if "server" in request.fixturenames:
        request.getfixturevalue("server").reset()
    yield


def client(server: lib.Running, sid: str = SID, skey: str = SKEY, token: Optional[str] = None,
           method: str = "POST") -> dnspod_client.DnspodClient:
    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=server.host, reqMethod=method, reqTimeout=10))
    return dnspod_client.DnspodClient(tc_credential.Credential(sid, skey, token), "", profile)


def create(c, value: str, sub: str = "_acme-challenge", domain: str = "example.com", **extra: Any) -> int:
    req = models.CreateRecordRequest()
    req.Domain, req.SubDomain, req.RecordType, req.RecordLine, req.Value = domain, sub, "TXT", "默认", value
    for key, val in extra.items():
        setattr(req, key, val)
    return c.CreateRecord(req).RecordId


def list_txt(c, sub: str = "_acme-challenge", domain: str = "example.com", **extra: Any):
    req = models.DescribeRecordListRequest()
    req.Domain, req.SubDomain, req.RecordType = domain, sub, "TXT"
    for key, val in extra.items():
        setattr(req, key, val)
    return c.DescribeRecordList(req)


def sdk_code(fn, *args, **kwargs) -> str:
    with pytest.raises(TencentCloudSDKException) as info:
        fn(*args, **kwargs)
    return info.value.code


def sdk_signature(method: str, host: str, content_type: str, body: str, query: str, timestamp: int,
                  service: str, secret_key: str) -> str:
    """The SDK's own TC3 signature (its CanonicalRequest/StringToSign builder and key chain)."""
    req = SimpleNamespace(uri="/", method=method, data=(query if method == "GET" else body),
                          header={"Content-Type": content_type, "Host": host, "X-TC-Timestamp": str(timestamp)})
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    return AbstractClient._get_tc3_signature(None, {}, req, date, service, secret_key)


def raw_call(server: lib.Running, action: str, params: Dict[str, Any], *, sid: str = SID, skey: str = SKEY,
             timestamp: Optional[int] = None, token: Optional[str] = None, service: str = "dnspod",
             version: str = "2021-03-23", tamper_body: Optional[str] = None, host: Optional[str] = None,
             auth: Optional[str] = None) -> Dict[str, Any]:
    """POST one request signed by the SDK's signing functions; return the parsed Response object."""
    body = json.dumps(params)
    ts = int(timestamp if timestamp is not None else time.time())
    signed_host = host or server.host
    sig = sdk_signature("POST", signed_host, "application/json", body, "", ts, service, skey)
    date = time.strftime("%Y-%m-%d", time.gmtime(ts))
    headers = {"Content-Type": "application/json", "X-TC-Action": action, "X-TC-Version": version,
               "X-TC-Timestamp": str(ts),
               "Authorization": auth or f"TC3-HMAC-SHA256 Credential={sid}/{date}/{service}/tc3_request, "
                                        f"SignedHeaders=content-type;host, Signature={sig}"}
    if token:
        headers["X-TC-Token"] = token
    status, resp_headers, data = server.http("POST", "/", (tamper_body or body).encode(), headers)
    assert status == 200 and resp_headers["Content-Type"] == "application/json", (status, data)
    return json.loads(data)["Response"]


def code_of(response: Dict[str, Any]) -> Optional[str]:
    return response.get("Error", {}).get("Code")


# ---------------------------------------------------------------------------
# 1. Signature functions: published vector and differential test vs the SDK
# ---------------------------------------------------------------------------

CVM_BODY = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
CVM_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"


def test_published_cvm_vector():
    assert emu.sha256_hex(CVM_BODY.encode()) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    headers = {"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}
    canonical = emu.canonical_request("POST", "/", "", headers, ["content-type", "host"], emu.sha256_hex(CVM_BODY.encode()))
    assert emu.sha256_hex(canonical.encode()) == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
    assert emu.signing_key(CVM_KEY, "2019-02-25", "cvm").hex() == \
        "ac658d5dde49e9bfdd14e04e062f66b05d9f637d44b8a8d845327d4a77f666b1"
    sts = emu.string_to_sign("1551113065", "2019-02-25", "cvm", canonical)
    assert emu.signature(CVM_KEY, "2019-02-25", "cvm", sts) == \
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    assert sdk_signature("POST", "cvm.tencentcloudapi.com", "application/json; charset=utf-8", CVM_BODY, "",
                         1551113065, "cvm", CVM_KEY) == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


def test_dnspod_vector_from_reference():
    body = ('{"Domain": "example.com", "SubDomain": "_acme-challenge", "RecordType": "TXT", '
            '"RecordLine": "\\u9ed8\\u8ba4", "Value": "test-value", "TTL": 600}')
    assert emu.sha256_hex(body.encode()) == "2cb2484398cb6736e3d37bc0be5a3f793aa3afc568fba6617ac49fde294dd28c"
    headers = {"content-type": "application/json", "host": "dnspod.tencentcloudapi.com"}
    canonical = emu.canonical_request("POST", "/", "", headers, ["content-type", "host"], emu.sha256_hex(body.encode()))
    assert emu.sha256_hex(canonical.encode()) == "961f77917ff097fbded8f93a7e33a279fd2b5b5574e3dc20e336cb32f96822c1"
    sts = emu.string_to_sign("1700000000", "2023-11-14", "dnspod", canonical)
    assert emu.signature(CVM_KEY, "2023-11-14", "dnspod", sts) == \
        "d8a976da8f54cdbbf5e06f16764cb97c40d15f4ad037afab69dc387db2db07ae"


def test_verifier_agrees_with_sdk_signer_on_random_requests():
    rnd = random.Random(20210323)
    alphabet = string.ascii_letters + string.digits + " -_.~!*'();:@&=+$,/?%#[]\"\\é中😀\n\t"
    for _ in range(300):
        method = rnd.choice(["POST", "POST", "GET"])
        body = json.dumps({"".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 8))):
                           "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
                           for _ in range(rnd.randint(0, 5))}, ensure_ascii=rnd.random() < 0.5)
        query = "Domain=example.com&Offset=%d&Keyword=%s" % (rnd.randint(0, 99), rnd.choice(["a%20b", "x", "%E4%B8%AD"]))
        host = rnd.choice(["dnspod.tencentcloudapi.com", "127.0.0.1:%d" % rnd.randint(1, 65535), "sts.tencentcloudapi.com"])
        ctype = "application/json" if method == "POST" else "application/x-www-form-urlencoded"
        ts = rnd.randint(1_000_000_000, 2_000_000_000)
        service = rnd.choice(["dnspod", "sts", "cvm"])
        key = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40)))
        official = sdk_signature(method, host, ctype, body, query, ts, service, key)
        date = time.strftime("%Y-%m-%d", time.gmtime(ts))
        payload = emu.sha256_hex(body.encode() if method == "POST" else b"")
        canonical = emu.canonical_request(method, "/", query if method == "GET" else "",
                                          {"content-type": ctype, "host": host}, ["content-type", "host"], payload)
        mine = emu.signature(key, date, service, emu.string_to_sign(str(ts), date, service, canonical))
        assert mine == official
        assert Sign.sign_tc3(key, date, service, "x\ny") == emu.signature(key, date, service, "x\ny")


# ---------------------------------------------------------------------------
# 2. The official SDK against the emulator
# ---------------------------------------------------------------------------


def test_sdk_create_list_modify_delete_round_trip(server):
    c = client(server)
    first = create(c, "key-apex")
    second = create(c, "key-wildcard")  # apex + wildcard: two values at one name
    assert code_of(raw_call(server, "CreateRecord", {"Domain": "example.com", "SubDomain": "_acme-challenge",
                                                     "RecordType": "TXT", "RecordLine": "默认",
                                                     "Value": "key-apex"})) == "InvalidParameter.DomainRecordExist"
    listed = list_txt(c)
    assert sorted(r.Value for r in listed.RecordList) == ["key-apex", "key-wildcard"]
    assert listed.RecordCountInfo.TotalCount == 2 and listed.RecordCountInfo.ListCount == 2
    assert {r.Line for r in listed.RecordList} == {"默认"} and {r.TTL for r in listed.RecordList} == {600}
    mod = models.ModifyRecordRequest()
    mod.Domain, mod.RecordId, mod.SubDomain, mod.RecordType, mod.RecordLine, mod.Value = \
        "example.com", first, "_acme-challenge", "TXT", "默认", "key-apex-2"
    assert c.ModifyRecord(mod).RecordId == first
    delete = models.DeleteRecordRequest()
    delete.Domain, delete.RecordId = "example.com", second
    c.DeleteRecord(delete)
    assert [r.Value for r in list_txt(c).RecordList] == ["key-apex-2"]
    assert sdk_code(c.DeleteRecord, delete) == "InvalidParameter.RecordIdInvalid"
    counts = server.state(log=False)["okCounts"]
    assert counts["CreateRecord"] == 2 and counts["DeleteRecord"] == 1 and counts["ModifyRecord"] == 1


def test_list_filters_pagination_and_empty(server):
    c = client(server)
    for i in range(7):
        create(c, f"value-{i}")
    create(c, "elsewhere", sub="other")
    page1 = list_txt(c, Offset=0, Limit=3)
    page3 = list_txt(c, Offset=6, Limit=3)
    assert [r.Value for r in page1.RecordList] == ["value-0", "value-1", "value-2"]
    assert [r.Value for r in page3.RecordList] == ["value-6"] and page3.RecordCountInfo.TotalCount == 7
    deprecated = models.DescribeRecordListRequest()
    deprecated.Domain, deprecated.Subdomain = "example.com", "other"
    assert [r.Value for r in c.DescribeRecordList(deprecated).RecordList] == ["elsewhere"]
    all_records = models.DescribeRecordListRequest()
    all_records.Domain = "example.com"
    everything = c.DescribeRecordList(all_records)
    assert sum(1 for r in everything.RecordList if r.DefaultNS) == 2  # the zone's default NS records
    assert sdk_code(list_txt, c, "nothing-here") == "ResourceNotFound.NoDataOfRecord"
    assert sdk_code(list_txt, c, Offset=7) == "ResourceNotFound.NoDataOfRecord"
    assert list_txt(c, "nothing-here", ErrorOnEmpty="no").RecordList == []
    assert sdk_code(list_txt, c, Limit=3001) == "InvalidParameterValue.LimitInvalid"
    # GET transport (the SDK signs the query string instead of the body)
    assert list_txt(client(server, method="GET"), Limit=2).RecordCountInfo.ListCount == 2


def test_domains_and_ownership(server):
    c = client(server)
    domains = c.DescribeDomainList(models.DescribeDomainListRequest())
    assert sorted(d.Name for d in domains.DomainList) == ["example.com", "example.net"]
    assert domains.DomainCountInfo.AllTotal == 2
    other = client(server, OTHER_SID, OTHER_SKEY)
    assert sdk_code(create, other, "x") == "InvalidParameterValue.DomainNotExists"
    assert sdk_code(list_txt, c, "_acme-challenge", "other.example") == "InvalidParameterValue.DomainNotExists"
    rid = create(c, "mine")
    delete = models.DeleteRecordRequest()
    delete.Domain, delete.RecordId = "other.example", rid
    assert sdk_code(other.DeleteRecord, delete) == "InvalidParameter.RecordIdInvalid"


def test_record_validation(server):
    c = client(server)
    assert sdk_code(create, c, "v", TTL=60) == "LimitExceeded.RecordTtlLimit"
    assert sdk_code(create, c, "v", "bad..name") == "InvalidParameter.SubdomainInvalid"
    assert sdk_code(create, c, "v", RecordLine="nowhere") == \
        "InvalidParameter.RecordLineInvalid"
    assert sdk_code(create, c, "x" * 513) == "InvalidParameter.RecordValueLengthInvalid"
    assert code_of(raw_call(server, "CreateRecord", {"Domain": "example.com", "RecordType": "TXT", "RecordLine": "默认",
                                                     "Value": "v", "TTL": "600"})) == "InvalidParameter"
    assert code_of(raw_call(server, "CreateRecord", {"Domain": "example.com", "Typo": 1})) == "UnknownParameter"
    assert code_of(raw_call(server, "NoSuchAction", {})) == "InvalidAction"
    assert code_of(raw_call(server, "CreateRecord", {}, version="2018-05-01")) == "NoSuchVersion"
    rid = create(c, "line-id", RecordLine=None, RecordLineId="0")
    assert [r.RecordId for r in list_txt(c).RecordList] == [rid]


# ---------------------------------------------------------------------------
# 3. Authentication rules
# ---------------------------------------------------------------------------


def test_bad_credentials_through_the_sdk(server):
    assert sdk_code(list_txt, client(server, skey="wrong")) == "AuthFailure.SignatureFailure"
    assert sdk_code(list_txt, client(server, sid="AKIDUNKNOWN")) == "AuthFailure.SecretIdNotFound"
    with pytest.raises(TencentCloudSDKException) as info:
        list_txt(client(server, skey="a-secret-that-must-not-leak"))
    assert "a-secret-that-must-not-leak" not in info.value.message
    log = json.dumps(server.state())
    assert SKEY not in log and "a-secret-that-must-not-leak" not in log


def test_timestamp_window(server):
    c = client(server)
    create(c, "now")
    server.admin("POST", "clock", {"offsetSeconds": 290})
    assert len(list_txt(c).RecordList) == 1
    server.admin("POST", "clock", {"offsetSeconds": 310})
    assert sdk_code(list_txt, c) == "AuthFailure.SignatureExpire"
    server.admin("POST", "clock", {"offsetSeconds": -310})
    assert sdk_code(list_txt, c) == "AuthFailure.SignatureExpire"
    server.admin("POST", "clock", {})
    # A reference-vector style fixed timestamp on a frozen server clock.
    server.admin("POST", "clock", {"now": 1700000000})
    assert code_of(raw_call(server, "DescribeDomainList", {}, timestamp=1700000000)) is None
    assert code_of(raw_call(server, "DescribeDomainList", {}, timestamp=1700000000 - 301)) == "AuthFailure.SignatureExpire"


def test_single_rule_violations_on_raw_requests(server):
    params = {"Domain": "example.com"}
    assert code_of(raw_call(server, "DescribeRecordList", params)) is None
    assert code_of(raw_call(server, "DescribeRecordList", params, tamper_body='{"Domain": "example.net"}')) == \
        "AuthFailure.SignatureFailure"
    assert code_of(raw_call(server, "DescribeRecordList", params, host="dnspod.tencentcloudapi.com")) == \
        "AuthFailure.SignatureFailure"  # the signed Host must be the one sent, port included
    assert code_of(raw_call(server, "DescribeRecordList", params, service="cvm")) == "AuthFailure.SignatureFailure"
    assert code_of(raw_call(server, "DescribeRecordList", params, auth="Bearer nope")) == \
        "AuthFailure.InvalidAuthorization"
    date = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400 * 2))
    wrong_date = f"TC3-HMAC-SHA256 Credential={SID}/{date}/dnspod/tc3_request, SignedHeaders=content-type;host, Signature={'0' * 64}"
    assert code_of(raw_call(server, "DescribeRecordList", params, auth=wrong_date)) == "AuthFailure.SignatureFailure"


def test_temporary_credentials_need_their_token(server):
    assert len(list_txt(client(server, TMP_SID, TMP_SKEY, TMP_TOKEN), ErrorOnEmpty="no").RecordList) == 0
    assert sdk_code(list_txt, client(server, TMP_SID, TMP_SKEY)) == "AuthFailure.TokenFailure"
    assert sdk_code(list_txt, client(server, TMP_SID, TMP_SKEY, "wrong-token")) == "AuthFailure.TokenFailure"
    assert sdk_code(list_txt, client(server, SID, SKEY, "stray-token")) == "AuthFailure.TokenFailure"


# ---------------------------------------------------------------------------
# 4. STS: AssumeRoleWithWebIdentity (TKE OIDC) and AssumeRole
# ---------------------------------------------------------------------------


class _HttpProfile(HttpProfile):
    """The SDK's credential providers build an https HttpProfile; the emulator speaks http."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.protocol = self.scheme = "http"


def test_tke_oidc_credential_provider_of_the_sdk(server, tmp_path, monkeypatch):
    token_file = tmp_path / "token"
    token_file.write_text("tke-test-oidc-token")
    monkeypatch.setattr(tc_credential, "HttpProfile", _HttpProfile)
    monkeypatch.setenv("TKE_REGION", "ap-guangzhou")
    monkeypatch.setenv("TKE_PROVIDER_ID", "tke-oidc")
    monkeypatch.setenv("TKE_WEB_IDENTITY_TOKEN_FILE", str(token_file))
    monkeypatch.setenv("TKE_ROLE_ARN", ROLE)
    cred = tc_credential.DefaultTkeOIDCRoleArnProvider().get_credentials()
    cred.endpoint = server.host
    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=server.host))
    c = dnspod_client.DnspodClient(cred, "", profile)
    rid = create(c, "via-oidc")
    assert [r.RecordId for r in list_txt(c).RecordList] == [rid]
    issued = server.state(log=False)["issuedCredentials"]
    assert len(issued) == 1 and issued[0]["account"] == SID
    sid, skey, token = cred.get_credential_info()
    assert sid.startswith("AKID") and token
    assert sdk_code(list_txt, client(server, sid, skey)) == "AuthFailure.TokenFailure"
    server.admin("POST", "sts/expire")
    assert sdk_code(list_txt, client(server, sid, skey, token)) == "AuthFailure.TokenFailure"


def test_assume_role_with_web_identity_errors(server, monkeypatch):
    monkeypatch.setattr(tc_credential, "HttpProfile", _HttpProfile)

    def attempt(**overrides: str) -> str:
        args = dict(region="ap-guangzhou", provider_id="tke-oidc", web_identity_token="tke-test-oidc-token",
                    role_arn=ROLE, role_session_name="cert-manager", duration_seconds=900, endpoint=server.host)
        args.update(overrides)
        cred = tc_credential.OIDCRoleArnCredential(**args)
        with pytest.raises(TencentCloudSDKException) as info:
            cred.get_credential_info()
        return info.value.code

    assert attempt(web_identity_token="forged") == "InvalidParameter.WebIdentityTokenError"
    assert attempt(role_arn=ROLE + "x") == "ResourceNotFound.RoleNotExist"
    assert attempt(provider_id="nope") == "InvalidParameter.ParamError"
    assert attempt(duration_seconds=43201) == "InvalidParameter.OverTimeError"
    ok = tc_credential.OIDCRoleArnCredential("ap-guangzhou", "tke-oidc", "tke-test-oidc-token", ROLE, "s", 900, server.host)
    sid, _, _ = ok.get_credential_info()
    assert sid.startswith("AKID")
    assert server.state(log=False)["okCounts"]["AssumeRoleWithWebIdentity"] == 1


def test_signed_assume_role(server, monkeypatch):
    monkeypatch.setattr(tc_credential, "HttpProfile", _HttpProfile)
    cred = tc_credential.STSAssumeRoleCredential(SID, SKEY, "qcs::cam::uin/100000000001:roleName/signed", "s", 900,
                                                 endpoint=server.host)
    c = dnspod_client.DnspodClient(cred, "", ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=server.host)))
    create(c, "via-assume-role")
    bad = tc_credential.STSAssumeRoleCredential(SID, "wrong", "qcs::cam::uin/100000000001:roleName/signed", "s", 900,
                                                endpoint=server.host)
    with pytest.raises(TencentCloudSDKException) as info:
        bad.get_credential_info()
    assert info.value.code == "AuthFailure.SignatureFailure"


def test_a_web_identity_token_sent_in_a_query_stays_out_of_the_log(server):
    """AssumeRoleWithWebIdentity may come as a GET: the log keeps the query with the token hidden."""
    query = urlencode({"ProviderId": "tke-oidc", "WebIdentityToken": "tke-test-oidc-token", "RoleArn": ROLE,
                       "RoleSessionName": "s", "DurationSeconds": 900})
    status, _, data = server.http("GET", "/?" + query, None, {
        "X-TC-Action": "AssumeRoleWithWebIdentity", "X-TC-Version": "2018-08-13", "X-TC-Region": "ap-guangzhou",
        "X-TC-Timestamp": str(int(time.time())), "Authorization": "SKIP"})
    assert status == 200 and "Credentials" in json.loads(data)["Response"], data
    entry = server.state()["requests"][-1]
    assert entry["action"] == "AssumeRoleWithWebIdentity" and "WebIdentityToken=%28hidden%29" in entry["query"]
    assert "tke-test-oidc-token" not in json.dumps(server.state())


# ---------------------------------------------------------------------------
# 5. Faults, admin API, process behaviour
# ---------------------------------------------------------------------------


def test_throttle_and_5xx_faults(server):
    c = client(server)
    server.admin("POST", "faults", {"throttle": 2, "error5xx": 1, "actions": ["CreateRecord"]})
    assert c.DescribeDomainList(models.DescribeDomainListRequest()).DomainCountInfo.AllTotal == 2  # not matching
    assert sdk_code(create, c, "k") == "RequestLimitExceeded"
    assert sdk_code(create, c, "k") == "RequestLimitExceeded"
    assert sdk_code(create, c, "k") == "ServerNetworkError"
    create(c, "k")
    state = server.state()
    assert [(e["action"], e["outcome"], e.get("fault")) for e in state["requests"][1:]] == [
        ("CreateRecord", "RequestLimitExceeded", "throttle"), ("CreateRecord", "RequestLimitExceeded", "throttle"),
        ("CreateRecord", "error5xx", "error5xx"), ("CreateRecord", "OK", None)]
    assert state["counts"]["CreateRecord"] == 4 and state["okCounts"]["CreateRecord"] == 1
    assert len([r for r in state["records"] if r["Type"] == "TXT"]) == 1


def test_injected_error_and_delay(server):
    c = client(server)
    server.admin("POST", "faults", {"errors": [{"code": "InternalError", "message": "boom"}], "delayMs": 300,
                                    "delayCount": 1})
    started = time.monotonic()
    assert sdk_code(list_txt, c) == "InternalError"
    assert time.monotonic() - started >= 0.3
    assert sdk_code(list_txt, c) == "ResourceNotFound.NoDataOfRecord"


def test_faults_do_not_hit_unauthenticated_calls_and_seed(server):
    server.admin("POST", "faults", {"throttle": 1})
    assert sdk_code(list_txt, client(server, skey="wrong")) == "AuthFailure.SignatureFailure"
    assert sdk_code(list_txt, client(server)) == "RequestLimitExceeded"
    server.admin("POST", "seed", {"domain": "example.com", "count": 5, "subDomain": "_acme-challenge", "value": "foreign-{i}"})
    assert list_txt(client(server)).RecordCountInfo.TotalCount == 5
    assert server.http("GET", "/__admin/nothing")[0] == 404


def test_process_exits_on_stdin_eof_and_sigterm(tmp_path):
    running = lib.start("dnspod_emulator.py", tmp_path)
    running.proc.stdin.close()
    assert running.proc.wait(timeout=10) == 0
    assert running.proc.stdout.read() == ""  # nothing but the port line is ever printed
    lib.stop(running, "none")
    running = lib.start("dnspod_emulator.py", tmp_path)
    assert lib.stop(running, "sigterm") == 0
