#!/usr/bin/env bash
# The project's test command (see README): formatting, lints, every Rust test, then the
# interoperability suite against Alibaba's official Python and Node clients.
#
# The interop suite installs its own Python venv and npm packages under tests/interop/ and
# fails loudly when python3, node or npm is missing; set DDS_SKIP_INTEROP=1 to leave it out
# on a machine without them (CI never sets it).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

if [ "${DDS_SKIP_INTEROP:-0}" = 1 ]; then
    step "interop suite skipped (DDS_SKIP_INTEROP=1)"
else
    step "interop suite (official Alibaba clients)"
    ./tests/interop/setup.sh
    ./tests/interop/run.sh
fi
