"""Drives the official Alibaba Cloud Python clients the way an application would.

Each client is pointed at a loopback endpoint over plain HTTP. A call returns the decoded
response body; a service error is raised as the client's own exception type, and
`service_error` reads the code and HTTP status out of it the way that client reports them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

VERSION = "2015-12-01"

#: The Python clients, with the signature each one sends.
CLIENTS = {
    # alibabacloud-dds20151201 on alibabacloud-tea-openapi, default settings: signature V3.
    "python-tea-v3": "ACS3-HMAC-SHA256",
    # The same SDK configured with signature_algorithm='v2': signature V1 (RPC style).
    "python-tea-v1": "1.0",
    # aliyun-python-sdk-core with aliyun-python-sdk-dds: signature V1.
    "python-core": "1.0",
}

# The generated SDK's method for each action (its names are not derivable by a rule:
# DescribeDBInstanceSSL becomes describe_dbinstance_ssl).
_TEA_METHODS = {
    "DescribeDBInstanceSSL": "describe_dbinstance_ssl",
    "ModifyDBInstanceSSL": "modify_dbinstance_ssl",
}


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    access_key_secret: str


@dataclass(frozen=True)
class ServiceError:
    """A service error as the client reported it."""

    code: str
    status: int
    exception_type: str
    message: str


def call(client: str, endpoint: str, credentials: Credentials, action: str, params: dict,
         region_id: str = "cn-hangzhou") -> dict:
    """Calls `action` with `params` (wire names to text) through `client`.

    `endpoint` is `host:port` on a loopback address.
    """
    if client in ("python-tea-v3", "python-tea-v1"):
        return _call_tea(client == "python-tea-v1", endpoint, credentials, action, params,
                         region_id)
    if client == "python-core":
        return _call_core(endpoint, credentials, action, params, region_id)
    raise ValueError(f"unknown Python client {client!r}; known: {', '.join(CLIENTS)}")


def service_error(error: BaseException) -> ServiceError | None:
    """The code and HTTP status of a service error raised by one of the clients, else None."""
    from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
    from aliyunsdkcore.acs_exception.exceptions import ServerException as CoreServerException

    if isinstance(error, AlibabaCloudException):
        message = (error.data or {}).get("Message", "")
        return ServiceError(error.code, error.status_code, type(error).__name__, message)
    if isinstance(error, CoreServerException):
        return ServiceError(error.get_error_code(), error.get_http_status(),
                            type(error).__name__, error.get_error_msg())
    return None


def _call_tea(v1: bool, endpoint, credentials, action, params, region_id) -> dict:
    from alibabacloud_dds20151201 import models
    from alibabacloud_dds20151201.client import Client
    from alibabacloud_tea_openapi import utils_models
    from darabonba.runtime import RuntimeOptions

    config = utils_models.Config(
        access_key_id=credentials.access_key_id,
        access_key_secret=credentials.access_key_secret,
        endpoint=endpoint,
        protocol="http",
        region_id=region_id,
        signature_algorithm="v2" if v1 else None,
    )
    client = Client(config)

    # The SDK's own request model maps the wire names, as an application's call would.
    request = getattr(models, f"{action}Request")().from_map(dict(params))
    method = getattr(client, f"{_TEA_METHODS[action]}with_options")

    # One attempt: a retried request would hide what the first answer was.
    response = method(request, RuntimeOptions(autoretry=False))
    return response.body.to_map()


def _call_core(endpoint, credentials, action, params, region_id) -> dict:
    import json

    from aliyunsdkcore.client import AcsClient

    module = importlib.import_module(f"aliyunsdkdds.request.v20151201.{action}Request")
    request = getattr(module, f"{action}Request")()
    for name, value in params.items():
        # The generated request class has a setter per parameter; use it when it exists.
        setter = getattr(request, f"set_{name}", None)
        if setter is not None:
            setter(value)
        else:
            request.add_query_param(name, value)
    request.set_endpoint(endpoint)
    request.set_protocol_type("http")
    request.set_accept_format("JSON")

    client = AcsClient(credentials.access_key_id, credentials.access_key_secret, region_id,
                       auto_retry=False, max_retry_time=0)
    return json.loads(client.do_action_with_exception(request))
