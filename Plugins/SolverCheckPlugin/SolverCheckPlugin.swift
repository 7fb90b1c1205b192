import Foundation
import PackagePlugin

/// `swift package solver-check --config FILE [--secrets FILE] --domain D …`: builds the
/// `dns01-webhook` product and runs `dns01-webhook check` with the given arguments, its output
/// passed through and its exit status kept.
@main
struct SolverCheckPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let build = try packageManager.build(.product("dns01-webhook"), parameters: .init(configuration: .debug, logging: .concise))
        guard build.succeeded else {
            FileHandle.standardError.write(Data(build.logText.utf8))
            throw PluginFailure("building dns01-webhook failed")
        }
        guard let binary = build.builtArtifacts.first(where: { $0.kind == .executable && $0.url.lastPathComponent == "dns01-webhook" }) else {
            throw PluginFailure("the build did not produce dns01-webhook")
        }
        let process = Process()
        process.executableURL = binary.url
        process.arguments = ["check"] + arguments
        try process.run()
        process.waitUntilExit()
        // SwiftPM reports a plugin's own exit status as the command's.
        exit(process.terminationReason == .exit ? process.terminationStatus : 1)
    }
}

struct PluginFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
