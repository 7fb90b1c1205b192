#!/usr/bin/env python3
"""Emulator of Huawei Cloud DNS v2 (public zones, recordsets) with AK/SK SDK-HMAC-SHA256.

Command line::

    python3 huaweicloud_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

Prints one line ``{"port": N, "host": "127.0.0.1"}``; exits 0 on SIGTERM,
SIGINT or EOF of a piped stdin (see emulator_base.py).

API (``X-Request-Id`` on every answer):

* ``GET /v2/zones?type=public&name=&search_mode=like|equal&limit=&offset=&marker=``
* ``GET /v2/zones/{zone_id}``
* ``GET /v2/zones/{zone_id}/recordsets?type=&name=&search_mode=&status=&limit=&offset=&marker=``
  (``name`` is a case-insensitive SUBSTRING match unless ``search_mode=equal``)
* ``POST /v2/zones/{zone_id}/recordsets`` -> 202, ``status: PENDING_CREATE``
* ``GET|PUT|DELETE /v2/zones/{zone_id}/recordsets/{recordset_id}`` -> PUT and
  DELETE answer 202 (``PENDING_UPDATE`` / ``PENDING_DELETE``).  PUT replaces
  the whole ``records`` list with no precondition (no version, no ETag), like
  the real API: two read-modify-write writers can lose a value.
* ``GET /v3/projects?name=<region>`` (IAM, for SDKs that look their project id up).

Pagination: ``limit`` 0..500 (default 500), ``offset``, ``marker`` (id of the
last item of the previous page; wins over offset); ``links.next`` is present
while more items follow; ``metadata.total_count`` counts all matches.

Authentication (APIG): ``Authorization: SDK-HMAC-SHA256 Access=<AK>,
SignedHeaders=<a;b;c>, Signature=<hex>`` over the canonical request (method;
URI decoded, each segment re-encoded, ALWAYS ending in ``/``; sorted encoded
query; the signed headers' trimmed values; SHA-256 of the body, or the literal
``UNSIGNED-PAYLOAD`` when ``X-Sdk-Content-Sha256`` says so), string to sign
``SDK-HMAC-SHA256\\n<X-Sdk-Date>\\n<hex sha256(CR)>``, key = the SK bytes.
``X-Sdk-Date`` (``YYYYMMDDTHHMMSSZ``) must be within ``timestampWindowSeconds``
(900) of the server clock; ``host`` and ``x-sdk-date`` must be signed.  STS
keys need their ``X-Security-Token``.  ``X-Project-Id``, when sent, must be
one of the account's projects.  Every failure is 401
``{"error_msg", "error_code": "APIGW.0301", "request_id"}``; the message never
contains the SK.

DNS errors are ``{"code": "DNS.xxxx", "message"}``: DNS.0302 zone not found
(404), DNS.0313 recordset not found (404), DNS.0312 name conflict / duplicate
(400); invalid input is 400 ``DNS.0303`` (code not verified against the real
service).  Throttling fault: 429 APIGW.0308.

Default config::

    {"accounts": [{"ak": "HWAKDNSTEST", "sk": "huawei-test-secret", "domainId": "d0000000000000000000000000000001",
                   "projects": [{"id": "p0000000000000000000000000000001", "name": "cn-north-4"},
                                {"id": "p0000000000000000000000000000002", "name": "ap-southeast-1"}],
                   "zones": ["example.com", "example.net"]},
                  {"ak": "HWAKOTHERTEST", "sk": "other-huawei-secret", "domainId": "...",
                   "projects": [{"id": "p0000000000000000000000000000009", "name": "cn-north-4"}],
                   "zones": ["other.example"]}],
     "temporaryCredentials": [{"ak": "HWSTSTEMPTEST", "sk": "temp-huawei-secret",
                               "securityToken": "huawei-test-security-token", "account": "HWAKDNSTEST"}],
     "timestampWindowSeconds": 900, "pendingMs": 0}

``pendingMs``: how long created/updated/deleted recordsets stay PENDING_*
before they become ACTIVE (or disappear).  Optional ``"records": [{"zone",
"name", "type", "records", "ttl"}]`` are seeded at start/reset.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sys
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote, unquote, urlencode

import emulator_base as base
from emulator_base import ApiFailure, BaseEmulator, Request, Response

ALGORITHM = "SDK-HMAC-SHA256"
EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
RECORD_TYPES = {"A", "AAAA", "MX", "CNAME", "TXT", "SRV", "NS", "CAA", "SOA"}

DEFAULT_CONFIG: Dict[str, Any] = {
    "accounts": [
        {"ak": "HWAKDNSTEST", "sk": "huawei-test-secret", "domainId": "d0000000000000000000000000000001",
         "projects": [{"id": "p0000000000000000000000000000001", "name": "cn-north-4"},
                      {"id": "p0000000000000000000000000000002", "name": "ap-southeast-1"}],
         "zones": ["example.com", "example.net"]},
        {"ak": "HWAKOTHERTEST", "sk": "other-huawei-secret", "domainId": "d0000000000000000000000000000002",
         "projects": [{"id": "p0000000000000000000000000000009", "name": "cn-north-4"}],
         "zones": ["other.example"]},
    ],
    "temporaryCredentials": [
        {"ak": "HWSTSTEMPTEST", "sk": "temp-huawei-secret", "securityToken": "huawei-test-security-token",
         "account": "HWAKDNSTEST"},
    ],
    "timestampWindowSeconds": 900,
    "pendingMs": 0,
}


# ---------------------------------------------------------------------------
# SDK-HMAC-SHA256, from the documented algorithm
# ---------------------------------------------------------------------------


def _enc(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(raw_path: str) -> str:
    path = "/".join(_enc(segment) for segment in unquote(raw_path).split("/"))
    return path if path.endswith("/") else path + "/"


def canonical_query(raw_query: str) -> str:
    pairs: List[Tuple[str, str]] = []
    for part in raw_query.split("&") if raw_query else []:
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((unquote(key), unquote(value)))
    pairs.sort()
    return "&".join(f"{_enc(k)}={_enc(v)}" for k, v in pairs)


def canonical_request(method: str, raw_path: str, raw_query: str, headers: Dict[str, str],
                      signed_headers: List[str], payload_hash: str) -> str:
    lines = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed_headers)
    return "\n".join([method.upper(), canonical_uri(raw_path), canonical_query(raw_query), lines,
                      ";".join(signed_headers), payload_hash])


def string_to_sign(sdk_date: str, canonical: str) -> str:
    return f"{ALGORITHM}\n{sdk_date}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


def sign(secret_key: str, sts: str) -> str:
    return hmac.new(secret_key.encode("utf-8"), sts.encode("utf-8"), hashlib.sha256).hexdigest()


_AUTH_RE = re.compile(r"^SDK-HMAC-SHA256\s+Access=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})$")


def parse_sdk_date(text: str) -> Optional[float]:
    try:
        import calendar
        return float(calendar.timegm(time.strptime(text, "%Y%m%dT%H%M%SZ")))
    except (ValueError, TypeError):
        return None


# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


@dataclass
class Credential:
    ak: str
    sk: str
    account: str
    token: Optional[str] = None


@dataclass
class Zone:
    id: str
    name: str  # with trailing dot
    account: str
    project_id: str
    created: float
    seq: int


@dataclass
class RecordSet:
    id: str
    zone_id: str
    name: str
    type: str
    ttl: int
    records: List[str]
    description: Optional[str]
    created: float
    updated: float
    seq: int
    default: bool = False
    pending_status: Optional[str] = None
    pending_until: float = 0.0
    deleted: bool = False


def fmt_time(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%03d" % int((epoch % 1) * 1000)


def hex_id() -> str:
    return "ff808082" + secrets.token_hex(12)


class HuaweiEmulator(BaseEmulator):
    name = "huaweicloud-emulator"
    default_config = DEFAULT_CONFIG

    def configure(self) -> None:
        self.window = int(self.config.get("timestampWindowSeconds", 900))
        self.pending = float(self.config.get("pendingMs", 0)) / 1000.0
        self.creds: Dict[str, Credential] = {}
        self.accounts: Dict[str, Dict[str, Any]] = {}
        for acc in self.config.get("accounts", []):
            self.creds[acc["ak"]] = Credential(acc["ak"], acc["sk"], acc["ak"])
            self.accounts[acc["ak"]] = acc
        for tmp in self.config.get("temporaryCredentials", []):
            self.creds[tmp["ak"]] = Credential(tmp["ak"], tmp["sk"], tmp["account"], tmp["securityToken"])

    def reset_records(self) -> None:
        self.zones: Dict[str, Zone] = {}
        self.recordsets: Dict[str, RecordSet] = {}
        self.seq = 0
        now = self.clock.now()
        for ak, acc in self.accounts.items():
            project = acc.get("projects", [{"id": "p" + "0" * 31}])[0]["id"]
            for name in acc.get("zones", []):
                fq = name.lower().rstrip(".") + "."
                zone = Zone(hex_id(), fq, ak, project, now, self._next())
                self.zones[zone.id] = zone
                self._new_set(zone, fq, "SOA", 300, [f"ns1.huaweicloud-dns.com. hostmaster.{fq} 1 7200 900 1209600 300"],
                              default=True)
                self._new_set(zone, fq, "NS", 172800, ["ns1.huaweicloud-dns.com.", "ns1.huaweicloud-dns.cn."],
                              default=True)
        for item in self.config.get("records", []):
            self._seed_one(item)

    def _next(self) -> int:
        self.seq += 1
        return self.seq

    def _new_set(self, zone: Zone, name: str, rtype: str, ttl: int, records: List[str],
                 description: Optional[str] = None, default: bool = False) -> RecordSet:
        now = self.clock.now()
        rs = RecordSet(hex_id(), zone.id, name, rtype, ttl, list(records), description, now, now, self._next(), default)
        self.recordsets[rs.id] = rs
        return rs

    def _zone_by_name(self, name: str) -> Zone:
        fq = name.lower().rstrip(".") + "."
        for zone in self.zones.values():
            if zone.name == fq:
                return zone
        raise ValueError(f"unknown zone {name}")

    def _seed_one(self, item: Dict[str, Any]) -> RecordSet:
        zone = self._zone_by_name(item["zone"])
        name = str(item["name"]).lower()
        name = name if name.endswith(".") else name + "."
        return self._new_set(zone, name, str(item.get("type", "TXT")).upper(), int(item.get("ttl", 300)),
                             list(item.get("records", [])))

    def seed(self, data: Dict[str, Any]) -> Any:
        return [self._seed_one(item).id for item in data.get("records", [])]

    def _status(self, rs: RecordSet) -> str:
        if rs.pending_status and self.clock.now() < rs.pending_until:
            return rs.pending_status
        return "ACTIVE"

    def _purge(self) -> None:
        now = self.clock.now()
        for rs in [r for r in self.recordsets.values() if r.deleted and now >= r.pending_until]:
            del self.recordsets[rs.id]

    def _mark(self, rs: RecordSet, status: str) -> None:
        rs.pending_status = status
        rs.pending_until = self.clock.now() + self.pending

    def recordset_json(self, rs: RecordSet, host: str, created_key: str = "create_at") -> Dict[str, Any]:
        zone = self.zones[rs.zone_id]
        updated_key = "update_at" if created_key == "create_at" else "updated_at"
        return {"id": rs.id, "name": rs.name, "description": rs.description, "zone_id": zone.id, "zone_name": zone.name,
                "type": rs.type, "ttl": rs.ttl, "records": list(rs.records), created_key: fmt_time(rs.created),
                updated_key: fmt_time(rs.updated), "status": self._status(rs), "default": rs.default,
                "project_id": zone.project_id,
                "links": {"self": f"http://{host}/v2/zones/{zone.id}/recordsets/{rs.id}"}}

    def zone_json(self, zone: Zone, host: str) -> Dict[str, Any]:
        return {"id": zone.id, "name": zone.name, "description": "", "email": f"hostmaster@{zone.name.rstrip('.')}",
                "zone_type": "public", "ttl": 300, "serial": 1, "status": "ACTIVE",
                "record_num": sum(1 for r in self.recordsets.values() if r.zone_id == zone.id and not r.deleted),
                "pool_id": "00000000570e54ee01570e9939b20019", "project_id": zone.project_id,
                "created_at": fmt_time(zone.created), "updated_at": fmt_time(zone.created),
                "links": {"self": f"http://{host}/v2/zones/{zone.id}"}, "masters": [], "enterprise_project_id": "0"}

    def state_records(self) -> Any:
        self._purge()
        return [self.recordset_json(r, "emulator") for r in sorted(self.recordsets.values(), key=lambda r: r.seq)]

    def state_extra(self) -> Dict[str, Any]:
        return {"zones": [{"id": z.id, "name": z.name, "account": z.account} for z in self.zones.values()]}

    # -- errors ---------------------------------------------------------------
    @staticmethod
    def _rid() -> str:
        return secrets.token_hex(16)

    def apig_error(self, status: int, code: str, message: str) -> ApiFailure:
        rid = self._rid()
        return ApiFailure(Response(status, {"error_msg": message, "error_code": code, "request_id": rid},
                                   {"X-Request-Id": rid}), code)

    def dns_error(self, status: int, code: str, message: str) -> ApiFailure:
        return ApiFailure(Response(status, {"code": code, "message": message}, {"X-Request-Id": self._rid()}), code)

    def throttle_error(self, req: Request) -> Response:
        req.outcome = "APIGW.0308"
        rid = self._rid()
        return Response(429, {"error_msg": "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute",
                              "error_code": "APIGW.0308", "request_id": rid}, {"X-Request-Id": rid})

    def server_error(self, req: Request, status: Optional[int]) -> Response:
        rid = self._rid()
        return Response(status or 503, {"error_msg": "Backend unavailable", "error_code": "APIGW.0205", "request_id": rid},
                        {"X-Request-Id": rid})

    def injected_error(self, req: Request, entry: Dict[str, Any]) -> Response:
        code = str(entry["code"])
        status = int(entry.get("status", 400))
        body = ({"error_msg": entry.get("message", "Injected error."), "error_code": code, "request_id": self._rid()}
                if code.startswith("APIGW") else {"code": code, "message": entry.get("message", "Injected error.")})
        return Response(status, body, {"X-Request-Id": self._rid()})

    # -- authentication ---------------------------------------------------------
    def authenticate(self, req: Request) -> Credential:
        auth = req.header("authorization") or ""
        match = _AUTH_RE.match(auth.strip())
        if not match:
            raise self.apig_error(401, "APIGW.0301", "Incorrect IAM authentication information: Authorization header is missing or is not SDK-HMAC-SHA256")
        ak, signed, given = match.groups()
        signed_headers = signed.split(";")
        sdk_date = req.header("x-sdk-date") or ""
        stamp = parse_sdk_date(sdk_date)
        if stamp is None or "x-sdk-date" not in signed_headers or "host" not in signed_headers:
            raise self.apig_error(401, "APIGW.0301", "Incorrect IAM authentication information: X-Sdk-Date and Host must be present and signed")
        now = self.clock.now()
        if abs(stamp - now) > self.window:
            raise self.apig_error(401, "APIGW.0301", f"Incorrect IAM authentication information: x-sdk-date {sdk_date} is out of the allowed time window")
        cred = self.creds.get(ak)
        if cred is None:
            raise self.apig_error(401, "APIGW.0301", f"Incorrect IAM authentication information: ak {ak} not exist")
        token = req.header("x-security-token")
        if cred.token is not None:
            if not token or not hmac.compare_digest(token.encode(), cred.token.encode()):
                raise self.apig_error(401, "APIGW.0301", "Incorrect IAM authentication information: the security token does not match this temporary AK")
        elif token:
            raise self.apig_error(401, "APIGW.0301", "Incorrect IAM authentication information: a security token was sent with a permanent AK")
        if req.header("x-sdk-content-sha256") == "UNSIGNED-PAYLOAD":
            payload = "UNSIGNED-PAYLOAD"
        else:
            payload = hashlib.sha256(req.body).hexdigest() if req.body else EMPTY_HASH
        raw_path = req.target.split("?", 1)[0]
        canonical = canonical_request(req.method, raw_path, req.raw_query, req.headers, signed_headers, payload)
        if not hmac.compare_digest(sign(cred.sk, string_to_sign(sdk_date, canonical)), given):
            req.note = {"canonicalRequestSha256": hashlib.sha256(canonical.encode()).hexdigest()}
            raise self.apig_error(401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail")
        project = req.header("x-project-id")
        if project and project not in {p["id"] for p in self.accounts[cred.account].get("projects", [])}:
            raise self.apig_error(401, "APIGW.0301", "Incorrect IAM authentication information: the project id does not belong to this account")
        return cred

    # -- routing ------------------------------------------------------------------
    ROUTES = [
        ("GET", re.compile(r"^/v2/zones$"), "ListPublicZones"),
        ("GET", re.compile(r"^/v2/zones/(?P<zone>[^/]+)$"), "ShowPublicZone"),
        ("GET", re.compile(r"^/v2/zones/(?P<zone>[^/]+)/recordsets$"), "ListRecordSetsByZone"),
        ("POST", re.compile(r"^/v2/zones/(?P<zone>[^/]+)/recordsets$"), "CreateRecordSet"),
        ("GET", re.compile(r"^/v2/zones/(?P<zone>[^/]+)/recordsets/(?P<rs>[^/]+)$"), "ShowRecordSet"),
        ("PUT", re.compile(r"^/v2/zones/(?P<zone>[^/]+)/recordsets/(?P<rs>[^/]+)$"), "UpdateRecordSet"),
        ("DELETE", re.compile(r"^/v2/zones/(?P<zone>[^/]+)/recordsets/(?P<rs>[^/]+)$"), "DeleteRecordSet"),
        ("GET", re.compile(r"^/v3/projects$"), "KeystoneListProjects"),
    ]

    def api(self, req: Request) -> Response:
        path = req.path.rstrip("/") or "/"
        route = None
        for method, pattern, action in self.ROUTES:
            match = pattern.match(path)
            if match and method == req.method:
                route = (action, match.groupdict())
                break
        if route is None:
            req.action = f"{req.method} {req.path}"
            rid = self._rid()
            return Response(404, {"error_msg": "The API does not exist or has not been published in the environment",
                                  "error_code": "APIGW.0101", "request_id": rid}, {"X-Request-Id": rid})
        req.action, args = route
        cred = self.authenticate(req)
        req.principal = cred.ak
        self.fault_point(req)
        host = req.header("host") or "127.0.0.1"
        with self.lock:
            self._purge()
            return getattr(self, "_do_" + req.action)(req, cred, host, **args)

    # -- helpers -----------------------------------------------------------------
    def _int(self, req: Request, name: str, default: int, low: int, high: int) -> int:
        raw = req.q(name)
        if raw in (None, ""):
            return default
        if not re.fullmatch(r"\d+", raw) or not low <= int(raw) <= high:
            raise self.dns_error(400, "DNS.0303", f"Attribute '{name}' is invalid.")
        return int(raw)

    def _page(self, req: Request, items: List[Any], key: str, render, base_path: str, host: str) -> Dict[str, Any]:
        limit = self._int(req, "limit", 500, 0, 500)
        offset = self._int(req, "offset", 0, 0, 2147483647)
        marker = req.q("marker")
        if marker:
            ids = [getattr(i, "id") for i in items]
            start = ids.index(marker) + 1 if marker in ids else len(items)
        else:
            start = offset
        window = items[start: start + limit] if limit else []
        params = [(k, v) for k, v in req.query if k not in ("marker", "offset")]
        links = {"self": f"http://{host}{base_path}" + (("?" + urlencode(req.query)) if req.query else "")}
        if limit and start + limit < len(items) and window:
            nxt = params + [("marker", getattr(window[-1], "id"))]
            if not any(k == "limit" for k, _ in nxt):
                nxt.append(("limit", str(limit)))
            links["next"] = f"http://{host}{base_path}?" + urlencode(nxt)
        return {"links": links, key: [render(i) for i in window], "metadata": {"total_count": len(items)}}

    @staticmethod
    def _name_filter(name_value: Optional[str], mode: Optional[str], candidate: str) -> bool:
        if not name_value:
            return True
        wanted = name_value.lower()
        if (mode or "like").lower() == "equal":
            return candidate == (wanted if wanted.endswith(".") else wanted + ".")
        return wanted in candidate

    def _zone(self, zone_id: str, cred: Credential) -> Zone:
        zone = self.zones.get(zone_id)
        if zone is None or zone.account != cred.account:
            raise self.dns_error(404, "DNS.0302", f"This Zone '{zone_id}' does not exist.")
        return zone

    def _recordset(self, zone: Zone, rs_id: str) -> RecordSet:
        rs = self.recordsets.get(rs_id)
        if rs is None or rs.zone_id != zone.id:
            raise self.dns_error(404, "DNS.0313", "This record set does not exist.")
        return rs

    # -- actions -------------------------------------------------------------------
    def _do_KeystoneListProjects(self, req: Request, cred: Credential, host: str) -> Response:
        projects = self.accounts[cred.account].get("projects", [])
        name = req.q("name")
        found = [p for p in projects if name is None or p["name"] == name]
        return Response(200, {"projects": [{"id": p["id"], "name": p["name"], "domain_id": self.accounts[cred.account].get("domainId", ""),
                                            "enabled": True, "is_domain": False, "description": "",
                                            "parent_id": self.accounts[cred.account].get("domainId", ""),
                                            "links": {"self": f"http://{host}/v3/projects/{p['id']}"}} for p in found],
                              "links": {"self": f"http://{host}/v3/projects", "previous": None, "next": None}},
                        {"X-IAM-Trace-Id": self._rid()})

    def _do_ListPublicZones(self, req: Request, cred: Credential, host: str) -> Response:
        ztype = req.q("type", "public")
        if ztype not in ("public", "private"):
            raise self.dns_error(400, "DNS.0303", "Attribute 'type' is invalid.")
        zones = sorted((z for z in self.zones.values() if z.account == cred.account and ztype == "public"
                        and self._name_filter(req.q("name"), req.q("search_mode"), z.name)), key=lambda z: z.seq)
        return Response(200, self._page(req, zones, "zones", lambda z: self.zone_json(z, host), "/v2/zones", host),
                        {"X-Request-Id": self._rid()})

    def _do_ShowPublicZone(self, req: Request, cred: Credential, host: str, zone: str) -> Response:
        return Response(200, self.zone_json(self._zone(zone, cred), host), {"X-Request-Id": self._rid()})

    def _do_ListRecordSetsByZone(self, req: Request, cred: Credential, host: str, zone: str) -> Response:
        z = self._zone(zone, cred)
        rtype = (req.q("type") or "").upper()
        status = (req.q("status") or "").upper()
        items = sorted((r for r in self.recordsets.values() if r.zone_id == z.id
                        and (not rtype or r.type == rtype)
                        and (not status or self._status(r) == status)
                        and (not req.q("id") or r.id == req.q("id"))
                        and self._name_filter(req.q("name"), req.q("search_mode"), r.name)), key=lambda r: r.seq)
        return Response(200, self._page(req, items, "recordsets", lambda r: self.recordset_json(r, host),
                                        f"/v2/zones/{z.id}/recordsets", host), {"X-Request-Id": self._rid()})

    def _body(self, req: Request) -> Dict[str, Any]:
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            raise self.dns_error(400, "DNS.0303", "The request body is not a JSON object.")
        return body

    def _records(self, body: Dict[str, Any], rtype: str) -> List[str]:
        records = body.get("records")
        if not isinstance(records, list) or not records or not all(isinstance(r, str) and r for r in records):
            raise self.dns_error(400, "DNS.0303", "Attribute 'records' is invalid.")
        if len(set(records)) != len(records):
            raise self.dns_error(400, "DNS.0303", "Attribute 'records' contains duplicate values.")
        if rtype == "TXT" and any(len(r) > 4096 for r in records):
            raise self.dns_error(400, "DNS.0303", "Attribute 'records' is invalid: a TXT record is too long.")
        return list(records)

    def _ttl(self, body: Dict[str, Any], default: int) -> int:
        ttl = body.get("ttl", default)
        if not isinstance(ttl, int) or isinstance(ttl, bool) or not 1 <= ttl <= 2147483647:
            raise self.dns_error(400, "DNS.0303", "Attribute 'ttl' is invalid.")
        return ttl

    def _do_CreateRecordSet(self, req: Request, cred: Credential, host: str, zone: str) -> Response:
        z = self._zone(zone, cred)
        body = self._body(req)
        name = body.get("name")
        rtype = str(body.get("type") or "").upper()
        if not isinstance(name, str) or not name:
            raise self.dns_error(400, "DNS.0303", "Attribute 'name' is invalid.")
        if rtype not in RECORD_TYPES or rtype == "SOA":
            raise self.dns_error(400, "DNS.0303", "Attribute 'type' is invalid.")
        fq = name.lower() if name.endswith(".") else name.lower() + "."
        if not (fq == z.name or fq.endswith("." + z.name)):
            raise self.dns_error(400, "DNS.0303", f"Attribute 'name' is invalid: it is not inside zone '{z.name}'.")
        records = self._records(body, rtype)
        ttl = self._ttl(body, 300)
        for other in self.recordsets.values():
            if other.zone_id == z.id and other.name == fq and not other.deleted and (
                    other.type == rtype or "CNAME" in (other.type, rtype)):
                raise self.dns_error(400, "DNS.0312", f"Attribute 'name' conflicts with Record Set '{fq}' type '{other.type}'.")
        rs = self._new_set(z, fq, rtype, ttl, records, body.get("description"))
        self._mark(rs, "PENDING_CREATE")
        answer = self.recordset_json(rs, host)
        answer["status"] = "PENDING_CREATE"
        return Response(202, answer, {"X-Request-Id": self._rid()})

    def _do_ShowRecordSet(self, req: Request, cred: Credential, host: str, zone: str, rs: str) -> Response:
        recordset = self._recordset(self._zone(zone, cred), rs)
        return Response(200, self.recordset_json(recordset, host), {"X-Request-Id": self._rid()})

    def _do_UpdateRecordSet(self, req: Request, cred: Credential, host: str, zone: str, rs: str) -> Response:
        z = self._zone(zone, cred)
        recordset = self._recordset(z, rs)
        body = self._body(req)
        if "name" in body and str(body["name"]).lower().rstrip(".") + "." != recordset.name:
            raise self.dns_error(400, "DNS.0303", "Attribute 'name' cannot be changed.")
        if "type" in body and str(body["type"]).upper() != recordset.type:
            raise self.dns_error(400, "DNS.0303", "Attribute 'type' cannot be changed.")
        if "records" in body:
            recordset.records = self._records(body, recordset.type)
        recordset.ttl = self._ttl(body, recordset.ttl)
        if "description" in body:
            recordset.description = body["description"]
        recordset.updated = self.clock.now()
        self._mark(recordset, "PENDING_UPDATE")
        answer = self.recordset_json(recordset, host)
        answer["status"] = "PENDING_UPDATE"
        return Response(202, answer, {"X-Request-Id": self._rid()})

    def _do_DeleteRecordSet(self, req: Request, cred: Credential, host: str, zone: str, rs: str) -> Response:
        z = self._zone(zone, cred)
        recordset = self._recordset(z, rs)
        if recordset.default:
            raise self.dns_error(400, "DNS.0303", "The default record set cannot be deleted.")
        answer = self.recordset_json(recordset, host)
        answer["status"] = "PENDING_DELETE"
        recordset.deleted = True
        self._mark(recordset, "PENDING_DELETE")
        self._purge()
        return Response(202, answer, {"X-Request-Id": self._rid()})


def main(argv: Optional[List[str]] = None) -> int:
    return base.run(HuaweiEmulator, DEFAULT_CONFIG, "Huawei Cloud DNS v2 emulator (AK/SK SDK-HMAC-SHA256) for tests.", argv)


if __name__ == "__main__":
    sys.exit(main())
