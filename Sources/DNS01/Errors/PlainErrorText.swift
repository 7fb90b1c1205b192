/// What a library error means, as a plain sentence for a user: never a Swift type or case name
/// (`HTTPClientError.deadlineExceeded`, `SocketAddressError.UnknownHost`), never errno soup
/// ("connection reset (error set): Connection refused (errno: 111)").
///
/// The SDK cannot import every library whose errors reach a message (AsyncHTTPClient, NIO,
/// NIOSSL, Foundation), so it reads their descriptions: each library's description of a
/// failure names it stably, and every pattern here is covered by a test that makes that
/// failure happen for real.
public enum PlainErrorText {
    public static func describe(_ error: any Error) -> String {
        if let known = error as? DNS01Error { return known.message }
        if let plain = error as? any PlainError { return plain.plainMessage }
        let text = String(describing: error)
        let lower = text.lowercased()
        for (patterns, sentence) in translations where patterns.contains(where: { lower.contains($0) }) {
            return sentence
        }
        return looksLikeCode(text) ? "an unexpected failure (\(scrubbed(text)))" : text
    }

    /// Known failures, by what their descriptions contain (lower-cased), first match wins.
    static let translations: [([String], String)] = [
        (["connection refused", "econnrefused", "errno: 111"], "connection refused (nothing listens there)"),
        (["unknownhost", "unknown host", "name or service not known", "no address associated", "nodename nor servname", "dns lookup"], "unknown host (the name does not resolve)"),
        (["failedtoloadprivatekey"], "cannot read the private key (not a PEM private key, or not readable)"),
        (["failedtoloadcertificate"], "cannot read the certificate (not a PEM certificate, or not readable)"),
        (["handshakefailed", "handshake failed", "certificate_verify_failed", "certificate verify", "unable to get local issuer", "wrong version number", "unexpected_message", "sslerror", "boringssl"], "the TLS handshake failed (the server's certificate is not trusted, does not match the host name, or the server does not speak TLS)"),
        (["connecttimeout", "connect timeout"], "no connection could be made in time (a firewall or a wrong address)"),
        (["deadlineexceeded", "readtimeout", "timed out", "timeout"], "no answer in time"),
        (["remoteconnectionclosed", "connection reset", "broken pipe", "econnreset", "unexpected eof", "uncleanshutdown"], "the connection was closed before an answer"),
        (["network is unreachable", "enetunreach", "no route to host", "ehostunreach"], "the network cannot reach the host"),
        (["no such file", "enoent", "code=260", "doesn’t exist", "doesn't exist"], "no such file"),
        (["permission denied", "eacces", "code=257"], "permission denied"),
        (["cancel"], "cancelled"),
    ]

    /// Whether a description reads like a Swift value dump rather than a sentence.
    static func looksLikeCode(_ text: String) -> Bool {
        let codeMarks = ["Error.", "Error(", "Optional(", "errno", "(error set)", "Domain=", "UserInfo=", "NSCocoa", "NSPOSIX"]
        if codeMarks.contains(where: { text.contains($0) }) { return true }
        // `TypeName.caseName`: an upper-case identifier, a dot, a lower-case identifier.
        var previousWord = ""
        var word = ""
        for character in text + " " {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
                continue
            }
            if character == ".", let first = word.first, first.isUppercase, word.contains(where: \.isLowercase) {
                previousWord = word
                word = ""
                continue
            }
            if !previousWord.isEmpty, let first = word.first, first.isLowercase, word.contains(where: \.isUppercase) || word.count > 3 {
                return true
            }
            previousWord = ""
            word = ""
        }
        return false
    }

    /// The words of a dump without its punctuation, for the rare failure no pattern knows.
    static func scrubbed(_ text: String) -> String {
        let words = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "/") })
            .filter { word in !word.hasSuffix("Error") && !word.dropFirst().contains(where: \.isUppercase) && word != "errno" }
        return String(words.joined(separator: " ").prefix(160))
    }
}

/// An error whose message is already a plain sentence for a user (the project's own error
/// types), so `PlainErrorText` passes it through untouched.
public protocol PlainError: Error {
    var plainMessage: String { get }
}
