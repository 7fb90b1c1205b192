/// The hand-written part of docs/providers/acmesh.md (the descriptor's `notes`).
enum AcmeShGuide {
    static let text = """
        ### How a step runs

        For Present the webhook runs `dns_<name>_add <fqdn> <value>`, for CleanUp `dns_<name>_rm <fqdn> <value>`, as acme.sh does: `<fqdn>` is `_acme-challenge.<domain>` without the final dot (apex and wildcard share it), `<value>` the TXT value. Each step is a fresh `sh` running the shim's runner (`shims/acmesh/acmesh-run.sh`), which sources the project's clean-room implementation of acme.sh's helpers (`_get`, `_post`, `_egrep_o`, `_saveaccountconf_mutable`…; shims/acmesh/README.md lists them) and then your script. Exit status 0 is success; otherwise the step fails with the last line the script reported with `_err`, secrets redacted. Steps on one name are serialized within a replica. With `--log-level=debug` the webhook also sets `DEBUG=1` for the script (unless `env` sets `DEBUG`) and logs what the shim and the script printed, secrets redacted.

        acme.sh is GPLv3; none of its code ships with this project. You mount the scripts you choose.

        ### Mounting the scripts

        The scripts must be in `scriptsDir` (default `/opt/acme.sh/dnsapi`) inside the webhook's pod, and the pod must run the **acmesh image flavour** (`image.flavor: acmesh` in the chart), which adds `sh`, `curl`, `openssl`, `sed`, `grep` and the shim to the otherwise distroless image. The chart shows three ways (`acmesh.scripts` in values.yaml):

        1. **A ConfigMap** holding the scripts you need: `kubectl create configmap acmesh-scripts --from-file=dns_cf.sh` and `acmesh.scripts.configMap: acmesh-scripts`.
        2. **An image layer**: build `FROM <webhook image>:<version>-acmesh` and `COPY dns_cf.sh /opt/acme.sh/dnsapi/`.
        3. **An init container** that fetches acme.sh's `dnsapi/` folder at a pinned release into an `emptyDir` (`acmesh.scripts.fetch.version`); pin a version you have reviewed.

        At start-up `serve` checks, for every acmesh block of its own config, that the shim, the shell tools it needs and the script are there, and stops with what is missing.

        ### Finding a script's variables

        Each acme.sh script documents its variables in a `dns_<name>_info` block at its top: `Options:` (the variables it needs), `OptionsAlt:` (another set that works instead) and `Optional:`. Set them under `env`, secrets as `{secretKeyRef: {name, key}}`. Before each step the webhook reads that block (as text, without running the script) and fails with the names of the variables `env` does not set when neither set is complete. The acme.sh wiki page of the script (dnsapi) shows the same variables as `export` lines.

        ### State between Present and CleanUp

        Scripts save values with `_saveaccountconf_mutable`, `_savedomainconf` and the like (record ids, zone ids) during `add` and read them during `rm`. The webhook keeps those files per namespace, script and name: with `serve`, in a Secret named `dns01-acmesh-<hash>` in the webhook's own namespace, labelled `app.kubernetes.io/managed-by: dns01-webhook` and `dns01-webhook/provider: acmesh` (the chart grants get, create, update and delete on Secrets in that namespace with `image.flavor: acmesh`), so CleanUp works on any replica and after a restart; with the CLI, in `$DNS01_STATE_DIR` (default `~/.local/state/dns01-webhook`). The entry goes when the last value presented at the name is cleaned up. Writes are conditional on the version read: when two replicas run steps on one name at once (the apex and the wildcard challenge on different pods), the second reads the entry again and reapplies what its run changed, so neither loses the other's saved values. What scripts save can include their credentials, which is why it is a Secret.

        ### Two values on one name

        A certificate for `example.com` and `*.example.com` puts two values at one name at the same time. Many scripts add a record per value and remove only their own; some **replace the whole record set** on add, or delete every TXT record at the name on remove, and then one of the two challenges fails. The descriptor cannot know which kind your script is: run

        ```
        dns01-webhook check --config acmesh.yaml --secrets secrets.yaml --solver acmesh --domain www.example.com --nameserver <an authoritative server of the zone>
        ```

        Its **Extended** step puts two values on one name, removes one and checks that the other stays; when it fails, the line says which way the script broke it, and the script cannot serve the apex and the wildcard name of one certificate at once (issue them as separate certificates, or use a Swift provider for that DNS host).

        Known cases, from acme.sh 3.1.4's scripts: scripts for APIs that can only write a whole record set read, modify and write it back. `dns_pdns` rebuilds the full value list on add, and on rm deletes the set and then writes back the other values (a window with none); `dns_huaweicloud` appends and removes single values correctly but without any lock. Within one replica the webhook runs the steps of one name one at a time, which keeps such scripts from racing each other there; the scripts of two replicas can still race at the DNS API, so for such a script run one replica.

        ### Security model

        - A script is code that runs in the webhook's pod. Only the operator's config may name one; an Issuer's config may name a script only when `issuerPolicy.allowedPrograms` lists its full path (`/opt/acme.sh/dnsapi/dns_cf.sh`), and `scriptsDir` then must match too. Mount only scripts you have read.
        - Each step gets a clean environment: `PATH`, a private `HOME` and temp directory (removed afterwards), the shim's own variables and the variables of `env`. Nothing else of the pod's environment reaches the script: no service-account token path, no cloud credentials of the pod, no other Secrets.
        - Secret values are read from the challenge's namespace, passed only through the environment (never on a command line), and replaced by `<redacted>` in every message and log line. The shim hides request headers and bodies from debug output.
        - A step that runs past `timeout` is killed with its whole process group, so nothing it started keeps running.
        - The environment is clean, the filesystem is not: a script runs as the webhook's user in the webhook's pod and can read what that user can, including the service-account token Kubernetes mounts at `/var/run/secrets/kubernetes.io/serviceaccount` (and with it the webhook's RBAC: reading the Secrets it may read). The isolation keeps a script from seeing what it was not given by accident; it does not contain a hostile script. That is why scripts are operator-only.
        """
}
