import ProviderKit

/// AWS's name for ProviderKit's UTC instant, which SigV4 signs with.
public typealias AWSTimestamp = UTCTimestamp

extension UTCTimestamp {
    /// `20150830T123600Z`, the `X-Amz-Date` form.
    public var amzDate: String { basicDateTime }
}
