#!/usr/bin/env python3
"""SigV4 oracle: signs requests with botocore's own SigV4 signer.

Used by the Swift differential tests: the test starts
``python3 Tests/Peers/sigv4_oracle.py`` as a subprocess, writes one JSON
object per line on stdin and reads exactly one JSON line back per request
(stdout is flushed after each line).  EOF on stdin ends the process (exit 0).

Signing is done by ``botocore.auth.SigV4Auth.add_auth`` on a
``botocore.awsrequest.AWSRequest``.  The oracle only *observes* botocore
(a subclass records the canonical request / string to sign / signature that
botocore computes); it never computes any part of the signature itself.

Input (one line)
----------------
::

    {"id": 7,                                   # optional, echoed back
     "method": "POST",
     "scheme": "https",                         # optional, default https
     "host": "route53.amazonaws.com",           # authority, may carry :port
     "path": "/2013-04-01/hostedzone/Z1/rrset",
     "query": [["name", "value"], ...],         # optional, default []
     "headers": {"content-type": "..."},        # optional; or [[name, value], ...]
     "body_b64": "...",                         # optional (or "body": utf-8 text)
     "accessKeyId": "...", "secretAccessKey": "...",
     "sessionToken": null,                      # or a string
     "region": "us-east-1", "service": "route53",
     "amzDate": "20150830T123600Z"}

* ``path`` is the path exactly as it goes on the wire, i.e. already
  percent-encoded by the client (``/a%20b``, not ``/a b``).  The oracle
  rejects a path with characters that cannot appear on the wire (space,
  ``?``, ``#``, controls, non-ASCII) so a test cannot silently mean
  something else.
* ``query`` are raw, *unencoded* (name, value) pairs, in the order the client
  sends them.  The client encodes each name and value with RFC 3986
  unreserved rules: ``A-Z a-z 0-9 - _ . ~`` kept, every other UTF-8 byte as
  ``%XX`` with upper-case hex (space -> ``%20``, never ``+``; ``/`` -> ``%2F``)
  and joins them ``n=v&n=v`` in the given order.  A value of ``null`` means
  "name only" (``?flag``, no ``=``).  The oracle builds the wire URL exactly
  that way, ``<scheme>://<host><path>[?<query>]``, and hands it to botocore.
* ``headers``: the headers the request carries *before* signing.  The oracle
  adds nothing except what botocore adds itself (``X-Amz-Date``,
  ``X-Amz-Security-Token`` when ``sessionToken`` is set, and ``host`` taken
  from the URL when no ``host`` header is given).  ``date``, ``authorization``,
  ``x-amz-date`` and ``x-amz-security-token`` are refused in the input (see
  below).
* ``amzDate`` pins botocore's clock: ``botocore.auth`` reads the time through
  ``get_current_datetime`` (imported from ``botocore.compat`` into the
  ``botocore.auth`` namespace); the oracle patches that name for the duration
  of one ``add_auth`` call and afterwards checks that the ``X-Amz-Date``
  botocore wrote equals ``amzDate``, so a botocore release that reads the time
  some other way makes the oracle fail loudly instead of signing with the
  wall clock.

Output (one line)
-----------------
::

    {"id": 7, "authorization": "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...",
     "canonicalRequest": "...", "stringToSign": "...",
     "signedHeaders": "host;x-amz-date", "signature": "<64 hex>",
     "wireURL": "https://host/path?query",
     "headers": [[name, value], ...]}          # request headers after signing

On bad input: ``{"id": ..., "error": "<text>"}`` and the oracle goes on with
the next line.

``--bench N`` signs N Route53-shaped requests and prints
``{"signatures": N, "seconds": s, "signaturesPerSecond": r}`` (one core).

What botocore does (botocore 1.43.x, ``SigV4Auth``), i.e. what a compatible
signer must do to agree with it
------------------------------------------------------------------------------
1. Canonical URI = ``quote(remove_dot_segments(wire_path), safe='/~')``.
   ``remove_dot_segments`` drops ``.`` segments, resolves ``..`` and removes
   *empty* segments (``//`` collapses to ``/``); a trailing ``/`` is kept when
   something is left; an empty path is ``/``.  Then the whole path is
   percent-encoded again: every ``%`` of the wire path becomes ``%25``
   (``/a%20b`` -> ``/a%2520b``), every byte outside ``A-Za-z0-9-_.~/`` is
   encoded.  This is the non-S3 "double encoding" (S3SigV4Auth skips it).
   Route53 paths (``/2013-04-01/hostedzone/Z1/rrset``) and STS (``/``) are
   unaffected, but a signer that signs the wire path once disagrees as soon as
   the path contains a ``%``.
2. Canonical query: botocore does *not* re-encode the query.  It takes the
   wire query string, splits it on ``&``, splits each pair at the first
   ``=`` (``flag`` -> ``flag=``), sorts the (name, value) pairs as strings
   (so by encoded name, then encoded value, ASCII order) and joins with
   ``&``.  A signer that sorts raw names and then encodes can disagree (e.g.
   ``a b`` vs ``a+`` vs ``a_``); sort the *encoded* strings.
3. Signed headers: **every header present on the request** except
   ``connection, expect, keep-alive, proxy-authenticate, proxy-authorization,
   te, trailer, transfer-encoding, upgrade, user-agent, x-amzn-trace-id``.
   ``host`` is added from the URL when absent (lower-case, port omitted when
   it is the scheme's default).  ``x-amz-date`` is always added and signed;
   ``x-amz-security-token`` is added and signed whenever a session token is
   used.  So: give the oracle exactly the headers your signer signs (e.g.
   ``content-type`` for a POST), and do not add unsigned headers other than
   the ones above (``content-length`` added later by an HTTP client is not
   signed by botocore because botocore signs before the body is framed).
   Names are lower-cased; values are trimmed and every run of whitespace
   (any ``str.split()`` whitespace, incl. tabs) becomes one space; repeated
   names are joined with ``,``.
4. If a ``Date`` header is present botocore rewrites it, signs *it* and drops
   ``X-Amz-Date`` -- the oracle refuses ``date`` so that mode never appears.
5. Payload hash: hex SHA-256 of the body (empty body ->
   ``e3b0c442...b855``).  If the request carries ``X-Amz-Content-SHA256`` its
   value is used verbatim (and signed as a header).
6. Scope, string to sign, key derivation and the ``Authorization`` layout
   (``, `` separators) are exactly as in the AWS documentation.
7. What a real boto3 client signs (observed with a ``before-send`` hook,
   botocore 1.43.11): Route53 GET and POST sign only ``host;x-amz-date``
   (+ ``x-amz-security-token``) -- the rrset POST carries no Content-Type and
   its Content-Length is added after signing; STS (form POST) signs
   ``content-type;host;x-amz-date``; ``User-Agent``, ``amz-sdk-invocation-id``
   and ``amz-sdk-request`` are never signed.

Rules 1-5 are re-implemented independently in test_sigv4_oracle.py and checked
against botocore on 300 generated requests (reserved and non-ASCII characters
in paths and queries, dot segments, empty segments, name-only query keys,
whitespace in header values, binary bodies, session tokens).

Differences to the published AWS test suite: none for get-vanilla,
get-vanilla-query-order-key-case, get-vanilla-with-session-token, post-vanilla
and post-x-www-form-urlencoded, *provided the input carries the same headers as
the suite's request* -- botocore signs every header it is given, so the
aws-c-auth flavour of post-x-www-form-urlencoded (which also has
``Content-Length`` and ``X-Amz-Content-SHA256`` on the request) gives that
suite's signature only when those two headers are in the input, and the
original-suite flavour (only ``Content-Type``) gives the original signature.
One documented disagreement: aws-c-auth's ``get-space-normalized`` writes
the request as ``GET /example space/`` and canonicalises the path *once*
(``/example%20space/``, signature ``65248758...6741``).  A space cannot go on
the wire, so the oracle's input is the wire path ``/example%20space/``, which
botocore encodes again (``/example%2520space/``, signature
``446b8179...1662``).  AWS documents the double encoding for every service
but S3, so botocore is the one to follow for real requests; the suite's
raw-path cases only agree when the raw path needs no encoding.
"""

