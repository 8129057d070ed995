//! Hostile and malformed requests: the gateway refuses each with a clear 4xx answer, never
//! panics, never accepts a request whose signature does not vouch for it, and keeps serving.

mod support;

use std::time::Duration;

use dds_api::operation::HttpMethod;
use dds_api::signing::{self, sha256_hex, v3};
use dds_emulator::{Config, DEMO_RS40, Emulator};
use support::{Call, Pairs, Placement, start_with_clock, test_epoch};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn describe_ssl() -> Call {
    Call::new("DescribeDBInstanceSSL").param("DBInstanceId", DEMO_RS40)
}

async fn start() -> Emulator {
    Emulator::start(Config::default()).await.unwrap()
}

/// Writes `request` as given on a fresh connection; the status and body of the answer.
async fn exchange(emulator: &Emulator, request: &[u8]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr())
        .await
        .unwrap();
    stream.write_all(request).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    (status, body.to_owned())
}

/// The emulator still answers a valid request.
async fn still_serves(emulator: &Emulator) {
    describe_ssl().send(emulator).await.assert_ok();
}

fn set(pairs: &mut Pairs, name: &str, value: &str) {
    for (k, v) in pairs.iter_mut() {
        if k == name {
            *v = value.to_owned();
        }
    }
}

// ---- Decoding --------------------------------------------------------------------------

#[tokio::test]
async fn broken_escapes_and_non_utf8_bytes_are_invalid_parameters_not_crashes() {
    let emulator = start().await;
    let host = emulator.local_addr();
    for target in [
        "/?Action=%",
        "/?Action=%G1",
        "/?Action=%%",
        "/?Action=%FF",
        "/?Action=%C3",
        "/?%ED%A0%80=1",
        "/?Format=JSON&A=%C0%AF",
    ] {
        let request = format!("GET {target} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n");
        let (status, body) = exchange(&emulator, request.as_bytes()).await;
        assert_eq!(status, 400, "{target}: {body}");
        assert!(body.contains("InvalidParameter"), "{target}: {body}");
    }

    // Raw non-UTF-8 bytes in a form body.
    let mut request = format!(
        "POST / HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: 9\r\n\r\n"
    )
    .into_bytes();
    request.extend_from_slice(b"Action=\xff\xfe");
    let (status, body) = exchange(&emulator, &request).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("InvalidParameter"), "{body}");
    still_serves(&emulator).await;
}

#[tokio::test]
async fn a_parameter_given_twice_is_refused_in_the_query_or_across_query_and_body() {
    let emulator = start().await;
    let host = emulator.local_addr();
    let request = format!(
        "GET /?Format=JSON&DBInstanceId=a&DBInstanceId=b HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n"
    );
    let (status, body) = exchange(&emulator, request.as_bytes()).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("DBInstanceId is given more than once"),
        "{body}"
    );

    let request = format!(
        "POST /?Format=JSON&DBInstanceId=a HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: 14\r\n\r\nDBInstanceId=b"
    );
    let (status, body) = exchange(&emulator, request.as_bytes()).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("DBInstanceId is given more than once"),
        "{body}"
    );
}

#[tokio::test]
async fn many_and_huge_parameters_are_answered_without_a_crash() {
    let emulator = start().await;
    // 5000 extra parameters and one 200 kB value, signed: accepted (unknown parameters are
    // ignored), and the answer is the normal one.
    let mut call = describe_ssl().v1();
    for i in 0..5000 {
        call = call.param(&format!("Extra{i}"), "x");
    }
    call.placement = Placement::FormBody;
    call.send(&emulator).await.assert_ok();

    let big = "v".repeat(200_000);
    let mut call = describe_ssl().v1().param("Note", &big);
    call.placement = Placement::FormBody;
    call.send(&emulator).await.assert_ok();
    still_serves(&emulator).await;
}

