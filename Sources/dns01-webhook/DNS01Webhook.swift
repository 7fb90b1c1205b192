import ArgumentParser

@main
struct DNS01Webhook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns01-webhook",
        abstract: "A cert-manager DNS-01 webhook solver with DNS provider plugins.",
        version: BuildInfo.version,
        subcommands: [Serve.self, Present.self, CleanUp.self, Check.self, ConfigCommand.self, VersionCommand.self]
    )
}
