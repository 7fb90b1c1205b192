#!/usr/bin/env python3
"""A small, honest emulator of Alibaba Cloud DNS (AliDNS) and STS, for tests.

It speaks the RPC style of AliDNS API version 2015-01-09 (DescribeDomains,
DescribeDomainRecords, DescribeSubDomainRecords, AddDomainRecord,
DeleteDomainRecord) and STS 2015-04-01 AssumeRoleWithOIDC, on 127.0.0.1.

What makes it worth testing against:

* Every AliDNS request is authenticated like the real service does it:
  Signature Version 1.0 (HMAC-SHA1) recomputed here from the documented
  algorithm (sorted parameters, RFC 3986 percent-encoding, the HTTP method
  that was actually used, key ``secret + "&"``), a +/-15 minute Timestamp
  window, single-use SignatureNonce values and, for STS-issued keys, the
  matching SecurityToken.
* Records are real state: adding, listing (with AliDNS's keyword semantics
  and paging) and deleting them behave consistently, duplicate and quota
  rules included.
* Faults (throttling, 5xx, arbitrary error codes, delays) can be injected at
  run time through an admin endpoint that is not part of the AliDNS API.

Command line::

    python3 alidns_emulator.py --port 0 [--config F] [--state-file F] [--min-ttl N] [--verbose]

On start the server prints one JSON line (``{"port": N, "host": "127.0.0.1"}``)
to stdout and flushes it; nothing else goes to stdout.  It exits with status 0
on SIGTERM or SIGINT.  Per-request logging goes to stderr only with --verbose.

Config (``--config``; without it: one account ``testid``/``testsecret`` owning
example.com, cn.example.com and xn--bcher-kva.example)::

    {"accounts": [{"accessKeyId": "...", "accessKeySecret": "...",
                   "domains": ["example.com", "cn.example.com", "xn--bcher-kva.example"],
                   "securityToken": "optional: this key is an STS key needing this token",
                   "expiration": "optional yyyy-MM-ddTHH:mm:ssZ for such a key"}],
     "oidc": {"roleArn": "acs:ram::1:role/r", "oidcProviderArn": "acs:ram::1:oidc-provider/p",
              "token": "the expected OIDC token", "tokens": ["more accepted tokens"],
              "expiredTokens": ["tokens answered with ...OIDCToken.Expired"],
              "account": "AccessKeyId whose domains STS keys may use (default: first)",
              "maxDurationSeconds": 3600, "durationOverrideSeconds": null},
     "minTTL": 600, "recordQuota": 90, "timestampWindowSeconds": 900,
     "records": [{"domain": "example.com", "rr": "www", "type": "A", "value": "192.0.2.1"}]}

Admin endpoints (JSON in and out; not part of the AliDNS API, not signed):

* ``GET  /__admin/state[?log=0]`` domains, records, faults, clock, issued STS
  keys (ids only) and the request log (action, status, outcome code, fault,
  non-secret parameters, which names came in the form body).
* ``POST /__admin/faults`` replace the fault plan, e.g. ``{"throttle": 2,
  "error5xx": 1, "errors": [{"status": 403, "code": "Forbidden.RAM"}],
  "delayMs": 200, "delayCount": 1, "actions": ["AddDomainRecord"]}``; the next
  matching calls that pass authentication get, in order, the throttles
  (``throttleStatus``/``throttleCode``, default 400 ``Throttling.User``), then
  the 5xx (``error5xxStatus``/``error5xxCode``, default 503
  ``ServiceUnavailable``), then ``errors``; ``delayMs`` delays matching calls
  (``delayCount`` of them, or all).  ``GET /__admin/faults`` shows what is left.
* ``POST /__admin/seed`` ``{"domain": "example.com", "count": 600, "rr":
  "_acme-challenge-{i}", "value": "v{i}"}`` or ``{"records": [...]}``: add
  records without the duplicate/quota checks.
* ``POST /__admin/reset`` records (back to config seeds), nonces, STS keys,
  faults, clock and request log.
* ``POST /__admin/clock`` ``{"now": "2016-02-23T12:46:24Z"}`` freezes the
  server clock, ``{"offsetSeconds": N}`` shifts it, ``{}`` restores it.
* ``POST /__admin/sts/expire`` expires every issued STS key now.

Errors (JSON ``{"RequestId", "HostId", "Code", "Message", "Recommend"}``, or
``<Error>`` XML when Format is XML or absent), checked in this order:

=====  ==============================================  ==========================================
HTTP   Code                                            When
=====  ==============================================  ==========================================
404    InvalidAction.NotFound                          path is not "/"
405    UnsupportedHTTPMethod                           not GET/POST
400    InvalidParameter                                a name twice (query+body), bad UTF-8
400    MissingParameter                                no Action
400    IncompleteSignature                             no Signature; SignatureMethod not
                                                       HMAC-SHA1; SignatureVersion not 1.0
400    MissingParameter                                no AccessKeyId / SignatureMethod /
                                                       SignatureVersion / SignatureNonce / Timestamp
404    InvalidAccessKeyId.NotFound                     unknown AccessKeyId
400    InvalidTimeStamp.Format                         Timestamp not yyyy-MM-ddTHH:mm:ss[.fff]Z
400    InvalidTimeStamp.Expired                        Timestamp more than 900 s from server time
400    InvalidSecurityToken.MismatchWithAccessKey      STS key without / with a wrong
                                                       SecurityToken; token with a permanent key
400    InvalidSecurityToken.Expired                    STS key past its Expiration
400    SignatureDoesNotMatch                           Message ends "server string to sign is:<sts>"
400    SignatureNonceUsed                              (AccessKeyId, nonce) seen in the last 30 min
400    MissingParameter / InvalidVersion               no Version / wrong Version for the action
404    InvalidAction.NotFound                          unknown Action (after authentication)
...    injected faults                                 see /__admin/faults
400    MissingParameter / InvalidParameter             action parameters (PageSize > 500 for
                                                       records, > 100 for domains, bad RR/Type...)
400    IncorrectDomainUser                             DomainName not in the caller's account
400    QuotaExceeded.TTL                               TTL < minTTL or > 86400
400    DomainRecordDuplicate                           same RR + Type + Value + Line exists
400    DomainRecordConflict                            CNAME next to other types on RR + Line
400    QuotaExceeded.Record                            90 records with one RR + Type + Line
400    DomainRecordNotBelongToUser                     DeleteDomainRecord of an unknown or
                                                       foreign RecordId
404    EntityNotExist.Role / EntityNotExist.OIDCProvider   STS: RoleArn / OIDCProviderArn unknown
400    AuthenticationFail.OIDCToken.Invalid / .Expired     STS: token not accepted
500    InternalError                                   an emulator bug (never expected)
=====  ==============================================  ==========================================

AssumeRoleWithOIDC is anonymous: AccessKeyId/Signature are not required and
ignored if present; SignatureNonce is not required (the official credentials
library does not send one); a Timestamp, if sent, must be in the window.

Only the Python standard library is used, so the emulator starts anywhere a
Python 3.9+ interpreter exists.
"""

