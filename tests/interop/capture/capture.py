"""Captures what the official clients send, as signature test vectors.

Every client of clients/ runs every case of cases.json against a small recording server on
127.0.0.1, with its clock, nonce and user agent pinned, so that the output is the same on every
run. One JSON file per (client, case) goes into vectors/; the directory is rewritten whole.

Run it through ../capture.sh, which installs the clients first.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import queue
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

HERE = Path(__file__).resolve().parent
INTEROP = HERE.parent
sys.path.insert(0, str(INTEROP / "clients"))

import python_clients  # noqa: E402

# A fixed port: V3 signatures cover the host header, port included, so the vectors only stay
# the same from run to run when the port does. DDS_CAPTURE_PORT moves it if it is taken.
DEFAULT_PORT = 47915

PYTHON_PACKAGES = {
    "python-tea-v3": ["alibabacloud-dds20151201", "alibabacloud-tea-openapi"],
    "python-tea-v1": ["alibabacloud-dds20151201", "alibabacloud-tea-openapi"],
    "python-core": ["aliyun-python-sdk-core", "aliyun-python-sdk-dds"],
}
NODE_PACKAGES = {
    "node-openapi-v3": ["@alicloud/openapi-client", "@alicloud/openapi-util"],
    "node-openapi-v3-own-credential": ["@alicloud/openapi-client", "@alicloud/openapi-util"],
    "node-openapi-v1": ["@alicloud/openapi-client", "@alicloud/openapi-util"],
    "pop-core-get": ["@alicloud/pop-core"],
    "pop-core-post": ["@alicloud/pop-core"],
}


class CaptureError(Exception):
    pass


class Recorder(http.server.ThreadingHTTPServer):
    """Records every request and answers it with a minimal successful JSON body."""

    daemon_threads = True

    def __init__(self, port: int):
        self.requests: queue.Queue = queue.Queue()
        super().__init__(("127.0.0.1", port), _RecordingHandler)


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.requests.put({
            "method": self.command,
            "target": self.path,
            "headers": list(self.headers.items()),
            "body": body,
        })
        answer = json.dumps({"RequestId": "00000000-0000-0000-0000-00000000CAFE"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = _record
    do_POST = _record

    def log_message(self, format, *args):
        pass


def nonce_for(client: str, case: str) -> str:
    """A fixed 32-hex-digit nonce per vector, shaped like the ones the clients make."""
    return hashlib.md5(f"dds-interop/{client}/{case}".encode()).hexdigest()


def pin_python(timestamp: str, nonces: list[str]) -> None:
    """Pins the clock, the nonce and the user agent of both Python client families."""
    import aliyunsdkcore.client
    from aliyunsdkcore.utils import parameter_helper
    from alibabacloud_tea_openapi.utils import Utils

    def next_nonce() -> str:
        if not nonces:
            raise CaptureError("a client asked for a second nonce in one run")
        return nonces.pop()

    Utils.get_timestamp = staticmethod(lambda: timestamp)
    Utils.get_nonce = staticmethod(next_nonce)
    Utils.get_user_agent = staticmethod(
        lambda extra: "AlibabaCloud (pinned) Python Core TeaDSL/2 dds-interop-capture")

    parameter_helper.get_iso_8061_date = lambda: timestamp
    parameter_helper.get_uuid = next_nonce
    aliyunsdkcore.client.AcsClient.user_agent_header = staticmethod(
        lambda: "AlibabaCloud (pinned)")
    aliyunsdkcore.client.AcsClient.default_user_agent = staticmethod(
        lambda: {"dds-interop-capture": "pinned"})


def package_versions(client: str) -> dict:
    if client in PYTHON_PACKAGES:
        return {name: metadata.version(name) for name in PYTHON_PACKAGES[client]}
    versions = {}
    for name in NODE_PACKAGES[client]:
        manifest = INTEROP / "node_modules" / name / "package.json"
        versions[name] = json.loads(manifest.read_text())["version"]
    return versions


def build_vector(client: str, case: dict, spec: dict, nonce: str, endpoint: str,
                 recorded: dict) -> dict:
    """Turns one recorded request into a vector, checking it against what was asked for."""
    where = f"{client} {case['name']}"
    target = urlsplit(recorded["target"])
    headers = recorded["headers"]
    body = recorded["body"].decode("utf-8")
    content_type = _header(headers, "content-type") or ""

    # The parameters as a server sees them after decoding: the query, then a form body.
    pairs = parse_qsl(target.query, keep_blank_values=True, strict_parsing=False)
    if content_type.startswith("application/x-www-form-urlencoded"):
        pairs += parse_qsl(body, keep_blank_values=True)
    params = {}
    for key, value in pairs:
        if key in params:
            raise CaptureError(f"{where}: parameter {key} sent twice")
        params[key] = value

    signature_version = python_clients.CLIENTS.get(client) or _node_signature(client)
    vector = {
        "description": f"{client} ({', '.join(f'{k} {v}' for k, v in package_versions(client).items())}): "
                       f"{case['action']}, case {case['name']}",
        "client": client,
        "case": case["name"],
        "packages": package_versions(client),
        "signatureVersion": signature_version,
        "accessKeyId": spec["accessKeyId"],
        "accessKeySecret": spec["accessKeySecret"],
        "timestamp": spec["timestamp"],
        "nonce": nonce,
        "request": {
            "method": recorded["method"],
            "host": endpoint,
            "path": target.path,
            "query": target.query,
            # In the order sent, as "Name: value" lines, names spelt as sent.
            "headers": [f"{name}: {value}" for name, value in headers],
            "body": body,
        },
    }

    if signature_version == "1.0":
        if "Signature" not in params:
            raise CaptureError(f"{where}: no Signature parameter was sent")
        vector["signature"] = params.pop("Signature")
        _expect(where, params.get("SignatureNonce"), nonce, "SignatureNonce")
        _expect(where, params.get("Timestamp"), spec["timestamp"], "Timestamp")
    else:
        authorization = _header(headers, "authorization") or ""
        algorithm, _, fields = authorization.partition(" ")
        parts = dict(field.split("=", 1) for field in fields.split(","))
        _expect(where, algorithm, "ACS3-HMAC-SHA256", "the Authorization algorithm")
        vector["signedHeaders"] = parts["SignedHeaders"]
        vector["signature"] = parts["Signature"]
        _expect(where, _header(headers, "x-acs-signature-nonce"), nonce, "x-acs-signature-nonce")
        _expect(where, _header(headers, "x-acs-date"), spec["timestamp"], "x-acs-date")
        _expect(where, _header(headers, "host"), endpoint, "the host header")

    # The client must have sent the values it was given, unchanged.
    for key, value in case["params"].items():
        _expect(where, params.get(key), value, f"parameter {key}")

    vector["params"] = dict(sorted(params.items()))
    return vector


def _node_signature(client: str) -> str:
    return "ACS3-HMAC-SHA256" if client.startswith("node-openapi-v3") else "1.0"


def _header(headers, name):
    values = [value for key, value in headers if key.lower() == name]
    return values[0] if values else None


def _expect(where, found, wanted, what):
    if found != wanted:
        raise CaptureError(f"{where}: {what} is {found!r}, expected {wanted!r}")


def take(recorder: Recorder, where: str) -> dict:
    try:
        return recorder.requests.get(timeout=10)
    except queue.Empty:
        raise CaptureError(f"{where}: the client sent no request") from None


def main() -> int:
    spec = json.loads((HERE / "cases.json").read_text())
    port = int(os.environ.get("DDS_CAPTURE_PORT", DEFAULT_PORT))
    try:
        recorder = Recorder(port)
    except OSError as error:
        raise CaptureError(f"cannot listen on 127.0.0.1:{port} ({error}); "
                           f"set DDS_CAPTURE_PORT to a free port") from None
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    endpoint = f"127.0.0.1:{port}"
    credentials = python_clients.Credentials(spec["accessKeyId"], spec["accessKeySecret"])

    vectors = []
    nonces: list[str] = []
    pin_python(spec["timestamp"], nonces)
    for client in python_clients.CLIENTS:
        for case in spec["cases"]:
            nonce = nonce_for(client, case["name"])
            nonces[:] = [nonce]
            python_clients.call(client, endpoint, credentials, case["action"], case["params"],
                                spec["regionId"])
            if nonces:
                raise CaptureError(f"{client} did not ask for a nonce; the pin does not reach it")
            recorded = take(recorder, f"{client} {case['name']}")
            vectors.append(build_vector(client, case, spec, nonce, endpoint, recorded))

    runs = [
        {"client": client, "case": case, "nonce": nonce_for(client, case["name"]),
         "action": case["action"], "params": case["params"]}
        for client in NODE_PACKAGES for case in spec["cases"]
    ]
    node_input = {
        "endpoint": endpoint,
        "timestamp": spec["timestamp"],
        "accessKeyId": spec["accessKeyId"],
        "accessKeySecret": spec["accessKeySecret"],
        "regionId": spec["regionId"],
        "runs": runs,
    }
    done = subprocess.run(["node", str(HERE / "pinned_node.js")], input=json.dumps(node_input),
                          text=True, capture_output=True, timeout=120)
    if done.returncode != 0:
        raise CaptureError(f"the Node clients failed:\n{done.stderr}")
    for run in runs:
        where = f"{run['client']} {run['case']['name']}"
        recorded = take(recorder, where)
        vectors.append(build_vector(run["client"], run["case"], spec, run["nonce"], endpoint,
                                    recorded))
    recorder.shutdown()

    # Rewrite the directory whole, so a case that was removed leaves no stale vector behind.
    out = INTEROP / "vectors"
    out.mkdir(exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    for vector in vectors:
        name = f"{vector['client']}--{vector['case']}.json"
        text = json.dumps(vector, indent=2, ensure_ascii=False) + "\n"
        (out / name).write_text(text, encoding="utf-8")
    print(f"captured {len(vectors)} vectors into {out.relative_to(INTEROP.parent.parent)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CaptureError as error:
        print(f"capture: {error}", file=sys.stderr)
        sys.exit(1)
