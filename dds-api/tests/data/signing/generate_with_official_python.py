"""Writes the `python_*.json` signing vectors with Alibaba Cloud's official Python signing
helpers, so the Rust signer is checked against an implementation it shares no code with.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install alibabacloud-openapi-util==0.2.4
    /tmp/venv/bin/python generate_with_official_python.py

The tests only read the JSON files; this script is how they were made.
"""

import hashlib
import json
import pathlib
from types import SimpleNamespace
from urllib.parse import quote, quote_plus

from alibabacloud_openapi_util import client as util
from alibabacloud_openapi_util.client import Client

HERE = pathlib.Path(__file__).parent
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def write(name, case):
    (HERE / name).write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n")


def v1_case(name, description, method, secret, sign, params):
    signature = Client.get_rpcsignature(params, method, secret)
    # The official helper returns only the signature; its string to sign, step by step:
    canonical = "&".join(
        f"{quote(k, safe='~')}={quote(params[k], safe='~')}" for k in sorted(params)
    )
    string_to_sign = f"{method}&%2F&{quote_plus(canonical, safe='~')}"
    write(name, {
        "description": description,
        "source": "alibabacloud-openapi-util 0.2.4 (Python), Client.get_rpcsignature",
        "version": "V1",
        "method": method,
        "access_key_secret": secret,
        "params": params,
        "expected": {"string_to_sign": string_to_sign, "signature": signature},
        "sign": sign,
    })


def v3_case(name, description, method, key_id, secret, query, headers, sign):
    request = SimpleNamespace(method=method, pathname="/", query=query, headers=headers)
    authorization = Client.get_authorization(
        request, "ACS3-HMAC-SHA256", EMPTY_SHA256, key_id, secret
    )
    canonical_headers, signed_headers = util.get_canonicalized_headers(headers)
    canonical_request = "\n".join([
        method, "/", util.get_canonical_query_string(query), canonical_headers,
        signed_headers, EMPTY_SHA256,
    ])
    digest = hashlib.sha256(canonical_request.encode()).hexdigest()
    case = {
        "description": description,
        "source": "alibabacloud-openapi-util 0.2.4 (Python), Client.get_authorization",
        "version": "V3",
        "method": method,
        "path": "/",
        "access_key_id": key_id,
        "access_key_secret": secret,
        "query": query,
        "headers": headers,
        "body": "",
        "signed_headers": signed_headers,
        "expected": {
            "payload_sha256": EMPTY_SHA256,
            "canonical_request": canonical_request,
            "canonical_request_sha256": digest,
            "string_to_sign": f"ACS3-HMAC-SHA256\n{digest}",
            "signature": authorization.rsplit("Signature=", 1)[1],
            "authorization": authorization,
        },
    }
    if sign is not None:
        case["sign"] = sign
    write(name, case)


TEXT = "a b*c~d+e/f=g&h:é😀!'()"

v1_case(
    "python_v1_sts_post_with_special_characters.json",
    "V1, POST, STS token, values with spaces, reserved characters, non-ASCII text and an empty value",
    "POST",
    "python-secret",
    {
        "host": "127.0.0.1:8080", "path": "/", "action": "ModifyDBInstanceSSL",
        "version": "2015-12-01", "access_key_id": "STS.python-id",
        "security_token": "python+token/=",
        "params": {"DBInstanceId": "dds-bp1", "SSLAction": "Open", "Tag.1.Value": TEXT, "Empty": ""},
        "timestamp": "2026-12-03T13:00:00Z", "nonce": "5f1c1f3f6a1e4b2c9d8e7f6a5b4c3d2e",
    },
    {
        "Action": "ModifyDBInstanceSSL", "Version": "2015-12-01", "Format": "JSON",
        "AccessKeyId": "STS.python-id", "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0", "SignatureNonce": "5f1c1f3f6a1e4b2c9d8e7f6a5b4c3d2e",
        "Timestamp": "2026-12-03T13:00:00Z", "SecurityToken": "python+token/=",
        "DBInstanceId": "dds-bp1", "SSLAction": "Open", "Tag.1.Value": TEXT, "Empty": "",
    },
)

v3_case(
    "python_v3_sts_sdk_headers.json",
    "V3, POST, STS token, the headers this SDK signs, host with a port, special values and an empty value",
    "POST",
    "STS.python-id",
    "python-secret",
    {"DBInstanceId": "dds-bp1", "Tag.1.Value": TEXT, "Empty": ""},
    {
        "host": "127.0.0.1:8080",
        "x-acs-action": "DescribeDBInstanceSSL",
        "x-acs-version": "2015-12-01",
        "x-acs-date": "2026-12-03T13:00:00Z",
        "x-acs-signature-nonce": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "x-acs-content-sha256": EMPTY_SHA256,
        "x-acs-security-token": "python+token/=",
    },
    {
        "host": "127.0.0.1:8080", "path": "/", "action": "DescribeDBInstanceSSL",
        "version": "2015-12-01", "access_key_id": "STS.python-id",
        "security_token": "python+token/=",
        "params": {"DBInstanceId": "dds-bp1", "Tag.1.Value": TEXT, "Empty": ""},
        "timestamp": "2026-12-03T13:00:00Z", "nonce": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    },
)

v3_case(
    "python_v3_client_signs_extra_headers.json",
    "V3 as the official clients send it: accept, user-agent, content-type and x-acs-credentials-provider signed too",
    "POST",
    "python-id",
    "python-secret",
    {"DBInstanceId": "dds-bp1", "SSLAction": "Close", "SwitchMode": "0"},
    {
        "host": "127.0.0.1:18080",
        "accept": "application/json",
        "user-agent": "AlibabaCloud (Linux; x86_64) Python/3.12 Core/0.4 TeaDSL/1",
        "content-type": "application/x-www-form-urlencoded",
        "x-acs-action": "ModifyDBInstanceSSL",
        "x-acs-version": "2015-12-01",
        "x-acs-date": "2026-12-03T13:00:00Z",
        "x-acs-signature-nonce": "00000000000000000000000000000001",
        "x-acs-content-sha256": EMPTY_SHA256,
        "x-acs-credentials-provider": "static_ak",
    },
    None,
)
