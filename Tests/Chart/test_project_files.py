"""The project files at the repository root: LICENSE is the whole Apache License 2.0,
CHANGELOG.md follows Keep a Changelog, SECURITY.md says how to report privately and what the
webhook trusts."""

from __future__ import annotations

import re

from chart_render import REPO


def test_license_is_the_full_apache_2_0_text() -> None:
    text = (REPO / "LICENSE").read_text()
    assert text.lstrip().startswith("Apache License\n                           Version 2.0, January 2004")
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text
    sections = re.findall(r"^\s+(\d)\. (\w[\w ]+)\.", text, flags=re.M)
    assert [n for n, _ in sections] == [str(i) for i in range(1, 10)], sections
    assert "END OF TERMS AND CONDITIONS" in text
    assert "APPENDIX: How to apply the Apache License to your work." in text
    assert len(text) > 11000


def test_changelog_keeps_a_changelog() -> None:
    text = (REPO / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n")
    assert "[Keep a Changelog](https://keepachangelog.com/" in text
    assert "[Semantic Versioning](https://semver.org/" in text
    versions = re.findall(r"^## (.+)$", text, flags=re.M)
    assert versions[0] == "[Unreleased]"
    unreleased = text.split("## [Unreleased]", 1)[1].split("\n## ", 1)[0]
    kinds = re.findall(r"^### (.+)$", unreleased, flags=re.M)
    assert kinds and set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    # The chart changes are listed, renamed values included.
    for name in ("podSecurityContext", "containerSecurityContext", "global.imagePullSecrets",
                 "image.registry", "serviceAccount.create", "prometheusRule", "grafanaDashboard",
                 "openshift-values.yaml", "ghcr.io/dns01-webhook/dns01-webhook"):
        assert name in unreleased, name


def test_security_policy() -> None:
    text = (REPO / "SECURITY.md").read_text()
    assert "## Reporting a vulnerability" in text
    assert "privately" in text and "Report a vulnerability" in text
    for topic in ("front-proxy CA", "untrusted", "issuerPolicy", "resourceNamespace", "secretAccess",
                  "allowAmbientCredentials", "<redacted>", "SubjectAccessReview"):
        assert topic in text, topic
