"""Proves akamai_emulator.py honest with the OFFICIAL EdgeGrid Python library
(``edgegrid-python``: ``akamai.edgegrid.EdgeGridAuth`` on a ``requests``
session) and with the published EdgeGrid test vectors, which ship inside
that package (``akamai/edgegrid/test/testdata.json`` and ``testcases.json``)
and are restated in providers-builtin.md §6.4.

Run: python3 -m pytest -q -p no:cacheprovider Tests/Peers/test_akamai_emulator.py
"""

from __future__ import annotations

import base64
import calendar
import concurrent.futures
import http.client
import json
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import akamai.edgegrid  # noqa: E402
from akamai.edgegrid import EdgeGridAuth  # noqa: E402
from akamai.edgegrid.edgegrid import EdgeGridAuthHeaders  # noqa: E402

import akamai_emulator as emu  # noqa: E402
import emulator_testlib as lib  # noqa: E402

SCRIPT = "akamai_emulator.py"
HOST = "akab-emulator00000000-0000000000000000.luna.akamaiapis.net"
CLIENT = {"client_token": "akab-cccccccccccccccc-0000000000000000",
          "client_secret": "c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDA=",
          "access_token": "akab-aaaaaaaaaaaaaaaa-0000000000000000"}
ORG_ONLY = {"client_token": "akab-cccccccccccccccc-1111111111111111",
            "client_secret": "c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDE=",
            "access_token": "akab-aaaaaaaaaaaaaaaa-1111111111111111"}
NAME = "_acme-challenge.example.com"
RS = f"/config-dns/v2/zones/example.com/names/{NAME}/types/TXT"
V1 = "LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM"
V2 = "xg6Wn8DnRzJvwzS8bFmNQsYTjOvTx7kTOPGYs4Y8XkE"
V3 = "3wq-oTNIU_3D2PeHsm0M3wHgFT6G9xjS4Zv2qmYwkr8"

VECTOR_DIR = Path(akamai.edgegrid.__file__).resolve().parent / "test"
TESTDATA = json.loads((VECTOR_DIR / "testdata.json").read_text())
TESTCASES = json.loads((VECTOR_DIR / "testcases.json").read_text())
SIGNABLE = [c for c in TESTCASES if "failsWithMessage" not in c]
# providers-builtin.md §6.4's table, by test name: the vectors must be the ones the reference restates
REFERENCE_SIGNATURES = {
    "simple GET": "tL+y4hxyHxgWVD30X3pWnGKHcPzmrIF+LThiAOhMxYU=",
    "GET with querystring": "hKDH1UlnQySSHjvIcZpDMbQHihTQ0XyVAKZaApabdeA=",
    "POST inside limit": "hXm4iCxtpN22m4cbZb4lVLW5rhX8Ca82vCFqXzSTPe4=",
    "POST too large": "6Q6PiTipLae6n4GsSIDTCJ54bEbHUBp+4MUXrbQCBoY=",
    "POST length equals max_body": "6Q6PiTipLae6n4GsSIDTCJ54bEbHUBp+4MUXrbQCBoY=",
    "POST empty body": "1gEDxeQGD5GovIkJJGcBaKnZ+VaPtrc4qBUHixjsPCQ=",
    "Simple header signing with GET": "8F9AybcRw+PLxnvT+H0JRkjROrrUgsxJTnRXMzqvcwY=",
    "Header containing spaces": "ucq2AbjCNtobHfCTuS38fdkl5UDdWHZhQX46fYR8CqI=",
    "Headers out of order": "Wus73Nx8jOYM+kkBFF2q8D1EATRIMr0WLWwpLBgkBqY=",
    "Extra header": "Knd/jc0A5Ghhizjayr0AUUvl2MZjBpS3FDSzvtq4Ixc=",
    "PUT test": "GNBWEYSEWOLtu+7dD52da2C39aX/Jchpon3K/AmBqBU=",
    "PATCH test": "JIl05ImY1AOnMtmw+9LKgaFA8mnzsEKabbnHmI8LsQ4=",
    "GET with query params": "XM+hsuSs6nuy/5eDRty1IjtVCAdr8xPFRAZ/b8RXDm8=",
    "GET with query params and separator in path": "pmQF7Is2+O4r/mMojPR4yeF58BrempNNoBX5/DT0Fxs=",
}
VECTOR_HOST = "akaa-baseurl-xxxxxxxxxxx-xxxxxxxxxxxxx.luna.akamaiapis.net"
VECTOR_EPOCH = calendar.timegm(time.strptime(TESTDATA["timestamp"][:17], "%Y%m%dT%H:%M:%S"))


