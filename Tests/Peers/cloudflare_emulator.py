#!/usr/bin/env python3
"""An honest emulator of the parts of the Cloudflare API v4 that a DNS-01
solver uses, for tests.  Standard library only.

Routes (under ``/client/v4``)::

    GET    /zones?name=&status=&page=&per_page=&order=&direction=
    GET    /zones/{zone_id}
    GET    /zones/{zone_id}/dns_records?type=&name=&name.exact=&content=&content.exact=
                                        &match=all|any&page=&per_page=&order=&direction=
    POST   /zones/{zone_id}/dns_records
    GET    /zones/{zone_id}/dns_records/{id}
    DELETE /zones/{zone_id}/dns_records/{id}
    GET    /user/tokens/verify

Command line::

    python3 cloudflare_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

It prints one JSON line ``{"port": N, "host": "127.0.0.1"}`` and serves until
SIGTERM/SIGINT or EOF on a piped stdin (exit status 0).  Admin endpoints are in
``emulator_base``; ``POST /__admin/seed`` takes ``{"records": [{"zone":
"example.com", "name": "x.example.com", "type": "TXT", "content": "v",
"ttl": 1}]}`` or ``{"zone": "example.com", "count": 250, "name":
"_acme-challenge.example.com", "type": "TXT", "content": "v{i}"}`` and adds
records without the duplicate check.

Default config (``--config`` replaces it; every credential is a test fixture)::

    zones: example.com, example.org, other.example (ids: md5 of the name, 32 hex)
    API token  cf-test-token-all-zones-dns-edit-0000000  all zones, Zone:Read + DNS:Edit
    API token  cf-test-token-example-com-only-000000000  example.com only, Zone:Read + DNS:Edit
    API token  cf-test-token-read-only-all-zones-000000  all zones, Zone:Read + DNS:Read
    API token  cf-test-token-disabled-00000000000000000  status "disabled" (refused as invalid)
    global key X-Auth-Email dns01@example.com, X-Auth-Key 0123456789abcdef0123456789abcdef01234 (all zones)

    Config shape: {"zones": [{"name", "id"?}], "tokens": [{"token", "id"?, "zones": "*"|[names],
    "permissions": ["zone:read", "dns:read", "dns:edit"], "status": "active"}],
    "users": [{"email", "apiKey", "zones": "*"|[names]}], "records": [seed...],
    "duplicateCode": 81058, "quoteTxtContent": false,
    "rateLimit": {"requests": 1200, "windowSeconds": 300}}

Authentication, checked the way Cloudflare answers it (sources: cert-manager,
the cloudflare SDK, and error bodies captured from the live API in public
issue threads):

* ``Authorization`` present: it must be ``Bearer <token>`` with a token of 40
  characters ``[A-Za-z0-9_-]`` (or the newer ``cfXX_...`` form), else 400
  ``6003 Invalid request headers`` with error_chain ``6111 Invalid format for
  Authorization header``.  An unknown or disabled token: 403 ``9109 Invalid
  access token``.  ``X-Auth-Email`` sent alongside a token is ignored (cert-
  manager sends it when ``email`` is set; cert-manager#2972 shows that works).
* Otherwise ``X-Auth-Email`` + ``X-Auth-Key``: a malformed email or key (the
  key is 37 lower-case hex, or ``cfk_...``) gives 400 ``6003`` with chain
  ``6102 Invalid format for X-Auth-Email header`` and/or ``6103 Invalid format
  for X-Auth-Key header``; a well-formed pair that is unknown gives 403
  ``9103 Unknown X-Auth-Key or X-Auth-Email``.
* Neither: 400 ``9106 Missing X-Auth-Key, X-Auth-Email or Authorization
  headers`` (body without ``messages``/``result``, as captured).
* A token may see only its zones: ``GET /zones`` lists only those, and any
  call on another zone (or one that does not exist) answers 403 ``10000
  Authentication error``; a token without DNS:Edit gets the same 403 on POST
  and DELETE, and one without DNS read on listing records.
* ``/user/tokens/verify``: 200 with message ``10000 This API Token is valid and
  active`` or 401 ``1000 Invalid API Token``.

Records are real state: one record per value, 32-hex ids, names stored and
returned as lower-case FQDNs without a trailing dot.  A POSTed ``name`` that
is ``@``, the zone, or ends in ``.zone`` is taken as is; any other name is
relative and gets ``.zone`` appended (so ``_acme-challenge.other.com`` in zone
``example.com`` becomes ``_acme-challenge.other.com.example.com``), as the
Cloudflare dashboard and API do.  An identical record (type + name + content)
answers 400 ``81058 An identical record already exists.`` (``duplicateCode``:
81057 gives the older ``The record already exists.``).  DELETE of an unknown
id answers 404 ``81044 Record does not exist.``.  POST answers 200 (not 201);
DELETE answers ``{"result": {"id": ...}}``.  Records carry no ``zone_id`` (as
since 2025, cert-manager#7540).

List filters are case-insensitive, as the API documents (``name``,
``name.exact``, ``name.contains``, ``name.startswith``, ``name.endswith``
and the same for ``content``), ``match=all`` (default) or ``any``.
Pagination is Cloudflare's ``result_info`` ``{page, per_page, count,
total_count, total_pages}``; a page past the end is an empty ``result`` (the
SDK stops there).  ``per_page`` is clamped to 5..5000000 for records (default
100) and 5..50 for zones (default 20).

``quoteTxtContent: true`` stores TXT content wrapped in double quotes when it
was sent bare, which is what Cloudflare has been reported to do (certbot
#10048); default off.

Rate limiting: a real limiter, 1200 requests per 300 s per credential
(``rateLimit``); over it, 429 with ``Retry-After`` (seconds) and body ``971
Please wait and consider throttling your request speed`` until the window
frees.  Every response carries ``Ratelimit``/``Ratelimit-Policy`` and
``X-RateLimit-Limit``/``X-RateLimit-Remaining`` (Cloudflare's docs have named
both families).  Injected throttles (``/__admin/faults``) answer the same 429
with ``Retry-After: retryAfterSeconds``; injected 5xx answer the envelope with
code 10001; ``errors`` entries ``{"status", "code", "message"}`` answer that.

Not modelled: other record types' content validation, proxied records, tags,
comments, batch endpoints, the ``search`` parameter, account-owned tokens,
IP-restricted tokens (9109 "Cannot use the access token from location"),
token expiry dates.  Codes for malformed POST bodies (9207, 9005, 9021), for
routing (7000 no route, 7001 wrong method, 7003 malformed id) and for bad
paging parameters (1004) are plausible but unverified; so is answering 403
10000 (rather than 404) for a well-formed zone id that does not exist.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import emulator_base as base
from emulator_base import Request, Response

PREFIX = "/client/v4"

DEFAULT_CONFIG: Dict[str, Any] = {
    "zones": [{"name": "example.com"}, {"name": "example.org"}, {"name": "other.example"}],
    "tokens": [
        {"token": "cf-test-token-all-zones-dns-edit-0000000", "zones": "*",
         "permissions": ["zone:read", "dns:edit"]},
        {"token": "cf-test-token-example-com-only-000000000", "zones": ["example.com"],
         "permissions": ["zone:read", "dns:edit"]},
        {"token": "cf-test-token-read-only-all-zones-000000", "zones": "*",
         "permissions": ["zone:read", "dns:read"]},
        {"token": "cf-test-token-disabled-00000000000000000", "zones": "*",
         "permissions": ["zone:read", "dns:edit"], "status": "disabled"},
    ],
    "users": [{"email": "dns01@example.com", "apiKey": "0123456789abcdef0123456789abcdef01234", "zones": "*"}],
    "records": [{"zone": "example.com", "name": "www.example.com", "type": "A", "content": "192.0.2.10", "ttl": 1}],
    "duplicateCode": 81058,
    "quoteTxtContent": False,
    "rateLimit": {"requests": 1200, "windowSeconds": 300},
}

TOKEN_RE = re.compile(r"^(?:[A-Za-z0-9_-]{40}|cf[a-z]{1,3}_[A-Za-z0-9_-]{20,})$")
API_KEY_RE = re.compile(r"^(?:[0-9a-f]{37}|cfk_[A-Za-z0-9_-]{20,})$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_RE = re.compile(r"^[0-9a-f]{32}$")
RECORD_TYPES = {"A", "AAAA", "CAA", "CERT", "CNAME", "DNSKEY", "DS", "HTTPS", "LOC", "MX", "NAPTR", "NS",
                "OPENPGPKEY", "PTR", "SMIMEA", "SRV", "SSHFP", "SVCB", "TLSA", "TXT", "URI"}
DUPLICATE_MESSAGES = {81057: "The record already exists.", 81058: "An identical record already exists."}


def envelope_error(status: int, errors: List[Dict[str, Any]], headers: Optional[Dict[str, str]] = None,
                   full: bool = True) -> Response:
    body: Dict[str, Any] = {"success": False, "errors": errors}
    if full:
        body["messages"] = []
        body["result"] = None
    return base.json_response(status, body, headers)


def err(code: int, message: str, chain: Optional[List[Tuple[int, str]]] = None) -> Dict[str, Any]:
    item: Dict[str, Any] = {"code": code, "message": message}
    if chain:
        item["error_chain"] = [{"code": c, "message": m} for c, m in chain]
    return item


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%06dZ" % int((epoch % 1) * 1e6)


class ApiError(Exception):
    def __init__(self, status: int, code: int, message: str, chain=None, full: bool = True):
        super().__init__(message)
        self.status, self.code, self.message, self.chain, self.full = status, code, message, chain, full

    def response(self, headers: Dict[str, str]) -> Response:
        return envelope_error(self.status, [err(self.code, self.message, self.chain)], headers, self.full)


@dataclass
class Zone:
    id: str
    name: str
    created: float

    def to_api(self, account_id: str) -> Dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "status": "active", "paused": False, "type": "full",
            "development_mode": 0,
            "name_servers": ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
            "original_name_servers": None, "original_registrar": None, "original_dnshost": None,
            "created_on": iso(self.created), "modified_on": iso(self.created), "activated_on": iso(self.created),
            "meta": {"step": 4, "custom_certificate_quota": 0, "page_rule_quota": 3,
                     "phishing_detected": False},
            "owner": {"id": None, "type": "user", "email": None},
            "account": {"id": account_id, "name": "dns01 test account"},
            "tenant": {"id": None, "name": None}, "tenant_unit": {"id": None},
            "permissions": ["#dns_records:edit", "#dns_records:read", "#zone:read"],
            "plan": {"id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "name": "Free Website", "price": 0,
                     "currency": "USD", "frequency": "", "is_subscribed": False, "can_subscribe": False,
                     "legacy_id": "free", "legacy_discount": False, "externally_managed": False},
        }


@dataclass
class Record:
    id: str
    zone: str  # zone name
    name: str
    type: str
    content: str
    ttl: int
    created: float
    seq: int
    comment: Optional[str] = None
    tags: List[str] = field(default_factory=list)

    def to_api(self) -> Dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "type": self.type, "content": self.content,
            "proxiable": False, "proxied": False, "ttl": self.ttl, "settings": {}, "meta": {},
            "comment": self.comment, "tags": list(self.tags),
            "created_on": iso(self.created), "modified_on": iso(self.created),
        }


@dataclass
class Principal:
    kind: str  # "token" | "key"
    ident: str
    zones: Any  # "*" or set of names
    permissions: set

    def sees(self, zone: str) -> bool:
        return self.zones == "*" or zone in self.zones

    def label(self) -> str:
        return f"{self.kind}:{self.ident}"


class CloudflareEmulator(base.BaseEmulator):
    name = "cloudflare-emulator"
    fault_error_fields = ()  # entries are {"status", "code", "message"}, all optional

    def __init__(self, config: Dict[str, Any]) -> None:
        self.account_id = hashlib.md5(b"dns01-account").hexdigest()
        self.zones: Dict[str, Zone] = {}
        for item in config.get("zones", []):
            name = item["name"].lower().rstrip(".")
            zid = item.get("id") or hashlib.md5(name.encode()).hexdigest()
            self.zones[zid] = Zone(id=zid, name=name, created=1600000000.0)
        self.tokens: Dict[str, Dict[str, Any]] = {}
        for tok in config.get("tokens", []):
            if not TOKEN_RE.match(tok["token"]):
                raise ValueError(f"configured token {tok['token']!r} does not have Cloudflare's token format")
            self.tokens[tok["token"]] = tok
        self.users: Dict[Tuple[str, str], Dict[str, Any]] = {}
        for user in config.get("users", []):
            if not API_KEY_RE.match(user["apiKey"]):
                raise ValueError(f"configured key {user['apiKey']!r} does not have Cloudflare's key format")
            self.users[(user["email"].lower(), user["apiKey"])] = user
        rate = config.get("rateLimit") or {}
        self.limiter = base.SlidingWindowLimiter(
            [(int(rate.get("requests", 1200)), float(rate.get("windowSeconds", 300)))] if rate else [])
        self.rate_policy = (int(rate.get("requests", 1200)), int(rate.get("windowSeconds", 300))) if rate else None
        self.duplicate_code = int(config.get("duplicateCode", 81058))
        self.quote_txt = bool(config.get("quoteTxtContent", False))
        super().__init__(config)

    # -- state ----------------------------------------------------------------

    def reset_records(self) -> None:
        self.records: Dict[str, Record] = {}
        self.seq = 0
        self.limiter.reset()
        for seed in self.config.get("records", []):
            self._seed_one(seed)

    def _zone_by_name(self, name: str) -> Zone:
        for zone in self.zones.values():
            if zone.name == name.lower().rstrip("."):
                return zone
        raise ValueError(f"no zone {name!r}")

    def _seed_one(self, item: Dict[str, Any]) -> Record:
        zone = self._zone_by_name(item["zone"])
        name = self._absolute(item.get("name", "@"), zone.name)
        return self._add(zone, name, item.get("type", "TXT").upper(), str(item["content"]), int(item.get("ttl", 1)))

    def _add(self, zone: Zone, name: str, rtype: str, content: str, ttl: int,
             comment: Optional[str] = None, tags: Optional[List[str]] = None) -> Record:
        self.seq += 1
        rec = Record(id=uuid.uuid4().hex, zone=zone.name, name=name, type=rtype, content=content, ttl=ttl,
                     created=self.clock.now(), seq=self.seq, comment=comment, tags=list(tags or []))
        self.records[rec.id] = rec
        return rec

    @staticmethod
    def _absolute(name: str, zone: str) -> str:
        name = name.strip().lower()
        if name.endswith(".") and len(name) > 1:
            name = name[:-1]
        if name in ("@", "", zone):
            return zone
        if name.endswith("." + zone):
            return name
        return name + "." + zone

    def seed(self, data: Dict[str, Any]) -> Any:
        created = [self._seed_one(item) for item in data.get("records", [])]
        for i in range(int(data.get("count", 0))):
            created.append(self._seed_one({
                "zone": data["zone"], "name": str(data.get("name", "seed-{i}")).format(i=i),
                "type": data.get("type", "TXT"), "content": str(data.get("content", "value-{i}")).format(i=i),
                "ttl": data.get("ttl", 1)}))
        return [r.id for r in created]

    def state_records(self) -> Any:
        return [dict(r.to_api(), zone=r.zone) for r in sorted(self.records.values(), key=lambda r: r.seq)]

    def state_extra(self) -> Dict[str, Any]:
        return {"zones": [{"id": z.id, "name": z.name} for z in self.zones.values()]}

    # -- responses --------------------------------------------------------------

    def _rate_headers(self, principal: Optional[Principal], allowed_info=None) -> Dict[str, str]:
        if not self.rate_policy:
            return {}
        limit, window = self.rate_policy
        if allowed_info is None:
            return {}
        _, _, remaining, reset = allowed_info
        secs = max(0, int(math.ceil(reset - self.clock.now())))
        return {"Ratelimit": f'"default";r={remaining};t={secs}',
                "Ratelimit-Policy": f'"default";q={limit};w={window}',
                "X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining)}

    def fault_response(self, req: Request, fault: base.Fault) -> Response:
        if fault.kind == "throttle":
            wait = fault.extra.get("retryAfter", 1)
            req.outcome = "971"
            return envelope_error(429, [err(971, "Please wait and consider throttling your request speed")],
                                  {"Retry-After": str(int(math.ceil(wait)))})
        if fault.kind == "error5xx":
            req.outcome = "10001"
            return envelope_error(fault.status or 503, [err(10001, "service temporarily unavailable")])
        entry = fault.extra
        req.outcome = str(entry.get("code", 0))
        return envelope_error(fault.status, [err(int(entry.get("code", 10000)),
                                                 str(entry.get("message", "Injected error.")))])

    # -- auth -------------------------------------------------------------------

    def _authenticate(self, req: Request) -> Principal:
        auth = req.header("authorization")
        if auth is not None:
            match = re.match(r"^Bearer ([^\s]+)$", auth.strip())
            if not match or not TOKEN_RE.match(match.group(1)):
                raise ApiError(400, 6003, "Invalid request headers",
                               [(6111, "Invalid format for Authorization header")])
            tok = self.tokens.get(match.group(1))
            if tok is None or tok.get("status", "active") != "active":
                if req.action == "tokens.verify":
                    raise ApiError(401, 1000, "Invalid API Token")
                raise ApiError(403, 9109, "Invalid access token")
            zones = tok.get("zones", "*")
            perms = set(tok.get("permissions", ["zone:read", "dns:edit"]))
            if "dns:edit" in perms:
                perms.add("dns:read")
            ident = tok.get("id") or hashlib.md5(tok["token"].encode()).hexdigest()
            return Principal("token", ident, zones if zones == "*" else set(z.lower() for z in zones), perms)
        email = req.header("x-auth-email")
        key = req.header("x-auth-key")
        if email is None and key is None:
            raise ApiError(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers", full=False)
        chain = []
        if email is None or not EMAIL_RE.match(email.strip()):
            chain.append((6102, "Invalid format for X-Auth-Email header"))
        if key is None or not API_KEY_RE.match(key.strip()):
            chain.append((6103, "Invalid format for X-Auth-Key header"))
        if chain:
            raise ApiError(400, 6003, "Invalid request headers", chain)
        user = self.users.get((email.strip().lower(), key.strip()))
        if user is None:
            raise ApiError(403, 9103, "Unknown X-Auth-Key or X-Auth-Email")
        zones = user.get("zones", "*")
        return Principal("key", email.strip().lower(), zones if zones == "*" else set(zones),
                         {"zone:read", "dns:read", "dns:edit"})

    # -- routing ------------------------------------------------------------------

    def api(self, req: Request) -> Response:
        path = req.path
        if not path.startswith(PREFIX + "/"):
            req.action, req.outcome = "no-route", "7000"
            return envelope_error(400, [err(7000, "No route for that URI")])
        rest = path[len(PREFIX):].rstrip("/")
        parts = rest.split("/")[1:]
        route = self._route(req.method, parts)
        if route is None:
            req.action, req.outcome = "no-route", "7000"
            return envelope_error(400, [err(7000, "No route for that URI")])
        action, allowed_methods, handler = route
        req.action = action
        if req.method not in allowed_methods:
            req.outcome = "7001"
            return envelope_error(405, [err(7001, f"Method {req.method} not available for that URI.")])
        try:
            principal = self._authenticate(req)
        except ApiError as error:
            req.outcome = str(error.code)
            return error.response({})
        req.principal = principal.label()
        rate_info = None
        if self.rate_policy:
            with self.lock:
                rate_info = self.limiter.check(principal.label(), self.clock.now())
            if not rate_info[0]:
                req.outcome, req.fault = "971", "rate-limit"
                wait = max(1, int(math.ceil(rate_info[3] - self.clock.now())))
                headers = self._rate_headers(principal, rate_info)
                headers["Retry-After"] = str(wait)
                return envelope_error(429, [err(971, "Please wait and consider throttling your request speed")],
                                      headers)
        headers = self._rate_headers(principal, rate_info)
        faulted = self.apply_faults(req, action)
        if faulted is not None:
            faulted.headers = {**headers, **faulted.headers}
            return faulted
        try:
            with self.lock:
                status, body = handler(req, principal, parts)
        except ApiError as error:
            req.outcome = str(error.code)
            return error.response(headers)
        return base.json_response(status, body, headers)

    def _route(self, method: str, parts: List[str]):
        if parts == ["zones"]:
            return "zones.list", {"GET"}, self._zones_list
        if len(parts) == 2 and parts[0] == "zones":
            return "zones.get", {"GET"}, self._zones_get
        if len(parts) == 3 and parts[0] == "zones" and parts[2] == "dns_records":
            if method == "POST":
                return "dns_records.create", {"POST"}, self._records_create
            return "dns_records.list", {"GET", "POST"}, self._records_list
        if len(parts) == 4 and parts[0] == "zones" and parts[2] == "dns_records":
            if method == "DELETE":
                return "dns_records.delete", {"DELETE"}, self._records_delete
            return "dns_records.get", {"GET", "DELETE"}, self._records_get
        if parts == ["user", "tokens", "verify"]:
            return "tokens.verify", {"GET"}, self._verify
        return None

    # -- handlers -------------------------------------------------------------------

    @staticmethod
    def _page_args(req: Request, default: int, low: int, high: int) -> Tuple[int, int]:
        params = dict(req.query)
        try:
            page = max(1, int(float(params.get("page") or 1)))
            per_page = int(float(params.get("per_page") or default))
        except ValueError:
            raise ApiError(400, 1004, "Invalid pagination parameters") from None
        return page, min(max(per_page, low), high)

    @staticmethod
    def _paginate(items: List[Any], page: int, per_page: int) -> Tuple[List[Any], Dict[str, Any]]:
        total = len(items)
        chunk = items[(page - 1) * per_page: page * per_page]
        return chunk, {"page": page, "per_page": per_page, "count": len(chunk), "total_count": total,
                       "total_pages": int(math.ceil(total / per_page)) if total else 0}

    def _zone_for(self, principal: Principal, zone_id: str) -> Zone:
        if not ID_RE.match(zone_id):
            raise ApiError(400, 7003, f"Could not route to /zones/{zone_id}, perhaps your object identifier is invalid?")
        zone = self.zones.get(zone_id)
        if zone is None or not principal.sees(zone.name):
            raise ApiError(403, 10000, "Authentication error")
        return zone

    def _zones_list(self, req: Request, principal: Principal, parts: List[str]):
        params = dict(req.query)
        page, per_page = self._page_args(req, 20, 5, 50)
        zones = [z for z in self.zones.values() if principal.sees(z.name)]
        if params.get("name"):
            wanted = params["name"].lower()
            zones = [z for z in zones if z.name == wanted]
        if params.get("status") and params["status"] != "active":
            zones = []
        zones.sort(key=lambda z: z.name, reverse=params.get("direction") == "desc")
        chunk, info = self._paginate(zones, page, per_page)
        return 200, {"result": [z.to_api(self.account_id) for z in chunk], "result_info": info,
                     "success": True, "errors": [], "messages": []}

    def _zones_get(self, req: Request, principal: Principal, parts: List[str]):
        zone = self._zone_for(principal, parts[1])
        return 200, {"result": zone.to_api(self.account_id), "success": True, "errors": [], "messages": []}

    def _records_list(self, req: Request, principal: Principal, parts: List[str]):
        zone = self._zone_for(principal, parts[1])
        if "dns:read" not in principal.permissions:
            raise ApiError(403, 10000, "Authentication error")
        params = req.query
        page, per_page = self._page_args(req, 100, 5, 5000000)
        match_any = dict(params).get("match", "all") == "any"
        tests = []
        for key, value in params:
            low = value.lower()
            if key in ("type",):
                tests.append(lambda r, v=value.upper(): r.type == v)
            for fld in ("name", "content"):
                if key in (fld, f"{fld}.exact"):
                    tests.append(lambda r, f=fld, v=low: getattr(r, f).lower() == v)
                elif key == f"{fld}.contains":
                    tests.append(lambda r, f=fld, v=low: v in getattr(r, f).lower())
                elif key == f"{fld}.startswith":
                    tests.append(lambda r, f=fld, v=low: getattr(r, f).lower().startswith(v))
                elif key == f"{fld}.endswith":
                    tests.append(lambda r, f=fld, v=low: getattr(r, f).lower().endswith(v))
        records = [r for r in self.records.values() if r.zone == zone.name]
        if tests:
            combine = any if match_any else all
            records = [r for r in records if combine(t(r) for t in tests)]
        order = dict(params).get("order")
        if order in ("type", "name", "content", "ttl"):
            records.sort(key=lambda r: (getattr(r, order), r.seq))
        else:
            records.sort(key=lambda r: r.seq)
        if dict(params).get("direction") == "desc":
            records.reverse()
        chunk, info = self._paginate(records, page, per_page)
        return 200, {"result": [r.to_api() for r in chunk], "result_info": info,
                     "success": True, "errors": [], "messages": []}

    def _records_get(self, req: Request, principal: Principal, parts: List[str]):
        zone = self._zone_for(principal, parts[1])
        if "dns:read" not in principal.permissions:
            raise ApiError(403, 10000, "Authentication error")
        rec = self.records.get(parts[3])
        if rec is None or rec.zone != zone.name:
            raise ApiError(404, 81044, "Record does not exist.")
        return 200, {"result": rec.to_api(), "success": True, "errors": [], "messages": []}

    def _records_create(self, req: Request, principal: Principal, parts: List[str]):
        zone = self._zone_for(principal, parts[1])
        if "dns:edit" not in principal.permissions:
            raise ApiError(403, 10000, "Authentication error")
        try:
            data = json.loads(req.body.decode("utf-8")) if req.body.strip() else None
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise ApiError(400, 9207, "Request body is invalid.")
        rtype = str(data.get("type", "")).upper()
        if rtype not in RECORD_TYPES:
            raise ApiError(400, 9000, "DNS record type is invalid.")
        raw_name = data.get("name")
        if not isinstance(raw_name, str) or not raw_name.strip():
            raise ApiError(400, 9005, "DNS record name is invalid.")
        content = data.get("content")
        if not isinstance(content, str) or content == "":
            raise ApiError(400, 9005, "Content for record is invalid.")
        ttl = data.get("ttl", 1)
        if not isinstance(ttl, int) or isinstance(ttl, bool) or not (ttl == 1 or 60 <= ttl <= 86400):
            raise ApiError(400, 9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.")
        name = self._absolute(raw_name, zone.name)
        if rtype == "TXT" and self.quote_txt and not (len(content) >= 2 and content[0] == content[-1] == '"'):
            content = '"' + content + '"'
        for rec in self.records.values():
            if rec.zone == zone.name and rec.type == rtype and rec.name == name and rec.content == content:
                raise ApiError(400, self.duplicate_code,
                               DUPLICATE_MESSAGES.get(self.duplicate_code, "The record already exists."))
        rec = self._add(zone, name, rtype, content, ttl, data.get("comment"), data.get("tags"))
        req.note["note"] = f"created {rec.id}"
        return 200, {"result": rec.to_api(), "success": True, "errors": [], "messages": []}

    def _records_delete(self, req: Request, principal: Principal, parts: List[str]):
        zone = self._zone_for(principal, parts[1])
        if "dns:edit" not in principal.permissions:
            raise ApiError(403, 10000, "Authentication error")
        rec = self.records.get(parts[3])
        if rec is None or rec.zone != zone.name:
            raise ApiError(404, 81044, "Record does not exist.")
        del self.records[rec.id]
        req.note["note"] = f"deleted {rec.id}"
        return 200, {"result": {"id": rec.id}, "success": True, "errors": [], "messages": []}

    def _verify(self, req: Request, principal: Principal, parts: List[str]):
        if principal.kind != "token":
            raise ApiError(401, 1000, "Invalid API Token")
        return 200, {"result": {"id": principal.ident, "status": "active"}, "success": True, "errors": [],
                     "messages": [{"code": 10000, "message": "This API Token is valid and active", "type": None}]}


def main(argv=None) -> int:
    return base.run(CloudflareEmulator, DEFAULT_CONFIG, "Cloudflare API v4 (zones + dns_records) emulator for tests.",
                    argv)


if __name__ == "__main__":
    sys.exit(main())
