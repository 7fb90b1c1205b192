import DNS01
import Foundation
import Yams

/// Reads config documents (YAML or JSON, which is YAML) into `ConfigValue`.
public enum ConfigDocument {
    /// Parses one document. Scalars keep their YAML 1.1 core types (null, bool, int, float);
    /// everything else, timestamps included, stays a string.
    public static func parse(_ text: String, source: String) throws -> ConfigValue {
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
        do {
            return try Yams.compose_all(yaml: text).map { try convert($0, source: source) }
        } catch let error as DNS01Error {
            throw error
        } catch {
            throw DNS01Error(.invalidConfiguration, "\(source) is not valid YAML: \(describe(error))")
        }
    }

    /// Reads and parses a file.
    public static func load(path: String) throws -> ConfigValue {
        try parse(try readText(path), source: path)
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

    private static func describe(_ error: any Error) -> String {
        String(describing: error).split(separator: "\n").first.map(String.init) ?? "parse error"
    }
}
