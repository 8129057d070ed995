"""The official Python clients against the emulator (started by run.sh).

Covers alibabacloud-dds20151201 on alibabacloud-tea-openapi in its default mode (signature V3)
and in V1 mode, and aliyun-python-sdk-core with aliyun-python-sdk-dds (V1).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "clients"))

import python_clients  # noqa: E402
from python_clients import Credentials, call, service_error  # noqa: E402

FIXTURE = json.loads((HERE / "fixture.json").read_text(encoding="utf-8"))
SPECIAL_IDS = FIXTURE["specialIds"]
LOCKED = FIXTURE["locked"]

# How long an SSL change may take to show: the emulator runs with a short restart time.
SETTLE_SECONDS = 20


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run this suite through tests/interop/run.sh", False)
    return value


@pytest.fixture(scope="session")
def endpoint() -> str:
    return _env("DDS_INTEROP_ENDPOINT")


@pytest.fixture(scope="session")
def credentials() -> Credentials:
    return Credentials(_env("DDS_INTEROP_ACCESS_KEY_ID"), _env("DDS_INTEROP_ACCESS_KEY_SECRET"))


def expect_service_error(client, endpoint, credentials, action, params):
    """Calls and returns the service error the client raised; fails if it succeeded."""
    try:
        body = call(client, endpoint, credentials, action, params)
    except Exception as error:  # noqa: BLE001 - each client has its own exception type
        found = service_error(error)
        if found is None:
            raise
        return found
    pytest.fail(f"{action} succeeded with {body!r}; a service error was expected")


def ssl_status(client, endpoint, credentials, instance_id) -> dict:
    return call(client, endpoint, credentials, "DescribeDBInstanceSSL",
                {"DBInstanceId": instance_id})


@pytest.mark.parametrize("client", list(python_clients.CLIENTS))
def test_modify_ssl_opens_ssl_and_describe_shows_it(client, endpoint, credentials):
    instance = FIXTURE["perClient"][client]
    before = ssl_status(client, endpoint, credentials, instance)
    assert before["SSLStatus"] == "Closed", before

    answer = call(client, endpoint, credentials, "ModifyDBInstanceSSL",
                  {"DBInstanceId": instance, "SSLAction": "Open"})
    assert answer.get("RequestId"), answer

    # The change restarts the instance; it shows once the restart is over.
    deadline = time.monotonic() + SETTLE_SECONDS
    after = ssl_status(client, endpoint, credentials, instance)
    while after["SSLStatus"] != "Open" and time.monotonic() < deadline:
        time.sleep(0.2)
        after = ssl_status(client, endpoint, credentials, instance)
    assert after["SSLStatus"] == "Open", after
    assert after.get("CertCommonName"), after
    assert after.get("SSLExpiredTime"), after


@pytest.mark.parametrize("client", list(python_clients.CLIENTS))
def test_locked_instance_answers_incorrect_lock_mode_with_403(client, endpoint, credentials):
    error = expect_service_error(client, endpoint, credentials, "ModifyDBInstanceSSL",
                                 {"DBInstanceId": LOCKED, "SSLAction": "Open"})
    assert (error.code, error.status) == ("IncorrectDBInstanceLockMode", 403), error
    expected_type = "ServerException" if client == "python-core" else "ClientException"
    assert error.exception_type == expected_type, error


@pytest.mark.parametrize("client", list(python_clients.CLIENTS))
def test_wrong_secret_answers_signature_does_not_match(client, endpoint, credentials):
    wrong = Credentials(credentials.access_key_id, credentials.access_key_secret + "-wrong")
    error = expect_service_error(client, endpoint, wrong, "DescribeDBInstanceSSL",
                                 {"DBInstanceId": FIXTURE["perClient"][client]})
    if client == "python-core":
        # aliyun-python-sdk-core compares the string to sign that the server quotes in its
        # SignatureDoesNotMatch message with its own, and when they are equal reports the
        # mismatch as InvalidAccessKeySecret. Getting that code therefore also proves that
        # the emulator answered SignatureDoesNotMatch with exactly the client's string to sign.
        assert (error.code, error.status) == ("InvalidAccessKeySecret", 400), error
    else:
        assert (error.code, error.status) == ("SignatureDoesNotMatch", 400), error


@pytest.mark.parametrize("client", list(python_clients.CLIENTS))
@pytest.mark.parametrize("kind", list(SPECIAL_IDS))
def test_unusual_parameter_values_are_signed_and_decoded_intact(client, kind, endpoint,
                                                                credentials):
    # The instance exists only under this exact id, so an answer proves the value arrived
    # unchanged and the signature over it was accepted.
    instance = SPECIAL_IDS[kind]
    answer = ssl_status(client, endpoint, credentials, instance)
    assert answer["SSLStatus"] == "Closed", answer
    assert answer.get("RequestId"), answer


@pytest.mark.parametrize("client", list(python_clients.CLIENTS))
def test_empty_parameter_values_are_signed_and_reach_the_operation(client, endpoint,
                                                                   credentials):
    # An empty value is signed as `Key=`. The emulator gets past the signature check and
    # refuses the value itself: InvalidParameter naming SSLAction (an absent SSLAction would
    # be a Missing... code instead).
    error = expect_service_error(client, endpoint, credentials, "ModifyDBInstanceSSL",
                                 {"DBInstanceId": LOCKED, "SSLAction": ""})
    assert (error.code, error.status) == ("InvalidParameter", 400), error
    assert "SSLAction" in error.message, error
