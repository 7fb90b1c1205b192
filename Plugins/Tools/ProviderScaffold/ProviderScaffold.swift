/// What `swift package new-provider <Name>` writes and edits, as pure functions of the name
/// and the current file contents, so it is tested without running the plugin.
public struct ProviderScaffold: Sendable {
    /// `DigitalOcean`: the folder, type and target prefix.
    public let name: String

    /// Checks that `name` makes a good Swift type name and folder: an upper-case ASCII letter,
    /// then letters and digits, at most 40 characters.
    public init(name: String) throws(ScaffoldError) {
        guard let first = name.unicodeScalars.first, ("A"..."Z").contains(first), name.count <= 40,
            name.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw ScaffoldError("\"\(name)\" is not a provider name: use UpperCamelCase letters and digits, e.g. DigitalOcean")
        }
        guard !["Memory", "Exec", "HTTP", "RFC2136", "Route53", "AliDNS"].contains(name) else {
            throw ScaffoldError("\(name) is a provider this package already has")
        }
        guard !name.hasSuffix("Provider"), !name.hasSuffix("Plugin") else {
            throw ScaffoldError("\(name): give the provider's own name (DigitalOcean), without Provider or Plugin")
        }
        self.name = name
    }

    /// The config key and solver name: `digitalocean`, as lego names its providers.
    public var configKey: String { name.lowercased() }
    public var targetName: String { "\(name)Provider" }
    public var testTargetName: String { "\(name)ProviderTests" }
    public var sourceFolder: String { "Sources/Providers/\(name)" }
    public var testFolder: String { "Tests/\(testTargetName)" }

    /// The new files, by path relative to the package root.
    public var files: [(path: String, contents: String)] {
        [
            ("\(sourceFolder)/\(name)Plugin.swift", Templates.plugin),
            ("\(sourceFolder)/\(name)Plugin+Descriptor.swift", Templates.descriptor),
            ("\(sourceFolder)/\(name)Configuration.swift", Templates.configuration),
            ("\(sourceFolder)/\(name)DNSProvider.swift", Templates.dnsProvider),
            ("\(sourceFolder)/Client/\(name)Client.swift", Templates.client),
            ("\(testFolder)/\(name)ProviderTests.swift", Templates.tests),
        ].map { ($0.0, fill($0.1)) }
    }

    func fill(_ template: String) -> String {
        template.replacing("__NAME__", with: name).replacing("__KEY__", with: configKey)
    }
}

public struct ScaffoldError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
