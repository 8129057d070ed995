//! The gateway's checks, each answered with the real code and HTTP status, for requests
//! signed by the SDK's signer and sent over loopback.

mod support;

use std::time::Duration;

use dds_api::credentials::Credentials;
use dds_api::operation::HttpMethod;
use dds_emulator::{Config, DEMO_RS40, Emulator};
use support::{Call, Placement, start_with_clock, test_epoch};

fn describe_ssl() -> Call {
    Call::new("DescribeDBInstanceSSL").param("DBInstanceId", DEMO_RS40)
}

async fn start() -> Emulator {
    Emulator::start(Config::default()).await.unwrap()
}

#[tokio::test]
async fn v1_and_v3_requests_are_accepted_by_get_and_post_in_query_or_form_body() {
    let emulator = start().await;
    for (signature, method, placement) in [
        (
            dds_api::signing::SignatureVersion::V3,
            HttpMethod::Post,
            Placement::Query,
        ),
        (
            dds_api::signing::SignatureVersion::V3,
            HttpMethod::Get,
            Placement::Query,
        ),
        (
            dds_api::signing::SignatureVersion::V1,
            HttpMethod::Post,
            Placement::Query,
        ),
        (
            dds_api::signing::SignatureVersion::V1,
            HttpMethod::Get,
            Placement::Query,
        ),
        (
            dds_api::signing::SignatureVersion::V1,
            HttpMethod::Post,
            Placement::FormBody,
        ),
    ] {
        let mut call = describe_ssl();
        call.signature = signature;
        call.method = method;
        call.placement = placement;
        let body = call.send(&emulator).await.assert_ok();
        assert_eq!(
            body["SSLStatus"], "Closed",
            "{signature} {method} {placement:?}"
        );
        assert!(body["RequestId"].as_str().is_some_and(|id| id.len() == 36));
    }
}

#[tokio::test]
async fn a_plus_in_the_query_is_decoded_as_a_space_before_the_signature_check() {
    let emulator = start().await;
    for signature in [
        dds_api::signing::SignatureVersion::V1,
        dds_api::signing::SignatureVersion::V3,
    ] {
        // An empty value (one official client signs an empty `SignatureType=`) and a space.
        let mut call = describe_ssl()
            .param("Note", "a b c")
            .param("SignatureType", "");
        call.signature = signature;
        call.plus_for_space = true;
        call.send(&emulator).await.assert_ok();
    }
}

#[tokio::test]
async fn an_unknown_access_key_is_answered_404() {
    let emulator = start().await;
    for v1 in [false, true] {
        let mut call = describe_ssl();
        call.credentials = Credentials::new("nobody", "whatever");
        if v1 {
            call = call.v1();
        }
        call.send(&emulator)
            .await
            .assert_error(404, "InvalidAccessKeyId.NotFound");
    }
}

#[tokio::test]
async fn a_wrong_secret_is_answered_with_the_servers_string_to_sign() {
    let emulator = start().await;

    let mut call = describe_ssl().v1();
    call.credentials = Credentials::new(Config::DEFAULT_ACCESS_KEY_ID, "not-the-secret");
    let message = call
        .send(&emulator)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    let string_to_sign = message
        .split_once("server string to sign is:")
        .expect("the message quotes the string to sign")
        .1;
    assert!(
        string_to_sign.starts_with(
            "POST&%2F&AccessKeyId%3Demulator-access-key-id%26Action%3DDescribeDBInstanceSSL"
        ),
        "{string_to_sign}"
    );

    let mut call = describe_ssl();
    call.credentials = Credentials::new(Config::DEFAULT_ACCESS_KEY_ID, "not-the-secret");
    let message = call
        .send(&emulator)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    assert!(
        message.contains("server string to sign is:ACS3-HMAC-SHA256\n"),
        "{message}"
    );
}

