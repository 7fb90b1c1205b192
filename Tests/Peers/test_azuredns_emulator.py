"""The Azure DNS emulator proven honest by Microsoft's own SDKs: azure-identity
(ClientSecretCredential, WorkloadIdentityCredential, ManagedIdentityCredential) gets tokens from
it, azure-mgmt-dns (DnsManagementClient) lists zones and changes record sets with it over TLS,
reads back what the Swift provider (the built ``dns01-webhook``) wrote, and races it on one
record set to show the ETag precondition doing its job.

Requirements: Tests/Peers/requirements-azure.txt.  The tests that run the Swift provider need
``swift build --product dns01-webhook`` first (scripts/test builds it before pytest).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import azuredns_emulator as emu  # noqa: E402

from azure.core.exceptions import ClientAuthenticationError, HttpResponseError  # noqa: E402
from azure.identity import ClientSecretCredential, CredentialUnavailableError, ManagedIdentityCredential, WorkloadIdentityCredential  # noqa: E402
from azure.mgmt.dns import DnsManagementClient  # noqa: E402
from azure.mgmt.dns.models import RecordSet, TxtRecord  # noqa: E402

SCOPE = "https://management.core.windows.net//.default"
SP = emu.DEFAULT_CONFIG["applications"][0]
READER = emu.DEFAULT_CONFIG["applications"][1]
WORKLOAD = emu.DEFAULT_CONFIG["applications"][2]
MANAGED = emu.DEFAULT_CONFIG["managedIdentities"][0]
SUBJECT = WORKLOAD["federatedCredentials"][0]["subject"]
RG = emu.RESOURCE_GROUP


class Emulator:
    def __init__(self, proc: subprocess.Popen, info: Dict[str, Any]):
        self.proc = proc
        self.port = info["port"]
        self.tls_port = info["tlsPort"]
        self.http_base = f"http://127.0.0.1:{self.port}"
        self.https_base = f"https://127.0.0.1:{self.tls_port}"

    def admin(self, method: str, route: str, payload: Optional[Dict[str, Any]] = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else (b"{}" if method == "POST" else None)
        req = urllib.request.Request(f"{self.http_base}/__admin/{route}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def state(self) -> Dict[str, Any]:
        return self.admin("GET", "state")

    def values(self, fqdn: str) -> list:
        for record in self.state()["records"]:
            if record["fqdn"] == fqdn:
                return record["values"]
        return []


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Dict[str, str]:
    directory = tmp_path_factory.mktemp("azure-pki")
    out = subprocess.run([sys.executable, str(HERE / "pki.py"), str(directory)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.splitlines()[0])


@pytest.fixture
def emulator(pki, tmp_path, monkeypatch):
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(emu.DEFAULT_CONFIG))
    proc = subprocess.Popen([sys.executable, str(HERE / "azuredns_emulator.py"), "--port", "0", "--config", str(config_file),
                             "--tls-cert", pki["servingACert"], "--tls-key", pki["servingAKey"]],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    assert set(info) == {"port", "host", "tlsPort"} and info["host"] == "127.0.0.1"
    # How azure-core's requests transport is told to trust a private CA.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", pki["servingCACert"])
    running = Emulator(proc, info)
    yield running
    proc.stdin.close()
    assert proc.wait(timeout=5) == 0


def secret_credential(em: Emulator, app=SP, secret: Optional[str] = None) -> ClientSecretCredential:
    return ClientSecretCredential(emu.TENANT, app["clientId"], secret or app["clientSecret"], authority=em.https_base,
                                  disable_instance_discovery=True)


def dns(em: Emulator, credential) -> DnsManagementClient:
    return DnsManagementClient(credential, emu.SUBSCRIPTION, base_url=em.https_base, credential_scopes=[SCOPE])


# -- tokens ------------------------------------------------------------------


def test_https_only_authority_is_what_the_sdk_demands(emulator):
    with pytest.raises(ValueError, match="https"):
        ClientSecretCredential(emu.TENANT, SP["clientId"], SP["clientSecret"], authority=emulator.http_base)


def test_client_secret_credential_gets_a_token_and_a_wrong_secret_is_refused(emulator):
    token = secret_credential(emulator).get_token(SCOPE)
    assert token.token.count(".") == 2 and token.expires_on > time.time() + 3000
    with pytest.raises(ClientAuthenticationError, match="AADSTS7000215"):
        secret_credential(emulator, secret="not-the-secret").get_token(SCOPE)
    with pytest.raises(ClientAuthenticationError, match="AADSTS700016"):
        ClientSecretCredential(emu.TENANT, "00000000-0000-4000-8000-000000000000", "x", authority=emulator.https_base,
                               disable_instance_discovery=True).get_token(SCOPE)
    log = emulator.state()["requests"]
    assert [r["action"] for r in log if r["action"] == "discovery"], "MSAL discovers the tenant first"
    assert [r["status"] for r in log if r["action"] == "token"] == [200, 401, 400]


def test_workload_identity_credential_sends_the_projected_token_and_rereads_it(emulator, tmp_path):
    token_file = tmp_path / "azure-identity-token"
    first = emulator.admin("POST", "oidc/mint", {"subject": SUBJECT})
    token_file.write_text(first["token"])
    credential = WorkloadIdentityCredential(tenant_id=emu.TENANT, client_id=WORKLOAD["clientId"], token_file_path=str(token_file),
                                            authority=emulator.https_base, disable_instance_discovery=True)
    assert credential.get_token(SCOPE).token
    notes = [r for r in emulator.state()["requests"] if r["action"] == "token"]
    assert notes[-1]["credential"] == "assertion" and notes[-1]["assertionJti"] == first["jti"]
    # A token for another service account is refused: the subject is checked.
    other = emulator.admin("POST", "oidc/mint", {"subject": "system:serviceaccount:default:other"})
    token_file.write_text(other["token"])
    fresh = WorkloadIdentityCredential(tenant_id=emu.TENANT, client_id=WORKLOAD["clientId"], token_file_path=str(token_file),
                                       authority=emulator.https_base, disable_instance_discovery=True)
    with pytest.raises(ClientAuthenticationError, match="AADSTS700213"):
        fresh.get_token(SCOPE)
    # An expired assertion is refused.
    expired = emulator.admin("POST", "oidc/mint", {"subject": SUBJECT, "expiresIn": -10})
    token_file.write_text(expired["token"])
    stale = WorkloadIdentityCredential(tenant_id=emu.TENANT, client_id=WORKLOAD["clientId"], token_file_path=str(token_file),
                                       authority=emulator.https_base, disable_instance_discovery=True)
    with pytest.raises(ClientAuthenticationError, match="AADSTS700024"):
        stale.get_token(SCOPE)


def test_a_forged_assertion_is_refused(emulator, tmp_path):
    genuine = emulator.admin("POST", "oidc/mint", {"subject": SUBJECT})["token"]
    header, claims, signature = genuine.split(".")
    forged = emu.b64url(json.dumps({**json.loads(emu.b64url_decode(claims)), "exp": 4102444800}).encode())
    token_file = tmp_path / "token"
    token_file.write_text(f"{header}.{forged}.{signature}")
    credential = WorkloadIdentityCredential(tenant_id=emu.TENANT, client_id=WORKLOAD["clientId"], token_file_path=str(token_file),
                                            authority=emulator.https_base, disable_instance_discovery=True)
    with pytest.raises(ClientAuthenticationError, match="AADSTS50027"):
        credential.get_token(SCOPE)


def test_managed_identity_credential_asks_imds_with_the_metadata_header(emulator, monkeypatch):
    monkeypatch.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", emulator.http_base)
    by_client = ManagedIdentityCredential(client_id=MANAGED["clientId"]).get_token(SCOPE)
    assert by_client.token and by_client.expires_on > time.time() + 3000
    by_resource = ManagedIdentityCredential(identity_config={"resource_id": MANAGED["resourceId"]}).get_token(SCOPE)
    assert by_resource.token
    imds = [r for r in emulator.state()["requests"] if r["action"] == "imds"]
    assert [r["principal"] for r in imds][-2:] == [MANAGED["clientId"]] * 2
    # Without the header IMDS refuses, as the real one does (SSRF protection).
    url = f"{emulator.http_base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=5)
    assert refused.value.code == 400 and b"Required metadata header" in refused.value.read()
    # Two identities and no selector: IMDS cannot choose.
    with pytest.raises(CredentialUnavailableError, match="Multiple user assigned identities"):
        ManagedIdentityCredential().get_token(SCOPE)


# -- Resource Manager --------------------------------------------------------


def test_dns_management_client_lists_zones_and_changes_record_sets_under_etags(emulator):
    client = dns(emulator, secret_credential(emulator))
    assert sorted(z.name for z in client.zones.list_by_resource_group(RG)) == ["example.com", "example.org", "sub.example.com"]
    created = client.record_sets.create_or_update(RG, "example.com", "_acme-challenge.www", "TXT",
                                                  RecordSet(ttl=60, txt_records=[TxtRecord(value=["v1"])]), if_none_match="*")
    assert created.ttl == 60 and created.etag and created.fqdn == "_acme-challenge.www.example.com."
    with pytest.raises(HttpResponseError) as again:
        client.record_sets.create_or_update(RG, "example.com", "_acme-challenge.www", "TXT",
                                            RecordSet(ttl=60, txt_records=[TxtRecord(value=["v2"])]), if_none_match="*")
    assert again.value.status_code == 412
    updated = client.record_sets.create_or_update(
        RG, "example.com", "_acme-challenge.www", "TXT",
        RecordSet(ttl=60, txt_records=[TxtRecord(value=["v1"]), TxtRecord(value=["v2"])]), if_match=created.etag)
    assert updated.etag != created.etag
    with pytest.raises(HttpResponseError) as stale:
        client.record_sets.delete(RG, "example.com", "_acme-challenge.www", "TXT", if_match=created.etag)
    assert stale.value.status_code == 412
    read = client.record_sets.get(RG, "example.com", "_acme-challenge.www", "TXT")
    assert [r.value for r in read.txt_records] == [["v1"], ["v2"]]
    assert [s.name for s in client.record_sets.list_by_type(RG, "example.com", "TXT")] == ["_acme-challenge.www"]
    client.record_sets.delete(RG, "example.com", "_acme-challenge.www", "TXT", if_match=updated.etag)
    with pytest.raises(HttpResponseError) as gone:
        client.record_sets.get(RG, "example.com", "_acme-challenge.www", "TXT")
    assert gone.value.status_code == 404


def test_every_arm_call_needs_a_valid_token_with_the_right_role(emulator):
    reader = dns(emulator, secret_credential(emulator, READER))
    assert reader.zones.get(RG, "example.com").name == "example.com"
    with pytest.raises(HttpResponseError) as forbidden:
        reader.record_sets.create_or_update(RG, "example.com", "_acme-challenge", "TXT", RecordSet(ttl=60, txt_records=[TxtRecord(value=["x"])]))
    assert forbidden.value.status_code == 403 and forbidden.value.error.code == "AuthorizationFailed"
    url = f"{emulator.http_base}/subscriptions/{emu.SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.Network/dnsZones?api-version=2018-05-01"
    for header in (None, "Bearer not.a.token"):
        req = urllib.request.Request(url, headers={"Authorization": header} if header else {})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(req, timeout=5)
        assert refused.value.code == 401 and "Bearer" in refused.value.headers["WWW-Authenticate"]
    # A token for another cloud's audience is refused by this (public) Resource Manager.
    china = secret_credential(emulator).get_token("https://management.core.chinacloudapi.cn/.default").token
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + china})
    with pytest.raises(urllib.error.HTTPError) as audience:
        urllib.request.urlopen(req, timeout=5)
    assert b"InvalidAuthenticationTokenAudience" in audience.value.read()
    # An expired token is refused.
    token = secret_credential(emulator).get_token(SCOPE).token
    emulator.admin("POST", "clock", {"offsetSeconds": 7200})
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    with pytest.raises(urllib.error.HTTPError) as expired:
        urllib.request.urlopen(req, timeout=5)
    assert b"ExpiredAuthenticationToken" in expired.value.read()


def test_the_sdk_retries_throttling_and_server_errors(emulator):
    client = dns(emulator, secret_credential(emulator))
    client.zones.get(RG, "example.com")  # token fetched
    emulator.admin("POST", "faults", {"throttle": 1, "error5xx": 1})
    assert client.zones.get(RG, "example.com").name == "example.com"
    statuses = [r["status"] for r in emulator.state()["requests"] if r["action"] == "zones.get"]
    assert statuses[-3:] == [429, 503, 200]


def test_zone_lists_page_with_next_link(emulator, tmp_path, pki):
    client = dns(emulator, secret_credential(emulator))
    names = [z.name for z in client.zones.list_by_resource_group(RG, top=1)]
    assert names == ["example.com", "example.org", "sub.example.com"]
    assert [r["action"] for r in emulator.state()["requests"]].count("zones.list") == 3


# -- the Swift provider against the same emulator ------------------------------


def webhook_binary() -> Path:
    path = Path(os.environ.get("DNS01_WEBHOOK_BIN", ROOT / ".build" / "debug" / "dns01-webhook"))
    if not path.exists():
        pytest.skip(f"{path} is not built (swift build --product dns01-webhook)")
    return path


def swift_step(em: Emulator, tmp_path: Path, action: str, key: str, fqdn: str = "_acme-challenge.www.example.com.") -> subprocess.CompletedProcess:
    config = tmp_path / "azuredns.yaml"
    # cert-manager's documented block, with the operator's overrides pointing at the emulator
    # (plain http: the CLI trusts the system's CAs only).
    config.write_text(f"""azureDNS:
  clientID: {SP["clientId"]}
  clientSecretSecretRef:
    name: azuredns-config
    key: client-secret
  subscriptionID: {emu.SUBSCRIPTION}
  tenantID: {emu.TENANT}
  resourceGroupName: {RG}
  hostedZoneName: example.com
  environment: AzurePublicCloud
  endpoint: {em.http_base}
  authorityEndpoint: {em.http_base}
