//! Answer bodies are read up to a cap: a misbehaving endpoint (or a proxy) cannot make one
//! call allocate without bound. Dds answers are a few kilobytes; the cap is 16 MiB.

mod harness;

use dds_api::RetryPolicy;
use harness::*;

#[tokio::test]
async fn an_answer_far_larger_than_any_dds_answer_is_refused_not_buffered() {
    // 64 MiB of a valid JSON object: today the call reads all of it and succeeds.
    let mut body = String::from(r#"{"RequestId":"big","Pad":""#);
    body.push_str(&"a".repeat(64 << 20));
    body.push_str(r#""}"#);
    let server = Server::start(vec![
        Reply::new(200, body).header("content-type", "application/json"),
    ])
    .await;
    let client = server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .expect_err("a 64 MiB answer is refused");
    assert!(error.is_decode(), "{error}");
    assert!(error.to_string().contains("larger than"), "{error}");
}

#[tokio::test]
async fn an_answer_just_under_the_limit_is_still_read() {
    let mut body = String::from(r#"{"RequestId":"big","Pad":""#);
    body.push_str(&"a".repeat(4 << 20));
    body.push_str(r#""}"#);
    let server = Server::start(vec![
        Reply::new(200, body).header("content-type", "application/json"),
    ])
    .await;
    let client = server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .expect("a 4 MiB answer is read");
}
