import Crypto
import DNS01
import Foundation
import Logging
import ProviderKit

/// Credentials for one challenge, and a stable name for where they came from (never a secret),
/// used to key caches and change batches: two challenges share a batch only when they act
/// with the same identity.
public struct ResolvedCredentials: Sendable {
    public var credentials: AWSCredentials
    public var identity: String
    /// The region in effect (config, or the environment's when ambient credentials are used).
    public var region: String?
}

/// cert-manager's order, each step tested:
/// 1. static keys (`accessKeyID` or `accessKeyIDSecretRef`, with `secretAccessKeySecretRef`);
/// 2. `auth.kubernetes.serviceAccountRef`: a TokenRequest token exchanged by
///    AssumeRoleWithWebIdentity (unsigned) for `role`;
/// 3. ambient, only when the challenge allows it: environment keys, IRSA (token file re-read
///    on every refresh), EKS Pod Identity / ECS container credentials, the EC2 instance
///    profile from the instance metadata service (IMDSv2, then v1);
/// 4. otherwise cert-manager's error.
/// Then, with `role` and no web identity, AssumeRole signed with what steps 1 or 3 found.
/// Temporary credentials are cached and refreshed before they expire.
public struct CredentialsChain: Sendable {
    public var configuration: Route53Configuration
    public var context: ProviderContext
    public var cache: ExpiringCache<String, AWSCredentials>
    public var sender: AWSRequestSender
    public var readFile: @Sendable (String) throws -> String

    public init(
        configuration: Route53Configuration, context: ProviderContext, cache: ExpiringCache<String, AWSCredentials>,
        sender: AWSRequestSender, readFile: @escaping @Sendable (String) throws -> String = CredentialsChain.readTextFile
    ) {
        self.configuration = configuration
        self.context = context
        self.cache = cache
        self.sender = sender
        self.readFile = readFile
    }

    public static let readTextFile: @Sendable (String) throws -> String = { path in
        try String(contentsOfFile: path, encoding: .utf8)
    }

