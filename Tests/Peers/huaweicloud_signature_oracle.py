#!/usr/bin/env python3
"""SDK-HMAC-SHA256 oracle over Huawei Cloud's OFFICIAL Python SDK core (huaweicloudsdkcore).

Protocol (JSON lines, one answer line per input line, flushed after each):

    in:  {"ak": "...", "sk": "...", "securityToken": null, "projectId": null,
          "method": "POST", "host": "dns.cn-north-4.myhuaweicloud.com",
          "path": "/v2/zones/abc/recordsets",          # as on the wire (percent-encoded)
          "query": [["name", "value"], ...],             # raw, unencoded pairs
          "headers": [["Content-Type", "application/json"], ...],
          "body": "...", "sdkDate": "20231114T221320Z"}
    out: {"authorization": "...", "canonicalRequest": "...", "stringToSign": "...",
          "signedHeaders": "..."}

The request is an ``SdkRequest`` signed by ``BasicCredentials(ak, sk,
projectId).with_security_token(token).sign_request(request)``: the SDK's own
path, which adds ``X-Project-Id`` and ``X-Security-Token`` before
``Signer.sign`` builds the canonical request, signs it and sets
``Authorization``.  ``X-Sdk-Date`` is given in the headers, which the SDK
then uses instead of its clock.  The oracle only *observes* the signer (it
records the canonical request and string to sign the SDK computes); it never
computes any part of the signature itself.

``--bench N`` instead signs N typical DNS ``CreateRecordSet`` requests with
``Signer.sign`` on one thread and prints ``{"signatures": N, "seconds": s,
"perSecond": r}``.

A line that cannot be processed is answered with ``{"error": "..."}`` so the
caller stays in step.  End of input ends the process with status 0.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, Dict

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

_observed: Dict[str, str] = {}
_original_string_to_sign = Signer._process_string_to_sign


def _recording_string_to_sign(self, canonical_request, t):
    result = _original_string_to_sign(self, canonical_request, t)
    _observed["canonicalRequest"] = canonical_request
    _observed["stringToSign"] = result
    return result


Signer._process_string_to_sign = _recording_string_to_sign


def _sdk_request(request: Dict[str, Any]) -> SdkRequest:
    headers = {name: value for name, value in request.get("headers", [])}
    headers["X-Sdk-Date"] = request["sdkDate"]
    body = request.get("body") or ""
    return SdkRequest(method=request["method"], schema="https", host=request["host"], resource_path=request["path"],
                      query_params=[(k, v) for k, v in request.get("query", [])], header_params=headers,
                      body=body.encode("utf-8") if body else "")


def sign(request: Dict[str, Any]) -> Dict[str, Any]:
    credentials = BasicCredentials(request["ak"], request["sk"], request.get("projectId"))
    if request.get("securityToken") is not None:
        credentials = credentials.with_security_token(request["securityToken"])
    _observed.clear()
    signed = credentials.sign_request(_sdk_request(request))
    authorization = signed.header_params["Authorization"]
    return {"authorization": authorization, "canonicalRequest": _observed.get("canonicalRequest"),
            "stringToSign": _observed.get("stringToSign"),
            "signedHeaders": authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0]}


def bench(count: int) -> Dict[str, Any]:
    body = json.dumps({"name": "_acme-challenge.www.example.com.", "type": "TXT", "ttl": 300,
                       "records": ['"y5c1hrIvlwPVlnnGKnNS2tf5bKmGWLSsj1yHzJsNCVQ"']}, separators=(",", ":"))
    signer = Signer(BasicCredentials("HWAKDNSTEST", "huawei-test-secret"))
    start = time.perf_counter()
    for i in range(count):
        request = SdkRequest(method="POST", schema="https", host="dns.cn-north-4.myhuaweicloud.com",
                             resource_path="/v2/zones/ff80808277ac1d2b0177d9f3a3e5b9b6/recordsets", query_params=[],
                             header_params={"Content-Type": "application/json", "User-Agent": "dns01-webhook",
                                            "X-Sdk-Date": "20231114T2213%02dZ" % (i % 60)},
                             body=body.encode("utf-8"))
        signer.sign(request)
    seconds = time.perf_counter() - start
    return {"signatures": count, "seconds": seconds, "perSecond": count / seconds}


def _answer(line: str) -> Dict[str, Any]:
    try:
        return sign(json.loads(line))
    except Exception as err:  # every input line gets exactly one answer line
        return {"error": f"{type(err).__name__}: {err}"}


def main(argv: list) -> int:
    if len(argv) == 3 and argv[1] == "--bench":
        print(json.dumps(bench(int(argv[2]))))
        return 0
    for line in sys.stdin:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(_answer(line), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
