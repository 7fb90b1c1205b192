#!/usr/bin/env python3
"""A fake kube-apiserver for the webhook's tests (HTTPS on 127.0.0.1, stdlib only).

CLI
---
::

    python3 Tests/Peers/fake_kube_apiserver.py --pki DIR [--port 0] [--state FILE]
        [--cert F --key F] [--client-ca F] [--kubeconfig-out FILE [--kubeconfig-user webhook|alice|token]]

* ``--pki DIR``: a directory made by ``pki.py``; serving cert/key default to
  ``DIR/apiserver.{crt,key}``, the client CA to ``DIR/cluster-ca.crt``, and the
  ConfigMap's CA entries to ``DIR/cluster-ca.crt`` / ``DIR/front-proxy-ca.crt``.
* ``--state FILE``: initial state (JSON, below); default empty state.
* ``--kubeconfig-out FILE``: once the port is known, write a kubeconfig for
  ``https://127.0.0.1:<port>`` (CA = cluster CA; user = ``webhook-client``
  cert by default, ``alice`` cert, or ``token`` = the state's first token).
* On start it prints ONE line and flushes:
  ``{"port": N, "url": "https://127.0.0.1:N", "kubeconfig": PATH-or-null,
  "adminURL": "http://127.0.0.1:M"}`` -- M is a plain-HTTP port serving only the
  ``/__admin/*`` endpoints (same handlers as on the HTTPS port).
  It exits 0 on SIGTERM/SIGINT, and on EOF of stdin when stdin is a pipe or
  socket (so it dies with a test that held the pipe; ``--no-stdin-watch``
  disables that; /dev/null or a terminal is never watched).

TLS and authentication (like a real apiserver)
---------------------------------------------
TLS 1.2+, HTTP/1.1 keep-alive.  Client certificates are requested, not required,
and verified against the client CA **in the handshake** (Python's ``ssl``
cannot defer it): a cert from an unknown CA fails the TLS handshake instead of
getting a 401.  Callers are identified in this order:

1. verified client cert: user = CN, groups = every O, plus ``system:authenticated``;
2. ``Authorization: Bearer T``: T in ``state.tokens`` or a token this server
   minted via TokenRequest (its ServiceAccount identity); an unknown token ->
   **401** (``Unauthorized``) even when anonymous is enabled;
3. else anonymous (``system:anonymous`` / ``system:unauthenticated``) when
   ``state.anonymous`` (default true), otherwise 401.

Authorization of calls to this server uses the same rules as its
SubjectAccessReview answers (``state.rules``); group ``system:masters`` is always
allowed; ``state.enforceRBAC: false`` switches the check off.  Required
attributes: secrets ``get`` (``""``, ``secrets``, ns, name), TokenRequest
``create`` on ``serviceaccounts/token`` (ns, name), TokenReview ``create`` on
``tokenreviews`` in ``authentication.k8s.io``, SAR ``create`` on
``subjectaccessreviews`` in ``authorization.k8s.io`` (cluster scope), ConfigMap
``get``/``list``/``watch`` on ``configmaps`` in ``kube-system`` (a list or watch
with ``fieldSelector=metadata.name=N`` is checked with resource name N).  A denied call gets
403 with the real message, e.g.
``secrets "x" is forbidden: User "system:serviceaccount:ns:sa" cannot get resource
"secrets" in API group "" in the namespace "ns"``, or for cluster-scoped
resources ``... cannot create resource "tokenreviews" in API group
"authentication.k8s.io" at the cluster scope``.

API served
----------
* ``GET /api/v1/namespaces/{ns}/secrets/{name}``: ``v1 Secret`` (``type``
  ``Opaque`` unless given, ``data`` base64, ``metadata.{name,namespace,uid,
  resourceVersion,creationTimestamp,labels}``); 404 ``secrets "name" not found``.
* ``POST /api/v1/namespaces/{ns}/secrets`` (``create``): 201 with the stored
  Secret; 409 ``AlreadyExists``; 422 when ``metadata.name`` is missing, its
  namespace differs, or a ``data`` value is not base64.
  ``PUT .../secrets/{name}`` (``update``): 200; 404 when missing; 409
  ``Conflict`` when ``metadata.resourceVersion`` is given and stale.
  ``DELETE .../secrets/{name}`` (``delete``): 200 ``Status`` Success; 404 when
  missing; 409 ``Conflict`` when a ``DeleteOptions`` body's
  ``preconditions.resourceVersion`` is stale.  Each write bumps the Secret's ``resourceVersion``; written Secrets
  are in ``GET /__admin/state`` under ``secrets`` (``data`` base64, ``labels``).
* ``POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token`` with a
  ``TokenRequest`` (``spec.audiences``, ``spec.expirationSeconds``; default
  3600, below 600 -> 422 like the real validation): 201 ``TokenRequest`` with
  ``status.token`` (a JWT: header ``{"alg":"RS256","kid":"fake-kube-apiserver"}``,
  payload ``{"aud":[...],"exp","iat","nbf","iss":"https://kubernetes.default.svc.cluster.local",
  "sub":"system:serviceaccount:ns:name","kubernetes.io":{"namespace","serviceaccount":{"name","uid"}}}``,
  signature = HMAC-SHA256 with a per-process key, so not verifiable by anyone
  else) and ``status.expirationTimestamp``; default audiences
  ``["https://kubernetes.default.svc.cluster.local"]``.  When ``state.serviceAccounts``
  is present, unknown accounts get 404 ``serviceaccounts "name" not found``.
  Every issued token is recorded (``GET /__admin/tokens``) and becomes valid for
  TokenReview (and as a bearer token here) until it expires.
* ``POST /apis/authentication.k8s.io/v1/tokenreviews``: 201 ``TokenReview`` with
  ``status.authenticated``, ``status.user{username,uid,groups,extra}``,
  ``status.audiences``; an unknown or expired token gives ``authenticated:false``
  and ``status.error`` (``invalid bearer token`` / ``token has expired``); when
  ``spec.audiences`` is given and does not meet the token's audiences:
  ``authenticated:false`` with ``token audiences [...] is invalid for the target
  audiences [...]``.  Missing ``spec.token`` -> 422.
* ``POST /apis/authorization.k8s.io/v1/subjectaccessreviews``: 201
  ``SubjectAccessReview`` echoing ``spec`` with ``status{allowed, denied?, reason?}``.
  Exactly one of ``resourceAttributes``/``nonResourceAttributes`` and one of
  ``user``/``groups`` are required (else 422).
* ``GET /api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication``
  (and the list ``GET /api/v1/namespaces/kube-system/configmaps`` with optional
  ``fieldSelector=metadata.name=...``): ``data`` keys exactly ``client-ca-file``,
  ``requestheader-client-ca-file``, ``requestheader-allowed-names``
  (JSON array string, default ``["front-proxy-client"]``),
  ``requestheader-username-headers`` (``["X-Remote-User"]``),
  ``requestheader-group-headers`` (``["X-Remote-Group"]``),
  ``requestheader-extra-headers-prefix`` (``["X-Remote-Extra-"]``); a test may add
  ``requestheader-uid-headers`` or drop keys.  ``metadata.resourceVersion`` is a
  decimal string that grows every time the state changes the ConfigMap; the list
  has ``metadata.resourceVersion`` too.  ``state.configmapPresent: false``
  makes the ConfigMap disappear (GET -> 404 ``configmaps "..." not found``,
  empty list).
* Watch: ``GET /api/v1/namespaces/kube-system/configmaps?watch=true``
  (optionally ``fieldSelector=metadata.name=extension-apiserver-authentication``,
  ``resourceVersion=N``, ``timeoutSeconds=T``, default 1800): 200, chunked,
  one ``{"type": "ADDED"|"MODIFIED"|"DELETED", "object": <ConfigMap>}`` JSON
  line per chunk.  Without ``resourceVersion`` (or ``0``) the current object
  comes first as ADDED; with ``resourceVersion=N`` only later changes are sent
  (MODIFIED at once if the current version differs from N).  Every state
  update that touches ``configmap``/``configmapPresent`` sends MODIFIED (or
  DELETED / ADDED); the stream ends cleanly after ``timeoutSeconds`` or on
  shutdown.  ``?watch=true`` on the item URL -> 405.
* Leases (``coordination.k8s.io/v1``), with the real optimistic concurrency:
  ``POST /apis/coordination.k8s.io/v1/namespaces/{ns}/leases`` creates (201; a
  name that exists -> 409 ``AlreadyExists``; a name that is not a DNS-1123
  subdomain -> 422), ``GET .../leases`` lists (``labelSelector`` with
  ``k=v,...`` equality terms), ``GET .../leases/{name}`` reads (404 ``leases.
  coordination.k8s.io "name" not found``), ``PUT .../leases/{name}`` replaces
  (a ``metadata.resourceVersion`` that is not the current one -> 409
  ``Conflict`` "the object has been modified; ..."; none -> unconditional, as
  Leases allow), ``DELETE .../leases/{name}`` deletes (a ``DeleteOptions``
  body's ``preconditions.resourceVersion`` that is not the current one -> 409
  ``Conflict`` "Precondition failed: ...").  Every write bumps the object's
  ``resourceVersion`` (the server-wide counter).  RBAC attributes: verb
  ``get``/``list``/``create``/``update``/``delete``, group
  ``coordination.k8s.io``, resource ``leases``, the namespace and name.
  ``GET /__admin/leases`` returns them all; ``POST /__admin/leases`` plants one
  as given (a test's left-behind Lease).
* Discovery for kubectl's typed commands: ``/api``, ``/apis``, ``/api/v1``,
  ``/apis/coordination.k8s.io/v1``; ``GET /api/v1/namespaces/{ns}`` answers an
  Active Namespace for any name (RBAC ``get`` on ``namespaces``).
* Anything else -> 404 ``the server could not find the requested resource``;
  a wrong method on a known path -> 405; a body that is not JSON -> 400.
  Request bodies may be chunked.  Every error is a ``v1 Status``
  (``{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
  "message","reason","details"?,"code"}``).

State (``--state`` file and ``POST /__admin/state``)
----------------------------------------------------
::

    {"anonymous": true, "enforceRBAC": true,
     "secrets": {"ns/name": {"data": {"k": "<base64>"}, "stringData": {"k2": "plain"}, "type": "Opaque"}},
     "serviceAccounts": ["cert-manager/cert-manager"],           # optional: enforce existence
     "tokens": {"T": {"user": "system:serviceaccount:cert-manager:cert-manager", "uid": "...",
                      "groups": ["system:serviceaccounts"], "extra": {"k": ["v"]},
                      "audiences": ["https://kubernetes.default.svc.cluster.local"]}},
     "rules": [{"effect": "allow" | "deny",            # first matching rule wins; none -> no opinion
                "users": ["alice"], "groups": ["g"],   # either may match; both absent -> everyone
                "verbs": ["create"], "apiGroups": ["acme.example.com"], "resources": ["my-solver"],
                "namespaces": ["ns"], "resourceNames": ["x"],   # absent -> any; resource "a/b" = subresource
                "nonResourceURLs": ["/apis", "/apis/*"],        # makes it a non-resource rule
                "reason": "text for status.reason"}],
     "configmap": {"requestheader-allowed-names": "[\\"front-proxy-client\\"]", ...} | null,
     "configmapPresent": true,
     "faults": [{"method": "POST", "path": "/apis/authentication.k8s.io/v1/tokenreviews",
                 "status": 503, "delay": 0.5, "times": 1, "message": "..."}]}

``tokens`` entries get ``system:authenticated`` added to their groups.  The
ConfigMap's ``data`` is the default above (CAs from ``--pki``) updated with
``configmap``; a key whose value is ``null`` is removed.  A fault with
``status`` answers that status (a Status body) after ``delay`` seconds;
without ``status`` it only delays; ``times`` (default unlimited) counts down;
``path`` ending in ``*`` is a prefix.

Admin endpoints (HTTPS port and the plain ``adminURL`` port; no authentication; never logged)
------------------------------------------------------------------
* ``POST /__admin/state``: shallow merge -- each top-level key given replaces
  that key (``{"secrets": {}}`` drops all secrets).  Answers ``{"ok": true,
  "configmapResourceVersion": "N"}``.  A change to ``configmap`` bumps the
  ConfigMap's resourceVersion.
* ``GET /__admin/state``: the current state.
* ``GET /__admin/requests``: ``{"requests": [{"seq", "time", "method", "path"
  (no query), "query", "user", "groups", "auth": "cert"|"token"|"anonymous"|"none",
  "status", "body", "userAgent"}, ...]}``.  ``body`` is the parsed JSON request body
  with secret values replaced: TokenReview ``spec.token`` and any ``data``/
  ``stringData`` values become ``"<redacted sha256:XXXXXXXXXXXX>"`` (first 12 hex
  of the value's SHA-256, so tests can still correlate); response bodies are
  never logged.  ``DELETE /__admin/requests`` clears the log.
* ``GET /__admin/tokens``: ``{"tokens": [{"namespace", "serviceAccount",
  "audiences", "expirationSeconds", "expirationTimestamp", "sha256"}]}``
  (``sha256`` = first 12 hex of the token's SHA-256; the token itself is not
  returned).
"""

