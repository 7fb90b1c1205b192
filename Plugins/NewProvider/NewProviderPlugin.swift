import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory new-provider <Name>`: scaffolds a provider
/// (Sources/Providers/<Name>, its test file, and its one line in Package.swift's `providers`
/// list). The work is done by the `provider-scaffold` tool, whose logic is unit-tested.
@main
struct NewProviderPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        guard arguments.count == 1, let name = arguments.first, !name.hasPrefix("-") else {
            throw PluginFailure("usage: swift package --allow-writing-to-package-directory new-provider <Name>   (UpperCamelCase, e.g. DigitalOcean)")
        }
        let tool = try context.tool(named: "provider-scaffold")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = [context.package.directoryURL.path, name]
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw PluginFailure("new-provider \(name) failed (see the error above); nothing was changed")
        }
    }
}

struct PluginFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
