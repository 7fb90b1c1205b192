#!/usr/bin/env python3
"""Signing oracle over Akamai's OFFICIAL EdgeGrid signer, edgegrid-python.

Protocol (JSON lines, one answer line per input line, flushed after each):

    in:  {"method": "POST", "url": "https://host/path;p?q", "headers": [["Name", "value"], ...],
          "bodyBase64": "...", "clientToken": "...", "clientSecret": "...", "accessToken": "...",
          "headersToSign": ["X-Test1", ...], "maxBody": 131072,
          "timestamp": "20140321T19:34:21+0000", "nonce": "..."}
    out: {"authorization": "...", "dataToSign": "...", "signingKey": "...", "contentHash": "..."}

Every field comes from ``akamai.edgegrid.EdgeGridAuthHeaders``: ``make_auth_header``
(exactly what ``EdgeGridAuth`` puts in the ``Authorization`` header), and its parts
``make_data_to_sign``, ``make_signing_key`` and ``make_content_hash``.  The request is
handed to the signer as the object ``requests`` would give it (``url``, ``method``,
``headers`` as a case-insensitive dict, ``body``) with the URL exactly as sent, so
nothing is re-encoded on the way; nothing here re-implements the algorithm.

``--vectors`` prints, instead, the published test vectors that ship with
edgegrid-python (``akamai/edgegrid/test/testdata.json`` and ``testcases.json``) as
one JSON object ``{"testdata": ..., "testcases": ...}``.

A line that cannot be processed is answered with ``{"error": "..."}`` so the caller
stays in step.  End of input ends the process with status 0.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from types import SimpleNamespace
from typing import Any, Dict

from akamai.edgegrid import edgegrid
from requests.structures import CaseInsensitiveDict


def sign(request: Dict[str, Any]) -> Dict[str, str]:
    headers = CaseInsensitiveDict()
    for name, value in request.get("headers", []):
        headers[name] = value
    body = base64.b64decode(request.get("bodyBase64", ""))
    prepared = SimpleNamespace(url=request["url"], method=request["method"], headers=headers, body=body or None)
    signer = edgegrid.EdgeGridAuthHeaders(
        request["clientToken"], request["clientSecret"], request["accessToken"],
        headers_to_sign=request.get("headersToSign", []), max_body=int(request.get("maxBody", 131072)))
    timestamp, nonce = request["timestamp"], request["nonce"]
    authorization = signer.make_auth_header(prepared, timestamp, nonce)
    unsigned = authorization[: authorization.rindex("signature=")]
    return {
        "authorization": authorization,
        "dataToSign": signer.make_data_to_sign(prepared, unsigned),
        "signingKey": signer.make_signing_key(timestamp),
        "contentHash": signer.make_content_hash(prepared.body or "", prepared.method),
    }


def vectors() -> Dict[str, Any]:
    directory = os.path.join(os.path.dirname(edgegrid.__file__), "test")
    with open(os.path.join(directory, "testdata.json"), encoding="utf-8") as data, \
            open(os.path.join(directory, "testcases.json"), encoding="utf-8") as cases:
        return {"testdata": json.load(data), "testcases": json.load(cases)}


def _answer(line: str) -> Dict[str, Any]:
    try:
        return sign(json.loads(line))
    except Exception as err:  # every input line gets exactly one answer line
        return {"error": f"{type(err).__name__}: {err}"}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--vectors"]:
        sys.stdout.write(json.dumps(vectors(), ensure_ascii=False) + "\n")
        return 0
    for line in sys.stdin:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(_answer(line), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    # AKAMAI_CLI* variables would add a User-Agent the Swift signer never sees.
    return 0


if __name__ == "__main__":
    for name in ("AKAMAI_CLI", "AKAMAI_CLI_VERSION", "AKAMAI_CLI_COMMAND", "AKAMAI_CLI_COMMAND_VERSION"):
        os.environ.pop(name, None)
    sys.exit(main())
