//! Each request is logged with its action, status and latency, and never with a secret or a
//! signature.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use dds_api::credentials::Credentials;
use dds_emulator::{Config, DEMO_RS40, Emulator};
use support::Call;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// One thread: the server's tasks run where the test's log subscriber is installed.
#[tokio::test(flavor = "current_thread")]
async fn requests_are_logged_with_action_status_and_latency_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::start(Config::default()).await.unwrap();
    let good = Call::new("DescribeDBInstanceSSL")
        .param("DBInstanceId", DEMO_RS40)
        .v1();
    let (query, _) = good.sign(&emulator.local_addr().to_string());
    let signature = query
        .iter()
        .find(|(k, _)| k == "Signature")
        .map(|(_, v)| v.clone())
        .unwrap();
    good.send(&emulator).await.assert_ok();

    let mut forged = Call::new("DescribeDBInstanceSSL").param("DBInstanceId", DEMO_RS40);
    forged.credentials = Credentials::new(Config::DEFAULT_ACCESS_KEY_ID, "forged-secret-value");
    let message = forged
        .send(&emulator)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    let string_to_sign = message.split_once("is:").unwrap().1.to_owned();
    emulator.stop().await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("request_id")).collect();
    assert_eq!(lines.len(), 2, "one line per request:\n{log}");
    for line in &lines {
        assert!(line.contains("action=DescribeDBInstanceSSL"), "{line}");
        assert!(line.contains("latency_us="), "{line}");
    }
    assert!(lines[0].contains("status=200"), "{}", lines[0]);
    assert!(lines[1].contains("status=400"), "{}", lines[1]);
    assert!(
        lines[1].contains("code=SignatureDoesNotMatch"),
        "{}",
        lines[1]
    );

    for secret in [
        Config::DEFAULT_ACCESS_KEY_SECRET,
        "forged-secret-value",
        signature.as_str(),
        string_to_sign.as_str(),
    ] {
        assert!(
            !log.contains(secret),
            "{secret:?} leaked into the log:\n{log}"
        );
    }
}

// Until its signature is checked, a request is logged under the action it names (the
// `Action` parameter first); once the signature holds, under the signed action.
#[tokio::test(flavor = "current_thread")]
async fn refusals_are_logged_under_the_signed_action_once_the_signature_holds() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = Emulator::start(Config::default()).await.unwrap();
    // V3 signs the action in `x-acs-action`; the query names another one.
    let mut forged = Call::new("DescribeDBInstanceSSL")
        .param("Action", "NamedInTheQuery")
        .param("DBInstanceId", DEMO_RS40);
    forged.credentials = Credentials::new(Config::DEFAULT_ACCESS_KEY_ID, "forged-secret-value");
    forged
        .send(&emulator)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    Call::new("DescribeDBInstanceSSL")
        .param("Action", "NamedInTheQuery")
        .send(&emulator)
        .await
        .assert_error(400, "MissingDBInstanceId");
    emulator.stop().await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("request_id")).collect();
    assert_eq!(lines.len(), 2, "one line per request:\n{log}");
    assert!(
        lines[0].contains("action=NamedInTheQuery") && lines[0].contains("SignatureDoesNotMatch"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("action=DescribeDBInstanceSSL")
            && lines[1].contains("MissingDBInstanceId"),
        "{}",
        lines[1]
    );
}
