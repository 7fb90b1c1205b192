"""Tests for the AliDNS test peers: alidns_emulator.py and alidns_signature_oracle.py.

The emulator is started as a subprocess on 127.0.0.1 (the way the Swift tests
start it) and driven three ways:

* with hand-built requests signed by the OFFICIAL SDK's signer (through the
  oracle module), to exercise each authentication and API rule precisely;
* with the published signature vectors, byte for byte, on a frozen clock;
* with the official Python SDKs themselves (aliyun-python-sdk-core +
  aliyun-python-sdk-alidns, the Tea client alibabacloud-alidns20150109, and
  alibabacloud-credentials' RRSA/OIDC provider), which proves the emulator
  accepts what real clients send and answers in a shape they can parse.

Run: python3 -m pytest -q Tests/Peers/test_alidns_emulator.py
"""

from __future__ import annotations

import base64
import json
import random
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, Optional, Tuple
from urllib.parse import quote, urlencode

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import alidns_emulator as emu  # noqa: E402  (the module under test, imported for its pure signer)
import alidns_signature_oracle as oracle  # noqa: E402  (the official SDK's signer)

EMULATOR = HERE / "alidns_emulator.py"
ORACLE = HERE / "alidns_signature_oracle.py"

AK, SECRET = "testid", "testsecret"
OTHER_AK, OTHER_SECRET = "otherid", "othersecret"
ROLE_ARN = "acs:ram::1234567890123456:role/dns01-webhook"
OIDC_PROVIDER_ARN = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c0ffee"


