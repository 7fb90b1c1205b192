#!/usr/bin/env python3
"""Emulator of the OVHcloud API ``/1.0`` DNS zone calls, with ``$1$`` signatures and OAuth2.

Command line::

    python3 ovh_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

Prints one line ``{"port": N, "host": "127.0.0.1"}``; exits 0 on SIGTERM,
SIGINT or EOF of a piped stdin (see emulator_base.py).  Endpoint URL for
clients: ``http://127.0.0.1:<port>/1.0``.

API (``X-Ovh-Queryid`` on every answer):

* ``GET /1.0/auth/time`` (no authentication; a bare integer, the SERVER clock)
* ``POST <oauth2TokenPath>`` (default ``/auth/oauth2/token``): OAuth2 client
  credentials (client id/secret in HTTP Basic or in the form) ->
  ``{"access_token", "token_type": "Bearer", "expires_in", "scope"}``
* ``GET /1.0/domain``, ``GET /1.0/domain/zone`` (zone names),
  ``GET /1.0/domain/zone/{zone}``, ``GET /1.0/domain/zone/{zone}/status``
* ``GET /1.0/domain/zone/{zone}/record?fieldType=&subDomain=`` (array of ids,
  exact filters), ``POST .../record`` ``{"fieldType", "subDomain", "target",
  "ttl"}`` -> the record, ``GET|PUT|DELETE .../record/{id}``
* ``POST /1.0/domain/zone/{zone}/refresh``: publishes the zone.  The admin
  state shows ``published`` (what the zone's name servers serve: the records
  as of the last refresh) next to ``records`` (the API's view).

Authentication: either ``X-Ovh-Application``/``X-Ovh-Consumer``/
``X-Ovh-Timestamp``/``X-Ovh-Signature`` with ``"$1$" + sha1(AS+"+"+CK+"+"+
METHOD+"+"+URL+"+"+BODY+"+"+TSTAMP)`` where URL is exactly what was requested
(``http://`` + Host header + path + query) and BODY the exact bytes; or
``Authorization: Bearer <access token>``.  Checks and answers, in order:
unknown application -> 403 INVALID_KEY; no consumer key -> 403
NOT_CREDENTIAL; unknown consumer key (or another application's) -> 403
INVALID_CREDENTIAL; timestamp more than ``timestampWindowSeconds`` (180)
from the server clock -> 400 QUERY_TIME_OUT; wrong signature -> 400
INVALID_SIGNATURE; call outside the consumer key's access rules -> 403
NOT_GRANTED_CALL; bad or expired bearer token -> 401 INVALID_CREDENTIAL.
Auth error bodies carry both shapes: ``{"class", "message", "errorCode",
"httpCode"}``.  API errors are ``{"class": "Client::NotFound", "message"}``
etc.  Throttling: 429 ``Client::TooManyRequests``.

Default config::

    {"applications": [{"applicationKey": "ovhtestappkey", "applicationSecret": "ovh-test-app-secret"}],
     "consumerKeys": [{"consumerKey": "ovhtestconsumerkey", "applicationKey": "ovhtestappkey", "account": "nic-1"},
                      {"consumerKey": "ovhreadonlyconsumerkey", "applicationKey": "ovhtestappkey", "account": "nic-1",
                       "accessRules": [{"method": "GET", "path": "/*"}]}],
     "oauth2Clients": [{"clientId": "ovh-test-client", "clientSecret": "ovh-test-client-secret", "account": "nic-1"}],
     "accounts": [{"name": "nic-1", "zones": ["example.com", "example.net"]},
                  {"name": "nic-2", "zones": ["other.example"]}],
     "timestampWindowSeconds": 180, "oauth2TokenPath": "/auth/oauth2/token", "tokenLifetimeSeconds": 3600}

(consumer keys without ``accessRules`` may call everything).
"""

from __future__ import annotations

import base64
import json
import fnmatch
import hashlib
import hmac
import re
import secrets
import sys
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, unquote

import emulator_base as base
from emulator_base import ApiFailure, BaseEmulator, Request, Response

FIELD_TYPES = {"A", "AAAA", "CAA", "CNAME", "DKIM", "DMARC", "DNAME", "LOC", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV",
               "SSHFP", "TLSA", "TXT"}
