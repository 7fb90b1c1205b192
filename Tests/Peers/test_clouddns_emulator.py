"""Proves clouddns_emulator.py honest with Google's OFFICIAL Python libraries
(``google-auth`` for every token flow, ``google-cloud-dns`` for the API)
pointed at it, plus raw HTTP where the libraries cannot express a request
(tampered assertions, missing headers, cert-manager's exact change bodies);
then reads back what the Swift provider (the built ``dns01-webhook present``)
wrote, and races the SDK against the Swift provider on one record set.

Run: python3 -m pytest -q -p no:cacheprovider Tests/Peers/test_clouddns_emulator.py
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import google.auth.transport.requests  # noqa: E402
from google.api_core import exceptions as api_exceptions  # noqa: E402
from google.api_core.client_options import ClientOptions  # noqa: E402
from google.auth import compute_engine, exceptions as auth_exceptions, identity_pool  # noqa: E402
from google.cloud import dns  # noqa: E402
from google.oauth2 import service_account  # noqa: E402

import emulator_testlib as lib  # noqa: E402

SCRIPT = "clouddns_emulator.py"
SA = "dns01-solver@test-project.iam.gserviceaccount.com"
READER = "dns-reader@test-project.iam.gserviceaccount.com"
POOL = "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/kube/providers/cluster"
SCOPES = ["https://www.googleapis.com/auth/ndev.clouddns.readwrite"]
FQDN = "_acme-challenge.www.example.com."
REPO = HERE.parent.parent
WEBHOOK = Path(os.environ.get("DNS01_WEBHOOK", REPO / ".build" / "debug" / "dns01-webhook"))


@pytest.fixture(scope="module")
def server():
    running = lib.start(SCRIPT)
    yield running
    assert lib.stop(running) == 0


@pytest.fixture(autouse=True)
def no_regional_access_boundary_lookup(monkeypatch):
    """google-auth looks up a credential's "regional access boundary" at
    iamcredentials.googleapis.com after a refresh (in a background thread).  The
    tests reach no host but the emulator: that lookup is switched off."""
    from google.auth import _regional_access_boundary_utils as rab
    monkeypatch.setattr(rab._RegionalAccessBoundaryManager, "maybe_start_refresh", lambda self, credentials, request: None)
    yield


@pytest.fixture(autouse=True)
def fresh(request):
    if "server" in request.fixturenames:
        request.getfixturevalue("server").reset()
    yield


def http_request():
    return google.auth.transport.requests.Request()


def key_info(server, email=SA):
    status, _, body = server.http("GET", "/__admin/key?email=" + email)
    assert status == 200, body
    return json.loads(body)


def sa_credentials(server, email=SA):
    return service_account.Credentials.from_service_account_info(key_info(server, email), scopes=SCOPES)


def client(server, credentials=None, project="test-project"):
    return dns.Client(project=project, credentials=credentials or sa_credentials(server),
                      client_options=ClientOptions(api_endpoint=server.base))


def subject_token(server, **claims):
    status, _, body = server.http("POST", "/__admin/subject-token", json.dumps(claims).encode(),
                                  {"Content-Type": "application/json"})
    assert status == 200, body
    return json.loads(body)["token"]


def txt(server, name=FQDN, zone="example-com"):
    for record in server.state(log=False)["records"]:
        if record["zone"] == zone and record["name"] == name and record["type"] == "TXT":
            return record
    return None


def raw_dns(server, method, path, token, body=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    status, hdrs, data = server.http(method, "/dns/v1/projects/test-project" + path,
                                     json.dumps(body).encode() if body is not None else None, headers)
    return status, {k.lower(): v for k, v in hdrs.items()}, (json.loads(data) if data else None)


def test_process_rules():
    lib.check_process_rules(SCRIPT)


# -- tokens, by each flow ------------------------------------------------------

def test_service_account_key_gets_a_token_and_the_assertion_is_verified(server):
    credentials = sa_credentials(server)
    credentials.refresh(http_request())
    assert credentials.token.startswith("ya29.") and credentials.valid
    assert server.state(log=False)["issuedTokens"] == {SA: 1}
    # A signature by another key of the same account is refused, as Google refuses it.
    other = lib.start(SCRIPT)
    try:
        foreign = key_info(other)
    finally:
        lib.stop(other)
    foreign["token_uri"] = server.base + "/token"
    forged = service_account.Credentials.from_service_account_info(foreign, scopes=SCOPES)
    with pytest.raises(auth_exceptions.RefreshError) as err:
        forged.refresh(http_request())
    assert "invalid_grant" in str(err.value) and "Invalid JWT Signature." in str(err.value)


def test_token_endpoint_checks_audience_times_and_grant(server):
    info = key_info(server)
    signer = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)._signer
    from google.auth import jwt as gjwt
    now = int(time.time())

    def post(claims, grant="urn:ietf:params:oauth:grant-type:jwt-bearer"):
        assertion = gjwt.encode(signer, claims).decode()
        form = f"grant_type={grant}&assertion={assertion}".encode()
        status, _, body = server.http("POST", "/token", form, {"Content-Type": "application/x-www-form-urlencoded"})
        return status, json.loads(body)

    base = {"iss": SA, "scope": SCOPES[0], "aud": "https://oauth2.googleapis.com/token", "iat": now, "exp": now + 3600}
    assert post(base)[0] == 200
    assert post(dict(base, aud=server.base + "/token"))[0] == 200  # its own URL, as Go's client sends it
    assert post(dict(base, aud="https://example.com/token")) == (400, {"error": "invalid_grant", "error_description": "Invalid JWT: Failed audience check."})
    assert post(dict(base, exp=now + 7200))[1]["error_description"].startswith("Invalid JWT: Token must be a short-lived token")
    assert post(dict(base, iat=now - 7200, exp=now - 3600))[0] == 400
    assert post(dict(base, iss="nobody@test-project.iam.gserviceaccount.com"))[1]["error_description"] == "Invalid grant: account not found"
    assert post(base, grant="client_credentials")[1]["error"] == "unsupported_grant_type"


def test_metadata_server_flow_with_google_auth(server, monkeypatch):
    # google-auth reads GCE_METADATA_HOST once, when it is imported: set what it read.
    from google.auth.compute_engine import _metadata
    monkeypatch.setattr(_metadata, "_GCE_METADATA_HOST", f"127.0.0.1:{server.port}")
    credentials = compute_engine.Credentials(scopes=SCOPES)
    credentials.refresh(http_request())
    assert credentials.valid and credentials.service_account_email == SA
    assert [z.name for z in client(server, credentials).list_zones()][:1] == ["example-com"]
    # Without the header the server refuses, and it always answers with it.
    status, headers, body = server.http("GET", "/computeMetadata/v1/instance/service-accounts/default/token")
    assert status == 403 and headers.get("Metadata-Flavor") == "Google"
    status, headers, _ = server.http("GET", "/computeMetadata/v1/instance/service-accounts/default/token",
                                     headers={"Metadata-Flavor": "Google", "X-Forwarded-For": "10.0.0.1"})
    assert status == 403
    status, headers, body = server.http("GET", "/computeMetadata/v1/instance/service-accounts/default/token?scopes=" + SCOPES[0],
                                        headers={"Metadata-Flavor": "Google"})
    assert status == 200 and headers.get("Metadata-Flavor") == "Google" and json.loads(body)["token_type"] == "Bearer"


def external_account_info(server, token_file, impersonate=None, token_type="jwt"):
    info = {"type": "external_account", "audience": POOL, "subject_token_type": "urn:ietf:params:oauth:token-type:" + token_type,
            "token_url": server.base + "/v1/token", "credential_source": {"file": str(token_file)}}
    if impersonate:
        info["service_account_impersonation_url"] = (
            f"{server.base}/v1/projects/-/serviceAccounts/{impersonate}:generateAccessToken")
    return info


def test_workload_identity_federation_with_google_auth(server, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(subject_token(server, sub="system:serviceaccount:cert-manager:dns01-webhook"))
    credentials = identity_pool.Credentials.from_info(external_account_info(server, token_file), scopes=SCOPES)
    credentials.refresh(http_request())
    principal = ("principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/kube/"
                 "subject/system:serviceaccount:cert-manager:dns01-webhook")
    assert server.state(log=False)["issuedTokens"] == {principal: 1}
    assert [z.name for z in client(server, credentials).list_zones()][:1] == ["example-com"]
    # The STS checks the subject token: expired, from another issuer, or not a JWT.
    for bad in (subject_token(server, expiresIn=-5), subject_token(server, issuer="https://evil.example"), "not-a-jwt",
                subject_token(server, tokenAudience="https://iam.googleapis.com/projects/1/other")):
        token_file.write_text(bad)
        stale = identity_pool.Credentials.from_info(external_account_info(server, token_file), scopes=SCOPES)
        with pytest.raises((auth_exceptions.RefreshError, auth_exceptions.OAuthError)) as err:
            stale.refresh(http_request())
        assert "invalid_grant" in str(err.value)


def test_workload_identity_federation_with_impersonation(server, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(subject_token(server))
    # An OIDC provider takes the token as an id_token too.
    credentials = identity_pool.Credentials.from_info(external_account_info(server, token_file, impersonate=SA, token_type="id_token"),
                                                      scopes=SCOPES)
    credentials.refresh(http_request())
    assert server.state(log=False)["issuedTokens"][SA] == 1
    zone = client(server, credentials).zone("example-com", "example.com.")
    changes = zone.changes()
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"impersonated"']))
    changes.create()
    assert txt(server)["rrdatas"] == ['"impersonated"']
    # A service account the pool may not impersonate.
    refused = identity_pool.Credentials.from_info(external_account_info(server, token_file, impersonate=READER), scopes=SCOPES)
    with pytest.raises((auth_exceptions.RefreshError, auth_exceptions.OAuthError)):
        refused.refresh(http_request())


# -- Cloud DNS with google-cloud-dns ------------------------------------------

def test_list_zones_pages_and_shows_public_and_private(server):
    zones = list(client(server).list_zones())
    assert [(z.name, z.dns_name) for z in zones] == [
        ("example-com", "example.com."), ("example-com-private", "example.com."),
        ("sub-example-com", "sub.example.com."), ("example-org", "example.org.")]
    assert server.state(log=False)["counts"]["dns.managedZones.list"] == 2  # two pages of two
    status, _, body = raw_dns(server, "GET", "/managedZones", sa_token(server))
    assert [z["visibility"] for z in body["managedZones"]] == ["public", "private"] and body["nextPageToken"] == "2"


def sa_token(server, email=SA):
    credentials = sa_credentials(server, email)
    credentials.refresh(http_request())
    return credentials.token


def test_change_records_add_and_delete_with_the_sdk(server):
    zone = client(server).zone("example-com", "example.com.")
    changes = zone.changes()
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"v1"']))
    changes.create()
    assert changes.status == "done" and changes.name == "1"
    record = [r for r in zone.list_resource_record_sets() if r.record_type == "TXT"][0]
    assert (record.name, record.ttl, record.rrdatas) == (FQDN, 60, ['"v1"'])
    # cert-manager's add: delete the set as it is, add it with one value more.
    changes = zone.changes()
    changes.delete_record_set(record)
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"v1"', '"v2"']))
    changes.create()
    assert txt(server)["rrdatas"] == ['"v1"', '"v2"']
    changes = zone.changes()
    changes.delete_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"v1"', '"v2"']))
    changes.create()
    assert txt(server) is None
    assert [c.name for c in zone.list_changes()] == ["1", "2", "3"]


def test_deletions_must_match_exactly_and_additions_must_be_new(server):
    zone = client(server).zone("example-com", "example.com.")
    changes = zone.changes()
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"a"', '"b"']))
    changes.create()
    for stale in (['"a"'], ['"b"', '"a"']):
        changes = zone.changes()
        changes.delete_record_set(zone.resource_record_set(FQDN, "TXT", 60, stale))
        with pytest.raises(api_exceptions.PreconditionFailed) as err:
            changes.create()
        assert "Precondition not met for 'entity.change.deletions[0]'" in str(err.value)
    changes = zone.changes()
    changes.delete_record_set(zone.resource_record_set(FQDN, "TXT", 300, ['"a"', '"b"']))  # wrong TTL
    with pytest.raises(api_exceptions.PreconditionFailed):
        changes.create()
    changes = zone.changes()
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"c"']))
    with pytest.raises(api_exceptions.Conflict) as err:
        changes.create()
    assert "already exists" in str(err.value)
    changes = zone.changes()
    changes.delete_record_set(zone.resource_record_set("_acme-challenge.none.example.com.", "TXT", 60, ['"x"']))
    with pytest.raises(api_exceptions.NotFound):
        changes.create()
    assert txt(server)["rrdatas"] == ['"a"', '"b"']  # nothing of the failed changes applied


def test_pending_changes_turn_done_when_read(tmp_path):
    import clouddns_emulator as emulator
    running = lib.start(SCRIPT, tmp_path, dict(emulator.DEFAULT_CONFIG, pendingReads=2))
    try:
        zone = client(running).zone("example-com", "example.com.")
        changes = zone.changes()
        changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"p"']))
        changes.create()
        assert changes.status == "pending"
        changes.reload()
        assert changes.status == "pending"
        changes.reload()
        assert changes.status == "done"
    finally:
        lib.stop(running)


def test_api_checks_bearer_scope_and_role(server):
    status, _, body = raw_dns(server, "GET", "/managedZones", None)
    assert status == 401 and body["error"]["errors"][0]["reason"] == "required"
    status, _, body = raw_dns(server, "GET", "/managedZones", "ya29.made-up")
    assert status == 401 and body["error"]["status"] == "UNAUTHENTICATED"
    reader = client(server, sa_credentials(server, READER))
    assert len(list(reader.list_zones())) == 4
    zone = reader.zone("example-com", "example.com.")
    changes = zone.changes()
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"r"']))
    with pytest.raises(api_exceptions.Forbidden):
        changes.create()
    narrow = service_account.Credentials.from_service_account_info(
        key_info(server), scopes=["https://www.googleapis.com/auth/ndev.clouddns.readonly"])
    zone = client(server, narrow).zone("example-com", "example.com.")
    changes = zone.changes()
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"r"']))
    with pytest.raises(api_exceptions.Forbidden) as err:
        changes.create()
    assert "insufficient authentication scopes" in str(err.value)
    with pytest.raises(api_exceptions.Forbidden):
        list(client(server, project="other-project").list_zones())


def test_throttling_and_server_errors_on_request(server):
    token = sa_token(server)
    server.faults(throttle=1, error5xx=1)
    status, headers, body = raw_dns(server, "GET", "/managedZones", token)
    assert status == 429 and headers["retry-after"] == "1" and body["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    status, _, body = raw_dns(server, "GET", "/managedZones", token)
    assert status == 503 and body["error"]["status"] == "UNAVAILABLE"
    assert raw_dns(server, "GET", "/managedZones", token)[0] == 200
    # The SDK's own retry gets through a throttle.
    server.faults(throttle=1)
    assert len(list(client(server).list_zones())) == 4


def test_state_never_holds_tokens_or_keys(server):
    credentials = sa_credentials(server)
    credentials.refresh(http_request())
    text = json.dumps(server.state())
    assert credentials.token not in text and "PRIVATE KEY" not in text


# -- the Swift provider, read back and raced by the SDK ------------------------

def swift_present(server, tmp_path, value, name="www.example.com"):
    """Runs the built `dns01-webhook present` with cert-manager's block and a key Secret."""
    if not WEBHOOK.exists():
        pytest.skip(f"{WEBHOOK} is not built (swift build --product dns01-webhook)")
    config = tmp_path / "clouddns.yaml"
    config.write_text(f"cloudDNS:\n  project: test-project\n  serviceAccountSecretRef:\n"
                      f"    name: clouddns-dns01-solver-svc-acct\n    key: key.json\n  endpoint: {server.base}/dns/v1\n")
    secret = tmp_path / "secrets.yaml"
    key = base64.b64encode(json.dumps(key_info(server)).encode()).decode()
    secret.write_text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: clouddns-dns01-solver-svc-acct\n"
                      f"  namespace: default\ndata:\n  key.json: {key}\n")
    return subprocess.Popen([str(WEBHOOK), "present", "--config", str(config), "--secrets", str(secret),
                             "--fqdn", f"_acme-challenge.{name}.", "--key", value],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sdk_reads_back_what_the_swift_provider_wrote(server, tmp_path):
    zone = client(server).zone("example-com", "example.com.")
    changes = zone.changes()
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 300, ['"sdk-value"']))
    changes.create()
    process = swift_present(server, tmp_path, "swift-value")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, out + err
    sets = [r for r in zone.list_resource_record_sets() if r.name == FQDN and r.record_type == "TXT"]
    assert [(r.ttl, r.rrdatas) for r in sets] == [(300, ['"sdk-value"', '"swift-value"'])]
    # The public zone of the two example.com zones was written, and the private one left alone.
    private = client(server).zone("example-com-private", "example.com.")
    assert [r.name for r in private.list_resource_record_sets() if r.record_type == "TXT"] == []


