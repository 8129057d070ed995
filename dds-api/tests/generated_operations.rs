//! The generated operations on the runtime: the fluent `send()`, a documented error code as
//! the operation's own variant, and the registry's metadata driving a dynamic call.

mod harness;

use dds_api::operations::modify_db_instance_ssl::SslAction;
use dds_api::operations::{self, ModifyDbInstanceSslError};
use dds_api::{Error, RetryPolicy};
use harness::*;

#[tokio::test]
async fn a_generated_operation_is_sent_and_its_answer_decoded() {
    let server = Server::start(vec![
        Reply::new(
            200,
            r#"{"RequestId":"req-ssl","SSLStatus":"Open","CertCommonName":"dds-bp1.mongodb.rds.aliyuncs.com","SSLExpiredTime":"2030-03-11T02:28:25Z"}"#,
        )
        .header("content-type", "application/json"),
    ])
    .await;
    let client = server.client_builder().build().unwrap();

    let response = client
        .describe_db_instance_ssl()
        .db_instance_id("dds-bp1")
        .send()
        .await
        .unwrap();

    assert_eq!(response.request_id.as_deref(), Some("req-ssl"));
    assert_eq!(
        response.cert_common_name.as_deref(),
        Some("dds-bp1.mongodb.rds.aliyuncs.com")
    );
    let r = &server.received()[0];
    assert_eq!(r.header("x-acs-action"), Some("DescribeDBInstanceSSL"));
    assert_eq!(r.header("x-acs-version"), Some(operations::VERSION));
    assert_eq!(r.param("DBInstanceId"), Some("dds-bp1"));
}

#[tokio::test]
async fn a_documented_code_of_a_generated_operation_is_matched_in_one_match() {
    let server = Server::start(vec![Reply::error(
        400,
        "SSLAlreadyEnabled",
        "SSL have already been enabled.",
        "req-on",
    )])
    .await;
    let client = server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    let error = client
        .modify_db_instance_ssl()
        .db_instance_id("dds-bp1")
        .ssl_action(SslAction::Open)
        .send()
        .await
        .unwrap_err();

    match &error {
        Error::Service(ModifyDbInstanceSslError::SslAlreadyEnabled(e)) => {
            assert_eq!(e.request_id.as_deref(), Some("req-on"));
        }
        other => panic!("expected SslAlreadyEnabled, got {other:?}"),
    }
    let r = &server.received()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.param("SSLAction"), Some("Open"));
}

#[tokio::test]
async fn a_write_operation_from_the_specs_is_not_retried_after_an_internal_error() {
    let server = Server::start(vec![
        Reply::error(500, "InternalError", "unknown error", "req-500"),
        Reply::new(200, r#"{"RequestId":"req-ok"}"#),
    ])
    .await;
    let (policy, _sleep) = recording_policy();
    let client = server
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap();

    let error = client
        .modify_db_instance_ssl()
        .db_instance_id("dds-bp1")
        .ssl_action(SslAction::Close)
        .send()
        .await
        .unwrap_err();

    assert_eq!(error.code(), Some("InternalError"));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn the_registry_drives_a_dynamic_call() {
    let server = Server::start(vec![Reply::new(
        200,
        r#"{"RequestId":"req-dyn","SSLStatus":"Closed"}"#,
    )])
    .await;
    let client = server.client_builder().build().unwrap();
    let meta = operations::operation("DescribeDBInstanceSSL").unwrap();

    let answer = client
        .call_dynamic(meta, vec![("DBInstanceId".into(), "dds-bp1".into())])
        .await
        .unwrap();
    let missing = client.call_dynamic(meta, Vec::new()).await.unwrap_err();

    assert_eq!(answer["SSLStatus"], "Closed");
    assert!(missing.is_validation(), "{missing:?}");
    assert_eq!(server.received().len(), 1);
}
