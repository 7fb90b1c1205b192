#!/usr/bin/env python3
"""An honest emulator of Akamai Edge DNS (Config DNS API v2) record-set
endpoints behind EdgeGrid ``EG1-HMAC-SHA256`` authentication, for tests.
Standard library only.

Routes (under ``/config-dns/v2``)::

    GET    /zones?search=&page=&pageSize=
    GET    /zones/{zone}
    GET    /zones/{zone}/recordsets?types=&page=&pageSize=
    GET    /zones/{zone}/names/{name}/types/{type}    200 {name,type,ttl,rdata} | 404
    POST   /zones/{zone}/names/{name}/types/{type}    201 (409 if the set exists)
    PUT    /zones/{zone}/names/{name}/types/{type}    200 (404 if it does not)
    DELETE /zones/{zone}/names/{name}/types/{type}    204 (404 if it does not)

Command line::

    python3 akamai_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

Prints one JSON line ``{"port": N, "host": "127.0.0.1"}``; exits 0 on
SIGTERM/SIGINT or EOF on a piped stdin.

Default config (test fixtures only)::

    {"host": "akab-emulator00000000-0000000000000000.luna.akamaiapis.net",
     "acceptLoopbackHost": true, "signedSchemes": ["http"],
     "clients": [
       {"clientToken": "akab-cccccccccccccccc-0000000000000000",
        "clientSecret": "c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDA=",
        "accessToken": "akab-aaaaaaaaaaaaaaaa-0000000000000000", "zones": "*"},
       {"clientToken": "akab-cccccccccccccccc-1111111111111111",
        "clientSecret": "c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDE=",
        "accessToken": "akab-aaaaaaaaaaaaaaaa-1111111111111111", "zones": ["example.org"]}],
     "zones": ["example.com", "example.org"], "recordsets": [],
     "maxBody": 131072, "headersToSign": [], "timestampWindowSeconds": 30,
     "rejectReusedNonce": true, "quoteTxtRdata": true}

EdgeGrid verification (``verify_authorization``), recomputed exactly as the
signing clients compute it (edgegrid-python, edgegrid-golang; the published
test vectors pass, see test_akamai_emulator.py):

* ``Authorization: EG1-HMAC-SHA256 client_token=..;access_token=..;timestamp=..;nonce=..;signature=..``
  The unsigned header is everything before ``signature=`` (it must end in ``;``).
* data to sign = TAB-joined: METHOD, scheme, host, request target (path,
  ``;params`` and ``?query`` exactly as sent), canonical headers (the
  ``headersToSign`` present, ``name:value`` trimmed, runs of whitespace
  collapsed, joined by TAB; empty for Edge DNS), content hash (Base64 SHA-256
  of the body truncated to ``maxBody``, only for POST with a non-empty body),
  the unsigned header.
* signing key = Base64(HMAC-SHA256(client_secret, timestamp)); signature =
  Base64(HMAC-SHA256(key = the Base64 text of the signing key, data)).
* host = the request's Host header, which must be the configured ``host``
  (or, with ``acceptLoopbackHost``, ``127.0.0.1:PORT``/``localhost:PORT``);
  scheme: one of ``signedSchemes`` (the emulator is plain http, so ``http``,
  which is what edgegrid-python/-golang sign for an http URL; add
  ``"https"`` to accept a client that always signs https).
* timestamp ``yyyyMMddTHH:mm:ss+0000`` within +/- ``timestampWindowSeconds``
  (Akamai's window is 30 s per a 2026 terraform-provider-akamai thread).
  A nonce may not be reused by one client within the window.

Errors, as Akamai's gateway answers them (problem+json with ``type``,
``title``, ``status``, ``detail``, ``instance``, ``method``, ``serverIp``,
``clientIp``, ``requestId``, ``requestTime``):

* 401 ``.../-/pep-authn/deny`` "Not authorized": detail ``The signature does
  not match``, ``Invalid authorization client token``, ``Invalid authorization
  access token``, ``Inactive client token``, ``Invalid authorization header``
  (missing/malformed), ``Invalid authorization nonce`` (reused).
* 400 ``.../-/pep-authn/request-error`` "Bad request": ``Invalid timestamp``.
  (The texts of the first and 400 ones are captured from the live service in
  public issues; the token/nonce/header texts are plausible, unverified.)
* Edge DNS errors are problem+json ``{type, title, detail, status, instance}``:
  404 "Not Found" for a missing record set or zone, 409 "Conflict" for a POST
  on an existing set, 400 "Invalid Operation" for a bad body, 403
  "Forbidden" for a zone the client is not granted (shapes per the Go
  library's Error type; exact type URIs and texts unverified).

Concurrency: Akamai offers NO concurrency control on record sets -- no ETag,
If-Match or version on these endpoints (the zone's ``versionId`` and the
changelist ``stale`` flag exist but do not guard record-set writes).  A PUT
replaces the whole rdata list, so two read-modify-write clients lose each
other's values.  The emulator records every write in ``/__admin/state``
``writes``: ``{seq, method, zone, name, type, before, after, added, removed,
client, staleRead}``, where ``staleRead`` is true when the writing client had
not read the set's current version (it read an older one or never read it):
the signature of a read-modify-write race.  Each read is matched to at most
one later write by the same client token, so two writers sharing one
credential are told apart; it is a hint, not proof (a third reader of the
current version can mask a stale writer).

TXT rdata: a value sent without quotes is stored and returned quoted
(``quoteTxtRdata``), values over 255 characters are split into quoted
255-character strings; rdata is returned as stored (``"\\"value\\""``).

Faults (``/__admin/faults``) hit after authentication: ``throttle`` answers
429 problem+json with ``X-RateLimit-Limit``, ``X-RateLimit-Remaining: 0``,
``X-RateLimit-Next`` (RFC 3339, now + retryAfterSeconds; Akamai's documented
rate-limit headers) and ``Retry-After``; ``error5xx`` answers the Go
library's fixture ``{"type": "internal_error", "title": "Internal Server
Error", "detail": "Error fetching authorities", "status": 500}`` (title
"Service Unavailable" for 503); ``errors`` entries ``{"status", "title",
"detail", "type"}`` answer that.  No real rate limiter is modelled.

Admin: ``POST /__admin/seed`` ``{"recordsets": [{"zone", "name", "type",
"ttl", "rdata": [...]}]}``; ``POST /__admin/clock`` shifts the clock that
the timestamp window uses.
"""