from __future__ import annotations

import base64
import datetime
import json
import sys
import time
from unittest import mock
from urllib.parse import quote

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"
REFUSED_HEADERS = {"date", "authorization", "x-amz-date", "x-amz-security-token"}
_WIRE_PATH_OK = set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    "-._~!$&'()*+,;=:@/%"
)


class OracleError(ValueError):
    pass


def encode_rfc3986(text: str) -> str:
    """Percent-encode with the RFC 3986 unreserved set kept (UTF-8, upper hex)."""
    return quote(text, safe="-_.~", encoding="utf-8")


def build_query(pairs) -> str:
    parts = []
    for pair in pairs or []:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise OracleError(f"query entry must be [name, value], got {pair!r}")
        name, value = pair
        if not isinstance(name, str) or not (value is None or isinstance(value, str)):
            raise OracleError(f"query name/value must be strings, got {pair!r}")
        if value is None:
            parts.append(encode_rfc3986(name))
        else:
            parts.append(f"{encode_rfc3986(name)}={encode_rfc3986(value)}")
    return "&".join(parts)


def build_wire_url(scheme: str, host: str, path: str, query_pairs) -> str:
    if not path.startswith("/"):
        raise OracleError("path must start with '/'")
    bad = sorted({c for c in path if c not in _WIRE_PATH_OK})
    if bad:
        raise OracleError(f"path is not wire-encoded, offending characters: {bad!r}")
    query = build_query(query_pairs)
    return f"{scheme}://{host}{path}" + (f"?{query}" if query else "")


