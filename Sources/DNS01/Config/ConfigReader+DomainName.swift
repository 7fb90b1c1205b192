extension ConfigReader {
    /// An optional DNS name (`example.com`, `_acme-challenge.example.com.`, a Unicode name),
    /// canonicalised; the root name is refused. Absent, `null` and `""` are `nil`.
    public mutating func optionalDomainName(_ key: String) throws(DNS01Error) -> DomainName? {
        guard let text = try optionalString(key), !text.isEmpty else { return nil }
        let name: DomainName
        do {
            name = try DomainName(text)
        } catch {
            throw DNS01Error.invalidConfiguration(at: path.appending(key), "is not a valid DNS name: \(error.message)")
        }
        guard !name.isRoot else { throw DNS01Error.invalidConfiguration(at: path.appending(key), "must not be the root name") }
        return name
    }

    /// A required DNS name, as `optionalDomainName`.
    public mutating func domainName(_ key: String) throws(DNS01Error) -> DomainName {
        guard let name = try optionalDomainName(key) else { throw missing(key) }
        return name
    }
}