#[tokio::test]
async fn a_changed_parameter_breaks_the_signature() {
    let emulator = start().await;
    let reply = describe_ssl()
        .v1()
        .send_tampered(&emulator, |query, _| {
            for (k, v) in query.iter_mut() {
                if k == "DBInstanceId" {
                    *v = String::from("dds-demo-rs44-ssl");
                }
            }
        })
        .await;
    reply.assert_error(400, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn missing_or_malformed_signature_fields_are_incomplete_signatures() {
    let emulator = start().await;
    for name in [
        "Signature",
        "SignatureNonce",
        "Timestamp",
        "AccessKeyId",
        "SignatureVersion",
    ] {
        let reply = describe_ssl()
            .v1()
            .send_tampered(&emulator, |query, _| query.retain(|(k, _)| k != name))
            .await;
        let message = reply.assert_error(400, "IncompleteSignature");
        assert!(message.contains(name), "{message}");
    }

    for header in ["x-acs-date", "x-acs-signature-nonce", "x-acs-action"] {
        let reply = describe_ssl()
            .send_tampered(&emulator, |_, headers| headers.retain(|(k, _)| k != header))
            .await;
        reply.assert_error(400, "IncompleteSignature");
    }

    // An Authorization header without its SignedHeaders field.
    let reply = describe_ssl()
        .send_tampered(&emulator, |_, headers| {
            for (k, v) in headers.iter_mut() {
                if k == "authorization" {
                    *v = String::from("ACS3-HMAC-SHA256 Credential=emulator-access-key-id");
                }
            }
        })
        .await;
    reply.assert_error(400, "IncompleteSignature");

    // A signed-header list that leaves out the action.
    let reply = describe_ssl()
        .send_tampered(&emulator, |_, headers| {
            for (k, v) in headers.iter_mut() {
                if k == "authorization" {
                    *v = v.replace("x-acs-action;", "");
                }
            }
        })
        .await;
    let message = reply.assert_error(400, "IncompleteSignature");
    assert!(message.contains("x-acs-action"), "{message}");
}

#[tokio::test]
async fn other_signature_methods_are_not_supported() {
    let emulator = start().await;
    let reply = describe_ssl()
        .v1()
        .send_tampered(&emulator, |query, _| {
            for (k, v) in query.iter_mut() {
                if k == "SignatureMethod" {
                    *v = String::from("HMAC-SHA256");
                }
            }
        })
        .await;
    reply.assert_error(400, "InvalidSignatureMethod");

    let reply = describe_ssl()
        .send_tampered(&emulator, |_, headers| {
            for (k, v) in headers.iter_mut() {
                if k == "authorization" {
                    *v = v.replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3");
                }
            }
        })
        .await;
    reply.assert_error(400, "InvalidSignatureMethod");
}

#[tokio::test]
async fn a_malformed_timestamp_is_refused() {
    let emulator = start().await;
    let reply = describe_ssl()
        .v1()
        .send_tampered(&emulator, |query, _| {
            for (k, v) in query.iter_mut() {
                if k == "Timestamp" {
                    *v = String::from("2026-12-03 13:00:00");
                }
            }
        })
        .await;
    reply.assert_error(400, "InvalidTimeStamp.Format");

    let reply = describe_ssl()
        .send_tampered(&emulator, |_, headers| {
            for (k, v) in headers.iter_mut() {
                if k == "x-acs-date" {
                    *v = String::from("2026-12-03T13:00:00+08:00");
                }
            }
        })
        .await;
    reply.assert_error(400, "InvalidTimeStamp.Format");
}

#[tokio::test]
async fn timestamps_more_than_15_minutes_off_are_expired_either_way() {
    let (emulator, _clock) = start_with_clock(Duration::ZERO).await;
    let now = test_epoch();
    let minutes = |m: u64| Duration::from_secs(m * 60);

    for v1 in [false, true] {
        let with = |call: Call| if v1 { call.v1() } else { call };
        with(describe_ssl().at(now - minutes(14)))
            .send(&emulator)
            .await
            .assert_ok();
        with(describe_ssl().at(now + minutes(14)))
            .send(&emulator)
            .await
            .assert_ok();
        let message = with(describe_ssl().at(now - minutes(16)))
            .send(&emulator)
            .await
            .assert_error(400, "InvalidTimeStamp.Expired");
        assert!(message.contains("15 minutes"), "{message}");
        with(describe_ssl().at(now + minutes(16)))
            .send(&emulator)
            .await
            .assert_error(400, "InvalidTimeStamp.Expired");
    }
}

#[tokio::test]
async fn a_nonce_is_refused_the_second_time_within_the_window() {
    let (emulator, clock) = start_with_clock(Duration::ZERO).await;
    for v1 in [false, true] {
        let mut call = describe_ssl().at(test_epoch());
        if v1 {
            call = call.v1();
        }
        call.send(&emulator).await.assert_ok();
        call.send(&emulator)
            .await
            .assert_error(400, "SignatureNonceUsed");
    }

    // Past the window the nonce is forgotten; a request signed at the new time may use it.
    let call = describe_ssl().at(test_epoch());
    call.send(&emulator).await.assert_ok();
    clock.advance(Duration::from_secs(16 * 60));
    let mut again = call.clone();
    again.time = test_epoch() + Duration::from_secs(16 * 60);
    again.send(&emulator).await.assert_ok();
}

#[tokio::test]
async fn a_request_with_a_bad_signature_does_not_burn_its_nonce() {
    let emulator = start().await;
    let good = describe_ssl();
    let mut forged = good.clone();
    forged.credentials = Credentials::new(Config::DEFAULT_ACCESS_KEY_ID, "forged");
    forged
        .send(&emulator)
        .await
        .assert_error(400, "SignatureDoesNotMatch");
    good.send(&emulator).await.assert_ok();
}

#[tokio::test]
async fn an_unknown_action_is_answered_404() {
    let emulator = start().await;
    for v1 in [false, true] {
        let mut call = Call::new("DescribeNothing");
        if v1 {
            call = call.v1();
        }
        let message = call
            .send(&emulator)
            .await
            .assert_error(404, "InvalidAction.NotFound");
        assert!(message.contains("DescribeNothing"), "{message}");
    }
}

#[tokio::test]
async fn a_version_other_than_2015_12_01_is_refused() {
    let emulator = start().await;
    for v1 in [false, true] {
        let mut call = describe_ssl();
        call.version = String::from("2014-05-26");
        if v1 {
            call = call.v1();
        }
        let message = call
            .send(&emulator)
            .await
            .assert_error(400, "InvalidVersion");
        assert!(message.contains("2014-05-26"), "{message}");
    }
}

#[tokio::test]
async fn format_chooses_json_or_xml_in_any_letter_case() {
    let emulator = start().await;
    for (format, json) in [
        ("JSON", true),
        ("json", true),
        ("Xml", false),
        ("XML", false),
    ] {
        for v1 in [false, true] {
            let mut call = describe_ssl();
            call.format = Some(format.to_owned());
            call.no_accept = !json; // the format wins over the accept header either way
            if v1 {
                call = call.v1();
            }
            let reply = call.send(&emulator).await;
            assert_eq!(reply.status, 200, "{}", reply.text);
            if json {
                assert!(reply.content_type.starts_with("application/json"));
                assert_eq!(reply.json()["SSLStatus"], "Closed");
            } else {
                assert!(
                    reply.content_type.starts_with("text/xml"),
                    "{}",
                    reply.content_type
                );
                assert!(
                    reply.text.contains("<DescribeDBInstanceSSLResponse><"),
                    "{}",
                    reply.text
                );
                assert!(
                    reply.text.contains("<SSLStatus>Closed</SSLStatus>"),
                    "{}",
                    reply.text
                );
            }
        }
    }
}

#[tokio::test]
async fn without_format_the_accept_header_decides() {
    let emulator = start().await;
    let reply = describe_ssl().send(&emulator).await;
    assert!(
        reply.content_type.starts_with("application/json"),
        "{}",
        reply.content_type
    );
    reply.assert_ok();

    let mut call = describe_ssl();
    call.no_accept = true;
    let reply = call.send(&emulator).await;
    assert_eq!(reply.status, 200);
    assert!(reply.text.starts_with("<?xml"), "{}", reply.text);
}

#[tokio::test]
async fn an_unknown_format_is_refused() {
    let emulator = start().await;
    let mut call = describe_ssl().v1();
    call.format = Some(String::from("YAML"));
    let message = call
        .send(&emulator)
        .await
        .assert_error(400, "InvalidParameter.Format");
    assert!(message.contains("YAML"), "{message}");
}

#[tokio::test]
async fn errors_carry_request_id_host_id_code_message_and_recommend_in_both_formats() {
    let emulator = start().await;
    let mut call = Call::new("DescribeNothing");
    let body = call.send(&emulator).await.json();
    let request_id = body["RequestId"].as_str().unwrap();
    assert_eq!(body["HostId"], "mongodb.aliyuncs.com");
    assert_eq!(body["Code"], "InvalidAction.NotFound");
    assert_eq!(
        body["Recommend"],
        format!(
            "https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound&product=Dds&requestId={request_id}"
        )
    );

    call = Call::new("DescribeNothing");
    call.no_accept = true;
    let reply = call.send(&emulator).await;
    assert_eq!(reply.status, 404);
    let xml = &reply.text;
    assert!(xml.contains("<Error><RequestId>"), "{xml}");
    for element in [
        "<HostId>mongodb.aliyuncs.com</HostId>",
        "<Code>InvalidAction.NotFound</Code>",
        "<Message>",
        "<Recommend>https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound&amp;product=Dds&amp;requestId=",
    ] {
        assert!(xml.contains(element), "{element} missing in {xml}");
    }
}

#[tokio::test]
async fn a_missing_required_parameter_is_named_in_the_code() {
    let emulator = start().await;
    for v1 in [false, true] {
        let mut call = Call::new("DescribeDBInstanceSSL");
        if v1 {
            call = call.v1();
        }
        let message = call
            .send(&emulator)
            .await
            .assert_error(400, "MissingDBInstanceId");
        assert!(message.contains("\"DBInstanceId\""), "{message}");
    }
}

#[tokio::test]
async fn a_region_id_a_client_adds_as_a_common_parameter_is_accepted_by_any_operation() {
    // The official Python client adds `RegionId` to every call; DescribeDBInstanceSSL has no
    // such parameter.
    let emulator = start().await;
    for v1 in [false, true] {
        let mut call = describe_ssl().param("RegionId", "cn-hangzhou");
        if v1 {
            call = call.v1();
        }
        call.send(&emulator).await.assert_ok();
    }
}

#[tokio::test]
async fn region_id_given_twice_is_refused_naming_it() {
    let emulator = start().await;
    let message = Call::new("DescribeAvailabilityZones")
        .param("RegionId", "cn-hangzhou")
        .param("RegionId", "cn-beijing")
        .send(&emulator)
        .await
        .assert_error(400, "InvalidParameter");
    assert!(message.contains("RegionId"), "{message}");
    Call::new("DescribeAvailabilityZones")
        .param("RegionId", "cn-hangzhou")
        .send(&emulator)
        .await
        .assert_ok();
}

#[tokio::test]
async fn an_invalid_parameter_value_names_the_parameter_and_the_rule() {
    let emulator = start().await;
    let message = Call::new("ModifyDBInstanceSSL")
        .param("DBInstanceId", DEMO_RS40)
        .param("SSLAction", "Enable")
        .send(&emulator)
        .await
        .assert_error(400, "InvalidParameter");
    assert!(message.contains("SSLAction"), "{message}");
    assert!(
        message.contains("Open"),
        "the allowed values are listed: {message}"
    );
}

#[tokio::test]
async fn booleans_are_accepted_in_any_letter_case() {
    let emulator = start().await;
    for value in ["true", "True", "FALSE", "false"] {
        Call::new("DescribeDBInstanceAttribute")
            .param("DBInstanceId", DEMO_RS40)
            .param("IsDelete", value)
            .send(&emulator)
            .await
            .assert_ok();
    }
    let message = Call::new("DescribeDBInstanceAttribute")
        .param("DBInstanceId", DEMO_RS40)
        .param("IsDelete", "yes")
        .send(&emulator)
        .await
        .assert_error(400, "InvalidParameter");
    assert!(message.contains("IsDelete"), "{message}");
}

#[tokio::test]
async fn requests_beyond_the_throttle_are_answered_throttling_user() {
    let emulator = Emulator::start(Config::default().throttle(3))
        .await
        .unwrap();
    let mut codes = Vec::new();
    for _ in 0..6 {
        let reply = describe_ssl().send(&emulator).await;
        codes.push(if reply.status == 200 {
            String::from("ok")
        } else {
            reply.code()
        });
    }
    assert_eq!(codes.iter().filter(|c| *c == "ok").count(), 3, "{codes:?}");
    assert!(codes.iter().any(|c| c == "Throttling.User"), "{codes:?}");

    // Another access key has its own allowance.
    let other = Credentials::new("second-key", "second-secret");
    let emulator = Emulator::start(
        Config::default()
            .throttle(1)
            .access_keys([support::default_credentials(), other.clone()]),
    )
    .await
    .unwrap();
    describe_ssl().send(&emulator).await.assert_ok();
    let mut call = describe_ssl();
    call.credentials = other;
    call.send(&emulator).await.assert_ok();
}

#[tokio::test]
async fn v3_requests_may_sign_more_headers_than_required() {
    // One official client also signs `accept` and `user-agent`; the verifier uses the list
    // the request names. Sign by hand here, since the SDK signs a fixed set.
    use dds_api::signing::{sha256_hex, v3};

    let emulator = start().await;
    let host = emulator.local_addr().to_string();
    let nonce = dds_api::signing::new_nonce().unwrap();
    let date = dds_api::signing::format_timestamp(time::OffsetDateTime::now_utc());
    let query = vec![(String::from("DBInstanceId"), String::from(DEMO_RS40))];
    let mut headers: Vec<(String, String)> = [
        ("accept", "application/json"),
        ("host", host.as_str()),
        ("user-agent", "AlibabaCloud (test) TeaDSL/1"),
        ("x-acs-action", "DescribeDBInstanceSSL"),
        ("x-acs-content-sha256", &sha256_hex(b"")),
        ("x-acs-date", &date),
        ("x-acs-signature-nonce", &nonce),
        ("x-acs-version", "2015-12-01"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
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
    let reply = support::send_raw(
        &emulator,
        HttpMethod::Post,
        &query,
        &headers,
        Placement::Query,
        false,
    )
    .await;
    assert_eq!(reply.json()["SSLStatus"], "Closed", "{}", reply.text);
}

// An operation with range, length and pattern rules, checked by the SDK's wire helpers the
// way generated `check_wire` functions check them (the current specs have no such rules).
mod constrained {
    use dds_api::WireParams;
    use dds_api::operation::{HttpMethod, OperationKind, OperationMeta, PropertyMeta, ShapeMeta};
    use dds_api::validation::ValidationErrors;
    use dds_api::wire::{self, Limits};

    static STRING: ShapeMeta = ShapeMeta::String { enum_values: &[] };
    static RESPONSE: ShapeMeta = ShapeMeta::Object(&[PropertyMeta {
        name: "RequestId",
        shape: &STRING,
        example: None,
    }]);

    fn check_wire(params: &WireParams) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let _: Option<i32> = wire::take(
            params,
            "PageSize",
            false,
            &Limits {
                minimum: Some(1.0),
                maximum: Some(100.0),
                ..Limits::NONE
            },
            &mut errors,
        );
        let _: Option<String> = wire::take(
            params,
            "Name",
            false,
            &Limits {
                max_length: Some(5),
                ..Limits::NONE
            },
            &mut errors,
        );
        let _: Option<String> = wire::take(
            params,
            "Code",
            false,
            &Limits {
                pattern: Some("[a-z]+"),
                ..Limits::NONE
            },
            &mut errors,
        );
        errors.into_result(())
    }

    pub(super) static DESCRIBE_THINGS: OperationMeta = OperationMeta {
        action: "DescribeThings",
        rust_name: "DescribeThings",
        cli_name: "describe-things",
        summary: "",
        description: "",
        methods: &[HttpMethod::Post],
        kind: OperationKind::Read,
        parameters: &[],
        response: &RESPONSE,
        errors: &[],
        check_wire,
        // Only `check_wire` matters to these tests: the operation has no typed request.
        reencode_wire: |params| check_wire(params).map(|()| params.clone().into_iter().collect()),
        response_example: None,
        decode_response: |body| {
            serde_json::from_slice::<serde_json::Value>(body)
                .map(drop)
                .map_err(|e| e.to_string())
        },
    };
    pub(super) static OPERATIONS: &[&OperationMeta] = &[&DESCRIBE_THINGS];
}

#[tokio::test]
async fn type_range_length_and_pattern_violations_are_invalid_parameters() {
    let emulator = Emulator::start(Config::default().operations(constrained::OPERATIONS))
        .await
        .unwrap();
    Call::new("DescribeThings")
        .param("PageSize", "100")
        .param("Name", "abcde")
        .param("Code", "abc")
        .send(&emulator)
        .await
        .assert_ok();
    for (name, value) in [
        ("PageSize", "ten"),
        ("PageSize", "0"),
        ("PageSize", "101"),
        ("Name", "abcdef"),
        ("Code", "ABC"),
    ] {
        let message = Call::new("DescribeThings")
            .param(name, value)
            .send(&emulator)
            .await
            .assert_error(400, "InvalidParameter");
        assert!(message.contains(name), "{name}={value}: {message}");
    }

    // The operation's spec lists POST only.
    let mut get = Call::new("DescribeThings");
    get.method = HttpMethod::Get;
    get.send(&emulator)
        .await
        .assert_error(405, "UnsupportedHTTPMethod");

    // Every violation is named, not only the first.
    let message = Call::new("DescribeThings")
        .param("PageSize", "0")
        .param("Name", "abcdef")
        .send(&emulator)
        .await
        .assert_error(400, "InvalidParameter");
    assert!(
        message.contains("PageSize") && message.contains("Name"),
        "{message}"
    );
}