def test_race_sdk_against_swift_provider_on_one_set(server, tmp_path):
    """The Swift provider reads the set, then its change is held back; meanwhile the SDK
    rewrites the set.  The held change's deletions no longer match: 412, the provider reads
    the set again and retries, and both values survive (a plain overwrite would lose the
    SDK's)."""
    zone = client(server).zone("example-com", "example.com.")
    changes = zone.changes()
    seed = zone.resource_record_set(FQDN, "TXT", 60, ['"seed"'])
    changes.add_record_set(seed)
    changes.create()
    server.faults(delayMs=1500, delayCount=1, actions=["dns.changes.create"])
    process = swift_present(server, tmp_path, "swift-value")
    deadline = time.time() + 30
    while server.state(log=False)["inFlight"].get("dns.changes.create", 0) == 0:
        assert time.time() < deadline and process.poll() is None, "the Swift provider never sent its change"
        time.sleep(0.01)
    changes = zone.changes()
    changes.delete_record_set(seed)
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, ['"seed"', '"sdk-value"']))
    changes.create()  # lands while the Swift change waits
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, out + err
    assert sorted(txt(server)["rrdatas"]) == ['"sdk-value"', '"seed"', '"swift-value"']
    creates = [r for r in server.state()["requests"] if r["action"] == "dns.changes.create"]
    # The seed, the SDK's change, the Swift change that lost, its retry.
    assert [(r["status"], r["outcome"]) for r in creates] == [(200, "OK"), (200, "OK"), (412, "conditionNotMet"), (200, "OK")]
    # The other way round: the SDK's stale change fails instead of removing the Swift value.
    stale = [r for r in zone.list_resource_record_sets() if r.name == FQDN and r.record_type == "TXT"][0]
    process = swift_present(server, tmp_path, "second-swift-value")
    assert process.wait(timeout=60) == 0
    changes = zone.changes()
    changes.delete_record_set(stale)
    changes.add_record_set(zone.resource_record_set(FQDN, "TXT", 60, list(stale.rrdatas) + ['"late-sdk"']))
    with pytest.raises(api_exceptions.PreconditionFailed):
        changes.create()
    assert '"second-swift-value"' in txt(server)["rrdatas"]
