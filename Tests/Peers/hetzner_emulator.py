#!/usr/bin/env python3
"""Emulator of the Hetzner Cloud API DNS part (zones, rrsets, rrset actions, actions).

Command line::

    python3 hetzner_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

Prints one line ``{"port": N, "host": "127.0.0.1"}``; exits 0 on SIGTERM,
SIGINT or EOF of a piped stdin (see emulator_base.py).  Base URL for clients:
``http://127.0.0.1:<port>/v1`` (hcloud ``api_endpoint``, the official
webhook's ``hcloudEndpoint``, acme.sh's ``HETZNER_API``).

API (``Authorization: Bearer <token>``; JSON; ``X-Correlation-Id`` and
``RateLimit-Limit/-Remaining/-Reset`` on every answer):

* ``GET /v1/zones?name=&mode=&page=&per_page=`` (``name`` exact),
  ``GET /v1/zones/{id_or_name}``
* ``GET /v1/zones/{z}/rrsets?name=&type=&type=&page=&per_page=``,
  ``POST /v1/zones/{z}/rrsets`` (201 ``{"rrset", "action"}``; 409
  ``uniqueness_error`` if it exists), ``GET|PUT|DELETE
  /v1/zones/{z}/rrsets/{name}/{type}`` (PUT changes labels only; records in a
  PUT body -> 422 ``invalid_input``)
* ``POST /v1/zones/{z}/rrsets/{name}/{type}/actions/add_records`` ``{"records":
  [{"value", "comment"?}], "ttl"?}`` -- server-side add: creates the rrset if
  missing (with ``ttl``), appends values, a value already present ->
  400 ``invalid_input`` "duplicate value '...'" (details ``records[0].records[i].value``).
  ``.../remove_records`` removes values, deletes the rrset when it becomes
  empty; rrset missing -> 404 ``not_found``; a value not in the rrset -> 400
  ``invalid_input`` (``removeMissingValue: "error"``, default) or ignored
  (``"ignore"``).  ``.../set_records``, ``.../change_ttl`` too.  Every action
  answers 201 ``{"action": {"id", "command", "status": "running", "progress",
  "started", "finished", "resources": [{"id": zone, "type": "zone"}], "error"}}``
  and reads ``success`` once ``actionDelayMs`` (default 0) has passed and it has been
  polled ``actionPolls`` (default 0) times (a count, so tests need not race the clock).
* ``GET /v1/actions/{id}``, ``GET /v1/actions?id=..&id=..`` (what hcloud-go's
  WaitFor polls), ``GET /v1/zones/actions/{id}``.

TXT values must be quoted character-strings (``"\\"v\\""``; several quoted
chunks of at most 255 characters separated by spaces allowed); an unquoted
value -> 400 ``invalid_input``.  Names are relative (``@`` = apex).

Errors: ``{"error": {"code", "message", "details"}}``: 401 ``unauthorized``,
403 ``token_readonly`` (read-only token writing), 404 ``not_found``, 400
``invalid_input``, 409 ``uniqueness_error``, 429 ``rate_limit_exceeded``
(real token bucket: ``rateLimit`` requests, refilled one per second; also
injectable), 5xx ``server_error``/``unavailable``.

Default config::

    {"projects": [{"name": "default", "tokens": ["hetzner-test-token"], "readOnlyTokens": ["hetzner-readonly-token"],
                   "zones": ["example.com", "example.net"]},
                  {"name": "other", "tokens": ["hetzner-other-token"], "zones": ["other.example"]}],
     "rateLimit": 3600, "actionDelayMs": 0, "removeMissingValue": "error", "zoneTTL": 3600}

Admin extra: ``POST /__admin/action-failures {"count": N, "code", "message"}``
makes the next N actions end in ``status: error`` without applying their change.
"""

from __future__ import annotations

import re
import secrets
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote

import emulator_base as base
from emulator_base import ApiFailure, BaseEmulator, Request, Response

