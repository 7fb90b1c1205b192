#!/usr/bin/env bash
# Chart tests: install the pinned Python packages and promtool, then run pytest on Tests/Chart.
# Runs from any directory; needs python3 with pip and access to PyPI, and, when promtool is not
# there yet, Debian's apt as root (or password-less sudo), as scripts/setup installs it.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

python3 -m pip install --quiet --disable-pip-version-check --no-input --root-user-action=ignore \
  -r Tests/Chart/requirements.txt

# promtool (Debian's prometheus package) checks and unit-tests the chart's alerting rules.
if ! command -v promtool >/dev/null 2>&1; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
  echo "run.sh: apt-get install prometheus (for promtool)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    prometheus </dev/null >/dev/null
fi

exec python3 -m pytest -q -p no:cacheprovider Tests/Chart "$@"
