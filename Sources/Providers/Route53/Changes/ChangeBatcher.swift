import Synchronization

/// Coalesces concurrent changes to one hosted zone (for one identity) into as few
/// ChangeResourceRecordSets calls as Route53's limits allow, with at most one call in flight
/// per zone: Route53 allows 5 requests/s per account and answers PriorRequestNotComplete to a
/// zone that is still applying a change, so a burst of 2,000 challenges becomes a handful of calls.
///
/// - Changes queue in arrival order. A batch takes them in that order up to the limits
///   (1,000 `ResourceRecord`s and 32,000 value characters, UPSERT counting twice).
/// - Two changes of one record set never share a batch (Route53 rejects that): an identical
///   change joins the one already there; a different one (a DELETE after an UPSERT) waits for
///   a later batch, and so does everything after it on that set, so order per set holds.
/// - A batch rejected as a whole (`InvalidChangeBatch`, `InvalidInput`) is split: the changes
///   the error messages name are settled on their own (a DELETE of a set that is "not found"
///   succeeds), the rest are sent again; when no message names a change, the batch is halved.
public final class ChangeBatcher: Sendable {
    public struct Limits: Sendable, Hashable {
        public var maximumRecords: Int
        public var maximumValueCharacters: Int
        public init(maximumRecords: Int = 1000, maximumValueCharacters: Int = 32_000) {
            self.maximumRecords = maximumRecords
            self.maximumValueCharacters = maximumValueCharacters
        }
    }

    public enum Outcome: Sendable, Hashable {
        /// Route53 accepted the batch holding the change.
        case applied(ChangeInfo)
        /// A DELETE of a set that was not there: the record is gone, which is what was asked.
        case alreadyDeleted
    }

    /// Sends one batch to the zone (credentials and zone are bound by the caller).
    public typealias Send = @Sendable ([TXTChange]) async throws -> ChangeInfo

    private struct Pending {
        var change: TXTChange
        var waiters: [OneShot<Outcome>]
        var send: Send
    }

    private struct State {
        var queue: [Pending] = []
        var draining = false
    }

    private let state = Mutex(State())
    public let limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Queues `change` and returns once the batch holding it has been settled.
    public func apply(_ change: TXTChange, send: @escaping Send) async throws -> Outcome {
        let waiter = OneShot<Outcome>()
        let startDrain = state.withLock { state in
            state.queue.append(Pending(change: change, waiters: [waiter], send: send))
            if state.draining { return false }
            state.draining = true
            return true
        }
        if startDrain {
            // The drain belongs to the batcher, not to the challenge that happened to start it:
            // cancelling that one caller must not fail the changes of every other caller.
            // It ends by itself when the queue is empty.
            Task { await self.drain() }
        }
        return try await waiter.value
    }

    /// Changes waiting for a batch (not counting the one in flight); for tests.
    var queuedChangeCount: Int { state.withLock { $0.queue.count } }

    private func drain() async {
        while let (batch, send) = nextBatch() {
            await deliver(batch, send: send)
        }
    }

    /// Takes the next batch off the queue, or marks the drain finished when there is none
    /// (under the same lock, so a change queued meanwhile starts a new drain).
    private func nextBatch() -> ([Pending], Send)? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.draining = false
                return nil
            }
            var batch: [Pending] = []
            var indexByRecordSet: [String: Int] = [:]
            var deferredRecordSets: Set<String> = []
            var remaining: [Pending] = []
            var records = 0
            var characters = 0
            var full = false
            for pending in state.queue {
                let key = pending.change.recordSetKey
                if deferredRecordSets.contains(key) {
                    remaining.append(pending)
                } else if let index = indexByRecordSet[key] {
                    if batch[index].change == pending.change {
                        batch[index].waiters += pending.waiters
                    } else {
                        deferredRecordSets.insert(key)
                        remaining.append(pending)
                    }
                } else if full
                    || (!batch.isEmpty
                        && (records + pending.change.recordCount > limits.maximumRecords
                            || characters + pending.change.valueCharacters > limits.maximumValueCharacters))
                {
                    full = true
                    deferredRecordSets.insert(key)
                    remaining.append(pending)
                } else {
                    indexByRecordSet[key] = batch.count
                    batch.append(pending)
                    records += pending.change.recordCount
                    characters += pending.change.valueCharacters
                }
            }
            state.queue = remaining
            // The newest sender carries the freshest credentials of this identity.
            return (batch, batch[batch.count - 1].send)
        }
    }

    private func deliver(_ batch: [Pending], send: Send) async {
        do {
            let info = try await send(batch.map(\.change))
            settle(batch, .success(.applied(info)))
        } catch let error as AWSServiceError where error.code == "InvalidChangeBatch" || error.code == "InvalidInput" {
            if batch.count == 1 {
                settle(batch, Self.outcome(of: batch[0].change, rejectedWith: error))
                return
            }
            let named = batch.indices.filter { !Self.messages(in: error, naming: batch[$0].change, among: batch).isEmpty }
            if named.isEmpty {
                let middle = batch.count / 2
                await deliver(Array(batch[..<middle]), send: send)
                await deliver(Array(batch[middle...]), send: send)
                return
            }
            for index in named {
                var own = error
                own.messages = Self.messages(in: error, naming: batch[index].change, among: batch)
                settle([batch[index]], Self.outcome(of: batch[index].change, rejectedWith: own))
            }
            let rest = batch.indices.filter { !named.contains($0) }.map { batch[$0] }
            if !rest.isEmpty { await deliver(rest, send: send) }
        } catch {
            settle(batch, .failure(error))
        }
    }

    private func settle(_ batch: [Pending], _ result: Result<Outcome, any Error>) {
        for pending in batch {
            for waiter in pending.waiters { waiter.resolve(result) }
        }
    }

    /// A change rejected on its own: a DELETE of a set Route53 did not find has done its job
    /// (cert-manager #7547); anything else is the caller's error.
    static func outcome(of change: TXTChange, rejectedWith error: AWSServiceError) -> Result<Outcome, any Error> {
        if change.action == .delete, error.code == "InvalidChangeBatch", error.messages.contains(where: { $0.contains("not found") }) {
            return .success(.alreadyDeleted)
        }
        return .failure(error)
    }

    /// The messages of `error` about `change`: those quoting its SetIdentifier (unique per
    /// value), or, for messages that quote no SetIdentifier of the batch, those naming its record.
    private static func messages(in error: AWSServiceError, naming change: TXTChange, among batch: [Pending]) -> [String] {
        error.messages.filter { message in
            if message.contains(change.setIdentifier) { return true }
            guard !batch.contains(where: { message.contains($0.change.setIdentifier) }) else { return false }
            return message.contains(" \(change.name) ") || message.contains("'\(change.name)'") || message.hasSuffix(" \(change.name)")
        }
    }
}