from __future__ import annotations

import argparse
import base64
import calendar
import copy
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterable, List, Optional, Tuple
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape as xml_escape

DNS_VERSION = "2015-01-09"
STS_VERSION = "2015-04-01"
DNS_HOST_ID = "alidns.aliyuncs.com"
STS_HOST_ID = "sts.aliyuncs.com"

#: Clock skew accepted on ``Timestamp`` (seconds, either direction).
DEFAULT_TIMESTAMP_WINDOW = 15 * 60
#: Records allowed with one RR + Type + Line before ``QuotaExceeded.Record``.
DEFAULT_RECORD_QUOTA = 90
DEFAULT_MIN_TTL = 600
MAX_TTL = 86400
DESCRIBE_DOMAINS_MAX_PAGE_SIZE = 100
DESCRIBE_RECORDS_MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 20
REQUEST_LOG_LIMIT = 5000

#: The account used when no --config is given.  Test fixtures only.
DEFAULT_CONFIG: Dict[str, Any] = {
    "accounts": [
        {
            "accessKeyId": "testid",
            "accessKeySecret": "testsecret",
            "domains": ["example.com", "cn.example.com", "xn--bcher-kva.example"],
        }
    ],
    "minTTL": DEFAULT_MIN_TTL,
}


# ---------------------------------------------------------------------------
# Signature Version 1.0, implemented from the documented algorithm.
# ---------------------------------------------------------------------------

_UNRESERVED = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
)


def percent_encode(text: str) -> str:
    """RFC 3986 encoding as AliDNS wants it: UTF-8 bytes, unreserved kept.

    Everything but ``A-Z a-z 0-9 - _ . ~`` becomes ``%XY`` with upper-case hex,
    so a space is ``%20`` (never ``+``) and ``*`` is ``%2A``.
    """
    out = []
    for byte in text.encode("utf-8"):
        if byte in _UNRESERVED:
            out.append(chr(byte))
        else:
            out.append("%%%02X" % byte)
    return "".join(out)


def canonicalized_query(params: Dict[str, str]) -> str:
    """``name=value`` pairs joined by ``&``, sorted by the name's UTF-8 bytes.

    ``Signature`` itself is never part of what is signed.
    """
    names = sorted((n for n in params if n != "Signature"), key=lambda n: n.encode("utf-8"))
    return "&".join(percent_encode(n) + "=" + percent_encode(params[n]) for n in names)


def string_to_sign(method: str, params: Dict[str, str]) -> str:
    """``METHOD & percentEncode("/") & percentEncode(canonicalized query)``."""
    return method.upper() + "&" + percent_encode("/") + "&" + percent_encode(canonicalized_query(params))


