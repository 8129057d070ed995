//! The instance waiter against a scripted local server: it polls
//! `DescribeDBInstanceAttribute`, reports each status, and tells success, timeout, a missing
//! instance and a lasting failure apart.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dds_api::credentials::Credentials;
use dds_api::waiter::WaitError;
use dds_api::{Client, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const INSTANCE: &str = "dds-bp1waitertest";

/// One scripted answer: an HTTP status and a JSON body.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    body: String,
}

fn status(instance_status: &str) -> Answer {
    Answer {
        status: 200,
        body: serde_json::json!({
            "RequestId": "REQ-STATUS",
            "DBInstances": {"DBInstance": [
                {"DBInstanceId": INSTANCE, "DBInstanceStatus": instance_status}
            ]}
        })
        .to_string(),
    }
}

fn error(http: u16, code: &str) -> Answer {
    Answer {
        status: http,
        body: serde_json::json!({
            "RequestId": "REQ-ERROR",
            "HostId": "mongodb.aliyuncs.com",
            "Code": code,
            "Message": "scripted failure",
        })
        .to_string(),
    }
}

/// A server on 127.0.0.1:0 that answers each request with the next scripted answer (the last
/// one forever) and records the request heads it receives.
struct ScriptedServer {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl ScriptedServer {
    async fn start(script: Vec<Answer>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let head = read_request(&mut stream).await;
                seen.lock().unwrap().push(head);
                let answer = {
                    let mut script = script.lock().unwrap();
                    if script.len() > 1 {
                        script.pop_front().unwrap()
                    } else {
                        script.front().cloned().unwrap()
                    }
                };
                let response = format!(
                    "HTTP/1.1 {} Scripted\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{}",
                    answer.status,
                    answer.body.len(),
                    answer.body
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            }
        });
        ScriptedServer { address, requests }
    }

    fn client(&self) -> Client {
        Client::builder()
            .endpoint(format!("http://{}", self.address))
            .credentials(Credentials::new("LTAI5tWaiterTest", "waiter-test-secret"))
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap()
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Reads one request: its head, and its body by `content-length`; answers the head.
async fn read_request(stream: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = stream.read(&mut buffer).await.unwrap_or(0);
        if read == 0 {
            break;
        }
        data.extend_from_slice(&buffer[..read]);
        if let Some(end) = find(&data, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_string();
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            while data.len() < end + 4 + length {
                let read = stream.read(&mut buffer).await.unwrap_or(0);
                if read == 0 {
                    break;
                }
                data.extend_from_slice(&buffer[..read]);
            }
            return head;
        }
    }
    String::from_utf8_lossy(&data).to_string()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

const FAST: Duration = Duration::from_millis(10);
const LONG: Duration = Duration::from_secs(30);

#[tokio::test]
async fn waiting_ignores_an_early_running_and_returns_after_the_restart() {
    let server = ScriptedServer::start(vec![
        status("Running"),
        status("Running"),
        status("SSLModifying"),
        status("SSLModifying"),
        status("Running"),
    ])
    .await;
    let client = server.client();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);

    let done = client
        .wait_until_running(INSTANCE)
        .poll_interval(FAST)
        .timeout(LONG)
        .settle_time(LONG)
        .on_status(move |status, _| sink.lock().unwrap().push(status.to_owned()))
        .await
        .unwrap();

    assert_eq!(done.status, "Running");
    assert_eq!(done.passed_through, ["Running", "SSLModifying", "Running"]);
    assert_eq!(done.polls, 5);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "Running",
            "Running",
            "SSLModifying",
            "SSLModifying",
            "Running"
        ]
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    for head in &requests {
        let head = head.to_ascii_lowercase();
        assert!(head.contains("describedbinstanceattribute"), "{head}");
        assert!(head.contains(&INSTANCE.to_ascii_lowercase()), "{head}");
    }
}

#[tokio::test]
async fn an_instance_that_never_leaves_running_ends_the_wait_after_the_settle_time() {
    let server = ScriptedServer::start(vec![status("Running")]).await;
    let settle = Duration::from_millis(100);
    let done = server
        .client()
        .wait_until_running(INSTANCE)
        .poll_interval(FAST)
        .settle_time(settle)
        .await
        .unwrap();
    assert!(done.elapsed >= settle, "{done:?}");
    assert_eq!(done.passed_through, ["Running"]);
}

#[tokio::test]
async fn throttling_and_server_errors_while_polling_are_polled_through() {
    let server = ScriptedServer::start(vec![
        status("SSLModifying"),
        error(400, "Throttling.User"),
        error(503, "ServiceUnavailable"),
        status("Running"),
    ])
    .await;
    let done = server
        .client()
        .wait_until_running(INSTANCE)
        .poll_interval(FAST)
        .timeout(LONG)
        .await
        .unwrap();
    assert_eq!(done.polls, 4);
    assert_eq!(done.passed_through, ["SSLModifying", "Running"]);
}

#[tokio::test]
async fn the_wait_times_out_with_the_last_status_read() {
    let server = ScriptedServer::start(vec![status("Running"), status("SSLModifying")]).await;
    let error = server
        .client()
        .wait_until_running(INSTANCE)
        .poll_interval(FAST)
        .timeout(Duration::from_millis(150))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    match &error {
        WaitError::Timeout {
            instance_id,
            last_status,
            ..
        } => {
            assert_eq!(instance_id, INSTANCE);
            assert_eq!(last_status.as_deref(), Some("SSLModifying"));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_instance_ends_the_wait_as_not_found() {
    let server = ScriptedServer::start(vec![error(404, "InvalidDBInstanceId.NotFound")]).await;
    let error = server
        .client()
        .wait_until_running(INSTANCE)
        .poll_interval(FAST)
        .timeout(LONG)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, WaitError::NotFound { instance_id } if instance_id == INSTANCE),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_refused_access_key_ends_the_wait_at_once_with_the_call_error() {
    let server = ScriptedServer::start(vec![
        status("SSLModifying"),
        error(404, "InvalidAccessKeyId.NotFound"),
        status("Running"),
    ])
    .await;
    let error = server
        .client()
        .wait_until_running(INSTANCE)
        .poll_interval(FAST)
        .timeout(LONG)
        .await
        .unwrap_err();
    assert!(!error.is_timeout());
    let call = error.call_error().expect("the poll's error");
    assert_eq!(call.code(), Some("InvalidAccessKeyId.NotFound"));
    assert_eq!(server.requests().len(), 2);
}
