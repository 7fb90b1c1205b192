import DNS01

/// The JSON Schema (draft 2020-12) of the whole config document — every provider block (under
/// `$defs/providers/<name>`), the wrapped form, the routing table and `issuerPolicy` — made from
/// the providers' descriptors. `dns01-webhook config schema` prints it; `docs/config.schema.json`
/// is the committed copy editors use (yaml-language-server: `# yaml-language-server:
/// $schema=…`).
public enum ConfigSchema {
    public static let identifier = "https://dns01-webhook.github.io/schema/config.schema.json"

    public static func make(registry: ProviderRegistry) -> String {
        let descriptors = registry.descriptors
        var providerDefinitions: [(String, JSONSchemaValue)] = []
        var keyRefs: [(String, JSONSchemaValue)] = []
        for descriptor in descriptors {
            providerDefinitions.append((descriptor.name, block(descriptor)))
            for key in descriptor.keys {
                keyRefs.append((key, ["$ref": .string("#/$defs/providers/\(descriptor.name)")]))
            }
        }
        let providerKeys = keyRefs.map(\.0)
        let exactlyOneProvider: JSONSchemaValue = .object([("oneOf", .array(providerKeys.map { ["required": [.string($0)]] }))])

        let routingEntry: JSONSchemaValue = .object([
            ("type", "object"),
            ("description", "One entry of the routing table: an optional selector and exactly one provider block."),
            ("properties", .object([("selector", ["$ref": "#/$defs/selector"])] + keyRefs)),
            ("additionalProperties", false),
            ("allOf", [exactlyOneProvider]),
        ])
        let schema: JSONSchemaValue = .object([
            ("$schema", "https://json-schema.org/draft/2020-12/schema"),
            ("$id", .string(identifier)),
            ("title", "dns01-webhook config"),
            (
                "description",
                "An Issuer's webhook.config, the server's --config, or the CLI's --config: one provider block wrapped in its key, or a routing table; the operator's own config may add issuerPolicy. A provider solver (solverName: route53, …) also takes its block bare: validate those against #/$defs/providers/<name>."
            ),
            ("type", "object"),
            (
                "properties",
                .object(
                    [
                        ("issuerPolicy", ["$ref": "#/$defs/issuerPolicy"]),
                        (
                            "providers",
                            .object([
                                ("type", "array"), ("minItems", 1), ("items", ["$ref": "#/$defs/routingEntry"]),
                                ("description", "The routing table: the entry whose selector matches a challenge's domain best serves it (an exact dnsNames match, else the longest dnsZones match, else the entry without a selector)."),
                            ])
                        ),
                    ] + keyRefs)
            ),
            ("additionalProperties", false),
            (
                "anyOf",
                [
                    ["required": ["providers"], "not": .object([("anyOf", .array(providerKeys.map { ["required": [.string($0)]] }))])],
                    .object([("not", ["required": ["providers"]]), ("allOf", [exactlyOneProvider])]),
                    .object([("not", .object([("anyOf", .array((["providers"] + providerKeys).map { ["required": [.string($0)]] }))]))]),
                ]
            ),
            (
                "$defs",
                .object([
                    ("providers", .object(providerDefinitions)),
                    ("routingEntry", routingEntry),
                    (
                        "selector",
                        .object([
                            ("type", "object"),
                            ("description", "Which domains the entry serves; dnsNames and dnsZones are alternatives."),
                            (
                                "properties",
                                .object([
                                    ("dnsNames", .object([("type", "array"), ("items", ["type": "string"]), ("description", "Domains served exactly (`*.` stripped from wildcards).")])),
                                    ("dnsZones", .object([("type", "array"), ("items", ["type": "string"]), ("description", "Zones whose domains are served; the longest match wins.")])),
                                ])
                            ),
                            ("additionalProperties", false),
                        ])
                    ),
                    (
                        "issuerPolicy",
                        .object([
                            ("type", "object"),
                            ("description", "What Issuer configs may name beyond each provider's official API hosts; read from the operator's own config only."),
                            (
                                "properties",
                                .object([
                                    (
                                        "allowedEndpoints",
                                        .object([
                                            ("type", "array"), ("items", .object([("type", "string"), ("pattern", "^(https?|dns)://[^/?#@\\s]+(/[^?#\\s]*)?$")])), ("description", "URL prefixes (http, https, or dns://host:port for nameservers)."),
                                        ])
                                    ),
                                    ("allowedPrograms", .object([("type", "array"), ("items", .object([("type", "string"), ("minLength", 1)])), ("description", "Programs (exec) and scripts (acmesh) Issuers may name.")])),
                                ])
                            ),
                            ("additionalProperties", false),
                        ])
                    ),
                    (
                        "secretReference",
                        .object([
                            ("type", "object"),
                            ("description", "A key of a Secret in the challenge's namespace."),
                            ("properties", .object([("name", ["type": "string"]), ("key", ["type": "string"])])),
                            ("required", ["name", "key"]),
                            ("additionalProperties", false),
                        ])
                    ),
                    (
                        "duration",
                        .object([
                            ("description", "Seconds, or a Go-style duration such as 30s, 2m, 1500ms, 1h."),
                            (
                                "anyOf",
                                [
                                    .object([("type", "number"), ("minimum", 0)]),
                                    .object([("type", "string"), ("pattern", "^\\s*([0-9]+(\\.[0-9]+)?|([0-9]+(\\.[0-9]+)?(ms|s|m|h))+)\\s*$")]),
                                ]
                            ),
                        ])
                    ),
                ])
            ),
        ])
        return schema.rendered() + "\n"
    }