from __future__ import annotations

import base64
import calendar
import copy
import hashlib
import hmac
import json
import re
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import emulator_base as base
from emulator_base import Request, Response, json_response

PREFIX = "/config-dns/v2"
PROBLEMS = "https://problems.luna.akamaiapis.net"

DEFAULT_CONFIG: Dict[str, Any] = {
    "host": "akab-emulator00000000-0000000000000000.luna.akamaiapis.net",
    "acceptLoopbackHost": True,
    "signedSchemes": ["http"],
    "clients": [
        {"clientToken": "akab-cccccccccccccccc-0000000000000000",
         "clientSecret": "c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDA=",
         "accessToken": "akab-aaaaaaaaaaaaaaaa-0000000000000000", "zones": "*"},
        {"clientToken": "akab-cccccccccccccccc-1111111111111111",
         "clientSecret": "c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDE=",
         "accessToken": "akab-aaaaaaaaaaaaaaaa-1111111111111111", "zones": ["example.org"]},
    ],
    "zones": ["example.com", "example.org"],
    "recordsets": [],
    "maxBody": 131072,
    "headersToSign": [],
    "timestampWindowSeconds": 30,
    "quoteTxtRdata": True,
}

# ---------------------------------------------------------------------------
# EdgeGrid EG1-HMAC-SHA256, recomputed from the algorithm (pure functions)
# ---------------------------------------------------------------------------

TIMESTAMP_RE = re.compile(r"^\d{8}T\d{2}:\d{2}:\d{2}\+0000$")
WHITESPACE_RE = re.compile(r"\s+")


def base64_hmac_sha256(data: str, key: str) -> str:
    return base64.b64encode(hmac.new(key.encode("utf-8"), data.encode("utf-8"), hashlib.sha256).digest()).decode()


