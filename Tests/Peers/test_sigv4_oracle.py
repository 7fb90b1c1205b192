"""Tests for sigv4_oracle.py: it is driven as a subprocess, the way the Swift tests use it."""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path

import pytest

ORACLE = Path(__file__).with_name("sigv4_oracle.py")
AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def suite(**kw):
    req = {"method": "GET", "host": "example.amazonaws.com", "path": "/",
           "accessKeyId": AKID, "secretAccessKey": SECRET, "sessionToken": None,
           "region": "us-east-1", "service": "service", "amzDate": "20150830T123600Z"}
    req.update(kw)
    return req


@pytest.fixture(scope="module")
def oracle():
    proc = subprocess.Popen([sys.executable, str(ORACLE)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)

    def ask(req):
        # One line in, one line out: this blocks forever if the oracle does not flush.
        proc.stdin.write(json.dumps(req) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        assert line, "oracle closed stdout"
        return json.loads(line)

    yield ask
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0


def independent_signature(secret, date, region, service, string_to_sign):
    def h(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()
    k = h(h(h(h(("AWS4" + secret).encode(), date), region), service), "aws4_request")
    return hmac.new(k, string_to_sign.encode(), hashlib.sha256).hexdigest()


# (case, request fields, expected signature, expected signed headers, string-to-sign hash or None)
VECTORS = [
    ("get-vanilla", {}, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
     "host;x-amz-date", "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"),
    ("get-vanilla-query-order-key-case", {"query": [["Param2", "value2"], ["Param1", "value1"]]},
     "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
     "host;x-amz-date", "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0"),
    ("get-vanilla-with-session-token",
     {"sessionToken": "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"},
     "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
     "host;x-amz-date;x-amz-security-token",
     "067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b"),
    ("post-vanilla", {"method": "POST"}, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
     "host;x-amz-date", None),
    ("post-vanilla-query", {"method": "POST", "query": [["Param1", "value1"]]},
     "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11", "host;x-amz-date", None),
    ("post-x-www-form-urlencoded (original suite)",
     {"method": "POST", "headers": {"Content-Type": "application/x-www-form-urlencoded"},
      "body_b64": base64.b64encode(b"Param1=value1").decode()},
     "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", "content-type;host;x-amz-date", None),
    ("post-x-www-form-urlencoded (aws-c-auth: content-length + x-amz-content-sha256 on the request)",
     {"method": "POST", "body": "Param1=value1",
      "headers": [["Content-Type", "application/x-www-form-urlencoded"], ["Content-Length", "13"],
                  ["X-Amz-Content-SHA256", "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"]]},
     "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b",
     "content-length;content-type;host;x-amz-content-sha256;x-amz-date", None),
    ("route53 list zones by name (self-computed)",
     {"host": "route53.amazonaws.com", "service": "route53", "path": "/2013-04-01/hostedzonesbyname",
      "query": [["dnsname", "example.com"]]},
     "42e6732f4ddcace4763b1d3cac7f964a50c56b9cce59b1e0b0b1973c1f049c04", "host;x-amz-date",
     "62d2a76a85834c088a5229a5895d8f799d740d031c7c1668b21cc3e1698387ba"),
    ("route53 get change (self-computed)",
     {"host": "route53.amazonaws.com", "service": "route53", "path": "/2013-04-01/change/C2682N5HXP0BZ4"},
     "af84eece3c09ff2d3caadc2a6939474a2cc49d92110ed0357a1c9f427748090f", "host;x-amz-date",
     "63948b498675082c1889349f7317b09d682442c028b4bd7467c94bc20a029d41"),
]


@pytest.mark.parametrize("case,fields,signature,signed,sts_hash", VECTORS, ids=[v[0] for v in VECTORS])
def test_published_vectors(oracle, case, fields, signature, signed, sts_hash):
    out = oracle(suite(**fields))
    assert "error" not in out, out
    assert out["signature"] == signature
    assert out["signedHeaders"] == signed
    scope = f"20150830/us-east-1/{fields.get('service', 'service')}/aws4_request"
    assert out["authorization"] == (
        f"AWS4-HMAC-SHA256 Credential={AKID}/{scope}, SignedHeaders={signed}, Signature={signature}")
    # The recorded intermediate values are consistent with each other.
    cr_hash = hashlib.sha256(out["canonicalRequest"].encode()).hexdigest()
    assert out["stringToSign"] == f"AWS4-HMAC-SHA256\n20150830T123600Z\n{scope}\n{cr_hash}"
    if sts_hash:
        assert cr_hash == sts_hash
    assert independent_signature(SECRET, "20150830", "us-east-1", fields.get("service", "service"),
                                 out["stringToSign"]) == signature


def test_canonical_request_of_get_vanilla_is_exact(oracle):
    out = oracle(suite())
    assert out["canonicalRequest"] == (
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY)
    assert out["wireURL"] == "https://example.amazonaws.com/"


def test_session_token_header_is_added_and_sent(oracle):
    out = oracle(suite(sessionToken="TOKEN"))
    assert ["X-Amz-Security-Token", "TOKEN"] in out["headers"]
    assert "x-amz-security-token:TOKEN\n" in out["canonicalRequest"]


def test_query_is_encoded_rfc3986_on_the_wire_and_sorted_encoded(oracle):
    out = oracle(suite(query=[["b", "x y/z+*~"], ["a b", "é"], ["flag", None], ["a+", "1"]]))
    assert out["wireURL"] == "https://example.amazonaws.com/?b=x%20y%2Fz%2B%2A~&a%20b=%C3%A9&flag&a%2B=1"
    assert out["canonicalRequest"].split("\n")[2] == "a%20b=%C3%A9&a%2B=1&b=x%20y%2Fz%2B%2A~&flag="


def test_repeated_query_names_sort_by_value(oracle):
    out = oracle(suite(query=[["k", "2"], ["k", "10"], ["k", "1"]]))
    assert out["canonicalRequest"].split("\n")[2] == "k=1&k=10&k=2"


def test_path_is_encoded_a_second_time_and_normalised(oracle):
    out = oracle(suite(path="/a%20b//./c/../d%2Fe/"))
    assert out["canonicalRequest"].split("\n")[1] == "/a%2520b/d%252Fe/"
    assert out["wireURL"] == "https://example.amazonaws.com/a%20b//./c/../d%2Fe/"


def test_get_space_differs_from_aws_c_auth_suite_as_documented(oracle):
    out = oracle(suite(path="/example%20space/"))
    assert out["canonicalRequest"].split("\n")[1] == "/example%2520space/"
    assert out["signature"] == "446b817944c553435b35e813c261ff4e161fff982d1bacdef1c87f6785dd1662"
    assert out["signature"] != "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"


def test_every_given_header_is_signed_except_blacklist(oracle):
    out = oracle(suite(headers={"User-Agent": "x", "X-Custom": "  a   b\tc ", "Connection": "keep-alive",
                                "Content-Type": "text/xml"}))
    assert out["signedHeaders"] == "content-type;host;x-amz-date;x-custom"
    assert "x-custom:a b c\n" in out["canonicalRequest"]


def test_host_header_with_port_and_http(oracle):
    out = oracle(suite(scheme="http", host="127.0.0.1:5000"))
    assert "host:127.0.0.1:5000\n" in out["canonicalRequest"]
    assert out["wireURL"] == "http://127.0.0.1:5000/"


def test_clock_is_pinned_from_input(oracle):
    out = oracle(suite(amzDate="20240229T235959Z"))
    assert ["X-Amz-Date", "20240229T235959Z"] in out["headers"]
    assert "Credential=AKIDEXAMPLE/20240229/us-east-1/service/aws4_request" in out["authorization"]


@pytest.mark.parametrize("fields,needle", [
    ({"path": "/a b"}, "not wire-encoded"),
    ({"headers": {"Date": "x"}}, "set by the signer"),
    ({"amzDate": "2015-08-30"}, "amzDate"),
    ({"region": None}, "region"),
    ({"query": [["only-name"]]}, "query entry"),
])
def test_bad_input_gives_error_line_and_oracle_keeps_going(oracle, fields, needle):
    out = oracle(suite(id="e1", **fields))
    assert needle in out["error"]
    assert out["id"] == "e1"
    assert oracle(suite(id=2))["id"] == 2


def test_non_json_line(oracle):
    out = oracle("not json")  # json.dumps makes it a JSON string, not an object
    assert "object" in out["error"]


def test_bench_mode_prints_figures():
    res = subprocess.run([sys.executable, str(ORACLE), "--bench", "200"], capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    figures = json.loads(res.stdout)
    assert figures["signatures"] == 200 and figures["signaturesPerSecond"] > 0


# ---------------------------------------------------------------------------------------------
# The rules documented in sigv4_oracle.py's header, implemented independently; 300 generated
# requests must give botocore's canonical request and signature.  If the documentation is wrong
# (and a Swift signer following it would disagree with botocore), this fails.

def _enc(text, safe="-_.~"):
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch.isascii() and (ch.isalnum() or ch in safe):
            out.append(ch)
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _remove_dot_segments(path):
    out = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if out:
                out.pop()
        else:
            out.append(seg)
    result = "/" + "/".join(out)
    if path.endswith("/") and out:
        result += "/"
    return result


def spec_sign(req):
    wire_query = [(_enc(k), None if v is None else _enc(v)) for k, v in req.get("query", [])]
    canonical_query = "&".join(f"{k}={v or ''}" for k, v in sorted((k, v or "") for k, v in wire_query))
    headers = {}
    for name, value in req.get("headers", []):
        headers.setdefault(name.lower(), []).append(" ".join(value.split()))
    headers.setdefault("host", [req["host"]])
    headers["x-amz-date"] = [req["amzDate"]]
    if req.get("sessionToken"):
        headers["x-amz-security-token"] = [req["sessionToken"]]
    names = sorted(headers)
    body = base64.b64decode(req.get("body_b64", ""))
    canonical = "\n".join([
        req["method"], _enc(_remove_dot_segments(req["path"]), safe="-_.~/"), canonical_query,
        "".join(f"{n}:{','.join(headers[n])}\n" for n in names), ";".join(names),
        hashlib.sha256(body).hexdigest()])
    scope = f"{req['amzDate'][:8]}/{req['region']}/{req['service']}/aws4_request"
    sts = f"AWS4-HMAC-SHA256\n{req['amzDate']}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    return canonical, independent_signature(req["secretAccessKey"], req["amzDate"][:8], req["region"],
                                            req["service"], sts)


def generated_requests(n, seed=20150830):
    import random
    rnd = random.Random(seed)
    alphabet = "abcXYZ019-_.~ /?&=+*%:@!$'(),;é€😀\t"
    word = lambda k: "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, k)))  # noqa: E731
    for i in range(n):
        segments = [_enc(word(6)) for _ in range(rnd.randint(0, 4))]
        if rnd.random() < 0.2:
            segments.insert(rnd.randint(0, len(segments)), rnd.choice([".", "..", ""]))
        path = "/" + "/".join(segments) + ("/" if rnd.random() < 0.3 else "")
        query = [[word(5), None if rnd.random() < 0.1 else word(8)] for _ in range(rnd.randint(0, 4))]
        query = [q for q in query if q[0]]
        headers = [["Content-Type", rnd.choice(["text/xml", "application/x-www-form-urlencoded", "a  b\t c "])]] \
            if rnd.random() < 0.5 else []
        if rnd.random() < 0.3:
            headers.append(["X-Amz-Meta-" + rnd.choice("abc"), "  v " + word(4).replace("\t", " ") + " "])
        body = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 64))) if rnd.random() < 0.5 else b""
        yield {"id": i, "method": rnd.choice(["GET", "POST", "DELETE"]), "host": "route53.amazonaws.com",
               "path": path, "query": query, "headers": headers,
               "body_b64": base64.b64encode(body).decode(), "accessKeyId": "AKIDEXAMPLE",
               "secretAccessKey": SECRET, "sessionToken": rnd.choice([None, "tok/en+=="]),
               "region": rnd.choice(["us-east-1", "cn-northwest-1"]), "service": rnd.choice(["route53", "sts"]),
               "amzDate": "20150830T123600Z"}


def test_documented_rules_agree_with_botocore_on_300_generated_requests():
    reqs = list(generated_requests(300))
    res = subprocess.run([sys.executable, str(ORACLE)], input="".join(json.dumps(r) + "\n" for r in reqs),
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    outs = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o.get("id") for o in outs] == list(range(300))
    for req, out in zip(reqs, outs):
        assert "error" not in out, (req, out)
        canonical, signature = spec_sign(req)
        assert out["canonicalRequest"] == canonical, req
        assert out["signature"] == signature, req