def flip(signature: str) -> str:
    raw = bytearray(base64.b64decode(signature))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode()


def prepared_vector(case):
    headers = {}
    for item in case["request"].get("headers") or []:
        headers.update(item)
    return requests.Request(method=case["request"]["method"], url=urljoin(TESTDATA["base_url"], case["request"]["path"]),
                            headers=headers, data=case["request"].get("data")).prepare()


def vector_auth() -> EdgeGridAuthHeaders:
    return EdgeGridAuthHeaders(TESTDATA["client_token"], TESTDATA["client_secret"], TESTDATA["access_token"],
                               headers_to_sign=TESTDATA["headers_to_sign"], max_body=TESTDATA["max_body"])


def body_bytes(prepared) -> bytes:
    body = prepared.body or b""
    return body.encode() if isinstance(body, str) else body


def verify(header, prepared, *, method=None, host=VECTOR_HOST, body=None, headers=None, secret=None, scheme="https"):
    hdrs = list((headers if headers is not None else prepared.headers).items())
    return emu.verify_authorization(header, method=method or prepared.method, scheme=scheme, host=host,
                                    target=prepared.path_url, headers=hdrs,
                                    body=body_bytes(prepared) if body is None else body,
                                    client_secret=secret or TESTDATA["client_secret"],
                                    headers_to_sign=TESTDATA["headers_to_sign"], max_body=TESTDATA["max_body"])


# ---------------------------------------------------------------------------
# 1. The published vectors: edgegrid-python produces them, the emulator's verifier agrees
# ---------------------------------------------------------------------------


def test_vector_files_match_the_reference_table():
    assert {c["testName"] for c in SIGNABLE} == set(REFERENCE_SIGNATURES)
    for case in SIGNABLE:
        assert case["expectedAuthorization"].endswith("signature=" + REFERENCE_SIGNATURES[case["testName"]])
    assert emu.signing_key(TESTDATA["client_secret"], TESTDATA["timestamp"]) == TESTDATA["sign_key_test"]
    assert emu.content_hash("POST", b"test_body", 2048) == TESTDATA["content_hash_test"]
    assert emu.content_hash("PUT", b"test_body", 2048) == ""
    assert emu.content_hash("POST", b"", 2048) == ""


@pytest.mark.parametrize("case", SIGNABLE, ids=[c["testName"] for c in SIGNABLE])
def test_verifier_agrees_with_edgegrid_python_on_vectors(case):
    prepared = prepared_vector(case)
    header = vector_auth().make_auth_header(prepared, TESTDATA["timestamp"], TESTDATA["nonce"])
    assert header == case["expectedAuthorization"]  # the official library reproduces the vector
    assert verify(header, prepared)  # ... and the emulator accepts exactly it
    fields = emu.parse_authorization(header)
    data = emu.data_to_sign(prepared.method, "https", VECTOR_HOST, prepared.path_url,
                            emu.canonicalize_headers(list(prepared.headers.items()), TESTDATA["headers_to_sign"]),
                            emu.content_hash(prepared.method, body_bytes(prepared), TESTDATA["max_body"]), "")
    assert data == case["expectedDataToSign"]
    assert fields["unsigned"] + "signature=" + fields["signature"] == header
    # tampering is refused
    assert not verify(header[:-44] + flip(fields["signature"]), prepared)
    assert not verify(header, prepared, secret="y" * 43 + "=")
    assert not verify(header, prepared, host="akaa-other.luna.akamaiapis.net")
    assert not verify(header, prepared, scheme="http")
    assert not verify(header, prepared, method="DELETE")
    if prepared.method == "POST" and body_bytes(prepared):
        tampered = bytearray(body_bytes(prepared))
        tampered[0] ^= 1
        assert not verify(header, prepared, body=bytes(tampered))
        if len(body_bytes(prepared)) > TESTDATA["max_body"]:  # bytes past max_body are not signed
            assert verify(header, prepared, body=body_bytes(prepared)[:-1] + b"Z")
    if prepared.method in ("PUT", "PATCH"):  # no content hash: the body is not signed
        assert verify(header, prepared, body=b"anything else")
    signed = [h for h in TESTDATA["headers_to_sign"] if h in prepared.headers]
    if signed:
        changed = dict(prepared.headers)
        changed[signed[0]] = changed[signed[0]] + "x"
        assert not verify(header, prepared, headers=changed)
        collapsed = dict(prepared.headers)
        collapsed[signed[0]] = "  " + collapsed[signed[0]].replace(" ", "\t ") + " "
        assert verify(header, prepared, headers=collapsed)  # whitespace runs collapse, ends trimmed