def _jwt(claims: Dict[str, Any]) -> str:
    def part(obj: Dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return part({"alg": "RS256", "typ": "JWT"}) + "." + part(claims) + ".c2lnbmF0dXJl"


OIDC_TOKEN = _jwt({"iss": "https://oidc-ack.example/c0ffee", "sub": "system:serviceaccount:cert-manager:dns01",
                   "aud": ["sts.aliyuncs.com"]})

CONFIG = {
    "accounts": [
        {"accessKeyId": AK, "accessKeySecret": SECRET,
         "domains": ["example.com", "cn.example.com", "xn--bcher-kva.example"]},
        {"accessKeyId": OTHER_AK, "accessKeySecret": OTHER_SECRET, "domains": ["other.example"]},
    ],
    "oidc": {"roleArn": ROLE_ARN, "oidcProviderArn": OIDC_PROVIDER_ARN, "token": OIDC_TOKEN,
             "expiredTokens": ["expired.token.value"], "account": AK},
    "minTTL": 600,
}

# The published vectors (providers.md B.2).
VECTOR_NONCE = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
VECTOR_TIME = "2016-02-23T12:46:24Z"
VECTOR_COMMON = {"AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1", "SignatureNonce": VECTOR_NONCE,
                 "SignatureVersion": "1.0", "Timestamp": VECTOR_TIME}
DESCRIBE_REGIONS = dict(VECTOR_COMMON, Action="DescribeRegions", Format="XML", Version="2014-05-26")
DESCRIBE_REGIONS_QUERY = (
    "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1"
    "&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0"
    "&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26")
DESCRIBE_REGIONS_STS_GET = (
    "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
    "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
    "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26")
ADD_RECORD = dict(VECTOR_COMMON, Action="AddDomainRecord", DomainName="example.com", Format="JSON",
                  RR="_acme-challenge", TTL="600", Type="TXT",
                  Value="LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM", Version="2015-01-09")
ADD_RECORD_QUERY = (
    "AccessKeyId=testid&Action=AddDomainRecord&DomainName=example.com&Format=JSON&RR=_acme-challenge"
    "&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0"
    "&TTL=600&Timestamp=2016-02-23T12%3A46%3A24Z&Type=TXT&Value=LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM"
    "&Version=2015-01-09")
STS_RECORDS = dict(VECTOR_COMMON, Action="DescribeDomainRecords", DomainName="example.com", Format="JSON",
                   PageSize="500", RRKeyWord="_acme-challenge", SearchMode="EXACT",
                   SecurityToken="CAIS+token/with=chars", Type="TXT", Version="2015-01-09")
VECTORS = [  # (method, params, published signature)
    ("GET", DESCRIBE_REGIONS, "OLeaidS1JvxuMvnyHOwuJ+uX5qY="),
    ("POST", DESCRIBE_REGIONS, "MxbnVAM4w6sft9xjVpe/GCKueuk="),
    ("GET", ADD_RECORD, "dO9U+c+/j43/6fKEajHAxPkH8S4="),
    ("GET", STS_RECORDS, "Euir7r2qXBMKkRxAqgVp/CjJ7Lc="),
]


def flip_one_bit(signature: str, bit: int = 0) -> str:
    raw = bytearray(base64.b64decode(signature))
    raw[bit // 8] ^= 1 << (bit % 8)
    return base64.b64encode(bytes(raw)).decode()


# ---------------------------------------------------------------------------
# Process and HTTP helpers
# ---------------------------------------------------------------------------


class Running:
    """An emulator subprocess plus a tiny HTTP client for it."""

    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc = proc
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    # raw HTTP -------------------------------------------------------------
    def http(self, method: str, path: str, body: Optional[bytes] = None,
             content_type: Optional[str] = None) -> Tuple[int, bytes]:
        req = urllib.request.Request(self.base + path, data=body, method=method)
        if content_type:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def admin(self, method: str, route: str, payload: Optional[Dict[str, Any]] = None) -> Any:
        body = json.dumps(payload).encode() if payload is not None else (b"" if method == "POST" else None)
        status, data = self.http(method, "/__admin/" + route, body, "application/json")
        assert status == 200, data
        return json.loads(data)

    def state(self) -> Dict[str, Any]:
        return self.admin("GET", "state")

    # signed API calls -----------------------------------------------------
    def call(self, action: str, params: Optional[Dict[str, Any]] = None, *, method: str = "GET",
             ak: str = AK, secret: str = SECRET, token: Optional[str] = None,
             timestamp: Optional[str] = None, nonce: Optional[str] = None, version: str = "2015-01-09",
             body_keys: Tuple[str, ...] = (), tamper=None) -> Tuple[int, Dict[str, Any]]:
        """Sign with the official SDK signer and send; returns (status, JSON body)."""
        signed = {
            "Action": action, "Version": version, "Format": "JSON", "AccessKeyId": ak,
            "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "Timestamp": timestamp or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if token is not None:
            signed["SecurityToken"] = token
        signed.update({k: str(v) for k, v in (params or {}).items()})
        signed["Signature"] = oracle.sign(method, signed, secret)["signature"]
        if tamper:
            tamper(signed)
        return self.send(method, signed, body_keys)

    def send(self, method: str, params: Dict[str, str], body_keys: Tuple[str, ...] = ()) -> Tuple[int, Dict[str, Any]]:
        """Send already-signed parameters; ``body_keys`` go in a form body (POST)."""
        query = {k: v for k, v in params.items() if k not in body_keys}
        form = {k: v for k, v in params.items() if k in body_keys}
        path = "/?" + urlencode(query, quote_via=quote, safe="")
        body = urlencode(form).encode() if form else None
        if method == "POST" and body is None:
            body = b""
        status, data = self.http(method, path, body,
                                 "application/x-www-form-urlencoded" if form else None)
        return status, parse_body(data)


def parse_body(data: bytes) -> Dict[str, Any]:
    """JSON, or AliDNS-style XML flattened to {tag: text} for its top level."""
    text = data.decode("utf-8")
    if text.lstrip().startswith("<"):
        root = ET.fromstring(text)
        out: Dict[str, Any] = {"_root": root.tag}
        for child in root:
            out[child.tag] = child.text
        return out
    return json.loads(text)


def start_emulator(tmp_path: Path, config: Dict[str, Any], *args: str) -> Running:
    cfg = tmp_path / f"config-{uuid.uuid4().hex[:8]}.json"
    cfg.write_text(json.dumps(config))
    proc = subprocess.Popen([sys.executable, str(EMULATOR), "--port", "0", "--config", str(cfg), *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line, f"emulator printed nothing; stderr: {proc.stderr.read()}"
    return Running(proc, int(json.loads(line)["port"]))


def stop_emulator(running: Running) -> int:
    running.proc.send_signal(signal.SIGTERM)
    code = running.proc.wait(timeout=5)
    running.proc.stdout.close()
    running.proc.stderr.close()
    return code


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_emulator(tmp_path_factory.mktemp("alidns"), CONFIG)
    yield running
    assert stop_emulator(running) == 0


@pytest.fixture(autouse=True)
def fresh(request):
    """Every test that uses the shared server starts from a reset one."""
    if "server" in request.fixturenames:
        request.getfixturevalue("server").admin("POST", "reset")
    yield


def add_txt(server: Running, rr: str, value: str, domain: str = "example.com", **extra: Any) -> str:
    status, body = server.call("AddDomainRecord", dict({"DomainName": domain, "RR": rr, "Type": "TXT",
                                                        "Value": value}, **extra))
    assert status == 200, body
    return body["RecordId"]


# ---------------------------------------------------------------------------
# 1. The emulator's own signer reproduces the published vectors
# ---------------------------------------------------------------------------


def test_percent_encoding_rule():
    assert emu.percent_encode("a b*c~d+e/f:g") == "a%20b%2Ac~d%2Be%2Ff%3Ag"
    assert emu.percent_encode("é") == "%C3%A9"


def test_canonical_query_and_string_to_sign_match_published_text():
    assert emu.canonicalized_query(DESCRIBE_REGIONS) == DESCRIBE_REGIONS_QUERY
    assert emu.string_to_sign("GET", DESCRIBE_REGIONS) == DESCRIBE_REGIONS_STS_GET
    assert emu.canonicalized_query(ADD_RECORD) == ADD_RECORD_QUERY  # TTL sorts before Timestamp
    assert "&SecurityToken=CAIS%2Btoken%2Fwith%3Dchars&" in emu.canonicalized_query(STS_RECORDS)
    assert "%26SecurityToken%3DCAIS%252Btoken%252Fwith%253Dchars%26" in emu.string_to_sign("GET", STS_RECORDS)


@pytest.mark.parametrize("method,params,published", VECTORS, ids=["regions-GET", "regions-POST", "add-record", "sts-token"])
def test_verifier_accepts_published_vectors_and_rejects_one_bit_change(method, params, published):
    assert emu.compute_signature(method, params, "testsecret") == published
    assert emu.verify_signature(method, dict(params, Signature=published), "testsecret")
    for bit in (0, 77, 159):
        assert not emu.verify_signature(method, dict(params, Signature=flip_one_bit(published, bit)), "testsecret")
    other = "POST" if method == "GET" else "GET"
    assert not emu.verify_signature(other, dict(params, Signature=published), "testsecret")
    assert not emu.verify_signature(method, dict(params, Signature=published), "testsecreT")


# ---------------------------------------------------------------------------
# 2. The oracle (official SDK signer) gives the same published values
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def oracle_proc():
    proc = subprocess.Popen([sys.executable, str(ORACLE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)

    def ask(line: str) -> Dict[str, Any]:
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        answer = proc.stdout.readline()  # blocks forever if the oracle does not flush
        assert answer, "oracle closed stdout"
        return json.loads(answer)

    yield ask
    proc.stdin.close()
    assert proc.wait(timeout=5) == 0
    proc.stdout.close()
    proc.stderr.close()


@pytest.mark.parametrize("method,params,published", VECTORS, ids=["regions-GET", "regions-POST", "add-record", "sts-token"])
def test_oracle_reproduces_published_vectors(oracle_proc, method, params, published):
    answer = oracle_proc(json.dumps({"method": method, "params": params, "secret": "testsecret"}))
    assert answer["signature"] == published
    assert answer["teaSignature"] == published  # the Tea SDK's signer agrees
    assert answer["stringToSign"] == emu.string_to_sign(method, params)
    if params is DESCRIBE_REGIONS and method == "GET":
        assert answer["stringToSign"] == DESCRIBE_REGIONS_STS_GET


def test_oracle_answers_bad_lines_and_stays_in_step(oracle_proc):
    assert "error" in oracle_proc("not json")
    assert "error" in oracle_proc(json.dumps({"method": "GET", "params": [], "secret": "x"}))
    good = oracle_proc(json.dumps({"method": "GET", "params": DESCRIBE_REGIONS, "secret": "testsecret"}))
    assert good["signature"] == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_emulator_signer_agrees_with_official_sdk_on_awkward_parameters():
    alphabet = list("aZ09 -_.~*+/=&%:?#@!$'(),;[]\"\\") + ["é", "中", "😀", "\u00a0", "\n", "ß"]
    rnd = random.Random(20150109)
    for _ in range(400):
        params = {}
        for _ in range(rnd.randint(1, 8)):
            name = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 6)))
            params[name] = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14)))
        method = rnd.choice(["GET", "POST"])
        secret = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 10)))
        official = oracle.sign(method, params, secret)
        assert emu.string_to_sign(method, params) == official["stringToSign"], params
        assert emu.compute_signature(method, params, secret) == official["signature"] == official["teaSignature"]


