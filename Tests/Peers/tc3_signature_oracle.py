#!/usr/bin/env python3
"""TC3-HMAC-SHA256 oracle over Tencent Cloud's OFFICIAL Python SDK (tencentcloud-sdk-python-common).

Protocol (JSON lines, one answer line per input line, flushed after each):

    in:  {"secretId": "AKID...", "secretKey": "...", "service": "dnspod", "timestamp": 1700000000,
          "method": "POST", "host": "dnspod.tencentcloudapi.com", "contentType": "application/json",
          "query": "", "body": "{...}", "stringToSign": "..."}
    out: {"date": "2023-11-14", "signature": "...", "authorization": "...", "chainSignature": "..."}

``signature`` is ``AbstractClient._get_tc3_signature`` (canonical request,
string to sign, key chain and final HMAC: the function the SDK's
``_build_req_with_tc3_signature`` calls) on a ``RequestInternal`` carrying the
given method, ``/``, body (POST) or query (GET), ``Content-Type`` and ``Host``.
``date`` is derived from the timestamp exactly as the SDK derives it, and
``authorization`` is the header the SDK builds from them.  ``chainSignature``
is ``Sign.sign_tc3(secretKey, date, service, stringToSign)``: the key chain
and final HMAC applied to the caller's own string to sign.  Nothing here
re-implements the algorithm.

``--bench N`` instead signs N typical DNSPod ``CreateRecord`` requests with
``_get_tc3_signature`` on one thread and prints ``{"signatures": N,
"seconds": s, "perSecond": r}``.

A line that cannot be processed is answered with ``{"error": "..."}`` so the
caller stays in step.  End of input ends the process with status 0.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from typing import Any, Dict

from tencentcloud.common.abstract_client import AbstractClient
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.sign import Sign


def _date(timestamp: int) -> str:
    # abstract_client: datetime.utcfromtimestamp(timestamp).strftime('%Y-%m-%d')
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


def _request(method: str, host: str, content_type: str, query: str, body: str) -> RequestInternal:
    req = RequestInternal(host, method, "/")
    req.header["Content-Type"] = content_type
    req.header["Host"] = host
    req.data = query if method == "GET" else body
    return req


def sign(request: Dict[str, Any]) -> Dict[str, Any]:
    timestamp = int(request["timestamp"])
    date = _date(timestamp)
    service = request["service"]
    req = _request(request["method"], request["host"], request["contentType"], request.get("query", ""), request.get("body", ""))
    req.header["X-TC-Timestamp"] = str(timestamp)
    signature = AbstractClient._get_tc3_signature(None, {}, req, date, service, request["secretKey"])
    authorization = "TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, SignedHeaders=content-type;host, Signature=%s" % (
        request["secretId"], date, service, signature)
    answer = {"date": date, "signature": signature, "authorization": authorization}
    if "stringToSign" in request:
        answer["chainSignature"] = Sign.sign_tc3(request["secretKey"], date, service, request["stringToSign"])
    return answer


def bench(count: int) -> Dict[str, Any]:
    body = json.dumps({"Domain": "example.com", "DomainId": 70000001, "SubDomain": "_acme-challenge.www", "RecordType": "TXT",
                       "RecordLine": "\u9ed8\u8ba4", "Value": "y5c1hrIvlwPVlnnGKnNS2tf5bKmGWLSsj1yHzJsNCVQ", "TTL": 600})
    start = time.perf_counter()
    for i in range(count):
        req = _request("POST", "dnspod.tencentcloudapi.com", "application/json", "", body)
        req.header["X-TC-Timestamp"] = str(1700000000 + i)
        AbstractClient._get_tc3_signature(None, {}, req, _date(1700000000 + i), "dnspod", "dnspod-test-secret")
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
