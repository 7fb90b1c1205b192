#!/usr/bin/env python3
"""RS256 service-account JWT oracle over Google's OFFICIAL google-auth library.

Protocol (JSON lines, one answer line per input line, flushed after each)::

    in:  {"key": {service-account key file}, "signingInput": "<b64url header>.<b64url claims>", "jwt": "<compact JWS>"}
    out: {"signature": "<b64url of google-auth's signature over signingInput>",
          "header": {...}, "claims": {...}}

``signature`` is ``google.auth.crypt.RSASigner.from_service_account_info(key)
.sign(signingInput)``: the signer google-auth's ``service_account.Credentials``
uses for its own assertions.  ``header`` and ``claims`` are what
``google.auth.jwt.decode(jwt, certs=<the key's public key>, verify=True)``
returns for the caller's JWT (which verifies its signature), plus the header.
Nothing here re-implements RS256.

``--new-key EMAIL [BITS]`` instead prints one key file (JSON) with a fresh RSA
key in PKCS#8 PEM, as the Cloud console writes them.

A line that cannot be processed is answered with ``{"error": "..."}``.  End of
input ends the process with status 0.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import crypt, jwt


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key(email: str, bits: int) -> dict:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {"type": "service_account", "project_id": "test-project",
            "private_key_id": hashlib.sha1(pem.encode()).hexdigest(), "private_key": pem, "client_email": email,
            "client_id": "1234567890", "token_uri": "https://oauth2.googleapis.com/token"}


def answer(line: str) -> dict:
    request = json.loads(line)
    key = request["key"]
    signer = crypt.RSASigner.from_service_account_info(key)
    out = {"signature": b64url(signer.sign(request["signingInput"].encode()))}
    if request.get("jwt"):
        private = serialization.load_pem_private_key(key["private_key"].encode(), password=None)
        public = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
        out["claims"] = jwt.decode(request["jwt"], certs=public, verify=True, audience=request.get("audience"))
        out["header"] = jwt.decode_header(request["jwt"])
    return out


def main(argv) -> int:
    if len(argv) >= 2 and argv[0] == "--new-key":
        print(json.dumps(new_key(argv[1], int(argv[2]) if len(argv) > 2 else 2048)))
        return 0
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            result = answer(line)
        except Exception as err:  # the caller must stay in step
            result = {"error": f"{type(err).__name__}: {err}"}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