DEFAULT_CONFIG: Dict[str, Any] = {
    "projects": [
        {"name": "default", "tokens": ["hetzner-test-token"], "readOnlyTokens": ["hetzner-readonly-token"],
         "zones": ["example.com", "example.net"]},
        {"name": "other", "tokens": ["hetzner-other-token"], "zones": ["other.example"]},
    ],
    "rateLimit": 3600,
    "actionDelayMs": 0,
    "actionPolls": 0,
    "removeMissingValue": "error",
    "zoneTTL": 3600,
}
RRSET_TYPES = {"A", "AAAA", "CAA", "CNAME", "DS", "HINFO", "HTTPS", "MX", "NS", "PTR", "RP", "SOA", "SRV", "SVCB",
               "TLSA", "TXT"}
TXT_RE = re.compile(r'^"(?:[^"\\]|\\.)*"(?:\s+"(?:[^"\\]|\\.)*")*$')
NAME_RE = re.compile(r"^(@|\*|(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*)$")
NAMESERVERS = ["hydrogen.ns.hetzner.com.", "oxygen.ns.hetzner.com.", "helium.ns.hetzner.de."]


def ts(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(epoch))


def txt_chunks_ok(value: str) -> bool:
    if not TXT_RE.match(value):
        return False
    for chunk in re.findall(r'"((?:[^"\\]|\\.)*)"', value):
        if len(re.sub(r"\\(.)", r"\1", chunk)) > 255:
            return False
    return True


@dataclass
class Zone:
    id: int
    name: str
    project: str
    created: float


@dataclass
class RRSet:
    zone: int
    name: str
    type: str
    ttl: Optional[int]
    records: List[Dict[str, Any]]
    labels: Dict[str, str] = field(default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        return {"id": f"{self.name}/{self.type}", "name": self.name, "type": self.type, "ttl": self.ttl,
                "labels": dict(self.labels), "protection": {"change": False},
                "records": [{"value": r["value"], "comment": r.get("comment")} for r in self.records],
                "zone": self.zone}


@dataclass
class Action:
    id: int
    command: str
    zone: int
    started: float
    done_at: float
    error: Optional[Dict[str, str]] = None
    polls_running: int = 0

    def to_json(self, now: float, initial: bool = False) -> Dict[str, Any]:
        """``initial``: the answer to the request that started it, which always says running."""
        finished = now >= self.done_at and not initial
        return {"id": self.id, "command": self.command,
                "status": ("error" if self.error else "success") if finished else "running",
                "progress": 100 if finished else 0, "started": ts(self.started),
                "finished": ts(self.done_at) if finished else None,
                "resources": [{"id": self.zone, "type": "zone"}], "error": self.error if finished else None}


class HetznerError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None):
        super().__init__(code)
        self.status, self.code, self.message, self.details = status, code, message, details


