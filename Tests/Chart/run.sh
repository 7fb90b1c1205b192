#!/usr/bin/env bash
# Chart tests: install the pinned Python packages, then run pytest on Tests/Chart.
# Runs from any directory; needs only python3 with pip and access to PyPI for the install.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

python3 -m pip install --quiet --disable-pip-version-check --no-input \
  -r Tests/Chart/requirements.txt

exec python3 -m pytest -q -p no:cacheprovider Tests/Chart "$@"
