/// What a script's `dns_<name>_info` block says about its variables (read as text by the
/// runner's `--info-all`, never by running the script).
struct ScriptInfo: Sendable, Hashable {
    struct Variable: Sendable, Hashable {
        var name: String
        var description: String
        /// The description says the variable may be left out ("Optional", "Default: …").
        var isOptional: Bool {
            let text = description.lowercased()
            return text.contains("optional") || text.contains("default")
        }
    }

    /// `Options:`: the main credential set.
    var options: [Variable] = []
    /// `OptionsAlt:`: an alternative credential set.
    var alternatives: [Variable] = []

    /// Parses `--info-all` output: `<section>\t<VAR>\t<description>` lines.
    init(infoAll text: String) {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2 else { continue }
            let variable = Variable(name: String(fields[1]), description: fields.count > 2 ? String(fields[2]) : "")
            switch fields[0] {
            case "Options": options.append(variable)
            case "OptionsAlt": alternatives.append(variable)
            default: continue
            }
        }
    }

    /// The required variables of the set closest to complete, when neither `Options` nor
    /// `OptionsAlt` is fully configured; empty when the script has what it needs.
    func missing(configured: Set<String>) -> (options: [String], alternatives: [String]) {
        let required = options.filter { !$0.isOptional }.map(\.name)
        let alternative = alternatives.filter { !$0.isOptional }.map(\.name)
        if required.allSatisfy(configured.contains) { return ([], []) }
        if !alternatives.isEmpty, alternative.allSatisfy(configured.contains) { return ([], []) }
        return (required.filter { !configured.contains($0) }, alternative.filter { !configured.contains($0) })
    }
}
