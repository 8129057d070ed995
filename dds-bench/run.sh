#!/usr/bin/env bash
# Runs every dds benchmark and prints the figures BENCHMARKS.md reports:
#   1. hot paths (divan), with the signer-to-floor ratios computed from the medians;
#   2. the load tool: SDK, presigned bare reqwest and the official Python SDK against one
#      in-process emulator (installs the Python SDK with tests/interop/setup.sh if needed);
#   3. the emulator's own throughput under wrk, signature checks on.
# Extra arguments go to nothing; run the benches one by one for other options (--help).
# All traffic stays on 127.0.0.1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="target/dds-bench"
mkdir -p "$out"

echo "== machine"
date -u '+%Y-%m-%d %H:%M UTC'
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

echo
echo "== hot paths"
cargo bench -p dds-bench --bench hot_paths | tee "$out/hot_paths.txt"
# Divan prints fastest, slowest, median, mean: the third time on a line is the median.
awk '
    function nanos(value, unit) {
        return unit == "ns" ? value : unit == "ms" ? value * 1e6 : value * 1e3
    }
    /─ sign_v[13]/ && !/[0-9] (ns|µs|ms)/ { group = ($0 ~ /sign_v1/) ? "V1" : "V3" }
    /─ (floor|signer) / {
        rest = $0; n = 0
        while (match(rest, /[0-9.]+ (ns|µs|ms)/)) {
            n++
            split(substr(rest, RSTART, RLENGTH), part, " ")
            if (n == 3) median = nanos(part[1], part[2])
            rest = substr(rest, RSTART + RLENGTH)
        }
        kind = ($0 ~ /floor/) ? "floor" : "signer"
        time[group, kind] = median
    }
    END {
        for (i = 1; i <= 2; i++) {
            g = (i == 1) ? "V1" : "V3"
            if (time[g, "floor"] > 0)
                printf "signing %s: signer %.0f ns, floor %.0f ns, ratio %.2fx (target 1.5x or less: %s)\n",
                    g, time[g, "signer"], time[g, "floor"], time[g, "signer"] / time[g, "floor"],
                    (time[g, "signer"] / time[g, "floor"] <= 1.5) ? "met" : "missed"
        }
    }
' "$out/hot_paths.txt"

echo
echo "== load: SDK, bare reqwest, official Python SDK"
if [[ ! -x tests/interop/.venv/bin/python ]]; then
    tests/interop/setup.sh
fi
cargo bench -p dds-bench --bench load | tee "$out/load.txt"

echo
echo "== peak memory, one sender per fresh process (concurrency 64)"
# In the run above the senders share a process, so each later run starts from the memory the
# earlier ones left behind; a fresh process per sender gives comparable peaks.
for sender in sdk bare; do
    cargo bench -p dds-bench --bench load -- --senders "$sender" --runs 1 --concurrency 64 \
        2>/dev/null | grep -E '^  (dds-api SDK|bare reqwest)'
done

echo
echo "== emulator under wrk"
if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk is not installed (Debian: apt-get install wrk)" >&2
    exit 1
fi
cargo bench -p dds-bench --bench emulator | tee "$out/emulator.txt"

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
