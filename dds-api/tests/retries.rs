//! Which failures are retried, how long the client waits, and that every attempt is signed
//! afresh. Waits are observed through a recording sleeper, never on the wall clock.

mod harness;

use std::collections::HashSet;
use std::time::Duration;

use dds_api::signing::SignatureVersion;
use dds_api::{Client, Error, GatewayCode, RetryPolicy};
use harness::*;

fn throttled(request_id: &str) -> Reply {
    Reply::error(
        400,
        "Throttling.User",
        "Request was denied due to user flow control.",
        request_id,
    )
}

#[tokio::test]
async fn throttling_is_retried_until_success() {
    let server = Server::start(vec![throttled("r1"), throttled("r2"), Reply::ok("r3")]).await;
    let (policy, sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    let response = client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    assert_eq!(response.request_id, "r3");
    assert_eq!(server.received().len(), 3);
    assert_eq!(sleep.waits().len(), 2);
}

#[tokio::test]
async fn every_attempt_carries_a_fresh_nonce_and_signature_in_v3() {
    let server = Server::start(vec![throttled("r1"), throttled("r2"), Reply::ok("r3")]).await;
    let (policy, _sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    let received = server.received();
    let nonces: HashSet<_> = received
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap().to_owned())
        .collect();
    let signatures: HashSet<_> = received
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(nonces.len(), 3, "{nonces:?}");
    assert_eq!(signatures.len(), 3, "{signatures:?}");
}

#[tokio::test]
async fn every_attempt_carries_a_fresh_nonce_timestamp_and_signature_in_v1() {
    // The timestamp has one-second resolution: the server asks for a 1 s wait (really slept)
    // so that the second attempt falls in a later second.
    let server = Server::start(vec![
        throttled("r1").header("x-acs-retry-after", "1000"),
        Reply::ok("r2"),
    ])
    .await;
    let client = server
        .client_builder()
        .signature_version(SignatureVersion::V1)
        .build()
        .unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    let received = server.received();
    assert_eq!(received.len(), 2);
    let [first, second] = [&received[0], &received[1]];
    for name in ["SignatureNonce", "Timestamp", "Signature"] {
        assert_ne!(first.param(name), second.param(name), "{name}");
    }
    assert!(first.param("Timestamp") < second.param("Timestamp"));
}

#[tokio::test]
async fn the_retry_after_header_sets_the_wait_in_milliseconds() {
    let server = Server::start(vec![
        throttled("r1").header("x-acs-retry-after", "1234"),
        Reply::ok("r2"),
    ])
    .await;
    let (policy, sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    assert_eq!(sleep.waits(), [Duration::from_millis(1234)]);
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_ends_the_call_without_waiting() {
    let server = Server::start(vec![
        throttled("r1").header("x-acs-retry-after", "600000"),
        Reply::ok("r2"),
    ])
    .await;
    let (policy, sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .deadline(Duration::from_secs(30))
        .build()
        .unwrap();

    let error = client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    assert!(error.is_throttling(), "{error:?}");
    assert!(sleep.waits().is_empty());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn computed_waits_grow_within_the_doubling_ceiling() {
    let server = Server::start(vec![throttled("r")]).await;
    let sleep = RecordingSleep::default();
    let policy = RetryPolicy::new()
        .max_attempts(5)
        .base_delay(Duration::from_millis(100))
        .max_delay(Duration::from_millis(300))
        .sleep_impl(sleep.clone());
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    let waits = sleep.waits();
    assert_eq!(waits.len(), 4);
    for (wait, ceiling) in waits.iter().zip([100, 200, 300, 300]) {
        assert!(*wait <= Duration::from_millis(ceiling), "{waits:?}");
    }
}

#[tokio::test]
async fn throttling_left_after_the_last_attempt_is_a_gateway_throttling_error() {
    let server = Server::start(vec![throttled("r")]).await;
    let (policy, sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    let error = client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    assert_eq!(server.received().len(), 3, "three attempts by default");
    assert_eq!(sleep.waits().len(), 2);
    assert!(error.is_throttling());
    assert_eq!(
        error.as_gateway().map(|g| g.kind),
        Some(GatewayCode::Throttling)
    );
}

#[tokio::test]
async fn http_429_is_retried() {
    let server = Server::start(vec![
        Reply::error(
            429,
            "Throttling",
            "Request was denied due to flow control.",
            "r1",
        ),
        Reply::ok("r2"),
    ])
    .await;
    let (policy, _sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    client.call(ModifyThing::new("dds-bp1")).await.unwrap();

    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn service_unavailable_is_retried_even_for_a_write() {
    let server = Server::start(vec![
        Reply::error(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
            "r1",
        ),
        Reply::ok("r2"),
    ])
    .await;
    let (policy, _sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    client.call(ModifyThing::new("dds-bp1")).await.unwrap();

    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn an_internal_error_is_retried_for_a_read() {
    let server = Server::start(vec![
        Reply::error(
            500,
            "InternalError",
            "The request processing has failed due to some unknown error.",
            "r1",
        ),
        Reply::ok("r2"),
    ])
    .await;
    let (policy, _sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn an_internal_error_is_not_retried_for_a_write() {
    let server = Server::start(vec![
        Reply::error(
            500,
            "InternalError",
            "The request processing has failed due to some unknown error.",
            "r1",
        ),
        Reply::ok("r2"),
    ])
    .await;
    let (policy, sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    let error = client.call(ModifyThing::new("dds-bp1")).await.unwrap_err();

    assert_eq!(
        error.as_gateway().map(|g| g.kind),
        Some(GatewayCode::InternalError)
    );
    assert_eq!(server.received().len(), 1);
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn a_write_is_retried_after_an_internal_error_when_the_caller_opts_in() {
    let server = Server::start(vec![
        Reply::error(500, "InternalError", "unknown error", "r1"),
        Reply::ok("r2"),
    ])
    .await;
    let (policy, _sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy.retry_writes_after_send(true))
        .build()
        .unwrap();

    client.call(ModifyThing::new("dds-bp1")).await.unwrap();

    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_bad_gateway_without_an_error_body_is_retried_for_a_read() {
    let server = Server::start(vec![
        Reply::new(502, "<html>Bad Gateway</html>"),
        Reply::ok("r2"),
    ])
    .await;
    let (policy, _sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_client_error_answer_is_not_retried() {
    let server = Server::start(vec![Reply::error(
        404,
        "InvalidDBInstanceId.NotFound",
        "Specified instance does not exist.",
        "r1",
    )])
    .await;
    let (policy, sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    assert_eq!(server.received().len(), 1);
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn a_write_is_not_retried_when_the_connection_breaks_after_sending() {
    let server = DroppingServer::start().await;
    let (policy, sleep) = recording_policy();
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(credentials())
        .retry_policy(policy)
        .build()
        .unwrap();

    let error = client.call(ModifyThing::new("dds-bp1")).await.unwrap_err();

    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(transport.may_have_been_sent());
    assert_eq!(server.connections(), 1);
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn a_read_is_retried_when_the_connection_breaks_after_sending() {
    let server = DroppingServer::start().await;
    let (policy, sleep) = recording_policy();
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(credentials())
        .retry_policy(policy)
        .build()
        .unwrap();

    client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    assert_eq!(server.connections(), 3);
    assert_eq!(sleep.waits().len(), 2);
}

#[tokio::test]
async fn a_write_is_retried_after_a_broken_connection_when_the_caller_opts_in() {
    let server = DroppingServer::start().await;
    let (policy, _sleep) = recording_policy();
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(credentials())
        .retry_policy(policy.retry_writes_after_send(true))
        .build()
        .unwrap();

    client.call(ModifyThing::new("dds-bp1")).await.unwrap_err();

    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn a_write_is_not_retried_after_its_attempt_timed_out() {
    let server = Server::start(vec![Reply::ok("slow").delayed(Duration::from_secs(5))]).await;
    let (policy, sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let error = client.call(ModifyThing::new("dds-bp1")).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.received().len(), 1);
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn a_read_is_retried_after_its_attempt_timed_out() {
    let server = Server::start(vec![
        Reply::ok("slow").delayed(Duration::from_secs(5)),
        Reply::ok("fast"),
    ])
    .await;
    let (policy, _sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let response = client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    assert_eq!(response.request_id, "fast");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_write_is_retried_when_connecting_failed() {
    let url = refused_url().await;
    let (policy, sleep) = recording_policy();
    let client = Client::builder()
        .endpoint(url)
        .credentials(credentials())
        .retry_policy(policy)
        .build()
        .unwrap();

    let error = client.call(ModifyThing::new("dds-bp1")).await.unwrap_err();

    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(!transport.may_have_been_sent());
    assert_eq!(transport.attempts(), 3);
    assert_eq!(sleep.waits().len(), 2);
}

#[tokio::test]
async fn a_disabled_policy_makes_one_attempt() {
    let server = Server::start(vec![throttled("r1"), Reply::ok("r2")]).await;
    let client = server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    let error = client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    assert!(error.is_throttling());
    assert_eq!(server.received().len(), 1);
}
