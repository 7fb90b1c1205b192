#!/usr/bin/env python3
"""Emulator of Gandi LiveDNS v5 (domains and rrsets).

Command line::

    python3 gandi_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

Prints one line ``{"port": N, "host": "127.0.0.1"}``; exits 0 on SIGTERM,
SIGINT or EOF of a piped stdin (see emulator_base.py).  Base URLs:
``http://127.0.0.1:<port>/v5/livedns`` (current, api.gandi.net) and
``http://127.0.0.1:<port>/api/v5`` (the old dns.api.gandi.net base both
cert-manager webhooks still use); both serve the same state.

API:

* ``GET /domains``, ``GET /domains/{fqdn}``
* ``GET /domains/{fqdn}/records`` (all rrsets), ``POST /domains/{fqdn}/records``
  ``{"rrset_name", "rrset_type", "rrset_ttl"?, "rrset_values"}`` -> 201
  ``{"message": "DNS Record Created"}`` (409 if the rrset exists)
* ``GET /domains/{fqdn}/records/{name}`` (the rrsets at a name)
* ``GET|POST|PUT|DELETE /domains/{fqdn}/records/{name}/{type}``: GET -> the
  rrset ``{"rrset_name", "rrset_type", "rrset_ttl", "rrset_values",
  "rrset_href"}`` or 404; POST creates (409 if it exists); PUT creates or
  REPLACES the whole value list (201 ``{"message": "DNS Record Created"}``) with
  no precondition: LiveDNS has no ETag/If-Match on rrsets, so concurrent
  read-modify-write writers can lose values; DELETE -> 204.

TXT values come back quoted (``"v"``) whether or not they were sent quoted
(``quoteTxt``, default true).  TTL 300..2592000 (default 10800).

Authentication: ``Authorization: Bearer <personal access token>``,
``Authorization: Apikey <key>`` (deprecated) or ``X-Api-Key: <key>``
(oldest).  Unknown credential -> 401; a PAT limited to other domains -> 403.
Errors: ``{"code", "message", "object", "cause"}`` (validation errors add
``"errors": [{"location", "name", "description"}]``).  Throttling fault: 429.

Default config::

    {"personalAccessTokens": [{"token": "gandi-test-pat"},
                              {"token": "gandi-limited-pat", "domains": ["example.net"]}],
     "apiKeys": ["gandi-test-apikey"],
     "domains": ["example.com", "example.net"], "quoteTxt": true}
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote

import emulator_base as base
from emulator_base import ApiFailure, BaseEmulator, Request, Response

DEFAULT_CONFIG: Dict[str, Any] = {
    "personalAccessTokens": [{"token": "gandi-test-pat"}, {"token": "gandi-limited-pat", "domains": ["example.net"]}],
    "apiKeys": ["gandi-test-apikey"],
    "domains": ["example.com", "example.net"],
    "quoteTxt": True,
}
TYPES = {"A", "AAAA", "ALIAS", "CAA", "CDS", "CNAME", "DNAME", "DS", "KEY", "LOC", "MX", "NAPTR", "NS", "OPENPGPKEY",
         "PTR", "RP", "SPF", "SRV", "SSHFP", "TLSA", "TXT", "WKS"}
NAME_RE = re.compile(r"^(@|\*|(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*)$")
REASONS = {400: ("HTTPBadRequest", "Bad Request"), 401: ("HTTPUnauthorized", "Unauthorized"),
           403: ("HTTPForbidden", "Forbidden"), 404: ("HTTPNotFound", "Not Found"), 409: ("HTTPConflict", "Conflict"),
           429: ("HTTPTooManyRequests", "Too Many Requests"), 500: ("HTTPInternalServerError", "Internal Server Error"),
           503: ("HTTPServiceUnavailable", "Service Unavailable")}


@dataclass
class RRSet:
    domain: str
    name: str
    type: str
    ttl: int
    values: List[str]


class GandiError(Exception):
    def __init__(self, status: int, message: str, errors: Optional[List[Dict[str, str]]] = None, obj: Optional[str] = None):
        super().__init__(message)
        self.status, self.message, self.errors, self.obj = status, message, errors, obj


class GandiEmulator(BaseEmulator):
    name = "gandi-emulator"
    default_config = DEFAULT_CONFIG

    def configure(self) -> None:
        self.pats = {p["token"]: p.get("domains") for p in self.config.get("personalAccessTokens", [])}
        self.api_keys = set(self.config.get("apiKeys", []))
        self.quote_txt = bool(self.config.get("quoteTxt", True))

    def reset_records(self) -> None:
        self.domains = [d.lower() for d in self.config.get("domains", [])]
        self.rrsets: Dict[Tuple[str, str, str], RRSet] = {}
        for domain in self.domains:
            self.rrsets[(domain, "@", "NS")] = RRSet(domain, "@", "NS", 10800,
                                                     ["ns-1.gandi.net.", "ns-2.gandi.net.", "ns-3.gandi.net."])
        for item in self.config.get("records", []):
            self._seed_one(item)

    def _seed_one(self, item: Dict[str, Any]) -> str:
        domain = str(item["domain"]).lower()
        if domain not in self.domains:
            raise ValueError(f"unknown domain {domain}")
        name, rtype = str(item.get("name", "@")).lower(), str(item.get("type", "TXT")).upper()
        rrset = self.rrsets.setdefault((domain, name, rtype), RRSet(domain, name, rtype, int(item.get("ttl", 300)), []))
        rrset.values.extend(self._normalize(rtype, list(item.get("values", []))))
        return f"{name}/{rtype}"

    def seed(self, data: Dict[str, Any]) -> Any:
        return [self._seed_one(item) for item in data.get("records", [])]

    def state_records(self) -> Any:
        return [{"domain": r.domain, "rrset_name": r.name, "rrset_type": r.type, "rrset_ttl": r.ttl,
                 "rrset_values": list(r.values)} for r in self.rrsets.values()]

    # -- answers --------------------------------------------------------------------
    @staticmethod
    def body(status: int, message: str, obj: Optional[str] = None, errors: Optional[List[Dict[str, str]]] = None) -> Dict[str, Any]:
        default_obj, cause = REASONS.get(status, ("HTTPError", "Error"))
        payload: Dict[str, Any] = {"code": status, "message": message, "object": obj or default_obj, "cause": cause}
        if errors:
            payload["errors"] = errors
        return payload

    def fail(self, status: int, message: str, obj: Optional[str] = None, errors: Optional[List[Dict[str, str]]] = None) -> ApiFailure:
        return ApiFailure(Response(status, self.body(status, message, obj, errors)), REASONS.get(status, ("", str(status)))[1])

    def throttle_error(self, req: Request) -> Response:
        req.outcome = "Too Many Requests"
        return Response(429, self.body(429, "Too many requests, please slow down."))

    def server_error(self, req: Request, status: Optional[int]) -> Response:
        status = status or 503
        req.outcome = REASONS.get(status, ("", "Server Error"))[1]
        return Response(status, self.body(status, "The service is temporarily unavailable (injected)."))

    def injected_error(self, req: Request, entry: Dict[str, Any]) -> Response:
        status = int(entry.get("status", 400))
        return Response(status, self.body(status, str(entry.get("message", "Injected error.")), str(entry["code"])))

    # -- routing ----------------------------------------------------------------------
    ROUTES = [
        ("GET", re.compile(r"^/domains$"), "listDomains"),
        ("GET", re.compile(r"^/domains/(?P<fqdn>[^/]+)$"), "getDomain"),
        ("GET", re.compile(r"^/domains/(?P<fqdn>[^/]+)/records$"), "listRecords"),
        ("POST", re.compile(r"^/domains/(?P<fqdn>[^/]+)/records$"), "createRecord"),
        ("GET", re.compile(r"^/domains/(?P<fqdn>[^/]+)/records/(?P<name>[^/]+)$"), "listRecordsByName"),
        ("GET", re.compile(r"^/domains/(?P<fqdn>[^/]+)/records/(?P<name>[^/]+)/(?P<type>[^/]+)$"), "getRRSet"),
        ("POST", re.compile(r"^/domains/(?P<fqdn>[^/]+)/records/(?P<name>[^/]+)/(?P<type>[^/]+)$"), "createRRSet"),
        ("PUT", re.compile(r"^/domains/(?P<fqdn>[^/]+)/records/(?P<name>[^/]+)/(?P<type>[^/]+)$"), "replaceRRSet"),
        ("DELETE", re.compile(r"^/domains/(?P<fqdn>[^/]+)/records/(?P<name>[^/]+)/(?P<type>[^/]+)$"), "deleteRRSet"),
    ]

    def api(self, req: Request) -> Response:
        prefix = next((p for p in ("/v5/livedns", "/api/v5") if req.path.startswith(p + "/") or req.path == p), None)
        if prefix is None:
            req.action = f"{req.method} {req.path}"
            raise self.fail(404, "The resource could not be found.")
        path = req.path[len(prefix):].rstrip("/")
        route = None
        for method, pattern, action in self.ROUTES:
            match = pattern.match(path)
            if match and method == req.method:
                route = (action, match.groupdict())
                break
        if route is None:
            req.action = f"{req.method} {path}"
            raise self.fail(404, "The resource could not be found.")
        req.action, args = route
        allowed = self.authenticate(req)
        self.fault_point(req)
        base_url = f"http://{req.header('host') or '127.0.0.1'}{prefix}"
        try:
            with self.lock:
                status, body = getattr(self, "_" + req.action)(req, allowed, base_url, **args)
        except GandiError as err:
            raise self.fail(err.status, err.message, err.obj, err.errors) from None
        if status == 204:
            return Response(204)
        return Response(status, body)

    def authenticate(self, req: Request) -> Optional[List[str]]:
        """Returns the domains the credential may use (None: all)."""
        auth = (req.header("authorization") or "").strip()
        scheme, _, value = auth.partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer" and value in self.pats:
            req.principal = "pat:" + value[:6]
            return self.pats[value]
        if scheme.lower() == "apikey" and value in self.api_keys:
            req.principal = "apikey"
            return None
        if not auth and (req.header("x-api-key") or "") in self.api_keys:
            req.principal = "x-api-key"
            return None
        raise self.fail(401, "The server could not verify that you authorized to access the document you requested. "
                             "Either you supplied the wrong credentials (e.g., bad api key) or your access token has expired")

    # -- helpers ----------------------------------------------------------------------
    def _domain(self, fqdn: str, allowed: Optional[List[str]]) -> str:
        name = unquote(fqdn).lower()
        if name not in self.domains:
            raise GandiError(404, "The resource could not be found.")
        if allowed is not None and name not in [d.lower() for d in allowed]:
            raise GandiError(403, "Access was denied to this resource.")
        return name

    @staticmethod
    def _name_type(name: str, rtype: str) -> Tuple[str, str]:
        name, rtype = unquote(name).lower(), unquote(rtype).upper()
        if not NAME_RE.match(name):
            raise GandiError(400, "Invalid request.", [{"location": "path", "name": "rrset_name", "description": "invalid name"}])
        if rtype not in TYPES:
            raise GandiError(400, "Invalid request.", [{"location": "path", "name": "rrset_type", "description": "invalid type"}])
        return name, rtype

    def _normalize(self, rtype: str, values: List[str]) -> List[str]:
        if rtype != "TXT" or not self.quote_txt:
            return values
        out = []
        for value in values:
            if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
                out.append(value)
            else:
                out.append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
        return out

    def _payload(self, req: Request, rtype: Optional[str]) -> Tuple[int, List[str], Dict[str, Any]]:
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            raise GandiError(400, "Invalid request.", [{"location": "body", "name": "body", "description": "is not a JSON object"}])
        errors = []
        values = body.get("rrset_values")
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            errors.append({"location": "body", "name": "rrset_values", "description": "must be a non-empty list of strings"})
        ttl = body.get("rrset_ttl", 10800)
        if not isinstance(ttl, int) or isinstance(ttl, bool) or not 300 <= ttl <= 2592000:
            errors.append({"location": "body", "name": "rrset_ttl", "description": "must be between 300 and 2592000"})
        if errors:
            raise GandiError(400, "Invalid request.", errors)
        return ttl, self._normalize(rtype or str(body.get("rrset_type", "")).upper(), list(values)), body

    @staticmethod
    def _rrset_json(rrset: RRSet, base_url: str) -> Dict[str, Any]:
        return {"rrset_name": rrset.name, "rrset_type": rrset.type, "rrset_ttl": rrset.ttl,
                "rrset_values": list(rrset.values),
                "rrset_href": f"{base_url}/domains/{rrset.domain}/records/{rrset.name}/{rrset.type}"}

    def _domain_json(self, name: str, base_url: str) -> Dict[str, Any]:
        return {"fqdn": name, "domain_href": f"{base_url}/domains/{name}",
                "domain_records_href": f"{base_url}/domains/{name}/records",
                "domain_keys_href": f"{base_url}/domains/{name}/keys", "automatic_snapshots": True}

    # -- handlers ---------------------------------------------------------------------
    def _listDomains(self, req: Request, allowed, base_url: str) -> Tuple[int, Any]:
        names = [d for d in self.domains if allowed is None or d in allowed]
        return 200, [self._domain_json(d, base_url) for d in names]

    def _getDomain(self, req: Request, allowed, base_url: str, fqdn: str) -> Tuple[int, Any]:
        return 200, self._domain_json(self._domain(fqdn, allowed), base_url)

    def _listRecords(self, req: Request, allowed, base_url: str, fqdn: str) -> Tuple[int, Any]:
        domain = self._domain(fqdn, allowed)
        return 200, [self._rrset_json(r, base_url) for r in sorted(self.rrsets.values(), key=lambda r: (r.name, r.type))
                     if r.domain == domain]

    def _listRecordsByName(self, req: Request, allowed, base_url: str, fqdn: str, name: str) -> Tuple[int, Any]:
        domain = self._domain(fqdn, allowed)
        wanted = unquote(name).lower()
        return 200, [self._rrset_json(r, base_url) for r in sorted(self.rrsets.values(), key=lambda r: r.type)
                     if r.domain == domain and r.name == wanted]

    def _getRRSet(self, req: Request, allowed, base_url: str, fqdn: str, name: str, type: str) -> Tuple[int, Any]:
        domain = self._domain(fqdn, allowed)
        key = (domain,) + self._name_type(name, type)
        if key not in self.rrsets:
            raise GandiError(404, "The resource could not be found.", obj="dns-record")
        return 200, self._rrset_json(self.rrsets[key], base_url)

    def _create(self, domain: str, name: str, rtype: str, ttl: int, values: List[str]) -> Tuple[int, Any]:
        if (domain, name, rtype) in self.rrsets:
            raise GandiError(409, "A DNS record with this name and type already exists.", obj="dns-record")
        self.rrsets[(domain, name, rtype)] = RRSet(domain, name, rtype, ttl, values)
        return 201, {"message": "DNS Record Created"}

    def _createRecord(self, req: Request, allowed, base_url: str, fqdn: str) -> Tuple[int, Any]:
        domain = self._domain(fqdn, allowed)
        ttl, values, body = self._payload(req, None)
        name, rtype = self._name_type(str(body.get("rrset_name", "")), str(body.get("rrset_type", "")))
        return self._create(domain, name, rtype, ttl, values)

    def _createRRSet(self, req: Request, allowed, base_url: str, fqdn: str, name: str, type: str) -> Tuple[int, Any]:
        domain = self._domain(fqdn, allowed)
        name, rtype = self._name_type(name, type)
        ttl, values, _ = self._payload(req, rtype)
        return self._create(domain, name, rtype, ttl, values)

    def _replaceRRSet(self, req: Request, allowed, base_url: str, fqdn: str, name: str, type: str) -> Tuple[int, Any]:
        domain = self._domain(fqdn, allowed)
        name, rtype = self._name_type(name, type)
        ttl, values, _ = self._payload(req, rtype)
        self.rrsets[(domain, name, rtype)] = RRSet(domain, name, rtype, ttl, values)
        return 201, {"message": "DNS Record Created"}

    def _deleteRRSet(self, req: Request, allowed, base_url: str, fqdn: str, name: str, type: str) -> Tuple[int, Any]:
        domain = self._domain(fqdn, allowed)
        key = (domain,) + self._name_type(name, type)
        if key not in self.rrsets:
            raise GandiError(404, "The resource could not be found.", obj="dns-record")
        del self.rrsets[key]
        return 204, None


def main(argv: Optional[List[str]] = None) -> int:
    return base.run(GandiEmulator, DEFAULT_CONFIG, "Gandi LiveDNS v5 emulator for tests.", argv)


if __name__ == "__main__":
    sys.exit(main())