@pytest.fixture(scope="module")
def vector_server(tmp_path_factory):
    config = {"host": VECTOR_HOST, "signedSchemes": ["https"], "maxBody": TESTDATA["max_body"],
              "headersToSign": TESTDATA["headers_to_sign"], "rejectReusedNonce": False,
              "clients": [{"clientToken": TESTDATA["client_token"], "clientSecret": TESTDATA["client_secret"],
                           "accessToken": TESTDATA["access_token"], "zones": "*"}], "zones": ["example.com"]}
    running = lib.start(SCRIPT, tmp_path_factory.mktemp("akamai-vectors"), config)
    running.admin("POST", "clock", {"now": VECTOR_EPOCH})
    yield running
    assert lib.stop(running) == 0


def send(running, method, target, headers, body=b""):
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        for key, value in headers.items():
            conn.putheader(key, value)
        if body or method in ("POST", "PUT", "PATCH"):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        if body:
            conn.send(body)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("case", SIGNABLE, ids=[c["testName"] for c in SIGNABLE])
def test_vectors_over_http(vector_server, case):
    """The vector requests, sent as-is at a frozen 2014 clock, pass authentication
    (they then get the gateway's 404: /testapi is not an Edge DNS route)."""
    prepared = prepared_vector(case)
    headers = dict(prepared.headers)
    headers["Host"] = VECTOR_HOST
    headers["Authorization"] = case["expectedAuthorization"]
    status, _, body = send(vector_server, prepared.method, prepared.path_url, headers, body_bytes(prepared))
    assert status == 404, body
    problem = json.loads(body)
    assert problem["status"] == 404 and "pep-authn" not in problem["type"]
    headers["Authorization"] = case["expectedAuthorization"][:-44] + flip(case["expectedAuthorization"][-44:])
    status, _, body = send(vector_server, prepared.method, prepared.path_url, headers, body_bytes(prepared))
    assert status == 401 and json.loads(body)["detail"] == "The signature does not match"


# ---------------------------------------------------------------------------
# 2. Edge DNS through requests + EdgeGridAuth
# ---------------------------------------------------------------------------


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


def session(creds=CLIENT, host_header=None, max_body=131072) -> requests.Session:
    s = requests.Session()
    s.auth = EdgeGridAuth(creds["client_token"], creds["client_secret"], creds["access_token"], max_body=max_body)
    s.headers.update({"Content-Type": "application/json", "Accept": "application/json"})
    if host_header:
        s.headers["Host"] = host_header
    return s


def body(*values, ttl=300):
    return {"name": NAME, "type": "TXT", "ttl": ttl, "rdata": ['"%s"' % v for v in values]}


def txt_sets(server):
    return [r for r in server.state()["recordsets"] if r["type"] == "TXT"]


def test_process_rules():
    lib.check_process_rules(SCRIPT)


def test_cert_manager_present_and_cleanup_flow(server):
    s, url = session(), server.base + RS
    response = s.get(url)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["title"]) == (404, "Not Found")
    response = s.post(url, json=body(V1))  # Present V1: GET 404, then POST
    assert response.status_code == 201 and response.json() == body(V1)
    current = s.get(url).json()  # Present V2: GET, append, PUT
    current["rdata"].append('"%s"' % V2)
    assert s.put(url, json=current).status_code == 200
    current = s.get(url).json()  # CleanUp V1: GET, remove, PUT (a value remains)
    assert current["rdata"] == ['"%s"' % V1, '"%s"' % V2]
    current["rdata"].remove('"%s"' % V1)
    assert s.put(url, json=current).status_code == 200
    assert s.get(url).json()["rdata"] == ['"%s"' % V2]  # CleanUp V2: GET, none remain, DELETE
    assert s.delete(url).status_code == 204
    assert s.get(url).status_code == 404
    state = server.state()
    assert [w["method"] for w in state["writes"]] == ["POST", "PUT", "PUT", "DELETE"]
    assert not any(w["staleRead"] for w in state["writes"])
    assert state["counts"] == {"recordset.get": 5, "recordset.create": 1, "recordset.replace": 2,
                               "recordset.delete": 1}


def test_configured_host_header_works_too(server):
    s = session(host_header=HOST)
    assert s.post(server.base + RS, json=body(V1)).status_code == 201
    response = session(host_header="akab-someone-else.luna.akamaiapis.net").get(server.base + RS)
    assert response.status_code == 400 and response.json()["detail"].startswith("Invalid host")