    private var environmentRegion: String? {
        [context.environment["AWS_REGION"], context.environment["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty }
    }

    /// Whether this challenge will use ambient credentials: allowed, and nothing configured.
    public var usesAmbient: Bool {
        context.allowAmbientCredentials && !configuration.hasStaticKeys && configuration.serviceAccount == nil
    }

    /// cert-manager's region rule: with ambient credentials the environment's region wins over
    /// the Issuer's; otherwise the Issuer's, then the environment's.
    public var region: String? {
        if usesAmbient, let environmentRegion { return environmentRegion }
        return configuration.region ?? environmentRegion
    }

    /// cert-manager's words (what users search for), then the fields that would give
    /// credentials and the switch that allows ambient ones.
    public static let noCredentialsMessage =
        "route53: empty credentials; perhaps you meant to enable ambient credentials? "
        + "The route53 block names none: set accessKeyID (or accessKeyIDSecretRef) and secretAccessKeySecretRef, "
        + "or auth.kubernetes.serviceAccountRef with role; or allow ambient credentials (environment, IRSA, Pod Identity, instance profile), "
        + "which cert-manager does for a ClusterIssuer and never for an Issuer, and the CLI does with --allow-ambient-credentials"

    public func resolve() async throws -> ResolvedCredentials {
        let base: (credentials: AWSCredentials, identity: String)
        if configuration.hasStaticKeys {
            base = try await staticCredentials()
        } else if let serviceAccount = configuration.serviceAccount, let role = configuration.role {
            return ResolvedCredentials(credentials: try await webIdentityFromServiceAccount(serviceAccount, role: role), identity: "sa|\(context.namespace)|\(serviceAccount.name)|\(role)", region: region)
        } else if context.allowAmbientCredentials {
            if let region = configuration.region, let environmentRegion, region != environmentRegion {
                context.logger.info("Ignoring Issuer region: ambient credentials use the environment's", metadata: ["issuerRegion": "\(region)", "region": "\(environmentRegion)"])
            }
            base = try await ambientCredentials()
        } else {
            throw DNS01Error(.credentialsUnavailable, Self.noCredentialsMessage)
        }
        guard let role = configuration.role else {
            return ResolvedCredentials(credentials: base.credentials, identity: base.identity, region: region)
        }
        let sts = stsClient(regional: true)
        let identity = "assume|\(sts.endpoint)|\(role)|\(base.identity)"
        let credentials = try await cached(identity) {
            do {
                return try await sts.assumeRole(roleARN: role, using: base.credentials)
            } catch {
                throw DNS01Error.route53(error, context: "route53: unable to assume role").as(.credentialsUnavailable)
            }
        }
        return ResolvedCredentials(credentials: credentials, identity: identity, region: region)
    }

    private func staticCredentials() async throws -> (credentials: AWSCredentials, identity: String) {
        let accessKeyID: String
        if let literal = configuration.accessKeyID {
            accessKeyID = literal
        } else if let reference = configuration.accessKeyIDSecretRef {
            accessKeyID = try await context.secret(reference).text
        } else {
            throw DNS01Error(.credentialsUnavailable, "route53: only one of access and secret key was provided")
        }
        guard let secretReference = configuration.secretAccessKeySecretRef else {
            throw DNS01Error(.credentialsUnavailable, "route53: only one of access and secret key was provided")
        }
        let secret = try await context.secret(secretReference)
        let credentials = AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret)
        return (credentials, "static|\(accessKeyID)|\(Self.fingerprint(credentials.secretAccessKey))")
    }

    private func webIdentityFromServiceAccount(_ serviceAccount: Route53Configuration.ServiceAccountAuth, role: String) async throws -> AWSCredentials {
        guard let tokens = context.serviceAccountTokens else {
            throw DNS01Error(.credentialsUnavailable, "route53: auth.kubernetes.serviceAccountRef needs access to the Kubernetes API (TokenRequest), which this process does not have")
        }
        let sts = stsClient(regional: true)
        let key = "sa|\(sts.endpoint)|\(context.namespace)|\(serviceAccount.name)|\(serviceAccount.audiences.joined(separator: ","))|\(role)"
        let namespace = context.namespace
        return try await cached(key) {
            let token: SecretValue
            do {
                token = try await tokens.token(namespace: namespace, serviceAccount: serviceAccount.name, audiences: serviceAccount.audiences, expirationSeconds: 600)
            } catch {
                throw DNS01Error.wrapping(error, as: .credentialsUnavailable, context: "route53: cannot get a token for service account \(namespace)/\(serviceAccount.name)")
            }
            do {
                return try await sts.assumeRoleWithWebIdentity(roleARN: role, token: token)
            } catch {
                throw DNS01Error.route53(error, context: "route53: unable to assume role with web identity").as(.credentialsUnavailable)
            }
        }
    }

    private func ambientCredentials() async throws -> (credentials: AWSCredentials, identity: String) {
        let environment = context.environment
        if let keyID = environment["AWS_ACCESS_KEY_ID"], !keyID.isEmpty, let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty {
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : SecretValue($0) }
            let credentials = AWSCredentials(accessKeyID: keyID, secretAccessKey: SecretValue(secret), sessionToken: token)
            return (credentials, "env|\(keyID)|\(Self.fingerprint(credentials.secretAccessKey))")
        }
        if let role = environment["AWS_ROLE_ARN"], !role.isEmpty, let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"], !tokenFile.isEmpty {
            let sts = stsClient(regional: environment["AWS_STS_REGIONAL_ENDPOINTS"] == "regional")
            let sessionName = environment["AWS_ROLE_SESSION_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? STSClient.sessionName
            let identity = "irsa|\(sts.endpoint)|\(role)|\(tokenFile)"
            let readFile = self.readFile
            let credentials = try await cached(identity) {
                // Re-read on every refresh: the kubelet rotates the projected token.
                let token: SecretValue
                do {
                    token = SecretValue(try readFile(tokenFile))
                } catch {
                    throw DNS01Error(.credentialsUnavailable, "route53: cannot read AWS_WEB_IDENTITY_TOKEN_FILE \(tokenFile): \(PlainErrorText.describe(error))")
                }
                do {
                    return try await sts.assumeRoleWithWebIdentity(roleARN: role, sessionName: sessionName, token: token)
                } catch {
                    throw DNS01Error.route53(error, context: "route53: IRSA: unable to assume role with web identity").as(.credentialsUnavailable)
                }
            }
            return (credentials, identity)
        }
        if let container = try ContainerCredentialsClient.fromEnvironment(environment, readFile: readFile, sender: sender) {
            let identity = "container|\(container.uri)"
            let credentials = try await cached(identity) {
                do {
                    return try await container.fetch()
                } catch {
                    throw DNS01Error.route53(error, context: "route53: container credentials (EKS Pod Identity) failed").as(.credentialsUnavailable)
                }
            }
            return (credentials, identity)
        }
        let lookedFor =
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, IRSA (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE) or EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI), give the node an instance profile, or configure keys in the issuer"
        guard let instance = InstanceMetadataCredentialsClient.fromEnvironment(environment, transport: sender.transport) else {
            throw DNS01Error(.credentialsUnavailable, "route53: no ambient AWS credentials found: \(lookedFor) (the instance metadata service is turned off by AWS_EC2_METADATA_DISABLED)")
        }
        let identity = "imds|\(instance.endpoint)"
        do {
            let credentials = try await cached(identity) { try await instance.fetch() }
            return (credentials, identity)
        } catch {
            let reason = PlainErrorText.describe(error)
            throw DNS01Error(.credentialsUnavailable, "route53: no ambient AWS credentials found: \(lookedFor); the instance metadata service at \(instance.endpoint) gave none: \(reason)")
        }
    }

    /// STS for this challenge: the `stsEndpoint` override; else regional when asked and a
    /// region is known (cert-manager uses the config's region); else the global endpoint.
    func stsClient(regional: Bool) -> STSClient {
        let partition = AWSPartition(region: region)
        if let override = configuration.stsEndpoint {
            return STSClient(endpoint: override, signingRegion: region ?? partition.globalSTS.signingRegion, sender: sender)
        }
        if let region, regional || partition == .china {
            return STSClient(endpoint: partition.regionalSTSEndpoint(region), signingRegion: region, sender: sender)
        }
        return STSClient(endpoint: partition.globalSTS.endpoint, signingRegion: partition.globalSTS.signingRegion, sender: sender)
    }

    /// Temporary credentials, from the cache until ProviderKit's refresh margin before they expire.
    private func cached(_ key: String, load: @escaping @Sendable () async throws -> AWSCredentials) async throws -> AWSCredentials {
        let now = sender.now
        return try await cache.value(for: key) {
            let credentials = try await load()
            guard let expiration = credentials.expiration else { return (credentials, .seconds(15 * 60)) }
            let remaining = expiration.secondsSince1970 - now().secondsSince1970
            return (credentials, CredentialRefresh.reuseDuration(remaining: remaining))
        }
    }

    /// A short, one-way tag of a secret, so identities can tell keys apart without holding them.
    static func fingerprint(_ secret: SecretValue) -> String {
        Array(Array(SHA256.hash(data: secret.bytes)).prefix(8)).hexString
    }
}

extension DNS01Error {
    /// The same message under another code (an STS refusal is a credentials problem).
    func `as`(_ code: Code) -> DNS01Error { DNS01Error(code, message) }
}
