import Logging

extension ChallengeDispatcher {
    /// Runs `step` (the provider's Present or CleanUp) holding the lock on the challenge's record
    /// name when the provider rewrites whole value sets with no precondition; other providers
    /// run it as it is. The lock is taken here, never by providers, so none can forget it.
    ///
    /// A step whose lock cannot be had does not run: the challenge fails with the lock's reason
    /// and cert-manager retries it. The lock is released however the step ends; a release that
    /// fails is logged, not reported, since the step's outcome stands and the lock expires.
    func underNameLockIfNeeded(
        _ challenge: Challenge,
        provider: any DNSProvider,
        route: Route,
        _ step: () async throws -> Void
    ) async throws {
        guard let nameLocking else { return try await step() }
        let model = try await provider.recordModel(at: challenge.resolvedFQDN) ?? route.binding.recordModel
        guard model == .readModifyWriteSet else { return try await step() }
        let name = RecordNameLockName(recordName: challenge.resolvedFQDN, zone: challenge.resolvedZone)
        let deadline = ContinuousClock.now + nameLocking.maximumWait
        try await Self.run(step, holding: nameLocking.lock, on: name, until: deadline, logger: logger)
    }

    /// Opens the lock's type so its `Hold` is known.
    private static func run<Lock: RecordNameLock>(
        _ step: () async throws -> Void,
        holding lock: Lock,
        on name: RecordNameLockName,
        until deadline: ContinuousClock.Instant,
        logger: Logger
    ) async throws {
        let hold = try await lock.acquire(name, deadline: deadline)
        let outcome: Result<Void, any Error>
        do {
            try await step()
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // In a task of its own: when the step ended because the request's deadline cancelled
        // it, a release in this (cancelled) task would be cancelled too and leave the lock
        // held until it expires.
        let release = Task {
            do {
                try await lock.release(hold)
            } catch {
                logger.warning("could not release the record-name lock; it expires by itself", metadata: ["name": "\(name)", "error": "\(error)"])
            }
        }
        await release.value
        try outcome.get()
    }
}
