#!/usr/bin/env bash
# Installs the official Alibaba Cloud clients that the interoperability suite drives, at the
# versions pinned in requirements.txt and package-lock.json, into folders this suite owns:
#   tests/interop/.venv          Python: alibabacloud-dds20151201 (+ tea-openapi),
#                                aliyun-python-sdk-core (+ aliyun-python-sdk-dds), pytest
#   tests/interop/node_modules   Node: @alicloud/openapi-client, @alicloud/pop-core
#
# Safe to run again: an install that already matches the pins is left as it is.
# A missing tool or a failed install ends the script with a non-zero status and a message that
# says what is missing; nothing is skipped silently.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

fail() {
    echo "interop setup: $*" >&2
    exit 1
}

need() {
    command -v "$1" >/dev/null 2>&1 || fail "'$1' is not installed; $2"
}

need python3 "the Python clients need Python 3.9 or later (Debian: apt-get install python3 python3-venv)"
need node "the Node clients need Node.js 18 or later (Debian: apt-get install nodejs)"
need npm "the Node clients are installed with npm (Debian: apt-get install npm)"

python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
    || fail "python3 is $(python3 --version 2>&1); 3.9 or later is needed"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
    || fail "node is $(node --version); 18 or later is needed (node:test and fetch)"

# Python. The stamp holds a hash of requirements.txt, so a changed pin reinstalls.
want_py="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [[ -x .venv/bin/python && "$(cat .venv/.dds-installed 2>/dev/null)" == "$want_py" ]]; then
    echo "interop setup: Python clients already installed (.venv)"
else
    echo "interop setup: installing the Python clients into .venv"
    if [[ ! -x .venv/bin/python ]]; then
        python3 -m venv .venv \
            || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
    fi
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt \
        || fail "pip install -r requirements.txt failed"
    echo "$want_py" > .venv/.dds-installed
fi

# Node. npm ci installs exactly what package-lock.json names; the stamp skips it next time.
want_node="$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [[ -d node_modules && "$(cat node_modules/.dds-installed 2>/dev/null)" == "$want_node" ]]; then
    echo "interop setup: Node clients already installed (node_modules)"
else
    echo "interop setup: installing the Node clients into node_modules"
    npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
    echo "$want_node" > node_modules/.dds-installed
fi

# Prove the installs import, so a broken one fails here and not halfway through a run.
.venv/bin/python -c '
import alibabacloud_dds20151201.client, alibabacloud_tea_openapi.client
import aliyunsdkcore.client, aliyunsdkdds.request.v20151201.ModifyDBInstanceSSLRequest
import pytest
' || fail "the Python clients are installed but do not import"
node -e 'require("@alicloud/openapi-client"); require("@alicloud/pop-core")' \
    || fail "the Node clients are installed but do not load"

echo "interop setup: ready"
