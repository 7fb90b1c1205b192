#!/usr/bin/env python3
"""An emulator of Azure DNS and the identity services in front of it, for the ``azureDNS``
provider's tests: Entra ID's token endpoint, the instance metadata service (IMDS) and the
Azure Resource Manager (ARM) paths of DNS zones and TXT record sets.

Process contract and admin API as in emulator_base.py, plus TLS: with ``--tls-cert F
--tls-key F`` the same emulator also listens with TLS on a second port and the start line is
``{"port": N, "host": "127.0.0.1", "tlsPort": M}``.  azure-identity and MSAL insist on an
https authority, so the official SDKs talk to the TLS port; the plain port serves the admin
API, IMDS (which is plain http in Azure too) and clients that cannot be given a CA.

What is checked, as the real services check it:

* ``POST /{tenant}/oauth2/v2.0/token`` (client credentials grant): the tenant, the
  application, the scope (``<resource>/.default`` of a known resource), and either
  ``client_secret`` or a ``client_assertion`` of type ``jwt-bearer``.  An assertion is a JWT
  signed (RS256) by the emulator's own OIDC issuer key, standing in for the cluster's service
  account issuer (``POST /__admin/oidc/mint`` makes one); its signature, ``iss``, ``sub``,
  ``aud`` (``api://AzureADTokenExchange``) and lifetime must match a federated credential of
  the application.  Errors carry Entra's ``error`` / ``error_description`` / ``error_codes``.
* ``GET /{tenant}/v2.0/.well-known/openid-configuration``: MSAL's tenant discovery.
* ``GET /metadata/identity/oauth2/token``: IMDS.  Only with ``Metadata: true``; the identity
  is chosen by ``client_id``, ``msi_res_id`` / ``mi_res_id`` or ``object_id``, or is the only
  one the VM has.  Numbers in the answer are strings, as IMDS sends them.
* ARM (``/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/dnsZones...``):
  every call needs ``api-version`` and ``Authorization: Bearer`` with a token this emulator
  issued, unexpired, for an ARM audience, whose principal holds a role on the subscription
  (``DNS Zone Contributor`` writes, ``Reader`` only reads).  Record sets keep real state and
  an ETag that changes on every write; ``If-Match`` and ``If-None-Match: *`` are enforced
  (412 ``PreconditionFailed``).  Zone lists page with ``nextLink``.
* Faults (``POST /__admin/faults``): ``throttle`` answers 429 with ``Retry-After`` (ARM's
  ``SubscriptionRequestsThrottled``, or Entra's ``temporarily_unavailable`` at the token
  endpoint), ``error5xx`` answers 500/503.

Extra admin routes (not part of any real API):

* ``POST /__admin/oidc/mint {"subject", "audience"?, "expiresIn"?, "issuer"?}`` →
  ``{"token", "jti"}``: a service-account token from the emulator's OIDC issuer.
* ``POST /__admin/hold {"action": "recordsets.put", "count": 1}``: the next matching ARM
  call waits (after authentication, before touching state) until ``POST /__admin/release``;
  ``GET /__admin/hold`` says how many wait.  Tests use it to interleave two writers.
* ``GET /__admin/issued``: the access tokens and assertions seen, for tests that prove none of
  them reaches a log line.
* ``POST /__admin/seed {"records": [{"zone", "name", "values", "ttl"?}]}``: a foreign writer
  adds TXT values (the set's ETag changes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import ssl
import sys
import threading
import time
import uuid
from http.server import ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, quote, unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from emulator_base import (  # noqa: E402
    ApiFailure, BaseEmulator, Request, Response, iso8601, load_config, make_handler, stop_on_signal_or_stdin_close,
)

TENANT = "72f988bf-0000-4000-8000-00000000aaaa"
SUBSCRIPTION = "11111111-2222-4333-8444-555555555555"
RESOURCE_GROUP = "dns-rg"
FEDERATED_ISSUER = "https://oidc.cluster.emulator.test"
TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

# The resources (audiences) Entra issues ARM tokens for, per cloud; ARM accepts the ones of its
# own cloud, with or without the trailing slash.
ARM_RESOURCES = {
    "public": ["https://management.core.windows.net/", "https://management.azure.com/"],
    "china": ["https://management.core.chinacloudapi.cn", "https://management.chinacloudapi.cn/"],
    "usgov": ["https://management.core.usgovcloudapi.net", "https://management.usgovcloudapi.net/"],
}
API_VERSIONS = {"2018-05-01", "2023-07-01-preview"}

DEFAULT_CONFIG: Dict[str, Any] = {
    "cloud": "public",
    "tenants": [TENANT],
    "subscriptions": [SUBSCRIPTION],
    "resourceGroups": {RESOURCE_GROUP: ["example.com", "sub.example.com", "example.org"]},
    "applications": [
        {"tenant": TENANT, "clientId": "a1a1a1a1-0000-4000-8000-000000000001",
         "clientSecret": "azure-sp-secret~0000000000000000000000001", "role": "DNS Zone Contributor"},
        {"tenant": TENANT, "clientId": "a1a1a1a1-0000-4000-8000-000000000002",
         "clientSecret": "azure-sp-secret~reader~00000000000000002", "role": "Reader"},
        {"tenant": TENANT, "clientId": "a1a1a1a1-0000-4000-8000-0000000000f1", "role": "DNS Zone Contributor",
         "federatedCredentials": [{"issuer": FEDERATED_ISSUER,
                                   "subject": "system:serviceaccount:cert-manager:dns01-webhook",
                                   "audience": TOKEN_EXCHANGE_AUDIENCE}]},
    ],
    "managedIdentities": [
        {"clientId": "m1m1m1m1-0000-4000-8000-000000000001", "role": "DNS Zone Contributor",
         "resourceId": f"/subscriptions/{SUBSCRIPTION}/resourcegroups/identities/providers/"
                       "Microsoft.ManagedIdentity/userAssignedIdentities/dns01-webhook"},
        {"clientId": "m1m1m1m1-0000-4000-8000-000000000002", "role": "Reader",
         "resourceId": f"/subscriptions/{SUBSCRIPTION}/resourcegroups/identities/providers/"
                       "Microsoft.ManagedIdentity/userAssignedIdentities/read-only"},
    ],
    "tokenLifetimeSeconds": 3599,
    "zonesPageSize": 100,
    "records": [],
}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def arm_error(status: int, code: str, message: str, headers: Optional[Dict[str, str]] = None) -> Response:
    return Response(status, {"error": {"code": code, "message": message}}, headers)


def entra_error(status: int, error: str, code: int, description: str) -> Response:
    return Response(status, {
        "error": error, "error_description": f"AADSTS{code}: {description}", "error_codes": [code],
        "timestamp": iso8601(time.time()), "trace_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4()),
        "error_uri": "https://login.microsoftonline.com/error?code=%d" % code})


class OIDCIssuer:
    """The cluster's service-account token issuer: an RSA key that signs projected tokens."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex[:16]

    def mint(self, claims: Dict[str, Any]) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(signature)

    def verify(self, token: str) -> Optional[Dict[str, Any]]:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        parts = token.split(".")
        if len(parts) != 3:
            return None
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            if header.get("alg") != "RS256" or header.get("kid") != self.kid:
                return None
            self.key.public_key().verify(b64url_decode(parts[2]), (parts[0] + "." + parts[1]).encode(),
                                         padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, InvalidSignature, UnicodeDecodeError):
            return None
        return claims if isinstance(claims, dict) else None


