/// The one-line edits to existing files. Each finds a fixed anchor and fails with a clear
/// message if the file no longer has it, rather than guessing.
extension ProviderScaffold {
    /// Marker lines in Package.swift that say where new targets go.
    public static let targetMarker = "// `swift package new-provider` inserts provider targets above this line."
    public static let testTargetMarker = "// `swift package new-provider` inserts provider test targets above this line."

    /// Package.swift with the provider's target, its test target, and the provider added to
    /// `BuiltinProviders`' dependencies.
    public func editingManifest(_ manifest: String) throws(ScaffoldError) -> String {
        guard !manifest.contains("name: \"\(targetName)\"") else {
            throw ScaffoldError("Package.swift already has a target named \(targetName)")
        }
        var text = try insert(fill(Templates.target), before: Self.targetMarker, in: manifest, file: "Package.swift")
        text = try insert(fill(Templates.testTarget), before: Self.testTargetMarker, in: text, file: "Package.swift")

        // `.target(name: "BuiltinProviders", dependencies: [...])`: append to that list.
        guard let builtin = text.firstRange(of: "name: \"BuiltinProviders\""),
              let list = text[builtin.upperBound...].firstRange(of: "dependencies: ["),
              let close = text[list.upperBound...].firstIndex(of: "]")
        else {
            throw ScaffoldError("Package.swift has no `name: \"BuiltinProviders\"` target with a `dependencies: [...]` list")
        }
        text.insert(contentsOf: ", \"\(targetName)\"", at: close)
        return text
    }

    /// BuiltinProviders.swift with the import and the one `register` line.
    public func editingRegistration(_ source: String) throws(ScaffoldError) -> String {
        guard !source.contains("\(name)ProviderPlugin()") else {
            throw ScaffoldError("BuiltinProviders.swift already registers \(name)ProviderPlugin")
        }
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let lastImport = lines.lastIndex(where: { $0.hasPrefix("import ") }),
              let returnLine = lines.firstIndex(where: { $0.trimmingPrefixSpaces == "return registry" })
        else {
            throw ScaffoldError("BuiltinProviders.swift has no import lines or no `return registry` line")
        }
        let indent = String(lines[returnLine].prefix { $0 == " " })
        lines.insert("\(indent)registry.register(\(name)ProviderPlugin())", at: returnLine)
        // Keep the imports sorted, as the file has them.
        let imports = lines[...lastImport].filter { $0.hasPrefix("import ") } + ["import \(targetName)"]
        let firstImport = lines.firstIndex { $0.hasPrefix("import ") } ?? 0
        lines.replaceSubrange(firstImport...lastImport, with: imports.sorted())
        return lines.joined(separator: "\n")
    }

    private func insert(_ block: String, before marker: String, in text: String, file: String) throws(ScaffoldError) -> String {
        guard let range = text.firstRange(of: marker) else { throw ScaffoldError("\(file) has no line \"\(marker)\"") }
        let lineStart = text[..<range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        let indent = String(text[lineStart..<range.lowerBound])
        let indented = block.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : indent + $0 }.joined(separator: "\n")
        var result = text
        result.insert(contentsOf: indented.dropFirst(indent.count) + "\n" + indent, at: range.lowerBound)
        return result
    }
}

extension String {
    fileprivate var trimmingPrefixSpaces: Substring { drop { $0 == " " } }
}