def signing_key(client_secret: str, timestamp: str) -> str:
    """Base64(HMAC-SHA256(key=client_secret, msg=timestamp))."""
    return base64_hmac_sha256(timestamp, client_secret)


def content_hash(method: str, body: bytes, max_body: int) -> str:
    """Base64(SHA-256(body[:max_body])) for a POST with a body, else ''."""
    if method.upper() != "POST" or not body:
        return ""
    return base64.b64encode(hashlib.sha256(body[:max_body]).digest()).decode()


def canonicalize_headers(headers: Sequence[Tuple[str, str]], headers_to_sign: Iterable[str]) -> str:
    """``name:value`` for each header to sign that is present, in the configured
    order, value trimmed and whitespace runs collapsed, TAB-joined."""
    present = {}
    for name, value in headers:
        present.setdefault(name.lower(), value)
    out = []
    for name in (h.lower() for h in headers_to_sign):
        if name in present:
            out.append(name + ":" + WHITESPACE_RE.sub(" ", present[name].strip()))
    return "\t".join(out)


def data_to_sign(method: str, scheme: str, host: str, target: str, canonical_headers: str,
                 body_hash: str, unsigned_auth_header: str) -> str:
    return "\t".join([method.upper(), scheme, host, target, canonical_headers, body_hash, unsigned_auth_header])


def make_signature(client_secret: str, timestamp: str, data: str) -> str:
    return base64_hmac_sha256(data, signing_key(client_secret, timestamp))


def parse_authorization(value: Optional[str]) -> Optional[Dict[str, str]]:
    """Split an EG1 header into its fields plus ``unsigned`` (the part signed)."""
    if not value or not value.startswith("EG1-HMAC-SHA256 "):
        return None
    marker = value.rfind("signature=")
    if marker < 0:
        return None
    unsigned = value[:marker]
    if not unsigned.endswith(";"):
        return None
    fields: Dict[str, str] = {}
    for part in value[len("EG1-HMAC-SHA256 "):].split(";"):
        if not part:
            continue
        key, sep, val = part.partition("=")
        if not sep or key in fields:
            return None
        fields[key] = val
    if set(fields) != {"client_token", "access_token", "timestamp", "nonce", "signature"}:
        return None
    fields["unsigned"] = unsigned
    return fields


def verify_authorization(auth_header: str, *, method: str, scheme: str, host: str, target: str,
                         headers: Sequence[Tuple[str, str]], body: bytes, client_secret: str,
                         headers_to_sign: Iterable[str] = (), max_body: int = 131072) -> bool:
    """True when ``auth_header`` carries the right signature for this request."""
    fields = parse_authorization(auth_header)
    if fields is None:
        return False
    data = data_to_sign(method, scheme, host, target, canonicalize_headers(headers, headers_to_sign),
                        content_hash(method, body, max_body), fields["unsigned"])
    expected = make_signature(client_secret, fields["timestamp"], data)
    return hmac.compare_digest(expected.encode(), fields["signature"].encode())


def parse_timestamp(text: str) -> Optional[float]:
    if not TIMESTAMP_RE.match(text):
        return None
    try:
        return float(calendar.timegm(time.strptime(text[:17], "%Y%m%dT%H:%M:%S")))
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# The emulator
# ---------------------------------------------------------------------------


class Problem(Exception):
    def __init__(self, status: int, ptype: str, title: str, detail: str, **extra: Any):
        super().__init__(detail)
        self.status, self.ptype, self.title, self.detail, self.extra = status, ptype, title, detail, extra


@dataclass
class RecordSet:
    zone: str
    name: str
    type: str
    ttl: int
    rdata: List[str]
    version: int

    def to_api(self) -> Dict[str, Any]:
        return {"name": self.name, "type": self.type, "ttl": self.ttl, "rdata": list(self.rdata)}


