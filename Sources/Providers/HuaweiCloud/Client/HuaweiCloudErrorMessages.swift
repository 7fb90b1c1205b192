import DNS01
import ProviderKit

/// Turns API failures into the `DNS01Error`s cert-manager shows on the Challenge: stable (no
/// request ids, no server-side timestamps) and saying what to fix, down to the IAM action a
/// policy must allow.
enum HuaweiCloudErrorMessages {
    /// The IAM action each operation needs.
    static let iamActions: [String: String] = [
        "ListZones": "dns:zone:list",
        "ListRecordSetsByZone": "dns:recordset:list",
        "CreateRecordSet": "dns:recordset:create",
        "UpdateRecordSet": "dns:recordset:update",
        "DeleteRecordSet": "dns:recordset:delete",
    ]
    static let allIAMActions = ["dns:zone:list", "dns:recordset:list", "dns:recordset:create", "dns:recordset:update", "dns:recordset:delete"]

    /// A failed DNS call for `name`, made with keys from `origin`.
    static func dnsFailure(_ error: any Error, name: String, origin: String, endpoint: BaseURL) -> DNS01Error {
        switch error {
        case let error as DNS01Error:
            return error
        case let error as HuaweiAPIError:
            return apiFailure(error, name: name, origin: origin)
        case is ValueSetWriterError:
            return DNS01Error(
                .providerUnavailable,
                "another writer outside the webhook (another tool, or a replica without the permission for its record-name Leases) kept replacing the TXT record set at \(name) and undid this challenge's change in every round; cert-manager will try again"
            )
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach Huawei Cloud DNS at \(endpoint): \(error.underlying)")
        case let error as HuaweiResponseDecodingError:
            return DNS01Error(.providerUnavailable, "Huawei Cloud DNS at \(endpoint) answered \(error.operation) with a response this provider cannot read")
        default:
            return DNS01Error.wrapping(error, context: "Huawei Cloud DNS at \(endpoint)")
        }
    }

    private static func apiFailure(_ error: HuaweiAPIError, name: String, origin: String) -> DNS01Error {
        let code = error.code
        let text = error.message.lowercased()
        if error.httpStatus == 401 {
            // The gateway answers every authentication failure with APIGW.0301 and says which in
            // its message; the message here is chosen from it, never copied.
            if text.contains("signature") {
                return DNS01Error(.credentialsUnavailable, "Huawei Cloud rejected the request signature (\(code)): the secret access key (SK) from \(origin) does not belong to its access key (AK); check the secret's value")
            }
            if (text.contains("ak ") && text.contains("not exist")) || (text.contains("access key") && text.contains("not")) {
                return DNS01Error(.credentialsUnavailable, "Huawei Cloud does not know the access key (AK) from \(origin) (\(code)): check that it is the AK of an existing, enabled access key (not its SK)")
            }
            if text.contains("x-sdk-date") || text.contains("time window") || (text.contains("expired") && !text.contains("token")) {
                return DNS01Error(.providerRejected, "Huawei Cloud refused the request time (\(code)): this machine's clock is more than 15 minutes off; fix its time synchronisation (NTP)")
            }
            if text.contains("token") {
                return DNS01Error(
                    .credentialsUnavailable,
                    "Huawei Cloud rejected the security token of the temporary access key from \(origin) (\(code)): the key expired, or the token belongs to another key; provide a fresh temporary key with its own token (securityTokenRef), or a permanent access key without one"
                )
            }
            if text.contains("project") {
                return DNS01Error(.invalidConfiguration, "Huawei Cloud refused the projectId of the config for the access key from \(origin) (\(code)): use the ID of a project of that account in the region (My Credentials in the console)")
            }
            return DNS01Error(.credentialsUnavailable, "Huawei Cloud refused the access key from \(origin) (\(code)): check the AK and SK")
        }
        if error.httpStatus == 403 || code == "DNS.1802" {
            let action = iamActions[error.operation].map { "call \($0)" } ?? "call \(error.operation)"
            return DNS01Error(.providerRejected, "the IAM identity of \(origin) may not \(action) (\(code)): grant it the DNS FullAccess policy, or a custom policy allowing \(allIAMActions.joined(separator: ", "))")
        }
        switch code {
        case "DNS.0302":
            return DNS01Error(.zoneNotFound, "the zone of \(name) is not in the Huawei Cloud account of \(origin) (\(code)): it was deleted, or the zoneId of the config belongs to another account")
        case "DNS.0312":
            return DNS01Error(.providerRejected, "a record set at \(name) conflicts with the TXT record set (\(code)), usually a CNAME: remove it, or point the CNAME at a name this solver manages")
        default:
            break
        }
        if error.isThrottling {
            return DNS01Error(.providerUnavailable, "Huawei Cloud DNS kept throttling \(error.operation) (\(code)) through every retry: the account makes too many API calls; cert-manager will try again")
        }
        if error.isTransient {
            return DNS01Error(.providerUnavailable, "Huawei Cloud DNS kept failing \(error.operation) with HTTP \(error.httpStatus) (\(code)) through every retry; cert-manager will try again")
        }
        let detail = error.message.isEmpty ? "" : ": \(error.message)"
        return DNS01Error(.providerRejected, "Huawei Cloud DNS refused \(error.operation) for \(name) (\(code))\(detail)")
    }
}
