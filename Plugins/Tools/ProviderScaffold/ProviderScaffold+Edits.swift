/// The one edit to an existing file: the provider's entry in Package.swift's `providers` list.
/// It finds a fixed marker line and fails with a clear message if the manifest no longer has
/// it, rather than guessing.
extension ProviderScaffold {
    /// The line in Package.swift that new providers go above.
    public static let providerMarker = "// `swift package new-provider` adds new providers above this line."

    /// Package.swift with `ProviderModule("<Name>"),` added to the `providers` list.
    public func editingManifest(_ manifest: String) throws(ScaffoldError) -> String {
        guard !manifest.contains("ProviderModule(\"\(name)\"") else {
            throw ScaffoldError("Package.swift already lists the provider \(name)")
        }
        guard let marker = manifest.firstRange(of: Self.providerMarker) else {
            throw ScaffoldError("Package.swift has no line \"\(Self.providerMarker)\"")
        }
        let lineStart = manifest[..<marker.lowerBound].lastIndex(of: "\n").map { manifest.index(after: $0) } ?? manifest.startIndex
        var edited = manifest
        edited.insert(contentsOf: fill(Templates.packageEntry) + "\n", at: lineStart)
        return edited
    }
}