class AzureDNSEmulator(BaseEmulator):
    name = "azuredns-emulator"
    default_config = DEFAULT_CONFIG

    # -- configuration and state --------------------------------------------
    def configure(self) -> None:
        c = self.config
        self.cloud = c.get("cloud", "public")
        self.tenants = {t.lower() for t in c.get("tenants", [TENANT])}
        self.subscriptions = {s.lower() for s in c.get("subscriptions", [SUBSCRIPTION])}
        self.applications = {a["clientId"].lower(): a for a in c.get("applications", [])}
        self.identities = list(c.get("managedIdentities", []))
        self.lifetime = int(c.get("tokenLifetimeSeconds", 3599))
        self.page_size = int(c.get("zonesPageSize", 100))
        self.signing_key = secrets.token_bytes(32)
        self.oidc = OIDCIssuer()
        self.issued_tokens: List[str] = []
        self.seen_assertions: List[str] = []
        self.hold_plan: Dict[str, Any] = {"action": None, "count": 0}
        self.holding = 0
        self.release_event = threading.Event()

    def reset_records(self) -> None:
        # zones: (resource group lower, zone lower) -> {"name", "rg", "etag", "sets": {rel: set}}
        self.zones: Dict[Tuple[str, str], Dict[str, Any]] = {}
        for rg, names in self.config.get("resourceGroups", {}).items():
            for zone in names:
                self.zones[(rg.lower(), zone.lower().rstrip("."))] = {
                    "name": zone.lower().rstrip("."), "rg": rg, "etag": str(uuid.uuid4()), "sets": {}}
        for record in self.config.get("records", []):
            self._seed_one(record)

    def on_reset(self) -> None:
        self.issued_tokens = []
        self.seen_assertions = []

    def arm_resources(self) -> List[str]:
        return ARM_RESOURCES[self.cloud]

    # -- fault shapes ---------------------------------------------------------
    def throttle_error(self, req: Request) -> Response:
        if req.action in ("token", "imds"):
            resp = entra_error(429, "temporarily_unavailable", 50196, "The server is temporarily unavailable.")
            resp.headers["Retry-After"] = "1"
            return resp
        return arm_error(429, "SubscriptionRequestsThrottled",
                         "Number of requests for subscription exceeded the limit. Please try again after '1' seconds.",
                         {"Retry-After": "1", "x-ms-ratelimit-remaining-subscription-reads": "0"})

    def server_error(self, req: Request, status: Optional[int]) -> Response:
        status = status or 503
        if req.action in ("token", "imds"):
            return entra_error(status, "temporarily_unavailable", 50196, "The server is temporarily unavailable.")
        return arm_error(status, "InternalServerError" if status == 500 else "ServiceUnavailable",
                         "The server encountered an internal error; please retry the request.")

    def injected_error(self, req: Request, entry: Dict[str, Any]) -> Response:
        return arm_error(int(entry.get("status", 400)), str(entry["code"]), str(entry.get("message", "injected")))

    # -- routing --------------------------------------------------------------
    def api(self, req: Request) -> Response:
        parts = [unquote(p) for p in req.path.strip("/").split("/")]
        lower = [p.lower() for p in parts]
        if req.path.rstrip("/") == "/metadata/identity/oauth2/token":
            return self.imds(req)
        if len(parts) == 4 and lower[1:] == ["oauth2", "v2.0", "token"]:
            return self.token(req, parts[0])
        if len(parts) == 4 and lower[1:] == ["v2.0", ".well-known", "openid-configuration"]:
            req.action = "discovery"
            return self.discovery(req, parts[0])
        if lower[:1] == ["subscriptions"]:
            return self.arm(req, parts, lower)
        return arm_error(404, "NotFound", f"no route {req.method} {req.path}")

    def base_url(self, req: Request) -> str:
        scheme = req.header("x-emulator-scheme", "http")
        return f"{scheme}://{req.header('host', '127.0.0.1')}"

    # -- Entra ID -------------------------------------------------------------
    def discovery(self, req: Request, tenant: str) -> Response:
        if tenant.lower() not in self.tenants and tenant.lower() not in ("organizations", "common"):
            return entra_error(400, "invalid_tenant", 90002, f"Tenant '{tenant}' not found.")
        base = f"{self.base_url(req)}/{tenant}"
        return Response(200, {
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "issuer": f"{base}/v2.0", "jwks_uri": f"{base}/discovery/v2.0/keys",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "tenant_region_scope": "WW"})

    def token(self, req: Request, tenant: str) -> Response:
        req.action = "token"
        if req.method != "POST":
            return entra_error(405, "invalid_request", 900561, "The endpoint only accepts POST requests.")
        if tenant.lower() not in self.tenants:
            return entra_error(400, "invalid_request", 90002, f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID.")
        form = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
        if form.get("grant_type") != "client_credentials":
            return entra_error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        scope = form.get("scope", "")
        if not scope.endswith("/.default"):
            return entra_error(400, "invalid_scope", 1002012, f"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
        resource = scope[: -len("/.default")]
        if resource not in self.known_resources():
            return entra_error(400, "invalid_resource", 500011, f"The resource principal named {resource} was not found in the tenant named {tenant}.")
        client_id = form.get("client_id", "")
        app = self.applications.get(client_id.lower())
        if not client_id or app is None or app.get("tenant", TENANT).lower() != tenant.lower():
            return entra_error(400, "unauthorized_client", 700016, f"Application with identifier '{client_id}' was not found in the directory '{tenant}'.")
        req.principal = client_id
        self.fault_point(req)
        if "client_secret" in form:
            req.note["credential"] = "secret"
            if not app.get("clientSecret") or not hmac.compare_digest(form["client_secret"], app["clientSecret"]):
                return entra_error(401, "invalid_client", 7000215, f"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'.")
        elif "client_assertion" in form:
            req.note["credential"] = "assertion"
            failure = self.check_assertion(req, app, form)
            if failure is not None:
                return failure
        else:
            return entra_error(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
        token = self.issue(principal=client_id, tenant=tenant.lower(), role=app.get("role"), resource=resource)
        return Response(200, {"token_type": "Bearer", "expires_in": self.lifetime, "ext_expires_in": self.lifetime,
                              "access_token": token})

    def known_resources(self) -> List[str]:
        return [r for rs in ARM_RESOURCES.values() for r in rs] + [r.rstrip("/") for rs in ARM_RESOURCES.values() for r in rs]

    def check_assertion(self, req: Request, app: Dict[str, Any], form: Dict[str, str]) -> Optional[Response]:
        if form.get("client_assertion_type") != JWT_BEARER:
            return entra_error(400, "invalid_request", 700023, "Invalid client assertion type.")
        assertion = form["client_assertion"]
        with self.lock:
            self.seen_assertions.append(assertion)
        claims = self.oidc.verify(assertion)
        if claims is None:
            return entra_error(401, "invalid_client", 50027, "JWT token is invalid or malformed.")
        req.note["assertionJti"] = claims.get("jti")
        now = self.clock.now()
        if not (claims.get("nbf", 0) - 300 <= now < claims.get("exp", 0)):
            return entra_error(400, "invalid_client", 700024, "Client assertion is not within its valid time range.")
        federated = app.get("federatedCredentials", [])
        if not any(f["issuer"] == claims.get("iss") for f in federated):
            return entra_error(400, "invalid_request", 700211, f"No matching federated identity record found for presented assertion issuer '{claims.get('iss')}'.")
        if not any(f["issuer"] == claims.get("iss") and f["subject"] == claims.get("sub") for f in federated):
            return entra_error(400, "invalid_request", 700213, f"No matching federated identity record found for presented assertion subject '{claims.get('sub')}'.")
        audiences = claims.get("aud")
        audiences = audiences if isinstance(audiences, list) else [audiences]
        if not any(f["audience"] in audiences for f in federated):
            return entra_error(400, "invalid_request", 700212, "No matching federated identity record found for presented assertion audience.")
        return None

    def issue(self, principal: str, tenant: str, role: Optional[str], resource: str) -> str:
        now = int(self.clock.now())
        claims = {"aud": resource, "iss": f"https://sts.windows.net/{tenant}/", "iat": now, "nbf": now,
                  "exp": now + self.lifetime, "oid": principal, "appid": principal, "tid": tenant,
                  "roles": [role] if role else [], "uti": uuid.uuid4().hex}
        signing_input = b64url(b'{"typ":"JWT","alg":"HS256"}') + "." + b64url(json.dumps(claims).encode())
        token = signing_input + "." + b64url(hmac.new(self.signing_key, signing_input.encode(), hashlib.sha256).digest())
        with self.lock:
            self.issued_tokens.append(token)
        return token

    # -- IMDS -----------------------------------------------------------------
    def imds(self, req: Request) -> Response:
        req.action = "imds"
        if req.method != "GET":
            return Response(405, {"error": "invalid_request", "error_description": "Method not allowed"})
        if (req.header("metadata") or "").lower() != "true":
            return Response(400, {"error": "invalid_request", "error_description": "Required metadata header not specified"})
        if req.header("x-forwarded-for") is not None:
            return Response(400, {"error": "invalid_request", "error_description": "Request contains X-Forwarded-For header"})
        if not req.q("api-version"):
            return Response(400, {"error": "invalid_request", "error_description": "Required query variable 'api-version' is missing"})
        resource = req.q("resource") or ""
        if resource not in self.known_resources():
            return Response(400, {"error": "invalid_resource", "error_description": f"AADSTS500011: The resource principal named {resource} was not found in the tenant."})
        client_id, res_id, object_id = req.q("client_id"), req.q("msi_res_id") or req.q("mi_res_id"), req.q("object_id")
        if client_id:
            matches = [i for i in self.identities if i["clientId"].lower() == client_id.lower()]
        elif res_id:
            matches = [i for i in self.identities if i.get("resourceId", "").lower() == res_id.lower()]
        elif object_id:
            matches = [i for i in self.identities if i.get("objectId", i["clientId"]).lower() == object_id.lower()]
        elif len(self.identities) == 1:
            matches = list(self.identities)
        else:
            return Response(400, {"error": "invalid_request", "error_description": "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"})
        if not matches:
            return Response(400, {"error": "invalid_request", "error_description": "Identity not found"})
        identity = matches[0]
        req.principal = identity["clientId"]
        self.fault_point(req)
        token = self.issue(principal=identity["clientId"], tenant=TENANT, role=identity.get("role"), resource=resource)
        now = int(self.clock.now())
        return Response(200, {"access_token": token, "client_id": identity["clientId"],
                              "expires_in": str(self.lifetime), "expires_on": str(now + self.lifetime),
                              "ext_expires_in": str(self.lifetime), "not_before": str(now),
                              "resource": resource, "token_type": "Bearer"})

    # -- ARM ------------------------------------------------------------------
    def authenticate(self, req: Request) -> Dict[str, Any]:
        header = req.header("authorization")
        invalid = {"WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."'}
        if not header:
            raise ApiFailure(arm_error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", invalid), "AuthenticationFailed")
        scheme, _, token = header.partition(" ")
        parts = token.strip().split(".")
        if scheme.lower() != "bearer" or len(parts) != 3:
            raise ApiFailure(arm_error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is not in the Bearer format.", invalid), "AuthenticationFailed")
        expected = b64url(hmac.new(self.signing_key, (parts[0] + "." + parts[1]).encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(expected, parts[2]):
            raise ApiFailure(arm_error(401, "InvalidAuthenticationToken", "The access token is invalid.", invalid), "InvalidAuthenticationToken")
        claims = json.loads(b64url_decode(parts[1]))
        now = self.clock.now()
        if claims["exp"] <= now:
            raise ApiFailure(arm_error(401, "ExpiredAuthenticationToken", f"The access token expiry UTC time '{iso8601(claims['exp'])}' is earlier than current UTC time '{iso8601(now)}'.", invalid), "ExpiredAuthenticationToken")
        allowed = self.arm_resources() + [r.rstrip("/") for r in self.arm_resources()]
        if claims["aud"] not in allowed:
            raise ApiFailure(arm_error(401, "InvalidAuthenticationTokenAudience", f"The access token has been obtained for wrong audience or resource '{claims['aud']}'. It should exactly match with one of the allowed audiences {', '.join(repr(a) for a in allowed)}.", invalid), "InvalidAuthenticationTokenAudience")
        req.principal = claims["oid"]
        return claims

    def arm(self, req: Request, parts: List[str], lower: List[str]) -> Response:
        # /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/dnsZones[/{zone}[/TXT[/{rel}]]]
        if len(lower) < 6 or lower[2] != "resourcegroups" or lower[4:6] != ["providers", "microsoft.network"] \
                or len(lower) < 7 or lower[6] != "dnszones":
            self.authenticate(req)
            return arm_error(404, "InvalidResourceType", f"The resource type could not be found in the namespace for path {req.path}.")
        sub, rg = lower[1], parts[3]
        zone = lower[7].rstrip(".") if len(lower) > 7 else None
        rtype = parts[8] if len(parts) > 8 else None
        rel = parts[9] if len(parts) > 9 else None
        if zone is None:
            req.action = "zones.list"
        elif rtype is None:
            req.action = "zones.get"
        elif rel is None:
            req.action = "recordsets.list"
        else:
            req.action = {"GET": "recordsets.get", "PUT": "recordsets.put", "DELETE": "recordsets.delete",
                          "PATCH": "recordsets.patch"}.get(req.method, "recordsets." + req.method.lower())
        claims = self.authenticate(req)
        version = req.q("api-version")
        if not version:
            return arm_error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
        if version not in API_VERSIONS:
            return arm_error(400, "InvalidApiVersionParameter", f"The api-version '{version}' is invalid. The supported versions are '{','.join(sorted(API_VERSIONS))}'.")
        if sub not in self.subscriptions:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{parts[1]}' could not be found.")
        writing = req.method in ("PUT", "DELETE", "PATCH")
        role = (claims.get("roles") or [None])[0]
        if role not in ("DNS Zone Contributor", "Contributor", "Owner") and (writing or role != "Reader"):
            what = "Microsoft.Network/dnszones/TXT/write" if writing else "Microsoft.Network/dnszones/read"
            return arm_error(403, "AuthorizationFailed", f"The client '{claims['oid']}' with object id '{claims['oid']}' does not have authorization to perform action '{what}' over scope '/subscriptions/{parts[1]}/resourceGroups/{rg}' or the scope is invalid. If access was recently granted, please refresh your credentials.")
        self.fault_point(req)
        self.wait_if_held(req)
        with self.lock:
            if not any(key[0] == rg.lower() for key in self.zones) and rg.lower() not in {k.lower() for k in self.config.get("resourceGroups", {})}:
                return arm_error(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
            if zone is None:
                return self.list_zones(req, sub, rg)
            entry = self.zones.get((rg.lower(), zone))
            if entry is None:
                return arm_error(404, "ResourceNotFound", f"The Resource 'Microsoft.Network/dnszones/{zone}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")
            if rtype is None:
                return Response(200, self.zone_json(sub, entry)) if req.method == "GET" else arm_error(405, "MethodNotAllowed", "zone writes are not modelled")
            if rtype.upper() != "TXT":
                return arm_error(400, "BadRequest", f"Record type '{rtype}' is not modelled by this emulator; only TXT is.")
            if rel is None:
                sets = [self.set_json(sub, entry, name) for name in sorted(entry["sets"])]
                return Response(200, {"value": sets})
            return self.record_set(req, sub, entry, rel.lower())

    def wait_if_held(self, req: Request) -> None:
        with self.lock:
            if self.hold_plan["count"] <= 0 or self.hold_plan["action"] != req.action:
                return
            self.hold_plan["count"] -= 1
            self.holding += 1
            event = self.release_event
        event.wait(timeout=30)
        with self.lock:
            self.holding -= 1

    def list_zones(self, req: Request, sub: str, rg: str) -> Response:
        names = sorted((v for k, v in self.zones.items() if k[0] == rg.lower()), key=lambda e: e["name"])
        top = min(int(req.q("$top") or self.page_size), self.page_size)
        skip = int(req.q("$skipToken") or 0)
        page = names[skip: skip + top]
        body: Dict[str, Any] = {"value": [self.zone_json(sub, e) for e in page]}
        if skip + top < len(names):
            body["nextLink"] = (f"{self.base_url(req)}/subscriptions/{sub}/resourceGroups/{quote(rg)}/providers/"
                                f"Microsoft.Network/dnszones?api-version={req.q('api-version')}&$top={top}&$skipToken={skip + top}")
        return Response(200, body)

    def zone_json(self, sub: str, entry: Dict[str, Any]) -> Dict[str, Any]:
        return {"id": f"/subscriptions/{sub}/resourceGroups/{entry['rg']}/providers/Microsoft.Network/dnszones/{entry['name']}",
                "name": entry["name"], "type": "Microsoft.Network/dnszones", "etag": entry["etag"], "location": "global",
                "tags": {}, "properties": {"maxNumberOfRecordSets": 10000, "numberOfRecordSets": 2 + len(entry["sets"]),
                                           "nameServers": ["ns1-01.azure-dns.com.", "ns2-01.azure-dns.net."],
                                           "zoneType": "Public"}}

    def set_json(self, sub: str, entry: Dict[str, Any], rel: str) -> Dict[str, Any]:
        record = entry["sets"][rel]
        fqdn = (entry["name"] if rel == "@" else f"{rel}.{entry['name']}") + "."
        return {"id": f"/subscriptions/{sub}/resourceGroups/{entry['rg']}/providers/Microsoft.Network/dnszones/{entry['name']}/TXT/{rel}",
                "name": rel, "type": "Microsoft.Network/dnszones/TXT", "etag": record["etag"],
                "properties": {"metadata": record.get("metadata") or {}, "TTL": record["ttl"], "fqdn": fqdn,
                               "provisioningState": "Succeeded", "targetResource": {},
                               "TXTRecords": [{"value": list(v)} for v in record["values"]]}}

    def record_set(self, req: Request, sub: str, entry: Dict[str, Any], rel: str) -> Response:
        current = entry["sets"].get(rel)
        if_match = (req.header("if-match") or "").strip().strip('"') or None
        if_none = (req.header("if-none-match") or "").strip() or None
        not_found = arm_error(404, "NotFound", f"The resource record '{rel}' does not exist in resource group '{entry['rg']}' of subscription '{sub}'.")
        if if_match is not None and (current is None or (if_match != "*" and if_match != current["etag"])):
            shown = current["etag"] if current else "none"
            return arm_error(412, "PreconditionFailed", f"The condition '{if_match}' in the If-Match header was not satisfied. The current was '{shown}'.")
        if req.method == "GET":
            return Response(200, self.set_json(sub, entry, rel)) if current else not_found
        if req.method == "DELETE":
            if current is None:
                return Response(204)
            del entry["sets"][rel]
            return Response(200)
        if req.method != "PUT":
            return arm_error(405, "MethodNotAllowed", f"{req.method} is not modelled")
        if if_none is not None:
            if if_none != "*":
                return arm_error(400, "BadRequest", "If-None-Match supports only '*'.")
            if current is not None:
                return arm_error(412, "PreconditionFailed", f"The condition '*' in the If-None-Match header was not satisfied. The current was '{current['etag']}'.")
        try:
            body = req.json() or {}
        except (ValueError, UnicodeDecodeError):
            return arm_error(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.")
        props = body.get("properties") if isinstance(body, dict) else None
        if not isinstance(props, dict):
            return arm_error(400, "BadRequest", "The record set must have 'properties'.")
        if "txtRecords" in props or "ttl" in props:
            return arm_error(400, "BadRequest", "Public DNS zones spell the properties 'TTL' and 'TXTRecords'.")
        ttl = props.get("TTL", 3600)
        if not isinstance(ttl, int) or not 0 <= ttl <= 2147483647:
            return arm_error(400, "BadRequest", "The value for the record TTL is not valid.")
        values: List[List[str]] = []
        for record in props.get("TXTRecords") or []:
            value = record.get("value") if isinstance(record, dict) else None
            if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
                return arm_error(400, "BadRequest", "Each TXT record must have a non-empty 'value' list of strings.")
            if any(len(s) > 1024 for s in value) or sum(len(s) for s in value) > 4096:
                return arm_error(400, "BadRequest", "A TXT record value string may be at most 1024 characters, a record 4096.")
            values.append(value)
        created = current is None
        entry["sets"][rel] = {"ttl": ttl, "values": values, "etag": str(uuid.uuid4()),
                              "metadata": props.get("metadata") or {}}
        resp = Response(201 if created else 200, self.set_json(sub, entry, rel))
        resp.headers["ETag"] = entry["sets"][rel]["etag"]
        return resp

    # -- admin ----------------------------------------------------------------
    def _seed_one(self, record: Dict[str, Any]) -> Dict[str, Any]:
        zone_name = record["zone"].lower().rstrip(".")
        matches = [e for (g, z), e in self.zones.items() if z == zone_name]
        if not matches:
            raise ValueError(f"no zone {zone_name}")
        entry = matches[0]
        name = record["name"].lower().rstrip(".")
        rel = "@" if name in ("@", zone_name) else (name[: -len(zone_name) - 1] if name.endswith("." + zone_name) else name)
        existing = entry["sets"].setdefault(rel, {"ttl": int(record.get("ttl", 300)), "values": [], "etag": "", "metadata": {}})
        for value in record.get("values", []):
            existing["values"].append([value] if isinstance(value, str) else list(value))
        existing["etag"] = str(uuid.uuid4())
        return {"zone": zone_name, "name": rel, "etag": existing["etag"]}

    def seed(self, data: Dict[str, Any]) -> Any:
        return [self._seed_one(r) for r in data.get("records", [])]

    def state_records(self) -> Any:
        out = []
        for _, entry in sorted(self.zones.items()):
            for rel, record in sorted(entry["sets"].items()):
                fqdn = entry["name"] if rel == "@" else f"{rel}.{entry['name']}"
                out.append({"zone": entry["name"], "name": rel, "fqdn": fqdn, "ttl": record["ttl"], "etag": record["etag"],
                            "values": ["".join(v) for v in record["values"]], "records": record["values"]})
        return out

    def state_extra(self) -> Dict[str, Any]:
        return {"holding": self.holding}

    def admin_extra(self, req: Request, data: Dict[str, Any]) -> Optional[Response]:
        route = (req.method, req.path.rstrip("/"))
        if route == ("POST", "/__admin/oidc/mint"):
            now = int(self.clock.now())
            jti = uuid.uuid4().hex
            claims = {"iss": data.get("issuer", FEDERATED_ISSUER), "sub": data["subject"],
                      "aud": [data.get("audience", TOKEN_EXCHANGE_AUDIENCE)], "iat": now, "nbf": now,
                      "exp": now + int(data.get("expiresIn", 3600)), "jti": jti,
                      "kubernetes.io": {"namespace": "cert-manager", "serviceaccount": {"name": "dns01-webhook"}}}
            return Response(200, {"token": self.oidc.mint(claims), "jti": jti})
        if route == ("POST", "/__admin/hold"):
            self.release_event = threading.Event()
            self.hold_plan = {"action": data.get("action", "recordsets.put"), "count": int(data.get("count", 1))}
            return Response(200, {"hold": self.hold_plan})
        if route == ("GET", "/__admin/hold"):
            return Response(200, {"hold": self.hold_plan, "holding": self.holding})
        if route == ("POST", "/__admin/release"):
            self.hold_plan = {"action": None, "count": 0}
            self.release_event.set()
            return Response(200, {"released": True})
        if route == ("GET", "/__admin/issued"):
            return Response(200, {"accessTokens": list(self.issued_tokens), "assertions": list(self.seen_assertions)})
        return None


class SchemeTagged:
    """Hands requests to the emulator with the scheme they arrived on (for absolute links)."""

    def __init__(self, emulator: AzureDNSEmulator, scheme: str) -> None:
        self.emulator = emulator
        self.scheme = scheme
        self.name = emulator.name

    def handle(self, method: str, target: str, headers: Dict[str, str], body: bytes,
               client_ip: str = "127.0.0.1") -> Response:
        headers = {k: v for k, v in headers.items() if k != "x-emulator-scheme"}
        headers["x-emulator-scheme"] = self.scheme
        return self.emulator.handle(method, target, headers, body, client_ip)


class TLSServer(ThreadingHTTPServer):
    """Completes each TLS handshake in the connection's own thread."""

    context: ssl.SSLContext

    def finish_request(self, request, client_address):  # type: ignore[override]
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass


def main(argv: Optional[List[str]] = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(description="Azure DNS + Entra ID + IMDS emulator for the azureDNS provider's tests")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--config")
    parser.add_argument("--tls-cert", help="PEM certificate (chain) for the TLS port")
    parser.add_argument("--tls-key", help="its PEM private key")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--no-stdin-watch", action="store_true")
    args = parser.parse_args(argv)
    if args.host != "localhost" and not args.host.startswith("127."):
        parser.error("the emulator is a test peer: bind it to a loopback address only")
    emulator = AzureDNSEmulator(load_config(args.config, DEFAULT_CONFIG))
    servers = [ThreadingHTTPServer((args.host, args.port), make_handler(SchemeTagged(emulator, "http"), args.verbose))]  # type: ignore[arg-type]
    emulator.port = servers[0].server_address[1]
    announcement: Dict[str, Any] = {"port": emulator.port, "host": args.host}
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(args.tls_cert, args.tls_key)
        tls = TLSServer((args.host, 0), make_handler(SchemeTagged(emulator, "https"), args.verbose))  # type: ignore[arg-type]
        tls.context = context
        servers.append(tls)
        announcement["tlsPort"] = tls.server_address[1]
    for server in servers:
        server.daemon_threads = True

    stopping = threading.Event()

    def stop(*_: Any) -> None:
        stopping.set()

    stop_on_signal_or_stdin_close(stop, watch_stdin=not args.no_stdin_watch)
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    sys.stdout.write(json.dumps(announcement) + "\n")
    sys.stdout.flush()
    while not stopping.wait(0.2):
        pass
    emulator.release_event.set()
    for server in servers:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
