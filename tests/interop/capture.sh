#!/usr/bin/env bash
# Regenerates vectors/: the requests the official clients send for the cases of
# capture/cases.json, with time and nonce pinned. Run after changing a pin or a case; a run on
# unchanged inputs rewrites the same files (check with `git status tests/interop/vectors`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Keep Python from writing __pycache__ folders into the repository.
export PYTHONDONTWRITEBYTECODE=1

"$here/setup.sh"
exec "$here/.venv/bin/python" "$here/capture/capture.py"
