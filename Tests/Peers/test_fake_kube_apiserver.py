"""Tests for fake_kube_apiserver.py and pki.py (both driven as subprocesses)."""

import base64
import hashlib
import json
import shutil
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = Path(__file__).resolve().parent
PKI = HERE / "pki.py"
FAKE = HERE / "fake_kube_apiserver.py"
WEBHOOK_USER = "system:serviceaccount:cert-manager:dns01-webhook"
CM_PATH = "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication"
TR_PATH = "/apis/authentication.k8s.io/v1/tokenreviews"
SAR_PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews"

STATE = {
    "secrets": {"team-a/route53": {"stringData": {"secret-access-key": "TOPSECRET-VALUE"}},
                "team-a/b64": {"data": {"k": base64.b64encode(b"raw\x00bytes").decode()}, "type": "kubernetes.io/tls"}},
    "serviceAccounts": ["team-a/dns-sa"],
    "tokens": {"cm-token": {"user": "system:serviceaccount:cert-manager:cert-manager", "uid": "u-1",
                            "groups": ["system:serviceaccounts", "system:serviceaccounts:cert-manager"],
                            "extra": {"authentication.kubernetes.io/pod-name": ["cm-0"]}},
               "aud-token": {"user": "carol", "groups": [], "audiences": ["vault"]},
               "webhook-token": {"user": WEBHOOK_USER, "groups": ["system:serviceaccounts"]}},
    "rules": [
        {"users": [WEBHOOK_USER], "verbs": ["get"], "resources": ["secrets"], "namespaces": ["team-a"]},
        {"users": [WEBHOOK_USER], "verbs": ["get", "create", "update", "delete"], "resources": ["secrets"],
         "namespaces": ["webhook-ns"]},
        {"users": [WEBHOOK_USER], "verbs": ["create"], "resources": ["serviceaccounts/token"], "namespaces": ["team-a"]},
        {"users": [WEBHOOK_USER], "verbs": ["create"], "apiGroups": ["authentication.k8s.io"],
         "resources": ["tokenreviews"]},
        {"users": [WEBHOOK_USER], "verbs": ["create"], "apiGroups": ["authorization.k8s.io"],
         "resources": ["subjectaccessreviews"]},
        {"users": [WEBHOOK_USER], "verbs": ["get", "list", "watch"], "resources": ["configmaps"],
         "namespaces": ["kube-system"], "resourceNames": ["extension-apiserver-authentication"]},
        {"users": [WEBHOOK_USER], "verbs": ["get", "list", "create", "update", "delete"],
         "apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "namespaces": ["cert-manager"]},
        {"effect": "deny", "users": ["mallory"], "reason": "mallory is banned"},
        {"groups": ["system:serviceaccounts:cert-manager"], "verbs": ["create"], "apiGroups": ["acme.example.com"],
         "resources": ["route53"], "reason": "RBAC: allowed by ClusterRoleBinding \"cm\""},
        {"groups": ["system:authenticated"], "verbs": ["get"], "nonResourceURLs": ["/apis", "/apis/*"]},
    ],
}


# ------------------------------------------------------------------------------- PKI

@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("pki")
    res = subprocess.run([sys.executable, str(PKI), str(d)], capture_output=True, text=True, timeout=60,
                         stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert all(isinstance(v, str) for v in out.values())
    return out


def load(path):
    return x509.load_pem_x509_certificate(Path(path).read_bytes())


def cn(cert):
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def issued_by(cert, ca):
    try:
        cert.verify_directly_issued_by(ca)
        return True
    except Exception:  # noqa: BLE001
        return False


def eku(cert):
    try:
        return list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        return []


def test_pki_front_proxy_and_negative_client_certs(pki):
    front, wrong = load(pki["frontProxyCACert"]), load(pki["wrongCACert"])
    good = load(pki["frontProxyClientCert"])
    assert cn(good) == "front-proxy-client" and issued_by(good, front)
    assert eku(good) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    bad_ca = load(pki["wrongCAClientCert"])
    assert cn(bad_ca) == "front-proxy-client" and issued_by(bad_ca, wrong) and not issued_by(bad_ca, front)
    not_allowed = load(pki["notAllowedClientCert"])
    assert cn(not_allowed) == "not-allowed-proxy" and issued_by(not_allowed, front)
    no_client_auth = load(pki["frontProxyNoClientAuthCert"])
    assert issued_by(no_client_auth, front) and ExtendedKeyUsageOID.CLIENT_AUTH not in eku(no_client_auth)


def test_pki_serving_certs_are_two_distinct_valid_for_the_names(pki):
    ca = load(pki["servingCACert"])
    a, b = load(pki["servingACert"]), load(pki["servingBCert"])
    assert a.serial_number != b.serial_number and a.not_valid_after_utc != b.not_valid_after_utc
    for cert in (a, b):
        assert issued_by(cert, ca)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert {"localhost", "dns01-webhook.cert-manager.svc"} <= set(san.get_values_for_type(x509.DNSName))
        assert [str(i) for i in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
        assert eku(cert) == [ExtendedKeyUsageOID.SERVER_AUTH]


def test_pki_alice_and_openssl_agree(pki):
    alice = load(pki["aliceCert"])
    assert cn(alice) == "alice"
    assert alice.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "system:masters"
    if shutil.which("openssl"):
        res = subprocess.run(["openssl", "verify", "-CAfile", pki["clusterCACert"], pki["aliceCert"],
                              pki["apiserverCert"], pki["webhookClientCert"]], capture_output=True, text=True)
        assert res.returncode == 0, res.stdout + res.stderr
        res = subprocess.run(["openssl", "verify", "-CAfile", pki["clusterCACert"], pki["wrongCAClientCert"]],
                             capture_output=True, text=True)
        assert res.returncode != 0


def test_pki_kubeconfig_subcommand(pki, tmp_path):
    out = tmp_path / "kc.yaml"
    res = subprocess.run([sys.executable, str(PKI), "kubeconfig", pki["dir"], "--server", "https://127.0.0.1:1234",
                          "--ca", "serving-ca", "--client", "front-proxy-client", "--out", str(out)],
                         capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    text = out.read_text()
    assert '"https://127.0.0.1:1234"' in text and "serving-ca.crt" in text and "front-proxy-client.key" in text


# ------------------------------------------------------------------------------- fake apiserver

@pytest.fixture(scope="module")
def api(pki, tmp_path_factory):
    d = tmp_path_factory.mktemp("api")
    state_file = d / "state.json"
    state_file.write_text(json.dumps(STATE))
    kubeconfig = d / "kubeconfig.yaml"
    proc = subprocess.Popen([sys.executable, str(FAKE), "--pki", pki["dir"], "--port", "0", "--state",
                             str(state_file), "--kubeconfig-out", str(kubeconfig)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    assert info["port"] > 0 and info["kubeconfig"] == str(kubeconfig)
    yield dict(info, pki=pki, proc=proc)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


class Client:
    def __init__(self, api, cert=None, token=None):
        self.base, self.s = api["url"], requests.Session()
        self.s.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would override verify
        self.s.verify = api["pki"]["clusterCACert"]
        if cert:
            self.s.cert = (api["pki"][cert + "Cert"], api["pki"][cert + "Key"])
        if token:
            self.s.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, **kw):
        return self.s.get(self.base + path, timeout=10, **kw)

    def post(self, path, body, **kw):
        return self.s.post(self.base + path, json=body, timeout=10, **kw)


@pytest.fixture
def webhook(api):
    return Client(api, cert="webhookClient")


def assert_status(r, code, reason, message=None):
    assert r.status_code == code, r.text
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert (body["kind"], body["apiVersion"], body["status"], body["code"], body["reason"]) == (
        "Status", "v1", "Failure", code, reason)
    if message is not None:
        assert body["message"] == message
    return body


def test_secret_get_returns_base64_data(webhook):
    r = webhook.get("/api/v1/namespaces/team-a/secrets/route53")
    assert r.status_code == 200
    body = r.json()
    assert (body["kind"], body["type"], body["metadata"]["namespace"]) == ("Secret", "Opaque", "team-a")
    assert base64.b64decode(body["data"]["secret-access-key"]) == b"TOPSECRET-VALUE"
    b64 = webhook.get("/api/v1/namespaces/team-a/secrets/b64").json()
    assert base64.b64decode(b64["data"]["k"]) == b"raw\x00bytes" and b64["type"] == "kubernetes.io/tls"


def test_secret_missing_is_404_status(webhook):
    body = assert_status(webhook.get("/api/v1/namespaces/team-a/secrets/nope"), 404, "NotFound",
                         'secrets "nope" not found')
    assert body["details"] == {"name": "nope", "kind": "secrets"}


def test_secret_create_update_delete(api, webhook):
    base = "/api/v1/namespaces/webhook-ns/secrets"
    secret = {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
              "metadata": {"name": "state-1", "namespace": "webhook-ns", "labels": {"app.kubernetes.io/managed-by": "t"}},
              "data": {"f": base64.b64encode(b"one").decode()}}
    r = webhook.post(base, secret)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "t"}
    assert_status(webhook.post(base, secret), 409, "AlreadyExists", 'secrets "state-1" already exists')
    got = webhook.get(base + "/state-1").json()
    assert base64.b64decode(got["data"]["f"]) == b"one"
    version = got["metadata"]["resourceVersion"]
    secret["metadata"]["resourceVersion"] = version
    secret["data"] = {"f": base64.b64encode(b"two").decode()}
    r = webhook.s.put(webhook.base + base + "/state-1", json=secret, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["metadata"]["resourceVersion"] != version
    stale = webhook.s.put(webhook.base + base + "/state-1", json=secret, timeout=10)
    assert_status(stale, 409, "Conflict")
    assert base64.b64decode(webhook.get(base + "/state-1").json()["data"]["f"]) == b"two"
    stale_delete = webhook.s.delete(webhook.base + base + "/state-1", timeout=10,
                                    json={"kind": "DeleteOptions", "preconditions": {"resourceVersion": version}})
    assert_status(stale_delete, 409, "Conflict")
    current = webhook.get(base + "/state-1").json()["metadata"]["resourceVersion"]
    r = webhook.s.delete(webhook.base + base + "/state-1", timeout=10,
                         json={"kind": "DeleteOptions", "preconditions": {"resourceVersion": current}})
    assert r.status_code == 200 and r.json()["status"] == "Success"
    assert_status(webhook.get(base + "/state-1"), 404, "NotFound")
    assert_status(webhook.s.delete(webhook.base + base + "/state-1", timeout=10), 404, "NotFound")
    missing = dict(secret, metadata={"name": "nope", "namespace": "webhook-ns"})
    assert_status(webhook.s.put(webhook.base + base + "/nope", json=missing, timeout=10), 404, "NotFound")
    # RBAC: writes elsewhere are refused with the real message.
    other = dict(secret, metadata={"name": "x", "namespace": "team-a"})
    assert_status(webhook.post("/api/v1/namespaces/team-a/secrets", other), 403, "Forbidden",
                  'secrets is forbidden: User "%s" cannot create resource "secrets" in API group "" in the namespace '
                  '"team-a"' % WEBHOOK_USER)


def test_secret_forbidden_has_real_kubernetes_message(api):
    r = Client(api, token="cm-token").get("/api/v1/namespaces/team-a/secrets/route53")
    assert_status(r, 403, "Forbidden",
                  'secrets "route53" is forbidden: User "system:serviceaccount:cert-manager:cert-manager" cannot '
                  'get resource "secrets" in API group "" in the namespace "team-a"')
    r = Client(api, cert="webhookClient").get("/api/v1/namespaces/other/secrets/route53")
    assert r.status_code == 403 and 'in the namespace "other"' in r.json()["message"]


def test_unknown_bearer_token_is_401_and_anonymous_is_403(api):
    assert_status(Client(api, token="no-such-token").get("/api/v1/namespaces/team-a/secrets/route53"), 401,
                  "Unauthorized", "Unauthorized")
    r = Client(api).get("/api/v1/namespaces/team-a/secrets/route53")
    assert_status(r, 403, "Forbidden")
    assert 'User "system:anonymous"' in r.json()["message"]


def test_masters_cert_and_bearer_token_identities(api):
    assert Client(api, cert="alice").get("/api/v1/namespaces/anywhere/secrets/nope").status_code == 404
    assert Client(api, token="webhook-token").get("/api/v1/namespaces/team-a/secrets/route53").status_code == 200


def test_wrong_ca_client_cert_fails_the_handshake(api):
    with pytest.raises(requests.exceptions.SSLError):
        Client(api, cert="wrongCAClient").get("/api/v1/namespaces/team-a/secrets/route53")


def test_token_request_mints_jwt_recorded_and_reviewable(api, webhook):
    r = webhook.post("/api/v1/namespaces/team-a/serviceaccounts/dns-sa/token",
                     {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                      "spec": {"audiences": ["sts.amazonaws.com"], "expirationSeconds": 600}})
    assert r.status_code == 201, r.text
    body = r.json()
    token = body["status"]["token"]
    header, payload, _sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["aud"] == ["sts.amazonaws.com"] and claims["sub"] == "system:serviceaccount:team-a:dns-sa"
    assert claims["exp"] - claims["iat"] == 600
    assert body["status"]["expirationTimestamp"].endswith("Z")
    tokens = requests.get(api["url"] + "/__admin/tokens", verify=api["pki"]["clusterCACert"], timeout=10).json()
    rec = [t for t in tokens["tokens"] if t["sha256"] == hashlib.sha256(token.encode()).hexdigest()[:12]]
    assert rec and rec[0]["audiences"] == ["sts.amazonaws.com"] and rec[0]["expirationSeconds"] == 600
    assert token not in json.dumps(tokens)
    review = webhook.post(TR_PATH, {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                                    "spec": {"token": token, "audiences": ["sts.amazonaws.com"]}}).json()
    assert review["status"]["authenticated"] is True
    assert review["status"]["user"]["username"] == "system:serviceaccount:team-a:dns-sa"
    wrong_aud = webhook.post(TR_PATH, {"spec": {"token": token, "audiences": ["other"]}}).json()
    assert wrong_aud["status"]["authenticated"] is False and "invalid for the target audiences" in \
        wrong_aud["status"]["error"]


def test_token_request_validation_and_missing_account(webhook):
    r = webhook.post("/api/v1/namespaces/team-a/serviceaccounts/dns-sa/token", {"spec": {"expirationSeconds": 10}})
    assert_status(r, 422, "Invalid")
    assert "may not specify a duration less than 10 minutes" in r.json()["message"]
    assert_status(webhook.post("/api/v1/namespaces/team-a/serviceaccounts/ghost/token", {"spec": {}}), 404,
                  "NotFound", 'serviceaccounts "ghost" not found')
    r = webhook.post("/api/v1/namespaces/team-b/serviceaccounts/dns-sa/token", {"spec": {}})
    assert_status(r, 403, "Forbidden", f'serviceaccounts "dns-sa" is forbidden: User "{WEBHOOK_USER}" cannot create '
                  'resource "serviceaccounts/token" in API group "" in the namespace "team-b"')


def test_token_review_known_unknown_and_audiences(webhook):
    r = webhook.post(TR_PATH, {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                               "spec": {"token": "cm-token"}})
    assert r.status_code == 201
    st = r.json()["status"]
    assert st["authenticated"] is True
    assert st["user"] == {"username": "system:serviceaccount:cert-manager:cert-manager", "uid": "u-1",
                          "groups": ["system:serviceaccounts", "system:serviceaccounts:cert-manager",
                                     "system:authenticated"],
                          "extra": {"authentication.kubernetes.io/pod-name": ["cm-0"]}}
    bad = webhook.post(TR_PATH, {"spec": {"token": "garbage"}}).json()["status"]
    assert bad["authenticated"] is False and bad["error"] == "invalid bearer token"
    aud = webhook.post(TR_PATH, {"spec": {"token": "aud-token", "audiences": ["vault"]}}).json()["status"]
    assert aud["authenticated"] is True and aud["audiences"] == ["vault"]
    assert_status(webhook.post(TR_PATH, {"spec": {}}), 422, "Invalid")


def test_token_review_forbidden_at_cluster_scope(api):
    r = Client(api, cert="bob").post(TR_PATH, {"spec": {"token": "cm-token"}})
    assert_status(r, 403, "Forbidden", 'tokenreviews.authentication.k8s.io is forbidden: User "bob" cannot create '
                  'resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope')


def sar(client, spec):
    r = client.post(SAR_PATH, {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                               "spec": spec})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["spec"] == spec and body["kind"] == "SubjectAccessReview"
    return body["status"]


def test_sar_allow_deny_no_opinion_and_masters(webhook):
    solver = {"verb": "create", "group": "acme.example.com", "version": "v1alpha1", "resource": "route53"}
    st = sar(webhook, {"resourceAttributes": solver, "user": "system:serviceaccount:cert-manager:cert-manager",
                       "groups": ["system:serviceaccounts:cert-manager", "system:authenticated"]})
    assert st == {"allowed": True, "reason": 'RBAC: allowed by ClusterRoleBinding "cm"'}
    st = sar(webhook, {"resourceAttributes": solver, "user": "mallory", "groups": ["system:serviceaccounts:cert-manager"]})
    assert st == {"allowed": False, "denied": True, "reason": "mallory is banned"}
    assert sar(webhook, {"resourceAttributes": solver, "user": "bob", "groups": ["developers"]}) == {"allowed": False}
    assert sar(webhook, {"resourceAttributes": dict(solver, resource="other"), "user": "x",
                         "groups": ["system:masters"]})["allowed"] is True
    assert sar(webhook, {"resourceAttributes": dict(solver, verb="delete"), "user": "x",
                         "groups": ["system:serviceaccounts:cert-manager"]})["allowed"] is False


def test_sar_non_resource_paths(webhook):
    assert sar(webhook, {"nonResourceAttributes": {"path": "/apis/acme.example.com/v1alpha1", "verb": "get"},
                         "user": "bob", "groups": ["system:authenticated"]})["allowed"] is True
    assert sar(webhook, {"nonResourceAttributes": {"path": "/metrics", "verb": "get"},
                         "user": "bob", "groups": ["system:authenticated"]})["allowed"] is False
    assert_status(webhook.post(SAR_PATH, {"spec": {"user": "bob"}}), 422, "Invalid")


def test_configmap_keys_and_resource_version_changes(api, webhook, pki):
    cm = webhook.get(CM_PATH).json()
    assert set(cm["data"]) == {"client-ca-file", "requestheader-client-ca-file", "requestheader-allowed-names",
                               "requestheader-username-headers", "requestheader-group-headers",
                               "requestheader-extra-headers-prefix"}
    assert cm["data"]["client-ca-file"] == Path(pki["clusterCACert"]).read_text()
    assert cm["data"]["requestheader-client-ca-file"] == Path(pki["frontProxyCACert"]).read_text()
    assert json.loads(cm["data"]["requestheader-allowed-names"]) == ["front-proxy-client"]
    assert json.loads(cm["data"]["requestheader-username-headers"]) == ["X-Remote-User"]
    assert json.loads(cm["data"]["requestheader-group-headers"]) == ["X-Remote-Group"]
    assert json.loads(cm["data"]["requestheader-extra-headers-prefix"]) == ["X-Remote-Extra-"]
    v1 = cm["metadata"]["resourceVersion"]
    admin = requests.post(api["url"] + "/__admin/state", verify=pki["clusterCACert"], timeout=10,
                          json={"configmap": {"requestheader-allowed-names": '["system:auth-proxy"]'}})
    assert admin.status_code == 200
    cm2 = webhook.get(CM_PATH).json()
    assert cm2["metadata"]["resourceVersion"] != v1
    assert admin.json()["configmapResourceVersion"] == cm2["metadata"]["resourceVersion"]
    assert json.loads(cm2["data"]["requestheader-allowed-names"]) == ["system:auth-proxy"]
    listed = webhook.get("/api/v1/namespaces/kube-system/configmaps",
                         params={"fieldSelector": "metadata.name=extension-apiserver-authentication"}).json()
    assert [i["metadata"]["name"] for i in listed["items"]] == ["extension-apiserver-authentication"]
    requests.post(api["url"] + "/__admin/state", verify=pki["clusterCACert"], timeout=10, json={"configmap": None})
    assert json.loads(webhook.get(CM_PATH).json()["data"]["requestheader-allowed-names"]) == ["front-proxy-client"]
    assert_status(Client(api, cert="bob").get(CM_PATH), 403, "Forbidden")


def test_admin_state_update_takes_effect(api, webhook, pki):
    url = api["url"] + "/__admin/state"
    requests.post(url, verify=pki["clusterCACert"], timeout=10,
                  json={"secrets": dict(STATE["secrets"], **{"team-a/new": {"stringData": {"k": "v"}}})})
    assert webhook.get("/api/v1/namespaces/team-a/secrets/new").status_code == 200
    current = requests.get(url, verify=pki["clusterCACert"], timeout=10).json()
    assert "team-a/new" in current["secrets"]


def test_request_log_has_user_and_never_secret_values(api, webhook, pki):
    requests.delete(api["url"] + "/__admin/requests", verify=pki["clusterCACert"], timeout=10)
    webhook.get("/api/v1/namespaces/team-a/secrets/route53")
    webhook.post(TR_PATH, {"spec": {"token": "cm-token"}})
    Client(api, token="nope").get("/api/v1/namespaces/team-a/secrets/route53")
    log = requests.get(api["url"] + "/__admin/requests", verify=pki["clusterCACert"], timeout=10).json()["requests"]
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", "/api/v1/namespaces/team-a/secrets/route53", 200), ("POST", TR_PATH, 201),
        ("GET", "/api/v1/namespaces/team-a/secrets/route53", 401)]
    assert log[0]["user"] == WEBHOOK_USER and log[0]["auth"] == "cert"
    assert log[1]["body"]["spec"]["token"].startswith("<redacted sha256:")
    text = json.dumps(log)
    for secret in ("TOPSECRET", base64.b64encode(b"TOPSECRET-VALUE").decode(), "cm-token", "nope"):
        assert secret not in text


def test_faults_unknown_paths_methods_and_bad_json(api, webhook, pki):
    requests.post(api["url"] + "/__admin/state", verify=pki["clusterCACert"], timeout=10,
                  json={"faults": [{"method": "POST", "path": TR_PATH, "status": 503, "times": 1}]})
    assert_status(webhook.post(TR_PATH, {"spec": {"token": "cm-token"}}), 503, "InternalError")
    assert webhook.post(TR_PATH, {"spec": {"token": "cm-token"}}).status_code == 201
    assert_status(webhook.get("/api/v1/namespaces/x/pods"), 404, "NotFound",
                  "the server could not find the requested resource")
    assert_status(webhook.post("/api/v1/namespaces/team-a/secrets/route53", {}), 405, "MethodNotAllowed")
    r = webhook.s.post(api["url"] + TR_PATH, data=b"{not json", timeout=10,
                       headers={"Content-Type": "application/json"})
    assert_status(r, 400, "BadRequest")


def test_chunked_request_body(webhook, api):
    def gen():
        yield b'{"spec": {"token":'
        yield b' "cm-token"}}'
    r = webhook.s.post(api["url"] + TR_PATH, data=gen(), timeout=10, headers={"Content-Type": "application/json"})
    assert r.status_code == 201 and r.json()["status"]["authenticated"] is True


def test_tls_1_2_client_with_certificate_verification(api):
    import socket
    ctx = ssl.create_default_context(cafile=api["pki"]["clusterCACert"])
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(api["pki"]["aliceCert"], api["pki"]["aliceKey"])
    with socket.create_connection(("127.0.0.1", api["port"]), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.version() == "TLSv1.2"
            tls.sendall(b"GET /api/v1/namespaces/a/secrets/b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            assert tls.recv(64).startswith(b"HTTP/1.1 404")


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_get_raw_secret_with_generated_kubeconfig(api):
    res = subprocess.run(["kubectl", "--kubeconfig", api["kubeconfig"], "get", "--raw",
                          "/api/v1/namespaces/team-a/secrets/route53"],
                         capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["metadata"]["name"] == "route53"
    res = subprocess.run(["kubectl", "--kubeconfig", api["kubeconfig"], "get", "--raw",
                          "/api/v1/namespaces/x/secrets/y"], capture_output=True, text=True, timeout=30,
                         stdin=subprocess.DEVNULL)
    assert res.returncode != 0 and 'secrets "y" is forbidden' in res.stderr


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_with_token_kubeconfig_from_pki(api, tmp_path):
    kc = tmp_path / "token.yaml"
    res = subprocess.run([sys.executable, str(PKI), "kubeconfig", api["pki"]["dir"], "--server", api["url"],
                          "--token", "webhook-token", "--out", str(kc)], capture_output=True, text=True,
                         timeout=30, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stderr
    ok = subprocess.run(["kubectl", "--kubeconfig", str(kc), "get", "--raw", CM_PATH], capture_output=True,
                        text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["metadata"]["name"] == "extension-apiserver-authentication"
    bad = subprocess.run(["kubectl", "--kubeconfig", str(kc), "--token", "wrong", "get", "--raw", CM_PATH],
                         capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert bad.returncode != 0 and "Unauthorized" in bad.stderr


# ------------------------------------------------------------------------------- leases

LEASES = "/apis/coordination.k8s.io/v1/namespaces/cert-manager/leases"


def kubectl(api, *args, stdin=None):
    return subprocess.run(["kubectl", "--kubeconfig", api["kubeconfig"], *args], input=stdin,
                          capture_output=True, text=True, timeout=30)


def lease_manifest(name, holder, resource_version=None):
    meta = {"name": name, "namespace": "cert-manager", "labels": {"app.kubernetes.io/managed-by": "dns01-webhook"}}
    if resource_version:
        meta["resourceVersion"] = resource_version
    return json.dumps({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": meta,
                       "spec": {"holderIdentity": holder, "leaseDurationSeconds": 30}})


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_creates_gets_and_cannot_replace_a_lease_with_a_stale_resource_version(api):
    made = kubectl(api, "create", "--validate=false", "-f", "-", "-o", "json",
                   stdin=lease_manifest("kubectl-lock", "pod-a"))
    assert made.returncode == 0, made.stderr
    first = json.loads(made.stdout)["metadata"]["resourceVersion"]
    again = kubectl(api, "create", "--validate=false", "-f", "-", stdin=lease_manifest("kubectl-lock", "pod-b"))
    assert again.returncode != 0 and "already exists" in again.stderr

    got = kubectl(api, "-n", "cert-manager", "get", "lease", "kubectl-lock", "-o", "json")
    assert got.returncode == 0, got.stderr
    lease = json.loads(got.stdout)
    assert (lease["kind"], lease["spec"]["holderIdentity"], lease["metadata"]["resourceVersion"]) == (
        "Lease", "pod-a", first)

    moved = kubectl(api, "replace", "--validate=false", "-f", "-", "-o", "json",
                    stdin=lease_manifest("kubectl-lock", "pod-b", first))
    assert moved.returncode == 0, moved.stderr
    second = json.loads(moved.stdout)["metadata"]["resourceVersion"]
    assert int(second) > int(first)

    stale = kubectl(api, "replace", "--validate=false", "-f", "-", stdin=lease_manifest("kubectl-lock", "pod-c", first))
    assert stale.returncode != 0
    assert "the object has been modified" in stale.stderr, stale.stderr
    held = json.loads(kubectl(api, "-n", "cert-manager", "get", "lease", "kubectl-lock", "-o", "json").stdout)
    assert held["spec"]["holderIdentity"] == "pod-b", "the stale replace changed nothing"

    gone = kubectl(api, "-n", "cert-manager", "delete", "lease", "kubectl-lock")
    assert gone.returncode == 0, gone.stderr
    missing = kubectl(api, "-n", "cert-manager", "get", "lease", "kubectl-lock")
    assert missing.returncode != 0 and "not found" in missing.stderr


def test_lease_delete_honours_the_resource_version_precondition(webhook):
    body = json.loads(lease_manifest("precondition-lock", "pod-a"))
    made = webhook.post(LEASES, body)
    assert made.status_code == 201, made.text
    version = made.json()["metadata"]["resourceVersion"]
    assert_status(webhook.post(LEASES, body), 409, "AlreadyExists",
                  'leases.coordination.k8s.io "precondition-lock" already exists')
    item = f"{LEASES}/precondition-lock"
    stale = webhook.s.delete(webhook.base + item, json={"kind": "DeleteOptions", "apiVersion": "v1",
                                                         "preconditions": {"resourceVersion": str(int(version) - 1)}},
                             timeout=10)
    assert_status(stale, 409, "Conflict")
    assert "Precondition failed" in stale.json()["message"]
    assert webhook.get(item).status_code == 200
    ok = webhook.s.delete(webhook.base + item, json={"preconditions": {"resourceVersion": version}}, timeout=10)
    assert ok.status_code == 200 and ok.json()["status"] == "Success"
    assert_status(webhook.get(item), 404, "NotFound", 'leases.coordination.k8s.io "precondition-lock" not found')


def test_lease_list_by_label_and_rbac_per_namespace(webhook):
    for name, label in (("listed-a", "dns01-webhook"), ("listed-b", "someone-else")):
        body = json.loads(lease_manifest(name, "pod-a"))
        body["metadata"]["labels"] = {"app.kubernetes.io/managed-by": label}
        assert webhook.post(LEASES, body).status_code == 201
    r = webhook.get(LEASES, params={"labelSelector": "app.kubernetes.io/managed-by=dns01-webhook"})
    assert r.status_code == 200 and r.json()["kind"] == "LeaseList"
    assert [i["metadata"]["name"] for i in r.json()["items"]] == ["listed-a"]
    other = "/apis/coordination.k8s.io/v1/namespaces/team-a/leases"
    assert_status(webhook.post(other, json.loads(lease_manifest("x", "pod-a"))), 403, "Forbidden",
                  f'leases.coordination.k8s.io is forbidden: User "{WEBHOOK_USER}" cannot create resource "leases" '
                  'in API group "coordination.k8s.io" in the namespace "team-a"')
    for name in ("listed-a", "listed-b"):
        assert webhook.s.delete(webhook.base + f"{LEASES}/{name}", timeout=10).status_code == 200


def test_sigterm_exits_zero(pki, tmp_path):
    proc = subprocess.Popen([sys.executable, str(FAKE), "--pki", pki["dir"]], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    assert set(info) == {"port", "url", "kubeconfig", "adminURL"}
    time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0


def test_configmap_watch_streams_added_modified_deleted(api, webhook, pki):
    admin = api["url"] + "/__admin/state"
    selector = "metadata.name=extension-apiserver-authentication"
    r = webhook.s.get(api["url"] + "/api/v1/namespaces/kube-system/configmaps", stream=True, timeout=10,
                      params={"watch": "true", "fieldSelector": selector, "timeoutSeconds": "3"})
    assert r.status_code == 200 and r.headers.get("Transfer-Encoding") == "chunked"
    lines = r.iter_lines()
    first = json.loads(next(lines))
    assert first["type"] == "ADDED" and first["object"]["metadata"]["name"] == "extension-apiserver-authentication"
    start_rv = first["object"]["metadata"]["resourceVersion"]
    requests.post(admin, verify=pki["clusterCACert"], timeout=10,
                  json={"configmap": {"requestheader-allowed-names": '["changed"]'}})
    second = json.loads(next(lines))
    assert second["type"] == "MODIFIED"
    assert second["object"]["data"]["requestheader-allowed-names"] == '["changed"]'
    assert int(second["object"]["metadata"]["resourceVersion"]) > int(start_rv)
    requests.post(admin, verify=pki["clusterCACert"], timeout=10, json={"configmapPresent": False})
    assert json.loads(next(lines))["type"] == "DELETED"
    assert_status(webhook.get(CM_PATH), 404, "NotFound", 'configmaps "extension-apiserver-authentication" not found')
    requests.post(admin, verify=pki["clusterCACert"], timeout=10, json={"configmapPresent": True, "configmap": None})
    assert json.loads(next(lines))["type"] == "ADDED"
    t0 = time.monotonic()
    assert list(lines) == []  # the server closes the stream at timeoutSeconds
    assert time.monotonic() - t0 < 4
    # resuming from the current resourceVersion sends nothing until a change
    rv = webhook.get(CM_PATH).json()["metadata"]["resourceVersion"]
    r = webhook.s.get(api["url"] + "/api/v1/namespaces/kube-system/configmaps", stream=True, timeout=10,
                      params={"watch": "1", "fieldSelector": selector, "resourceVersion": rv, "timeoutSeconds": "1"})
    assert list(r.iter_lines()) == []
    assert_status(Client(api, cert="bob").get("/api/v1/namespaces/kube-system/configmaps",
                                              params={"watch": "true"}), 403, "Forbidden")


def test_plain_http_admin_port_and_stdin_eof(pki):
    proc = subprocess.Popen([sys.executable, str(FAKE), "--pki", pki["dir"]], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    s = requests.Session()
    s.trust_env = False
    assert s.post(info["adminURL"] + "/__admin/state", json={"secrets": {"a/b": {"stringData": {"k": "v"}}}},
                  timeout=10).json()["ok"] is True
    assert "a/b" in s.get(info["adminURL"] + "/__admin/state", timeout=10).json()["secrets"]
    assert s.get(info["adminURL"] + "/api/v1/namespaces/a/secrets/b", timeout=10).status_code == 404
    assert proc.poll() is None
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