# ---------------------------------------------------------------------------
# 3. The published vectors over HTTP, on a frozen clock
# ---------------------------------------------------------------------------


def test_http_add_record_vector_is_accepted_then_its_nonce_is_spent(server):
    server.admin("POST", "clock", {"now": VECTOR_TIME})
    tampered = dict(ADD_RECORD, Signature=flip_one_bit("dO9U+c+/j43/6fKEajHAxPkH8S4=", 3))
    status, body = server.send("GET", tampered)
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")
    assert emu.string_to_sign("GET", ADD_RECORD) in body["Message"]  # the server's string to sign is shown
    assert set(body) >= {"RequestId", "HostId", "Code", "Message", "Recommend"}

    status, body = server.send("GET", dict(ADD_RECORD, Signature="dO9U+c+/j43/6fKEajHAxPkH8S4="))
    assert status == 200, body
    assert body["RecordId"].isdigit()
    assert [r["RR"] for r in server.state()["records"]] == ["_acme-challenge"]

    status, body = server.send("GET", dict(ADD_RECORD, Signature="dO9U+c+/j43/6fKEajHAxPkH8S4="))
    assert (status, body["Code"]) == (400, "SignatureNonceUsed")


def test_http_describe_regions_vectors_pass_signature_check_for_their_own_method(server):
    for method, signature in (("GET", "OLeaidS1JvxuMvnyHOwuJ+uX5qY="), ("POST", "MxbnVAM4w6sft9xjVpe/GCKueuk=")):
        server.admin("POST", "reset")
        server.admin("POST", "clock", {"now": VECTOR_TIME})
        wrong = "GET" if method == "POST" else "POST"
        status, body = server.send(wrong, dict(DESCRIBE_REGIONS, Signature=signature))
        assert (status, body["_root"], body["Code"]) == (400, "Error", "SignatureDoesNotMatch")  # Format=XML
        keys = tuple(k for k in DESCRIBE_REGIONS if k != "Action") if method == "POST" else ()
        status, body = server.send(method, dict(DESCRIBE_REGIONS, Signature=signature), body_keys=keys)
        # Signature, timestamp and nonce were accepted; DescribeRegions is an ECS action, not AliDNS.
        assert (status, body["Code"]) == (404, "InvalidAction.NotFound")


def test_http_sts_token_vector(tmp_path):
    config = {"accounts": [{"accessKeyId": "testid", "accessKeySecret": "testsecret",
                            "securityToken": "CAIS+token/with=chars", "domains": ["example.com"]}]}
    running = start_emulator(tmp_path, config)
    try:
        running.admin("POST", "clock", {"now": VECTOR_TIME})
        no_token = {k: v for k, v in STS_RECORDS.items() if k != "SecurityToken"}
        status, body = running.send("GET", dict(no_token, Signature="Euir7r2qXBMKkRxAqgVp/CjJ7Lc="))
        assert (status, body["Code"]) == (400, "InvalidSecurityToken.MismatchWithAccessKey")
        status, body = running.send("GET", dict(STS_RECORDS, Signature=flip_one_bit("Euir7r2qXBMKkRxAqgVp/CjJ7Lc=", 100)))
        assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")
        status, body = running.send("GET", dict(STS_RECORDS, Signature="Euir7r2qXBMKkRxAqgVp/CjJ7Lc="))
        assert status == 200, body
        assert body["TotalCount"] == 0 and body["PageSize"] == 500
    finally:
        assert stop_emulator(running) == 0


