import ConfigLoading
import DNS01
import Testing

@Suite("Config documents")
struct ConfigDocumentTests {
    @Test("YAML and JSON give the same value, with YAML core types")
    func yamlAndJSON() throws {
        let yaml = """
            providers:
              - selector: {dnsZones: [example.com]}
                route53: {region: us-east-1, ttl: 10, private: false, note: ~, date: 2016-02-23}
            """
        let json = #"{"providers":[{"selector":{"dnsZones":["example.com"]},"route53":{"region":"us-east-1","ttl":10,"private":false,"note":null,"date":"2016-02-23"}}]}"#
        let fromYAML = try ConfigDocument.parse(yaml, source: "a.yaml")
        let fromJSON = try ConfigDocument.parse(json, source: "a.json")
        #expect(fromYAML == fromJSON)
        #expect(
            fromYAML["providers"]
                == .array([
                    [
                        "selector": ["dnsZones": ["example.com"]],
                        "route53": ["region": "us-east-1", "ttl": 10, "private": false, "note": nil, "date": "2016-02-23"],
                    ]
                ]))
    }

    @Test(
        "malformed documents name the file",
        arguments: [
            ("a: [1, 2", "bad.yaml is not valid YAML or JSON"),
            ("", "bad.yaml is empty"),
            ("a: 1\na: 2\n", "bad.yaml is not valid YAML or JSON: the key \"a\" appears twice in the mapping that starts on line 1"),
        ])
    func malformed(text: String, prefix: String) {
        do {
            _ = try ConfigDocument.parse(text, source: "bad.yaml")
            Issue.record("expected an error")
        } catch let error as DNS01Error {
            #expect(error.message.hasPrefix(prefix), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(
        "syntax errors give the line, the column, the parser's reason and the offending line",
        arguments: [
            (
                "providers: [ {memory: {}\n",
                "line 2, column 1: did not find expected ',' or '}' (while parsing a flow mapping that starts on line 1, column 14); the text ends there, and line 1 reads: providers: [ {memory: {}"
            ),
            (
                #"{"route53": {"region": "us-east-1",, "role": "x"}}"#,
                #"line 1, column 36: did not find expected node content (while parsing a flow node that starts on line 1, column 36); line 1 reads: {"route53": {"region": "us-east-1",, "role": "x"}}"#
            ),
            (
                "route53:\n  region: us-east-1\n    role: x\n",
                "line 3, column 9: mapping values are not allowed in this context; line 3 reads: role: x"
            ),
            (
                "memory:\n\tzones: []\n",
                #"line 2, column 1: found character that cannot start any token (while scanning for the next token that starts on line 2, column 1); line 2 reads: \tzones: []"#
            ),
            ("memory:\n  zones: [\u{1}]\n", #"line 2, column 11: control characters are not allowed; line 2 reads: zones: [\u{1}]"#),
        ])
    func syntaxErrors(text: String, expected: String) {
        let error = #expect(throws: DNS01Error.self) { try ConfigDocument.parse(text, source: "c.yaml") }
        #expect(error?.message == "c.yaml is not valid YAML or JSON: \(expected)")
    }

    @Test("aliases are refused, not expanded: a billion laughs is one error, not 10^10 nodes")
    func aliases() throws {
        var laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            laughs += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        for text in [laughs, laughs + "? *a9\n: 1\n", "base: &b {region: us-east-1}\nroute53: *b\n", "zones: &z [a]\nmore: [*z]\n"] {
            let error = #expect(throws: DNS01Error.self) { try ConfigDocument.parse(text, source: "x.yaml") }
            #expect(error?.message.hasPrefix("x.yaml: YAML aliases are not supported") == true, "\(String(describing: error))")
        }
        let error = #expect(throws: DNS01Error.self) { try ConfigDocument.parseAll("---\na: &a [1]\n---\nb: [*a]\n", source: "s.yaml") }
        #expect(error?.message == "s.yaml: YAML aliases are not supported (*a on line 4)")
        // An anchor that nothing refers to is only a name.
        #expect(try ConfigDocument.parse("memory: &m {}\n", source: "x.yaml") == ["memory": [:]])
    }

    @Test(
        "a sequence or mapping used as a key is refused before Yams sorts such keys for its duplicate check",
        arguments: [
            ("? [a, b]\n: 1\n", "mapping keys must be strings (a sequence is used as a key on line 1)"),
            ("memory:\n  ? {zones: [a]}\n  : 1\n", "mapping keys must be strings (a mapping is used as a key on line 2)"),
            ("{[a]: 1}", "mapping keys must be strings (a sequence is used as a key on line 1)"),
            ("a: [{x: 1}, {? [y] : 2}]\n", "mapping keys must be strings (a sequence is used as a key on line 1)"),
        ])
    func collectionKeys(text: String, expected: String) {
        let error = #expect(throws: DNS01Error.self) { try ConfigDocument.parse(text, source: "k.yaml") }
        #expect(error?.message == "k.yaml: \(expected)")
    }

    @Test("collections as values, after and inside mappings, are still read")
    func collectionValuesStillRead() throws {
        let text = "a: [{x: [1, {y: 2}]}, [3]]\nb: {c: {d: [e]}}\nf: g\n"
        #expect(try ConfigDocument.parse(text, source: "v.yaml") == ["a": [["x": [1, ["y": 2]]], [3]], "b": ["c": ["d": ["e"]]], "f": "g"])
        // The fuzzer's 1.2 KB of nested complex keys: one error at once (before: minutes in Yams).
        let nested = String(repeating: "? ? ? - - - - ? ? ? - - ps://s//2 0\n", count: 30)
        let error = #expect(throws: DNS01Error.self) { try ConfigDocument.parse(nested, source: "n.yaml") }
        #expect(error?.message.hasPrefix("n.yaml: mapping keys must be strings") == true, "\(String(describing: error))")
    }
}

@Suite("Secret manifests")
struct SecretManifestTests {
    let manifests = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: route53-credentials
          namespace: cert-manager
        type: Opaque
        data:
          access-key-id: QUtJQUVYQU1QTEU=
          secret-access-key: c2VjcmV0Cg==
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: alidns-secrets}
        data:
          access-token: b2xk
        stringData:
          access-token: new
          secret-key: plain
        ---
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Secret
            metadata: {name: listed, namespace: other}
            data: {k: dg==}
        """

    @Test("reads data (base64), stringData (wins per key), several documents and lists")
    func reads() async throws {
        let source = try SecretManifestSource(text: manifests, source: "secrets.yaml", defaultNamespace: "default")
        #expect(try await source.secretValue(namespace: "cert-manager", name: "route53-credentials", key: "access-key-id").text == "AKIAEXAMPLE")
        // The trailing newline that `echo | base64` adds is trimmed.
        #expect(try await source.secretValue(namespace: "cert-manager", name: "route53-credentials", key: "secret-access-key").text == "secret")
        #expect(try await source.secretValue(namespace: "default", name: "alidns-secrets", key: "access-token").text == "new")
        #expect(try await source.secretValue(namespace: "default", name: "alidns-secrets", key: "secret-key").text == "plain")
        #expect(try await source.secretValue(namespace: "other", name: "listed", key: "k").text == "v")
    }

    @Test("a secret is found in its own namespace only, and errors name namespace, secret and key")
    func missing() async throws {
        let source = try SecretManifestSource(text: manifests, source: "secrets.yaml", defaultNamespace: "default")
        await #expect(
            throws: DNS01Error(
                .secretNotFound,
                "secret \"route53-credentials\" not found in namespace \"default\" (read from secrets.yaml); secrets.yaml has a Secret \"route53-credentials\" in namespace \"cert-manager\": pass --namespace cert-manager (the namespace Secret references resolve in, cert-manager's resourceNamespace)"
            )
        ) {
            try await source.secretValue(namespace: "default", name: "route53-credentials", key: "access-key-id")
        }
        await #expect(throws: DNS01Error(.secretNotFound, "secret \"nowhere\" not found in namespace \"default\" (read from secrets.yaml)")) {
            try await source.secretValue(namespace: "default", name: "nowhere", key: "k")
        }
        await #expect(throws: DNS01Error(.secretNotFound, "secret cert-manager/route53-credentials has no key \"token\" (it has: access-key-id, secret-access-key)")) {
            try await source.secretValue(namespace: "cert-manager", name: "route53-credentials", key: "token")
        }
    }

    @Test(
        "invalid manifests are rejected with their position, never their values",
        arguments: [
            ("kind: ConfigMap\nmetadata: {name: x}\n", "secrets.yaml document 1 has kind \"ConfigMap\"; only Secret manifests are read"),
            ("kind: Secret\nmetadata: {}\n", "secrets.yaml document 1: Secret has no metadata.name"),
            ("kind: Secret\nmetadata: {name: x}\ndata: {k: \"not base64!\"}\n", "secrets.yaml document 1: Secret default/x data key \"k\" is not valid base64"),
            ("kind: Secret\nmetadata: {name: x}\n---\nkind: Secret\nmetadata: {name: x}\n", "secrets.yaml: Secret default/x appears twice"),
        ])
    func invalid(text: String, message: String) {
        #expect(throws: DNS01Error(.invalidConfiguration, message)) {
            try SecretManifestSource(text: text, source: "secrets.yaml", defaultNamespace: "default")
        }
    }
}
