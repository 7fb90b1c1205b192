"""The Kubernetes Pod Security Standards ("baseline" and "restricted" levels), checked
field by field on a PodSpec.

Written from the published standard (kubernetes.io, "Pod Security Standards"), control by
control; each violation is reported as one line naming the field and the bad value.
"""

from __future__ import annotations

from typing import Any

# Baseline: capabilities that may be added.
BASELINE_ADDABLE_CAPABILITIES = {
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}
# Baseline: SELinux types a pod may request.
BASELINE_SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t",
                          "container_engine_t"}
# Baseline: sysctls considered safe.
SAFE_SYSCTLS = {
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}
# Restricted: the only volume sources allowed.
RESTRICTED_VOLUME_TYPES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                           "persistentVolumeClaim", "projected", "secret"}
# Restricted: the only capability that may be added.
RESTRICTED_ADDABLE_CAPABILITIES = {"NET_BIND_SERVICE"}


def _containers(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for c in spec.get(key) or []:
            out.append((f"{key}[{c.get('name', '?')}]", c))
    return out


def baseline_violations(spec: dict[str, Any], pod_annotations: dict[str, str] | None = None) -> list[str]:
    v: list[str] = []
    psc = spec.get("securityContext") or {}
    containers = _containers(spec)

    # HostProcess
    if (psc.get("windowsOptions") or {}).get("hostProcess"):
        v.append("spec.securityContext.windowsOptions.hostProcess must not be true")
    for where, c in containers:
        if ((c.get("securityContext") or {}).get("windowsOptions") or {}).get("hostProcess"):
            v.append(f"{where}.securityContext.windowsOptions.hostProcess must not be true")

    # Host namespaces
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(key):
            v.append(f"spec.{key} must be unset or false")

    # Privileged containers
    for where, c in containers:
        if (c.get("securityContext") or {}).get("privileged"):
            v.append(f"{where}.securityContext.privileged must be unset or false")

    # Capabilities (baseline list)
    for where, c in containers:
        added = ((c.get("securityContext") or {}).get("capabilities") or {}).get("add") or []
        for cap in added:
            if cap not in BASELINE_ADDABLE_CAPABILITIES:
                v.append(f"{where}.securityContext.capabilities.add contains {cap}")

    # HostPath volumes
    for vol in spec.get("volumes") or []:
        if "hostPath" in vol:
            v.append(f"spec.volumes[{vol.get('name')}] is a hostPath volume")

    # Host ports
    for where, c in containers:
        for p in c.get("ports") or []:
            if p.get("hostPort"):
                v.append(f"{where}.ports[{p.get('name', p.get('containerPort'))}].hostPort must be unset or 0")

    # AppArmor
    allowed_aa = {None, "RuntimeDefault", "Localhost"}
    if (psc.get("appArmorProfile") or {}).get("type") not in allowed_aa:
        v.append("spec.securityContext.appArmorProfile.type must be RuntimeDefault or Localhost")
    for where, c in containers:
        if ((c.get("securityContext") or {}).get("appArmorProfile") or {}).get("type") not in allowed_aa:
            v.append(f"{where}.securityContext.appArmorProfile.type must be RuntimeDefault or Localhost")
    for key, value in (pod_annotations or {}).items():
        if key.startswith("container.apparmor.security.beta.kubernetes.io/"):
            if value != "runtime/default" and not value.startswith("localhost/"):
                v.append(f"annotation {key}={value} is not an allowed AppArmor profile")

    # SELinux
    def check_selinux(where: str, opts: dict[str, Any] | None) -> None:
        opts = opts or {}
        if opts.get("type", "") not in BASELINE_SELINUX_TYPES:
            v.append(f"{where}.seLinuxOptions.type {opts.get('type')} not allowed")
        for key in ("user", "role"):
            if opts.get(key):
                v.append(f"{where}.seLinuxOptions.{key} must be unset")

    check_selinux("spec.securityContext", psc.get("seLinuxOptions"))
    for where, c in containers:
        check_selinux(f"{where}.securityContext", (c.get("securityContext") or {}).get("seLinuxOptions"))

    # /proc mount type
    for where, c in containers:
        if (c.get("securityContext") or {}).get("procMount", "Default") != "Default":
            v.append(f"{where}.securityContext.procMount must be Default")

    # Seccomp (baseline: not Unconfined)
    if (psc.get("seccompProfile") or {}).get("type") == "Unconfined":
        v.append("spec.securityContext.seccompProfile.type must not be Unconfined")
    for where, c in containers:
        if ((c.get("securityContext") or {}).get("seccompProfile") or {}).get("type") == "Unconfined":
            v.append(f"{where}.securityContext.seccompProfile.type must not be Unconfined")

    # Sysctls
    for s in psc.get("sysctls") or []:
        if s.get("name") not in SAFE_SYSCTLS:
            v.append(f"spec.securityContext.sysctls {s.get('name')} is not a safe sysctl")
    return v


def restricted_violations(spec: dict[str, Any], pod_annotations: dict[str, str] | None = None) -> list[str]:
    """Every violation of the restricted level (which includes all of baseline)."""
    v = baseline_violations(spec, pod_annotations)
    psc = spec.get("securityContext") or {}
    containers = _containers(spec)

    # Volume types
    for vol in spec.get("volumes") or []:
        sources = set(vol) - {"name"}
        if not sources or not sources <= RESTRICTED_VOLUME_TYPES:
            v.append(f"spec.volumes[{vol.get('name')}] uses {sorted(sources)}; only {sorted(RESTRICTED_VOLUME_TYPES)} are allowed")

    # Privilege escalation: must be explicitly false in every container
    for where, c in containers:
        if (c.get("securityContext") or {}).get("allowPrivilegeEscalation") is not False:
            v.append(f"{where}.securityContext.allowPrivilegeEscalation must be false")

    # Running as non-root: pod-level true (and no container false), or every container true
    pod_nonroot = psc.get("runAsNonRoot") is True
    for where, c in containers:
        c_nonroot = (c.get("securityContext") or {}).get("runAsNonRoot")
        if c_nonroot is False:
            v.append(f"{where}.securityContext.runAsNonRoot must not be false")
        elif not pod_nonroot and c_nonroot is not True:
            v.append(f"{where}: runAsNonRoot must be true at pod or container level")

    # Running as a non-root user: runAsUser must not be 0
    if psc.get("runAsUser") == 0:
        v.append("spec.securityContext.runAsUser must not be 0")
    for where, c in containers:
        if (c.get("securityContext") or {}).get("runAsUser") == 0:
            v.append(f"{where}.securityContext.runAsUser must not be 0")

    # Seccomp: RuntimeDefault or Localhost must be set, at pod level or on every container
    good = {"RuntimeDefault", "Localhost"}
    pod_seccomp = (psc.get("seccompProfile") or {}).get("type")
    for where, c in containers:
        c_seccomp = ((c.get("securityContext") or {}).get("seccompProfile") or {}).get("type")
        effective = c_seccomp if c_seccomp is not None else pod_seccomp
        if effective not in good:
            v.append(f"{where}: seccompProfile.type must be RuntimeDefault or Localhost (is {effective})")

    # Capabilities: drop ALL; add at most NET_BIND_SERVICE
    for where, c in containers:
        caps = (c.get("securityContext") or {}).get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            v.append(f"{where}.securityContext.capabilities.drop must include ALL")
        for cap in caps.get("add") or []:
            if cap not in RESTRICTED_ADDABLE_CAPABILITIES:
                v.append(f"{where}.securityContext.capabilities.add may only contain NET_BIND_SERVICE, has {cap}")
    return v
