#!/usr/bin/env python3
"""Signing oracle over Alibaba Cloud's OFFICIAL Python SDK (RPC signature V1).

Protocol (JSON lines, one answer line per input line, flushed after each):

    in:  {"method": "GET", "params": {...every parameter except Signature...}, "secret": "..."}
    out: {"signature": "...", "stringToSign": "...", "teaSignature": "..."}

``signature`` and ``stringToSign`` come from ``aliyun-python-sdk-core``
(``aliyunsdkcore.auth.composer.rpc_signature_composer`` builds the string to
sign, ``aliyunsdkcore.auth.algorithm.sha_hmac1`` signs it with
``secret + "&"``), exactly the functions the SDK's ``get_signed_url`` uses.
``teaSignature`` is the second official implementation,
``alibabacloud_tea_openapi.utils.Utils.get_rpcsignature`` (the Tea SDK's V1
signer); it is ``null`` when that package is not installed.  Nothing here
re-implements the algorithm.

Parameter values must be strings (numbers are turned into strings the way
the SDKs do it, with ``str``).  A line that cannot be processed is answered
with ``{"error": "..."}`` so the caller stays in step.  End of input ends the
process with status 0.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Dict, Optional

from aliyunsdkcore.auth.algorithm import sha_hmac1
from aliyunsdkcore.auth.composer import rpc_signature_composer

try:  # the Tea SDK is optional: a second, independent official signer
    from alibabacloud_tea_openapi.utils import Utils as _TeaUtils
except ImportError:  # pragma: no cover - depends on the environment
    _TeaUtils = None

# The SDK keeps its string-to-sign builder module-private (a leading double
# underscore at module level is not name-mangled, only conventional), and its
# public get_signed_url() stamps a fresh Timestamp and SignatureNonce, which a
# differential test cannot use.  So the oracle calls the same private builder
# that get_signed_url() calls.
_compose_string_to_sign = getattr(rpc_signature_composer, "__compose_string_to_sign")


def sign(method: str, params: Dict[str, str], secret: str) -> Dict[str, Optional[str]]:
    """Signature and string-to-sign of one request, computed by the SDKs."""
    params = {k: v for k, v in params.items() if k != "Signature"}
    to_sign = _compose_string_to_sign(method, params)
    signature = sha_hmac1.get_sign_string(to_sign, secret + "&")
    tea = _TeaUtils.get_rpcsignature(params, method, secret) if _TeaUtils is not None else None
    return {"signature": signature, "stringToSign": to_sign, "teaSignature": tea}


def _answer(line: str) -> Dict[str, Any]:
    try:
        request = json.loads(line)
        method = request["method"]
        secret = request["secret"]
        raw = request["params"]
        if not isinstance(method, str) or not isinstance(secret, str) or not isinstance(raw, dict):
            raise TypeError("method and secret must be strings, params an object")
        params = {str(k): (v if isinstance(v, str) else json.dumps(v) if isinstance(v, bool) else str(v))
                  for k, v in raw.items()}
        return sign(method, params, secret)
    except Exception as err:  # every input line gets exactly one answer line
        return {"error": f"{type(err).__name__}: {err}"}


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(_answer(line), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