class _RecordingSigV4Auth(botocore.auth.SigV4Auth):
    """botocore's SigV4Auth, recording the intermediate values it computes."""

    recorded: dict

    def string_to_sign(self, request, canonical_request):
        result = super().string_to_sign(request, canonical_request)
        self.recorded["canonicalRequest"] = canonical_request
        self.recorded["stringToSign"] = result
        return result

    def signature(self, string_to_sign, request):
        result = super().signature(string_to_sign, request)
        self.recorded["signature"] = result
        return result


def _header_items(headers):
    if headers is None:
        return []
    if isinstance(headers, dict):
        items = list(headers.items())
    elif isinstance(headers, list):
        items = [tuple(h) for h in headers]
    else:
        raise OracleError("headers must be an object or a list of [name, value]")
    for item in items:
        if len(item) != 2 or not all(isinstance(x, str) for x in item):
            raise OracleError(f"bad header {item!r}")
        if item[0].lower() in REFUSED_HEADERS:
            raise OracleError(f"header {item[0]!r} is set by the signer, not the input")
    return items


def sign(req: dict) -> dict:
    for key in ("method", "host", "path", "accessKeyId", "secretAccessKey", "region", "service", "amzDate"):
        if not isinstance(req.get(key), str) or not req[key]:
            raise OracleError(f"missing or non-string field {key!r}")
    try:
        when = datetime.datetime.strptime(req["amzDate"], SIGV4_TIMESTAMP)
    except ValueError as exc:
        raise OracleError(f"amzDate must look like 20150830T123600Z: {exc}") from None
    if "body_b64" in req and req["body_b64"] is not None:
        body = base64.b64decode(req["body_b64"], validate=True)
    elif req.get("body") is not None:
        body = req["body"].encode("utf-8")
    else:
        body = b""
    scheme = req.get("scheme") or "https"
    if scheme not in ("https", "http"):
        raise OracleError("scheme must be http or https")
    url = build_wire_url(scheme, req["host"], req["path"], req.get("query"))

    request = AWSRequest(method=req["method"], url=url, data=body or None)
    for name, value in _header_items(req.get("headers")):
        request.headers[name] = value

    creds = Credentials(req["accessKeyId"], req["secretAccessKey"], req.get("sessionToken") or None)
    signer = _RecordingSigV4Auth(creds, req["service"], req["region"])
    signer.recorded = {}
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: when):
        signer.add_auth(request)
    if request.headers.get("X-Amz-Date") != req["amzDate"]:
        raise OracleError(
            "botocore did not use the pinned clock "
            f"(X-Amz-Date={request.headers.get('X-Amz-Date')!r}); update the oracle"
        )
    authorization = request.headers["Authorization"]
    signed = authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0]
    out = {
        "authorization": authorization,
        "canonicalRequest": signer.recorded["canonicalRequest"],
        "stringToSign": signer.recorded["stringToSign"],
        "signedHeaders": signed,
        "signature": signer.recorded["signature"],
        "wireURL": url,
        "headers": [[k, v] for k, v in request.headers.items()],
    }
    if "id" in req:
        out["id"] = req["id"]
    return out


def handle_line(line: str) -> dict:
    try:
        req = json.loads(line)
        if not isinstance(req, dict):
            raise OracleError("input line must be a JSON object")
    except (json.JSONDecodeError, OracleError) as exc:
        return {"error": str(exc)}
    try:
        return sign(req)
    except (OracleError, ValueError, TypeError, KeyError) as exc:
        out = {"error": str(exc) or type(exc).__name__}
        if "id" in req:
            out["id"] = req["id"]
        return out


def bench(n: int) -> dict:
    """Bare botocore throughput: a fresh AWSRequest + SigV4Auth.add_auth per signature."""
    when = datetime.datetime(2015, 8, 30, 12, 36, 0)
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    body = b"<ChangeResourceRecordSetsRequest/>" * 20
    url = "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1D633PJN98FT9/rrset"
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: when):
        start = time.perf_counter()
        for _ in range(n):
            request = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "text/xml"})
            botocore.auth.SigV4Auth(creds, "route53", "us-east-1").add_auth(request)
        secs = time.perf_counter() - start
    return {"signatures": n, "seconds": round(secs, 4), "signaturesPerSecond": round(n / secs, 1)}


def main(argv) -> int:
    if len(argv) == 3 and argv[1] == "--bench":
        print(json.dumps(bench(int(argv[2]))), flush=True)
        return 0
    if len(argv) != 1:
        print("usage: sigv4_oracle.py [--bench N]  (JSON lines on stdin)", file=sys.stderr)
        return 2
    for line in sys.stdin:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(handle_line(line), separators=(",", ":")) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
