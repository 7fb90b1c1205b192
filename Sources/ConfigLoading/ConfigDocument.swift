internal import CYaml  // Yams' libyaml, for the one pass over events that Yams does not offer
import DNS01
import Foundation
import Yams

/// Reads config documents (YAML or JSON, which is YAML) into `ConfigValue`.
public enum ConfigDocument {
    /// Parses one document. Scalars keep their YAML 1.1 core types (null, bool, int, float);
    /// everything else, timestamps included, stays a string.
    public static func parse(_ text: String, source: String) throws -> ConfigValue {
        try refuseWhatYamsMultiplies(in: text, source: source)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw DNS01Error(.invalidConfiguration, "\(source) is not valid YAML or JSON: \(describe(error))")
        }
        guard let node else { throw DNS01Error(.invalidConfiguration, "\(source) is empty") }
        return try convert(node, source: source)
    }

    /// Parses every document of a multi-document YAML stream (`---` separated).
    public static func parseAll(_ text: String, source: String) throws -> [ConfigValue] {
        try refuseWhatYamsMultiplies(in: text, source: source)
        do {
            return try Yams.compose_all(yaml: text).map { try convert($0, source: source) }
        } catch let error as DNS01Error {
            throw error
        } catch {
            throw DNS01Error(.invalidConfiguration, "\(source) is not valid YAML: \(describe(error))")
        }
    }

    /// The name `-` gives standard input, in messages.
    public static let standardInputName = "standard input"

    /// Reads and parses a file; `-` reads standard input to its end.
    public static func load(path: String) throws -> ConfigValue {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let text = String(data: data, encoding: .utf8) else {
                throw DNS01Error(.invalidConfiguration, "\(standardInputName) is not UTF-8 text")
            }
            return try parse(text, source: standardInputName)
        }
        return try parse(try readText(path), source: path)
    }

    static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DNS01Error(.invalidConfiguration, "cannot read \(path): no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DNS01Error(.invalidConfiguration, "\(path) is not UTF-8 text")
        }
        return text
    }

    private static func convert(_ node: Node, source: String) throws -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool": return node.bool.map(ConfigValue.bool) ?? .string(scalar.string)
            case "tag:yaml.org,2002:int": return node.int.map { .number(Double($0)) } ?? .string(scalar.string)
            case "tag:yaml.org,2002:float": return node.float.map { .number($0) } ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .array(try sequence.map { try convert($0, source: source) })
        case .mapping(let mapping):
            var fields: [String: ConfigValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw DNS01Error(.invalidConfiguration, "\(source): mapping keys must be strings")
                }
                guard fields[keyScalar.string] == nil else {
                    throw DNS01Error(.invalidConfiguration, "\(source): the key \"\(keyScalar.string)\" appears twice in one mapping")
                }
                fields[keyScalar.string] = try convert(value, source: source)
            }
            return .object(fields)
        case .alias:
            throw DNS01Error(.invalidConfiguration, "\(source): YAML aliases are not supported")
        }
    }

    /// Refuses, before Yams reads the text, the two things whose cost Yams multiplies:
    /// - an alias (`*name`): Yams resolves it to the very node its anchor names, so the tree it
    ///   returns has no alias left to refuse, and expanding it costs as much as the text can
    ///   multiply (ten nested aliases of ten make 10^10 nodes);
    /// - a sequence or mapping used as a mapping key (`? [a]`): Yams' duplicate-key check
    ///   compares such keys by sorting them recursively, which a 1 KB text of nested
    ///   complex keys turns into minutes (found by fuzz-config). No config needs either.
    /// libyaml's event stream shows each as it is written. Syntax errors are left for Yams.
    static func refuseWhatYamsMultiplies(in text: String, source: String) throws(DNS01Error) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let utf8 = Array(text.utf8)
        let refusal = utf8.withUnsafeBufferPointer { bytes -> String? in
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            // The open collections, innermost last; a mapping alternates between key and value.
            enum Open { case sequence, mappingAtKey, mappingAtValue }
            var open: [Open] = []
            func nodeDone() {
                switch open.last {
                case .mappingAtKey: open[open.count - 1] = .mappingAtValue
                case .mappingAtValue: open[open.count - 1] = .mappingAtKey
                case .sequence, nil: break
                }
            }
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let line = event.start_mark.line + 1
                switch event.type {
                case YAML_ALIAS_EVENT:
                    let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                    return "YAML aliases are not supported (*\(name) on line \(line))"
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    if open.last == .mappingAtKey {
                        let kind = event.type == YAML_SEQUENCE_START_EVENT ? "sequence" : "mapping"
                        return "mapping keys must be strings (a \(kind) is used as a key on line \(line))"
                    }
                    open.append(event.type == YAML_MAPPING_START_EVENT ? .mappingAtKey : .sequence)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    _ = open.popLast()
                    nodeDone()
                case YAML_SCALAR_EVENT:
                    nodeDone()
                case YAML_STREAM_END_EVENT:
                    return nil
                default:
                    continue
                }
            }
            return nil
        }
        if let refusal {
            throw DNS01Error(.invalidConfiguration, "\(source): \(refusal)")
        }
    }

    /// The parser's whole account of a syntax error on one line: where (line, column), what
    /// it found, what it was reading and since where, and the offending line itself.
    static func describe(_ error: any Error) -> String {
        guard let yamlError = error as? YamlError else {
            return String(describing: error).split(separator: "\n").first.map(String.init) ?? "parse error"
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, let yaml),
            .parser(let context, let problem, let mark, let yaml),
            .composer(let context, let problem, let mark, let yaml):
            var text = "line \(mark.line), column \(mark.column): \(problem)"
            if let context {
                text += " (\(context.text) that starts on line \(context.mark.line), column \(context.mark.column))"
            }
            return text + offendingLine(in: yaml, line: mark.line, fallback: context?.mark.line)
        case .reader(let problem, let offset, _, let yaml):
            guard let offset, offset <= yaml.count else { return problem }
            let before = yaml.prefix(offset)
            let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return "line \(line), column \(column): \(problem)" + offendingLine(in: yaml, line: line, fallback: nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return "the key \(keys) appears twice in the mapping that starts on line \(context.mark.line)"
        default:
            return String(describing: yamlError).split(separator: "\n").first.map(String.init) ?? "parse error"
        }
    }

    /// `; line N reads: …` for the line a problem is on, or, when that is the (empty) end of
    /// the text, the line its context started on.
    private static func offendingLine(in yaml: String, line: Int, fallback: Int?) -> String {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        func text(_ number: Int) -> String? {
            guard number >= 1, number <= lines.count else { return nil }
            // Tabs and control characters shown as escapes: often they are the error.
            let visible = lines[number - 1].unicodeScalars.map { scalar -> String in
                if scalar == "\t" { return "\\t" }
                if scalar.properties.generalCategory == .control, scalar != "\r" { return "\\u{\(String(scalar.value, radix: 16))}" }
                return String(scalar)
            }.joined()
            let content = visible.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !content.isEmpty else { return nil }
            return content.count > 120 ? String(content.prefix(119)) + "…" : content
        }
        if let content = text(line) { return "; line \(line) reads: \(content)" }
        if let fallback, let content = text(fallback) { return "; the text ends there, and line \(fallback) reads: \(content)" }
        return ""
    }
}
