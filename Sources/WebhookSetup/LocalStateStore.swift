import DNS01
import Foundation

/// Provider state (`ProviderStateStore`) in a local directory, for the CLI: `present` and a
/// later `cleanup` are two processes. One 0700 directory per entry, one 0600 file per saved
/// file, each replaced by a rename so a crash never leaves half a file. Unversioned: the CLI
/// runs one step at a time.
public struct LocalStateStore: ProviderStateStore {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// `$DNS01_STATE_DIR`, else `$XDG_STATE_HOME/dns01-webhook`, else
    /// `~/.local/state/dns01-webhook`.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let explicit = environment["DNS01_STATE_DIR"], !explicit.isEmpty { return explicit }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/dns01-webhook" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()
        return home + "/.local/state/dns01-webhook"
    }

    private func entry(_ name: String) throws -> String {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/") else {
            throw DNS01Error(.invalidChallenge, "state entry name \"\(name)\" is not a plain file name")
        }
        return "\(directory)/\(name)"
    }

    public func load(_ name: String) async throws -> ProviderStateEntry? {
        let path = try entry(name)
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: path) else { return nil }
        var files: [String: [UInt8]] = [:]
        for file in names where !file.hasPrefix(".") {
            guard let data = manager.contents(atPath: "\(path)/\(file)") else {
                throw DNS01Error(.providerUnavailable, "cannot read the state file \(path)/\(file)")
            }
            files[file] = Array(data)
        }
        return ProviderStateEntry(files: files)
    }

    public func save(_ name: String, files: [String: [UInt8]], labels: [String: String], replacing version: String?) async throws -> Bool {
        let path = try entry(name)
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for (file, bytes) in files {
                guard !file.isEmpty, !file.hasPrefix("."), !file.contains("/") else { continue }
                let temporary = "\(path)/.\(file).new"
                guard manager.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                    throw DNS01Error(.providerUnavailable, "cannot write the state file \(temporary)")
                }
                guard rename(temporary, "\(path)/\(file)") == 0 else {
                    throw DNS01Error(.providerUnavailable, "cannot replace the state file \(path)/\(file): \(String(cString: strerror(errno)))")
                }
            }
            for stale in (try manager.contentsOfDirectory(atPath: path)) where !stale.hasPrefix(".") && files[stale] == nil {
                try manager.removeItem(atPath: "\(path)/\(stale)")
            }
            return true
        } catch let error as DNS01Error {
            throw error
        } catch {
            throw DNS01Error(.providerUnavailable, "cannot save state in \(path): \(PlainErrorText.describe(error))")
        }
    }

    public func delete(_ name: String, version: String?) async throws -> Bool {
        let path = try entry(name)
        guard FileManager.default.fileExists(atPath: path) else { return true }
        do {
            try FileManager.default.removeItem(atPath: path)
            return true
        } catch {
            throw DNS01Error(.providerUnavailable, "cannot delete the state in \(path): \(PlainErrorText.describe(error))")
        }
    }
}
