#!/usr/bin/env bash
# Runs Alibaba Cloud's official Python and Node clients against the emulator over loopback
# HTTP: Modify/DescribeDBInstanceSSL change and show the emulator's state, a locked instance
# answers IncorrectDBInstanceLockMode (403), a wrong secret answers SignatureDoesNotMatch,
# and unusual parameter values (spaces, *~!'(), non-ASCII, empty, URL delimiters) are signed
# and decoded intact. Every client runs in every mode: Python tea-openapi V3 and V1,
# aliyun-python-sdk-core, Node openapi-client V3 and V1, pop-core GET and POST.
#
# Installs the clients first (setup.sh) and builds the emulator unless DDS_EMULATOR_BIN names
# a binary. Exits non-zero if anything is missing or any check fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

fail() {
    echo "interop run: $*" >&2
    exit 1
}

# Keep Python from writing __pycache__ folders into the repository.
export PYTHONDONTWRITEBYTECODE=1

"$here/setup.sh"

# The emulator.
if [[ -n "${DDS_EMULATOR_BIN:-}" ]]; then
    emulator="$DDS_EMULATOR_BIN"
else
    command -v cargo >/dev/null 2>&1 || fail "cargo is not installed; it builds the emulator"
    echo "interop run: building dds-emulator"
    (cd "$root" && cargo build --locked --quiet -p dds-emulator --bin dds-emulator) \
        || fail "cargo build -p dds-emulator failed"
    emulator="${CARGO_TARGET_DIR:-$root/target}/debug/dds-emulator"
fi
[[ -x "$emulator" ]] || fail "no emulator binary at $emulator"

work="$(mktemp -d)"
emulator_pid=""
cleanup() {
    if [[ -n "$emulator_pid" ]]; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The suite's own instances, and test credentials that exist only for this run.
"$here/.venv/bin/python" - "$here/fixture.json" "$work/instances.json" <<'EOF'
import json, sys
fixture = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump(fixture["emulatorFixture"], open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
export DDS_INTEROP_ACCESS_KEY_ID="LTAIinteropRunKey"
export DDS_INTEROP_ACCESS_KEY_SECRET="interop-run-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# Port 0: the emulator picks a free port and prints `listening on http://127.0.0.1:PORT` as
# its one line on standard output. The key pair goes by environment, not on the command line.
# SSL changes restart an instance; a short restart keeps the suite quick.
DDS_EMULATOR_ACCESS_KEYS="$DDS_INTEROP_ACCESS_KEY_ID:$DDS_INTEROP_ACCESS_KEY_SECRET" \
    "$emulator" \
    --address 127.0.0.1 \
    --port 0 \
    --fixture "$work/instances.json" \
    --restart-time 500ms \
    >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!

url=""
for _ in $(seq 1 200); do
    url="$(sed -n 's|^listening on http://\(127\.0\.0\.1:[0-9][0-9]*\)/*$|\1|p' "$work/emulator.out")"
    [[ -n "$url" ]] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        cat "$work/emulator.out" "$work/emulator.log" >&2
        fail "the emulator exited before it was ready (its output is above)"
    fi
    sleep 0.05
done
if [[ -z "$url" ]]; then
    cat "$work/emulator.out" "$work/emulator.log" >&2
    fail "the emulator printed no 'listening on http://127.0.0.1:PORT' line within 10 s"
fi
export DDS_INTEROP_ENDPOINT="$url"
echo "interop run: emulator listening on $DDS_INTEROP_ENDPOINT"

# Both suites run even when the first fails, so one run reports everything.
status=0
echo "interop run: Python clients (pytest)"
(cd "$here" && .venv/bin/python -m pytest -p no:cacheprovider -q --durations=5 test_python_clients.py) || status=1
echo "interop run: Node clients (node --test)"
(cd "$here" && node --test --test-reporter=spec node_clients.test.js) || status=1

if [[ $status -ne 0 ]]; then
    echo "interop run: emulator output:" >&2
    tail -n 50 "$work/emulator.log" >&2
    fail "some checks failed (see above)"
fi
echo "interop run: all checks passed"
