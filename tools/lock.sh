#!/usr/bin/env bash
# Refresh the locks: every transitive dependency at an exact version, with the hashes of every
# file PyPI has for it, for Python 3.11 on any platform. Run after changing a version in
# pyproject.toml, then install again with the README's commands and run the tests.
#   tools/lock.sh            (needs uv: .venv/bin/pip install uv)
set -euo pipefail
cd "$(dirname "$0")/.."
UV="${UV:-.venv/bin/uv}"
common=(--universal --python-version 3.11 --generate-hashes --no-header --quiet
        --index-url https://pypi.org/simple)
"$UV" pip compile "${common[@]}" pyproject.toml requirements/build.in -o requirements/app.txt
"$UV" pip compile "${common[@]}" --extra test pyproject.toml requirements/build.in \
      -o requirements/test.txt
echo "requirements/app.txt: $(grep -c '==' requirements/app.txt) packages"
echo "requirements/test.txt: $(grep -c '==' requirements/test.txt) packages"
