import DNS01
import ExecProvider
import Foundation
import TestSupport
import Testing

@Suite("exec provider: the provider contract (against a lego exec hook script)", .serialized)
struct ExecContractTests {
    /// A hook that keeps its records in a file, serialised with flock(1) as a real hook that
    /// rewrites a shared file must be, and refuses a wrong API token.
    static func hook() throws -> (directory: String, path: String) {
        let directory = try makeTemporaryDirectory("exec-contract")
        let path = "\(directory)/hook.sh"
        try """
        #!/bin/sh
        set -eu
        [ "${API_TOKEN:-}" = "exec-secret-token" ] || { echo "hook: API token refused" >&2; exit 4; }
        exec 9>>"\(directory)/lock"
        flock 9
        touch "\(directory)/records"
        echo call >> "\(directory)/calls"
        grep -vxF "$2 $3" "\(directory)/records" > "\(directory)/records.new" || true
        if [ "$1" = present ]; then echo "$2 $3" >> "\(directory)/records.new"; fi
        mv "\(directory)/records.new" "\(directory)/records"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return (directory, path)
    }

    static func lines(_ file: String) -> [Substring] {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n")
    }

    static func subject(directory: String, path: String) throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(ExecPlugin())
        let secrets = StaticSecretSource([.init(namespace: "cert-manager", name: "hook"): ["token": SecretValue("exec-secret-token"), "wrong": SecretValue("exec-wrong-token")]])
        return ProviderContractSubject(
            solver: "exec",
            registry: registry,
            config: ["command": .string(path), "secretEnv": ["API_TOKEN": ["name": "hook", "key": "token"]]],
            wrongCredentialsConfig: ["command": .string(path), "secretEnv": ["API_TOKEN": ["name": "hook", "key": "wrong"]]],
            wrongCredentialsHints: ["API token refused"],
            secrets: secrets,
            secretStrings: ["exec-secret-token", "exec-wrong-token"],
            zone: try DomainName("example.com"),
            independentRead: { name in
                lines("\(directory)/records").compactMap { line in
                    let parts = line.split(separator: " ", maxSplits: 1)
                    return parts.count == 2 && parts[0] == name.fqdn ? String(parts[1]) : nil
                }
            },
            readsBackThroughProvider: false,
            apiCallCount: { lines("\(directory)/calls").count },
            seedForeignValue: { name, value in
                try "\(name.fqdn) \(value)\n".write(toFile: "\(directory)/records", atomically: true, encoding: .utf8)
            },
            maximumCallsPerPresent: 1,
            maximumCallsPerCleanUp: 1
        )
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let (directory, path) = try Self.hook()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await contract.verifyOrSkip(Self.subject(directory: directory, path: path))
    }
}