#[tokio::test]
async fn a_request_without_a_host_header_is_refused_for_v3_and_served_for_v1() {
    let emulator = start().await;
    let host = emulator.local_addr().to_string();
    for signature in [signing::SignatureVersion::V1, signing::SignatureVersion::V3] {
        let mut call = describe_ssl();
        call.signature = signature;
        let (query, headers) = call.sign(&host);
        let mut request = format!(
            "POST /?{} HTTP/1.1\r\nconnection: close\r\n",
            support::encode_pairs(&query, false)
        );
        for (k, v) in &headers {
            if k != "host" {
                request.push_str(&format!("{k}: {v}\r\n"));
            }
        }
        request.push_str("content-length: 0\r\n\r\n");
        let (status, body) = exchange(&emulator, request.as_bytes()).await;
        // HTTP/1.1 requires Host; whoever refuses (hyper or the gateway), it is a 400.
        match signature {
            signing::SignatureVersion::V3 => assert_eq!(status, 400, "{body}"),
            _ => assert!(status == 200 || status == 400, "{status} {body}"),
        }
    }
    still_serves(&emulator).await;
}

#[tokio::test]
async fn odd_content_types_and_bodies_do_not_become_parameters() {
    let emulator = start().await;
    // A V1 request whose parameters sit in a body that is not a form: they are not read, so
    // the signature fields are missing.
    for content_type in ["text/plain", "multipart/form-data", "application/json", ""] {
        let (query, _) = describe_ssl().v1().sign(&emulator.local_addr().to_string());
        let body = support::encode_pairs(&query, false);
        let host = emulator.local_addr();
        let ct = if content_type.is_empty() {
            String::new()
        } else {
            format!("content-type: {content_type}\r\n")
        };
        let request = format!(
            "POST / HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\naccept: application/json\r\n{ct}content-length: {}\r\n\r\n{body}",
            body.len()
        );
        let (status, answer) = exchange(&emulator, request.as_bytes()).await;
        assert_eq!(status, 400, "{content_type}: {answer}");
        assert!(
            answer.contains("IncompleteSignature"),
            "{content_type}: {answer}"
        );
    }
    // A form body on a GET is read like any form body.
    let mut call = describe_ssl().v1();
    call.method = HttpMethod::Get;
    call.placement = Placement::FormBody;
    call.send(&emulator).await.assert_ok();
}

// ---- Authorization header --------------------------------------------------------------

/// Rewrites an `Authorization` header value.
type Tamper = Box<dyn Fn(&str) -> String>;

#[tokio::test]
async fn malformed_authorization_headers_are_refused_with_signature_codes() {
    let emulator = start().await;
    let cases: Vec<(&str, Tamper, &str)> = vec![
        (
            "lower-case algorithm",
            Box::new(|a: &str| a.replacen("ACS3-HMAC-SHA256", "acs3-hmac-sha256", 1)),
            "InvalidSignatureMethod",
        ),
        (
            "upper-case name in SignedHeaders",
            Box::new(|a: &str| a.replacen("SignedHeaders=host", "SignedHeaders=Host", 1)),
            "IncompleteSignature",
        ),
        (
            "duplicate Signature field",
            Box::new(|a: &str| {
                let sig = a.rsplit_once("Signature=").unwrap().1.to_owned();
                format!("{a},Signature={sig}")
            }),
            "IncompleteSignature",
        ),
        (
            "signed header not sent",
            Box::new(|a: &str| a.replacen("SignedHeaders=", "SignedHeaders=x-acs-missing;", 1)),
            "IncompleteSignature",
        ),
        (
            "empty SignedHeaders entry",
            Box::new(|a: &str| a.replacen("SignedHeaders=", "SignedHeaders=;", 1)),
            "IncompleteSignature",
        ),
        (
            "upper-case signature",
            Box::new(|a: &str| {
                let (head, sig) = a.rsplit_once("Signature=").unwrap();
                format!("{head}Signature={}", sig.to_uppercase())
            }),
            "IncompleteSignature",
        ),
        (
            "nothing but the algorithm",
            Box::new(|_: &str| "ACS3-HMAC-SHA256".to_owned()),
            "IncompleteSignature",
        ),
        (
            "empty",
            Box::new(|_: &str| String::new()),
            "InvalidSignatureMethod",
        ),
        (
            "fields separated by spaces",
            Box::new(|a: &str| a.replace(',', " ")),
            "IncompleteSignature",
        ),
    ];
    for (name, tamper, code) in cases {
        let reply = describe_ssl()
            .send_tampered(&emulator, |_, headers| {
                for (k, v) in headers.iter_mut() {
                    if k == "authorization" {
                        *v = tamper(v);
                    }
                }
            })
            .await;
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (400, code),
            "{name}: {}",
            reply.text
        );
    }

    // Extra spaces around the fields are tolerated.
    describe_ssl()
        .send_tampered(&emulator, |_, headers| {
            for (k, v) in headers.iter_mut() {
                if k == "authorization" {
                    *v = format!("  {}  ", v.replace(',', " , "));
                }
            }
        })
        .await
        .assert_ok();
    still_serves(&emulator).await;
}