def test_txt_rdata_is_quoted_and_conflicts(server):
    s, url = session(), server.base + RS
    assert s.post(url, json={"name": NAME, "type": "TXT", "ttl": 300, "rdata": [V1]}).json()["rdata"] == ['"%s"' % V1]
    response = s.post(url, json=body(V2))
    assert response.status_code == 409 and response.json()["title"] == "Conflict"
    other = server.base + "/config-dns/v2/zones/example.com/names/x.example.com/types/TXT"
    assert s.put(other, json=dict(body(V1), name="x.example.com")).status_code == 404
    assert s.delete(other).status_code == 404
    assert s.post(other, json=body(V1)).status_code == 400  # name in body differs from the URL
    assert s.post(server.base + "/config-dns/v2/zones/example.com/names/x.example.net/types/TXT",
                  json=dict(body(V1), name="x.example.net")).status_code == 400


@pytest.mark.parametrize("creds,detail,status", [
    (dict(CLIENT, client_secret="d3Jvbmctc2VjcmV0LWZvci10ZXN0cy0wMDAwMDAwMDA="), "The signature does not match", 401),
    (dict(CLIENT, access_token="akab-aaaaaaaaaaaaaaaa-9999999999999999"), "Invalid authorization access token", 401),
    (dict(CLIENT, client_token="akab-cccccccccccccccc-9999999999999999"), "Invalid authorization client token", 401),
], ids=["wrong-secret", "wrong-access-token", "unknown-client-token"])
def test_bad_credentials(server, creds, detail, status):
    response = session(creds).post(server.base + RS, json=body(V1))
    assert response.status_code == status
    problem = response.json()
    assert problem["type"] == "https://problems.luna.akamaiapis.net/-/pep-authn/deny"
    assert (problem["title"], problem["status"], problem["detail"]) == ("Not authorized", status, detail)
    assert problem["instance"] == f"https://{HOST}{RS}" and problem["method"] == "POST"
    assert txt_sets(server) == []


def test_missing_header_stale_timestamp_and_reused_nonce(server):
    response = requests.get(server.base + RS)
    assert response.status_code == 401 and response.json()["detail"] == "Invalid authorization header"
    server.admin("POST", "clock", {"offsetSeconds": 31})
    response = session().get(server.base + RS)
    assert response.status_code == 400
    assert (response.json()["title"], response.json()["detail"]) == ("Bad request", "Invalid timestamp")
    server.admin("POST", "clock", {"offsetSeconds": -25})
    assert session().get(server.base + RS).status_code == 404  # within the 30 s window
    server.admin("POST", "clock", {})
    prepared = requests.Request("GET", server.base + RS).prepare()
    auth = EdgeGridAuthHeaders(CLIENT["client_token"], CLIENT["client_secret"], CLIENT["access_token"])
    stamp = time.strftime("%Y%m%dT%H:%M:%S+0000", time.gmtime())
    header = auth.make_auth_header(prepared, stamp, "11111111-2222-4333-8444-555555555555")
    assert requests.get(server.base + RS, headers={"Authorization": header}).status_code == 404
    replay = requests.get(server.base + RS, headers={"Authorization": header})
    assert replay.status_code == 401 and replay.json()["detail"] == "Invalid authorization nonce"


def test_body_changed_after_signing_and_max_body(server):
    prepared = requests.Request("POST", server.base + RS, json=body(V1),
                                headers={"Content-Type": "application/json"}).prepare()
    auth = EdgeGridAuthHeaders(CLIENT["client_token"], CLIENT["client_secret"], CLIENT["access_token"])
    header = auth.make_auth_header(prepared, time.strftime("%Y%m%dT%H:%M:%S+0000", time.gmtime()), "n-1")
    tampered = json.dumps(body(V2)).encode()
    response = requests.post(server.base + RS, data=tampered,
                             headers={"Authorization": header, "Content-Type": "application/json"})
    assert response.status_code == 401 and response.json()["detail"] == "The signature does not match"
    # a POST body larger than max_body: only the first max_body bytes are hashed; client and
    # server must agree on max_body (Edge DNS: 131072)
    many = [f"v{i:05d}-" + "x" * 40 for i in range(3000)]
    big = {"name": NAME, "type": "TXT", "ttl": 300, "rdata": many}
    assert len(json.dumps(big)) > 131072
    assert session(max_body=2048).post(server.base + RS, json=big).status_code == 401
    assert session().post(server.base + RS, json=big).status_code == 201