def compute_signature(method: str, params: Dict[str, str], secret: str) -> str:
    """Base64(HMAC-SHA1(key = secret + "&", string_to_sign))."""
    digest = hmac.new(
        (secret + "&").encode("utf-8"),
        string_to_sign(method, params).encode("utf-8"),
        hashlib.sha1,
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(method: str, params: Dict[str, str], secret: str) -> bool:
    """True when ``params["Signature"]`` is the right signature for ``method``."""
    given = params.get("Signature")
    if given is None:
        return False
    expected = compute_signature(method, params, secret)
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


# ---------------------------------------------------------------------------
# Errors and small helpers
# ---------------------------------------------------------------------------


class ApiError(Exception):
    """An error answered in AliDNS's shape: HTTP status + Code + Message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def missing(name: str) -> ApiError:
    return ApiError(400, "MissingParameter",
                    f"The input parameter \"{name}\" that is mandatory for processing this request is not supplied.")


def invalid(name: str, why: str) -> ApiError:
    return ApiError(400, "InvalidParameter", f"The parameter \"{name}\" is invalid: {why}")


def iso8601(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


_TIMESTAMP_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$")


def parse_timestamp(text: str) -> Optional[float]:
    """Parse ``yyyy-MM-ddTHH:mm:ss[.fff]Z`` (UTC) to epoch seconds, or None."""
    match = _TIMESTAMP_RE.match(text)
    if not match:
        return None
    try:
        parts = time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    return float(calendar.timegm(parts))


def to_ascii_domain(name: str) -> str:
    """Lower-case ASCII (punycode) form of a domain name given in any form."""
    name = name.strip().lower()
    try:
        return name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return name


def to_unicode_domain(name: str) -> str:
    try:
        return name.encode("ascii").decode("idna")
    except UnicodeError:
        return name


def parse_int(params: Dict[str, str], name: str, default: int, low: int, high: Optional[int]) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(name, f"{raw!r} is not an integer") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise invalid(name, f"{value} must be {bound}")
    return value


# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


@dataclass
class Credential:
    """An AccessKey pair the emulator accepts.

    ``security_token`` is set for STS keys (issued by AssumeRoleWithOIDC, or
    configured with ``securityToken``); such keys are accepted only together
    with that exact token, and only until ``expiration`` (epoch, optional).
    """

    access_key_id: str
    secret: str
    account: str  # the AccessKeyId of the owning account (itself for static keys)
    security_token: Optional[str] = None
    expiration: Optional[float] = None
    issued: bool = False  # True for keys minted by AssumeRoleWithOIDC


@dataclass
class Domain:
    ascii_name: str
    unicode_name: str
    domain_id: str
    account: str


@dataclass
class Record:
    record_id: int
    domain: str  # Domain.ascii_name
    rr: str
    type: str
    value: str
    ttl: int
    line: str
    priority: Optional[int]
    created_ms: int

    def to_api(self, domain: Domain) -> Dict[str, Any]:
        item: Dict[str, Any] = {
            "DomainName": domain.unicode_name,
            "RecordId": str(self.record_id),
            "RR": self.rr,
            "Type": self.type,
            "Value": self.value,
            "TTL": self.ttl,
            "Line": self.line,
            "Status": "ENABLE",
            "Locked": False,
            "Weight": 1,
            "CreateTimestamp": self.created_ms,
            "UpdateTimestamp": self.created_ms,
        }
        if self.priority is not None:
            item["Priority"] = self.priority
        return item

    def to_state(self) -> Dict[str, Any]:
        return {
            "recordId": str(self.record_id), "domain": self.domain, "rr": self.rr,
            "type": self.type, "value": self.value, "ttl": self.ttl, "line": self.line,
            "priority": self.priority, "createdMs": self.created_ms,
        }


@dataclass
class FaultPlan:
    """Faults for the next matching API calls; see ``POST /__admin/faults``."""

    throttle: int = 0
    throttle_status: int = 400
    throttle_code: str = "Throttling.User"
    error5xx: int = 0
    error5xx_status: int = 503
    error5xx_code: str = "ServiceUnavailable"
    errors: List[Dict[str, Any]] = field(default_factory=list)
    delay_ms: int = 0
    delay_count: Optional[int] = None  # None: every matching call
    actions: Optional[List[str]] = None  # None: every action

    @classmethod
    def from_json(cls, body: Dict[str, Any]) -> "FaultPlan":
        plan = cls(
            throttle=int(body.get("throttle", 0)),
            throttle_status=int(body.get("throttleStatus", 400)),
            throttle_code=str(body.get("throttleCode", "Throttling.User")),
            error5xx=int(body.get("error5xx", 0)),
            error5xx_status=int(body.get("error5xxStatus", 503)),
            error5xx_code=str(body.get("error5xxCode", "ServiceUnavailable")),
            errors=[dict(e) for e in body.get("errors", [])],
            delay_ms=int(body.get("delayMs", 0)),
            delay_count=(int(body["delayCount"]) if body.get("delayCount") is not None else None),
            actions=(list(body["actions"]) if body.get("actions") else None),
        )
        for entry in plan.errors:
            if "code" not in entry:
                raise ValueError("each entry of errors needs a code")
        return plan

    def to_json(self) -> Dict[str, Any]:
        return {
            "throttle": self.throttle, "throttleStatus": self.throttle_status,
            "throttleCode": self.throttle_code, "error5xx": self.error5xx,
            "error5xxStatus": self.error5xx_status, "error5xxCode": self.error5xx_code,
            "errors": self.errors, "delayMs": self.delay_ms, "delayCount": self.delay_count,
            "actions": self.actions,
        }

    def matches(self, action: str) -> bool:
        return self.actions is None or action in self.actions

    def take(self, action: str) -> Tuple[float, Optional[ApiError], Optional[str]]:
        """Consume the plan for one call: (delay seconds, error to answer, fault kind)."""
        if not self.matches(action):
            return 0.0, None, None
        delay = 0.0
        if self.delay_ms > 0 and (self.delay_count is None or self.delay_count > 0):
            delay = self.delay_ms / 1000.0
            if self.delay_count is not None:
                self.delay_count -= 1
        if self.throttle > 0:
            self.throttle -= 1
            return delay, ApiError(self.throttle_status, self.throttle_code,
                                   "Request was denied due to user flow control (injected)."), "throttle"
        if self.error5xx > 0:
            self.error5xx -= 1
            return delay, ApiError(self.error5xx_status, self.error5xx_code,
                                   "The request has failed due to a temporary failure of the server (injected)."), "error5xx"
        if self.errors:
            entry = self.errors.pop(0)
            return delay, ApiError(int(entry.get("status", 400)), str(entry["code"]),
                                   str(entry.get("message", "Injected error."))), "error"
        return delay, None, ("delay" if delay else None)


class Clock:
    """Wall clock with an adjustable offset, or frozen at a fixed instant."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.frozen: Optional[float] = None

    def now(self) -> float:
        return self.frozen if self.frozen is not None else time.time() + self.offset

    def to_json(self) -> Dict[str, Any]:
        return {"now": iso8601(self.now()), "offsetSeconds": self.offset,
                "frozen": self.frozen is not None}


# ---------------------------------------------------------------------------
# The emulator (transport independent: handle() takes a parsed HTTP request)
# ---------------------------------------------------------------------------

_RR_RE = re.compile(r"^(@|\*|(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*)$")
_LINE_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_SESSION_RE = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
RECORD_TYPES = {"A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA", "REDIRECT_URL", "FORWARD_URL"}
DNS_ACTIONS = {"DescribeDomains", "DescribeDomainRecords", "DescribeSubDomainRecords",
               "AddDomainRecord", "DeleteDomainRecord"}
STS_ACTIONS = {"AssumeRoleWithOIDC"}
#: Parameters never written to the request log.
SECRET_PARAMS = {"Signature", "SecurityToken", "OIDCToken", "AccessKeySecret"}


class Emulator:
    def __init__(self, config: Dict[str, Any], state_file: Optional[str] = None) -> None:
        self.lock = threading.RLock()
        self.config = copy.deepcopy(config)
        self.state_file = state_file
        self.clock = Clock()
        self.min_ttl = int(config.get("minTTL", DEFAULT_MIN_TTL))
        self.record_quota = int(config.get("recordQuota", DEFAULT_RECORD_QUOTA))
        self.window = int(config.get("timestampWindowSeconds", DEFAULT_TIMESTAMP_WINDOW))
        self.oidc = dict(config.get("oidc") or {})
        self._load_accounts()
        self._reset_state(load_file=True)

    # -- configuration ----------------------------------------------------

    def _load_accounts(self) -> None:
        self.static_credentials: Dict[str, Credential] = {}
        self.domains: Dict[str, Domain] = {}
        accounts = self.config.get("accounts") or []
        if not accounts:
            raise ValueError("config needs at least one account")
        for index, acc in enumerate(accounts):
            ak = acc["accessKeyId"]
            expiration = acc.get("expiration")
            self.static_credentials[ak] = Credential(
                access_key_id=ak,
                secret=acc["accessKeySecret"],
                account=acc.get("account", ak),
                security_token=acc.get("securityToken"),
                expiration=(parse_timestamp(expiration) if expiration else None),
            )
            for number, name in enumerate(acc.get("domains", [])):
                ascii_name = to_ascii_domain(name)
                self.domains[ascii_name] = Domain(
                    ascii_name=ascii_name,
                    unicode_name=to_unicode_domain(ascii_name),
                    domain_id=f"{index + 1:02d}{number + 1:04d}-{hashlib.sha1(ascii_name.encode()).hexdigest()[:12]}",
                    account=acc.get("account", ak),
                )
        default_sts_account = self.oidc.get("account") or accounts[0]["accessKeyId"]
        owner = self.static_credentials.get(default_sts_account)
        self.oidc_account = owner.account if owner else default_sts_account

    def _reset_state(self, load_file: bool) -> None:
        self.records: Dict[int, Record] = {}
        self.next_record_id = 100000000000000
        self.issued: Dict[str, Credential] = {}
        self.nonces: Dict[Tuple[str, str], float] = {}
        self.faults = FaultPlan()
        self.request_log: List[Dict[str, Any]] = []
        self.request_count = 0
        self.request_seq = 0
        self.clock = Clock()
        for seed in self.config.get("records", []):
            self._seed_one(seed)
        if load_file and self.state_file and os.path.exists(self.state_file):
            with open(self.state_file, "r", encoding="utf-8") as handle:
                saved = json.load(handle)
            self.records = {}
            for item in saved.get("records", []):
                rec = Record(record_id=int(item["recordId"]), domain=item["domain"], rr=item["rr"],
                             type=item["type"], value=item["value"], ttl=int(item["ttl"]),
                             line=item["line"], priority=item.get("priority"),
                             created_ms=int(item["createdMs"]))
                self.records[rec.record_id] = rec
            self.next_record_id = int(saved.get("nextRecordId", self.next_record_id))

    def _persist(self) -> None:
        if not self.state_file:
            return
        payload = {"records": [r.to_state() for r in self.records.values()],
                   "nextRecordId": self.next_record_id}
        tmp = self.state_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=1)
        os.replace(tmp, self.state_file)

    # -- records ----------------------------------------------------------

    def _new_record(self, domain: Domain, rr: str, rtype: str, value: str, ttl: int,
                    line: str, priority: Optional[int]) -> Record:
        self.next_record_id += 1
        rec = Record(record_id=self.next_record_id, domain=domain.ascii_name, rr=rr, type=rtype,
                     value=value, ttl=ttl, line=line, priority=priority,
                     created_ms=int(self.clock.now() * 1000))
        self.records[rec.record_id] = rec
        return rec

    def _domain_records(self, domain: Domain) -> List[Record]:
        """Records of a domain, newest first (AliDNS's default order)."""
        found = [r for r in self.records.values() if r.domain == domain.ascii_name]
        found.sort(key=lambda r: r.record_id, reverse=True)
        return found

    def _seed_one(self, item: Dict[str, Any]) -> Record:
        ascii_name = to_ascii_domain(item.get("domain") or item.get("DomainName", ""))
        domain = self.domains.get(ascii_name)
        if domain is None:
            raise ValueError(f"seed: domain {ascii_name!r} is not configured")
        return self._new_record(domain, str(item.get("rr", item.get("RR"))),
                                str(item.get("type", item.get("Type", "TXT"))).upper(),
                                str(item.get("value", item.get("Value"))),
                                int(item.get("ttl", item.get("TTL", self.min_ttl))),
                                str(item.get("line", item.get("Line", "default"))),
                                item.get("priority"))

    # -- request handling -------------------------------------------------

    def handle(self, method: str, target: str, headers: Dict[str, str], body: bytes) -> Tuple[int, Dict[str, str], bytes]:
        """Answer one HTTP request: (status, headers, body)."""
        split = urlsplit(target)
        if split.path.startswith("/__admin/"):
            return self._admin(method, split.path, split.query, body)
        return self._api(method, split.path, split.query, headers, body)

    def _api(self, method: str, path: str, query: str, headers: Dict[str, str], body: bytes) -> Tuple[int, Dict[str, str], bytes]:
        request_id = str(uuid.uuid4()).upper()
        params: Dict[str, str] = {}
        action = ""
        fmt = "XML"
        entry: Dict[str, Any] = {"method": method, "action": None}
        in_body: List[str] = []
        try:
            params, in_body = self._collect_params(method, query, headers, body)
            fmt = params.get("Format", "XML").upper()
            action = params.get("Action", "")
            entry.update(self._loggable(params, in_body))
            if path not in ("/", ""):
                raise ApiError(404, "InvalidAction.NotFound", f"No API is served at path {path!r}; RPC requests go to \"/\".")
            if method not in ("GET", "POST"):
                raise ApiError(405, "UnsupportedHTTPMethod", f"HTTP method {method} is not supported; use GET or POST.")
            if not action:
                raise missing("Action")
            credential = None
            if action not in STS_ACTIONS:
                credential = self._authenticate(method, params)
            version = params.get("Version")
            if not version:
                raise missing("Version")
            if action in DNS_ACTIONS:
                if version != DNS_VERSION:
                    raise ApiError(400, "InvalidVersion", f"Version {version!r} is not valid for {action}; use {DNS_VERSION}.")
            elif action in STS_ACTIONS:
                if version != STS_VERSION:
                    raise ApiError(400, "InvalidVersion", f"Version {version!r} is not valid for {action}; use {STS_VERSION}.")
            else:
                raise ApiError(404, "InvalidAction.NotFound", f"Specified api {action!r} is not found (emulator).")
            with self.lock:
                delay, fault, kind = self.faults.take(action)
            if kind:
                entry["fault"] = kind
            if delay:
                time.sleep(delay)
            if fault is not None:
                raise fault
            handler = getattr(self, "_do_" + action)
            with self.lock:
                result = handler(params, credential)
            payload = {"RequestId": request_id}
            payload.update(result)
            status = 200
            entry.update({"status": 200, "outcome": "OK"})
            if "RecordId" in result:
                entry["recordId"] = result["RecordId"]
            body_out = self._render(fmt, action + "Response", payload)
        except Exception as caught:  # every request gets an AliDNS-shaped answer, even on an emulator bug
            err = caught if isinstance(caught, ApiError) else ApiError(
                500, "InternalError", f"Emulator failure: {type(caught).__name__}: {caught}")
            status = err.status
            entry.update({"status": err.status, "outcome": err.code})
            host_id = STS_HOST_ID if action in STS_ACTIONS else DNS_HOST_ID
            payload = {
                "RequestId": request_id,
                "HostId": host_id,
                "Code": err.code,
                "Message": err.message,
                "Recommend": f"https://api.aliyun.com/troubleshoot?q={err.code}&product={'Sts' if action in STS_ACTIONS else 'Alidns'}&requestId={request_id}",
            }
            body_out = self._render(fmt, "Error", payload)
        with self.lock:
            self.request_seq += 1
            entry["seq"] = self.request_seq
            entry["time"] = iso8601(self.clock.now())
            self.request_log.append(entry)
            self.request_count += 1
            del self.request_log[:-REQUEST_LOG_LIMIT]
        content_type = "application/json;charset=utf-8" if fmt == "JSON" else "text/xml;charset=utf-8"
        return status, {"Content-Type": content_type, "x-acs-request-id": request_id}, body_out

    @staticmethod
    def _collect_params(method: str, query: str, headers: Dict[str, str], body: bytes) -> Tuple[Dict[str, str], List[str]]:
        """Merge query and (form) body parameters; a name may appear only once."""
        pairs: List[Tuple[str, str, bool]] = []
        try:
            for name, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="strict"):
                pairs.append((name, value, False))
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if method == "POST" and body and content_type == "application/x-www-form-urlencoded":
                text = body.decode("utf-8")
                for name, value in parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict"):
                    pairs.append((name, value, True))
        except UnicodeDecodeError:
            raise ApiError(400, "InvalidParameter", "Request parameters are not valid UTF-8.") from None
        params: Dict[str, str] = {}
        in_body: List[str] = []
        for name, value, from_body in pairs:
            if name in params:
                raise ApiError(400, "InvalidParameter", f"The parameter {name!r} is given more than once.")
            params[name] = value
            if from_body:
                in_body.append(name)
        return params, in_body

    @staticmethod
    def _loggable(params: Dict[str, str], in_body: List[str]) -> Dict[str, Any]:
        keep = {k: v for k, v in params.items()
                if k not in SECRET_PARAMS and not k.startswith("Signature") and k not in ("Timestamp",)}
        return {"action": params.get("Action"), "accessKeyId": params.get("AccessKeyId"),
                "params": keep, "bodyParams": sorted(n for n in in_body if n not in SECRET_PARAMS),
                "hasSecurityToken": "SecurityToken" in params}

    def _authenticate(self, method: str, params: Dict[str, str]) -> Credential:
        """Check AccessKeyId, Timestamp, SecurityToken, Signature and nonce, in that order."""
        if "Signature" not in params:
            raise ApiError(400, "IncompleteSignature",
                           "The request carries no Signature parameter; this emulator only understands Signature Version 1.0 (HMAC-SHA1) in the query or form body.")
        for name in ("AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"):
            if not params.get(name):
                raise missing(name)
        if params["SignatureMethod"] != "HMAC-SHA1":
            raise ApiError(400, "IncompleteSignature", f"SignatureMethod {params['SignatureMethod']!r} is not supported; use HMAC-SHA1.")
        if params["SignatureVersion"] != "1.0":
            raise ApiError(400, "IncompleteSignature", f"SignatureVersion {params['SignatureVersion']!r} is not supported; use 1.0.")
        ak = params["AccessKeyId"]
        now = self.clock.now()
        with self.lock:
            credential = self.static_credentials.get(ak) or self.issued.get(ak)
        if credential is None:
            raise ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        stamp = parse_timestamp(params["Timestamp"])
        if stamp is None:
            raise ApiError(400, "InvalidTimeStamp.Format",
                           f"Timestamp {params['Timestamp']!r} is not formatted as yyyy-MM-ddTHH:mm:ssZ (UTC).")
        if abs(stamp - now) > self.window:
            raise ApiError(400, "InvalidTimeStamp.Expired",
                           f"Timestamp {params['Timestamp']} is more than {self.window} seconds away from server time {iso8601(now)}.")
        token = params.get("SecurityToken")
        if credential.security_token is not None:
            if token is None:
                raise ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey",
                               "This AccessKeyId is an STS key and needs its SecurityToken parameter.")
            if not hmac.compare_digest(token.encode("utf-8"), credential.security_token.encode("utf-8")):
                raise ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey",
                               "The SecurityToken does not belong to this AccessKeyId.")
            if credential.expiration is not None and now >= credential.expiration:
                raise ApiError(400, "InvalidSecurityToken.Expired",
                               f"The security token expired at {iso8601(credential.expiration)}.")
        elif token is not None:
            raise ApiError(400, "InvalidSecurityToken.MismatchWithAccessKey",
                           "A SecurityToken was sent with a permanent AccessKeyId.")
        if not verify_signature(method, params, credential.secret):
            raise ApiError(400, "SignatureDoesNotMatch",
                           "Specified signature does not match our calculation. server string to sign is:"
                           + string_to_sign(method, params))
        nonce_key = (ak, params["SignatureNonce"])
        with self.lock:
            for key in [k for k, expiry in self.nonces.items() if expiry < now]:
                del self.nonces[key]
            if nonce_key in self.nonces:
                raise ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
            self.nonces[nonce_key] = now + 2 * self.window
        return credential

    # -- AliDNS actions ---------------------------------------------------

    def _owned_domain(self, name: Optional[str], credential: Credential) -> Domain:
        if not name:
            raise missing("DomainName")
        domain = self.domains.get(to_ascii_domain(name))
        if domain is None or domain.account != credential.account:
            raise ApiError(400, "IncorrectDomainUser", "The domain name does not belong to this user.")
        return domain

    def _do_DescribeDomains(self, params: Dict[str, str], credential: Credential) -> Dict[str, Any]:
        page = parse_int(params, "PageNumber", 1, 1, None)
        size = parse_int(params, "PageSize", DEFAULT_PAGE_SIZE, 1, DESCRIBE_DOMAINS_MAX_PAGE_SIZE)
        keyword = (params.get("KeyWord") or "").lower()
        mode = (params.get("SearchMode") or "LIKE").upper()
        if mode not in ("LIKE", "EXACT"):
            raise invalid("SearchMode", "use LIKE or EXACT")
        mine = [d for d in self.domains.values() if d.account == credential.account]
        if keyword:
            kw_ascii = to_ascii_domain(keyword)
            if mode == "EXACT":
                mine = [d for d in mine if keyword in (d.unicode_name.lower(), d.ascii_name) or kw_ascii == d.ascii_name]
            else:
                mine = [d for d in mine if keyword in d.unicode_name.lower() or keyword in d.ascii_name]
        window = mine[(page - 1) * size: page * size]
        items = []
        for d in window:
            items.append({
                "DomainId": d.domain_id,
                "DomainName": d.unicode_name,
                "PunyCode": d.ascii_name,
                "AliDomain": False,
                "RecordCount": sum(1 for r in self.records.values() if r.domain == d.ascii_name),
                "VersionCode": "mianfei",
                "VersionName": "Alibaba Cloud DNS",
                "DnsServers": {"DnsServer": ["dns1.hichina.com", "dns2.hichina.com"]},
            })
        return {"TotalCount": len(mine), "PageNumber": page, "PageSize": size, "Domains": {"Domain": items}}

    def _filter_records(self, records: List[Record], params: Dict[str, str]) -> List[Record]:
        """Apply DescribeDomainRecords' documented keyword rules.

        * SearchMode LIKE / EXACT: only KeyWord is used (substring / equality,
          case-insensitive, against RR or Value); RRKeyWord, TypeKeyWord,
          ValueKeyWord, Type, Line and Status are ignored.
        * SearchMode ADVANCED, or no SearchMode and no KeyWord: RRKeyWord and
          ValueKeyWord are case-insensitive substrings ("%kw%"), TypeKeyWord,
          Type, Line and Status are exact (case-insensitive).
        * No SearchMode but a KeyWord: LIKE.
        """
        mode = (params.get("SearchMode") or "").upper()
        keyword = params.get("KeyWord")
        if not mode:
            mode = "LIKE" if keyword else "ADVANCED"
        if mode not in ("LIKE", "EXACT", "ADVANCED"):
            raise invalid("SearchMode", "use LIKE, EXACT or ADVANCED")
        if mode in ("LIKE", "EXACT"):
            if not keyword:
                return records
            kw = keyword.lower()
            if mode == "LIKE":
                return [r for r in records if kw in r.rr.lower() or kw in r.value.lower()]
            return [r for r in records if kw == r.rr.lower() or kw == r.value.lower()]
        out = records
        if params.get("RRKeyWord"):
            kw = params["RRKeyWord"].lower()
            out = [r for r in out if kw in r.rr.lower()]
        if params.get("ValueKeyWord"):
            kw = params["ValueKeyWord"].lower()
            out = [r for r in out if kw in r.value.lower()]
        for name in ("TypeKeyWord", "Type"):
            if params.get(name):
                kw = params[name].upper()
                out = [r for r in out if r.type == kw]
        if params.get("Line"):
            out = [r for r in out if r.line.lower() == params["Line"].lower()]
        if params.get("Status") and params["Status"].upper() != "ENABLE":
            out = []
        return out

    def _page_records(self, records: List[Record], params: Dict[str, str], domain_of: Dict[str, Domain]) -> Dict[str, Any]:
        page = parse_int(params, "PageNumber", 1, 1, None)
        size = parse_int(params, "PageSize", DEFAULT_PAGE_SIZE, 1, DESCRIBE_RECORDS_MAX_PAGE_SIZE)
        direction = (params.get("Direction") or "DESC").upper()
        if direction not in ("DESC", "ASC"):
            raise invalid("Direction", "use DESC or ASC")
        if direction == "ASC":
            records = list(reversed(records))
        window = records[(page - 1) * size: page * size]
        return {
            "TotalCount": len(records),
            "PageNumber": page,
            "PageSize": size,
            "DomainRecords": {"Record": [r.to_api(domain_of[r.domain]) for r in window]},
        }

    def _do_DescribeDomainRecords(self, params: Dict[str, str], credential: Credential) -> Dict[str, Any]:
        domain = self._owned_domain(params.get("DomainName"), credential)
        records = self._filter_records(self._domain_records(domain), params)
        return self._page_records(records, params, {domain.ascii_name: domain})

    def _do_DescribeSubDomainRecords(self, params: Dict[str, str], credential: Credential) -> Dict[str, Any]:
        sub = (params.get("SubDomain") or "").lower().rstrip(".")
        if not sub:
            raise missing("SubDomain")
        sub_ascii = to_ascii_domain(sub)
        if params.get("DomainName"):
            candidates = [self._owned_domain(params["DomainName"], credential)]
        else:
            candidates = sorted((d for d in self.domains.values() if d.account == credential.account
                                 and (sub_ascii == d.ascii_name or sub_ascii.endswith("." + d.ascii_name))),
                                key=lambda d: len(d.ascii_name), reverse=True)[:1]
            if not candidates:
                raise ApiError(400, "IncorrectDomainUser", "The domain name does not belong to this user.")
        domain = candidates[0]
        if sub_ascii == domain.ascii_name:
            rr = "@"
        elif sub_ascii.endswith("." + domain.ascii_name):
            rr = sub_ascii[: -len(domain.ascii_name) - 1]
        else:
            raise invalid("SubDomain", "it is not inside DomainName")
        records = [r for r in self._domain_records(domain) if r.rr.lower() == rr]
        if params.get("Type"):
            records = [r for r in records if r.type == params["Type"].upper()]
        if params.get("Line"):
            records = [r for r in records if r.line.lower() == params["Line"].lower()]
        return self._page_records(records, params, {domain.ascii_name: domain})

    def _do_AddDomainRecord(self, params: Dict[str, str], credential: Credential) -> Dict[str, Any]:
        for name in ("DomainName", "RR", "Type", "Value"):
            if not params.get(name):
                raise missing(name)
        domain = self._owned_domain(params["DomainName"], credential)
        rr = params["RR"]
        if not _RR_RE.match(rr) or len(rr) > 253:
            raise invalid("RR", f"{rr!r} is not a valid host record")
        rtype = params["Type"].upper()
        if rtype not in RECORD_TYPES:
            raise invalid("Type", f"{params['Type']!r} is not a supported record type")
        value = params["Value"]
        if len(value) > 2048:
            raise invalid("Value", "longer than 2048 characters")
        raw_ttl = params.get("TTL")
        ttl = DEFAULT_MIN_TTL if not raw_ttl else None
        if raw_ttl:
            try:
                ttl = int(raw_ttl)
            except ValueError:
                raise invalid("TTL", f"{raw_ttl!r} is not an integer") from None
        assert ttl is not None
        if ttl < self.min_ttl or ttl > MAX_TTL:
            raise ApiError(400, "QuotaExceeded.TTL",
                           f"The TTL {ttl} is not allowed for this domain's edition; it must be between {self.min_ttl} and {MAX_TTL}.")
        line = params.get("Line") or "default"
        if not _LINE_RE.match(line):
            raise invalid("Line", f"{line!r} is not a known line")
        priority = None
        if rtype == "MX":
            priority = parse_int(params, "Priority", 10, 1, 100)
        same_slot = [r for r in self.records.values()
                     if r.domain == domain.ascii_name and r.rr.lower() == rr.lower() and r.line == line]
        for r in same_slot:
            if r.type == rtype and r.value == value:
                raise ApiError(400, "DomainRecordDuplicate", "The domain record is duplicated.")
        if any((r.type == "CNAME") != (rtype == "CNAME") for r in same_slot):
            raise ApiError(400, "DomainRecordConflict", "The DNS record conflicts with an existing record (CNAME and other types on one RR).")
        if sum(1 for r in same_slot if r.type == rtype) >= self.record_quota:
            raise ApiError(400, "QuotaExceeded.Record",
                           f"The record has been out of MAX count ({self.record_quota}) for the same RR, Type and Line.")
        rec = self._new_record(domain, rr, rtype, value, ttl, line, priority)
        self._persist()
        return {"RecordId": str(rec.record_id)}

    def _do_DeleteDomainRecord(self, params: Dict[str, str], credential: Credential) -> Dict[str, Any]:
        raw = params.get("RecordId")
        if not raw:
            raise missing("RecordId")
        rec = self.records.get(int(raw)) if raw.isdigit() else None
        if rec is None or self.domains[rec.domain].account != credential.account:
            raise ApiError(400, "DomainRecordNotBelongToUser", "The DNS record does not belong to this user or does not exist.")
        del self.records[rec.record_id]
        self._persist()
        return {"RecordId": str(rec.record_id)}

    # -- STS --------------------------------------------------------------

    def _accepted_tokens(self) -> List[str]:
        tokens = list(self.oidc.get("tokens") or [])
        if self.oidc.get("token"):
            tokens.append(self.oidc["token"])
        return tokens

    def _do_AssumeRoleWithOIDC(self, params: Dict[str, str], credential: Optional[Credential]) -> Dict[str, Any]:
        """Anonymous: signature parameters, if any, are ignored (like a real
        anonymous call would not need them).  The OIDC token is checked against
        the configured expected token(s); it is not parsed as a JWT beyond
        reading its claims for OIDCTokenInfo."""
        for name in ("RoleArn", "OIDCProviderArn", "OIDCToken", "RoleSessionName"):
            if not params.get(name):
                raise missing(name)
        if not self.oidc:
            raise ApiError(404, "EntityNotExist.Role", "No role is configured for OIDC in this emulator.")
        if params.get("Timestamp"):
            stamp = parse_timestamp(params["Timestamp"])
            if stamp is None:
                raise ApiError(400, "InvalidTimeStamp.Format", "Timestamp is not formatted as yyyy-MM-ddTHH:mm:ssZ (UTC).")
            if abs(stamp - self.clock.now()) > self.window:
                raise ApiError(400, "InvalidTimeStamp.Expired", "Timestamp is outside the accepted window.")
        if params["RoleArn"] != self.oidc.get("roleArn"):
            raise ApiError(404, "EntityNotExist.Role", f"The role {params['RoleArn']!r} does not exist.")
        if params["OIDCProviderArn"] != self.oidc.get("oidcProviderArn"):
            raise ApiError(404, "EntityNotExist.OIDCProvider", f"The OIDC provider {params['OIDCProviderArn']!r} does not exist.")
        token = params["OIDCToken"]
        if token in (self.oidc.get("expiredTokens") or []):
            raise ApiError(400, "AuthenticationFail.OIDCToken.Expired", "The OIDC token has expired.")
        if not any(hmac.compare_digest(token.encode(), t.encode()) for t in self._accepted_tokens()):
            raise ApiError(400, "AuthenticationFail.OIDCToken.Invalid", "The OIDC token is not valid for this provider and role.")
        if not _SESSION_RE.match(params["RoleSessionName"]):
            raise invalid("RoleSessionName", "2-64 characters of letters, digits and _.@-")
        max_duration = int(self.oidc.get("maxDurationSeconds", 3600))
        duration = parse_int(params, "DurationSeconds", 3600 if max_duration >= 3600 else max_duration, 900, max_duration)
        if self.oidc.get("durationOverrideSeconds"):
            duration = int(self.oidc["durationOverrideSeconds"])
        now = self.clock.now()
        ak = "STS.NT" + secrets.token_hex(12)
        sts_secret = secrets.token_urlsafe(30)
        # Real tokens are long base64 blobs; keep + / = in ours so clients must encode them.
        token_out = "CAIS" + base64.b64encode(secrets.token_bytes(96)).decode("ascii") + "+/=="
        expiration = now + duration
        self.issued[ak] = Credential(access_key_id=ak, secret=sts_secret, account=self.oidc_account,
                                     security_token=token_out, expiration=expiration, issued=True)
        claims = _jwt_claims(token)
        role_arn = params["RoleArn"]
        role_name = role_arn.rsplit("/", 1)[-1]
        account_id = role_arn.split(":")[3] if role_arn.count(":") >= 4 else "0"
        return {
            "Credentials": {
                "AccessKeyId": ak,
                "AccessKeySecret": sts_secret,
                "SecurityToken": token_out,
                "Expiration": iso8601(expiration),
            },
            "AssumedRoleUser": {
                "Arn": f"acs:ram::{account_id}:assumed-role/{role_name}/{params['RoleSessionName']}",
                "AssumedRoleId": f"3{abs(hash(role_arn)) % 10**17:017d}:{params['RoleSessionName']}",
            },
            "OIDCTokenInfo": {
                "Subject": str(claims.get("sub", self.oidc.get("subject", ""))),
                "Issuer": str(claims.get("iss", self.oidc.get("issuer", ""))),
                "ClientIds": ",".join(claims["aud"]) if isinstance(claims.get("aud"), list) else str(claims.get("aud", "sts.aliyuncs.com")),
            },
        }

    # -- rendering --------------------------------------------------------

    @staticmethod
    def _render(fmt: str, root: str, payload: Dict[str, Any]) -> bytes:
        if fmt == "JSON":
            return json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return ('<?xml version="1.0" encoding="UTF-8"?>' + _to_xml(root, payload)).encode("utf-8")

    # -- admin ------------------------------------------------------------

    def _admin(self, method: str, path: str, query: str, body: bytes) -> Tuple[int, Dict[str, str], bytes]:
        def answer(status: int, obj: Any) -> Tuple[int, Dict[str, str], bytes]:
            return status, {"Content-Type": "application/json"}, json.dumps(obj, ensure_ascii=False).encode("utf-8")

        try:
            data = json.loads(body.decode("utf-8")) if body.strip() else {}
        except (ValueError, UnicodeDecodeError) as err:
            return answer(400, {"error": f"body is not JSON: {err}"})
        route = (method, path.rstrip("/"))
        try:
            with self.lock:
                if route == ("GET", "/__admin/state"):
                    return answer(200, self.admin_state(include_log=dict(parse_qsl(query)).get("log", "1") != "0"))
                if route == ("POST", "/__admin/faults"):
                    self.faults = FaultPlan.from_json(data)
                    return answer(200, {"faults": self.faults.to_json()})
                if route == ("GET", "/__admin/faults"):
                    return answer(200, {"faults": self.faults.to_json()})
                if route == ("POST", "/__admin/reset"):
                    self._reset_state(load_file=False)
                    self._persist()
                    return answer(200, {"ok": True})
                if route == ("POST", "/__admin/seed"):
                    return answer(200, {"recordIds": self._admin_seed(data)})
                if route == ("POST", "/__admin/clock"):
                    if "now" in data:
                        stamp = parse_timestamp(str(data["now"]))
                        if stamp is None:
                            return answer(400, {"error": "now must be yyyy-MM-ddTHH:mm:ssZ"})
                        self.clock.frozen = stamp
                    else:
                        self.clock.frozen = None
                        self.clock.offset = float(data.get("offsetSeconds", 0))
                    return answer(200, {"clock": self.clock.to_json()})
                if route == ("POST", "/__admin/sts/expire"):
                    now = self.clock.now()
                    for cred in self.issued.values():
                        cred.expiration = min(cred.expiration or now, now)
                    return answer(200, {"expired": len(self.issued)})
        except (ValueError, KeyError, TypeError) as err:
            return answer(400, {"error": str(err)})
        return answer(404, {"error": f"no admin route {method} {path}"})

    def _admin_seed(self, data: Dict[str, Any]) -> List[str]:
        """Add records without the API's duplicate/quota checks (for paging tests)."""
        created: List[Record] = []
        for item in data.get("records", []):
            created.append(self._seed_one(item))
        count = int(data.get("count", 0))
        if count:
            rr_pattern = str(data.get("rr", "seed-{i}"))
            value_pattern = str(data.get("value", "value-{i}"))
            for i in range(count):
                created.append(self._seed_one({
                    "domain": data["domain"], "rr": rr_pattern.format(i=i),
                    "type": data.get("type", "TXT"), "value": value_pattern.format(i=i),
                    "ttl": data.get("ttl", self.min_ttl), "line": data.get("line", "default"),
                }))
        self._persist()
        return [str(r.record_id) for r in created]

    def admin_state(self, include_log: bool = True) -> Dict[str, Any]:
        """Records, domains, faults, clock and the request log; never secrets."""
        state: Dict[str, Any] = {
            "domains": [{"DomainName": d.unicode_name, "PunyCode": d.ascii_name,
                         "DomainId": d.domain_id, "account": d.account} for d in self.domains.values()],
            "records": [dict(r.to_api(self.domains[r.domain]), PunyCode=r.domain)
                        for r in sorted(self.records.values(), key=lambda r: r.record_id)],
            "faults": self.faults.to_json(),
            "clock": self.clock.to_json(),
            "stsCredentials": [{"accessKeyId": c.access_key_id, "account": c.account,
                                "expiration": iso8601(c.expiration) if c.expiration else None}
                               for c in self.issued.values()],
        }
        if include_log:
            state["requests"] = list(self.request_log)
        state["requestCount"] = self.request_count
        return state