# ---------------------------------------------------------------------------
# 4. The official SDKs talk to the emulator end to end
# ---------------------------------------------------------------------------


def _core_client(ak: str = AK, secret: str = SECRET, credential=None):
    from aliyunsdkcore.client import AcsClient
    if credential is not None:
        return AcsClient(region_id="cn-hangzhou", credential=credential, auto_retry=False, timeout=5)
    return AcsClient(ak, secret, "cn-hangzhou", auto_retry=False, timeout=5)


def _prepare(request, server: Running):
    request.set_endpoint(f"127.0.0.1:{server.port}")
    request.set_protocol_type("http")
    request.set_accept_format("JSON")
    return request


def test_official_core_sdk_add_describe_delete(server):
    from aliyunsdkalidns.request.v20150109.AddDomainRecordRequest import AddDomainRecordRequest
    from aliyunsdkalidns.request.v20150109.DeleteDomainRecordRequest import DeleteDomainRecordRequest
    from aliyunsdkalidns.request.v20150109.DescribeDomainRecordsRequest import DescribeDomainRecordsRequest
    from aliyunsdkalidns.request.v20150109.DescribeDomainsRequest import DescribeDomainsRequest

    client = _core_client()
    domains = json.loads(client.do_action_with_exception(_prepare(DescribeDomainsRequest(), server)))
    by_puny = {d["PunyCode"]: d["DomainName"] for d in domains["Domains"]["Domain"]}
    assert by_puny == {"example.com": "example.com", "cn.example.com": "cn.example.com",
                       "xn--bcher-kva.example": "bücher.example"}

    ids = []
    for value in ("apex key", "wildcard+key/with=odd*chars~é"):
        add = _prepare(AddDomainRecordRequest(), server)
        add.set_DomainName("cn.example.com")
        add.set_RR("_acme-challenge")
        add.set_Type("TXT")
        add.set_Value(value)
        ids.append(json.loads(client.do_action_with_exception(add))["RecordId"])

    describe = _prepare(DescribeDomainRecordsRequest(), server)
    describe.set_DomainName("cn.example.com")
    describe.set_RRKeyWord("_acme-challenge")
    describe.set_Type("TXT")
    listed = json.loads(client.do_action_with_exception(describe))
    assert listed["TotalCount"] == 2
    assert {r["Value"] for r in listed["DomainRecords"]["Record"]} == {"apex key", "wildcard+key/with=odd*chars~é"}

    delete = _prepare(DeleteDomainRecordRequest(), server)
    delete.set_RecordId(ids[0])
    assert json.loads(client.do_action_with_exception(delete))["RecordId"] == ids[0]
    assert [r["Value"] for r in server.state()["records"]] == ["wildcard+key/with=odd*chars~é"]


def test_official_core_sdk_post_with_form_body(server):
    from aliyunsdkcore.request import CommonRequest
    request = CommonRequest(domain=f"127.0.0.1:{server.port}", version="2015-01-09",
                            action_name="AddDomainRecord")
    request.set_protocol_type("http")
    request.set_method("POST")
    request.set_accept_format("json")
    request.add_query_param("DomainName", "example.com")
    for key, value in (("RR", "_acme-challenge.a"), ("Type", "TXT"), ("Value", "form body value"), ("TTL", "600")):
        request.add_body_params(key, value)
    answer = json.loads(_core_client().do_action_with_exception(request))
    assert answer["RecordId"].isdigit()
    last = server.state()["requests"][-1]
    assert last["method"] == "POST" and last["outcome"] == "OK"
    assert last["bodyParams"] == ["RR", "TTL", "Type", "Value"]


def test_official_sdk_errors_surface_as_server_exceptions(server):
    from aliyunsdkalidns.request.v20150109.DescribeDomainsRequest import DescribeDomainsRequest
    from aliyunsdkcore.acs_exception.exceptions import ServerException

    with pytest.raises(ServerException) as bad_secret:
        _core_client(secret="not-the-secret").do_action_with_exception(_prepare(DescribeDomainsRequest(), server))
    # On the wire this is 400 SignatureDoesNotMatch whose Message ends in "server string to sign is:<...>".
    # The SDK compares that with its own string to sign and, when they are equal (so only the secret can be
    # wrong), reports InvalidAccessKeySecret: the emulator's string to sign is byte-for-byte the SDK's.
    assert (bad_secret.value.get_http_status(), bad_secret.value.get_error_code()) == (400, "InvalidAccessKeySecret")
    assert bad_secret.value.get_request_id()

    with pytest.raises(ServerException) as bad_key:
        _core_client(ak="nosuchkey").do_action_with_exception(_prepare(DescribeDomainsRequest(), server))
    assert (bad_key.value.get_http_status(), bad_key.value.get_error_code()) == (404, "InvalidAccessKeyId.NotFound")