class HetznerEmulator(BaseEmulator):
    name = "hetzner-emulator"
    default_config = DEFAULT_CONFIG

    def configure(self) -> None:
        self.tokens: Dict[str, Tuple[str, bool]] = {}
        for project in self.config.get("projects", []):
            for token in project.get("tokens", []):
                self.tokens[token] = (project["name"], False)
            for token in project.get("readOnlyTokens", []):
                self.tokens[token] = (project["name"], True)
        self.rate_limit = int(self.config.get("rateLimit", 3600))
        self.action_delay = float(self.config.get("actionDelayMs", 0)) / 1000.0
        self.action_polls = int(self.config.get("actionPolls", 0))
        self.remove_missing = str(self.config.get("removeMissingValue", "error"))
        self.zone_ttl = int(self.config.get("zoneTTL", 3600))
        self.buckets: Dict[str, Tuple[float, float]] = {}

    def reset_records(self) -> None:
        self.zones: Dict[int, Zone] = {}
        self.rrsets: Dict[Tuple[int, str, str], RRSet] = {}
        self.actions: Dict[int, Action] = {}
        self.next_action = 1000
        self.action_failures: List[Dict[str, str]] = []
        now = self.clock.now()
        next_id = 100001
        for project in self.config.get("projects", []):
            for name in project.get("zones", []):
                zone = Zone(next_id, name.lower().rstrip("."), project["name"], now)
                next_id += 1
                self.zones[zone.id] = zone
                soa = f"{NAMESERVERS[0]} dns.hetzner.com. 2024010101 86400 10800 3600000 3600"
                self.rrsets[(zone.id, "@", "SOA")] = RRSet(zone.id, "@", "SOA", None, [{"value": soa}])
                self.rrsets[(zone.id, "@", "NS")] = RRSet(zone.id, "@", "NS", None, [{"value": ns} for ns in NAMESERVERS])
        for item in self.config.get("records", []):
            self._seed_one(item)

    def on_reset(self) -> None:
        self.buckets = {}

    def _seed_one(self, item: Dict[str, Any]) -> str:
        zone = self._zone_named(str(item["zone"]))
        key = (zone.id, str(item.get("name", "@")).lower(), str(item.get("type", "TXT")).upper())
        rrset = self.rrsets.setdefault(key, RRSet(zone.id, key[1], key[2], item.get("ttl"), []))
        for value in item.get("values", []):
            rrset.records.append({"value": value, "comment": None})
        return f"{key[1]}/{key[2]}"

    def seed(self, data: Dict[str, Any]) -> Any:
        return [self._seed_one(item) for item in data.get("records", [])]

    def _zone_named(self, name: str) -> Zone:
        for zone in self.zones.values():
            if zone.name == name.lower().rstrip("."):
                return zone
        raise ValueError(f"unknown zone {name}")

    def state_records(self) -> Any:
        return [dict(r.to_json(), zoneName=self.zones[r.zone].name) for r in self.rrsets.values()]

    def state_extra(self) -> Dict[str, Any]:
        now = self.clock.now()
        return {"zones": [{"id": z.id, "name": z.name, "project": z.project} for z in self.zones.values()],
                "actions": [a.to_json(now) for a in self.actions.values()]}

    def admin_extra(self, req: Request, data: Dict[str, Any]) -> Optional[Response]:
        if (req.method, req.path.rstrip("/")) == ("POST", "/__admin/action-failures"):
            self.action_failures = [{"code": str(data.get("code", "action_failed")),
                                     "message": str(data.get("message", "Action failed (injected)"))}
                                    for _ in range(int(data.get("count", 1)))]
            return Response(200, {"pending": len(self.action_failures)})
        return None

    # -- rendering --------------------------------------------------------------
    def _headers(self, req: Request) -> Dict[str, str]:
        headers = {"X-Correlation-Id": secrets.token_hex(8)}
        headers.update(req.note.pop("_rl", {}))
        return headers

    def error(self, req: Request, status: int, code: str, message: str, details: Any = None) -> ApiFailure:
        return ApiFailure(Response(status, {"error": {"code": code, "message": message, "details": details}},
                                   self._headers(req)), code)

    def throttle_error(self, req: Request) -> Response:
        req.outcome = "rate_limit_exceeded"
        headers = self._headers(req)
        headers.update({"RateLimit-Limit": str(self.rate_limit), "RateLimit-Remaining": "0",
                        "RateLimit-Reset": str(int(self.clock.now() + self.rate_limit))})
        return Response(429, {"error": {"code": "rate_limit_exceeded", "message": f"limit of {self.rate_limit} requests per hour reached",
                                        "details": {}}}, headers)

    def server_error(self, req: Request, status: Optional[int]) -> Response:
        status = status or 500
        code = "server_error" if status == 500 else "unavailable"
        req.outcome = code
        return Response(status, {"error": {"code": code, "message": "Server Error (injected)", "details": None}},
                        self._headers(req))

    def injected_error(self, req: Request, entry: Dict[str, Any]) -> Response:
        return Response(int(entry.get("status", 400)), {"error": {"code": entry["code"], "message": entry.get("message", "injected"),
                                                                 "details": entry.get("details")}}, self._headers(req))

    # -- rate limit ---------------------------------------------------------------
    def _take_token(self, req: Request, project: str) -> None:
        now = self.clock.now()
        with self.lock:
            level, last = self.buckets.get(project, (float(self.rate_limit), now))
            level = min(float(self.rate_limit), level + max(0.0, now - last))
            allowed = level >= 1.0
            if allowed:
                level -= 1.0
            self.buckets[project] = (level, now)
        reset = int(now + (self.rate_limit - level))
        req.note["_rl"] = {"RateLimit-Limit": str(self.rate_limit), "RateLimit-Remaining": str(int(level)),
                           "RateLimit-Reset": str(reset)}
        if not allowed:
            raise self.error(req, 429, "rate_limit_exceeded", f"limit of {self.rate_limit} requests per hour reached")

    # -- routing -------------------------------------------------------------------
    ROUTES = [
        ("GET", re.compile(r"^/v1/zones$"), "list_zones"),
        ("GET", re.compile(r"^/v1/zones/actions$"), "list_actions"),
        ("GET", re.compile(r"^/v1/zones/actions/(?P<action>\d+)$"), "get_action"),
        ("GET", re.compile(r"^/v1/zones/(?P<zone>[^/]+)$"), "get_zone"),
        ("GET", re.compile(r"^/v1/zones/(?P<zone>[^/]+)/rrsets$"), "list_rrsets"),
        ("POST", re.compile(r"^/v1/zones/(?P<zone>[^/]+)/rrsets$"), "create_rrset"),
        ("GET", re.compile(r"^/v1/zones/(?P<zone>[^/]+)/rrsets/(?P<name>[^/]+)/(?P<type>[^/]+)$"), "get_rrset"),
        ("PUT", re.compile(r"^/v1/zones/(?P<zone>[^/]+)/rrsets/(?P<name>[^/]+)/(?P<type>[^/]+)$"), "update_rrset"),
        ("DELETE", re.compile(r"^/v1/zones/(?P<zone>[^/]+)/rrsets/(?P<name>[^/]+)/(?P<type>[^/]+)$"), "delete_rrset"),
        ("POST", re.compile(r"^/v1/zones/(?P<zone>[^/]+)/rrsets/(?P<name>[^/]+)/(?P<type>[^/]+)/actions/"
                            r"(?P<verb>add_records|remove_records|set_records|change_ttl)$"), "rrset_action"),
        ("GET", re.compile(r"^/v1/actions$"), "list_actions"),
        ("GET", re.compile(r"^/v1/actions/(?P<action>\d+)$"), "get_action"),
    ]

    def api(self, req: Request) -> Response:
        route = None
        for method, pattern, handler in self.ROUTES:
            match = pattern.match(req.path)
            if match and method == req.method:
                route = (handler, match.groupdict())
                break
        if route is None:
            req.action = f"{req.method} {req.path}"
            raise self.error(req, 404, "not_found", "not found")
        handler, args = route
        req.action = args.get("verb") or handler
        auth = req.header("authorization") or ""
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        entry = self.tokens.get(token)
        if entry is None:
            raise self.error(req, 401, "unauthorized", "unable to authenticate")
        project, read_only = entry
        req.principal = project
        self._take_token(req, project)
        if read_only and req.method != "GET":
            raise self.error(req, 403, "token_readonly", "The token is only allowed to perform GET requests")
        self.fault_point(req)
        try:
            with self.lock:
                status, body = getattr(self, "_" + handler)(req, project, **args)
        except HetznerError as err:
            raise self.error(req, err.status, err.code, err.message, err.details) from None
        return Response(status, body, self._headers(req))

    # -- helpers ------------------------------------------------------------------
    def _paginate(self, req: Request, items: List[Any]) -> Tuple[List[Any], Dict[str, Any]]:
        try:
            page = int(req.q("page", "1"))
            per_page = int(req.q("per_page", "25"))
        except ValueError:
            raise HetznerError(400, "invalid_input", "invalid input in fields 'page', 'per_page'") from None
        if page < 1 or per_page < 1:
            raise HetznerError(400, "invalid_input", "invalid input in fields 'page', 'per_page'")
        per_page = min(per_page, 50)
        last = max(1, -(-len(items) // per_page))
        window = items[(page - 1) * per_page: page * per_page]
        return window, {"pagination": {"page": page, "per_page": per_page,
                                       "previous_page": page - 1 if page > 1 else None,
                                       "next_page": page + 1 if page < last else None,
                                       "last_page": last, "total_entries": len(items)}}

    def _zone(self, project: str, id_or_name: str) -> Zone:
        key = unquote(id_or_name).lower()
        for zone in self.zones.values():
            if zone.project == project and (str(zone.id) == key or zone.name == key):
                return zone
        raise HetznerError(404, "not_found", "zone not found")

    def _zone_json(self, zone: Zone) -> Dict[str, Any]:
        return {"id": zone.id, "name": zone.name, "created": ts(zone.created), "mode": "primary", "ttl": self.zone_ttl,
                "labels": {}, "protection": {"delete": False}, "status": "ok",
                "record_count": sum(len(r.records) for r in self.rrsets.values() if r.zone == zone.id),
                "registrar": "other", "primary_nameservers": [],
                "authoritative_nameservers": {"assigned": NAMESERVERS, "delegated": NAMESERVERS,
                                              "delegation_last_check": ts(zone.created), "delegation_status": "valid"}}

    @staticmethod
    def _name_type(name: str, rtype: str) -> Tuple[str, str]:
        name = unquote(name).lower()
        rtype = unquote(rtype).upper()
        if not NAME_RE.match(name):
            raise HetznerError(400, "invalid_input", "invalid input in field 'name'",
                               {"fields": [{"name": "name", "messages": ["is invalid"]}]})
        if rtype not in RRSET_TYPES:
            raise HetznerError(400, "invalid_input", "invalid input in field 'type'",
                               {"fields": [{"name": "type", "messages": ["is invalid"]}]})
        return name, rtype

    def _body(self, req: Request) -> Dict[str, Any]:
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            raise HetznerError(400, "json_error", "malformed JSON") from None
        if body is None:
            return {}
        if not isinstance(body, dict):
            raise HetznerError(400, "json_error", "malformed JSON")
        return body

    @staticmethod
    def _records(body: Dict[str, Any], rtype: str, required: bool = True) -> List[Dict[str, Any]]:
        records = body.get("records")
        if records is None and not required:
            return []
        if not isinstance(records, list) or (required and not records):
            raise HetznerError(400, "invalid_input", "invalid input in field 'records'",
                               {"fields": [{"name": "records", "messages": ["is required"]}]})
        out = []
        for index, rec in enumerate(records):
            value = rec.get("value") if isinstance(rec, dict) else None
            if not isinstance(value, str) or not value:
                raise HetznerError(400, "invalid_input", f"invalid input in field 'records[{index}].value'",
                                   {"fields": [{"name": f"records[{index}].value", "messages": ["is required"]}]})
            if rtype == "TXT" and not txt_chunks_ok(value):
                message = f"invalid TXT record value '{value}': must be quoted strings of at most 255 characters"
                raise HetznerError(400, "invalid_input", message,
                                   {"fields": [{"name": f"records[{index}].value", "messages": [message]}]})
            out.append({"value": value, "comment": rec.get("comment")})
        return out

    @staticmethod
    def _ttl(body: Dict[str, Any]) -> Optional[int]:
        ttl = body.get("ttl")
        if ttl is None:
            return None
        if not isinstance(ttl, int) or isinstance(ttl, bool) or not 60 <= ttl <= 2147483647:
            raise HetznerError(400, "invalid_input", "invalid input in field 'ttl'",
                               {"fields": [{"name": "ttl", "messages": ["must be between 60 and 2147483647"]}]})
        return ttl

    def _new_action(self, command: str, zone: Zone) -> Action:
        self.next_action += 1
        now = self.clock.now()
        action = Action(self.next_action, command, zone.id, now, now + self.action_delay,
                        self.action_failures.pop(0) if self.action_failures else None, self.action_polls)
        self.actions[action.id] = action
        return action

    # -- handlers -------------------------------------------------------------------
    def _list_zones(self, req: Request, project: str) -> Tuple[int, Any]:
        zones = sorted((z for z in self.zones.values() if z.project == project), key=lambda z: z.id)
        if req.q("name"):
            zones = [z for z in zones if z.name == req.q("name").lower()]
        if req.q("mode") and req.q("mode") != "primary":
            zones = []
        window, meta = self._paginate(req, zones)
        return 200, {"zones": [self._zone_json(z) for z in window], "meta": meta}

    def _get_zone(self, req: Request, project: str, zone: str) -> Tuple[int, Any]:
        return 200, {"zone": self._zone_json(self._zone(project, zone))}

    def _list_rrsets(self, req: Request, project: str, zone: str) -> Tuple[int, Any]:
        z = self._zone(project, zone)
        items = sorted((r for r in self.rrsets.values() if r.zone == z.id), key=lambda r: (r.name, r.type))
        if req.q("name"):
            items = [r for r in items if r.name == req.q("name").lower()]
        types = {t.upper() for t in req.q_all("type")}
        if types:
            items = [r for r in items if r.type in types]
        window, meta = self._paginate(req, items)
        return 200, {"rrsets": [r.to_json() for r in window], "meta": meta}

    def _get_rrset(self, req: Request, project: str, zone: str, name: str, type: str) -> Tuple[int, Any]:
        z = self._zone(project, zone)
        key = (z.id,) + self._name_type(name, type)
        if key not in self.rrsets:
            raise HetznerError(404, "not_found", "rrset not found")
        return 200, {"rrset": self.rrsets[key].to_json()}

    def _create_rrset(self, req: Request, project: str, zone: str) -> Tuple[int, Any]:
        z = self._zone(project, zone)
        body = self._body(req)
        name, rtype = self._name_type(str(body.get("name", "")), str(body.get("type", "")))
        records = self._records(body, rtype, required=False)
        ttl = self._ttl(body)
        if (z.id, name, rtype) in self.rrsets:
            raise HetznerError(409, "uniqueness_error", "rrset with the same name and type already exists")
        action = self._new_action("create_rrset", z)
        rrset = RRSet(z.id, name, rtype, ttl, records, dict(body.get("labels") or {}))
        if action.error is None:
            self.rrsets[(z.id, name, rtype)] = rrset
        return 201, {"rrset": rrset.to_json(), "action": action.to_json(self.clock.now(), initial=True)}

    def _update_rrset(self, req: Request, project: str, zone: str, name: str, type: str) -> Tuple[int, Any]:
        z = self._zone(project, zone)
        key = (z.id,) + self._name_type(name, type)
        if key not in self.rrsets:
            raise HetznerError(404, "not_found", "rrset not found")
        body = self._body(req)
        if "records" in body or "ttl" in body:
            raise HetznerError(422, "invalid_input", "can't update records with this endpoint")
        if "labels" in body:
            self.rrsets[key].labels = dict(body["labels"] or {})
        return 200, {"rrset": self.rrsets[key].to_json()}

    def _delete_rrset(self, req: Request, project: str, zone: str, name: str, type: str) -> Tuple[int, Any]:
        z = self._zone(project, zone)
        key = (z.id,) + self._name_type(name, type)
        if key not in self.rrsets:
            raise HetznerError(404, "not_found", "rrset not found")
        action = self._new_action("delete_rrset", z)
        if action.error is None:
            del self.rrsets[key]
        return 201, {"action": action.to_json(self.clock.now(), initial=True)}

    def _rrset_action(self, req: Request, project: str, zone: str, name: str, type: str, verb: str) -> Tuple[int, Any]:
        z = self._zone(project, zone)
        name, rtype = self._name_type(name, type)
        key = (z.id, name, rtype)
        body = self._body(req)
        existing = self.rrsets.get(key)
        if verb == "add_records":
            records = self._records(body, rtype)
            ttl = self._ttl(body)
            merged = [dict(r) for r in (existing.records if existing else [])]
            for rec in records:
                if any(m["value"] == rec["value"] for m in merged):
                    message = f"duplicate value '{rec['value']}'"
                    raise HetznerError(400, "invalid_input", message,
                                       {"fields": [{"name": f"records[0].records[{len(merged)}].value", "messages": [message]}]})
                merged.append(rec)
            action = self._new_action("add_rrset_records", z)
            if action.error is None:
                if existing is None:
                    self.rrsets[key] = RRSet(z.id, name, rtype, ttl, merged)
                else:
                    existing.records = merged
        elif verb == "remove_records":
            records = self._records(body, rtype)
            if existing is None:
                raise HetznerError(404, "not_found", "rrset not found")
            values = [r["value"] for r in records]
            missing = [v for v in values if all(r["value"] != v for r in existing.records)]
            if missing and self.remove_missing == "error":
                message = f"record with value '{missing[0]}' not found"
                raise HetznerError(400, "invalid_input", message,
                                   {"fields": [{"name": f"records[{values.index(missing[0])}].value", "messages": [message]}]})
            action = self._new_action("remove_rrset_records", z)
            if action.error is None:
                existing.records = [r for r in existing.records if r["value"] not in values]
                if not existing.records:
                    del self.rrsets[key]
        elif verb == "set_records":
            records = self._records(body, rtype)
            if existing is None:
                raise HetznerError(404, "not_found", "rrset not found")
            action = self._new_action("set_rrset_records", z)
            if action.error is None:
                existing.records = records
        else:
            if existing is None:
                raise HetznerError(404, "not_found", "rrset not found")
            if "ttl" not in body:
                raise HetznerError(400, "invalid_input", "invalid input in field 'ttl'")
            ttl = self._ttl(body)
            action = self._new_action("change_rrset_ttl", z)
            if action.error is None:
                existing.ttl = ttl
        return 201, {"action": action.to_json(self.clock.now(), initial=True)}

    def _visible_action(self, project: str, action_id: int) -> Optional[Action]:
        action = self.actions.get(action_id)
        if action is None or self.zones[action.zone].project != project:
            return None
        return action

    @staticmethod
    def _polled(action: Action, now: float) -> Dict[str, Any]:
        """An action as a poll sees it: running for its first ``actionPolls`` polls."""
        if action.polls_running > 0:
            action.polls_running -= 1
            return action.to_json(now, initial=True)
        return action.to_json(now)

    def _get_action(self, req: Request, project: str, action: str) -> Tuple[int, Any]:
        found = self._visible_action(project, int(action))
        if found is None:
            raise HetznerError(404, "not_found", "action not found")
        return 200, {"action": self._polled(found, self.clock.now())}

    def _list_actions(self, req: Request, project: str) -> Tuple[int, Any]:
        now = self.clock.now()
        ids = req.q_all("id")
        if ids:
            items = [a for a in (self._visible_action(project, int(i)) for i in ids if i.isdigit()) if a]
        else:
            items = [a for a in self.actions.values() if self.zones[a.zone].project == project]
        statuses = set(req.q_all("status"))
        rendered = [self._polled(a, now) for a in sorted(items, key=lambda a: a.id)]
        if statuses:
            rendered = [a for a in rendered if a["status"] in statuses]
        window, meta = self._paginate(req, rendered)
        return 200, {"actions": window, "meta": meta}


def main(argv: Optional[List[str]] = None) -> int:
    return base.run(HetznerEmulator, DEFAULT_CONFIG, "Hetzner Cloud API (zones/rrsets) emulator for tests.", argv)


if __name__ == "__main__":
    sys.exit(main())
