//! Logs: a debug span per call with the action, attempt, status and request id, and no secret
//! anywhere in them, even at TRACE.

mod harness;

use std::io::Write;
use std::sync::{Arc, Mutex};

use dds_api::signing::SignatureVersion;
use harness::*;

/// Collects everything a subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Runs a throttled-then-successful call and a failed call with STS credentials in
/// `version`, capturing every log line at TRACE. Answers the logs and what the server got.
async fn logs_of_calls(version: SignatureVersion) -> (String, Vec<Received>) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::start(vec![
        Reply::error(400, "Throttling.User", "slow down", "req-throttled"),
        Reply::ok("req-ok"),
        Reply::error(
            400,
            "SignatureDoesNotMatch",
            "server string to sign is:x",
            "req-sig",
        ),
    ])
    .await;
    let (policy, _sleep) = recording_policy();
    let client = server
        .client_builder()
        .credentials(sts_credentials())
        .signature_version(version)
        .retry_policy(policy)
        .build()
        .unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();
    client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();
    let _ = client
        .prepare(&DescribeThing::new("dds-bp1"))
        .await
        .unwrap();

    (captured.text(), server.received())
}

/// The secret values of the received requests: key id, secret, token and signatures as sent.
fn secrets_sent(received: &[Received]) -> Vec<String> {
    let mut secrets = vec![
        ACCESS_KEY_ID.to_owned(),
        ACCESS_KEY_SECRET.to_owned(),
        SECURITY_TOKEN.to_owned(),
    ];
    for r in received {
        if let Some(signature) = r.param("Signature") {
            secrets.push(signature.to_owned());
        }
        if let Some(authorization) = r.header("authorization") {
            let signature = authorization.rsplit("Signature=").next().unwrap();
            secrets.push(signature.to_owned());
        }
    }
    secrets
}

#[tokio::test]
async fn a_call_logs_a_span_with_action_attempt_status_and_request_id() {
    let (logs, _) = logs_of_calls(SignatureVersion::V3).await;

    assert!(logs.contains("dds_api.call"), "{logs}");
    assert!(logs.contains("action=\"DescribeThing\""), "{logs}");
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("status=200"), "{logs}");
    assert!(logs.contains("request_id=\"req-ok\""), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(logs.contains("elapsed_ms="), "{logs}");
}

#[tokio::test]
async fn no_secret_appears_in_the_logs_with_v3() {
    let (logs, received) = logs_of_calls(SignatureVersion::V3).await;

    assert_eq!(received.len(), 3);
    for secret in secrets_sent(&received) {
        assert!(
            !logs.contains(&secret),
            "{secret} appears in the logs:\n{logs}"
        );
    }
}

#[tokio::test]
async fn no_secret_or_signed_url_appears_in_the_logs_with_v1() {
    let (logs, received) = logs_of_calls(SignatureVersion::V1).await;

    assert_eq!(received.len(), 3);
    for secret in secrets_sent(&received) {
        assert!(
            !logs.contains(&secret),
            "{secret} appears in the logs:\n{logs}"
        );
    }
    assert!(
        !logs.contains("Signature="),
        "a signed URL appears in the logs:\n{logs}"
    );
    assert!(!logs.contains(&received[0].raw_query), "{logs}");
}
