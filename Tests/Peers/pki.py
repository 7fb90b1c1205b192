#!/usr/bin/env python3
"""Test PKI for the webhook tests (uses ``cryptography``).

Usage::

    python3 Tests/Peers/pki.py DIR [--server URL] [--key-type rsa|ec] [--token T]
    python3 Tests/Peers/pki.py kubeconfig DIR --server URL --out FILE
                                [--ca NAME] [--client NAME | --token T] [--insecure]

The first form creates DIR (if needed), (re)writes every file below into it
and prints ONE JSON object on stdout mapping names to absolute paths (all
values are strings, so Swift can decode it as ``[String: String]``).  The
second form writes one kubeconfig (e.g. once a server's port is known) and
prints ``{"kubeconfig": PATH}``.  NAME is a file stem from the table below
(``front-proxy-client``, ``alice``, ``cluster-ca``...).

Files (PEM; keys are PKCS#8 ``BEGIN PRIVATE KEY``; RSA-2048 by default)

========================  ======================================================================
JSON key (+Cert/Key)      file stem and content
========================  ======================================================================
clusterCA                 ``cluster-ca``: the cluster CA (the ConfigMap's ``client-ca-file``)
frontProxyCA              ``front-proxy-ca``: request-header CA (``requestheader-client-ca-file``)
wrongCA                   ``wrong-ca``: a CA nobody trusts
servingCA                 ``serving-ca``: signs the webhook's two serving certs (APIService caBundle)
frontProxyClient          ``front-proxy-client``: CN ``front-proxy-client``, EKU clientAuth, front-proxy CA
frontProxyNoClientAuth    ``front-proxy-no-clientauth``: CN ``front-proxy-client``, EKU serverAuth
                          only, front-proxy CA (must be refused: no client-auth usage)
wrongCAClient             ``wrong-ca-client``: CN ``front-proxy-client``, EKU clientAuth, from wrong CA
notAllowedClient          ``not-allowed-client``: CN ``not-allowed-proxy``, EKU clientAuth, front-proxy CA
servingA / servingB       ``serving-a`` / ``serving-b``: serverAuth, SAN DNS ``localhost``,
                          ``dns01-webhook``, ``dns01-webhook.cert-manager``,
                          ``dns01-webhook.cert-manager.svc``, IP ``127.0.0.1``; serving CA;
                          A valid 365 days, B valid 30 days (different serials/expiry: hot reload)
alice                     ``alice``: CN ``alice``, O ``system:masters``, clientAuth, cluster CA
bob                       ``bob``: CN ``bob``, O ``developers``, clientAuth, cluster CA
webhookClient             ``webhook-client``: CN ``system:serviceaccount:cert-manager:dns01-webhook``,
                          O ``system:serviceaccounts``, ``system:serviceaccounts:cert-manager``,
                          clientAuth, cluster CA: the webhook's identity towards the apiserver
apiserver                 ``apiserver``: the fake kube-apiserver's serving cert, SAN ``localhost``,
                          ``kubernetes``, ``kubernetes.default.svc``, IP ``127.0.0.1``; cluster CA
========================  ======================================================================

Other keys: ``dir``; ``kubeconfig`` (``kubeconfig.yaml``: cluster CA,
client cert ``webhook-client``, server ``--server``, default
``https://127.0.0.1:6443``); ``kubeconfigToken`` (``kubeconfig-token.yaml``:
same server and CA, bearer token ``--token``, default
``dns01-webhook-token``); ``kubeconfigAlice`` (``kubeconfig-alice.yaml``,
client cert ``alice``); ``token`` (the token string itself).

All certificates are valid from one hour ago; CAs for 10 years.
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import json
import os
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SERVING_DNS = ["localhost", "dns01-webhook", "dns01-webhook.cert-manager", "dns01-webhook.cert-manager.svc"]
APISERVER_DNS = ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"]
DEFAULT_SERVER = "https://127.0.0.1:6443"
DEFAULT_TOKEN = "dns01-webhook-token"


def _new_key(key_type: str):
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn: str, orgs=()) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


class Issuer:
    def __init__(self, cert: x509.Certificate, key):
        self.cert = cert
        self.key = key


def _write(directory: Path, stem: str, cert: x509.Certificate, key) -> tuple[str, str]:
    cert_path = directory / f"{stem}.crt"
    key_path = directory / f"{stem}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    return str(cert_path.resolve()), str(key_path.resolve())


def make_ca(cn: str, key_type: str) -> Issuer:
    key = _new_key(key_type)
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn)).issuer_name(_name(cn))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issuer(cert, key)


def make_leaf(issuer: Issuer, cn: str, key_type: str, *, orgs=(), client=False, server=False,
              dns=(), ips=(), days=365):
    key = _new_key(key_type)
    now = datetime.datetime.now(datetime.timezone.utc)
    usages = []
    if client:
        usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    if server:
        usages.append(ExtendedKeyUsageOID.SERVER_AUTH)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, orgs)).issuer_name(issuer.cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                     key_encipherment=isinstance(key, rsa.RSAPrivateKey),
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    )
    sans = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(issuer.key, hashes.SHA256()), key


def _yaml_str(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid YAML double-quoted scalar


def write_kubeconfig(path: Path, server: str, ca_file: str | None, *, client_cert: str | None = None,
                     client_key: str | None = None, token: str | None = None, insecure: bool = False) -> str:
    """Write a kubeconfig with one cluster/user/context named ``test``."""
    cluster = [f"    server: {_yaml_str(server)}"]
    if insecure:
        cluster.append("    insecure-skip-tls-verify: true")
    elif ca_file:
        cluster.append(f"    certificate-authority: {_yaml_str(ca_file)}")
    user = []
    if client_cert:
        user += [f"    client-certificate: {_yaml_str(client_cert)}", f"    client-key: {_yaml_str(client_key)}"]
    if token:
        user.append(f"    token: {_yaml_str(token)}")
    text = "\n".join([
        "apiVersion: v1", "kind: Config", "clusters:", "- name: test", "  cluster:", *cluster,
        "users:", "- name: test", "  user:" + ("" if user else " {}"), *user,
        "contexts:", "- name: test", "  context:", "    cluster: test", "    user: test",
        "current-context: test", "",
    ])
    path.write_text(text)
    os.chmod(path, 0o600)
    return str(path.resolve())


def generate(directory: Path, server: str = DEFAULT_SERVER, key_type: str = "rsa",
             token: str = DEFAULT_TOKEN) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    out: dict[str, str] = {"dir": str(directory.resolve()), "token": token}

    def put(json_key, stem, cert, key):
        out[json_key + "Cert"], out[json_key + "Key"] = _write(directory, stem, cert, key)

    cluster = make_ca("test-cluster-ca", key_type)
    front = make_ca("test-front-proxy-ca", key_type)
    wrong = make_ca("test-wrong-ca", key_type)
    serving = make_ca("test-webhook-serving-ca", key_type)
    for json_key, stem, ca in (("clusterCA", "cluster-ca", cluster), ("frontProxyCA", "front-proxy-ca", front),
                               ("wrongCA", "wrong-ca", wrong), ("servingCA", "serving-ca", serving)):
        put(json_key, stem, ca.cert, ca.key)

    leaves = [
        ("frontProxyClient", "front-proxy-client", front, "front-proxy-client", dict(client=True)),
        ("frontProxyNoClientAuth", "front-proxy-no-clientauth", front, "front-proxy-client", dict(server=True)),
        ("wrongCAClient", "wrong-ca-client", wrong, "front-proxy-client", dict(client=True)),
        ("notAllowedClient", "not-allowed-client", front, "not-allowed-proxy", dict(client=True)),
        ("servingA", "serving-a", serving, "dns01-webhook.cert-manager.svc",
         dict(server=True, dns=SERVING_DNS, ips=["127.0.0.1"], days=365)),
        ("servingB", "serving-b", serving, "dns01-webhook.cert-manager.svc",
         dict(server=True, dns=SERVING_DNS, ips=["127.0.0.1"], days=30)),
        ("alice", "alice", cluster, "alice", dict(client=True, orgs=["system:masters"])),
        ("bob", "bob", cluster, "bob", dict(client=True, orgs=["developers"])),
        ("webhookClient", "webhook-client", cluster, "system:serviceaccount:cert-manager:dns01-webhook",
         dict(client=True, orgs=["system:serviceaccounts", "system:serviceaccounts:cert-manager"])),
        ("apiserver", "apiserver", cluster, "kube-apiserver",
         dict(server=True, dns=APISERVER_DNS, ips=["127.0.0.1"])),
    ]
    for json_key, stem, issuer, cn, opts in leaves:
        cert, key = make_leaf(issuer, cn, key_type, **opts)
        put(json_key, stem, cert, key)

    out["kubeconfig"] = write_kubeconfig(directory / "kubeconfig.yaml", server, out["clusterCACert"],
                                         client_cert=out["webhookClientCert"], client_key=out["webhookClientKey"])
    out["kubeconfigToken"] = write_kubeconfig(directory / "kubeconfig-token.yaml", server, out["clusterCACert"],
                                              token=token)
    out["kubeconfigAlice"] = write_kubeconfig(directory / "kubeconfig-alice.yaml", server, out["clusterCACert"],
                                              client_cert=out["aliceCert"], client_key=out["aliceKey"])
    (directory / "pki.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    return out


def _kubeconfig_cmd(argv) -> int:
    p = argparse.ArgumentParser(prog="pki.py kubeconfig")
    p.add_argument("dir")
    p.add_argument("--server", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--ca", default="cluster-ca", help="file stem of the CA that signed the server cert")
    p.add_argument("--client", help="file stem of the client certificate to present")
    p.add_argument("--token")
    p.add_argument("--insecure", action="store_true")
    a = p.parse_args(argv)
    d = Path(a.dir)
    ca = str((d / f"{a.ca}.crt").resolve())
    kwargs = {}
    if a.client:
        kwargs = dict(client_cert=str((d / f"{a.client}.crt").resolve()),
                      client_key=str((d / f"{a.client}.key").resolve()))
    for f in [ca] + list(kwargs.values()):
        if not Path(f).is_file():
            print(f"pki.py: missing {f}", file=sys.stderr)
            return 1
    path = write_kubeconfig(Path(a.out), a.server, ca, token=a.token, insecure=a.insecure, **kwargs)
    print(json.dumps({"kubeconfig": path}), flush=True)
    return 0


def main(argv) -> int:
    if argv and argv[0] == "kubeconfig":
        return _kubeconfig_cmd(argv[1:])
    p = argparse.ArgumentParser(prog="pki.py", description="create the test PKI in DIR")
    p.add_argument("dir")
    p.add_argument("--server", default=DEFAULT_SERVER, help="apiserver URL written into the kubeconfigs")
    p.add_argument("--key-type", choices=["rsa", "ec"], default="rsa")
    p.add_argument("--token", default=DEFAULT_TOKEN, help="bearer token for kubeconfig-token.yaml")
    a = p.parse_args(argv)
    print(json.dumps(generate(Path(a.dir), a.server, a.key_type, a.token), sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
