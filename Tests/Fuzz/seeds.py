#!/usr/bin/env python3
"""Writes the hand-made seeds of the fuzz corpora (Tests/Fuzz/Corpus/<target>/seed-*).

Real inputs (cert-manager's ChallengePayload, the config examples in README.md, docs/ and
examples/, DNS answers, Route53 and STS responses) and the nasty ones (deep nesting, invalid
UTF-8, huge numbers, 64 KiB names and strings, duplicate keys, NUL bytes). Deterministic: run it
again after changing it and commit what changes. Files the fuzzer added (named by their SHA-1)
are left alone.
"""
import hashlib
import hmac
import json
import pathlib
import re
import struct

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "Tests" / "Fuzz" / "Corpus"
BIG = 64 * 1024


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / f"seed-{name}").write_bytes(data)


def clear_seeds():
    for path in CORPUS.glob("*/seed-*"):
        path.unlink()


# MARK: fuzz-payload: cert-manager's ChallengePayload request bodies

def payloads():
    request = {
        "uid": "",
        "action": "Present",
        "type": "dns-01",
        "dnsName": "example.com",
        "key": "kWx3_oR1vAq9nN0Q3y8bZc7f4jS2pL6tH5uD1eGmY0o",
        "resourceNamespace": "cert-manager",
        "resolvedFQDN": "_acme-challenge.example.com.",
        "resolvedZone": "example.com.",
        "allowAmbientCredentials": True,
        "config": {"apiTokenSecretRef": {"name": "dns-api", "key": "token"}, "ttl": 60},
    }

    def body(**changes):
        fields = dict(request, **changes)
        return json.dumps({"request": {k: v for k, v in fields.items() if v is not ...}}, indent=1)

    write("fuzz-payload", "present", body())
    write("fuzz-payload", "cleanup", body(action="CleanUp"))
    write("fuzz-payload", "typed", json.dumps({"apiVersion": "webhook.acme.cert-manager.io/v1alpha1", "kind": "ChallengePayload", "request": request}))
    write("fuzz-payload", "minimal", body(uid=..., type=..., resolvedFQDN=..., resolvedZone=..., allowAmbientCredentials=..., config=...))
    write("fuzz-payload", "lowercase-action", body(action="present", config=None))
    write("fuzz-payload", "idn", body(dnsName="bücher.example", resolvedFQDN="_acme-challenge.xn--bcher-kva.example.", resolvedZone="xn--bcher-kva.example."))
    write("fuzz-payload", "cname-followed", body(dnsName="www.example.com", resolvedFQDN="_acme-challenge.target.example.net.", resolvedZone="example.net."))
    write("fuzz-payload", "route53-config", body(config={"route53": {"region": "us-east-1", "hostedZoneID": "Z123", "accessKeyIDSecretRef": {"name": "aws", "key": "id"}, "secretAccessKeySecretRef": {"name": "aws", "key": "secret"}}}))
    write("fuzz-payload", "routing-table-config", body(config={"providers": [{"selector": {"dnsZones": ["example.com"]}, "memory": {}}, {"rfc2136": {"nameserver": "10.0.0.1:53"}}]}))
    write("fuzz-payload", "unknown-action", body(action="Destroy"))
    write("fuzz-payload", "http-01", body(type="http-01"))
    write("fuzz-payload", "bad-namespace", body(resourceNamespace="Not_A_Namespace"))
    write("fuzz-payload", "config-not-object", body(config=[1, 2, 3]))
    write("fuzz-payload", "request-null", '{"request": null}')
    write("fuzz-payload", "request-array", '{"request": []}')
    write("fuzz-payload", "top-level-array", "[]")
    write("fuzz-payload", "empty", "")
    write("fuzz-payload", "whitespace-only", " \t\r\n")
    write("fuzz-payload", "trailing-garbage", body() + " }")
    write("fuzz-payload", "bom", b"\xef\xbb\xbf" + body().encode())
    # Nesting: far past the parser's 512 levels, inside the request and at the top.
    write("fuzz-payload", "deep-arrays-100k", "[" * 100_000)
    write("fuzz-payload", "deep-objects-25k", '{"":' * 25_000)
    write("fuzz-payload", "deep-config-511", '{"request":{"action":"Present","dnsName":"example.com","key":"k","resourceNamespace":"ns","config":' + '{"a":' * 509 + "1" + "}" * 509 + "}}")
    write("fuzz-payload", "deep-config-513", '{"request":{"action":"Present","dnsName":"example.com","key":"k","resourceNamespace":"ns","config":' + '{"a":' * 511 + "1" + "}" * 511 + "}}")
    # UTF-8: invalid bytes, overlong forms, encoded surrogates, escaped lone surrogates.
    for name, raw in {
        "invalid-utf8-ff": b"\xff\xfe",
        "invalid-utf8-overlong": b"\xc0\xaf",
        "invalid-utf8-surrogate": b"\xed\xa0\x80",
        "invalid-utf8-truncated": b"\xe2\x82",
        "invalid-utf8-above-max": b"\xf4\x90\x80\x80",
    }.items():
        write("fuzz-payload", name, body().encode().replace(b"cert-manager", b"cert" + raw + b"manager", 1))
    write("fuzz-payload", "invalid-utf8-key", b'{"request":{"\xff":1}}')
    write("fuzz-payload", "escaped-surrogates", r'{"request":{"key":"\ud800x\udc00\udbff\udfff\ud800\ud800\ud800\u0041","action":"Present"}}')
    write("fuzz-payload", "escapes-all", r'{"request":{"key":"\"\\\/\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00","action":"Present"}}')
    write("fuzz-payload", "bad-escape", r'{"request":{"key":"\x"}}')
    write("fuzz-payload", "incomplete-unicode-escape", r'{"request":{"key":"\u12')
    # Numbers: out of range, 300 digits, edge grammar.
    write("fuzz-payload", "number-1e400", body(config=...).replace('"ttl": 60', '"ttl": 1e400').replace("}\n}", ', "n": 1e400}\n}'))
    write("fuzz-payload", "numbers", '{"request":{"config":{"a":[1e400,-1e400,1e-400,-0,0.0,' + "9" * 300 + ",-" + "1" * 300 + ",1" + "0" * 308 + ",1.7976931348623157e308,4.9e-324,123456789012345678]}}}")
    for text in ["-", "01", "1.", "1e", "1e+", ".5", "+1", "0x10", "NaN", "Infinity", "1" * 20000]:
        write("fuzz-payload", "number-" + hashlib.sha1(text.encode()).hexdigest()[:8], '{"request":{"ttl":' + text + "}}")
    # Sizes: 64 KiB names, keys and strings.
    write("fuzz-payload", "dnsname-64k", body(dnsName="a" * BIG + ".example.com", resolvedFQDN=..., resolvedZone=...))
    write("fuzz-payload", "labels-64k", body(dnsName="a." * (BIG // 2) + "com", resolvedFQDN=..., resolvedZone=...))
    write("fuzz-payload", "key-64k", body(key="k" * BIG))
    write("fuzz-payload", "member-name-64k", '{"request":{"' + "n" * BIG + '":1}}')
    write("fuzz-payload", "many-members", '{"request":{' + ",".join(f'"m{i}":{i}' for i in range(3000)) + "}}")
    # Duplicate keys (the last wins) and NUL bytes, raw (refused) and escaped.
    write("fuzz-payload", "duplicate-request", '{"request":{"action":"CleanUp"},' + body()[1:])
    write("fuzz-payload", "duplicate-fields", body().replace('"uid": ""', '"action": "CleanUp", "dnsName": "x", "uid": ""'))
    write("fuzz-payload", "nul-raw", body().encode().replace(b"example.com", b"exa\x00mple.com", 1))
    write("fuzz-payload", "nul-escaped", body(dnsName="exa\u0000mple.com"))
    write("fuzz-payload", "nul-only", b"\x00" * 64)
    write("fuzz-payload", "literals", '{"request":{"allowAmbientCredentials":tru,"x":nul,"y":fals}}')


# MARK: fuzz-config: config documents (YAML or JSON)

def configs():
    blocks = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        blocks += re.findall(r"```(?:yaml|json)\n(.*?)```", doc.read_text(), re.S)
    blocks += [path.read_text() for path in sorted((ROOT / "examples").glob("*.y*ml"))]

    def webhook_configs(node):
        if isinstance(node, dict):
            if isinstance(node.get("webhook"), dict) and "config" in node["webhook"]:
                yield node["webhook"]["config"]
            for value in node.values():
                yield from webhook_configs(value)
        elif isinstance(node, list):
            for value in node:
                yield from webhook_configs(value)

    seen = set()
    for text in blocks:
        found = [text]
        try:
            for document in yaml.safe_load_all(text):
                found += [yaml.safe_dump(config, sort_keys=False) for config in webhook_configs(document)]
        except yaml.YAMLError:
            pass  # a fragment: kept as it is
        for item in found:
            digest = hashlib.sha1(item.encode()).hexdigest()[:10]
            if digest not in seen:
                seen.add(digest)
                write("fuzz-config", "doc-" + digest, item)

    write("fuzz-config", "json-table", json.dumps({"providers": [{"selector": {"dnsNames": ["a.example.com"], "dnsZones": ["example.com"]}, "memory": {}}, {"route53": {"region": "us-east-1"}}]}))
    write("fuzz-config", "policy-and-table", "issuerPolicy:\n  allowedEndpoints: [https://hooks.example.com/t/, 'dns://10.0.0.1:53']\n  allowedPrograms: [/usr/local/bin/hook]\nproviders:\n  - http: {endpoint: https://hooks.example.com/op}\n")
    write("fuzz-config", "policy-only", "issuerPolicy: {allowedPrograms: []}\n")
    write("fuzz-config", "rfc2136", "rfc2136:\n  nameserver: 127.0.0.1:5353\n  tsigKeyName: key.\n  tsigAlgorithm: HMACSHA256\n  tsigSecretSecretRef: {name: tsig, key: secret}\n")
    write("fuzz-config", "exec", "exec: {program: /bin/true, args: [present], timeout: 5s}\n")
    write("fuzz-config", "alidns", "alidns: {regionId: cn-beijing, accessTokenSecretRef: {name: a, key: b}, secretKeySecretRef: {name: a, key: c}}\n")
    write("fuzz-config", "ambiguous-table", "providers:\n  - memory: {}\n  - memory: {}\n")
    write("fuzz-config", "wildcard-zone", "providers:\n  - selector: {dnsZones: ['*.example.com']}\n    memory: {}\n")
    write("fuzz-config", "empty", "")
    write("fuzz-config", "null", "~\n")
    write("fuzz-config", "multi-document", "memory: {}\n---\nroute53: {}\n")
    # YAML features the loader refuses or types: anchors and aliases (a billion laughs), tags,
    # complex keys, timestamps, YAML 1.1 booleans.
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    write("fuzz-config", "billion-laughs", laughs)
    write("fuzz-config", "billion-laughs-as-key", laughs + "? *i\n: 1\n")
    write("fuzz-config", "alias-across-documents", "a: &a [1]\n---\nb: *a\n")
    write("fuzz-config", "merge-key", "base: &base {region: us-east-1}\nroute53:\n  <<: *base\n")
    write("fuzz-config", "tags", "route53: !!map {region: !!str 1, ttl: !!int '60', x: !!binary aGVsbG8=, y: !!float .inf, z: !custom q}\n")
    write("fuzz-config", "complex-key", "? [a, b]\n: 1\n")
    write("fuzz-config", "yaml11-scalars", "memory: {a: yes, b: no, c: on, d: off, e: 0x1F, f: 0o17, g: 1_000, h: .nan, i: -.inf, j: 2001-12-14t21:59:43.10-05:00, k: 190:20:30}\n")
    write("fuzz-config", "tabs-and-crlf", "providers:\r\n\t- memory: {}\r\n")
    write("fuzz-config", "block-scalars", "exec:\n  program: |\n    /bin/sh\n  args: >-\n    -c\n    true\n")
    # Nesting, sizes, numbers, duplicates, NUL, invalid UTF-8.
    write("fuzz-config", "deep-flow-100k", "[" * 100_000)
    write("fuzz-config", "deep-flow-map-25k", "{a: " * 25_000)
    write("fuzz-config", "deep-block-400", "".join(" " * i + "a:\n" for i in range(400)))
    write("fuzz-config", "deep-json-10k", '{"a":' * 10_000 + "1" + "}" * 10_000)
    write("fuzz-config", "deep-compact-sequence-50k", "- " * 50_000 + "x\n")
    write("fuzz-config", "name-64k", "providers:\n  - selector: {dnsNames: [" + "a" * BIG + ".example.com]}\n    memory: {}\n")
    write("fuzz-config", "labels-64k", "providers:\n  - selector: {dnsZones: [" + "a." * (BIG // 2) + "com]}\n    memory: {}\n")
    write("fuzz-config", "key-64k", "k" * BIG + ": 1\n")
    write("fuzz-config", "many-zones", "providers:\n" + "".join(f"  - selector: {{dnsZones: [z{i}.example]}}\n    memory: {{}}\n" for i in range(500)))
    write("fuzz-config", "numbers", "memory: {a: 1e400, b: -1e400, c: " + "9" * 300 + ", d: 0." + "0" * 400 + "1, e: 1e-400, f: 0x" + "F" * 40 + "}\n")
    write("fuzz-config", "route53-ttl-huge", "route53: {region: us-east-1, ttl: 1e400}\n")
    write("fuzz-config", "duplicate-keys", "memory: {}\nmemory: {latency: 1ms}\n")
    write("fuzz-config", "duplicate-keys-json", '{"providers": [], "providers": [{"memory": {}}]}')
    write("fuzz-config", "nul", b"memory: {zones: [a\x00b]}\n")
    write("fuzz-config", "nul-escaped", 'memory: {zones: ["a\\0b"]}\n')
    write("fuzz-config", "invalid-utf8", b"memory: {zones: [\xff\xfe]}\n")
    write("fuzz-config", "bom", b"\xef\xbb\xbfmemory: {}\n")
    write("fuzz-config", "unterminated", "providers: [{memory: {")


# MARK: fuzz-dns-message: answers from a nameserver

def name(text):
    out = b""
    for label in filter(None, text.split(".")):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(ident, flags, qd, an, ns, ar):
    return struct.pack(">HHHHHH", ident, flags, qd, an, ns, ar)


def record(owner, rtype, rdata, ttl=60, rclass=1):
    return owner + struct.pack(">HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def txt(*strings):
    return b"".join(bytes([len(s)]) + s for s in strings)


KEY_NAME, KEY_SECRET, REQUEST_MAC, NOW = "fuzz-key", b"\x5a" * 32, b"\xa5" * 32, 1_700_000_000


def tsig_signed(message, original_id):
    """`message` with an hmac-sha256 TSIG record appended as the fuzz target's key would sign it."""
    algorithm = name("hmac-sha256")
    variables = name(KEY_NAME) + struct.pack(">HI", 255, 0) + algorithm + struct.pack(">HIHHH", NOW >> 32, NOW & 0xFFFFFFFF, 300, 0, 0)
    digest = struct.pack(">H", len(REQUEST_MAC)) + REQUEST_MAC + message + variables
    mac = hmac.new(KEY_SECRET, digest, hashlib.sha256).digest()
    rdata = algorithm + struct.pack(">HIHH", NOW >> 32, NOW & 0xFFFFFFFF, 300, len(mac)) + mac + struct.pack(">HHH", original_id, 0, 0)
    counts = bytearray(message[:12])
    counts[10:12] = struct.pack(">H", struct.unpack(">H", message[10:12])[0] + 1)
    return bytes(counts) + message[12:] + record(name(KEY_NAME), 250, rdata, ttl=0, rclass=255)


def dns_messages():
    question = name("_acme-challenge.example.com") + struct.pack(">HH", 16, 1)
    write("fuzz-dns-message", "query", header(0x1234, 0x0100, 1, 0, 0, 0) + question)
    answer = header(0x1234, 0x8400, 1, 2, 0, 0) + question
    answer += record(b"\xc0\x0c", 16, txt(b"kWx3_oR1vAq9nN0Q3y8bZc7f4jS2pL6tH5uD1eGmY0o"))
    answer += record(b"\xc0\x0c", 16, txt(b"a" * 255, b"b" * 45))
    write("fuzz-dns-message", "txt-answer-compressed", answer)
    write("fuzz-dns-message", "txt-answer-plain", header(1, 0x8180, 1, 1, 0, 0) + question + record(name("_acme-challenge.example.com"), 16, txt(b"v")))
    soa = name("ns1.example.com") + name("hostmaster.example.com") + struct.pack(">IIIII", 1, 7200, 900, 1209600, 300)
    write("fuzz-dns-message", "nxdomain-soa", header(2, 0x8183, 1, 0, 1, 0) + question + record(name("example.com"), 6, soa))
    write("fuzz-dns-message", "update-response", header(3, 0xA800, 1, 0, 0, 0) + name("example.com") + struct.pack(">HH", 6, 1))
    write("fuzz-dns-message", "refused", header(4, 0x8005, 0, 0, 0, 0))
    write("fuzz-dns-message", "edns-opt", header(5, 0x8400, 1, 0, 0, 1) + question + b"\0" + struct.pack(">HHIH", 41, 4096, 0, 0))
    signed_body = header(0x4242, 0xA800, 1, 0, 0, 0) + name("example.com") + struct.pack(">HH", 6, 1)
    write("fuzz-dns-message", "tsig-signed-update-response", tsig_signed(signed_body, 0x4242))
    write("fuzz-dns-message", "tsig-signed-answer", tsig_signed(answer, 0x1234))
    badkey = name("hmac-sha256") + struct.pack(">HIHH", 0, NOW, 300, 0) + struct.pack(">HHH", 0x4242, 17, 0)
    write("fuzz-dns-message", "tsig-badkey", signed_body[:10] + b"\0\1" + signed_body[12:] + record(name(KEY_NAME), 250, badkey, ttl=0, rclass=255))
    # Hostile: pointer loops, pointers out of range, long labels and names, huge counts, 64 KiB.
    write("fuzz-dns-message", "pointer-self-loop", header(6, 0x8000, 1, 0, 0, 0) + b"\xc0\x0c" + b"\0\x10\0\x01")
    write("fuzz-dns-message", "pointer-two-loop", header(7, 0x8000, 1, 0, 0, 0) + b"\x01a\xc0\x0e\xc0\x0c" + b"\0\x10\0\x01")
    write("fuzz-dns-message", "pointer-out-of-range", header(8, 0x8000, 1, 0, 0, 0) + b"\xff\xff" + b"\0\x10\0\x01")
    write("fuzz-dns-message", "pointer-chain-100", header(9, 0x8000, 1, 0, 0, 0) + b"\0" + b"".join(struct.pack(">H", 0xC000 | (12 + 2 * i)) for i in range(100)) + b"\0\x10\0\x01")
    write("fuzz-dns-message", "label-type-01", header(10, 0x8000, 1, 0, 0, 0) + b"\x41abc\0\0\x10\0\x01")
    write("fuzz-dns-message", "label-64", header(11, 0x8000, 1, 0, 0, 0) + b"\x3f" + b"a" * 63 + b"\0\0\x10\0\x01")
    write("fuzz-dns-message", "name-300", header(12, 0x8000, 1, 0, 0, 0) + b"\x3f" + b"a" * 63 + b"\x3f" + b"b" * 63 + b"\x3f" + b"c" * 63 + b"\x3f" + b"d" * 63 + b"\x3f" + b"e" * 63 + b"\0\0\x10\0\x01")
    write("fuzz-dns-message", "counts-65535", header(13, 0x8000, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF) + question)
    write("fuzz-dns-message", "truncated-header", b"\x12\x34\x81")
    write("fuzz-dns-message", "empty", b"")
    write("fuzz-dns-message", "rdlength-past-end", header(14, 0x8000, 0, 1, 0, 0) + name("a") + struct.pack(">HHIH", 16, 1, 0, 60000) + b"x")
    write("fuzz-dns-message", "txt-bad-lengths", header(15, 0x8000, 0, 1, 0, 0) + record(name("a"), 16, b"\x05ab"))
    write("fuzz-dns-message", "label-dots-nul-utf8", header(16, 0x8000, 0, 1, 0, 0) + record(b"\x05a.b\x00\xff\x02\xc3\xa9\0", 16, txt(b"\0\xff")))
    many = header(17, 0x8000, 0, 1300, 0, 0) + b"".join(record(b"\0", 16, txt(b"x" * 40)) for _ in range(1300))
    write("fuzz-dns-message", "size-64k", many[:65535])
    write("fuzz-dns-message", "tsig-trailing-bytes", tsig_signed(signed_body, 0x4242) + b"\0")
    write("fuzz-dns-message", "tsig-not-last", tsig_signed(signed_body, 0x4242)[:10] + b"\0\2" + tsig_signed(signed_body, 0x4242)[12:] + record(b"\0", 1, b"\1\2\3\4"))


# MARK: fuzz-route53-xml: Route53 and STS response bodies

def route53_responses():
    ns = 'xmlns="https://route53.amazonaws.com/doc/2013-04-01/"'
    decl = '<?xml version="1.0"?>\n'
    write("fuzz-route53-xml", "list-zones", decl + f"<ListHostedZonesByNameResponse {ns}><HostedZones><HostedZone><Id>/hostedzone/Z1</Id><Name>example.com.</Name><CallerReference>r</CallerReference><Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone><HostedZone><Id>/hostedzone/Z2</Id><Name>\\052.example.org.</Name><Config><PrivateZone>true</PrivateZone></Config></HostedZone></HostedZones><DNSName>example.com</DNSName><IsTruncated>true</IsTruncated><MaxItems>2</MaxItems><NextDNSName>next.example.</NextDNSName><NextHostedZoneId>/hostedzone/Z3</NextHostedZoneId></ListHostedZonesByNameResponse>")
    write("fuzz-route53-xml", "list-records", decl + f'<ListResourceRecordSetsResponse {ns}><ResourceRecordSets><ResourceRecordSet><Name>_acme-challenge.example.com.</Name><Type>TXT</Type><SetIdentifier>id &amp; "q"</SetIdentifier><MultiValueAnswer>true</MultiValueAnswer><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>"kWx3_oR1vAq9nN0Q3y8bZc7f4jS2pL6tH5uD1eGmY0o"</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></ResourceRecordSets><IsTruncated>true</IsTruncated><MaxItems>1</MaxItems><NextRecordName>_acme-challenge.example.com.</NextRecordName><NextRecordType>TXT</NextRecordType><NextRecordIdentifier>x</NextRecordIdentifier></ListResourceRecordSetsResponse>')
    write("fuzz-route53-xml", "change-info", decl + f"<ChangeResourceRecordSetsResponse {ns}><ChangeInfo><Id>/change/C1</Id><Status>PENDING</Status><SubmittedAt>2026-01-01T00:00:00.000Z</SubmittedAt><Comment>Managed by cert-manager</Comment></ChangeInfo></ChangeResourceRecordSetsResponse>")
    write("fuzz-route53-xml", "get-change", decl + f"<GetChangeResponse {ns}><ChangeInfo><Id>/change/C1</Id><Status>INSYNC</Status></ChangeInfo></GetChangeResponse>")
    write("fuzz-route53-xml", "error", decl + f"<ErrorResponse {ns}><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>")
    write("fuzz-route53-xml", "invalid-change-batch", decl + f"<InvalidChangeBatch {ns}><Messages><Message>Tried to delete resource record set [name='x', type='TXT'] but it was not found</Message><Message>two</Message></Messages><RequestId>r</RequestId></InvalidChangeBatch>")
    write("fuzz-route53-xml", "s3-style-error", "<Error><Code>AccessDenied</Code><message>lower-case message</message></Error>")
    write("fuzz-route53-xml", "sts-credentials", '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAFAKE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>2026-01-01T01:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>')
    write("fuzz-route53-xml", "sts-expiration-odd", "<R><AssumeRoleResult><Credentials><Expiration>2026-02-30T25:61:61.9999999999+99:99</Expiration></Credentials></AssumeRoleResult></R>")
    write("fuzz-route53-xml", "features", '<?xml version="1.0"?>\n<!DOCTYPE x>\n<!-- c -->\n<r:Root xmlns:r="urn:x" a=\'x>y\' b="/>"><A>1 &amp; 2 &lt;3&gt; &#34;q&#x22; &#x1F600; &#0; &#x110000;</A><B/><C><![CDATA[<raw>]]></C><?pi x?><!-- in --></r:Root>')
    write("fuzz-route53-xml", "not-xml", "Service Unavailable")
    write("fuzz-route53-xml", "empty", "")
    write("fuzz-route53-xml", "unterminated-close", "<a><b></b")
    write("fuzz-route53-xml", "mismatched", "<a><b></a></b>")
    write("fuzz-route53-xml", "octal-escapes", f"<ListHostedZonesByNameResponse><HostedZones><HostedZone><Name>\\\\052\\777\\0\\08\\</Name></HostedZone></HostedZones></ListHostedZonesByNameResponse>")
    # Hostile: deep nesting, 64 KiB names and text, entities, NUL, invalid UTF-8.
    write("fuzz-route53-xml", "deep-33k", "<a>" * 33_333)
    write("fuzz-route53-xml", "deep-closed-10k", "<a>" * 10_000 + "</a>" * 10_000)
    write("fuzz-route53-xml", "name-64k", "<" + "n" * BIG + "/>")
    write("fuzz-route53-xml", "text-64k", "<ListHostedZonesByNameResponse><HostedZones><HostedZone><Name>" + "a." * (BIG // 2) + "</Name></HostedZone></HostedZones></ListHostedZonesByNameResponse>")
    write("fuzz-route53-xml", "many-children", "<ResourceRecordSets>" + "<ResourceRecordSet/>" * 2000 + "</ResourceRecordSets>")
    write("fuzz-route53-xml", "entities-bad", "<a>&; &#; &#x; &#xFFFFFFFFF; &#99999999999; &toolongentityname; &amp</a>")
    write("fuzz-route53-xml", "nul-and-invalid-utf8", b"<a>\x00\xff\xfe<b\x00/>\xc0\xaf</a>")
    write("fuzz-route53-xml", "unterminated-everything", "<a x='<!-- <![CDATA[ <?")


if __name__ == "__main__":
    clear_seeds()
    payloads()
    configs()
    dns_messages()
    route53_responses()
    for folder in sorted(CORPUS.iterdir()):
        files = list(folder.iterdir())
        print(f"{folder.name}: {len(files)} files, {sum(f.stat().st_size for f in files)} bytes")
