import Synchronization

/// Metric objects made once per key (their label values) and kept: making one costs a registry
/// lookup and name sanitising, too much to do on every request.
public final class MetricCache<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    // @unchecked: `Value` is a metric object (or a tuple of them), which is thread-safe;
    // the dictionary is only touched under the lock.
    private let values = Mutex<[Key: Value]>([:])

    public init() {}

    /// The object for `key`, made with `make` the first time.
    public func value(for key: Key, make: () -> Value) -> Value {
        values.withLock { values in
            if let existing = values[key] { return existing }
            let made = make()
            values[key] = made
            return made
        }
    }
}
