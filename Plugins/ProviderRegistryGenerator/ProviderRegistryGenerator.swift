import Foundation
import PackagePlugin

/// Generates `ProviderRegistry.builtIn()` for the target it is applied to (BuiltinProviders)
/// from that target's provider dependencies (`<Folder>Provider` modules, whose plugin type is
/// `<Folder>Plugin`), so registering a provider is its one entry in Package.swift's
/// `providers` list.
@main
struct ProviderRegistryGenerator: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let modules = target.dependencies.compactMap { dependency -> String? in
            guard case .target(let dependencyTarget) = dependency, dependencyTarget.name.hasSuffix("Provider") else { return nil }
            return dependencyTarget.name
        }.sorted()
        let output = context.pluginWorkDirectoryURL.appending(path: "ProviderRegistry+BuiltIn.swift")
        return [
            .buildCommand(
                displayName: "Generating the built-in provider registry (\(modules.count) providers)",
                executable: try context.tool(named: "provider-scaffold").url,
                arguments: ["registry", output.path] + modules,
                outputFiles: [output]
            )
        ]
    }
}