def _jwt_claims(token: str) -> Dict[str, Any]:
    """Claims of a JWT-looking token (unverified), or {}."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        return claims if isinstance(claims, dict) else {}
    except (ValueError, UnicodeError):
        return {}


def _to_xml(tag: str, value: Any) -> str:
    """Serialise like AliDNS's XML: lists repeat the inner element name."""
    if isinstance(value, dict):
        inner = []
        for key, item in value.items():
            if isinstance(item, list):
                inner.append("".join(_to_xml(key, element) for element in item))
            else:
                inner.append(_to_xml(key, item))
        return f"<{tag}>{''.join(inner)}</{tag}>"
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = xml_escape(str(value))
    return f"<{tag}>{text}</{tag}>"


# ---------------------------------------------------------------------------
# HTTP transport
# ---------------------------------------------------------------------------


def make_handler(emulator: Emulator, verbose: bool):
    class Handler(BaseHTTPRequestHandler):
        server_version = "alidns-emulator/1"
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, out_headers, payload = emulator.handle(self.command, self.path, headers, body)
            self.send_response(status)
            for key, value in out_headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = _serve
        do_POST = _serve
        do_PUT = _serve
        do_DELETE = _serve

        def log_message(self, fmt: str, *args: Any) -> None:  # noqa: D401 - quiet by default
            if verbose:
                sys.stderr.write("alidns-emulator: " + (fmt % args) + "\n")

    return Handler


