import Foundation
import TestSupport

/// A copy of this package in a temporary directory (sources, tests, plugins and manifest; no
/// build folder), for running the command plugins where they may write.
struct PackageCopy {
    let root: String

    init() throws {
        root = try makeTemporaryDirectory("package-copy")
        for item in ["Package.swift", "Sources", "Tests", "Plugins", "examples"] {
            try FileManager.default.copyItem(atPath: "\(repositoryRoot)/\(item)", toPath: "\(root)/\(item)")
        }
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: "\(root)/\(path)", encoding: .utf8) }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: "\(root)/\(path)") }

    /// `swift SUBCOMMAND --package-path COPY ARGS…` (the path before the arguments, which a
    /// command plugin would otherwise receive as its own).
    func swift(_ subcommand: String, _ arguments: [String]) async throws -> CommandResult {
        try await runCommand("swift", [subcommand, "--package-path", root] + arguments)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// Type-checks Swift files against the modules this package's own build produced, with the
/// settings every target here uses (Swift 6, ExistentialAny, warnings as errors). It proves
/// generated code compiles against the real DNS01/ProviderKit APIs without a second cold build
/// of the package and its dependencies (minutes on two cores).
struct ModuleChecker {
    let modules = "\(repositoryRoot)/.build/debug/Modules"

    /// The C modules the Swift modules depend on (NIO's, BoringSSL's, …) need their maps.
    var moduleMapFlags: [String] {
        let manager = FileManager.default
        var maps: [String] = []
        let debug = "\(repositoryRoot)/.build/debug"
        for entry in (try? manager.contentsOfDirectory(atPath: debug)) ?? [] where entry.hasSuffix(".build") {
            let map = "\(debug)/\(entry)/module.modulemap"
            if manager.fileExists(atPath: map) { maps.append(map) }
        }
        let checkouts = "\(repositoryRoot)/.build/checkouts"
        if let walker = manager.enumerator(atPath: checkouts) {
            for case let path as String in walker where path.hasSuffix("/include/module.modulemap") {
                maps.append("\(checkouts)/\(path)")
            }
        }
        return maps.flatMap { ["-Xcc", "-fmodule-map-file=\($0)"] }
    }

    var settings: [String] { ["-swift-version", "6", "-enable-upcoming-feature", "ExistentialAny", "-warnings-as-errors"] }

    /// Compiles `files` into module `name` in `output`; returns the compiler's result.
    func emitModule(_ name: String, files: [String], into output: String, searchPaths: [String] = []) async throws -> CommandResult {
        try await runCommand(
            "swiftc",
            ["-emit-module", "-module-name", name, "-parse-as-library", "-emit-module-path", "\(output)/\(name).swiftmodule"]
                + settings + (searchPaths + [modules]).flatMap { ["-I", $0] } + moduleMapFlags + files)
    }

    func typecheck(_ files: [String], searchPaths: [String] = []) async throws -> CommandResult {
        try await runCommand("swiftc", ["-typecheck", "-parse-as-library"] + settings + (searchPaths + [modules]).flatMap { ["-I", $0] } + moduleMapFlags + files)
    }
}