def _tea_client(server: Running, credential=None, ak: str = AK, secret: str = SECRET):
    from alibabacloud_alidns20150109.client import Client
    from alibabacloud_tea_openapi.models import Config
    if credential is not None:
        config = Config(credential=credential)
    else:
        config = Config(access_key_id=ak, access_key_secret=secret)
    config.endpoint = f"127.0.0.1:{server.port}"
    config.protocol = "http"
    config.signature_algorithm = "v2"  # RPC Signature V1 (HMAC-SHA1); the emulator does not speak V3
    config.read_timeout = 5000
    config.connect_timeout = 5000
    return Client(config)


def test_official_tea_sdk_add_describe_delete(server):
    from alibabacloud_alidns20150109 import models

    client = _tea_client(server)
    added = client.add_domain_record(models.AddDomainRecordRequest(
        domain_name="example.com", rr="_acme-challenge", type="TXT", value="tea value", ttl=600))
    record_id = added.body.record_id
    listed = client.describe_domain_records(models.DescribeDomainRecordsRequest(
        domain_name="example.com", rrkey_word="_acme-challenge", type="TXT", page_size=500))
    assert listed.body.total_count == 1
    assert listed.body.domain_records.record[0].record_id == record_id
    client.delete_domain_record(models.DeleteDomainRecordRequest(record_id=record_id))
    assert server.state()["records"] == []


def test_official_credentials_rrsa_provider_then_tea_client(server, tmp_path):
    """alibabacloud-credentials' OIDC provider (what RRSA uses) gets keys from the
    emulator's anonymous AssumeRoleWithOIDC; the Tea client then signs with them."""
    from alibabacloud_alidns20150109 import models
    from alibabacloud_credentials.client import Client as CredentialClient
    from alibabacloud_credentials.models import Config as CredentialConfig

    token_file = tmp_path / "token"
    token_file.write_text(OIDC_TOKEN)
    credential = CredentialClient(CredentialConfig(
        type="oidc_role_arn", role_arn=ROLE_ARN, oidc_provider_arn=OIDC_PROVIDER_ARN,
        oidc_token_file_path=str(token_file), role_session_name="dns01-test",
        sts_endpoint=f"http://127.0.0.1:{server.port}"))
    client = _tea_client(server, credential=credential)
    domains = client.describe_domains(models.DescribeDomainsRequest(page_size=100))
    assert domains.body.total_count == 3
    log = server.state()["requests"]
    assert [e["action"] for e in log] == ["AssumeRoleWithOIDC", "DescribeDomains"]
    assert log[1]["accessKeyId"].startswith("STS.") and log[1]["hasSecurityToken"]
    assert OIDC_TOKEN not in json.dumps(server.state())  # the log never holds secrets


# ---------------------------------------------------------------------------
# 5. Authentication rules
# ---------------------------------------------------------------------------


def test_bad_secret_and_unknown_key(server):
    assert server.call("DescribeDomains", secret="wrong")[1]["Code"] == "SignatureDoesNotMatch"
    status, body = server.call("DescribeDomains", ak="AKnobody")
    assert (status, body["Code"]) == (404, "InvalidAccessKeyId.NotFound")
    assert server.call("DescribeDomains")[0] == 200


def test_nonce_reuse_is_rejected(server):
    assert server.call("DescribeDomains", nonce="fixed-nonce-1")[0] == 200
    status, body = server.call("DescribeDomains", nonce="fixed-nonce-1")
    assert (status, body["Code"]) == (400, "SignatureNonceUsed")
    assert server.call("DescribeDomains", nonce="fixed-nonce-2")[0] == 200


def test_a_throttled_request_still_spends_its_nonce(server):
    server.admin("POST", "faults", {"throttle": 1})
    assert server.call("DescribeDomains", nonce="retry-me")[1]["Code"] == "Throttling.User"
    assert server.call("DescribeDomains", nonce="retry-me")[1]["Code"] == "SignatureNonceUsed"


def test_timestamp_window(server):
    def stamp(offset: float) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset))

    assert server.call("DescribeDomains", timestamp=stamp(-14 * 60))[0] == 200
    assert server.call("DescribeDomains", timestamp=stamp(14 * 60))[0] == 200
    for offset in (-16 * 60, 16 * 60):
        status, body = server.call("DescribeDomains", timestamp=stamp(offset))
        assert (status, body["Code"]) == (400, "InvalidTimeStamp.Expired")
    status, body = server.call("DescribeDomains", timestamp="2016-02-23 12:46:24")
    assert (status, body["Code"]) == (400, "InvalidTimeStamp.Format")
    server.admin("POST", "clock", {"offsetSeconds": 3600})  # the server's clock moves, not the client's
    assert server.call("DescribeDomains")[1]["Code"] == "InvalidTimeStamp.Expired"


def test_missing_signature_parameters(server):
    status, body = server.call("DescribeDomains", tamper=lambda p: p.pop("Signature"))
    assert (status, body["Code"]) == (400, "IncompleteSignature")
    for name in ("SignatureNonce", "Timestamp", "AccessKeyId"):
        status, body = server.call("DescribeDomains", tamper=lambda p, n=name: p.pop(n))
        assert (status, body["Code"]) == (400, "MissingParameter"), name
        assert name in body["Message"]


def test_tampered_parameter_breaks_signature(server):
    status, body = server.call("AddDomainRecord", {"DomainName": "example.com", "RR": "_acme-challenge",
                                                   "Type": "TXT", "Value": "v1"},
                               tamper=lambda p: p.update(Value="v2"))
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")
    assert server.state()["records"] == []


