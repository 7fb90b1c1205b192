import TestSupport
/// Bodies that are not a usable ChallengePayload, each with what is wrong. The server must
/// answer every one with a 4xx and a message, and keep serving.
enum MalformedPayloads {
    static let valid = #""action":"Present","dnsName":"example.com","key":"k","resourceNamespace":"ns""#

    static let catalogue: [(name: String, body: String)] = [
        ("empty body", ""),
        ("whitespace only", "   \n"),
        ("not JSON", "hello"),
        ("truncated JSON", #"{"request": {"action": "Present""#),
        ("trailing garbage", #"{"request": {\#(valid)}} x"#),
        ("a JSON list", "[1, 2]"),
        ("a JSON string", #""Present""#),
        ("a JSON number", "42"),
        ("JSON null", "null"),
        ("no request", #"{"apiVersion": "webhook.acme.cert-manager.io/v1alpha1", "kind": "ChallengePayload"}"#),
        ("request is null", #"{"request": null}"#),
        ("request is a string", #"{"request": "Present"}"#),
        ("request is a list", #"{"request": []}"#),
        ("no action", #"{"request": {"dnsName": "example.com", "key": "k", "resourceNamespace": "ns"}}"#),
        ("unknown action", #"{"request": {"action": "Delete", "dnsName": "example.com", "key": "k", "resourceNamespace": "ns"}}"#),
        ("action is a number", #"{"request": {"action": 1, "dnsName": "example.com", "key": "k", "resourceNamespace": "ns"}}"#),
        ("empty action", #"{"request": {"action": "", "dnsName": "example.com", "key": "k", "resourceNamespace": "ns"}}"#),
        ("http-01 challenge", #"{"request": {\#(valid), "type": "http-01"}}"#),
        ("no dnsName", #"{"request": {"action": "Present", "key": "k", "resourceNamespace": "ns"}}"#),
        ("dnsName is a list", #"{"request": {"action": "Present", "dnsName": ["a"], "key": "k", "resourceNamespace": "ns"}}"#),
        ("dnsName with a space", #"{"request": {"action": "Present", "dnsName": "exa mple.com", "key": "k", "resourceNamespace": "ns"}}"#),
        ("dnsName with an empty label", #"{"request": {"action": "Present", "dnsName": "example..com", "key": "k", "resourceNamespace": "ns"}}"#),
        ("dnsName label over 63", #"{"request": {"action": "Present", "dnsName": "\#(String(repeating: "a", count: 64)).com", "key": "k", "resourceNamespace": "ns"}}"#),
        ("dnsName is the root", #"{"request": {"action": "Present", "dnsName": ".", "key": "k", "resourceNamespace": "ns"}}"#),
        ("no key", #"{"request": {"action": "Present", "dnsName": "example.com", "resourceNamespace": "ns"}}"#),
        ("empty key", #"{"request": {"action": "Present", "dnsName": "example.com", "key": "", "resourceNamespace": "ns"}}"#),
        ("key with a newline", #"{"request": {"action": "Present", "dnsName": "example.com", "key": "a\nb", "resourceNamespace": "ns"}}"#),
        ("key over 4096 bytes", #"{"request": {"action": "Present", "dnsName": "example.com", "key": "\#(String(repeating: "k", count: 5000))", "resourceNamespace": "ns"}}"#),
        ("key is a number", #"{"request": {"action": "Present", "dnsName": "example.com", "key": 7, "resourceNamespace": "ns"}}"#),
        ("no resourceNamespace", #"{"request": {"action": "Present", "dnsName": "example.com", "key": "k"}}"#),
        ("resourceNamespace with a slash", #"{"request": {"action": "Present", "dnsName": "example.com", "key": "k", "resourceNamespace": "../kube-system"}}"#),
        ("resourceNamespace upper case", #"{"request": {"action": "Present", "dnsName": "example.com", "key": "k", "resourceNamespace": "Cert-Manager"}}"#),
        ("resolvedFQDN invalid", #"{"request": {\#(valid), "resolvedFQDN": "_acme-challenge..example.com."}}"#),
        ("resolvedZone invalid", #"{"request": {\#(valid), "resolvedZone": "exa$mple.com."}}"#),
        ("allowAmbientCredentials is a string", #"{"request": {\#(valid), "allowAmbientCredentials": "yes"}}"#),
        ("uid is a number", #"{"request": {\#(valid), "uid": 12}}"#),
        ("config is a string", #"{"request": {\#(valid), "config": "memory"}}"#),
        ("config is a list", #"{"request": {\#(valid), "config": [{"memory": {}}]}}"#),
        ("dnsName with a control character", #"{"request": {"action": "Present", "dnsName": "exa\u0001mple.com", "key": "k", "resourceNamespace": "ns"}}"#),
        ("nested too deep", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)),
    ]
}