DEFAULT_CONFIG: Dict[str, Any] = {
    "applications": [{"applicationKey": "ovhtestappkey", "applicationSecret": "ovh-test-app-secret"}],
    "consumerKeys": [
        {"consumerKey": "ovhtestconsumerkey", "applicationKey": "ovhtestappkey", "account": "nic-1"},
        {"consumerKey": "ovhreadonlyconsumerkey", "applicationKey": "ovhtestappkey", "account": "nic-1",
         "accessRules": [{"method": "GET", "path": "/*"}]},
    ],
    "oauth2Clients": [{"clientId": "ovh-test-client", "clientSecret": "ovh-test-client-secret", "account": "nic-1"}],
    "accounts": [{"name": "nic-1", "zones": ["example.com", "example.net"]},
                 {"name": "nic-2", "zones": ["other.example"]}],
    "timestampWindowSeconds": 180,
    "oauth2TokenPath": "/auth/oauth2/token",
    "tokenLifetimeSeconds": 3600,
}
HTTP_REASONS = {400: "400 Bad Request", 401: "401 Unauthorized", 403: "403 Forbidden", 404: "404 Not Found",
                409: "409 Conflict", 429: "429 Too Many Requests", 500: "500 Internal Server Error",
                503: "503 Service Unavailable"}
CLASSES = {400: "Client::BadRequest", 401: "Client::Unauthorized", 403: "Client::Forbidden", 404: "Client::NotFound",
           409: "Client::Conflict", 429: "Client::TooManyRequests", 500: "Server::InternalServerError",
           503: "Server::ServiceUnavailable"}


def ovh_signature(secret: str, consumer: str, method: str, url: str, body: bytes, timestamp: str) -> str:
    """``"$1$" + hex(sha1(AS+"+"+CK+"+"+METHOD+"+"+URL+"+"+BODY+"+"+TSTAMP))`` over the exact bytes."""
    data = b"+".join([secret.encode(), consumer.encode(), method.upper().encode(), url.encode(), body,
                      timestamp.encode()])
    return "$1$" + hashlib.sha1(data).hexdigest()


@dataclass
class Record:
    id: int
    zone: str
    sub_domain: str
    field_type: str
    target: str
    ttl: int

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.id, "zone": self.zone, "subDomain": self.sub_domain, "fieldType": self.field_type,
                "target": self.target, "ttl": self.ttl}


class OvhError(Exception):
    def __init__(self, status: int, message: str, cls: Optional[str] = None):
        super().__init__(message)
        self.status, self.message, self.cls = status, message, cls or CLASSES.get(status, "Client::BadRequest")


