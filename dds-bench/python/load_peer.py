"""The peer's load: DescribeDBInstanceAttribute or DescribeDBInstanceSSL through Alibaba Cloud's official Python SDK
(alibabacloud-dds20151201 on alibabacloud-tea-openapi), against a loopback endpoint.

Run by the `load` benchmark with the interpreter of tests/interop/.venv. The endpoint and the
key come from the environment (DDS_BENCH_ENDPOINT as host:port, DDS_BENCH_ACCESS_KEY_ID,
DDS_BENCH_ACCESS_KEY_SECRET), so the secret is not on the command line. Prints one JSON object:
calls, seconds, p50_us, p99_us, peak_rss_kib (this Python process). Any failed call ends the
run with status 1 and the error on stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from alibabacloud_dds20151201 import models
from alibabacloud_dds20151201.client import Client
from alibabacloud_tea_openapi import utils_models
from darabonba.runtime import RuntimeOptions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--instance", required=True, help="DBInstanceId to describe")
    parser.add_argument(
        "--action",
        choices=["DescribeDBInstanceAttribute", "DescribeDBInstanceSSL"],
        default="DescribeDBInstanceAttribute",
    )
    parser.add_argument("--signature", choices=["v1", "v3"], default="v3")
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()

    config = utils_models.Config(
        access_key_id=os.environ["DDS_BENCH_ACCESS_KEY_ID"],
        access_key_secret=os.environ["DDS_BENCH_ACCESS_KEY_SECRET"],
        endpoint=os.environ["DDS_BENCH_ENDPOINT"],
        protocol="http",
        region_id="cn-hangzhou",
        # The SDK signs V3 by default; 'v2' is its name for the RPC signature V1.
        signature_algorithm="v2" if args.signature == "v1" else None,
    )
    # One client per worker thread, as an application with a thread pool would hold them.
    local = threading.local()
    # One attempt per call, like the Rust senders: a retry would hide a failure.
    runtime = RuntimeOptions(autoretry=False)

    def call(_index: int) -> float:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = Client(config)
        started = time.perf_counter()
        if args.action == "DescribeDBInstanceSSL":
            request = models.DescribeDBInstanceSSLRequest(dbinstance_id=args.instance)
            client.describe_dbinstance_sslwith_options(request, runtime)
        else:
            request = models.DescribeDBInstanceAttributeRequest(dbinstance_id=args.instance)
            client.describe_dbinstance_attribute_with_options(request, runtime)
        return time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        # Untimed: opens the connections and loads what the first calls load.
        list(pool.map(call, range(max(args.warmup, args.concurrency))))
        started = time.perf_counter()
        latencies = sorted(pool.map(call, range(args.calls)))
        seconds = time.perf_counter() - started

    def percentile(percent: float) -> float:
        rank = max(1, math.ceil(percent / 100 * len(latencies)))
        return latencies[rank - 1]

    json.dump(
        {
            "calls": len(latencies),
            "seconds": seconds,
            "p50_us": percentile(50) * 1e6,
            "p99_us": percentile(99) * 1e6,
            # Linux reports ru_maxrss in KiB.
            "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        },
        sys.stdout,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