def iso_z(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%03dZ" % int((epoch % 1) * 1000)


class AkamaiEmulator(base.BaseEmulator):
    name = "akamai-emulator"
    fault_error_fields = ()  # entries are {"status", "title", "detail", "type"}, all optional

    def __init__(self, config: Dict[str, Any]) -> None:
        self.host = config.get("host", DEFAULT_CONFIG["host"]).lower()
        self.clients = {c["clientToken"]: c for c in config.get("clients", [])}
        self.zones = [z.lower().rstrip(".") for z in config.get("zones", [])]
        self.max_body = int(config.get("maxBody", 131072))
        self.headers_to_sign = list(config.get("headersToSign", []))
        self.window = float(config.get("timestampWindowSeconds", 30))
        self.schemes = list(config.get("signedSchemes", ["http"]))
        self.quote_txt = bool(config.get("quoteTxtRdata", True))
        super().__init__(config)

    # -- state ---------------------------------------------------------------------

    def reset_records(self) -> None:
        self.sets: Dict[Tuple[str, str, str], RecordSet] = {}
        self.nonces: Dict[Tuple[str, str], float] = {}
        # (client, zone, name, type) -> versions read and not yet used by a write of that client
        self.reads: Dict[Tuple[str, str, str, str], List[int]] = {}
        self.writes: List[Dict[str, Any]] = []
        self.version_counter = 0
        self.zone_versions = {z: {"versionId": str(uuid.uuid4()), "lastModifiedDate": iso_z(self.clock.now())}
                              for z in self.zones}
        for item in self.config.get("recordsets", []):
            self._seed_one(item)

    def _seed_one(self, item: Dict[str, Any]) -> RecordSet:
        zone = item["zone"].lower()
        if zone not in self.zones:
            raise ValueError(f"no zone {zone!r}")
        rtype = item.get("type", "TXT").upper()
        rdata = [self._normalize(rtype, str(v)) for v in item.get("rdata", [])]
        return self._store(zone, item["name"].lower().rstrip("."), rtype, int(item.get("ttl", 300)), rdata,
                           "SEED", "admin", False)

    def seed(self, data: Dict[str, Any]) -> Any:
        return [self._seed_one(item).to_api() for item in data.get("recordsets", [])]

    def state_extra(self) -> Dict[str, Any]:
        return {"host": self.host, "zones": [dict(zone=z, **self.zone_versions[z]) for z in self.zones],
                "recordsets": [dict(s.to_api(), zone=s.zone, version=s.version)
                               for s in sorted(self.sets.values(), key=lambda s: (s.zone, s.name, s.type))],
                "writes": copy.deepcopy(self.writes)}

    def _normalize(self, rtype: str, value: str) -> str:
        if rtype != "TXT" or not self.quote_txt or value.startswith('"'):
            return value
        chunks = [value[i:i + 255] for i in range(0, len(value), 255)] or [""]
        return " ".join('"' + c + '"' for c in chunks)

    def _store(self, zone: str, name: str, rtype: str, ttl: int, rdata: List[str], method: str, client: str,
               stale: bool) -> RecordSet:
        key = (zone, name, rtype)
        before = list(self.sets[key].rdata) if key in self.sets else []
        self.version_counter += 1
        if method == "DELETE":
            self.sets.pop(key, None)
            after: List[str] = []
            result = None
        else:
            result = RecordSet(zone=zone, name=name, type=rtype, ttl=ttl, rdata=list(rdata),
                               version=self.version_counter)
            self.sets[key] = result
            after = list(rdata)
        self.zone_versions[zone] = {"versionId": str(uuid.uuid4()), "lastModifiedDate": iso_z(self.clock.now())}
        self.writes.append({"seq": len(self.writes) + 1, "method": method, "zone": zone, "name": name, "type": rtype,
                            "before": before, "after": after, "added": [v for v in after if v not in before],
                            "removed": [v for v in before if v not in after], "client": client,
                            "staleRead": stale, "time": round(self.clock.now(), 3)})
        return result  # type: ignore[return-value]

    # -- responses --------------------------------------------------------------------

    def _problem(self, req: Request, error: Problem) -> Response:
        body: Dict[str, Any] = {"type": error.ptype, "title": error.title, "status": error.status,
                                "detail": error.detail}
        body["instance"] = f"https://{self.host}{req.target}"
        if error.ptype.startswith(PROBLEMS + "/-/pep-authn"):
            body.update({"method": req.method, "serverIp": "127.0.0.1", "clientIp": req.client_ip,
                         "requestId": uuid.uuid4().hex[:8], "requestTime": time.strftime(
                             "%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock.now()))})
        body.update(error.extra)
        return json_response(error.status, body, content_type="application/problem+json")

    def fault_response(self, req: Request, fault: base.Fault) -> Response:
        if fault.kind == "throttle":
            wait = float(fault.extra.get("retryAfter", 1))
            req.outcome = "429"
            resp = self._problem(req, Problem(
                429, f"{PROBLEMS}/-/rate-limit/too-many-requests", "Too Many Requests",
                "Rate limit exceeded; retry after the time in X-RateLimit-Next."))
            resp.headers.update({"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0",
                                 "X-RateLimit-Next": iso_z(self.clock.now() + wait),
                                 "Retry-After": str(max(1, int(round(wait))))})
            return resp
        if fault.kind == "error5xx":
            status = fault.status or 503
            req.outcome = str(status)
            title = "Internal Server Error" if status == 500 else "Service Unavailable"
            return json_response(status, {"type": "internal_error", "title": title,
                                           "detail": "Error fetching authorities", "status": status},
                                 content_type="application/problem+json")
        entry = fault.extra
        req.outcome = str(fault.status)
        return json_response(fault.status, {
            "type": entry.get("type", f"{PROBLEMS}/authoritative-dns/injected"),
            "title": entry.get("title", "Injected"), "detail": entry.get("detail", "Injected error."),
            "status": fault.status}, content_type="application/problem+json")

    # -- authentication ------------------------------------------------------------------

    def _authenticate(self, req: Request) -> Dict[str, Any]:
        deny = f"{PROBLEMS}/-/pep-authn/deny"
        host = (req.header("host") or "").lower()
        allowed_hosts = {self.host}
        if self.config.get("acceptLoopbackHost", True):
            allowed_hosts |= {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        if host not in allowed_hosts:
            raise Problem(400, f"{PROBLEMS}/-/pep-authn/request-error", "Bad request",
                          f"Invalid host (this emulator answers for {self.host})")
        fields = parse_authorization(req.header("authorization"))
        if fields is None:
            raise Problem(401, deny, "Not authorized", "Invalid authorization header")
        stamp = parse_timestamp(fields["timestamp"])
        if stamp is None or abs(stamp - self.clock.now()) > self.window:
            raise Problem(400, f"{PROBLEMS}/-/pep-authn/request-error", "Bad request", "Invalid timestamp")
        client = self.clients.get(fields["client_token"])
        if client is None:
            raise Problem(401, deny, "Not authorized", "Invalid authorization client token")
        if not hmac.compare_digest(fields["access_token"].encode(), client["accessToken"].encode()):
            raise Problem(401, deny, "Not authorized", "Invalid authorization access token")
        if client.get("status", "active") != "active":
            raise Problem(401, deny, "Not authorized", "Inactive client token")
        headers = [(k, v) for k, v in req.headers.items()]
        good = None
        for scheme in self.schemes:
            if verify_authorization(req.header("authorization") or "", method=req.method, scheme=scheme,
                                    host=req.header("host") or "", target=req.target, headers=headers,
                                    body=req.body, client_secret=client["clientSecret"],
                                    headers_to_sign=self.headers_to_sign,
                                    max_body=int(client.get("maxBody", self.max_body))):
                good = scheme
                break
        if good is None:
            raise Problem(401, deny, "Not authorized", "The signature does not match")
        now = self.clock.now()
        with self.lock:
            for key, seen_at in list(self.nonces.items()):
                if seen_at < now - 2 * self.window:
                    del self.nonces[key]
            nonce_key = (client["clientToken"], fields["nonce"])
            if nonce_key in self.nonces and self.config.get("rejectReusedNonce", True):
                raise Problem(401, deny, "Not authorized", "Invalid authorization nonce")
            self.nonces[nonce_key] = now
        req.principal = client["clientToken"]
        return client

    # -- routing ---------------------------------------------------------------------------

    def api(self, req: Request) -> Response:
        route = self._route(req.path)
        req.action = route[0] if route else "no-route"
        try:
            client = self._authenticate(req)
        except Problem as error:
            req.outcome = error.detail
            return self._problem(req, error)
        if route is None:
            req.outcome = "404"
            return self._problem(req, Problem(404, f"{PROBLEMS}/-/resource-impl/forward-origin-error", "Not Found",
                                              "The requested resource is not found"))
        action, methods, handler, args = route
        if req.method not in methods:
            req.outcome = "405"
            return self._problem(req, Problem(405, f"{PROBLEMS}/authoritative-dns/method-not-allowed",
                                              "Method Not Allowed", f"Method {req.method} is not allowed"))
        if req.method != "GET":
            action = {"POST": "recordset.create", "PUT": "recordset.replace", "DELETE": "recordset.delete"}.get(
                req.method, action)
        faulted = self.apply_faults(req, action)
        if faulted is not None:
            return faulted
        try:
            with self.lock:
                status, body = handler(req, client, *args)
        except Problem as error:
            req.outcome = str(error.status)
            return self._problem(req, error)
        if status == 204:
            return Response(204)
        return json_response(status, body)

    def _route(self, path: str):
        if not path.startswith(PREFIX + "/"):
            return None
        parts = path[len(PREFIX):].strip("/").split("/")
        if parts == ["zones"]:
            return "zones.list", {"GET"}, self._zones_list, ()
        if len(parts) == 2 and parts[0] == "zones":
            return "zones.get", {"GET"}, self._zone_get, (parts[1],)
        if len(parts) == 3 and parts[0] == "zones" and parts[2] == "recordsets":
            return "recordsets.list", {"GET"}, self._recordsets_list, (parts[1],)
        if len(parts) == 6 and parts[0] == "zones" and parts[2] == "names" and parts[4] == "types":
            return "recordset.get", {"GET", "POST", "PUT", "DELETE"}, self._recordset, (parts[1], parts[3], parts[5])
        return None

    # -- handlers ----------------------------------------------------------------------------

    def _zone(self, client: Dict[str, Any], zone: str) -> str:
        zone = zone.lower()
        if zone not in self.zones:
            raise Problem(404, f"{PROBLEMS}/authoritative-dns/not-found", "Not Found", f"Zone {zone} does not exist")
        grants = client.get("zones", "*")
        if grants != "*" and zone not in [z.lower() for z in grants]:
            raise Problem(403, f"{PROBLEMS}/authoritative-dns/forbidden", "Forbidden",
                          f"Client does not have access to zone {zone}")
        return zone

    def _zone_api(self, zone: str) -> Dict[str, Any]:
        return {"zone": zone, "type": "PRIMARY", "comment": "dns01 emulator zone", "signAndServe": False,
                "contractId": "C-0NTRACT", "activationState": "ACTIVE", "aliasCount": 0,
                "lastActivationDate": self.zone_versions[zone]["lastModifiedDate"],
                "lastModifiedDate": self.zone_versions[zone]["lastModifiedDate"],
                "versionId": self.zone_versions[zone]["versionId"]}

    @staticmethod
    def _page(req: Request, default: int = 25) -> Tuple[int, int]:
        params = dict(req.query)
        try:
            return max(1, int(params.get("page") or 1)), max(1, int(params.get("pageSize") or default))
        except ValueError:
            raise Problem(400, f"{PROBLEMS}/authoritative-dns/invalid-operation", "Invalid Operation",
                          "page and pageSize must be integers") from None

    def _zones_list(self, req: Request, client: Dict[str, Any]):
        search = dict(req.query).get("search", "").lower()
        grants = client.get("zones", "*")
        zones = [z for z in self.zones if (grants == "*" or z in grants) and search in z]
        page, size = self._page(req)
        chunk = zones[(page - 1) * size: page * size]
        return 200, {"metadata": {"page": page, "pageSize": size, "showAll": False, "totalElements": len(zones)},
                     "zones": [self._zone_api(z) for z in chunk]}

    def _zone_get(self, req: Request, client: Dict[str, Any], zone: str):
        return 200, self._zone_api(self._zone(client, zone))

    def _recordsets_list(self, req: Request, client: Dict[str, Any], zone: str):
        zone = self._zone(client, zone)
        wanted = {t.upper() for t in dict(req.query).get("types", "").split(",") if t}
        sets = [s for s in sorted(self.sets.values(), key=lambda s: (s.name, s.type))
                if s.zone == zone and (not wanted or s.type in wanted)]
        page, size = self._page(req, 25)
        chunk = sets[(page - 1) * size: page * size]
        return 200, {"metadata": {"zone": zone, "page": page, "pageSize": size, "totalElements": len(sets),
                                  "types": sorted(wanted)}, "recordsets": [s.to_api() for s in chunk]}

    def _recordset(self, req: Request, client: Dict[str, Any], zone: str, name: str, rtype: str):
        zone = self._zone(client, zone)
        name, rtype = name.lower().rstrip("."), rtype.upper()
        if name != zone and not name.endswith("." + zone):
            raise Problem(400, f"{PROBLEMS}/authoritative-dns/invalid-operation", "Invalid Operation",
                          f"Name {name} is not in zone {zone}")
        key = (zone, name, rtype)
        current = self.sets.get(key)
        seen_key = (client["clientToken"], zone, name, rtype)
        reads = self.reads.setdefault(seen_key, [])
        if req.method == "GET":
            reads.append(current.version if current else 0)
            del reads[:-64]
            if current is None:
                raise Problem(404, f"{PROBLEMS}/authoritative-dns/not-found", "Not Found",
                              f"Recordset {name}/{rtype} does not exist in zone {zone}")
            return 200, current.to_api()
        if req.method == "DELETE" and current is None:
            raise Problem(404, f"{PROBLEMS}/authoritative-dns/not-found", "Not Found",
                          f"Recordset {name}/{rtype} does not exist in zone {zone}")
        body = self._parse_body(req, name, rtype) if req.method != "DELETE" else None
        if req.method == "POST" and current is not None:
            raise Problem(409, f"{PROBLEMS}/authoritative-dns/conflict", "Conflict",
                          f"Recordset {name}/{rtype} already exists in zone {zone}")
        if req.method == "PUT" and current is None:
            raise Problem(404, f"{PROBLEMS}/authoritative-dns/not-found", "Not Found",
                          f"Recordset {name}/{rtype} does not exist in zone {zone}")
        # Was this write based on a read of the current version?  Each read is used by
        # at most one write, so two writers sharing one credential are told apart.
        version = current.version if current else 0
        stale = version not in reads
        if not stale:
            reads.remove(version)
        if req.method == "DELETE":
            self._store(zone, name, rtype, current.ttl, [], "DELETE", client["clientToken"], stale)
            req.note["note"] = "deleted"
            return 204, None
        stored = self._store(zone, name, rtype, body["ttl"], body["rdata"], req.method, client["clientToken"],
                             stale if req.method == "PUT" else False)
        req.note["note"] = f"{req.method} rdata={stored.rdata}"
        return (201 if req.method == "POST" else 200), stored.to_api()

    def _parse_body(self, req: Request, name: str, rtype: str) -> Dict[str, Any]:
        def invalid(detail: str) -> Problem:
            return Problem(400, f"{PROBLEMS}/authoritative-dns/invalid-operation", "Invalid Operation", detail)

        try:
            data = json.loads(req.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise invalid("Request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise invalid("Request body must be a JSON object")
        if str(data.get("name", "")).lower().rstrip(".") != name:
            raise invalid("Record name in the body does not match the URL")
        if str(data.get("type", "")).upper() != rtype:
            raise invalid("Record type in the body does not match the URL")
        ttl = data.get("ttl")
        if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 0:
            raise invalid("TTL is required and must be a non-negative integer")
        rdata = data.get("rdata")
        if not isinstance(rdata, list) or not rdata or not all(isinstance(v, str) and v for v in rdata):
            raise invalid("rdata must be a non-empty list of strings")
        normalized = [self._normalize(rtype, v) for v in rdata]
        if len(set(normalized)) != len(normalized):
            raise invalid("rdata contains duplicate values")
        return {"ttl": ttl, "rdata": normalized}


def main(argv=None) -> int:
    return base.run(AkamaiEmulator, DEFAULT_CONFIG, "Akamai Edge DNS (config-dns v2) + EdgeGrid emulator for tests.",
                    argv)


if __name__ == "__main__":
    sys.exit(main())