class OvhEmulator(BaseEmulator):
    name = "ovh-emulator"
    default_config = DEFAULT_CONFIG

    def configure(self) -> None:
        self.apps = {a["applicationKey"]: a["applicationSecret"] for a in self.config.get("applications", [])}
        self.cks = {c["consumerKey"]: c for c in self.config.get("consumerKeys", [])}
        self.oauth_clients = {c["clientId"]: c for c in self.config.get("oauth2Clients", [])}
        self.zone_owner: Dict[str, str] = {}
        for acc in self.config.get("accounts", []):
            for zone in acc.get("zones", []):
                self.zone_owner[zone.lower()] = acc["name"]
        self.window = int(self.config.get("timestampWindowSeconds", 180))
        self.token_path = str(self.config.get("oauth2TokenPath", "/auth/oauth2/token"))
        self.token_lifetime = int(self.config.get("tokenLifetimeSeconds", 3600))
        self.tokens: Dict[str, Tuple[str, float]] = {}

    def reset_records(self) -> None:
        self.records: Dict[int, Record] = {}
        self.published: Dict[str, List[Dict[str, Any]]] = {z: [] for z in self.zone_owner}
        self.refreshes: Dict[str, int] = {z: 0 for z in self.zone_owner}
        self.next_id = 5000000000
        for item in self.config.get("records", []):
            self._seed_one(item)

    def on_reset(self) -> None:
        self.tokens = {}

    def _seed_one(self, item: Dict[str, Any]) -> int:
        zone = str(item["zone"]).lower()
        if zone not in self.zone_owner:
            raise ValueError(f"unknown zone {zone}")
        self.next_id += 1
        rec = Record(self.next_id, zone, str(item.get("subDomain", "")), str(item.get("fieldType", "TXT")),
                     str(item["target"]), int(item.get("ttl", 0)))
        self.records[rec.id] = rec
        if item.get("published", True):
            self.published[zone].append(rec.to_json())
        return rec.id

    def seed(self, data: Dict[str, Any]) -> Any:
        return [self._seed_one(item) for item in data.get("records", [])]

    def state_records(self) -> Any:
        return [r.to_json() for r in sorted(self.records.values(), key=lambda r: r.id)]

    def state_extra(self) -> Dict[str, Any]:
        return {"published": self.published, "refreshes": self.refreshes,
                "issuedTokens": len(self.tokens)}

    # -- answers ------------------------------------------------------------------
    @staticmethod
    def _query_id() -> str:
        return f"EU.ext-1.{secrets.token_hex(4)}.{secrets.randbelow(99999)}.{uuid.uuid4()}"

    def answer(self, status: int, body: Any) -> Response:
        return Response(status, raw=json.dumps(body).encode(), headers={"X-Ovh-Queryid": self._query_id()},
                        content_type="application/json; charset=utf-8")

    def error(self, status: int, message: str, cls: Optional[str] = None) -> ApiFailure:
        return ApiFailure(self.answer(status, {"class": cls or CLASSES.get(status, "Client::BadRequest"),
                                               "message": message}), cls or CLASSES.get(status, "error"))

    def auth_error(self, status: int, code: str, message: str) -> ApiFailure:
        return ApiFailure(self.answer(status, {"class": CLASSES[status], "message": message, "errorCode": code,
                                               "httpCode": HTTP_REASONS[status]}), code)

    def throttle_error(self, req: Request) -> Response:
        req.outcome = "Client::TooManyRequests"
        return self.answer(429, {"class": "Client::TooManyRequests", "message": "Too many requests"})

    def server_error(self, req: Request, status: Optional[int]) -> Response:
        status = status or 503
        req.outcome = CLASSES.get(status, "Server::InternalServerError")
        return self.answer(status, {"class": req.outcome, "message": "Service temporarily unavailable (injected)"})

    def injected_error(self, req: Request, entry: Dict[str, Any]) -> Response:
        return self.answer(int(entry.get("status", 400)), {"class": entry["code"], "message": entry.get("message", "Injected error")})

    # -- routing --------------------------------------------------------------------
    ROUTES = [
        ("GET", re.compile(r"^/domain$"), "listDomains"),
        ("GET", re.compile(r"^/domain/zone$"), "listZones"),
        ("GET", re.compile(r"^/domain/zone/(?P<zone>[^/]+)$"), "getZone"),
        ("GET", re.compile(r"^/domain/zone/(?P<zone>[^/]+)/status$"), "getZoneStatus"),
        ("GET", re.compile(r"^/domain/zone/(?P<zone>[^/]+)/record$"), "listRecords"),
        ("POST", re.compile(r"^/domain/zone/(?P<zone>[^/]+)/record$"), "createRecord"),
        ("GET", re.compile(r"^/domain/zone/(?P<zone>[^/]+)/record/(?P<id>[^/]+)$"), "getRecord"),
        ("PUT", re.compile(r"^/domain/zone/(?P<zone>[^/]+)/record/(?P<id>[^/]+)$"), "updateRecord"),
        ("DELETE", re.compile(r"^/domain/zone/(?P<zone>[^/]+)/record/(?P<id>[^/]+)$"), "deleteRecord"),
        ("POST", re.compile(r"^/domain/zone/(?P<zone>[^/]+)/refresh$"), "refreshZone"),
    ]

    def api(self, req: Request) -> Response:
        if req.method == "POST" and req.path == self.token_path:
            req.action = "oauth2Token"
            return self.oauth2_token(req)
        if not req.path.startswith("/1.0/"):
            req.action = f"{req.method} {req.path}"
            raise self.error(404, "Got an invalid (or empty) URL")
        path = req.path[len("/1.0"):]
        if (req.method, path) == ("GET", "/auth/time"):
            req.action = "authTime"
            return self.answer(200, int(self.clock.now()))
        route = None
        for method, pattern, action in self.ROUTES:
            match = pattern.match(path)
            if match and method == req.method:
                route = (action, match.groupdict())
                break
        if route is None:
            req.action = f"{req.method} {path}"
            raise self.error(404, "Got an invalid (or empty) URL")
        req.action, args = route
        account = self.authenticate(req, path)
        req.principal = account
        self.fault_point(req)
        try:
            with self.lock:
                status, body = getattr(self, "_" + req.action)(req, account, **args)
        except OvhError as err:
            raise self.error(err.status, err.message, err.cls) from None
        return self.answer(status, body)

    # -- authentication ---------------------------------------------------------------
    def authenticate(self, req: Request, path: str) -> str:
        auth = req.header("authorization") or ""
        if auth.lower().startswith("bearer "):
            token = auth[7:].strip()
            found = self.tokens.get(token)
            if found is None or self.clock.now() >= found[1]:
                raise self.auth_error(401, "INVALID_CREDENTIAL", "This credential is not valid")
            return found[0]
        ak = req.header("x-ovh-application")
        if not ak or ak not in self.apps:
            raise self.auth_error(403, "INVALID_KEY", "This application key is invalid")
        ck = req.header("x-ovh-consumer")
        if not ck:
            raise self.auth_error(403, "NOT_CREDENTIAL", "You must login first")
        consumer = self.cks.get(ck)
        if consumer is None or consumer["applicationKey"] != ak:
            raise self.auth_error(403, "INVALID_CREDENTIAL", "This credential does not exist")
        stamp = req.header("x-ovh-timestamp") or ""
        if not stamp.isdigit() or abs(int(stamp) - self.clock.now()) > self.window:
            raise self.auth_error(400, "QUERY_TIME_OUT", "Query out of time")
        url = "http://" + (req.header("host") or "") + req.target
        expected = ovh_signature(self.apps[ak], ck, req.method, url, req.body, stamp)
        given = req.header("x-ovh-signature") or ""
        if not hmac.compare_digest(expected.encode(), given.encode()):
            raise self.auth_error(400, "INVALID_SIGNATURE", "Invalid signature")
        rules = consumer.get("accessRules")
        if rules is not None and not any(r["method"] == req.method and fnmatch.fnmatchcase(path, r["path"]) for r in rules):
            raise self.auth_error(403, "NOT_GRANTED_CALL", "This call has not been granted")
        return consumer["account"]

    def oauth2_token(self, req: Request) -> Response:
        form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        auth = req.header("authorization") or ""
        if auth.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(auth[6:].strip()).decode("utf-8")
                client_id, _, client_secret = decoded.partition(":")
                client_id, client_secret = unquote(client_id), unquote(client_secret)
            except (ValueError, UnicodeDecodeError):
                client_id = None
        if form.get("grant_type") != "client_credentials":
            req.outcome = "unsupported_grant_type"
            return Response(400, {"error": "unsupported_grant_type", "error_description": "only client_credentials is supported"})
        client = self.oauth_clients.get(client_id or "")
        if client is None or not hmac.compare_digest((client_secret or "").encode(), client["clientSecret"].encode()):
            req.outcome = "invalid_client"
            return Response(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        req.principal = client_id
        self.fault_point(req)
        token = "eyJhbGciOiJFZERTQSIsImtpZCI6ImVtdWxhdG9yIn0." + secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = (client["account"], self.clock.now() + self.token_lifetime)
        return Response(200, {"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime,
                              "scope": form.get("scope", "all")})

    # -- handlers ---------------------------------------------------------------------
    def _zone(self, account: str, zone: str) -> str:
        name = unquote(zone).lower()
        if self.zone_owner.get(name) != account:
            raise OvhError(404, "This service does not exist")
        return name

    def _record(self, zone: str, rid: str) -> Record:
        rec = self.records.get(int(rid)) if rid.isdigit() else None
        if rec is None or rec.zone != zone:
            raise OvhError(404, f"The requested object (id = {rid}) does not exist")
        return rec

    def _body(self, req: Request) -> Dict[str, Any]:
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            raise OvhError(400, "Invalid JSON received") from None
        if body is None:
            return {}
        if not isinstance(body, dict):
            raise OvhError(400, "Invalid JSON received")
        return body

    def _listDomains(self, req: Request, account: str) -> Tuple[int, Any]:
        return 200, sorted(z for z, owner in self.zone_owner.items() if owner == account)

    _listZones = _listDomains

    def _getZone(self, req: Request, account: str, zone: str) -> Tuple[int, Any]:
        name = self._zone(account, zone)
        return 200, {"name": name, "hasDnsAnycast": False, "nameServers": ["dns200.anycast.me", "ns200.anycast.me"],
                     "dnssecSupported": True, "lastUpdate": base.iso8601(self.clock.now()),
                     "iamResourceUrn": f"urn:v1:eu:resource:dnsZone:{name}"}

    def _getZoneStatus(self, req: Request, account: str, zone: str) -> Tuple[int, Any]:
        self._zone(account, zone)
        return 200, {"isDeployed": True, "warnings": [], "errors": [], "infos": []}

    def _listRecords(self, req: Request, account: str, zone: str) -> Tuple[int, Any]:
        name = self._zone(account, zone)
        found = [r for r in sorted(self.records.values(), key=lambda r: r.id) if r.zone == name]
        if req.q("fieldType") is not None:
            found = [r for r in found if r.field_type == req.q("fieldType")]
        if req.q("subDomain") is not None:
            found = [r for r in found if r.sub_domain.lower() == req.q("subDomain").lower()]
        return 200, [r.id for r in found]

    def _createRecord(self, req: Request, account: str, zone: str) -> Tuple[int, Any]:
        name = self._zone(account, zone)
        body = self._body(req)
        field_type = body.get("fieldType")
        if field_type is None:
            raise OvhError(400, "[fieldType] Property is mandatory")
        if field_type not in FIELD_TYPES:
            raise OvhError(400, f"[fieldType] Given data ({field_type}) does not belong to the NamespaceType enum")
        target = body.get("target")
        if not isinstance(target, str) or target == "":
            raise OvhError(400, "[target] Property is mandatory")
        sub = body.get("subDomain") or ""
        if not isinstance(sub, str) or not re.fullmatch(r"[A-Za-z0-9_*.-]*", sub) or ".." in sub or sub.startswith("."):
            raise OvhError(400, f"Invalid subdomain {sub}")
        ttl = body.get("ttl", 0)
        if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 0:
            raise OvhError(400, "[ttl] Given data is not a valid long")
        self.next_id += 1
        rec = Record(self.next_id, name, sub.lower(), field_type, target, ttl)
        self.records[rec.id] = rec
        return 200, rec.to_json()

    def _getRecord(self, req: Request, account: str, zone: str, id: str) -> Tuple[int, Any]:
        return 200, self._record(self._zone(account, zone), id).to_json()

    def _updateRecord(self, req: Request, account: str, zone: str, id: str) -> Tuple[int, Any]:
        rec = self._record(self._zone(account, zone), id)
        body = self._body(req)
        if "target" in body:
            rec.target = str(body["target"])
        if "subDomain" in body:
            rec.sub_domain = str(body["subDomain"] or "").lower()
        if "ttl" in body:
            rec.ttl = int(body["ttl"])
        return 200, None

    def _deleteRecord(self, req: Request, account: str, zone: str, id: str) -> Tuple[int, Any]:
        rec = self._record(self._zone(account, zone), id)
        del self.records[rec.id]
        return 200, None

    def _refreshZone(self, req: Request, account: str, zone: str) -> Tuple[int, Any]:
        name = self._zone(account, zone)
        self.published[name] = [r.to_json() for r in sorted(self.records.values(), key=lambda r: r.id) if r.zone == name]
        self.refreshes[name] += 1
        return 200, None


def main(argv: Optional[List[str]] = None) -> int:
    return base.run(OvhEmulator, DEFAULT_CONFIG, "OVHcloud API /1.0 DNS zone emulator for tests.", argv)


if __name__ == "__main__":
    sys.exit(main())
