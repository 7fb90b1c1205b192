import BuiltinProviders
import ConfigLoading
import DNS01
import Foundation
import ProviderDocs
import Testing
import TestSupport

@Suite("provider descriptors: what the docs and the schema say is what the code does")
struct DescriptorTests {
    static let registry = ProviderRegistry.builtIn()
    static let names = registry.pluginNames

    @Test("every provider's example block decodes as the operator's config", arguments: names)
    func exampleDecodes(name: String) throws {
        let descriptor = try #require(Self.registry.descriptor(for: name))
        let block = try ConfigDocument.parse(descriptor.example, source: "\(name) example")
        _ = try Self.registry.bind(name, block: block, at: ConfigPath.root.appending(name), source: .operatorConfig)
    }

    /// The decoder reads exactly the descriptor's top-level fields: a valid block plus an
    /// unknown field fails with the decoder's own list of known fields, which must equal the
    /// descriptor's.
    @Test("every provider's decoder knows exactly the fields its descriptor lists", arguments: names)
    func fieldsAgree(name: String) throws {
        let descriptor = try #require(Self.registry.descriptor(for: name))
        guard case .object(var fields) = try ConfigDocument.parse(descriptor.example, source: "example") else {
            Issue.record("\(name)'s example is not an object")
            return
        }
        fields["zzzNotAField"] = "x"
        let error = try #require(throws: DNS01Error.self) {
            try Self.registry.bind(name, block: .object(fields), at: ConfigPath.root.appending(name), source: .operatorConfig)
        }
        let known = try #require(error.message.firstRange(of: "(known fields: ").map { error.message[$0.upperBound...].dropLast() })
        #expect(Set(known.split(separator: ", ").map(String.init)) == Set(descriptor.fields.map(\.name)), "\(error.message)")
    }

    @Test("descriptors are complete: a title, a summary, an https API reference, every field explained")
    func complete() {
        for descriptor in Self.registry.descriptors {
            #expect(!descriptor.title.isEmpty && !descriptor.summary.isEmpty, "\(descriptor.name)")
            #expect(descriptor.apiDocumentation.hasPrefix("https://"), "\(descriptor.name)")
            for field in descriptor.fields {
                #expect(field.meaning.count > 10, "\(descriptor.name).\(field.name) has no meaning")
            }
            for group in descriptor.requiresOneOf {
                #expect(group.allSatisfy { name in descriptor.fields.contains { $0.name == name } }, "\(descriptor.name).requiresOneOf")
            }
        }
    }

    @Test("the committed docs/providers pages and docs/config.schema.json are what the descriptors generate (run dns01-webhook config docs docs/providers, and config schema > docs/config.schema.json)")
    func generatedFilesAreFresh() throws {
        let docs = "\(repositoryRoot)/docs"
        for descriptor in Self.registry.descriptors {
            let committed = try? String(contentsOfFile: "\(docs)/providers/\(descriptor.name).md", encoding: .utf8)
            #expect(committed == ProviderPage.render(descriptor), "docs/providers/\(descriptor.name).md is stale")
        }
        #expect((try? String(contentsOfFile: "\(docs)/providers/README.md", encoding: .utf8)) == ProviderPage.index(Self.registry.descriptors), "docs/providers/README.md is stale")
        #expect((try? String(contentsOfFile: "\(docs)/config.schema.json", encoding: .utf8)) == ConfigSchema.make(registry: Self.registry), "docs/config.schema.json is stale")
    }

    /// `*.aliyuncs.com` would admit any host of the cloud's domain, storage buckets included;
    /// `*.luna.akamaiapis.net` (a per-customer API host under an API-only domain) is fine.
    @Test("official hosts are API host names, never a whole cloud domain", arguments: names)
    func officialHostsAreNarrow(name: String) throws {
        let descriptor = try #require(Self.registry.descriptor(for: name))
        for pattern in descriptor.officialHosts.patterns {
            // A `*` label only in front of a domain of at least three labels (an API-only domain);
            // regional hosts use `{region}`, which matches region names only.
            let labels = pattern.split(separator: ".")
            #expect(!labels.dropFirst().contains("*"), "\(name): \(pattern): a `*` inside a name; use {region}")
            if labels.first == "*" { #expect(labels.count >= 4, "\(name): \(pattern) would admit any host of the domain") }
        }
    }
}
