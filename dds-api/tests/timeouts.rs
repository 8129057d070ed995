//! Time limits: every call ends by itself. The tests wait on slow servers but assert only on
//! which limit the client reports, never on how long it took.

mod harness;

use std::time::Duration;

use dds_api::error::TimeoutKind;
use dds_api::{Error, RetryPolicy, Timeouts};
use harness::*;

#[test]
fn every_limit_has_a_finite_default() {
    let defaults = Timeouts::default();
    assert_eq!(defaults.connect, Duration::from_secs(5));
    assert_eq!(defaults.attempt, Duration::from_secs(20));
    assert_eq!(defaults.deadline, Duration::from_secs(60));
    assert_eq!(
        dds_api::Client::builder()
            .endpoint("mongodb.aliyuncs.com")
            .build()
            .unwrap()
            .timeouts(),
        defaults
    );
}

#[tokio::test]
async fn a_slow_answer_ends_the_attempt_with_an_attempt_timeout() {
    let server = Server::start(vec![Reply::ok("slow").delayed(Duration::from_secs(10))]).await;
    let client = server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let error = client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    let Error::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Attempt);
    assert_eq!(timeout.limit(), Duration::from_millis(200));
    assert_eq!(timeout.attempts(), 1);
    assert!(error.is_timeout());
    assert!(error.to_string().contains("attempt timeout"), "{error}");
}

#[tokio::test]
async fn the_deadline_ends_the_call_even_within_the_attempt_limit() {
    let server = Server::start(vec![Reply::ok("slow").delayed(Duration::from_secs(10))]).await;
    let client = server
        .client_builder()
        .attempt_timeout(Duration::from_secs(30))
        .deadline(Duration::from_millis(300))
        .build()
        .unwrap();

    let error = client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    let Error::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Deadline);
    assert_eq!(timeout.limit(), Duration::from_millis(300));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn the_deadline_covers_retries_too() {
    // Each attempt times out after 200 ms and is retried (a read); the 500 ms deadline stops
    // the call before the default 3 attempts with real waits in between could all finish.
    let server = Server::start(vec![Reply::ok("slow").delayed(Duration::from_secs(10))]).await;
    let client = server
        .client_builder()
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(50)
                .base_delay(Duration::from_millis(1)),
        )
        .attempt_timeout(Duration::from_millis(200))
        .deadline(Duration::from_millis(500))
        .build()
        .unwrap();

    let error = client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    let Error::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Deadline);
    let attempts = server.received().len();
    assert!((2..50).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn a_hanging_connect_ends_with_the_connect_timeout_and_is_retried_even_for_a_write() {
    let (url, _fillers, _listener) = hanging_connect_url().await;
    let (policy, sleep) = recording_policy();
    let client = dds_api::Client::builder()
        .endpoint(url)
        .credentials(credentials())
        .retry_policy(policy)
        .connect_timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let error = client.call(ModifyThing::new("dds-bp1")).await.unwrap_err();

    let Error::Timeout(timeout) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Connect);
    assert_eq!(timeout.limit(), Duration::from_millis(200));
    assert_eq!(
        timeout.attempts(),
        3,
        "nothing was sent, so a write is retried"
    );
    assert_eq!(sleep.waits().len(), 2);
}