def test_https_signature_needs_signed_schemes(server, tmp_path):
    prepared = requests.Request("GET", f"https://{HOST}{RS}").prepare()
    auth = EdgeGridAuthHeaders(CLIENT["client_token"], CLIENT["client_secret"], CLIENT["access_token"])
    stamp = time.strftime("%Y%m%dT%H:%M:%S+0000", time.gmtime())
    headers = {"Host": HOST, "Authorization": auth.make_auth_header(prepared, stamp, "n-https")}
    assert requests.get(server.base + RS, headers=headers).status_code == 401
    config = json.loads(json.dumps(emu.DEFAULT_CONFIG))
    config["signedSchemes"] = ["http", "https"]
    running = lib.start(SCRIPT, tmp_path, config)
    try:
        assert requests.get(running.base + RS, headers=headers).status_code == 404  # authenticated
    finally:
        assert lib.stop(running) == 0


def test_zone_grants(server):
    s = session(ORG_ONLY)
    response = s.post(server.base + RS, json=body(V1))
    assert response.status_code == 403 and response.json()["title"] == "Forbidden"
    org = "/config-dns/v2/zones/example.org/names/_acme-challenge.example.org/types/TXT"
    assert s.post(server.base + org, json=dict(body(V1), name="_acme-challenge.example.org")).status_code == 201
    zones = s.get(server.base + "/config-dns/v2/zones?search=example").json()
    assert [z["zone"] for z in zones["zones"]] == ["example.org"]
    assert session().get(server.base + "/config-dns/v2/zones/example.com").json()["activationState"] == "ACTIVE"
    assert session().get(server.base + "/config-dns/v2/zones/nothere.example").status_code == 404


def test_read_modify_write_race_loses_a_value_and_is_recorded(server):
    server.admin("POST", "seed", {"recordsets": [{"zone": "example.com", "name": NAME, "type": "TXT", "ttl": 300,
                                                  "rdata": [V1]}]})
    a, b, url = session(), session(), server.base + RS
    seen_a, seen_b = a.get(url).json(), b.get(url).json()  # both read [V1]
    seen_a["rdata"].append('"%s"' % V2)
    seen_b["rdata"].append('"%s"' % V3)
    assert a.put(url, json=seen_a).status_code == 200
    assert b.put(url, json=seen_b).status_code == 200  # no ETag/If-Match: Akamai accepts it
    assert b.get(url).json()["rdata"] == ['"%s"' % V1, '"%s"' % V3]  # V2 is lost
    writes = server.state()["writes"]
    last = writes[-1]
    assert (last["method"], last["removed"], last["added"], last["staleRead"]) == ("PUT", ['"%s"' % V2],
                                                                                    ['"%s"' % V3], True)
    assert writes[-2]["staleRead"] is False


def test_concurrent_posts_one_conflicts(server):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(lambda v: session().post(server.base + RS, json=body(v)).status_code, [V1, V2]))
    assert codes == [201, 409]


def test_injected_throttle_and_5xx(server):
    server.faults(throttle=1, retryAfterSeconds=2, error5xx=1, methods=["PUT", "POST"])
    s = session()
    assert s.get(server.base + RS).status_code == 404  # a GET is not matched
    response = s.post(server.base + RS, json=body(V1))
    assert response.status_code == 429
    assert response.json()["title"] == "Too Many Requests"
    assert response.headers["X-RateLimit-Remaining"] == "0" and response.headers["Retry-After"] == "2"
    next_at = calendar.timegm(time.strptime(response.headers["X-RateLimit-Next"][:19], "%Y-%m-%dT%H:%M:%S"))
    assert 0 <= next_at - time.time() <= 3
    response = s.post(server.base + RS, json=body(V1))
    assert response.status_code == 503 and response.json()["type"] == "internal_error"
    assert s.post(server.base + RS, json=body(V1)).status_code == 201
    statuses = [(e["action"], e["status"], e["fault"]) for e in server.state()["requests"]]
    assert statuses[-3:] == [("recordset.create", 429, "throttle"), ("recordset.create", 503, "error5xx"),
                             ("recordset.create", 201, None)]
    server.faults(throttle=1)
    assert session(dict(CLIENT, client_secret="d3Jvbmc=")).get(server.base + RS).status_code == 401  # not consumed
    assert s.get(server.base + RS).status_code == 429


def test_recordsets_list_and_admin(server):
    s = session()
    s.post(server.base + RS, json=body(V1, V2))
    listed = s.get(server.base + "/config-dns/v2/zones/example.com/recordsets?types=TXT&page=1&pageSize=10").json()
    assert listed["metadata"]["totalElements"] == 1 and listed["recordsets"][0]["rdata"] == body(V1, V2)["rdata"]
    state = server.state()
    assert state["host"] == HOST and {z["zone"] for z in state["zones"]} == {"example.com", "example.org"}
    server.reset()
    assert txt_sets(server) == [] and server.state()["writes"] == []
    assert server.http("GET", "/__admin/nothing")[0] == 404