// ---- Signatures that do not vouch for the request --------------------------------------

#[tokio::test]
async fn a_request_changed_after_signing_is_refused() {
    let emulator = start().await;
    for signature in [signing::SignatureVersion::V1, signing::SignatureVersion::V3] {
        let call = || {
            let mut call = describe_ssl();
            call.signature = signature;
            call
        };
        // A parameter added after signing.
        call()
            .send_tampered(&emulator, |query, _| {
                query.push(("Engine".to_owned(), "MongoDB".to_owned()));
            })
            .await
            .assert_error(400, "SignatureDoesNotMatch");
        // The letter case of a value changed.
        call()
            .send_tampered(&emulator, |query, _| {
                set(query, "DBInstanceId", &DEMO_RS40.to_uppercase())
            })
            .await
            .assert_error(400, "SignatureDoesNotMatch");
        // The method changed.
        let host = emulator.local_addr().to_string();
        let (query, headers) = call().sign(&host);
        support::send_raw(
            &emulator,
            HttpMethod::Get,
            &query,
            &headers,
            Placement::Query,
            false,
        )
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    }

    // V3: the signature of another request (another instance) is not valid for this one.
    let host = emulator.local_addr().to_string();
    let (_, other_headers) = Call::new("DescribeDBInstanceSSL")
        .param("DBInstanceId", "dds-demo-rs44-ssl")
        .sign(&host);
    let other_authorization = other_headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .unwrap()
        .1
        .clone();
    describe_ssl()
        .send_tampered(&emulator, |_, headers| {
            set(headers, "authorization", &other_authorization)
        })
        .await
        .assert_error(400, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn v3_signs_the_host_with_its_port_and_the_body() {
    let emulator = start().await;
    let port = emulator.local_addr().port();
    // Signed for another port, sent here.
    let (query, headers) = describe_ssl().sign(&format!("127.0.0.1:{}", port.wrapping_add(1)));
    let mut request = format!(
        "POST /?{} HTTP/1.1\r\nconnection: close\r\n",
        support::encode_pairs(&query, false)
    );
    for (k, v) in &headers {
        if k != "host" {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    request.push_str(&format!(
        "host: 127.0.0.1:{port}\r\ncontent-length: 0\r\n\r\n"
    ));
    let (status, body) = exchange(&emulator, request.as_bytes()).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("SignatureDoesNotMatch"), "{body}");

    // Signed with an empty body, sent with a form body that adds a parameter.
    let host = emulator.local_addr().to_string();
    let (query, headers) = describe_ssl().sign(&host);
    let mut request = format!(
        "POST /?{} HTTP/1.1\r\nconnection: close\r\nhost: {host}\r\n",
        support::encode_pairs(&query, false)
    );
    for (k, v) in &headers {
        if k != "host" {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    request.push_str(
        "content-type: application/x-www-form-urlencoded\r\ncontent-length: 13\r\n\r\nEngine=MongoDB",
    );
    let request = request.replace("content-length: 13", "content-length: 14");
    let (status, body) = exchange(&emulator, request.as_bytes()).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("SignatureDoesNotMatch"), "{body}");
}

/// Signs a V3 request by hand with the given headers (several values per name allowed).
fn sign_v3_by_hand(host: &str, extra: &[(&str, &str)], nonce_values: &[&str]) -> (Pairs, Pairs) {
    let date = signing::format_timestamp(time::OffsetDateTime::now_utc());
    let query = vec![(String::from("DBInstanceId"), String::from(DEMO_RS40))];
    let mut headers: Pairs = [
        ("accept", "application/json"),
        ("host", host),
        ("x-acs-action", "DescribeDBInstanceSSL"),
        ("x-acs-content-sha256", &sha256_hex(b"")),
        ("x-acs-date", &date),
        ("x-acs-version", "2015-12-01"),
    ]
    .iter()
    .chain(extra.iter())
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for nonce in nonce_values {
        headers.push((String::from("x-acs-signature-nonce"), (*nonce).to_owned()));
    }
    let names = [
        "host",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-version",
    ];
    let signed_headers = names.join(";");
    let canonical = v3::canonical_request(
        "POST",
        "/",
        &v3::canonical_query(&query),
        &v3::canonical_headers(&headers, &names).unwrap(),
        &signed_headers,
        &sha256_hex(b""),
    );
    let signature = v3::signature(
        Config::DEFAULT_ACCESS_KEY_SECRET,
        &v3::string_to_sign(&canonical),
    );
    headers.push((
        String::from("authorization"),
        v3::authorization_header(Config::DEFAULT_ACCESS_KEY_ID, &signed_headers, &signature),
    ));
    (query, headers)
}

#[tokio::test]
async fn a_replay_with_its_signed_nonce_headers_reordered_is_refused() {
    // A request that carries two nonce headers signs both (joined, sorted). Reordering them
    // keeps the signature valid; the gateway must not read a "new" nonce from the reordered
    // copy.
    let emulator = start().await;
    let host = emulator.local_addr().to_string();
    let a = signing::new_nonce().unwrap();
    let b = signing::new_nonce().unwrap();
    let (query, headers) = sign_v3_by_hand(&host, &[], &[&a, &b]);
    let first = support::send_raw(
        &emulator,
        HttpMethod::Post,
        &query,
        &headers,
        Placement::Query,
        false,
    )
    .await;
    let mut reordered = headers.clone();
    reordered.retain(|(k, _)| k != "x-acs-signature-nonce");
    reordered.push((String::from("x-acs-signature-nonce"), b.clone()));
    reordered.push((String::from("x-acs-signature-nonce"), a.clone()));
    let replay = support::send_raw(
        &emulator,
        HttpMethod::Post,
        &query,
        &reordered,
        Placement::Query,
        false,
    )
    .await;
    assert!(
        first.status != 200 || replay.status != 200,
        "a signed request was accepted twice:\n{}\n{}",
        first.text,
        replay.text
    );
}

// ---- Time and nonces -------------------------------------------------------------------

#[tokio::test]
async fn timestamps_exactly_15_minutes_off_are_accepted_and_one_second_more_is_not() {
    let (emulator, _clock) = start_with_clock(Duration::ZERO).await;
    let window = Duration::from_secs(15 * 60);
    let second = Duration::from_secs(1);
    for v1 in [false, true] {
        let with = |call: Call| if v1 { call.v1() } else { call };
        with(describe_ssl().at(test_epoch() - window))
            .send(&emulator)
            .await
            .assert_ok();
        with(describe_ssl().at(test_epoch() + window))
            .send(&emulator)
            .await
            .assert_ok();
        with(describe_ssl().at(test_epoch() - window - second))
            .send(&emulator)
            .await
            .assert_error(400, "InvalidTimeStamp.Expired");
        with(describe_ssl().at(test_epoch() + window + second))
            .send(&emulator)
            .await
            .assert_error(400, "InvalidTimeStamp.Expired");
    }
}

#[tokio::test]
async fn timestamps_with_an_offset_or_fractions_are_format_errors() {
    let (emulator, _clock) = start_with_clock(Duration::ZERO).await;
    for text in [
        "2026-05-28T20:26:40+08:00",
        "2026-05-28T20:26:40.000Z",
        "2026-05-28 20:26:40Z",
        "2026-05-28T20:26:40z",
        "2026-05-28T20:26:40",
        "2026-05-28T24:00:00Z",
        "2026-02-30T00:00:00Z",
    ] {
        let reply = describe_ssl()
            .v1()
            .send_tampered(&emulator, |query, _| set(query, "Timestamp", text))
            .await;
        reply.assert_error(400, "InvalidTimeStamp.Format");
    }
}

#[tokio::test]
async fn a_nonce_used_with_v1_is_refused_with_v3_and_the_reverse() {
    let emulator = start().await;
    for first_v1 in [true, false] {
        let nonce = signing::new_nonce().unwrap();
        let mut first = describe_ssl();
        let mut second = describe_ssl();
        first.nonce = nonce.clone();
        second.nonce = nonce;
        if first_v1 {
            first = first.v1();
        } else {
            second = second.v1();
        }
        first.send(&emulator).await.assert_ok();
        second
            .send(&emulator)
            .await
            .assert_error(400, "SignatureNonceUsed");
    }
}

#[tokio::test]
async fn a_request_signed_for_the_future_cannot_be_replayed_once_its_nonce_would_expire() {
    // Signed 15 minutes ahead of the server: the timestamp stays acceptable for 30 minutes,
    // so the nonce must be remembered that long.
    let (emulator, clock) = start_with_clock(Duration::ZERO).await;
    let ahead = Duration::from_secs(15 * 60);
    for v1 in [false, true] {
        clock.set(test_epoch());
        let mut call = describe_ssl().at(test_epoch() + ahead);
        if v1 {
            call = call.v1();
        }
        call.send(&emulator).await.assert_ok();
        clock.set(test_epoch() + ahead + Duration::from_secs(1));
        call.send(&emulator)
            .await
            .assert_error(400, "SignatureNonceUsed");
    }
}

// ---- The SDK's client against the emulator ---------------------------------------------

mod sdk {
    use std::sync::Arc;
    use std::time::{Duration, SystemTime};

    use dds_api::operations::modify_db_instance_ssl::{ModifyDbInstanceSslError, SslAction};
    use dds_api::signing::SignatureVersion;
    use dds_api::{Client, RetryPolicy};
    use dds_emulator::{Config, DEMO_RS40, Emulator, ManualClock, SslStatus};

    fn client(emulator: &Emulator, version: SignatureVersion) -> Client {
        Client::builder()
            .endpoint(emulator.url())
            .credentials(super::support::default_credentials())
            .signature_version(version)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .expect("a client")
    }

    #[tokio::test]
    async fn instance_ids_with_reserved_and_non_ascii_characters_are_signed_and_answered() {
        let emulator = Emulator::start(Config::default()).await.unwrap();
        for version in [SignatureVersion::V1, SignatureVersion::V3] {
            let client = client(&emulator, version);
            for id in [
                "a&b=c",
                "x%20y+z*~/",
                "dds-\u{e9}\u{65e5}\u{1F600}",
                " lead",
                "trail ",
            ] {
                let error = client
                    .describe_db_instance_ssl()
                    .db_instance_id(id)
                    .send()
                    .await
                    .expect_err("no such instance");
                // Not a signature problem: the gateway decoded what the client signed.
                assert_eq!(
                    error.code(),
                    Some("InvalidDBInstanceId.NotFound"),
                    "{version} {id:?}: {error}"
                );
            }
        }
    }

    #[tokio::test]
    async fn an_endpoint_written_in_another_spelling_of_the_address_signs_the_host_it_sends() {
        // `127.1`, `0x7f.0.0.1` and `[0:0:0:0:0:0:0:1]` are spelled differently on the wire
        // (HTTP clients normalise them); V3 signs the host, so the signed one must match.
        let emulator = Emulator::start(Config::default()).await.unwrap();
        let port = emulator.local_addr().port();
        for endpoint in [
            format!("http://127.1:{port}"),
            format!("http://0x7f.0.0.1:{port}"),
            format!("http://127.000.000.001:{port}"),
        ] {
            let client = Client::builder()
                .endpoint(endpoint.as_str())
                .credentials(super::support::default_credentials())
                .signature_version(SignatureVersion::V3)
                .retry_policy(RetryPolicy::disabled())
                .build();
            let Ok(client) = client else {
                // Refusing such a spelling up front is fine too.
                continue;
            };
            let answer = client
                .describe_db_instance_ssl()
                .db_instance_id(DEMO_RS40)
                .send()
                .await;
            assert!(answer.is_ok(), "{endpoint}: {}", answer.unwrap_err());
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn of_concurrent_opens_on_one_instance_exactly_one_is_accepted() {
        // Restarts take a while (the clock does not move), so every later Open sees the
        // instance in SSLModifying or, once finished, SSL already enabled.
        for round in 0..5u32 {
            let clock = Arc::new(ManualClock::new(SystemTime::now()));
            let emulator = Emulator::start(
                Config::default()
                    .clock(clock.clone())
                    .restart_time(Duration::from_secs(60)),
            )
            .await
            .unwrap();
            let mut tasks = Vec::new();
            for n in 0..8u32 {
                let version = if (n + round) % 2 == 0 {
                    SignatureVersion::V1
                } else {
                    SignatureVersion::V3
                };
                let client = client(&emulator, version);
                tasks.push(tokio::spawn(async move {
                    client
                        .modify_db_instance_ssl()
                        .db_instance_id(DEMO_RS40)
                        .ssl_action(SslAction::Open)
                        .send()
                        .await
                }));
            }
            let mut accepted = 0;
            for task in tasks {
                match task.await.unwrap() {
                    Ok(_) => accepted += 1,
                    Err(error) => assert!(
                        matches!(
                            error.as_service(),
                            Some(
                                ModifyDbInstanceSslError::IncorrectDbInstanceState(_)
                                    | ModifyDbInstanceSslError::SslAlreadyEnabled(_)
                            )
                        ),
                        "{error}"
                    ),
                }
            }
            assert_eq!(accepted, 1, "round {round}");
            clock.advance(Duration::from_secs(61));
            let instance = emulator
                .instances()
                .into_iter()
                .find(|i| i.id == DEMO_RS40)
                .unwrap();
            assert_eq!(
                instance.ssl.status,
                SslStatus::Open,
                "round {round}: {instance:?}"
            );
            emulator.stop().await;
        }
    }
}

// ---- Logs --------------------------------------------------------------------------------

mod logs {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use dds_emulator::{Config, Emulator};

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
    async fn a_request_cannot_forge_log_lines_through_the_names_it_sends() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);

        let emulator = Emulator::start(Config::default()).await.unwrap();
        let host = emulator.local_addr();
        // An unsigned request whose Action holds a newline and a fake log line.
        let request = format!(
            "GET /?Format=JSON&Action=X%0A2026-01-01T00:00:00Z%20INFO%20request%20action%3DForged%20status%3D200 \
             HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n"
        );
        let (status, _) = super::exchange(&emulator, request.as_bytes()).await;
        assert_eq!(status, 400);
        emulator.stop().await;

        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let forged: Vec<&str> = log
            .lines()
            .filter(|l| l.trim_start().starts_with("2026-01-01T00:00:00Z"))
            .collect();
        assert!(forged.is_empty(), "a forged log line:\n{log}");
    }
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_refused_in_the_gateway_format() {
    let emulator = start().await;
    let host = emulator.local_addr();
    let body = format!("Format=JSON&Pad={}", "a".repeat(3 << 20));
    let request = format!(
        "POST / HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\naccept: application/json\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, answer) = exchange(&emulator, request.as_bytes()).await;
    assert!((400..500).contains(&status), "{status}: {answer}");
    let json: serde_json::Value = serde_json::from_str(&answer)
        .unwrap_or_else(|e| panic!("not a gateway error body ({e}): {answer:.200}"));
    assert!(json["Code"].as_str().is_some(), "{answer}");
    still_serves(&emulator).await;
}

#[tokio::test]
async fn a_list_item_numbered_near_the_largest_integer_is_refused_at_once() {
    // `Tag.18446744073709551615.Key` alone once made the parameter check walk (and name)
    // every number below it.
    let emulator = start().await;
    for v1 in [false, true] {
        let mut call = Call::new("DescribeDBInstances")
            .param("Tag.1.Key", "a")
            .param("Tag.18446744073709551615.Key", "b");
        if v1 {
            call = call.v1();
        }
        let reply = call.send(&emulator).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert!(reply.text.len() < 2000, "{} bytes", reply.text.len());
        assert!(reply.message().contains("Tag.2"), "{}", reply.text);
    }
}
