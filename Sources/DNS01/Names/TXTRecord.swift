/// Helpers for TXT record data, shared by providers that speak zone-file syntax.
public enum TXTRecord {
    /// The zone-file form of one TXT value: split into ≤255-byte character-strings, each quoted,
    /// with `"` and `\` escaped (`abc` → `"abc"`). ACME values are 43 characters, so this is
    /// normally a single quoted string.
    public static func quoted(_ value: String) -> String {
        chunks(of: value).map { chunk in
            var escaped = "\""
            for character in chunk {
                if character == "\"" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            escaped.append("\"")
            return escaped
        }.joined(separator: " ")
    }

    /// The value that a zone-file TXT rdata (`"a" "b"` or bare `abc`) carries: the character-strings
    /// unescaped and concatenated, which is how cert-manager compares TXT records with a key.
    public static func unquoted(_ rdata: String) -> String {
        var result = ""
        var inQuotes = false
        var escaping = false
        var sawQuote = false
        for character in rdata {
            if escaping {
                result.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                inQuotes.toggle()
                sawQuote = true
            } else if inQuotes || !sawQuote {
                if !inQuotes && character == " " { continue }
                result.append(character)
            }
        }
        return result
    }

    /// Splits a value into character-strings of at most 255 bytes, never inside a UTF-8 sequence.
    public static func chunks(of value: String) -> [String] {
        var chunks: [String] = []
        var current = ""
        var currentBytes = 0
        for character in value {
            let size = character.utf8.count
            if currentBytes + size > 255 {
                chunks.append(current)
                current = ""
                currentBytes = 0
            }
            current.append(character)
            currentBytes += size
        }
        chunks.append(current)
        return chunks
    }
}
