/// One name/value pair of an Alibaba Cloud RPC request.
///
/// Requests are lists of pairs rather than dictionaries on purpose: Swift compares `String`s by
/// canonical equivalence, so a dictionary would merge `é` and `e\u{301}`, which the service
/// and its SDKs treat as two different names.
public struct RPCParameter: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