from __future__ import annotations

import argparse
import base64
import copy
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets as pysecrets
import signal
import socket
import ssl
import stat
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

ISSUER = "https://kubernetes.default.svc.cluster.local"
DEFAULT_AUDIENCES = [ISSUER]
CM_NS, CM_NAME = "kube-system", "extension-apiserver-authentication"


def now_utc() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def rfc3339(ts: datetime.datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def fingerprint(value) -> str:
    raw = value if isinstance(value, bytes) else str(value).encode()
    return hashlib.sha256(raw).hexdigest()[:12]


def redacted(value) -> str:
    return f"<redacted sha256:{fingerprint(value)}>"


def status_body(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason}
    if details is not None:
        body["details"] = details
    body["code"] = code
    return body


class ApiError(Exception):
    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.body = status_body(code, reason, message, details)
        self.code = code


def forbidden_message(user: str, verb: str, group: str, resource: str, sub: str, ns: str, name: str) -> str:
    full = f"{resource}/{sub}" if sub else resource
    kind = resource if not group else f"{resource}.{group}"
    subject = f'{kind} "{name}"' if name else kind
    scope = f'in the namespace "{ns}"' if ns else "at the cluster scope"
    return (f'{subject} is forbidden: User "{user}" cannot {verb} resource "{full}" '
            f'in API group "{group}" {scope}')


class Identity:
    def __init__(self, user: str, groups: list[str], auth: str, uid: str = "", extra: dict | None = None):
        self.user, self.groups, self.auth, self.uid, self.extra = user, groups, auth, uid, extra or {}


class State:
    """All mutable server state, guarded by one lock."""

    def __init__(self, initial: dict, pki: Path | None):
        self.lock = threading.Condition()  # also signals state changes to watchers
        self.data: dict = {}
        self.cm_version = 1
        self.version_counter = 1
        self.requests: list[dict] = []
        self.issued: dict[str, dict] = {}  # token -> record
        self.leases: dict[tuple[str, str], dict] = {}  # (namespace, name) -> Lease
        self.signing_key = pysecrets.token_bytes(32)
        self.default_cm = {
            "requestheader-allowed-names": json.dumps(["front-proxy-client"]),
            "requestheader-username-headers": json.dumps(["X-Remote-User"]),
            "requestheader-group-headers": json.dumps(["X-Remote-Group"]),
            "requestheader-extra-headers-prefix": json.dumps(["X-Remote-Extra-"]),
        }
        if pki:
            for key, stem in (("client-ca-file", "cluster-ca.crt"), ("requestheader-client-ca-file",
                                                                     "front-proxy-ca.crt")):
                path = pki / stem
                if path.is_file():
                    self.default_cm[key] = path.read_text()
        self.created = rfc3339(now_utc())
        self.update(initial)

    def update(self, patch: dict) -> str:
        if not isinstance(patch, dict):
            raise ApiError(400, "BadRequest", "state must be a JSON object")
        with self.lock:
            for key, value in patch.items():
                if key in ("configmap", "configmapPresent"):
                    self.cm_version = self._bump()
                self.data[key] = copy.deepcopy(value)
            self.lock.notify_all()
            return str(self.cm_version)

    def _bump(self) -> int:
        self.version_counter += 1
        return self.version_counter

    def get(self, key, default=None):
        with self.lock:
            return copy.deepcopy(self.data.get(key, default))

    def configmap_present(self) -> bool:
        with self.lock:
            return self.data.get("configmapPresent", True) is not False

    def configmap(self) -> dict:
        with self.lock:
            data = dict(self.default_cm)
            for k, v in (self.data.get("configmap") or {}).items():
                if v is None:
                    data.pop(k, None)
                else:
                    data[k] = v
            return {"kind": "ConfigMap", "apiVersion": "v1",
                    "metadata": {"name": CM_NAME, "namespace": CM_NS,
                                 "uid": "00000000-0000-4000-8000-000000000001",
                                 "resourceVersion": str(self.cm_version),
                                 "creationTimestamp": self.created},
                    "data": data}

    def record(self, entry: dict) -> None:
        with self.lock:
            entry["seq"] = len(self.requests) + 1
            self.requests.append(entry)

    def take_fault(self, method: str, path: str) -> dict | None:
        with self.lock:
            for fault in self.data.get("faults") or []:
                if fault.get("method", method).upper() != method:
                    continue
                pattern = fault.get("path", "*")
                if not (path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1]))):
                    continue
                if "times" in fault:
                    if fault["times"] <= 0:
                        continue
                    fault["times"] -= 1
                return dict(fault)
        return None

    # -- tokens -------------------------------------------------------------
    def lookup_token(self, token: str) -> tuple[dict | None, str]:
        """(identity record, error) for a bearer token."""
        with self.lock:
            static = (self.data.get("tokens") or {}).get(token)
            if static is not None:
                rec = dict(static)
                rec.setdefault("audiences", list(DEFAULT_AUDIENCES))
                return rec, ""
            issued = self.issued.get(token)
        if issued is None:
            return None, "invalid bearer token"
        if issued["exp"] <= time.time():
            return None, "token has expired"
        return issued["identity"], ""

    def mint(self, ns: str, name: str, audiences: list[str], seconds: int) -> tuple[str, str]:
        issued_at = int(time.time())
        sa_uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"sa:{ns}/{name}"))
        header = {"alg": "RS256", "kid": "fake-kube-apiserver"}
        payload = {"aud": audiences, "exp": issued_at + seconds, "iat": issued_at, "nbf": issued_at,
                   "iss": ISSUER, "jti": str(uuid.uuid4()), "sub": f"system:serviceaccount:{ns}:{name}",
                   "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": name, "uid": sa_uid}}}

        def b64(obj) -> str:
            raw = obj if isinstance(obj, bytes) else json.dumps(obj, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        signing_input = f"{b64(header)}.{b64(payload)}"
        sig = hmac.new(self.signing_key, signing_input.encode(), hashlib.sha256).digest()
        token = f"{signing_input}.{b64(sig)}"
        expires = rfc3339(datetime.datetime.fromtimestamp(issued_at + seconds, datetime.timezone.utc))
        identity = {"user": f"system:serviceaccount:{ns}:{name}", "uid": sa_uid,
                    "groups": ["system:serviceaccounts", f"system:serviceaccounts:{ns}"],
                    "audiences": audiences,
                    "extra": {"authentication.kubernetes.io/credential-id": [f"JTI={payload['jti']}"]}}
        with self.lock:
            self.issued[token] = {"identity": identity, "exp": issued_at + seconds,
                                  "public": {"namespace": ns, "serviceAccount": name, "audiences": audiences,
                                             "expirationSeconds": seconds, "expirationTimestamp": expires,
                                             "sha256": fingerprint(token)}}
        return token, expires

    def issued_list(self) -> list[dict]:
        with self.lock:
            return [copy.deepcopy(v["public"]) for v in self.issued.values()]


# -------------------------------------------------------------------- authorization rules

def _match_list(values, wanted: str, *, prefix_star=False) -> bool:
    if values is None:
        return True
    for v in values:
        if v == "*" or v == wanted:
            return True
        if prefix_star and v.endswith("*") and wanted.startswith(v[:-1]):
            return True
    return False


def _subject_matches(rule: dict, user: str, groups: list[str]) -> bool:
    users, rgroups = rule.get("users"), rule.get("groups")
    if users is None and rgroups is None:
        return True
    if users is not None and ("*" in users or user in users):
        return True
    if rgroups is not None and ("*" in rgroups or set(rgroups) & set(groups)):
        return True
    return False


def evaluate(rules: list[dict], user: str, groups: list[str], attrs: dict) -> tuple[bool, bool, str]:
    """(allowed, denied, reason) for resource or non-resource attributes."""
    if "system:masters" in groups:
        return True, False, ""
    verb = attrs.get("verb", "")
    for index, rule in enumerate(rules or []):
        if not _subject_matches(rule, user, groups):
            continue
        if not _match_list(rule.get("verbs"), verb):
            continue
        if "path" in attrs:  # non-resource request
            if rule.get("nonResourceURLs") is None:
                continue
            if not _match_list(rule["nonResourceURLs"], attrs["path"], prefix_star=True):
                continue
        else:
            if rule.get("nonResourceURLs") is not None:
                continue
            resource = attrs.get("resource", "")
            full = f"{resource}/{attrs['subresource']}" if attrs.get("subresource") else resource
            if not _match_list(rule.get("resources"), full):
                continue
            if not _match_list(rule.get("apiGroups"), attrs.get("group", "")):
                continue
            if not _match_list(rule.get("namespaces"), attrs.get("namespace", "")):
                continue
            if not _match_list(rule.get("resourceNames"), attrs.get("name", "")):
                continue
        effect = rule.get("effect", "allow")
        if effect == "deny":
            return False, True, rule.get("reason", f"denied by fake rule #{index}")
        return True, False, rule.get("reason", f"RBAC: allowed by fake rule #{index}")
    return False, False, ""


# -------------------------------------------------------------------- HTTP

SECRET_RE = re.compile(r"^/api/v1/namespaces/([^/]+)/secrets/([^/]+)$")
SECRET_LIST_RE = re.compile(r"^/api/v1/namespaces/([^/]+)/secrets$")
TOKEN_RE = re.compile(r"^/api/v1/namespaces/([^/]+)/serviceaccounts/([^/]+)/token$")
CM_ITEM_RE = re.compile(r"^/api/v1/namespaces/([^/]+)/configmaps/([^/]+)$")
CM_LIST_RE = re.compile(r"^/api/v1/namespaces/([^/]+)/configmaps$")
NAMESPACE_RE = re.compile(r"^/api/v1/namespaces/([^/]+)$")
LEASE_LIST_RE = re.compile(r"^/apis/coordination\.k8s\.io/v1/namespaces/([^/]+)/leases$")
LEASE_ITEM_RE = re.compile(r"^/apis/coordination\.k8s\.io/v1/namespaces/([^/]+)/leases/([^/]+)$")
DNS1123_SUBDOMAIN_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
TOKENREVIEW_PATH = "/apis/authentication.k8s.io/v1/tokenreviews"
SAR_PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews"


def redact_body(body):
    if isinstance(body, dict):
        out = {}
        for k, v in body.items():
            if k in ("data", "stringData") and isinstance(v, dict):
                out[k] = {dk: redacted(dv) for dk, dv in v.items()}
            elif k == "spec" and isinstance(v, dict) and "token" in v:
                spec = redact_body(v)
                spec["token"] = redacted(v["token"])
                out[k] = spec
            else:
                out[k] = redact_body(v)
        return out
    if isinstance(body, list):
        return [redact_body(x) for x in body]
    return body


# Just enough discovery for kubectl's typed commands (`kubectl get lease x`) to find Leases.
DISCOVERY = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
        {"name": "coordination.k8s.io", "versions": [{"groupVersion": "coordination.k8s.io/v1", "version": "v1"}],
         "preferredVersion": {"groupVersion": "coordination.k8s.io/v1", "version": "v1"}}]},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        {"name": "configmaps", "singularName": "configmap", "namespaced": True, "kind": "ConfigMap",
         "verbs": ["get", "list", "watch"], "shortNames": ["cm"]},
        {"name": "secrets", "singularName": "secret", "namespaced": True, "kind": "Secret", "verbs": ["get"]}]},
    "/apis/coordination.k8s.io/v1": {"kind": "APIResourceList", "apiVersion": "v1",
                                     "groupVersion": "coordination.k8s.io/v1", "resources": [
        {"name": "leases", "singularName": "lease", "namespaced": True, "kind": "Lease",
         "verbs": ["create", "delete", "get", "list", "update"]}]},
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-kube-apiserver"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet
        pass

    # -- plumbing -------------------------------------------------------------
    @property
    def state(self) -> State:
        return self.server.state  # type: ignore[attr-defined]

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_json(self, code: int, body) -> None:
        raw = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        if "Audit-Id" in self.headers:
            self.send_header("Audit-Id", self.headers["Audit-Id"])
        self.end_headers()
        self.wfile.write(raw)

    def identify(self) -> Identity:
        auth = self.headers.get("Authorization", "")
        cert = None
        try:
            cert = self.connection.getpeercert()
        except (AttributeError, ValueError):
            cert = None
        if cert:
            cn, orgs = "", []
            for rdn in cert.get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        cn = value
                    elif key == "organizationName":
                        orgs.append(value)
            return Identity(cn, orgs + ["system:authenticated"], "cert")
        if auth[:7].lower() == "bearer ":
            rec, _err = self.state.lookup_token(auth[7:].strip())
            if rec is None:
                raise ApiError(401, "Unauthorized", "Unauthorized")
            groups = list(rec.get("groups") or [])
            if "system:authenticated" not in groups:
                groups.append("system:authenticated")
            return Identity(rec["user"], groups, "token", rec.get("uid", ""), rec.get("extra"))
        if self.state.get("anonymous", True):
            return Identity("system:anonymous", ["system:unauthenticated"], "anonymous")
        raise ApiError(401, "Unauthorized", "Unauthorized")

    def authorize(self, who: Identity, verb, group, resource, sub="", ns="", name="") -> None:
        if not self.state.get("enforceRBAC", True):
            return
        attrs = {"verb": verb, "group": group, "resource": resource, "subresource": sub,
                 "namespace": ns, "name": name}
        allowed, _denied, _reason = evaluate(self.state.get("rules") or [], who.user, who.groups, attrs)
        if not allowed:
            details = {"name": name, "kind": resource} if name else {"kind": resource}
            if group:
                details["group"] = group
            raise ApiError(403, "Forbidden", forbidden_message(who.user, verb, group, resource, sub, ns, name),
                           details)

    # -- dispatch ---------------------------------------------------------------
    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = parse_qs(split.query)
        raw = self.read_body()
        if path.startswith("/__admin/"):
            return self.admin(method, path, raw)
        if getattr(self.server, "admin_only", False):
            return self.send_json(404, status_body(404, "NotFound", "the admin port serves /__admin/* only", {}))
        entry = {"time": time.time(), "method": method, "path": path, "query": split.query, "user": None,
                 "groups": [], "auth": "none", "status": 0, "body": None,
                 "userAgent": self.headers.get("User-Agent", "")}
        code = 500
        try:
            body = None
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    entry["body"] = "<not json>"
                    raise ApiError(400, "BadRequest", "the body of the request was in an unknown format - "
                                   "accepted media types include: application/json")
                entry["body"] = redact_body(body)
            who = self.identify()
            entry.update(user=who.user, groups=who.groups, auth=who.auth)
            fault = self.state.take_fault(method, path)
            if fault:
                time.sleep(float(fault.get("delay", 0)))
                if fault.get("status"):
                    c = int(fault["status"])
                    raise ApiError(c, fault.get("reason", "InternalError" if c >= 500 else "BadRequest"),
                                   fault.get("message", f"injected fault {c}"))
            self.streamed = False
            self.log_entry = entry
            code, out = self.route(method, path, query, body, who)
            if self.streamed:  # already answered and logged
                return
        except ApiError as err:
            code, out = err.code, err.body
        except Exception as exc:  # noqa: BLE001 - a test server must answer, not die
            code, out = 500, status_body(500, "InternalError", f"fake apiserver error: {exc}")
        entry["status"] = code
        self.state.record(entry)
        self.send_json(code, out)

    def route(self, method, path, query, body, who: Identity):
        m = SECRET_RE.match(path)
        if m:
            if method == "PUT":
                return self.write_secret(who, *m.groups(), body, create=False)
            if method == "DELETE":
                return self.delete_secret(who, *m.groups(), body)
            self.only(method, "GET")
            return self.get_secret(who, *m.groups())
        m = SECRET_LIST_RE.match(path)
        if m:
            self.only(method, "POST")
            name = ((body or {}).get("metadata") or {}).get("name") if isinstance(body, dict) else None
            if not name:
                raise ApiError(422, "Invalid", "Secret \"\" is invalid: metadata.name: Required value: name or generateName is required",
                               {"kind": "Secret"})
            return self.write_secret(who, m.group(1), name, body, create=True)
        m = TOKEN_RE.match(path)
        if m:
            self.only(method, "POST")
            return self.token_request(who, m.group(1), m.group(2), body)
        if path == TOKENREVIEW_PATH:
            self.only(method, "POST")
            return self.token_review(who, body)
        if path == SAR_PATH:
            self.only(method, "POST")
            return self.sar(who, body)
        m = LEASE_LIST_RE.match(path)
        if m:
            return self.leases_collection(who, method, m.group(1), query, body)
        m = LEASE_ITEM_RE.match(path)
        if m:
            return self.lease_item(who, method, m.group(1), m.group(2), body)
        if method == "GET" and path in DISCOVERY:
            return 200, DISCOVERY[path]
        m = NAMESPACE_RE.match(path)
        if m:
            # Every namespace exists (kubectl reads it to word a NotFound).
            self.only(method, "GET")
            self.authorize(who, "get", "", "namespaces", name=m.group(1))
            return 200, {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": m.group(1)},
                         "status": {"phase": "Active"}}
        m = CM_ITEM_RE.match(path)
        if m:
            self.only(method, "GET")
            if query.get("watch", ["false"])[0] in ("true", "1"):
                raise ApiError(405, "MethodNotAllowed", "watch a single object through the list URL with "
                               "fieldSelector=metadata.name=<name>", {})
            ns, name = m.groups()
            self.authorize(who, "get", "", "configmaps", ns=ns, name=name)
            if (ns, name) != (CM_NS, CM_NAME) or not self.state.configmap_present():
                raise ApiError(404, "NotFound", f'configmaps "{name}" not found', {"name": name, "kind": "configmaps"})
            return 200, self.state.configmap()
        m = CM_LIST_RE.match(path)
        if m:
            self.only(method, "GET")
            ns = m.group(1)
            watch = query.get("watch", ["false"])[0] in ("true", "1")
            selector = query.get("fieldSelector", [""])[0]
            wanted = dict(p.split("=", 1) for p in selector.split(",") if "=" in p)
            # Like RBAC with field-selector authorization: a list narrowed to one name
            # is checked against that resource name.
            self.authorize(who, "watch" if watch else "list", "", "configmaps", ns=ns,
                           name=wanted.get("metadata.name", ""))
            relevant = ns == CM_NS and wanted.get("metadata.name", CM_NAME) == CM_NAME
            if watch:
                return self.watch_configmap(relevant, query)
            cm = self.state.configmap()
            items = [cm] if relevant and self.state.configmap_present() else []
            return 200, {"kind": "ConfigMapList", "apiVersion": "v1",
                         "metadata": {"resourceVersion": cm["metadata"]["resourceVersion"]}, "items": items}
        raise ApiError(404, "NotFound", "the server could not find the requested resource", {})

    def watch_configmap(self, relevant: bool, query) -> tuple[int, None]:
        """Stream watch events (one JSON object per chunk) until timeoutSeconds or shutdown."""
        timeout = float(query.get("timeoutSeconds", ["1800"])[0])
        since = query.get("resourceVersion", [""])[0]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.streamed = True
        self.log_entry["status"] = 200
        self.state.record(self.log_entry)

        def emit(event_type: str, obj: dict) -> None:
            raw = json.dumps({"type": event_type, "object": obj}).encode() + b"\n"
            self.wfile.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
            self.wfile.flush()

        deadline = time.monotonic() + timeout
        seen_version = None
        seen_present = False
        if since and since != "0" and relevant:
            seen_version, seen_present = since, True  # only changes after `since`
        try:
            while not self.server.stopping.is_set():  # type: ignore[attr-defined]
                if relevant:
                    present = self.state.configmap_present()
                    cm = self.state.configmap()
                    version = cm["metadata"]["resourceVersion"]
                    if present and not seen_present:
                        emit("ADDED", cm)
                    elif present and version != seen_version:
                        emit("MODIFIED", cm)
                    elif not present and seen_present:
                        emit("DELETED", cm)
                    seen_version, seen_present = version, present
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                with self.state.lock:
                    self.state.lock.wait(min(remaining, 0.5))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        return 200, None

    @staticmethod
    def only(method, allowed):
        if method != allowed:
            raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                           "resource", {})

    # -- endpoints ----------------------------------------------------------------
    def get_secret(self, who, ns, name):
        self.authorize(who, "get", "", "secrets", ns=ns, name=name)
        secret = (self.state.get("secrets") or {}).get(f"{ns}/{name}")
        if secret is None:
            raise ApiError(404, "NotFound", f'secrets "{name}" not found', {"name": name, "kind": "secrets"})
        return 200, self.secret_object(ns, name, secret)

    def secret_object(self, ns, name, secret):
        data = dict(secret.get("data") or {})
        for k, v in (secret.get("stringData") or {}).items():
            data[k] = base64.b64encode(v.encode()).decode()
        meta = {"name": name, "namespace": ns,
                "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"secret:{ns}/{name}")),
                "resourceVersion": str(secret.get("resourceVersion", "1")), "creationTimestamp": self.state.created}
        if secret.get("labels"):
            meta["labels"] = dict(secret["labels"])
        return {"kind": "Secret", "apiVersion": "v1", "metadata": meta, "data": data,
                "type": secret.get("type", "Opaque")}

    def write_secret(self, who, ns, name, body, create):
        self.authorize(who, "create" if create else "update", "", "secrets", ns=ns, name="" if create else name)
        if not isinstance(body, dict):
            raise ApiError(400, "BadRequest", "the body must be a Secret object", {})
        meta = body.get("metadata") or {}
        if meta.get("name") != name or meta.get("namespace", ns) != ns:
            raise ApiError(422 if create else 400, "Invalid" if create else "BadRequest",
                           f'Secret "{name}" is invalid: metadata: the name and namespace of the body must match the URL',
                           {"name": name, "kind": "Secret"})
        data = body.get("data") or {}
        for k, v in data.items():
            try:
                base64.b64decode(v, validate=True)
            except (ValueError, TypeError):
                raise ApiError(422, "Invalid", f'Secret "{name}" is invalid: data[{k}]: Invalid value: not base64',
                               {"name": name, "kind": "Secret"}) from None
        with self.state.lock:
            secrets = self.state.data.setdefault("secrets", {})
            key = f"{ns}/{name}"
            existing = secrets.get(key)
            if create and existing is not None:
                raise ApiError(409, "AlreadyExists", f'secrets "{name}" already exists', {"name": name, "kind": "secrets"})
            if not create:
                if existing is None:
                    raise ApiError(404, "NotFound", f'secrets "{name}" not found', {"name": name, "kind": "secrets"})
                wanted = meta.get("resourceVersion")
                if wanted and str(wanted) != str(existing.get("resourceVersion", "1")):
                    raise ApiError(409, "Conflict", f'Operation cannot be fulfilled on secrets "{name}": the object has been '
                                   f"modified; please apply your changes to the latest version and try again",
                                   {"name": name, "kind": "secrets"})
            stored = {"data": dict(data), "type": body.get("type", "Opaque"),
                      "labels": dict(meta.get("labels") or {}), "resourceVersion": str(self.state._bump())}
            secrets[key] = stored
            self.state.lock.notify_all()
        return (201 if create else 200), self.secret_object(ns, name, stored)

    def delete_secret(self, who, ns, name, body=None):
        self.authorize(who, "delete", "", "secrets", ns=ns, name=name)
        wanted = (((body or {}).get("preconditions") or {}).get("resourceVersion")
                  if isinstance(body, dict) else None)
        with self.state.lock:
            secrets = self.state.data.setdefault("secrets", {})
            existing = secrets.get(f"{ns}/{name}")
            if existing is None:
                raise ApiError(404, "NotFound", f'secrets "{name}" not found', {"name": name, "kind": "secrets"})
            if wanted and str(wanted) != str(existing.get("resourceVersion", "1")):
                raise ApiError(409, "Conflict", f'Operation cannot be fulfilled on secrets "{name}": Precondition failed: '
                               f'ResourceVersion in precondition: {wanted}, ResourceVersion in object meta: '
                               f'{existing.get("resourceVersion", "1")}', {"name": name, "kind": "secrets"})
            del secrets[f"{ns}/{name}"]
        return 200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                     "details": {"name": name, "kind": "secrets"}}

    def token_request(self, who, ns, name, body):
        self.authorize(who, "create", "", "serviceaccounts", "token", ns, name)
        known = self.state.get("serviceAccounts")
        if known is not None and f"{ns}/{name}" not in known:
            raise ApiError(404, "NotFound", f'serviceaccounts "{name}" not found',
                           {"name": name, "kind": "serviceaccounts"})
        spec = (body or {}).get("spec") or {}
        audiences = list(spec.get("audiences") or DEFAULT_AUDIENCES)
        seconds = spec.get("expirationSeconds", 3600)
        if not isinstance(seconds, int) or seconds < 600:
            raise ApiError(422, "Invalid", f'TokenRequest.authentication.k8s.io "{name}" is invalid: '
                           f"spec.expirationSeconds: Invalid value: {seconds}: may not specify a duration less "
                           f"than 10 minutes", {"name": name, "group": "authentication.k8s.io",
                                                "kind": "TokenRequest"})
        token, expires = self.state.mint(ns, name, audiences, seconds)
        return 201, {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                     "metadata": {"name": name, "namespace": ns, "creationTimestamp": None},
                     "spec": {"audiences": audiences, "expirationSeconds": seconds,
                              "boundObjectRef": spec.get("boundObjectRef")},
                     "status": {"token": token, "expirationTimestamp": expires}}

    def token_review(self, who, body):
        self.authorize(who, "create", "authentication.k8s.io", "tokenreviews")
        spec = (body or {}).get("spec") or {}
        token = spec.get("token")
        if not token:
            raise ApiError(422, "Invalid", 'TokenReview.authentication.k8s.io "" is invalid: spec.token: '
                           "Required value", {"group": "authentication.k8s.io", "kind": "TokenReview"})
        wanted = list(spec.get("audiences") or [])
        rec, err = self.state.lookup_token(token)
        status: dict = {"user": {}}
        if rec is not None:
            token_aud = list(rec.get("audiences") or DEFAULT_AUDIENCES)
            if wanted and not set(wanted) & set(token_aud):
                status["error"] = (f"[invalid bearer token, token audiences {json.dumps(token_aud)} is invalid "
                                   f"for the target audiences {json.dumps(wanted)}]")
                status["authenticated"] = False
            else:
                groups = list(rec.get("groups") or [])
                if "system:authenticated" not in groups:
                    groups.append("system:authenticated")
                user = {"username": rec["user"], "groups": groups}
                if rec.get("uid"):
                    user["uid"] = rec["uid"]
                if rec.get("extra"):
                    user["extra"] = rec["extra"]
                status = {"authenticated": True, "user": user,
                          "audiences": [a for a in token_aud if not wanted or a in wanted]}
        else:
            status["authenticated"] = False
            status["error"] = err
        return 201, {"kind": "TokenReview", "apiVersion": "authentication.k8s.io/v1",
                     "metadata": {"creationTimestamp": None},
                     "spec": {"token": token, **({"audiences": wanted} if wanted else {})}, "status": status}

    def sar(self, who, body):
        self.authorize(who, "create", "authorization.k8s.io", "subjectaccessreviews")
        spec = (body or {}).get("spec") or {}
        res, nonres = spec.get("resourceAttributes"), spec.get("nonResourceAttributes")
        problems = []
        if (res is None) == (nonres is None):
            problems.append("spec.resourceAttributes: Invalid value: \"null\": exactly one of "
                            "nonResourceAttributes or resourceAttributes must be specified")
        if not spec.get("user") and not spec.get("groups"):
            problems.append('spec.user: Invalid value: "": at least one of user or group must be specified')
        if problems:
            raise ApiError(422, "Invalid", 'SubjectAccessReview.authorization.k8s.io "" is invalid: ' +
                           ", ".join(problems), {"group": "authorization.k8s.io", "kind": "SubjectAccessReview"})
        attrs = dict(res) if res is not None else {"path": nonres.get("path", ""), "verb": nonres.get("verb", "")}
        allowed, denied, reason = evaluate(self.state.get("rules") or [], spec.get("user", ""),
                                           list(spec.get("groups") or []), attrs)
        status: dict = {"allowed": allowed}
        if denied:
            status["denied"] = True
        if reason:
            status["reason"] = reason
        return 201, {"kind": "SubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                     "metadata": {"creationTimestamp": None}, "spec": spec, "status": status}


    # -- leases (coordination.k8s.io/v1) ---------------------------------------------
    # Optimistic concurrency as the real apiserver has it: every write bumps the object's
    # resourceVersion; an update or a delete naming another resourceVersion is a 409 Conflict;
    # a create of an existing name is a 409 AlreadyExists.
    @staticmethod
    def lease_conflict(name: str, why: str) -> ApiError:
        return ApiError(409, "Conflict", f'Operation cannot be fulfilled on leases.coordination.k8s.io "{name}": {why}',
                        {"name": name, "group": "coordination.k8s.io", "kind": "leases"})

    @staticmethod
    def lease_not_found(name: str) -> ApiError:
        return ApiError(404, "NotFound", f'leases.coordination.k8s.io "{name}" not found',
                        {"name": name, "group": "coordination.k8s.io", "kind": "leases"})

    def leases_collection(self, who, method, ns, query, body):
        if method == "GET":
            self.authorize(who, "list", "coordination.k8s.io", "leases", ns=ns)
            selector = query.get("labelSelector", [""])[0]
            wanted = dict(p.split("=", 1) for p in selector.split(",") if "=" in p)
            with self.state.lock:
                items = [copy.deepcopy(v) for (n, _), v in sorted(self.state.leases.items()) if n == ns and
                         all((v["metadata"].get("labels") or {}).get(k) == val for k, val in wanted.items())]
                version = str(self.state.version_counter)
            return 200, {"kind": "LeaseList", "apiVersion": "coordination.k8s.io/v1",
                         "metadata": {"resourceVersion": version}, "items": items}
        self.only(method, "POST")
        if not isinstance(body, dict):
            raise ApiError(400, "BadRequest", "the body of the request must be a Lease object")
        meta = body.get("metadata") or {}
        name = meta.get("name", "")
        self.authorize(who, "create", "coordination.k8s.io", "leases", ns=ns)
        if meta.get("namespace", ns) != ns:
            raise ApiError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request")
        if not name or len(name) > 253 or not DNS1123_SUBDOMAIN_RE.match(name):
            raise ApiError(422, "Invalid", f'Lease.coordination.k8s.io "{name}" is invalid: metadata.name: Invalid value: '
                           f'"{name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '
                           "'-' or '.', and must start and end with an alphanumeric character",
                           {"name": name, "group": "coordination.k8s.io", "kind": "Lease"})
        if meta.get("resourceVersion"):
            raise ApiError(500, "InternalError", "resourceVersion should not be set on objects to be created")
        lease = {"kind": "Lease", "apiVersion": "coordination.k8s.io/v1",
                 "metadata": dict(meta, namespace=ns), "spec": dict(body.get("spec") or {})}
        with self.state.lock:
            if (ns, name) in self.state.leases:
                raise ApiError(409, "AlreadyExists", f'leases.coordination.k8s.io "{name}" already exists',
                               {"name": name, "group": "coordination.k8s.io", "kind": "leases"})
            lease["metadata"].update(uid=str(uuid.uuid4()), resourceVersion=str(self.state._bump()),
                                     creationTimestamp=rfc3339(now_utc()))
            self.state.leases[(ns, name)] = lease
            return 201, copy.deepcopy(lease)

    def lease_item(self, who, method, ns, name, body):
        if method == "GET":
            self.authorize(who, "get", "coordination.k8s.io", "leases", ns=ns, name=name)
            with self.state.lock:
                lease = self.state.leases.get((ns, name))
                if lease is None:
                    raise self.lease_not_found(name)
                return 200, copy.deepcopy(lease)
        if method == "PUT":
            self.authorize(who, "update", "coordination.k8s.io", "leases", ns=ns, name=name)
            if not isinstance(body, dict):
                raise ApiError(400, "BadRequest", "the body of the request must be a Lease object")
            meta = body.get("metadata") or {}
            if meta.get("name") != name:
                raise ApiError(400, "BadRequest", "the name of the object does not match the name on the URL")
            with self.state.lock:
                current = self.state.leases.get((ns, name))
                if current is None:
                    raise self.lease_not_found(name)
                wanted = meta.get("resourceVersion")
                # Leases allow an unconditional update (no resourceVersion), like the real apiserver.
                if wanted and wanted != current["metadata"]["resourceVersion"]:
                    raise self.lease_conflict(name, "the object has been modified; please apply your changes to the "
                                                    "latest version and try again")
                fixed = {k: current["metadata"][k] for k in ("uid", "creationTimestamp", "namespace", "name")}
                lease = {"kind": "Lease", "apiVersion": "coordination.k8s.io/v1",
                         "metadata": dict(meta, **fixed, resourceVersion=str(self.state._bump())),
                         "spec": dict(body.get("spec") or {})}
                self.state.leases[(ns, name)] = lease
                return 200, copy.deepcopy(lease)
        if method == "DELETE":
            self.authorize(who, "delete", "coordination.k8s.io", "leases", ns=ns, name=name)
            wanted = ((body or {}).get("preconditions") or {}).get("resourceVersion") if isinstance(body, dict) else None
            with self.state.lock:
                current = self.state.leases.get((ns, name))
                if current is None:
                    raise self.lease_not_found(name)
                have = current["metadata"]["resourceVersion"]
                if wanted and wanted != have:
                    raise self.lease_conflict(name, f"Precondition failed: ResourceVersion in precondition: {wanted}, "
                                                    f"ResourceVersion in object meta: {have}")
                del self.state.leases[(ns, name)]
            return 200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                         "details": {"name": name, "group": "coordination.k8s.io", "kind": "leases",
                                     "uid": current["metadata"]["uid"]}}
        raise ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {})

    # -- admin ---------------------------------------------------------------------
    def admin(self, method: str, path: str, raw: bytes) -> None:
        try:
            if path == "/__admin/state" and method == "POST":
                try:
                    patch = json.loads(raw or b"{}")
                except ValueError:
                    raise ApiError(400, "BadRequest", "admin state must be JSON")
                version = self.state.update(patch)
                return self.send_json(200, {"ok": True, "configmapResourceVersion": version})
            if path == "/__admin/state" and method == "GET":
                with self.state.lock:
                    return self.send_json(200, copy.deepcopy(self.state.data))
            if path == "/__admin/requests" and method == "GET":
                with self.state.lock:
                    return self.send_json(200, {"requests": copy.deepcopy(self.state.requests)})
            if path == "/__admin/requests" and method == "DELETE":
                with self.state.lock:
                    self.state.requests.clear()
                return self.send_json(200, {"ok": True})
            if path == "/__admin/leases" and method == "GET":
                with self.state.lock:
                    return self.send_json(200, {"items": copy.deepcopy(list(self.state.leases.values()))})
            if path == "/__admin/leases" and method == "POST":
                # Plant a Lease as it is (e.g. one left by a replica that died long ago).
                lease = json.loads(raw or b"{}")
                meta = lease.setdefault("metadata", {})
                with self.state.lock:
                    meta["resourceVersion"] = str(self.state._bump())
                    meta.setdefault("uid", str(uuid.uuid4()))
                    meta.setdefault("creationTimestamp", rfc3339(now_utc()))
                    self.state.leases[(meta["namespace"], meta["name"])] = lease
                return self.send_json(200, lease)
            if path == "/__admin/tokens" and method == "GET":
                return self.send_json(200, {"tokens": self.state.issued_list()})
            raise ApiError(404, "NotFound", f"unknown admin endpoint {method} {path}", {})
        except ApiError as err:
            self.send_json(err.code, err.body)