    /// A provider block: its fields, none other, and its required and one-of rules.
    static func block(_ descriptor: ProviderDescriptor) -> JSONSchemaValue {
        var entries: [(String, JSONSchemaValue)] = [
            ("type", .array(["object", "null"])),
            ("title", .string(descriptor.title)),
            ("description", .string(descriptor.summary)),
        ]
        entries += objectBody(descriptor.fields)
        if !descriptor.requiresOneOf.isEmpty {
            entries.append(
                (
                    "allOf",
                    .array(
                        descriptor.requiresOneOf.map { group in
                            .object([("anyOf", .array(group.map { ["required": [.string($0)]] }))])
                        })
                ))
        }
        return .object(entries)
    }

    static func objectBody(_ fields: [ConfigField]) -> [(String, JSONSchemaValue)] {
        var body: [(String, JSONSchemaValue)] = [
            ("properties", .object(fields.map { ($0.name, field($0)) })),
            ("additionalProperties", false),
        ]
        let required = fields.filter(\.required).map { JSONSchemaValue.string($0.name) }
        if !required.isEmpty { body.append(("required", .array(required))) }
        return body
    }

    static func field(_ field: ConfigField) -> JSONSchemaValue {
        var description = field.meaning
        if let value = field.defaultValue { description += " Default: \(value)." }
        let shape = type(field.type)
        // Optional fields may be null: cert-manager writes unset fields back as null.
        let typed: JSONSchemaValue = field.required ? shape : .object([("anyOf", [shape, ["type": "null"]])])
        guard case .object(var entries) = typed else { return typed }
        entries.insert(("description", .string(description)), at: 0)
        return .object(entries)
    }

    static func type(_ type: ConfigFieldType) -> JSONSchemaValue {
        switch type {
        case .string, .url: return ["type": "string"]
        case .oneOf(let values): return .object([("enum", .array(values.map { .string($0) }))])
        case .bool: return ["type": "boolean"]
        case .integer(let range): return .object([("type", "integer"), ("minimum", .integer(range.lowerBound)), ("maximum", .integer(range.upperBound))])
        case .duration: return ["$ref": "#/$defs/duration"]
        case .stringList: return .object([("type", "array"), ("items", ["type": "string"])])
        case .stringMap: return .object([("type", "object"), ("additionalProperties", ["type": "string"])])
        case .secretReference: return ["$ref": "#/$defs/secretReference"]
        case .object(let fields): return .object([("type", "object")] + objectBody(fields))
        case .map(let value): return .object([("type", "object"), ("additionalProperties", self.type(value))])
        case .either(let a, let b): return .object([("anyOf", [self.type(a), self.type(b)])])
        }
    }
}