def load_config(path: Optional[str]) -> Dict[str, Any]:
    if not path:
        return copy.deepcopy(DEFAULT_CONFIG)
    with open(path, "r", encoding="utf-8") as handle:
        return json.load(handle)


def main(argv: Optional[Iterable[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="AliDNS 2015-01-09 + STS AssumeRoleWithOIDC emulator for tests.")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: pick a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--config", help="JSON config: accounts, domains, oidc, minTTL (default: built-in testid/testsecret)")
    parser.add_argument("--state-file", help="persist records to this JSON file (loaded on start if present)")
    parser.add_argument("--min-ttl", type=int, help="override the config's minTTL")
    parser.add_argument("--verbose", action="store_true", help="log each HTTP request to stderr")
    args = parser.parse_args(list(argv) if argv is not None else None)

    if args.host != "localhost" and not args.host.startswith("127."):
        parser.error("the emulator is a test peer: bind it to a loopback address only")
    config = load_config(args.config)
    if args.min_ttl is not None:
        config["minTTL"] = args.min_ttl
    emulator = Emulator(config, state_file=args.state_file)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(emulator, args.verbose))
    server.daemon_threads = True

    def stop(_signum: int, _frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write(json.dumps({"port": server.server_address[1], "host": args.host}) + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        with emulator.lock:
            emulator._persist()
    return 0


if __name__ == "__main__":
    sys.exit(main())
