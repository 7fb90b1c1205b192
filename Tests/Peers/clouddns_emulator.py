#!/usr/bin/env python3
"""An honest emulator of Google Cloud DNS v1 and of the Google token services a
DNS-01 solver meets, in one process, for tests.  Standard library plus
``cryptography`` (RS256 verification and key generation).

Command line::

    python3 clouddns_emulator.py --port 0 [--host 127.0.0.1] [--config F] [--verbose] [--no-stdin-watch]

Prints one line ``{"port": N, "host": "127.0.0.1"}``; exits 0 on SIGTERM,
SIGINT or EOF of a piped stdin (see emulator_base.py).

Routes::

    POST /token                                   OAuth2 token endpoint (JWT bearer grant, RFC 7523)
    POST /v1/token                                STS token exchange (RFC 8693, workload identity federation)
    POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken   IAM credentials (impersonation)
    GET  /computeMetadata/v1/...                  the GCE/GKE metadata server (and GET / for its ping)
    /dns/v1/projects/{project}/managedZones[/{zone}[/rrsets|/changes[/{id}]]]   Cloud DNS v1

Token checks, as Google makes them:

* ``/token``: ``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`` and an
  ``assertion`` that is a compact JWS with ``alg: RS256`` whose signature
  verifies (PKCS#1 v1.5, SHA-256) against a public key of the service account
  named by ``iss`` (the one ``kid`` names, when given); ``aud`` must be Google's
  token URL (``https://oauth2.googleapis.com/token``, or the two older ones) or
  this emulator's own ``/token`` URL; ``iat`` not more than 5 minutes ahead,
  ``exp`` in the future and at most an hour after ``iat``; ``scope`` present.
  Refusals are ``400 {"error": "invalid_grant", "error_description": ...}``
  (``Invalid JWT Signature.``, ``Invalid JWT: Token must be a short-lived token
  (60 minutes) and in a reasonable timeframe...``, ``Invalid grant: account not
  found``), ``400 unsupported_grant_type``, ``400 invalid_scope``.
* ``/v1/token``: ``grant_type`` token-exchange, ``requested_token_type``
  access_token, ``subject_token_type`` ``urn:ietf:params:oauth:token-type:jwt`` (or ``id_token``),
  an ``audience`` naming a configured workload identity pool provider, and a
  ``subject_token`` that is a JWT signed (RS256) by the pool's issuer key, with
  the pool's ``iss``, an ``aud`` holding the provider's audience (with or
  without ``https:``) and an ``exp`` in the future.  The token is for
  ``principal://iam.googleapis.com/<pool>/subject/<sub>``.  Refusals are
  ``400 invalid_grant`` / ``invalid_request`` / ``invalid_target``.
* ``generateAccessToken``: a bearer token of a principal the service account
  lets impersonate it (the pool's ``impersonate`` list), else 403.
* metadata server: every request must carry ``Metadata-Flavor: Google`` (and
  no ``X-Forwarded-For``), else 403; every answer carries
  ``Metadata-Flavor: Google``.  Its service account is ``metadata.serviceAccount``.
* Cloud DNS: ``Authorization: Bearer <token>`` issued here and not expired
  (else 401 ``required``/``authError``), with the ``ndev.clouddns.readwrite``
  or ``cloud-platform`` scope (``ndev.clouddns.readonly`` for reads; else 403
  ``insufficientPermissions``), by a principal with a role on the project
  (``admin`` or ``reader``; else 403 ``forbidden``).

Cloud DNS state is real: per project, managed zones (``name``, ``dnsName``,
``visibility`` public|private, SOA and NS sets at the apex) and resource record
sets keyed by (name, type).  ``managedZones.list`` (``dnsName`` filter) and
``rrsets`` list (``name`` and ``type`` filters; ``type`` needs ``name``)
paginate with ``pageToken``/``maxResults`` (``pageSize``, default 2, smaller
than Google's so clients must page).  ``changes.create`` is atomic: every
deletion must equal an existing set exactly (name, type, ttl and rrdatas in
order) or the change fails with 412 ``conditionNotMet`` ("Precondition not met
for 'entity.change.deletions[N]'"), or 404 ``notFound`` when the set does not
exist; an addition of a set that exists after the deletions answers 409
``alreadyExists``.  Changes get ids "1", "2"... per zone and are applied at
once; their status is ``done``, or ``pending`` for the first ``pendingReads``
reads of each change (``changes.get``).

Faults (``POST /__admin/faults``, see emulator_base.FaultPlan) apply to every
authenticated call, token endpoints included: throttling is 429 with
``Retry-After: retryAfterSeconds`` and reason ``rateLimitExceeded``
(``RESOURCE_EXHAUSTED``), 5xx is 503 ``backendError`` (``UNAVAILABLE``).
Action names: ``oauth2.token``, ``sts.token``, ``iam.generateAccessToken``,
``metadata.token``, ``metadata.get``, ``dns.managedZones.list``,
``dns.managedZones.get``, ``dns.resourceRecordSets.list``,
``dns.changes.create``, ``dns.changes.get``, ``dns.changes.list``.

Admin (besides emulator_base's): ``GET /__admin/key?email=E`` answers a
service-account key file (JSON, ``token_uri`` this emulator's ``/token``) for a
key generated at start; ``POST /__admin/key {"email", "publicKeyPem",
"keyId"}`` registers another public key; ``POST /__admin/subject-token {"sub",
"audience"?, "expiresIn"?, "issuer"?}`` answers ``{"token": JWT}`` signed by
the pool's issuer key (as a Kubernetes token issuer would);
``POST /__admin/seed {"rrsets": [{"project"?, "zone", "name", "type", "ttl",
"rrdatas"}]}`` adds values to sets.  ``/__admin/state`` shows zones and sets,
issued-token counts per principal, never a token or a key.

Default config (``--config`` replaces it; every credential is a test fixture)::

    project test-project: zones example-com (example.com., public),
      example-com-private (example.com., private), sub-example-com
      (sub.example.com., public), example-org (example.org., public);
      project other-project: zone other-example (other.example., public)
    service accounts dns01-solver@test-project.iam.gserviceaccount.com (admin
      on test-project), dns-reader@... (reader), no-role@... (none)
    metadata server: dns01-solver@...
    pool //iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/kube/providers/cluster
      issuer https://kubernetes.default.svc.cluster.local, admin on test-project,
      may impersonate dns01-solver@...

Not modelled: routing policies, DNSSEC signatures, record types other than
TXT/SOA/NS being validated, quota accounting, TXT data normalisation (rrdatas
are stored as sent), operations and response policies.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import sys
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, unquote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

import emulator_base as base
from emulator_base import ApiFailure, BaseEmulator, Request, Response

SCOPE_RW = "https://www.googleapis.com/auth/ndev.clouddns.readwrite"
SCOPE_RO = "https://www.googleapis.com/auth/ndev.clouddns.readonly"
SCOPE_CLOUD = "https://www.googleapis.com/auth/cloud-platform"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt"
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"
GOOGLE_TOKEN_URLS = {"https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v4/token",
                     "https://accounts.google.com/o/oauth2/token"}
SA = "dns01-solver@test-project.iam.gserviceaccount.com"
POOL = "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/kube/providers/cluster"

DEFAULT_CONFIG: Dict[str, Any] = {
    "projects": {
        "test-project": {"zones": [
            {"name": "example-com", "dnsName": "example.com.", "visibility": "public"},
            {"name": "example-com-private", "dnsName": "example.com.", "visibility": "private"},
            {"name": "sub-example-com", "dnsName": "sub.example.com.", "visibility": "public"},
            {"name": "example-org", "dnsName": "example.org.", "visibility": "public"},
        ]},
        "other-project": {"zones": [{"name": "other-example", "dnsName": "other.example.", "visibility": "public"}]},
    },
    "serviceAccounts": [
        {"email": SA, "roles": {"test-project": "admin"}},
        {"email": "dns-reader@test-project.iam.gserviceaccount.com", "roles": {"test-project": "reader"}},
        {"email": "no-role@test-project.iam.gserviceaccount.com", "roles": {}},
    ],
    "metadata": {"serviceAccount": SA, "projectId": "test-project"},
    "pools": [{"audience": POOL, "issuer": "https://kubernetes.default.svc.cluster.local",
               "roles": {"test-project": "admin"}, "impersonate": [SA]}],
    "tokenLifetimeSeconds": 3599,
    "pageSize": 2,
    "pendingReads": 0,
    "retryAfterSeconds": 1,
}


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def sign_jwt(key: rsa.RSAPrivateKey, header: Dict[str, Any], claims: Dict[str, Any]) -> str:
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def parse_jwt(token: str) -> Tuple[Dict[str, Any], Dict[str, Any], bytes, bytes]:
    """(header, claims, signing input, signature); ValueError when not a compact JWS."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not three parts")
    header = json.loads(b64url_decode(parts[0]))
    claims = json.loads(b64url_decode(parts[1]))
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise ValueError("not JSON objects")
    return header, claims, (parts[0] + "." + parts[1]).encode(), b64url_decode(parts[2])