def test_params_split_between_query_and_form_body(server):
    params = {"DomainName": "example.com", "RR": "_acme-challenge", "Type": "TXT", "Value": "a b+c"}
    status, body = server.call("AddDomainRecord", params, method="POST", body_keys=("RR", "Value", "Signature"))
    assert status == 200, body
    assert server.state()["records"][0]["Value"] == "a b+c"
    # Signed as GET, sent as POST: the method is part of what is signed.
    status, body = server.call("DescribeDomains", method="POST",
                               tamper=lambda p: p.update(Signature=oracle.sign("GET", p, SECRET)["signature"]))
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")


def test_xml_is_the_default_format(server):
    params = {"Action": "DescribeDomains", "Version": "2015-01-09", "AccessKeyId": AK,
              "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex,
              "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    params["Signature"] = oracle.sign("GET", params, SECRET)["signature"]
    status, body = server.send("GET", params)
    assert status == 200 and body["_root"] == "DescribeDomainsResponse" and body["TotalCount"] == "3"


# ---------------------------------------------------------------------------
# 6. Records: domains, keywords, paging, duplicates, quota, TTL, ownership
# ---------------------------------------------------------------------------


def test_describe_domains_keyword_and_paging(server):
    status, body = server.call("DescribeDomains", {"KeyWord": "example.com", "SearchMode": "EXACT"})
    assert [d["DomainName"] for d in body["Domains"]["Domain"]] == ["example.com"]
    status, body = server.call("DescribeDomains", {"KeyWord": "example", "SearchMode": "LIKE"})
    assert body["TotalCount"] == 3
    status, body = server.call("DescribeDomains", {"KeyWord": "xn--bcher-kva.example", "SearchMode": "EXACT"})
    assert [(d["DomainName"], d["PunyCode"]) for d in body["Domains"]["Domain"]] == [("bücher.example", "xn--bcher-kva.example")]
    status, body = server.call("DescribeDomains", {"PageSize": 2, "PageNumber": 2})
    assert (body["TotalCount"], len(body["Domains"]["Domain"]), body["PageNumber"]) == (3, 1, 2)
    status, body = server.call("DescribeDomains", {"PageSize": 101})
    assert (status, body["Code"]) == (400, "InvalidParameter")
    # Other accounts' domains are invisible.
    status, body = server.call("DescribeDomains", ak=OTHER_AK, secret=OTHER_SECRET)
    assert [d["DomainName"] for d in body["Domains"]["Domain"]] == ["other.example"]


def test_paging_past_500_records(server):
    seeded = server.admin("POST", "seed", {"domain": "example.com", "count": 620,
                                           "rr": "_acme-challenge-{i}", "value": "v{i}"})["recordIds"]
    add_txt(server, "www", "unrelated")
    seen = []
    for page in (1, 2):
        status, body = server.call("DescribeDomainRecords", {"DomainName": "example.com", "PageSize": 500,
                                                             "PageNumber": page, "RRKeyWord": "_acme-challenge"})
        assert status == 200 and body["TotalCount"] == 620
        seen += [r["RecordId"] for r in body["DomainRecords"]["Record"]]
    assert len(seen) == 620 and set(seen) == set(seeded)
    status, body = server.call("DescribeDomainRecords", {"DomainName": "example.com", "PageNumber": 3, "PageSize": 500})
    assert body["TotalCount"] == 621 and body["DomainRecords"]["Record"] == []
    status, body = server.call("DescribeDomainRecords", {"DomainName": "example.com"})
    assert body["PageSize"] == 20 and len(body["DomainRecords"]["Record"]) == 20
    assert body["DomainRecords"]["Record"][0]["RR"] == "www"  # newest first
    status, body = server.call("DescribeDomainRecords", {"DomainName": "example.com", "PageSize": 501})
    assert (status, body["Code"]) == (400, "InvalidParameter")


def test_rr_keyword_is_a_fuzzy_case_insensitive_match(server):
    for rr in ("_acme-challenge", "_acme-challenge.a", "x._ACME-challenge", "www"):
        add_txt(server, rr, "value-" + rr)
    add_txt(server, "_acme-challenge", "second value")

    def rrs(**params: str):
        status, body = server.call("DescribeDomainRecords", dict({"DomainName": "example.com"}, **params))
        assert status == 200, body
        return sorted(r["RR"] for r in body["DomainRecords"]["Record"])

    fuzzy = rrs(RRKeyWord="_acme-challenge")
    assert fuzzy == ["_acme-challenge", "_acme-challenge", "_acme-challenge.a", "x._ACME-challenge"]
    assert rrs(RRKeyWord="ACME", ValueKeyWord="SECOND") == ["_acme-challenge"]
    assert rrs(RRKeyWord="_acme-challenge", TypeKeyWord="A") == []
    assert rrs(RRKeyWord="_acme-challenge", Type="txt") == fuzzy
    # LIKE/EXACT use KeyWord only; RRKeyWord is then ignored (as documented).
    assert len(rrs(SearchMode="EXACT", RRKeyWord="www")) == 5
    assert rrs(SearchMode="EXACT", KeyWord="_acme-challenge") == ["_acme-challenge", "_acme-challenge"]
    assert rrs(KeyWord="acme-challenge.") == ["_acme-challenge.a"]
    status, body = server.call("DescribeSubDomainRecords", {"SubDomain": "_acme-challenge.example.com"})
    assert sorted(r["Value"] for r in body["DomainRecords"]["Record"]) == ["second value", "value-_acme-challenge"]


def test_duplicate_record(server):
    add_txt(server, "_acme-challenge", "key-1")
    status, body = server.call("AddDomainRecord", {"DomainName": "example.com", "RR": "_acme-challenge",
                                                   "Type": "TXT", "Value": "key-1"})
    assert (status, body["Code"]) == (400, "DomainRecordDuplicate")
    add_txt(server, "_acme-challenge", "key-1", Line="telecom")  # another line is another record
    add_txt(server, "_acme-challenge", "key-2")  # another value (apex + wildcard) coexists
    assert len(server.state()["records"]) == 3


def test_record_quota_per_rr_type_line(server):
    for i in range(90):
        add_txt(server, "busy", f"value-{i}")
    status, body = server.call("AddDomainRecord", {"DomainName": "example.com", "RR": "busy",
                                                   "Type": "TXT", "Value": "one too many"})
    assert (status, body["Code"]) == (400, "QuotaExceeded.Record")
    add_txt(server, "busy", "other line", Line="unicom")


def test_ttl_default_and_minimum(server):
    add_txt(server, "a", "default ttl")
    assert server.state()["records"][0]["TTL"] == 600
    status, body = server.call("AddDomainRecord", {"DomainName": "example.com", "RR": "b", "Type": "TXT",
                                                   "Value": "v", "TTL": 60})
    assert (status, body["Code"]) == (400, "QuotaExceeded.TTL")
    status, body = server.call("AddDomainRecord", {"DomainName": "example.com", "RR": "b", "Type": "TXT",
                                                   "Value": "v", "TTL": 86401})
    assert (status, body["Code"]) == (400, "QuotaExceeded.TTL")


def test_domain_and_record_ownership(server):
    status, body = server.call("AddDomainRecord", {"DomainName": "other.example", "RR": "x", "Type": "TXT", "Value": "v"})
    assert (status, body["Code"]) == (400, "IncorrectDomainUser")
    status, body = server.call("DescribeDomainRecords", {"DomainName": "nothere.example"})
    assert (status, body["Code"]) == (400, "IncorrectDomainUser")
    status, body = server.call("DescribeDomainRecords", {})
    assert (status, body["Code"]) == (400, "MissingParameter")
    record_id = add_txt(server, "x", "v")
    for rid in ("999999999999999", "not-a-number"):
        status, body = server.call("DeleteDomainRecord", {"RecordId": rid})
        assert (status, body["Code"]) == (400, "DomainRecordNotBelongToUser")
    status, body = server.call("DeleteDomainRecord", {"RecordId": record_id}, ak=OTHER_AK, secret=OTHER_SECRET)
    assert (status, body["Code"]) == (400, "DomainRecordNotBelongToUser")
    assert server.call("DeleteDomainRecord", {"RecordId": record_id})[0] == 200
    assert server.call("DeleteDomainRecord", {"RecordId": record_id})[1]["Code"] == "DomainRecordNotBelongToUser"


def test_nested_and_punycode_domains(server):
    add_txt(server, "_acme-challenge", "nested", domain="cn.example.com")
    add_txt(server, "_acme-challenge", "idn", domain="bücher.example")
    add_txt(server, "_acme-challenge.x", "idn2", domain="XN--BCHER-KVA.EXAMPLE")
    status, body = server.call("DescribeDomainRecords", {"DomainName": "xn--bcher-kva.example"})
    assert sorted(r["Value"] for r in body["DomainRecords"]["Record"]) == ["idn", "idn2"]
    status, body = server.call("DescribeDomainRecords", {"DomainName": "example.com"})
    assert body["TotalCount"] == 0
    status, body = server.call("DescribeDomainRecords", {"DomainName": "example.com."})
    assert body.get("Code") == "IncorrectDomainUser"  # a trailing dot is not a domain name


# ---------------------------------------------------------------------------
# 7. Fault injection
# ---------------------------------------------------------------------------


def test_fault_injection_then_success(server):
    server.admin("POST", "faults", {"throttle": 2, "error5xx": 1, "actions": ["AddDomainRecord"]})
    assert server.call("DescribeDomains")[0] == 200  # not a matching action
    params = {"DomainName": "example.com", "RR": "_acme-challenge", "Type": "TXT", "Value": "k"}
    outcomes = [server.call("AddDomainRecord", params) for _ in range(4)]
    assert [(s, b.get("Code")) for s, b in outcomes] == [
        (400, "Throttling.User"), (400, "Throttling.User"), (503, "ServiceUnavailable"), (200, None)]
    assert outcomes[0][1]["HostId"] == "alidns.aliyuncs.com"
    log = server.state()["requests"]
    assert [(e["action"], e["outcome"], e.get("fault")) for e in log[1:]] == [
        ("AddDomainRecord", "Throttling.User", "throttle"), ("AddDomainRecord", "Throttling.User", "throttle"),
        ("AddDomainRecord", "ServiceUnavailable", "error5xx"), ("AddDomainRecord", "OK", None)]
    assert len(server.state()["records"]) == 1  # the faulted calls changed nothing


def test_injected_error_codes_and_delay(server):
    server.admin("POST", "faults", {"errors": [{"status": 403, "code": "Forbidden.RAM", "message": "no"}],
                                    "delayMs": 300, "delayCount": 1})
    started = time.monotonic()
    status, body = server.call("DescribeDomains")
    assert time.monotonic() - started >= 0.3
    assert (status, body["Code"]) == (403, "Forbidden.RAM")
    started = time.monotonic()
    assert server.call("DescribeDomains")[0] == 200
    assert time.monotonic() - started < 0.3
    assert server.admin("GET", "faults")["faults"]["errors"] == []


def test_faults_do_not_hit_requests_that_fail_authentication(server):
    server.admin("POST", "faults", {"throttle": 1})
    assert server.call("DescribeDomains", secret="wrong")[1]["Code"] == "SignatureDoesNotMatch"
    assert server.call("DescribeDomains")[1]["Code"] == "Throttling.User"


# ---------------------------------------------------------------------------
# 8. STS AssumeRoleWithOIDC
# ---------------------------------------------------------------------------


def assume(server: Running, **overrides: str) -> Tuple[int, Dict[str, Any]]:
    params = {"Action": "AssumeRoleWithOIDC", "Version": "2015-04-01", "Format": "JSON",
              "RoleArn": ROLE_ARN, "OIDCProviderArn": OIDC_PROVIDER_ARN, "OIDCToken": OIDC_TOKEN,
              "RoleSessionName": "cert-manager",
              "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    params.update(overrides)
    params = {k: v for k, v in params.items() if v is not None}
    return server.send("POST", params, body_keys=tuple(params))


def test_assume_role_with_oidc_keys_work_only_with_their_token(server):
    for name in ("RoleArn", "OIDCProviderArn", "OIDCToken", "RoleSessionName"):
        status, body = assume(server, **{name: None})
        assert (status, body["Code"]) == (400, "MissingParameter") and name in body["Message"]
    assert assume(server, OIDCToken="not.the.token")[1]["Code"] == "AuthenticationFail.OIDCToken.Invalid"
    assert assume(server, OIDCToken="expired.token.value")[1]["Code"] == "AuthenticationFail.OIDCToken.Expired"
    status, body = assume(server, RoleArn=ROLE_ARN + "x")
    assert (status, body["Code"], body["HostId"]) == (404, "EntityNotExist.Role", "sts.aliyuncs.com")
    assert assume(server, OIDCProviderArn=OIDC_PROVIDER_ARN + "x")[1]["Code"] == "EntityNotExist.OIDCProvider"
    assert assume(server, DurationSeconds="899")[1]["Code"] == "InvalidParameter"

    status, body = assume(server, DurationSeconds="900")
    assert status == 200, body
    creds = body["Credentials"]
    assert set(creds) == {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}
    assert body["AssumedRoleUser"]["Arn"].endswith(":assumed-role/dns01-webhook/cert-manager")
    assert body["OIDCTokenInfo"]["Subject"] == "system:serviceaccount:cert-manager:dns01"
    expiration = emu.parse_timestamp(creds["Expiration"])
    assert 880 <= expiration - time.time() <= 905

    ak, sk, token = creds["AccessKeyId"], creds["AccessKeySecret"], creds["SecurityToken"]
    assert server.call("DescribeDomains", ak=ak, secret=sk, token=token)[0] == 200
    assert server.call("DescribeDomains", ak=ak, secret=sk)[1]["Code"] == "InvalidSecurityToken.MismatchWithAccessKey"
    assert server.call("DescribeDomains", ak=ak, secret=sk, token=token + "x")[1]["Code"] == \
        "InvalidSecurityToken.MismatchWithAccessKey"
    assert server.call("DescribeDomains", token="stray")[1]["Code"] == "InvalidSecurityToken.MismatchWithAccessKey"
    server.admin("POST", "sts/expire")
    status, body = server.call("DescribeDomains", ak=ak, secret=sk, token=token)
    assert (status, body["Code"]) == (400, "InvalidSecurityToken.Expired")


def test_sts_keys_through_the_core_sdk(server):
    from aliyunsdkalidns.request.v20150109.AddDomainRecordRequest import AddDomainRecordRequest
    from aliyunsdkcore.auth.credentials import StsTokenCredential

    creds = assume(server)[1]["Credentials"]
    client = _core_client(credential=StsTokenCredential(creds["AccessKeyId"], creds["AccessKeySecret"],
                                                        creds["SecurityToken"]))
    add = _prepare(AddDomainRecordRequest(), server)
    add.set_DomainName("example.com")
    add.set_RR("_acme-challenge")
    add.set_Type("TXT")
    add.set_Value("via sts")
    assert json.loads(client.do_action_with_exception(add))["RecordId"].isdigit()


# ---------------------------------------------------------------------------
# 9. Process behaviour: port line, SIGTERM, state file, --min-ttl
# ---------------------------------------------------------------------------


def test_state_file_survives_restart_and_min_ttl_flag(tmp_path):
    state = tmp_path / "state.json"
    first = start_emulator(tmp_path, CONFIG, "--state-file", str(state), "--min-ttl", "60")
    try:
        add_txt(first, "_acme-challenge", "kept", TTL=60)
    finally:
        assert stop_emulator(first) == 0
    assert json.loads(state.read_text())["records"][0]["value"] == "kept"
    second = start_emulator(tmp_path, CONFIG, "--state-file", str(state))
    try:
        records = second.state()["records"]
        assert [(r["Value"], r["TTL"]) for r in records] == [("kept", 60)]
        new_id = add_txt(second, "_acme-challenge", "new")
        assert int(new_id) > int(records[0]["RecordId"])
    finally:
        assert stop_emulator(second) == 0


def test_admin_rejects_unknown_routes_and_bad_json(server):
    assert server.http("GET", "/__admin/nothing")[0] == 404
    assert server.http("POST", "/__admin/faults", b"{not json", "application/json")[0] == 400
