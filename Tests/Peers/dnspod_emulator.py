#!/usr/bin/env python3
"""Emulator of Tencent Cloud API 3.0 for DNSPod (2021-03-23) and STS (2018-08-13).

Command line::

    python3 dnspod_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

Prints one line ``{"port": N, "host": "127.0.0.1"}``; exits 0 on SIGTERM,
SIGINT or EOF of a piped stdin (see emulator_base.py).

Transport, as the real service: ``POST /`` with a JSON body (``GET /`` with a
query string is accepted too), headers ``X-TC-Action``, ``X-TC-Version``,
``X-TC-Timestamp``, ``Authorization: TC3-HMAC-SHA256 Credential=<id>/<date>/
<service>/tc3_request, SignedHeaders=..., Signature=...``; every answer, errors
included, is HTTP 200 ``Content-Type: application/json`` with
``{"Response": {..., "RequestId"}}`` or ``{"Response": {"Error": {"Code",
"Message"}, "RequestId"}}`` (the Python SDK only parses error bodies whose
Content-Type is exactly ``application/json``).  Injected 5xx faults are real
HTTP 5xx answers with a plain-text body (what a gateway failure looks like; the
SDK raises ``ServerNetworkError``).

Authentication checks, in order (codes as Tencent documents them):

1. ``Authorization`` missing or not parseable, algorithm not TC3-HMAC-SHA256,
   no content-type/host in SignedHeaders -> ``AuthFailure.InvalidAuthorization``
   (STS ``AssumeRoleWithWebIdentity`` is anonymous and skips 1-5).
2. ``X-TC-Timestamp`` more than ``timestampWindowSeconds`` (300) away from the
   server clock -> ``AuthFailure.SignatureExpire``.
3. unknown SecretId -> ``AuthFailure.SecretIdNotFound``.
4. temporary SecretId without/with a wrong ``X-TC-Token``, expired temporary
   key, or a token sent with a permanent key -> ``AuthFailure.TokenFailure``.
5. signature mismatch (canonical request rebuilt from the request as received:
   method, path, query, the SignedHeaders' lower-cased trimmed values, SHA-256
   of the body or ``UNSIGNED-PAYLOAD`` when ``X-TC-Content-SHA256`` says so; scope
   date must be the UTC date of X-TC-Timestamp; scope service must be
   ``dnspod`` for DNSPod actions and ``sts`` for STS) ->
   ``AuthFailure.SignatureFailure``.

Then: unknown version -> ``NoSuchVersion``; unknown action ->
``InvalidAction``; faults; parameters not defined for the action ->
``UnknownParameter``; then the action.

Default config (``--config`` replaces it)::

    {"accounts": [{"secretId": "AKIDDNSPODTEST", "secretKey": "dnspod-test-secret",
                   "uin": "100000000001", "domains": ["example.com", "example.net"]},
                  {"secretId": "AKIDOTHERACCOUNT", "secretKey": "other-test-secret",
                   "uin": "100000000002", "domains": ["other.example"]}],
     "temporaryCredentials": [{"secretId": "AKIDTEMPTEST", "secretKey": "temp-test-secret",
                               "token": "temp-test-token", "account": "AKIDDNSPODTEST"}],
     "oidc": {"providerId": "tke-oidc", "roleArn": "qcs::cam::uin/100000000001:roleName/dns01-webhook",
              "tokens": ["tke-test-oidc-token"], "account": "AKIDDNSPODTEST"},
     "minTTL": 600, "timestampWindowSeconds": 300}

Optional: ``"records": [{"domain", "subDomain", "type", "value", "ttl", "line"}]``
seeded at start/reset; ``"roles": [{"roleArn", "account"}]`` for signed
``AssumeRole``.
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
from urllib.parse import parse_qsl

import emulator_base as base
from emulator_base import ApiFailure, BaseEmulator, Request, Response

DNSPOD_VERSION = "2021-03-23"
STS_VERSION = "2018-08-13"
DEFAULT_LINE = "默认"
LINES = {"默认": "0", "Default": "0", "电信": "10=0", "联通": "10=1", "移动": "10=3", "境外": "3=0"}
LINE_NAMES = {"0": "默认", "10=0": "电信", "10=1": "联通", "10=3": "移动", "3=0": "境外"}
RECORD_TYPES = {"A", "AAAA", "CNAME", "MX", "TXT", "NS", "CAA", "SRV", "SPF", "HTTPS", "SVCB", "显性URL", "隐性URL"}
SUBDOMAIN_RE = re.compile(r"^(@|\*|(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*)$")

DEFAULT_CONFIG: Dict[str, Any] = {
    "accounts": [
        {"secretId": "AKIDDNSPODTEST", "secretKey": "dnspod-test-secret", "uin": "100000000001",
         "domains": ["example.com", "example.net"]},
        {"secretId": "AKIDOTHERACCOUNT", "secretKey": "other-test-secret", "uin": "100000000002",
         "domains": ["other.example"]},
    ],
    "temporaryCredentials": [
        {"secretId": "AKIDTEMPTEST", "secretKey": "temp-test-secret", "token": "temp-test-token",
         "account": "AKIDDNSPODTEST"},
    ],
    "oidc": {"providerId": "tke-oidc", "roleArn": "qcs::cam::uin/100000000001:roleName/dns01-webhook",
             "tokens": ["tke-test-oidc-token"], "account": "AKIDDNSPODTEST"},
    "minTTL": 600,
    "timestampWindowSeconds": 300,
}

# Parameters each action defines (anything else -> UnknownParameter).
ACTION_PARAMS: Dict[str, set] = {
    "DescribeDomainList": {"Type", "Offset", "Limit", "GroupId", "Keyword", "Tags"},
    "DescribeRecordList": {"Domain", "DomainId", "Subdomain", "SubDomain", "RecordType", "RecordLine", "RecordLineId",
                           "GroupId", "Keyword", "SortField", "SortType", "Offset", "Limit", "ErrorOnEmpty"},
    "CreateRecord": {"Domain", "DomainId", "SubDomain", "RecordType", "RecordLine", "RecordLineId", "Value", "MX",
                     "TTL", "Weight", "Status", "Remark", "DnssecConflictMode", "GroupId"},
    "ModifyRecord": {"Domain", "DomainId", "SubDomain", "RecordType", "RecordLine", "RecordLineId", "Value", "MX",
                     "TTL", "Weight", "Status", "Remark", "DnssecConflictMode", "RecordId"},
    "DeleteRecord": {"Domain", "DomainId", "RecordId"},
    "DescribeRecord": {"Domain", "DomainId", "RecordId"},
    "AssumeRoleWithWebIdentity": {"ProviderId", "WebIdentityToken", "RoleArn", "RoleSessionName",
                                  "DurationSeconds", "Tags"},
    "AssumeRole": {"RoleArn", "RoleSessionName", "DurationSeconds", "Policy", "ExternalId", "Tags", "SourceIdentity",
                   "SerialNumber", "TokenCode"},
}
DNSPOD_ACTIONS = {"DescribeDomainList", "DescribeRecordList", "CreateRecord", "ModifyRecord", "DeleteRecord",
                  "DescribeRecord"}
STS_ACTIONS = {"AssumeRoleWithWebIdentity", "AssumeRole"}
INT_PARAMS = {"Offset", "Limit", "GroupId", "DomainId", "MX", "TTL", "Weight", "RecordId", "DurationSeconds"}


# ---------------------------------------------------------------------------
# TC3-HMAC-SHA256, from the documented algorithm
# ---------------------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_request(method: str, uri: str, query: str, headers: Dict[str, str], signed_headers: List[str],
                      payload_hash: str) -> str:
    """Method, URI, query, ``name:value\\n`` lines (lower-cased, trimmed), signed list, payload hash."""
    lines = "".join(f"{name}:{headers.get(name, '').strip().lower()}\n" for name in signed_headers)
    return "\n".join([method.upper(), uri, query, lines, ";".join(signed_headers), payload_hash])


def string_to_sign(timestamp: str, date: str, service: str, canonical: str) -> str:
    return "\n".join(["TC3-HMAC-SHA256", timestamp, f"{date}/{service}/tc3_request", sha256_hex(canonical.encode("utf-8"))])


def signing_key(secret_key: str, date: str, service: str) -> bytes:
    k_date = hmac.new(("TC3" + secret_key).encode("utf-8"), date.encode("utf-8"), hashlib.sha256).digest()
    k_service = hmac.new(k_date, service.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(k_service, b"tc3_request", hashlib.sha256).digest()


def signature(secret_key: str, date: str, service: str, sts: str) -> str:
    return hmac.new(signing_key(secret_key, date, service), sts.encode("utf-8"), hashlib.sha256).hexdigest()


_AUTH_RE = re.compile(r"^TC3-HMAC-SHA256\s+Credential=([^/,\s]+)/(\d{4}-\d{2}-\d{2})/([^/,\s]+)/tc3_request\s*,\s*"
                      r"SignedHeaders=([a-z0-9;\-]+)\s*,\s*Signature=([0-9a-f]{64})$")


def parse_authorization(value: str) -> Optional[Tuple[str, str, str, List[str], str]]:
    match = _AUTH_RE.match(value.strip())
    if not match:
        return None
    secret_id, date, service, signed, sig = match.groups()
    return secret_id, date, service, signed.split(";"), sig


def utc_date(timestamp: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(timestamp))


# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


@dataclass
class Credential:
    secret_id: str
    secret_key: str
    account: str  # secretId of the owning account
    token: Optional[str] = None
    expiration: Optional[float] = None
    issued: bool = False


@dataclass
class Domain:
    domain_id: int
    name: str
    account: str
    created: float


@dataclass
class Record:
    record_id: int
    domain: str
    name: str
    type: str
    value: str
    ttl: int
    line: str
    mx: int
    status: str
    remark: str
    updated: float
    default_ns: bool = False

    def line_id(self) -> str:
        return LINES.get(self.line, "0")

    def to_list_item(self) -> Dict[str, Any]:
        return {"RecordId": self.record_id, "Value": self.value, "Status": self.status,
                "UpdatedOn": beijing(self.updated), "Name": self.name, "Line": self.line, "LineId": self.line_id(),
                "Type": self.type, "Weight": None, "MonitorStatus": "", "Remark": self.remark, "TTL": self.ttl,
                "MX": self.mx, "DefaultNS": self.default_ns}


def beijing(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch + 8 * 3600))


class TencentError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(code)
        self.code = code
        self.message = message


class DnspodEmulator(BaseEmulator):
    name = "dnspod-emulator"
    default_config = DEFAULT_CONFIG
    secret_query_params = ("WebIdentityToken",)  # AssumeRoleWithWebIdentity sent as a GET

    def configure(self) -> None:
        self.window = int(self.config.get("timestampWindowSeconds", 300))
        self.min_ttl = int(self.config.get("minTTL", 600))
        self.static: Dict[str, Credential] = {}
        self.uins: Dict[str, str] = {}
        self.domain_owner: Dict[str, str] = {}
        for acc in self.config.get("accounts", []):
            sid = acc["secretId"]
            self.static[sid] = Credential(sid, acc["secretKey"], sid)
            self.uins[sid] = str(acc.get("uin", "100000000000"))
            for name in acc.get("domains", []):
                self.domain_owner[name.lower()] = sid
        for tmp in self.config.get("temporaryCredentials", []):
            exp = tmp.get("expiration")
            self.static[tmp["secretId"]] = Credential(tmp["secretId"], tmp["secretKey"], tmp["account"], tmp["token"],
                                                      base.parse_time(exp) if exp else None)
        self.oidc = dict(self.config.get("oidc") or {})
        self.roles = {r["roleArn"]: r["account"] for r in self.config.get("roles", [])}
        self.issued: Dict[str, Credential] = {}

    def reset_records(self) -> None:
        self.domains: Dict[str, Domain] = {}
        self.records: Dict[int, Record] = {}
        self.next_record_id = 1000000
        now = self.clock.now()
        for index, (name, owner) in enumerate(sorted(self.domain_owner.items())):
            self.domains[name] = Domain(70000001 + index, name, owner, now)
            for ns in ("f1g1ns1.dnspod.net.", "f1g1ns2.dnspod.net."):
                self._add(name, "@", "NS", ns, 86400, DEFAULT_LINE, default_ns=True)
        for item in self.config.get("records", []):
            self._seed_one(item)

    def on_reset(self) -> None:
        self.issued = {}

    def _add(self, domain: str, name: str, rtype: str, value: str, ttl: int, line: str, mx: int = 0,
             status: str = "ENABLE", remark: str = "", default_ns: bool = False) -> Record:
        self.next_record_id += 1
        rec = Record(self.next_record_id, domain, name, rtype, value, ttl, line, mx, status, remark, self.clock.now(),
                     default_ns)
        self.records[rec.record_id] = rec
        return rec

    def _seed_one(self, item: Dict[str, Any]) -> Record:
        domain = str(item["domain"]).lower()
        if domain not in self.domains:
            raise ValueError(f"unknown domain {domain}")
        return self._add(domain, str(item.get("subDomain", "@")).lower(), str(item.get("type", "TXT")).upper(),
                         str(item["value"]), int(item.get("ttl", 600)), str(item.get("line", DEFAULT_LINE)))

    def seed(self, data: Dict[str, Any]) -> Any:
        ids = [self._seed_one(item).record_id for item in data.get("records", [])]
        for i in range(int(data.get("count", 0))):
            ids.append(self._seed_one({"domain": data["domain"], "subDomain": str(data.get("subDomain", "seed-{i}")).format(i=i),
                                       "type": data.get("type", "TXT"), "value": str(data.get("value", "v{i}")).format(i=i),
                                       "ttl": data.get("ttl", 600)}).record_id)
        return ids

    def state_records(self) -> Any:
        return [dict(r.to_list_item(), Domain=r.domain) for r in sorted(self.records.values(), key=lambda r: r.record_id)]

    def state_extra(self) -> Dict[str, Any]:
        return {"domains": [{"Name": d.name, "DomainId": d.domain_id, "account": d.account} for d in self.domains.values()],
                "issuedCredentials": [{"secretId": c.secret_id, "account": c.account,
                                       "expiration": base.iso8601(c.expiration) if c.expiration else None}
                                      for c in self.issued.values()]}

    def admin_extra(self, req: Request, data: Dict[str, Any]) -> Optional[Response]:
        if (req.method, req.path.rstrip("/")) == ("POST", "/__admin/sts/expire"):
            now = self.clock.now()
            for cred in self.issued.values():
                cred.expiration = now - 1
            return Response(200, {"expired": len(self.issued)})
        return None

    # -- rendering --------------------------------------------------------
    @staticmethod
    def ok(payload: Dict[str, Any]) -> Response:
        body = dict(payload)
        body["RequestId"] = base.request_id()
        return Response(200, {"Response": body}, content_type="application/json")

    @staticmethod
    def err(code: str, message: str) -> Response:
        return Response(200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": base.request_id()}},
                        content_type="application/json")

    def fail(self, code: str, message: str) -> ApiFailure:
        return ApiFailure(self.err(code, message), code)

    def throttle_error(self, req: Request) -> Response:
        req.outcome = "RequestLimitExceeded"
        return self.err("RequestLimitExceeded", "Your current request times equals to `20` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.")

    def server_error(self, req: Request, status: Optional[int]) -> Response:
        return Response(status or 502, raw=b"<html><body><h1>502 Bad Gateway</h1></body></html>", content_type="text/html")

    def injected_error(self, req: Request, entry: Dict[str, Any]) -> Response:
        return self.err(str(entry["code"]), str(entry.get("message", "Injected error.")))

    # -- request handling -------------------------------------------------
    def api(self, req: Request) -> Response:
        if req.path != "/":
            raise self.fail("InvalidAction", f"The requested path `{req.path}` is not found; Tencent Cloud API 3.0 is served at `/`.")
        if req.method not in ("POST", "GET"):
            raise self.fail("UnsupportedProtocol", "HTTP(S) request method error. Only GET and POST requests are supported.")
        action = (req.header("x-tc-action") or "").strip()
        version = (req.header("x-tc-version") or "").strip()
        req.action = action or "(none)"
        if not action:
            raise self.fail("MissingParameter", "The request is missing a required parameter `X-TC-Action`.")
        anonymous = action == "AssumeRoleWithWebIdentity"
        credential = None if anonymous else self.authenticate(req, action)
        if credential is not None:
            req.principal = credential.secret_id
        expected_version = STS_VERSION if action in STS_ACTIONS else DNSPOD_VERSION
        if version not in (DNSPOD_VERSION, STS_VERSION):
            raise self.fail("NoSuchVersion", f"The API version `{version}` does not exist.")
        if action not in ACTION_PARAMS or version != expected_version:
            raise self.fail("InvalidAction", f"The requested action `{action}` does not exist for version `{version}`.")
        self.fault_point(req)
        params = self.read_params(req, action)
        req.note = {"params": {k: v for k, v in params.items() if k not in ("WebIdentityToken",)}}
        handler = getattr(self, "_do_" + action)
        try:
            with self.lock:
                return self.ok(handler(params, credential))
        except TencentError as error:
            raise self.fail(error.code, error.message) from None

    def authenticate(self, req: Request, action: str) -> Credential:
        auth = req.header("authorization")
        parsed = parse_authorization(auth) if auth else None
        if parsed is None:
            raise self.fail("AuthFailure.InvalidAuthorization", "Authorization header is missing or is not in the TC3-HMAC-SHA256 format.")
        secret_id, date, service, signed_headers, given = parsed
        if "content-type" not in signed_headers or "host" not in signed_headers or signed_headers != sorted(signed_headers):
            raise self.fail("AuthFailure.InvalidAuthorization", "SignedHeaders must be sorted and include content-type and host.")
        ts_text = req.header("x-tc-timestamp") or ""
        if not ts_text.isdigit():
            raise self.fail("MissingParameter", "The request is missing a required parameter `X-TC-Timestamp`.")
        ts = int(ts_text)
        now = self.clock.now()
        if abs(ts - now) > self.window:
            raise self.fail("AuthFailure.SignatureExpire",
                            f"Signature expired. Timestamp:{ts} ({base.iso8601(ts)}) Server time:{int(now)} ({base.iso8601(now)}); the difference must not exceed {self.window} seconds.")
        with self.lock:
            cred = self.static.get(secret_id) or self.issued.get(secret_id)
        if cred is None:
            raise self.fail("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.")
        token = req.header("x-tc-token")
        if cred.token is not None:
            if not token or not hmac.compare_digest(token.encode(), cred.token.encode()):
                raise self.fail("AuthFailure.TokenFailure", "The token is invalid or does not belong to this temporary SecretId.")
            if cred.expiration is not None and now >= cred.expiration:
                raise self.fail("AuthFailure.TokenFailure", "The temporary credential has expired.")
        elif token:
            raise self.fail("AuthFailure.TokenFailure", "A token was sent with a permanent SecretId.")
        expected_service = "sts" if action in STS_ACTIONS else "dnspod"
        if date != utc_date(ts) or service != expected_service:
            raise self.fail("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.")
        if req.header("x-tc-content-sha256") == "UNSIGNED-PAYLOAD":
            payload_hash = sha256_hex(b"UNSIGNED-PAYLOAD")
        else:
            payload_hash = sha256_hex(req.body if req.method == "POST" else b"")
        canonical = canonical_request(req.method, req.path, req.raw_query if req.method == "GET" else "",
                                      req.headers, signed_headers, payload_hash)
        expected = signature(cred.secret_key, date, service, string_to_sign(ts_text, date, service, canonical))
        if not hmac.compare_digest(expected, given):
            req.note = {"canonicalRequestSha256": sha256_hex(canonical.encode("utf-8"))}
            raise self.fail("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.")
        return cred

    def read_params(self, req: Request, action: str) -> Dict[str, Any]:
        if req.method == "POST":
            ctype = (req.header("content-type") or "").split(";")[0].strip().lower()
            if ctype != "application/json":
                raise self.fail("InvalidParameter", "Only application/json bodies are accepted for POST requests.")
            try:
                params = req.json() or {}
            except (ValueError, UnicodeDecodeError):
                raise self.fail("InvalidParameter", "The request body is not valid JSON.") from None
            if not isinstance(params, dict):
                raise self.fail("InvalidParameter", "The request body must be a JSON object.")
        else:
            params = {}
            for key, value in parse_qsl(req.raw_query, keep_blank_values=True):
                params[key] = int(value) if key in INT_PARAMS and re.fullmatch(r"-?\d+", value) else value
        for key, value in params.items():
            if key not in ACTION_PARAMS[action] and key.split(".")[0] not in ACTION_PARAMS[action]:
                raise self.fail("UnknownParameter", f"The parameter `{key}` is not recognized.")
            if key in INT_PARAMS and (not isinstance(value, int) or isinstance(value, bool)):
                raise self.fail("InvalidParameter", f"The type of parameter `{key}` is incorrect; an integer is required.")
            if key not in INT_PARAMS and key != "Tags" and not isinstance(value, str):
                raise self.fail("InvalidParameter", f"The type of parameter `{key}` is incorrect; a string is required.")
        return params

    # -- DNSPod actions ---------------------------------------------------
    def _owned_domain(self, params: Dict[str, Any], cred: Credential) -> Domain:
        if params.get("DomainId"):
            found = [d for d in self.domains.values() if d.domain_id == params["DomainId"]]
            domain = found[0] if found else None
        elif params.get("Domain"):
            domain = self.domains.get(str(params["Domain"]).lower())
        else:
            raise TencentError("MissingParameter", "The request is missing a required parameter `Domain`.")
        if domain is None or domain.account != cred.account:
            raise TencentError("InvalidParameterValue.DomainNotExists", "The domain does not exist or does not belong to this account.")
        return domain

    def _do_DescribeDomainList(self, params: Dict[str, Any], cred: Credential) -> Dict[str, Any]:
        offset = params.get("Offset", 0)
        limit = params.get("Limit", 3000)
        if offset < 0:
            raise TencentError("InvalidParameter.OffsetInvalid", "The offset is invalid.")
        if limit < 1 or limit > 3000:
            raise TencentError("InvalidParameterValue.LimitInvalid", "The limit is invalid.")
        mine = sorted((d for d in self.domains.values() if d.account == cred.account), key=lambda d: d.domain_id)
        keyword = str(params.get("Keyword", "")).lower()
        matching = [d for d in mine if keyword in d.name]
        page = matching[offset: offset + limit]
        if not page:
            raise TencentError("ResourceNotFound.NoDataOfDomain", "The domain list is empty.")
        items = [{"DomainId": d.domain_id, "Name": d.name, "Status": "ENABLE", "TTL": 600, "CNAMESpeedup": "DISABLE",
                  "DNSStatus": "", "Grade": "DP_FREE", "GroupId": 1, "SearchEnginePush": "NO", "Remark": "",
                  "Punycode": d.name, "EffectiveDNS": ["f1g1ns1.dnspod.net", "f1g1ns2.dnspod.net"], "GradeLevel": 2,
                  "GradeTitle": "免费版", "IsVip": "NO", "VipStartAt": "0000-00-00 00:00:00",
                  "VipEndAt": "0000-00-00 00:00:00", "VipAutoRenew": "DEFAULT",
                  "RecordCount": sum(1 for r in self.records.values() if r.domain == d.name),
                  "CreatedOn": beijing(d.created), "UpdatedOn": beijing(d.created), "Owner": self.uins[d.account],
                  "TagList": []} for d in page]
        counts = {"DomainTotal": len(matching), "AllTotal": len(mine), "MineTotal": len(mine), "ShareTotal": 0,
                  "VipTotal": 0, "PauseTotal": 0, "ErrorTotal": 0, "LockTotal": 0, "SpamTotal": 0, "VipExpire": 0,
                  "ShareOutTotal": 0, "GroupTotal": len(mine)}
        return {"DomainCountInfo": counts, "DomainList": items}

    def _do_DescribeRecordList(self, params: Dict[str, Any], cred: Credential) -> Dict[str, Any]:
        domain = self._owned_domain(params, cred)
        offset = params.get("Offset", 0)
        limit = params.get("Limit", 100)
        if offset < 0:
            raise TencentError("InvalidParameter.OffsetInvalid", "The offset is invalid.")
        if limit < 1 or limit > 3000:
            raise TencentError("InvalidParameterValue.LimitInvalid", "The limit is invalid.")
        all_records = sorted((r for r in self.records.values() if r.domain == domain.name), key=lambda r: r.record_id)
        found = all_records
        sub = params.get("SubDomain") if params.get("SubDomain") is not None else params.get("Subdomain")
        if sub:
            found = [r for r in found if r.name == str(sub).lower()]
        if params.get("RecordType"):
            found = [r for r in found if r.type == str(params["RecordType"]).upper()]
        if params.get("RecordLineId"):
            found = [r for r in found if r.line_id() == params["RecordLineId"]]
        elif params.get("RecordLine"):
            wanted = DEFAULT_LINE if params["RecordLine"] == "Default" else params["RecordLine"]
            found = [r for r in found if r.line == wanted]
        if params.get("Keyword"):
            kw = str(params["Keyword"]).lower()
            found = [r for r in found if kw in r.name or kw in r.value.lower()]
        if params.get("SortField"):
            field_map = {"name": "name", "line": "line", "type": "type", "value": "value", "mx": "mx", "ttl": "ttl",
                         "updated_on": "updated"}
            key = field_map.get(str(params["SortField"]))
            if key is None:
                raise TencentError("InvalidParameter", "SortField is invalid.")
            found = sorted(found, key=lambda r: (getattr(r, key), r.record_id),
                           reverse=str(params.get("SortType", "ASC")).upper() == "DESC")
        page = found[offset: offset + limit]
        error_on_empty = str(params.get("ErrorOnEmpty", "yes")).lower() != "no"
        if not page and error_on_empty:
            raise TencentError("ResourceNotFound.NoDataOfRecord", "The record list is empty.")
        return {"RecordCountInfo": {"SubdomainCount": len({r.name for r in all_records}), "ListCount": len(page),
                                    "TotalCount": len(found)},
                "RecordList": [r.to_list_item() for r in page]}

    def _validate_record(self, params: Dict[str, Any]) -> Tuple[str, str, str, str, int, int]:
        for name in ("RecordType", "Value"):
            if params.get(name) in (None, ""):
                raise TencentError("MissingParameter", f"The request is missing a required parameter `{name}`.")
        if params.get("RecordLineId"):
            line = LINE_NAMES.get(str(params["RecordLineId"]))
            if line is None:
                raise TencentError("InvalidParameter.RecordLineInvalid", "The record line is invalid.")
        elif params.get("RecordLine"):
            if params["RecordLine"] not in LINES:
                raise TencentError("InvalidParameter.RecordLineInvalid", "The record line is invalid.")
            line = DEFAULT_LINE if params["RecordLine"] == "Default" else params["RecordLine"]
        else:
            raise TencentError("MissingParameter", "The request is missing a required parameter `RecordLine`.")
        sub = str(params.get("SubDomain") or "@")
        if not SUBDOMAIN_RE.match(sub) or len(sub) > 253:
            raise TencentError("InvalidParameter.SubdomainInvalid", "The subdomain is invalid.")
        rtype = str(params["RecordType"]).upper()
        if rtype not in RECORD_TYPES:
            raise TencentError("InvalidParameter.RecordTypeInvalid", "The record type is invalid.")
        value = str(params["Value"])
        if rtype == "TXT" and len(value) > 512:
            raise TencentError("InvalidParameter.RecordValueLengthInvalid", "The record value is too long.")
        ttl = params.get("TTL", 600)
        if ttl < 1 or ttl > 604800 or ttl < self.min_ttl:
            raise TencentError("LimitExceeded.RecordTtlLimit", f"The TTL of the record is out of range; the minimum for this domain grade is {self.min_ttl}.")
        mx = params.get("MX", 0)
        if rtype == "MX" and not mx:
            raise TencentError("InvalidParameter.MxInvalid", "MX priority is required for MX records.")
        return sub.lower(), rtype, value, line, ttl, mx

    def _do_CreateRecord(self, params: Dict[str, Any], cred: Credential) -> Dict[str, Any]:
        domain = self._owned_domain(params, cred)
        sub, rtype, value, line, ttl, mx = self._validate_record(params)
        for rec in self.records.values():
            if rec.domain == domain.name and rec.name == sub and rec.type == rtype and rec.line == line and rec.value == value:
                raise TencentError("InvalidParameter.DomainRecordExist", "The record already exists and does not need to be added again.")
        rec = self._add(domain.name, sub, rtype, value, ttl, line, mx, str(params.get("Status", "ENABLE")),
                        str(params.get("Remark", "")))
        return {"RecordId": rec.record_id}

    def _record_of(self, params: Dict[str, Any], domain: Domain) -> Record:
        if params.get("RecordId") is None:
            raise TencentError("MissingParameter", "The request is missing a required parameter `RecordId`.")
        rec = self.records.get(params["RecordId"])
        if rec is None or rec.domain != domain.name:
            raise TencentError("InvalidParameter.RecordIdInvalid", "The record ID is invalid.")
        return rec

    def _do_ModifyRecord(self, params: Dict[str, Any], cred: Credential) -> Dict[str, Any]:
        domain = self._owned_domain(params, cred)
        rec = self._record_of(params, domain)
        sub, rtype, value, line, ttl, mx = self._validate_record(params)
        for other in self.records.values():
            if (other.record_id != rec.record_id and other.domain == domain.name and other.name == sub
                    and other.type == rtype and other.line == line and other.value == value):
                raise TencentError("InvalidParameter.DomainRecordExist", "The record already exists and does not need to be added again.")
        rec.name, rec.type, rec.value, rec.line, rec.ttl, rec.mx = sub, rtype, value, line, ttl, mx
        rec.status = str(params.get("Status", rec.status))
        rec.updated = self.clock.now()
        return {"RecordId": rec.record_id}

    def _do_DeleteRecord(self, params: Dict[str, Any], cred: Credential) -> Dict[str, Any]:
        domain = self._owned_domain(params, cred)
        rec = self._record_of(params, domain)
        del self.records[rec.record_id]
        return {}

    def _do_DescribeRecord(self, params: Dict[str, Any], cred: Credential) -> Dict[str, Any]:
        domain = self._owned_domain(params, cred)
        rec = self._record_of(params, domain)
        return {"RecordInfo": {"Id": rec.record_id, "SubDomain": rec.name, "RecordType": rec.type, "RecordLine": rec.line,
                               "RecordLineId": rec.line_id(), "Value": rec.value, "Weight": None, "MX": rec.mx,
                               "TTL": rec.ttl, "Enabled": 1 if rec.status == "ENABLE" else 0, "MonitorStatus": "",
                               "Remark": rec.remark, "UpdatedOn": beijing(rec.updated), "DomainId": domain.domain_id}}

    # -- STS ----------------------------------------------------------------
    def _issue(self, account: str, duration: int) -> Dict[str, Any]:
        now = self.clock.now()
        sid = "AKID" + secrets.token_hex(16).upper()
        key = secrets.token_urlsafe(24)
        token = secrets.token_urlsafe(96)
        self.issued[sid] = Credential(sid, key, account, token, now + duration, True)
        return {"Credentials": {"Token": token, "TmpSecretId": sid, "TmpSecretKey": key},
                "ExpiredTime": int(now + duration), "Expiration": base.iso8601(now + duration)}

    @staticmethod
    def _duration(params: Dict[str, Any]) -> int:
        duration = params.get("DurationSeconds", 7200)
        if duration < 1 or duration > 43200:
            raise TencentError("InvalidParameter.OverTimeError", "DurationSeconds must be between 1 and 43200.")
        return duration

    def _do_AssumeRoleWithWebIdentity(self, params: Dict[str, Any], cred: Optional[Credential]) -> Dict[str, Any]:
        for name in ("ProviderId", "WebIdentityToken", "RoleArn", "RoleSessionName"):
            if not params.get(name):
                raise TencentError("MissingParameter", f"The request is missing a required parameter `{name}`.")
        if not self.oidc or params["ProviderId"] != self.oidc.get("providerId"):
            raise TencentError("InvalidParameter.ParamError", "The identity provider does not exist.")
        if params["RoleArn"] != self.oidc.get("roleArn"):
            raise TencentError("ResourceNotFound.RoleNotExist", "The role does not exist.")
        token = params["WebIdentityToken"].strip()
        if not any(hmac.compare_digest(token.encode(), t.encode()) for t in self.oidc.get("tokens", [])):
            raise TencentError("InvalidParameter.WebIdentityTokenError", "The WebIdentityToken is invalid.")
        return self._issue(self.oidc.get("account") or next(iter(self.static)), self._duration(params))

    def _do_AssumeRole(self, params: Dict[str, Any], cred: Credential) -> Dict[str, Any]:
        for name in ("RoleArn", "RoleSessionName"):
            if not params.get(name):
                raise TencentError("MissingParameter", f"The request is missing a required parameter `{name}`.")
        account = self.roles.get(params["RoleArn"])
        if account is None:
            raise TencentError("ResourceNotFound.RoleNotExist", "The role does not exist.")
        return self._issue(account, self._duration(params))


def main(argv: Optional[List[str]] = None) -> int:
    return base.run(DnspodEmulator, DEFAULT_CONFIG, "Tencent Cloud API 3.0 DNSPod + STS emulator for tests.", argv)


if __name__ == "__main__":
    sys.exit(main())
