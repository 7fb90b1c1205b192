#!/usr/bin/env python3
"""An honest emulator of the DigitalOcean API v2 domain and domain-record
endpoints a DNS-01 solver uses, for tests.  Standard library only.

Routes::

    GET    /v2/domains?page=&per_page=
    GET    /v2/domains/{domain}
    GET    /v2/domains/{domain}/records?type=&name=<fqdn>&page=&per_page=
    POST   /v2/domains/{domain}/records                     -> 201 {"domain_record": {...}}
    GET    /v2/domains/{domain}/records/{id}
    DELETE /v2/domains/{domain}/records/{id}                -> 204, no body

Command line::

    python3 digitalocean_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

Prints one JSON line ``{"port": N, "host": "127.0.0.1"}``; exits 0 on
SIGTERM/SIGINT or EOF on a piped stdin.  Admin endpoints: see
``emulator_base``; ``POST /__admin/seed`` takes ``{"records": [{"domain":
"example.com", "name": "_acme-challenge", "type": "TXT", "data": "v", "ttl":
30}]}`` or ``{"domain": "example.com", "count": 250, "name": "_acme-challenge",
"data": "v{i}"}`` (names relative, as stored).

Default config (test fixtures only)::

    domains: example.com, example.org  (each with DigitalOcean's automatic
             NS ns1/ns2/ns3.digitalocean.com and SOA records at "@")
    token dop_v1_ + "0"*64   read+write
    token dop_v1_ + "1"*64   read only (scopes ["read"])

    Config shape: {"domains": [names], "tokens": [{"token", "scopes": ["read", "write"]}],
    "records": [seed...], "rateLimit": {"perHour": 5000, "perMinute": 250},
    "rejectDuplicates": false}

Behaviour modelled:

* ``Authorization: Bearer <token>`` (scheme case-insensitive).  Missing or
  unknown token: 401 ``{"id": "unauthorized", "message": "Unable to
  authenticate you"}``.  A read-only token writing: 403 ``{"id":
  "forbidden", "message": "You do not have access for the attempted
  action."}``.  Error bodies carry ``request_id`` like the real API.
* Record ``name`` is stored relative to the domain, ``@`` for the apex.  A
  POSTed name ending in ``.`` is absolute (cert-manager sends
  ``_acme-challenge.example.com.``) and must lie in the domain (else 422);
  any other name is relative, zone-file style, so ``_acme-challenge.example.com``
  without the dot becomes ``_acme-challenge.example.com.example.com``.
  The ``name`` list filter takes the fully qualified name WITHOUT a trailing
  dot (as documented: "name must be a fully qualified record name"); it is
  compared case-insensitively; a trailing dot matches nothing.
* Pagination: ``per_page`` default 20, clamped to 1..200; ``links.pages``
  holds ``first``/``prev``/``next``/``last`` absolute URLs (on the emulator's
  own host) exactly where DigitalOcean puts them (none on a single page, no
  ``first``/``prev`` on page 1, no ``next``/``last`` on the last page);
  ``meta.total`` counts all matches.  Records list in creation order.
* Records are one value each with integer ids; DELETE of an unknown id: 404
  ``not_found``.  TTL minimum 30 (422 below), default 1800.  Duplicates are
  accepted unless ``rejectDuplicates`` (DigitalOcean documents no duplicate
  error).
* Rate limits, per token, for real: 5000/hour and 250/minute.  Every
  authenticated response carries ``ratelimit-limit``, ``ratelimit-remaining``
  and ``ratelimit-reset`` (Unix epoch seconds, when the oldest request in the
  window expires).  Over a limit: 429 ``{"id": "too_many_requests", "message":
  "API Rate limit exceeded."}`` with ``ratelimit-remaining: 0``; no
  ``Retry-After`` (DigitalOcean sends none).  Injected throttles answer the
  same with ``ratelimit-reset`` = now + ``retryAfterSeconds``; injected 5xx
  answer ``{"id": "server_error", ...}``; ``errors`` entries ``{"status",
  "id", "message"}`` answer that.

Not modelled: other record types' validation, record updates (PUT/PATCH),
domain create/delete, fine-grained custom token scopes, the exact 422
messages (plausible, unverified).
"""

from __future__ import annotations

import json
import math
import re
import sys
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlencode

import emulator_base as base
from emulator_base import Request, Response, json_response

DEFAULT_CONFIG: Dict[str, Any] = {
    "domains": ["example.com", "example.org"],
    "tokens": [
        {"token": "dop_v1_" + "0" * 64, "scopes": ["read", "write"]},
        {"token": "dop_v1_" + "1" * 64, "scopes": ["read"]},
    ],
    "records": [],
    "rateLimit": {"perHour": 5000, "perMinute": 250},
    "rejectDuplicates": False,
}