class AdminServer(ThreadingHTTPServer):
    """Plain-HTTP twin of the admin endpoints, so tests need no TLS client for them."""

    daemon_threads = True
    admin_only = True

    def __init__(self, addr, handler, state: State):
        self.state = state
        self.stopping = threading.Event()
        super().__init__(addr, handler)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, handler, context: ssl.SSLContext, state: State):
        self.context = context
        self.state = state
        self.stopping = threading.Event()
        super().__init__(addr, handler)

    def finish_request(self, request, client_address):
        # TLS handshake in the per-connection thread, so one slow client blocks nobody.
        request.settimeout(30)
        # Headers and body leave in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold every answer back ~40 ms.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            request.close()
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def shutdown_request(self, request):
        try:
            request.close()
        except OSError:
            pass


def make_context(cert: str, key: str, client_ca: str | None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    if client_ca:
        ctx.load_verify_locations(client_ca)
        ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def main(argv) -> int:
    p = argparse.ArgumentParser(prog="fake_kube_apiserver.py")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--state")
    p.add_argument("--pki")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--client-ca")
    p.add_argument("--kubeconfig-out")
    p.add_argument("--kubeconfig-user", choices=["webhook", "alice", "token"], default="webhook")
    p.add_argument("--no-stdin-watch", action="store_true")
    a = p.parse_args(argv)
    pki = Path(a.pki) if a.pki else None
    cert = a.cert or (str(pki / "apiserver.crt") if pki else None)
    key = a.key or (str(pki / "apiserver.key") if pki else None)
    client_ca = a.client_ca or (str(pki / "cluster-ca.crt") if pki else None)
    if not cert or not key:
        p.error("--pki DIR or --cert/--key are required")
    initial = json.loads(Path(a.state).read_text()) if a.state else {}
    state = State(initial, pki)
    server = Server(("127.0.0.1", a.port), Handler, make_context(cert, key, client_ca), state)
    port = server.server_address[1]

    kubeconfig = None
    if a.kubeconfig_out:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import pki as pki_mod  # noqa: E402 - sibling module

        url = f"https://127.0.0.1:{port}"
        if a.kubeconfig_user == "token":
            token = next(iter(initial.get("tokens") or {}), None)
            if token is None:
                p.error("--kubeconfig-user token needs a token in the state")
            kubeconfig = pki_mod.write_kubeconfig(Path(a.kubeconfig_out), url, client_ca, token=token)
        else:
            stem = "webhook-client" if a.kubeconfig_user == "webhook" else "alice"
            if pki is None:
                p.error("--kubeconfig-out needs --pki")
            kubeconfig = pki_mod.write_kubeconfig(Path(a.kubeconfig_out), url, client_ca,
                                                  client_cert=str((pki / f"{stem}.crt").resolve()),
                                                  client_key=str((pki / f"{stem}.key").resolve()))

    admin = AdminServer(("127.0.0.1", 0), Handler, state)
    threading.Thread(target=admin.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()

    def stop(*_):
        server.stopping.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    mode = os.fstat(0).st_mode if not sys.stdin.closed else 0
    if not a.no_stdin_watch and (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        def watch_stdin():
            while os.read(0, 4096):
                pass
            stop()
        threading.Thread(target=watch_stdin, daemon=True).start()
    print(json.dumps({"port": port, "url": f"https://127.0.0.1:{port}", "kubeconfig": kubeconfig,
                      "adminURL": f"http://127.0.0.1:{admin.server_address[1]}"}), flush=True)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    admin.shutdown()
    admin.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
