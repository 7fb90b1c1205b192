#!/usr/bin/env python3
"""An honest emulator of the joohoi/acme-dns HTTP API, for tests.  Standard
library only.  Modelled on acme-dns's own code (``api.go``/``pkg/api``,
``auth.go``, ``validation.go``/``util.go``, ``db.go``/``pkg/database``).

Routes (as acme-dns's httprouter registers them)::

    POST /register   optional JSON {"allowfrom": ["CIDR", ...]}  -> 201 {username, password,
                     fulldomain, subdomain, allowfrom}             (absent when registration is disabled)
    POST /update     X-Api-User, X-Api-Key, JSON {"subdomain", "txt"} -> 200 {"txt": "<value>"}
    GET  /health     -> 200, empty body

Command line::

    python3 acmedns_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

Prints one JSON line ``{"port": N, "host": "127.0.0.1"}``; exits 0 on
SIGTERM/SIGINT or EOF on a piped stdin.

Default config (test fixtures only)::

    {"domain": "auth.example.org",
     "accounts": [
       {"username": "11111111-2222-4333-8444-555555555555",
        "password": "acmeDnsTestPassword_0000000000000000000A",
        "subdomain": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "allowfrom": []},
       {"username": "22222222-3333-4444-8555-666666666666",
        "password": "acmeDnsTestPassword_1111111111111111111B",
        "subdomain": "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff", "allowfrom": ["192.0.2.0/24"]}],
     "disableRegistration": false, "useHeader": false, "headerName": "X-Forwarded-For"}

The second account may update only from 192.0.2.0/24, so from 127.0.0.1 it
is always refused (tests of ``allowfrom``).

Behaviour, as acme-dns has it:

* ``/update`` authentication (all failures: 401 ``{"error": "forbidden"}``):
  X-Api-User must parse as a UUID (Go ``uuid.Parse``: 36-char, braced,
  ``urn:uuid:`` or 32-hex forms; looked up in canonical lower-case form);
  X-Api-Key must be exactly 40 characters of ``[A-Za-z0-9_-]``; the user must
  exist and the key match; the source IP (or, with ``useHeader``, any
  address in the ``headerName`` header) must be inside ``allowfrom`` when it
  is non-empty; the JSON body's ``subdomain`` must equal the account's (an
  undecodable body leaves it empty, so that is also 401).  JSON keys match
  case-insensitively, as Go's encoding/json does.
* Then 400 ``{"error": "bad_subdomain"}`` for a subdomain not matching
  ``^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`` (unreachable in
  practice, the subdomain already equalled the account's), then 400
  ``{"error": "bad_txt"}`` unless the TXT is exactly 43 characters of
  ``[A-Za-z0-9_-]``.
* Storage: each subdomain has exactly two TXT rows created at registration
  with LastUpdate 0.  An update overwrites the row with the smallest
  LastUpdate (Unix seconds), ties going to the first row (SQLite's order for
  ``ORDER BY LastUpdate LIMIT 1``), and sets its LastUpdate to now.  So the
  two most recent values are kept; a third evicts the oldest.  Because the
  clock has one-second resolution, several updates within one second can
  evict a value that is not the oldest (e.g. v1, v2, v1-again, v2-again in the
  same second leaves [v2, v2]): real acme-dns behaviour, visible here.  There
  is no delete and no read API.  Success answers exactly ``{"txt": "<value>"}``.
* ``/register``: a non-empty body must be JSON (else 400
  ``malformed_json_payload``); every ``allowfrom`` entry must parse as a CIDR
  (brackets removed; else 400 ``invalid_allowfrom_cidr``).  Answers 201.
* Unknown paths: 404 ``404 page not found`` (text/plain), a known path with
  another method: 405 ``Method Not Allowed`` with ``Allow``, as httprouter does.

acme-dns has no rate limiting of its own.  Injected faults model what a
fronting proxy or the database does, and hit before authentication:
``throttle`` answers 429 text/plain ``Too Many Requests`` with
``Retry-After``; ``error5xx`` with ``error5xxStatus: 500`` answers acme-dns's
own 500 ``{"error": "db_error"}`` (other statuses answer a proxy's plain-text
body); ``errors`` entries ``{"status", "error"}`` answer ``{"error": ...}``.

Admin: ``GET /__admin/state`` adds ``accounts`` (no passwords), ``txt``
(subdomain -> the two rows ``{"value", "lastUpdate"}``), ``values``
(subdomain -> non-empty values, what DNS would serve) and ``updates`` (every
accepted update with the value it replaced).  ``POST /__admin/seed``
``{"subdomain": "...", "values": ["43-char value", ...]}`` performs updates
without HTTP.  ``POST /__admin/clock`` drives LastUpdate.

Not modelled: the DNS server itself, TLS/autocert, CORS preflight answers,
``/delete`` (not in released acme-dns), bcrypt (keys are compared directly).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import secrets
import sys
import uuid
from typing import Any, Dict, List, Optional

import emulator_base as base
from emulator_base import Request, Response

DEFAULT_CONFIG: Dict[str, Any] = {
    "domain": "auth.example.org",
    "accounts": [
        {"username": "11111111-2222-4333-8444-555555555555",
         "password": "acmeDnsTestPassword_0000000000000000000A",
         "subdomain": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "allowfrom": []},
        {"username": "22222222-3333-4444-8555-666666666666",
         "password": "acmeDnsTestPassword_1111111111111111111B",
         "subdomain": "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff", "allowfrom": ["192.0.2.0/24"]},
    ],
    "disableRegistration": False,
    "useHeader": False,
    "headerName": "X-Forwarded-For",
}

SUBDOMAIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
SAFE_RE = re.compile(r"^[A-Za-z0-9_-]*$")
HEX = set("0123456789abcdefABCDEF")
PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz1234567890-_"


def go_uuid_parse(text: str) -> Optional[str]:
    """github.com/google/uuid Parse: returns the canonical form or None."""
    if len(text) == 36 + 9:
        if text[:9].lower() != "urn:uuid:":
            return None
        text = text[9:]
    elif len(text) == 36 + 2:
        if text[0] != "{" or text[-1] != "}":
            return None
        text = text[1:-1]
    elif len(text) == 32:
        if not all(c in HEX for c in text):
            return None
        return str(uuid.UUID(hex=text))
    if len(text) != 36:
        return None
    if any(text[i] != "-" for i in (8, 13, 18, 23)):
        return None
    digits = text.replace("-", "")
    if len(digits) != 32 or not all(c in HEX for c in digits):
        return None
    return str(uuid.UUID(hex=digits))


def valid_key(key: str) -> bool:
    return len(key) == 40 and bool(SAFE_RE.match(key))


def valid_txt(txt: str) -> bool:
    return len(txt) == 43 and bool(SAFE_RE.match(txt))


def valid_cidr(entry: Any) -> Optional[str]:
    if not isinstance(entry, str):
        return None
    cleaned = re.sub(r"[\[\]]+", "", entry)
    if "/" not in cleaned:
        return None
    try:
        ipaddress.ip_network(cleaned, strict=False)
    except ValueError:
        return None
    return cleaned


def go_json_field(obj: Dict[str, Any], name: str) -> Any:
    """encoding/json matches keys case-insensitively (exact match preferred)."""
    if name in obj:
        return obj[name]
    for key, value in obj.items():
        if key.lower() == name.lower():
            return value
    return None


def text_response(status: int, text: str, headers: Optional[Dict[str, str]] = None) -> Response:
    out = {"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"}
    out.update(headers or {})
    return Response(status, headers=out, raw=text.encode())


def acme_error(status: int, code: str) -> Response:
    return Response(status, raw=('{"error": "%s"}' % code).encode())


class AcmeDnsEmulator(base.BaseEmulator):
    name = "acmedns-emulator"
    default_config = DEFAULT_CONFIG
    fault_error_fields = ()  # entries are {"status", "error"}, both optional

    def reset_records(self) -> None:
        self.domain = self.config.get("domain", "auth.example.org")
        self.accounts: Dict[str, Dict[str, Any]] = {}
        self.txt: Dict[str, List[Dict[str, Any]]] = {}
        self.updates: List[Dict[str, Any]] = []
        for acc in self.config.get("accounts", []):
            username = go_uuid_parse(acc["username"])
            if username is None or not valid_key(acc["password"]):
                raise ValueError(f"account {acc['username']!r}: username must be a UUID and password 40 safe chars")
            self._register(username, acc["password"], acc["subdomain"],
                           [c for c in (valid_cidr(e) for e in acc.get("allowfrom", [])) if c])

    def _register(self, username: str, password: str, subdomain: str, allowfrom: List[str]) -> None:
        self.accounts[username] = {"username": username, "password": password, "subdomain": subdomain,
                                   "allowfrom": allowfrom}
        self.txt[subdomain] = [{"value": "", "lastUpdate": 0}, {"value": "", "lastUpdate": 0}]

    def _update(self, subdomain: str, value: str, via: str) -> None:
        rows = self.txt[subdomain]
        index = min(range(len(rows)), key=lambda i: (rows[i]["lastUpdate"], i))
        replaced = rows[index]["value"]
        rows[index] = {"value": value, "lastUpdate": int(self.clock.now())}
        self.updates.append({"subdomain": subdomain, "value": value, "replaced": replaced, "row": index,
                             "lastUpdate": rows[index]["lastUpdate"], "via": via})

    def seed(self, data: Dict[str, Any]) -> Any:
        sub = data["subdomain"]
        if sub not in self.txt:
            raise ValueError(f"no subdomain {sub!r}")
        for value in data.get("values", []):
            self._update(sub, str(value), "seed")
        return self.txt[sub]

    def state_extra(self) -> Dict[str, Any]:
        return {
            "domain": self.domain,
            "accounts": [{"username": a["username"], "subdomain": a["subdomain"],
                          "fulldomain": f"{a['subdomain']}.{self.domain}", "allowfrom": a["allowfrom"]}
                         for a in self.accounts.values()],
            "txt": {sub: [dict(r) for r in rows] for sub, rows in self.txt.items()},
            "values": {sub: [r["value"] for r in rows if r["value"]] for sub, rows in self.txt.items()},
            "updates": list(self.updates),
        }

    def fault_response(self, req: Request, fault: base.Fault) -> Response:
        if fault.kind == "throttle":
            req.outcome = "429"
            wait = int(max(1, round(float(fault.extra.get("retryAfter", 1)))))
            return text_response(429, "Too Many Requests\n", {"Retry-After": str(wait)})
        if fault.kind == "error5xx":
            status = fault.status or 503
            if status == 500:
                req.outcome = "db_error"
                return acme_error(500, "db_error")
            req.outcome = str(status)
            return text_response(status, "Service Unavailable\n")
        req.outcome = str(fault.extra.get("error", "error"))
        return acme_error(fault.status, str(fault.extra.get("error", "error")))

    # -- routing ------------------------------------------------------------------

    def api(self, req: Request) -> Response:
        routes = {"/update": ("POST", "update", self._web_update), "/health": ("GET", "health", self._health)}
        if not self.config.get("disableRegistration", False):
            routes["/register"] = ("POST", "register", self._web_register)
        route = routes.get(req.path)
        if route is None:
            req.action, req.outcome = "no-route", "404"
            return text_response(404, "404 page not found\n")
        method, action, handler = route
        req.action = action
        if req.method != method:
            req.outcome = "405"
            return text_response(405, "Method Not Allowed\n", {"Allow": f"{method}, OPTIONS"})
        faulted = self.apply_faults(req, action)
        if faulted is not None:
            return faulted
        with self.lock:
            return handler(req)

    def _health(self, req: Request) -> Response:
        return Response(200)

    def _web_register(self, req: Request) -> Response:
        allow: List[Any] = []
        if req.body:
            try:
                data = json.loads(req.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                data = None
            ok = data is None and req.body.strip() == b"null"
            if isinstance(data, dict):
                field = go_json_field(data, "allowfrom")
                if field is None or isinstance(field, list) and all(isinstance(e, str) for e in field):
                    allow, ok = list(field or []), True
            if not ok:
                req.outcome = "malformed_json_payload"
                return acme_error(400, "malformed_json_payload")
        cleaned = [valid_cidr(e) for e in allow]
        if any(c is None for c in cleaned):
            req.outcome = "invalid_allowfrom_cidr"
            return acme_error(400, "invalid_allowfrom_cidr")
        username = str(uuid.uuid4())
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(40))
        subdomain = str(uuid.uuid4())
        self._register(username, password, subdomain, [c for c in cleaned if c])
        req.principal = username
        body = {"username": username, "password": password, "fulldomain": f"{subdomain}.{self.domain}",
                "subdomain": subdomain, "allowfrom": [c for c in cleaned if c]}
        return Response(201, raw=json.dumps(body, separators=(",", ":")).encode())

    def _source_ips(self, req: Request) -> List[str]:
        if self.config.get("useHeader", False):
            header = req.header(self.config.get("headerName", "X-Forwarded-For")) or ""
            return [v.strip() for v in header.split(",") if v]
        return [req.client_ip]

    @staticmethod
    def _allowed_from(account: Dict[str, Any], ips: List[str]) -> bool:
        nets = account["allowfrom"]
        if not nets:
            return True
        for ip in ips:
            try:
                addr = ipaddress.ip_address(ip)
            except ValueError:
                continue
            if any(addr in ipaddress.ip_network(n, strict=False) for n in nets):
                return True
        return False

    def _web_update(self, req: Request) -> Response:
        forbidden = acme_error(401, "forbidden")
        username = go_uuid_parse(req.header("x-api-user") or "")
        key = req.header("x-api-key") or ""
        if username is None:
            req.outcome, req.note["note"] = "forbidden", "invalid username"
            return forbidden
        if not valid_key(key):
            req.outcome, req.note["note"] = "forbidden", "invalid key"
            return forbidden
        account = self.accounts.get(username)
        if account is None or not hmac.compare_digest(key.encode(), account["password"].encode()):
            req.outcome, req.note["note"] = "forbidden", "unknown user or wrong password"
            return forbidden
        req.principal = username
        if not self._allowed_from(account, self._source_ips(req)):
            req.outcome, req.note["note"] = "forbidden", "ip_unauthorized"
            return forbidden
        try:
            data = json.loads(req.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            data = None
        subdomain, value = "", ""
        if isinstance(data, dict):
            raw_sub, raw_txt = go_json_field(data, "subdomain"), go_json_field(data, "txt")
            subdomain = raw_sub if isinstance(raw_sub, str) else ""
            value = raw_txt if isinstance(raw_txt, str) else ""
        if subdomain != account["subdomain"]:
            req.outcome, req.note["note"] = "forbidden", "subdomain_mismatch"
            return forbidden
        if not SUBDOMAIN_RE.match(subdomain):
            req.outcome = "bad_subdomain"
            return acme_error(400, "bad_subdomain")
        if not valid_txt(value):
            req.outcome = "bad_txt"
            return acme_error(400, "bad_txt")
        self._update(subdomain, value, "api")
        return Response(200, raw=('{"txt": "%s"}' % value).encode())


def main(argv=None) -> int:
    return base.run(AcmeDnsEmulator, DEFAULT_CONFIG, "joohoi/acme-dns HTTP API emulator for tests.", argv)


if __name__ == "__main__":
    sys.exit(main())