""")
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text(f"""apiVersion: v1
kind: Secret
metadata:
  name: azuredns-config
  namespace: default
stringData:
  client-secret: {SP["clientSecret"]}
""")
    return subprocess.run([str(webhook_binary()), action, "--config", str(config), "--secrets", str(secrets), "--solver", "azureDNS",
                           "--fqdn", fqdn, "--key", key], capture_output=True, text=True, timeout=60)


def test_the_sdk_reads_back_what_the_swift_provider_wrote(emulator, tmp_path):
    client = dns(emulator, secret_credential(emulator))
    client.record_sets.create_or_update(RG, "example.com", "_acme-challenge.www", "TXT",
                                        RecordSet(ttl=300, txt_records=[TxtRecord(value=["foreign-", "two-strings"])]))
    result = swift_step(emulator, tmp_path, "present", "swift-value")
    assert result.returncode == 0, result.stderr
    read = client.record_sets.get(RG, "example.com", "_acme-challenge.www", "TXT")
    assert [r.value for r in read.txt_records] == [["foreign-", "two-strings"], ["swift-value"]]
    assert read.ttl == 300, "an existing set keeps its TTL"
    result = swift_step(emulator, tmp_path, "cleanup", "swift-value")
    assert result.returncode == 0, result.stderr
    read = client.record_sets.get(RG, "example.com", "_acme-challenge.www", "TXT")
    assert [r.value for r in read.txt_records] == [["foreign-", "two-strings"]]
    assert SP["clientSecret"] not in result.stdout + result.stderr


def test_racing_the_sdk_the_if_match_precondition_keeps_both_values(emulator, tmp_path):
    """The Swift provider reads the set, then the SDK writes it before the provider's PUT
    lands: the PUT carries the old ETag, gets 412, and the provider reads again and keeps the
    SDK's value. Without the precondition (cert-manager before PR 6351) one value is lost."""
    client = dns(emulator, secret_credential(emulator))
    first = client.record_sets.create_or_update(RG, "example.com", "_acme-challenge.www", "TXT",
                                                RecordSet(ttl=60, txt_records=[TxtRecord(value=["apex-by-sdk"])]), if_none_match="*")
    emulator.admin("POST", "hold", {"action": "recordsets.put", "count": 1})
    outcome: Dict[str, Any] = {}
    swift = threading.Thread(target=lambda: outcome.update(result=swift_step(emulator, tmp_path, "present", "wildcard-by-swift")))
    swift.start()
    deadline = time.time() + 30
    while emulator.admin("GET", "hold")["holding"] < 1:
        assert time.time() < deadline, "the Swift provider's PUT never arrived"
        time.sleep(0.05)
    # The Swift provider has read the set (ETag of `first`) and its PUT is in flight: the SDK
    # writes in between, under its own precondition.
    second = client.record_sets.create_or_update(
        RG, "example.com", "_acme-challenge.www", "TXT",
        RecordSet(ttl=60, txt_records=[TxtRecord(value=["apex-by-sdk"]), TxtRecord(value=["other-by-sdk"])]), if_match=first.etag)
    emulator.admin("POST", "release")
    swift.join(timeout=60)
    assert outcome["result"].returncode == 0, outcome["result"].stderr
    puts = [r for r in emulator.state()["requests"] if r["action"] == "recordsets.put"]
    assert [p["status"] for p in puts] == [201, 200, 412, 200], "the held PUT failed its If-Match, then the retry succeeded"
    read = client.record_sets.get(RG, "example.com", "_acme-challenge.www", "TXT")
    assert sorted(v for r in read.txt_records for v in r.value) == ["apex-by-sdk", "other-by-sdk", "wildcard-by-swift"]
    # And the other way round: the SDK with the ETag it read before the provider wrote loses.
    with pytest.raises(HttpResponseError) as lost:
        client.record_sets.create_or_update(RG, "example.com", "_acme-challenge.www", "TXT",
                                            RecordSet(ttl=60, txt_records=[TxtRecord(value=["apex-by-sdk"])]), if_match=second.etag)
    assert lost.value.status_code == 412


@pytest.mark.parametrize("how", ["term", "int", "eof"])
def test_process_rules(pki, how):
    """One start line, nothing else on stdout, exit 0 on SIGTERM, SIGINT and stdin EOF."""
    import signal
    proc = subprocess.Popen([sys.executable, str(HERE / "azuredns_emulator.py"), "--port", "0",
                             "--tls-cert", pki["servingACert"], "--tls-key", pki["servingAKey"]],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    with urllib.request.urlopen(f"http://127.0.0.1:{info['port']}/__admin/state", timeout=5) as resp:
        assert resp.status == 200
    if how == "eof":
        proc.stdin.close()
    else:
        proc.send_signal(signal.SIGTERM if how == "term" else signal.SIGINT)
    assert proc.wait(timeout=5) == 0
    assert proc.stdout.read() == ""
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if not stream.closed:
            stream.close()