RECORD_TYPES = {"A", "AAAA", "CAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT"}
NAME_RE = re.compile(r"^(@|\*|(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*)$")


class ApiError(Exception):
    def __init__(self, status: int, ident: str, message: str):
        super().__init__(message)
        self.status, self.ident, self.message = status, ident, message


def error_body(ident: str, message: str) -> Dict[str, Any]:
    return {"id": ident, "message": message, "request_id": str(uuid.uuid4())}


NOT_FOUND = ("not_found", "The resource you were accessing could not be found.")


@dataclass
class Record:
    id: int
    domain: str
    name: str  # relative, "@" for apex
    type: str
    data: str
    ttl: int
    priority: Optional[int] = None
    port: Optional[int] = None
    weight: Optional[int] = None
    flags: Optional[int] = None
    tag: Optional[str] = None

    def fqdn(self) -> str:
        return self.domain if self.name == "@" else f"{self.name}.{self.domain}"

    def to_api(self) -> Dict[str, Any]:
        return {"id": self.id, "type": self.type, "name": self.name, "data": self.data,
                "priority": self.priority, "port": self.port, "ttl": self.ttl, "weight": self.weight,
                "flags": self.flags, "tag": self.tag}


class DigitalOceanEmulator(base.BaseEmulator):
    name = "digitalocean-emulator"
    fault_error_fields = ()  # entries are {"status", "id", "message"}, all optional

    def __init__(self, config: Dict[str, Any]) -> None:
        self.domains = [d.lower().rstrip(".") for d in config.get("domains", [])]
        self.tokens = {t["token"]: t for t in config.get("tokens", [])}
        rate = config.get("rateLimit") or {}
        limits = []
        if rate.get("perHour"):
            limits.append((int(rate["perHour"]), 3600.0))
        if rate.get("perMinute"):
            limits.append((int(rate["perMinute"]), 60.0))
        self.hourly = int(rate.get("perHour") or 0)
        self.limiter = base.SlidingWindowLimiter(limits)
        self.reject_duplicates = bool(config.get("rejectDuplicates", False))
        super().__init__(config)

    # -- state ----------------------------------------------------------------

    def reset_records(self) -> None:
        self.records: Dict[int, Record] = {}
        self.next_id = 3352890
        self.limiter.reset()
        for domain in self.domains:
            for ns in ("ns1", "ns2", "ns3"):
                self._add(domain, "@", "NS", f"{ns}.digitalocean.com", 1800)
            self._add(domain, "@", "SOA", "1800", 1800)
        for seed in self.config.get("records", []):
            self._seed_one(seed)

    def _add(self, domain: str, name: str, rtype: str, data: str, ttl: int, **extra: Any) -> Record:
        self.next_id += 1
        rec = Record(id=self.next_id, domain=domain, name=name, type=rtype, data=data, ttl=ttl, **extra)
        self.records[rec.id] = rec
        return rec

    def _seed_one(self, item: Dict[str, Any]) -> Record:
        domain = item["domain"].lower()
        if domain not in self.domains:
            raise ValueError(f"no domain {domain!r}")
        return self._add(domain, str(item.get("name", "@")).lower(), item.get("type", "TXT").upper(),
                         str(item["data"]), int(item.get("ttl", 1800)))

    def seed(self, data: Dict[str, Any]) -> Any:
        created = [self._seed_one(item) for item in data.get("records", [])]
        for i in range(int(data.get("count", 0))):
            created.append(self._seed_one({"domain": data["domain"], "name": str(data.get("name", "seed-{i}")).format(i=i),
                                           "type": data.get("type", "TXT"),
                                           "data": str(data.get("data", "value-{i}")).format(i=i),
                                           "ttl": data.get("ttl", 1800)}))
        return [r.id for r in created]

    def state_records(self) -> Any:
        return [dict(r.to_api(), domain=r.domain, fqdn=r.fqdn()) for r in sorted(self.records.values(), key=lambda r: r.id)]

    def state_extra(self) -> Dict[str, Any]:
        return {"domains": list(self.domains)}

    # -- responses ---------------------------------------------------------------

    def _limit_headers(self, limit: int, remaining: int, reset: float) -> Dict[str, str]:
        return {"ratelimit-limit": str(limit), "ratelimit-remaining": str(max(0, remaining)),
                "ratelimit-reset": str(int(math.ceil(reset)))}

    def fault_response(self, req: Request, fault: base.Fault) -> Response:
        if fault.kind == "throttle":
            req.outcome = "too_many_requests"
            reset = self.clock.now() + float(fault.extra.get("retryAfter", 1))
            return json_response(429, error_body("too_many_requests", "API Rate limit exceeded."),
                                 self._limit_headers(self.hourly or 5000, 0, reset))
        if fault.kind == "error5xx":
            req.outcome = "server_error"
            return json_response(fault.status or 503, error_body("server_error", "Unexpected server-side error"))
        entry = fault.extra
        req.outcome = str(entry.get("id", "error"))
        return json_response(fault.status, error_body(str(entry.get("id", "error")),
                                                     str(entry.get("message", "Injected error."))))

    # -- routing --------------------------------------------------------------------

    def api(self, req: Request) -> Response:
        parts = req.path.rstrip("/").split("/")[1:]
        route = self._route(req.method, parts)
        req.action = route[0] if route else "no-route"
        auth = req.header("authorization") or ""
        match = re.match(r"^bearer\s+(\S+)\s*$", auth, re.IGNORECASE)
        token = self.tokens.get(match.group(1)) if match else None
        if token is None:
            req.outcome = "unauthorized"
            return json_response(401, error_body("unauthorized", "Unable to authenticate you"))
        req.principal = "token:" + token["token"][-8:]
        headers: Dict[str, str] = {}
        if self.limiter.limits:
            with self.lock:
                now = self.clock.now()
                allowed, limit, remaining, reset = self.limiter.check(token["token"], now)
                if self.hourly:  # the headers describe the hourly limit, as DigitalOcean's do
                    used, reset = self.limiter.window_state(token["token"], 3600.0, now)
                    limit, remaining = self.hourly, self.hourly - used
            headers = self._limit_headers(limit, remaining if allowed else 0, reset)
            if not allowed:
                req.outcome, req.fault = "too_many_requests", "rate-limit"
                return json_response(429, error_body("too_many_requests", "API Rate limit exceeded."), headers)
        if route is None:
            req.outcome = "not_found"
            return json_response(404, error_body(*NOT_FOUND), headers)
        action, methods, handler = route
        if req.method not in methods:
            req.outcome = "method_not_allowed"
            return json_response(405, error_body("method_not_allowed", "Method Not Allowed"), headers)
        if req.method != "GET" and "write" not in token.get("scopes", ["read", "write"]):
            req.outcome = "forbidden"
            return json_response(403, error_body("forbidden", "You do not have access for the attempted action."),
                                 headers)
        faulted = self.apply_faults(req, action)
        if faulted is not None:
            faulted.headers = {**headers, **faulted.headers}
            return faulted
        try:
            with self.lock:
                status, body = handler(req, parts)
        except ApiError as error:
            req.outcome = error.ident
            return json_response(error.status, error_body(error.ident, error.message), headers)
        if status == 204:
            return Response(204, headers=headers)
        return json_response(status, body, headers)

    def _route(self, method: str, parts: List[str]):
        if parts == ["v2", "domains"]:
            return "domains.list", {"GET"}, self._domains_list
        if len(parts) == 3 and parts[:2] == ["v2", "domains"]:
            return "domains.get", {"GET"}, self._domains_get
        if len(parts) == 4 and parts[:2] == ["v2", "domains"] and parts[3] == "records":
            if method == "POST":
                return "records.create", {"POST"}, self._records_create
            return "records.list", {"GET", "POST"}, self._records_list
        if len(parts) == 5 and parts[:2] == ["v2", "domains"] and parts[3] == "records":
            if method == "DELETE":
                return "records.delete", {"DELETE"}, self._records_delete
            return "records.get", {"GET", "DELETE"}, self._records_get
        return None

    # -- helpers ----------------------------------------------------------------------

    def _domain(self, name: str) -> str:
        name = name.lower()
        if name not in self.domains:
            raise ApiError(404, *NOT_FOUND)
        return name

    def _paginate(self, req: Request, items: List[Any]) -> Tuple[List[Any], Dict[str, Any], Dict[str, Any]]:
        params = req.query
        given = dict(params)
        try:
            page = max(1, int(given.get("page") or 1))
            per_page = min(max(int(given.get("per_page") or 20), 1), 200)
        except ValueError:
            raise ApiError(400, "bad_request", "page and per_page must be integers") from None
        total = len(items)
        last = max(1, int(math.ceil(total / per_page)))
        host = req.header("host") or f"127.0.0.1:{self.port}"
        keep = [(k, v) for k, v in params if k not in ("page", "per_page")]

        def url(n: int) -> str:
            return f"http://{host}{req.path}?" + urlencode([("page", str(n)), ("per_page", str(per_page))] + keep)

        pages: Dict[str, str] = {}
        if page > 1:
            pages["first"] = url(1)
            pages["prev"] = url(min(page - 1, last))
        if page < last:
            pages["next"] = url(page + 1)
            pages["last"] = url(last)
        return items[(page - 1) * per_page: page * per_page], {"pages": pages}, {"total": total}

    # -- handlers -------------------------------------------------------------------------

    def _domain_api(self, name: str) -> Dict[str, Any]:
        return {"name": name, "ttl": 1800, "zone_file": self._zone_file(name)}

    def _zone_file(self, domain: str) -> str:
        lines = [f"$ORIGIN {domain}.", "$TTL 1800",
                 f"{domain}. IN SOA ns1.digitalocean.com. hostmaster.{domain}. 1 10800 3600 604800 1800"]
        for rec in sorted(self.records.values(), key=lambda r: r.id):
            if rec.domain == domain and rec.type != "SOA":
                data = f'"{rec.data}"' if rec.type == "TXT" else rec.data
                lines.append(f"{rec.fqdn()}. {rec.ttl} IN {rec.type} {data}")
        return "\n".join(lines) + "\n"

    def _domains_list(self, req: Request, parts: List[str]):
        chunk, links, meta = self._paginate(req, sorted(self.domains))
        return 200, {"domains": [self._domain_api(d) for d in chunk], "links": links, "meta": meta}

    def _domains_get(self, req: Request, parts: List[str]):
        return 200, {"domain": self._domain_api(self._domain(parts[2]))}

    def _records_list(self, req: Request, parts: List[str]):
        domain = self._domain(parts[2])
        given = dict(req.query)
        items = [r for r in sorted(self.records.values(), key=lambda r: r.id) if r.domain == domain]
        if given.get("type"):
            items = [r for r in items if r.type == given["type"].upper()]
        if given.get("name"):
            items = [r for r in items if r.fqdn() == given["name"].lower()]
        chunk, links, meta = self._paginate(req, items)
        return 200, {"domain_records": [r.to_api() for r in chunk], "links": links, "meta": meta}

    def _records_get(self, req: Request, parts: List[str]):
        domain = self._domain(parts[2])
        rec = self.records.get(int(parts[4])) if parts[4].isdigit() else None
        if rec is None or rec.domain != domain:
            raise ApiError(404, *NOT_FOUND)
        return 200, {"domain_record": rec.to_api()}

    def _records_create(self, req: Request, parts: List[str]):
        domain = self._domain(parts[2])
        try:
            data = json.loads(req.body.decode("utf-8")) if req.body.strip() else None
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise ApiError(400, "bad_request", "unexpected end of JSON input")
        rtype = str(data.get("type") or "").upper()
        if rtype not in RECORD_TYPES or rtype == "SOA":
            raise ApiError(422, "unprocessable_entity", "Type is invalid")
        raw_name = data.get("name")
        if not isinstance(raw_name, str) or not raw_name:
            raise ApiError(422, "unprocessable_entity", "Name needs to be provided")
        name = raw_name.lower()
        if name.endswith("."):
            absolute = name[:-1]
            if absolute == domain:
                name = "@"
            elif absolute.endswith("." + domain):
                name = absolute[: -len(domain) - 1]
            else:
                raise ApiError(422, "unprocessable_entity", "Name is invalid")
        if not NAME_RE.match(name):
            raise ApiError(422, "unprocessable_entity", "Name is invalid")
        value = data.get("data")
        if not isinstance(value, str) or value == "":
            raise ApiError(422, "unprocessable_entity", "Data needs to be provided")
        ttl = data.get("ttl", 1800)
        if ttl is None:
            ttl = 1800
        if not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 30:
            raise ApiError(422, "unprocessable_entity", "Ttl must be greater than or equal to 30.")
        if self.reject_duplicates and any(r.domain == domain and r.name == name and r.type == rtype and r.data == value
                                          for r in self.records.values()):
            raise ApiError(422, "unprocessable_entity", "Record already exists")
        rec = self._add(domain, name, rtype, value, ttl, priority=data.get("priority"), port=data.get("port"),
                        weight=data.get("weight"), flags=data.get("flags"), tag=data.get("tag"))
        req.note["note"] = f"created {rec.id}"
        return 201, {"domain_record": rec.to_api()}

    def _records_delete(self, req: Request, parts: List[str]):
        domain = self._domain(parts[2])
        rec = self.records.get(int(parts[4])) if parts[4].isdigit() else None
        if rec is None or rec.domain != domain:
            raise ApiError(404, *NOT_FOUND)
        del self.records[rec.id]
        req.note["note"] = f"deleted {rec.id}"
        return 204, None


def main(argv=None) -> int:
    return base.run(DigitalOceanEmulator, DEFAULT_CONFIG, "DigitalOcean API v2 domains/records emulator for tests.", argv)


if __name__ == "__main__":
    sys.exit(main())