def verifies(public_key: Any, signing_input: bytes, signature: bytes) -> bool:
    try:
        public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        return True
    except (InvalidSignature, ValueError):
        return False


class CloudDnsEmulator(BaseEmulator):
    name = "clouddns-emulator"
    default_config = DEFAULT_CONFIG

    # -- configuration --------------------------------------------------------
    def configure(self) -> None:
        cfg = self.config
        self.page_size = int(cfg.get("pageSize", 2))
        self.lifetime = int(cfg.get("tokenLifetimeSeconds", 3599))
        self.pending_reads = int(cfg.get("pendingReads", 0))
        self.retry_after = int(cfg.get("retryAfterSeconds", 1))
        self.accounts: Dict[str, Dict[str, Any]] = {}
        # email -> {keyId: (public key, private key or None)}
        self.keys: Dict[str, Dict[str, Tuple[Any, Optional[rsa.RSAPrivateKey]]]] = {}
        for account in cfg.get("serviceAccounts", []):
            email = account["email"]
            self.accounts[email] = dict(account)
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            key_id = hashlib.sha1(public_pem(key).encode()).hexdigest()
            self.keys[email] = {key_id: (key.public_key(), key)}
            for extra in account.get("keys", []):
                self.keys[email][extra["keyId"]] = (serialization.load_pem_public_key(extra["publicKeyPem"].encode()), None)
        self.pools: Dict[str, Dict[str, Any]] = {}
        self.issuer_keys: Dict[str, rsa.RSAPrivateKey] = {}
        for pool in cfg.get("pools", []):
            self.pools[pool["audience"]] = dict(pool)
            if pool["issuer"] not in self.issuer_keys:
                self.issuer_keys[pool["issuer"]] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.metadata = dict(cfg.get("metadata") or {})
        self.tokens: Dict[str, Dict[str, Any]] = {}
        self.issued: Dict[str, int] = {}
        self.in_flight: Dict[str, int] = {}

    def fault_point(self, req: Request) -> None:
        """Counts calls held in an injected delay (``inFlight`` in the state), so a test can
        act while a client's request is known to be on its way."""
        action = req.action or ""
        with self.lock:
            self.in_flight[action] = self.in_flight.get(action, 0) + 1
        try:
            super().fault_point(req)
        finally:
            with self.lock:
                self.in_flight[action] -= 1

    def reset_records(self) -> None:
        # project -> zone name -> {"zone": {...}, "sets": {(name, type): rrset}, "changes": [...]}
        self.zones: Dict[str, Dict[str, Dict[str, Any]]] = {}
        next_id = 1000
        for project, spec in self.config.get("projects", {}).items():
            self.zones[project] = {}
            for zone in spec.get("zones", []):
                next_id += 1
                dns_name = zone["dnsName"].lower()
                info = {"kind": "dns#managedZone", "name": zone["name"], "dnsName": dns_name,
                        "description": zone.get("description", ""), "id": str(next_id),
                        "nameServers": [f"ns-cloud-a{i}.googledomains.com." for i in range(1, 5)],
                        "creationTime": "2026-01-01T00:00:00.000Z", "visibility": zone.get("visibility", "public")}
                sets = {
                    (dns_name, "SOA"): {"name": dns_name, "type": "SOA", "ttl": 21600, "rrdatas": [
                        "ns-cloud-a1.googledomains.com. cloud-dns-hostmaster.google.com. 1 21600 3600 259200 300"]},
                    (dns_name, "NS"): {"name": dns_name, "type": "NS", "ttl": 21600, "rrdatas": info["nameServers"]},
                }
                self.zones[project][zone["name"]] = {"zone": info, "sets": sets, "changes": []}
        for item in self.config.get("rrsets", []):
            self._seed_one(item)

    def on_reset(self) -> None:
        self.tokens = {}
        self.issued = {}

    def state_records(self) -> Any:
        out = []
        for project, zones in self.zones.items():
            for zone_name, zone in zones.items():
                for rrset in zone["sets"].values():
                    out.append(dict(rrset, project=project, zone=zone_name))
        return out

    def state_extra(self) -> Dict[str, Any]:
        return {"issuedTokens": dict(self.issued), "inFlight": {k: v for k, v in self.in_flight.items() if v},
                "changes": {f"{p}/{z}": len(zone["changes"]) for p, zones in self.zones.items() for z, zone in zones.items()}}

    def _seed_one(self, item: Dict[str, Any]) -> Dict[str, Any]:
        project = item.get("project", "test-project")
        zone = self.zones[project][item["zone"]]
        name = item["name"].lower()
        if not name.endswith("."):
            name += "."
        key = (name, item.get("type", "TXT"))
        rrset = zone["sets"].get(key)
        if rrset is None:
            rrset = {"name": name, "type": key[1], "ttl": int(item.get("ttl", 300)), "rrdatas": []}
            zone["sets"][key] = rrset
        for value in item.get("rrdatas", []):
            if value not in rrset["rrdatas"]:
                rrset["rrdatas"].append(value)
        return rrset

    def seed(self, data: Dict[str, Any]) -> Any:
        return [self._seed_one(item) for item in data.get("rrsets", [])]

    def admin_extra(self, req: Request, data: Dict[str, Any]) -> Optional[Response]:
        route = (req.method, req.path.rstrip("/"))
        if route == ("GET", "/__admin/key"):
            email = req.q("email") or SA
            if email not in self.keys:
                raise ValueError(f"no service account {email}")
            key_id, (_, private) = next((k, v) for k, v in self.keys[email].items() if v[1] is not None)
            host = req.header("host") or "127.0.0.1"
            return Response(200, {
                "type": "service_account", "project_id": email.split("@")[1].split(".")[0], "private_key_id": key_id,
                "private_key": private_pem(private), "client_email": email,
                "client_id": str(int(hashlib.sha1(email.encode()).hexdigest()[:15], 16)),
                "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": f"http://{host}/token",
                "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
                "universe_domain": "googleapis.com"})
        if route == ("POST", "/__admin/key"):
            email = data["email"]
            if email not in self.keys:
                raise ValueError(f"no service account {email}")
            self.keys[email][data["keyId"]] = (serialization.load_pem_public_key(data["publicKeyPem"].encode()), None)
            return Response(200, {"ok": True})
        if route == ("POST", "/__admin/subject-token"):
            pool = self.pools[data.get("audience", POOL)]
            issuer = data.get("issuer", pool["issuer"])
            key = self.issuer_keys.get(issuer) or rsa.generate_private_key(public_exponent=65537, key_size=2048)
            now = int(self.clock.now())
            claims = {"iss": issuer, "sub": data.get("sub", "system:serviceaccount:cert-manager:dns01-webhook"),
                      "aud": [data.get("tokenAudience", "https:" + pool["audience"])], "iat": now,
                      "exp": now + int(data.get("expiresIn", 3600))}
            return Response(200, {"token": sign_jwt(key, {"alg": "RS256", "typ": "JWT", "kid": "k1"}, claims)})
        return None

    # -- error shapes ---------------------------------------------------------
    @staticmethod
    def google_error(status: int, reason: str, message: str, status_name: str, domain: str = "global",
                     headers: Optional[Dict[str, str]] = None) -> Response:
        return Response(status, {"error": {"code": status, "message": message,
                                           "errors": [{"message": message, "domain": domain, "reason": reason}],
                                           "status": status_name}}, headers=headers)

    def fail(self, status: int, reason: str, message: str, status_name: str) -> ApiFailure:
        return ApiFailure(self.google_error(status, reason, message, status_name), reason)

    @staticmethod
    def oauth_fail(error: str, description: str, status: int = 400) -> ApiFailure:
        return ApiFailure(Response(status, {"error": error, "error_description": description}), error)

    def throttle_error(self, req: Request) -> Response:
        message = "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'dns.googleapis.com'."
        return self.google_error(429, "rateLimitExceeded", message, "RESOURCE_EXHAUSTED", domain="usageLimits",
                                 headers={"Retry-After": str(self.retry_after)})

    def server_error(self, req: Request, status: Optional[int]) -> Response:
        code = status or 503
        return self.google_error(code, "backendError", "The service is currently unavailable.", "UNAVAILABLE")

    def injected_error(self, req: Request, entry: Dict[str, Any]) -> Response:
        return self.google_error(int(entry.get("status", 400)), entry["code"], entry.get("message", entry["code"]),
                                 entry.get("statusName", "FAILED_PRECONDITION"))

    # -- dispatch -------------------------------------------------------------
    def api(self, req: Request) -> Response:
        path = req.path
        if path == "/token":
            return self.oauth2_token(req)
        if path == "/v1/token":
            return self.sts_token(req)
        if path.startswith("/v1/projects/-/serviceAccounts/") and path.endswith(":generateAccessToken"):
            return self.generate_access_token(req)
        if path == "/" or path.startswith("/computeMetadata/"):
            return self.metadata_server(req)
        if path.startswith("/dns/v1/"):
            return self.dns(req)
        req.action = "unknown"
        raise self.fail(404, "notFound", f"No route for {req.method} {path}", "NOT_FOUND")

    def form(self, req: Request) -> Dict[str, str]:
        if req.method != "POST":
            raise self.oauth_fail("invalid_request", "Only POST is supported", 405)
        try:
            return dict(parse_qsl(req.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise self.oauth_fail("invalid_request", "The request body is not form data")

    def issue(self, principal: str, scopes: List[str], kind: str) -> Dict[str, Any]:
        with self.lock:
            token = "ya29.emu-" + secrets.token_urlsafe(32)
            self.tokens[token] = {"principal": principal, "scopes": scopes, "expires": self.clock.now() + self.lifetime,
                                  "kind": kind}
            self.issued[principal] = self.issued.get(principal, 0) + 1
        return {"access_token": token, "expires_in": self.lifetime, "token_type": "Bearer"}

    # -- OAuth2 token endpoint ------------------------------------------------
    def oauth2_token(self, req: Request) -> Response:
        req.action = "oauth2.token"
        form = self.form(req)
        if form.get("grant_type") != JWT_BEARER:
            raise self.oauth_fail("unsupported_grant_type", f"Invalid grant_type: {form.get('grant_type', '')}")
        assertion = form.get("assertion", "")
        try:
            header, claims, signing_input, signature = parse_jwt(assertion)
        except (ValueError, UnicodeDecodeError):
            raise self.oauth_fail("invalid_grant", "Invalid JWT: the assertion is not a JWT.")
        if header.get("alg") != "RS256":
            raise self.oauth_fail("invalid_grant", "Invalid JWT: the algorithm must be RS256.")
        email = claims.get("iss")
        keys = self.keys.get(email) if isinstance(email, str) else None
        if keys is None:
            raise self.oauth_fail("invalid_grant", "Invalid grant: account not found")
        candidates = [keys[header["kid"]]] if header.get("kid") in keys else ([] if header.get("kid") else list(keys.values()))
        if not any(verifies(public, signing_input, signature) for public, _ in candidates):
            raise self.oauth_fail("invalid_grant", "Invalid JWT Signature.")
        own = f"http://{req.header('host') or ''}/token"
        if claims.get("aud") not in GOOGLE_TOKEN_URLS | {own}:
            raise self.oauth_fail("invalid_grant", "Invalid JWT: Failed audience check.")
        now = self.clock.now()
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int) or iat > now + 300 or exp <= now or exp - iat > 3600:
            raise self.oauth_fail("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                                                   "reasonable timeframe. Check your iat and exp values in the JWT claim.")
        scopes = str(claims.get("scope") or "").split()
        if not scopes:
            raise self.oauth_fail("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        req.principal = email
        self.fault_point(req)
        return Response(200, self.issue(email, scopes, "service-account"))

    # -- STS ------------------------------------------------------------------
    def sts_token(self, req: Request) -> Response:
        req.action = "sts.token"
        form = self.form(req)
        if form.get("grant_type") != TOKEN_EXCHANGE:
            raise self.oauth_fail("unsupported_grant_type", f"Invalid value for \"grant_type\": {form.get('grant_type', '')}")
        if form.get("requested_token_type") != ACCESS_TOKEN_TYPE:
            raise self.oauth_fail("invalid_request", "Invalid value for \"requested_token_type\".")
        if form.get("subject_token_type") not in (JWT_TOKEN_TYPE, ID_TOKEN_TYPE):
            raise self.oauth_fail("invalid_request", "Invalid value for \"subject_token_type\": OIDC providers take jwt or id_token.")
        pool = self.pools.get(form.get("audience", ""))
        if pool is None:
            raise self.oauth_fail("invalid_target", "The target service indicated by the \"audience\" parameters is invalid.")
        try:
            header, claims, signing_input, signature = parse_jwt(form.get("subject_token", ""))
        except (ValueError, UnicodeDecodeError):
            raise self.oauth_fail("invalid_grant", "Unable to parse the ID Token.")
        issuer_key = self.issuer_keys.get(pool["issuer"])
        if header.get("alg") != "RS256" or not verifies(issuer_key.public_key(), signing_input, signature):
            raise self.oauth_fail("invalid_grant", "Invalid JWT signature.")
        if claims.get("iss") != pool["issuer"]:
            raise self.oauth_fail("invalid_grant", "The issuer in ID Token does not match the expected ones.")
        audiences = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
        if pool["audience"] not in audiences and "https:" + pool["audience"] not in audiences:
            raise self.oauth_fail("invalid_grant", "The audience in ID Token does not match the expected audience.")
        if not isinstance(claims.get("exp"), int) or claims["exp"] <= self.clock.now():
            raise self.oauth_fail("invalid_grant", "ID Token has expired.")
        scopes = form.get("scope", "").split()
        if not scopes:
            raise self.oauth_fail("invalid_scope", "Scope is required.")
        pool_path = pool["audience"].split("/providers/")[0].lstrip("/")
        principal = f"principal://{pool_path}/subject/{claims.get('sub', '')}"
        req.principal = principal
        self.fault_point(req)
        answer = self.issue(principal, scopes, "federated")
        answer["issued_token_type"] = ACCESS_TOKEN_TYPE
        return Response(200, answer)

    def generate_access_token(self, req: Request) -> Response:
        req.action = "iam.generateAccessToken"
        email = unquote(req.path[len("/v1/projects/-/serviceAccounts/"):-len(":generateAccessToken")])
        grant = self.bearer(req)
        if email not in self.accounts:
            raise self.fail(404, "notFound", f"Not found; Gaia id not found for email {email}", "NOT_FOUND")
        allowed = any(grant["principal"].startswith("principal://" + p["audience"].split("/providers/")[0].lstrip("/"))
                      and email in p.get("impersonate", []) for p in self.pools.values())
        if not allowed:
            raise self.fail(403, "forbidden", "Permission 'iam.serviceAccounts.getAccessToken' denied on resource "
                                              "(or it may not exist).", "PERMISSION_DENIED")
        try:
            body = req.json() or {}
        except ValueError:
            raise self.fail(400, "badRequest", "Invalid JSON payload received.", "INVALID_ARGUMENT")
        scopes = body.get("scope") or []
        if not scopes:
            raise self.fail(400, "badRequest", "Scope required.", "INVALID_ARGUMENT")
        self.fault_point(req)
        issued = self.issue(email, list(scopes), "impersonated")
        expire = base.iso8601(self.clock.now() + self.lifetime)
        return Response(200, {"accessToken": issued["access_token"], "expireTime": expire})

    # -- metadata server --------------------------------------------------------
    def metadata_server(self, req: Request) -> Response:
        flavor = {"Metadata-Flavor": "Google"}
        req.action = "metadata.token" if req.path.endswith("/token") else "metadata.get"
        if req.header("metadata-flavor") != "Google" or req.header("x-forwarded-for") is not None:
            raise ApiFailure(Response(403, raw=b"Missing required header: Metadata-Flavor", content_type="text/html",
                                      headers=flavor), "MissingMetadataFlavor")
        account = self.metadata.get("serviceAccount")
        text = lambda body: Response(200, raw=body.encode(), content_type="application/text", headers=flavor)  # noqa: E731
        path = req.path
        if path == "/":
            return text("computeMetadata/\n")
        prefix = "/computeMetadata/v1/"
        rest = path[len(prefix):] if path.startswith(prefix) else None
        if rest == "project/project-id":
            return text(self.metadata.get("projectId", "test-project"))
        if rest == "universe/universe-domain":
            return text("googleapis.com")
        for alias in ("default", account):
            sa = f"instance/service-accounts/{alias}/"
            if rest is None or not account or not rest.startswith(sa):
                continue
            leaf = rest[len(sa):]
            scopes = [s for s in (req.q("scopes") or SCOPE_CLOUD).split(",") if s]
            if leaf == "" and req.q("recursive") == "true":
                return Response(200, {"aliases": ["default"], "email": account, "scopes": scopes}, headers=flavor)
            if leaf == "email":
                return text(account)
            if leaf == "scopes":
                return text("\n".join(scopes) + "\n")
            if leaf == "token":
                req.principal = account
                self.fault_point(req)
                return Response(200, self.issue(account, scopes, "metadata"), headers=flavor)
        raise ApiFailure(Response(404, raw=b"Not Found", content_type="text/html", headers=flavor), "NotFound")

    # -- Cloud DNS --------------------------------------------------------------
    def bearer(self, req: Request) -> Dict[str, Any]:
        value = req.header("authorization") or ""
        if not value.startswith("Bearer ") or not value[7:].strip():
            raise self.fail(401, "required", "Request is missing required authentication credential. Expected OAuth 2 "
                                             "access token, login cookie or other valid authentication credential.",
                            "UNAUTHENTICATED")
        with self.lock:
            grant = self.tokens.get(value[7:].strip())
        if grant is None or grant["expires"] <= self.clock.now():
            raise self.fail(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access "
                                              "token, login cookie or other valid authentication credential.",
                            "UNAUTHENTICATED")
        req.principal = grant["principal"]
        return grant

    def role(self, principal: str, project: str) -> Optional[str]:
        if principal in self.accounts:
            return self.accounts[principal].get("roles", {}).get(project)
        for pool in self.pools.values():
            if principal.startswith("principal://" + pool["audience"].split("/providers/")[0].lstrip("/")):
                return pool.get("roles", {}).get(project)
        return None

    def dns(self, req: Request) -> Response:
        parts = [unquote(p) for p in req.path[len("/dns/v1/"):].split("/")]
        if len(parts) < 3 or parts[0] != "projects" or parts[2] != "managedZones":
            req.action = "unknown"
            raise self.fail(404, "notFound", f"No route for {req.method} {req.path}", "NOT_FOUND")
        project = parts[1]
        zone_name = parts[3] if len(parts) > 3 else None
        tail = parts[4:]
        if zone_name is None:
            req.action = "dns.managedZones.list"
        elif not tail:
            req.action = "dns.managedZones.get"
        elif tail == ["rrsets"]:
            req.action = "dns.resourceRecordSets.list"
        elif tail == ["changes"]:
            req.action = "dns.changes.create" if req.method == "POST" else "dns.changes.list"
        elif len(tail) == 2 and tail[0] == "changes":
            req.action = "dns.changes.get"
        else:
            req.action = "unknown"
            raise self.fail(404, "notFound", f"No route for {req.method} {req.path}", "NOT_FOUND")
        writes = req.action == "dns.changes.create"
        expected_method = "POST" if writes else "GET"
        if req.method != expected_method:
            raise self.fail(405, "methodNotAllowed", f"Method {req.method} is not allowed here", "INVALID_ARGUMENT")
        grant = self.bearer(req)
        allowed_scopes = {SCOPE_RW, SCOPE_CLOUD} if writes else {SCOPE_RW, SCOPE_CLOUD, SCOPE_RO}
        if not allowed_scopes & set(grant["scopes"]):
            raise self.fail(403, "insufficientPermissions", "Request had insufficient authentication scopes.",
                            "PERMISSION_DENIED")
        role = self.role(grant["principal"], project)
        if project not in self.zones or role is None or (writes and role != "admin"):
            raise self.fail(403, "forbidden", "Forbidden", "PERMISSION_DENIED")
        self.fault_point(req)
        with self.lock:
            zones = self.zones[project]
            if zone_name is None:
                return self.list_zones(req, zones)
            zone = zones.get(zone_name)
            if zone is None:
                raise self.fail(404, "notFound", f"The 'parameters.managedZone' resource named '{zone_name}' does not exist.",
                                "NOT_FOUND")
            if not tail:
                return Response(200, zone["zone"])
            if tail == ["rrsets"]:
                return self.list_rrsets(req, zone)
            if req.action == "dns.changes.create":
                return self.create_change(req, zone)
            if req.action == "dns.changes.list":
                return self.page(req, "changes", [self.change_view(c) for c in zone["changes"]], "dns#changesListResponse")
            change = next((c for c in zone["changes"] if c["id"] == tail[1]), None)
            if change is None:
                raise self.fail(404, "notFound", f"The 'parameters.changeId' resource named '{tail[1]}' does not exist.",
                                "NOT_FOUND")
            if change["pendingReads"] > 0:
                change["pendingReads"] -= 1
            return Response(200, self.change_view(change))

    def page(self, req: Request, field: str, items: List[Any], kind: str) -> Response:
        try:
            start = int(req.q("pageToken") or 0)
            size = int(req.q("maxResults") or self.page_size)
        except ValueError:
            raise self.fail(400, "invalid", "Invalid value for pageToken or maxResults", "INVALID_ARGUMENT")
        size = max(1, size)
        body: Dict[str, Any] = {"kind": kind, field: items[start:start + size]}
        if start + size < len(items):
            body["nextPageToken"] = str(start + size)
        return Response(200, body)

    def list_zones(self, req: Request, zones: Dict[str, Any]) -> Response:
        wanted = (req.q("dnsName") or "").lower()
        if wanted and not wanted.endswith("."):
            wanted += "."
        items = [z["zone"] for z in zones.values() if not wanted or z["zone"]["dnsName"] == wanted]
        return self.page(req, "managedZones", items, "dns#managedZonesListResponse")

    def list_rrsets(self, req: Request, zone: Dict[str, Any]) -> Response:
        name = (req.q("name") or "").lower()
        rtype = req.q("type")
        if rtype and not name:
            raise self.fail(400, "invalid", "Invalid value for 'parameters.type': type requires name", "INVALID_ARGUMENT")
        if name and not name.endswith("."):
            name += "."
        items = [dict(s, kind="dns#resourceRecordSet") for (n, t), s in sorted(zone["sets"].items())
                 if (not name or n == name) and (not rtype or t == rtype)]
        return self.page(req, "rrsets", items, "dns#resourceRecordSetsListResponse")

    def change_view(self, change: Dict[str, Any]) -> Dict[str, Any]:
        return {"kind": "dns#change", "id": change["id"], "startTime": change["startTime"],
                "status": "pending" if change["pendingReads"] > 0 else "done",
                "additions": change["additions"], "deletions": change["deletions"]}

    def rrset_of(self, item: Any, where: str, zone: Dict[str, Any]) -> Dict[str, Any]:
        if not isinstance(item, dict):
            raise self.fail(400, "invalid", f"Invalid value for '{where}'", "INVALID_ARGUMENT")
        name, rtype, ttl, rrdatas = item.get("name"), item.get("type"), item.get("ttl"), item.get("rrdatas")
        apex = zone["zone"]["dnsName"]
        if not isinstance(name, str) or not name.endswith(".") or not (name.lower() == apex or name.lower().endswith("." + apex)):
            raise self.fail(400, "invalid", f"Invalid value for '{where}.name': '{name}'", "INVALID_ARGUMENT")
        if not isinstance(rtype, str) or not rtype:
            raise self.fail(400, "required", f"The '{where}.type' parameter is required but was missing.", "INVALID_ARGUMENT")
        if isinstance(ttl, str) and ttl.isdigit():
            ttl = int(ttl)
        if not isinstance(ttl, int) or ttl < 0:
            raise self.fail(400, "invalid", f"Invalid value for '{where}.ttl': '{ttl}'", "INVALID_ARGUMENT")
        if not isinstance(rrdatas, list) or not rrdatas or not all(isinstance(d, str) and d for d in rrdatas):
            raise self.fail(400, "invalid", f"Invalid value for '{where}.rrdatas'", "INVALID_ARGUMENT")
        return {"name": name.lower(), "type": rtype, "ttl": ttl, "rrdatas": list(rrdatas)}

    def create_change(self, req: Request, zone: Dict[str, Any]) -> Response:
        try:
            body = req.json() or {}
        except ValueError:
            raise self.fail(400, "parseError", "Parse Error", "INVALID_ARGUMENT")
        additions = [self.rrset_of(a, f"entity.change.additions[{i}]", zone) for i, a in enumerate(body.get("additions") or [])]
        deletions = [self.rrset_of(d, f"entity.change.deletions[{i}]", zone) for i, d in enumerate(body.get("deletions") or [])]
        if not additions and not deletions:
            raise self.fail(400, "required", "The 'entity.change' parameter is required but was missing.", "INVALID_ARGUMENT")
        sets = dict(zone["sets"])
        for i, deletion in enumerate(deletions):
            key = (deletion["name"], deletion["type"])
            current = sets.get(key)
            if current is None:
                raise self.fail(404, "notFound", f"The 'entity.change.deletions[{i}]' resource named "
                                                 f"'{deletion['name']} ({deletion['type']})' does not exist.", "NOT_FOUND")
            if current["ttl"] != deletion["ttl"] or current["rrdatas"] != deletion["rrdatas"]:
                raise self.fail(412, "conditionNotMet", f"Precondition not met for 'entity.change.deletions[{i}]'",
                                "FAILED_PRECONDITION")
            del sets[key]
        for i, addition in enumerate(additions):
            key = (addition["name"], addition["type"])
            if key in sets:
                raise self.fail(409, "alreadyExists", f"The resource 'entity.change.additions[{i}]' named "
                                                      f"'{addition['name']} ({addition['type']})' already exists",
                                "ALREADY_EXISTS")
            sets[key] = addition
        zone["sets"] = sets
        change = {"id": str(len(zone["changes"]) + 1), "startTime": base.iso8601(self.clock.now(), millis=True),
                  "pendingReads": self.pending_reads, "additions": additions, "deletions": deletions}
        zone["changes"].append(change)
        return Response(200, self.change_view(change))


def main(argv: Optional[List[str]] = None) -> int:
    return base.run(CloudDnsEmulator, DEFAULT_CONFIG, "Google Cloud DNS v1 + token services emulator for tests.", argv)


if __name__ == "__main__":
    sys.exit(main())
