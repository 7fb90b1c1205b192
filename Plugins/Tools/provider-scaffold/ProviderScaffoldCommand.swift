import Foundation
import ProviderScaffold

/// `provider-scaffold PACKAGE_DIR NAME`: what the `new-provider` command plugin runs. Writes the
/// new provider's files and its entry in Package.swift; refuses to overwrite anything.
/// `provider-scaffold registry OUTPUT MODULE...`: what the ProviderRegistryGenerator build
/// plugin runs to write `ProviderRegistry.builtIn()`.
@main
struct ProviderScaffoldCommand {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "registry", arguments.count >= 2 {
            let output = arguments[arguments.index(after: arguments.startIndex)]
            do {
                let source = try RegistrySource.make(modules: Array(arguments.dropFirst(2)))
                // Rewritten only when it changes, so an unchanged list rebuilds nothing.
                if (try? String(contentsOfFile: output, encoding: .utf8)) != source {
                    try source.write(toFile: output, atomically: true, encoding: .utf8)
                }
            } catch {
                fail("\(error)")
            }
            return
        }
        guard arguments.count == 2, let root = arguments.first, let name = arguments.last else {
            fail("usage: provider-scaffold PACKAGE_DIR NAME")
        }
        do {
            try run(root: URL(fileURLWithPath: root), name: name)
        } catch let error as ScaffoldError {
            fail(error.message)
        } catch {
            fail("\(error)")
        }
    }

    static func run(root: URL, name: String) throws {
        let scaffold = try ProviderScaffold(name: name)
        let manager = FileManager.default
        for folder in [scaffold.sourceFolder, scaffold.testFolder] where manager.fileExists(atPath: root.appendingPathComponent(folder).path) {
            throw ScaffoldError("\(folder) already exists; not overwriting it")
        }
        // Compute every edit before writing anything, so a failure leaves the package as it was.
        let manifestURL = root.appendingPathComponent("Package.swift")
        let manifest = try scaffold.editingManifest(String(contentsOf: manifestURL, encoding: .utf8))

        for file in scaffold.files {
            let url = root.appendingPathComponent(file.path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
            print("created  \(file.path)")
        }
        try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)
        print("edited   Package.swift (ProviderModule(\"\(scaffold.name)\") in the providers list: targets \(scaffold.targetName) and \(scaffold.testTargetName), registered in the built-in registry)")
        print(
            """

            Next: fill in \(scaffold.sourceFolder)/\(scaffold.name)Plugin+Descriptor.swift, write
            Tests/Peers/\(scaffold.configKey)_emulator.py and \(scaffold.sourceFolder)/Client/\(scaffold.name)Client.swift, then
              swift build && swift test --filter \(scaffold.testTargetName)
              swift run dns01-webhook config docs docs/providers
              swift package solver-check --config FILE --secrets FILE --domain www.example.com
            The contract test fails until the emulator and the client are written. See docs/providers.md.
            """)
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(1)
    }
}
