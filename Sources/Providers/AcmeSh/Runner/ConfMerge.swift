/// Reapplies what one run changed in a conf file (`KEY='value'` lines, as the shim writes
/// them) onto a newer version of the file, so that two replicas running steps on one name at
/// once keep both changes: keys the run set or changed take its line, keys it removed go,
/// every other line stays as the newer version has it.
public enum AcmeShConfMerge {
    public static func merge(latest: [UInt8]?, before: [UInt8]?, after: [UInt8]?) -> [UInt8]? {
        let old = lines(before)
        let new = lines(after)
        var changed: [String: String?] = [:]
        for (key, line) in new.map where old.map[key] != line { changed[key] = line }
        for key in old.map.keys where new.map[key] == nil { changed[key] = .some(nil) }
        guard !changed.isEmpty else { return latest ?? after }
        let base = lines(latest)
        var output: [String] = []
        var written: Set<String> = []
        for (key, line) in base.ordered {
            guard let key else {
                output.append(line)
                continue
            }
            guard !written.contains(key) else { continue }
            written.insert(key)
            if let replacement = changed[key] {
                if let replacement { output.append(replacement) }
            } else {
                output.append(base.map[key] ?? line)
            }
        }
        for (key, line) in new.ordered {
            guard let key, !written.contains(key), case .some(.some) = changed[key] else { continue }
            written.insert(key)
            output.append(new.map[key] ?? line)
        }
        return Array(output.map { $0 + "\n" }.joined().utf8)
    }

    /// The lines in order with their key (`nil` for lines that are not `KEY=…`), and the last
    /// line of each key (the shim's reader lets the last one win).
    private static func lines(_ bytes: [UInt8]?) -> (ordered: [(String?, String)], map: [String: String]) {
        let text = String(decoding: bytes ?? [], as: UTF8.self)
        var ordered: [(String?, String)] = []
        var map: [String: String] = [:]
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            let key = line.firstIndex(of: "=").map { String(line[..<$0]) }
            ordered.append((key, line))
            if let key { map[key] = line }
        }
        return (ordered, map)
    }
}
