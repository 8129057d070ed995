//! How error answers and undecodable answers reach the caller: documented codes, gateway
//! codes, unknown codes, XML bodies, decode failures, and one-line messages.

mod harness;

use dds_api::error::DecodeErrorKind;
use dds_api::{Error, GatewayCode, RetryPolicy};
use harness::*;

/// Calls DescribeThing once (no retries) against a server giving `reply`.
async fn describe_with(reply: Reply) -> Error<ThingError> {
    let server = Server::start(vec![reply]).await;
    let client = server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .expect_err("the server answers with an error")
}

#[tokio::test]
async fn a_documented_code_becomes_the_operations_own_variant() {
    let error = describe_with(Reply::error(
        404,
        "InvalidDBInstanceId.NotFound",
        "Specified instance does not exist.",
        "req-404",
    ))
    .await;

    let Error::Service(ThingError::InstanceNotFound(service)) = &error else {
        panic!("expected InstanceNotFound, got {error:?}");
    };
    assert_eq!(service.status, 404);
    assert_eq!(service.message, "Specified instance does not exist.");
    assert_eq!(service.host_id.as_deref(), Some("mongodb.aliyuncs.com"));
    assert!(
        service
            .recommend
            .as_deref()
            .unwrap()
            .contains("requestId=req-404")
    );
    assert_eq!(error.code(), Some("InvalidDBInstanceId.NotFound"));
    assert_eq!(error.request_id(), Some("req-404"));
    assert_eq!(error.status(), Some(404));
}

#[tokio::test]
async fn a_gateway_code_becomes_a_gateway_error() {
    let error = describe_with(Reply::error(
        404,
        "InvalidAccessKeyId.NotFound",
        "Specified access key is not found.",
        "req-ak",
    ))
    .await;

    let Error::Gateway(gateway) = &error else {
        panic!("expected a gateway error, got {error:?}");
    };
    assert_eq!(gateway.kind, GatewayCode::InvalidAccessKeyIdNotFound);
    assert_eq!(error.code(), Some("InvalidAccessKeyId.NotFound"));
    assert_eq!(error.request_id(), Some("req-ak"));
}

#[tokio::test]
async fn gateway_code_families_are_recognised() {
    for (code, kind) in [
        ("MissingDBInstanceId", GatewayCode::MissingParameter),
        ("MissingParameter", GatewayCode::MissingParameter),
        ("InvalidParameter.Format", GatewayCode::InvalidParameter),
        (
            "InvalidTimeStamp.Expired",
            GatewayCode::InvalidTimeStampExpired,
        ),
        ("SignatureNonceUsed", GatewayCode::SignatureNonceUsed),
        ("InvalidAction.NotFound", GatewayCode::InvalidActionNotFound),
        ("InvalidVersion", GatewayCode::InvalidVersion),
        ("IncompleteSignature", GatewayCode::IncompleteSignature),
        (
            "InvalidSignatureMethod",
            GatewayCode::InvalidSignatureMethod,
        ),
    ] {
        let error = describe_with(Reply::error(400, code, "m", "req")).await;
        assert_eq!(
            error.as_gateway().map(|g| g.kind),
            Some(kind),
            "{code}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_documented_code_wins_over_the_same_gateway_code() {
    // The fake operations document `InvalidParameter`, which is also a gateway code.
    let error = describe_with(Reply::error(
        400,
        "InvalidParameter",
        "Specified parameters is not valid.",
        "req-ip",
    ))
    .await;

    assert!(
        matches!(error, Error::Service(ThingError::InvalidParameter(_))),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_unknown_code_is_kept_whole_as_unhandled() {
    let error = describe_with(Reply::error(
        403,
        "Forbidden.RAM",
        "User not authorized to operate on the specified resource.",
        "req-ram",
    ))
    .await;

    let Error::Service(ThingError::Unhandled(service)) = &error else {
        panic!("expected Unhandled, got {error:?}");
    };
    assert_eq!(service.code, "Forbidden.RAM");
    assert_eq!(service.status, 403);
    assert_eq!(service.request_id.as_deref(), Some("req-ram"));
}

#[tokio::test]
async fn an_xml_error_body_is_read_like_a_json_one() {
    let body = "<?xml version='1.0' encoding='UTF-8'?>\n<Error>\n  \
                <RequestId>req-xml</RequestId>\n  <HostId>mongodb.aliyuncs.com</HostId>\n  \
                <Code>InvalidDBInstanceId.NotFound</Code>\n  \
                <Message>Specified instance &quot;dds-bp1&quot; does not exist.</Message>\n  \
                <Recommend><![CDATA[https://api.aliyun.com/troubleshoot?q=x&product=Dds]]></Recommend>\n\
                </Error>";
    let error = describe_with(Reply::new(404, body).header("content-type", "text/xml")).await;

    let Error::Service(ThingError::InstanceNotFound(service)) = &error else {
        panic!("expected InstanceNotFound, got {error:?}");
    };
    assert_eq!(
        service.message,
        "Specified instance \"dds-bp1\" does not exist."
    );
    assert_eq!(service.request_id.as_deref(), Some("req-xml"));
    assert_eq!(service.host_id.as_deref(), Some("mongodb.aliyuncs.com"));
    assert_eq!(
        service.recommend.as_deref(),
        Some("https://api.aliyun.com/troubleshoot?q=x&product=Dds")
    );
}

#[tokio::test]
async fn the_request_id_header_fills_in_when_the_body_has_none() {
    let error = describe_with(
        Reply::new(400, r#"{"Code":"Forbidden","Message":"no"}"#)
            .header("x-acs-request-id", "req-from-header"),
    )
    .await;

    assert_eq!(error.request_id(), Some("req-from-header"));
}

#[tokio::test]
async fn an_echoed_string_to_sign_is_kept_with_the_access_key_id_redacted() {
    let message = format!(
        "Specified signature is not matched with our calculation. server string to sign \
         is:POST&%2F&AccessKeyId%3D{ACCESS_KEY_ID}%26Action%3DDescribeThing%26Format%3DJSON"
    );
    let error = describe_with(Reply::error(
        400,
        "SignatureDoesNotMatch",
        &message,
        "req-sig",
    ))
    .await;

    let service = error.service_error().unwrap();
    assert_eq!(
        error.as_gateway().map(|g| g.kind),
        Some(GatewayCode::SignatureDoesNotMatch)
    );
    assert!(
        service.message.ends_with(
            "is:POST&%2F&AccessKeyId%3D<redacted>%26Action%3DDescribeThing%26Format%3DJSON"
        ),
        "{}",
        service.message
    );
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(ACCESS_KEY_ID), "{shown}");
    }
}

#[tokio::test]
async fn every_error_displays_as_one_line_with_status_code_message_and_request_id() {
    let errors = [
        describe_with(Reply::error(
            404,
            "InvalidDBInstanceId.NotFound",
            "Specified instance does not exist.",
            "req-1",
        ))
        .await,
        describe_with(Reply::error(
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched. server string to sign is:ACS3-HMAC-SHA256\nabc",
            "req-2",
        ))
        .await,
        describe_with(Reply::error(
            403,
            "Forbidden.RAM",
            "Not authorized.",
            "req-3",
        ))
        .await,
    ];
    for error in &errors {
        let line = error.to_string();
        let service = error.service_error().unwrap();
        assert!(!line.contains('\n'), "{line:?}");
        assert!(line.contains(&format!("HTTP {}", service.status)), "{line}");
        assert!(line.contains(&service.code), "{line}");
        assert!(
            line.contains(service.request_id.as_deref().unwrap()),
            "{line}"
        );
        assert!(
            line.contains(service.message.lines().next().unwrap()),
            "{line}"
        );
    }
    assert!(errors[1].to_string().contains("check the AccessKey secret"));
}

#[tokio::test]
async fn an_empty_success_body_is_a_decode_error() {
    let error = describe_with(Reply::new(200, "").header("x-acs-request-id", "req-empty")).await;

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.kind(), &DecodeErrorKind::Empty);
    assert_eq!(decode.status(), 200);
    assert_eq!(error.request_id(), Some("req-empty"));
    assert!(error.to_string().contains("HTTP 200"), "{error}");
    assert!(error.to_string().contains("req-empty"), "{error}");
}

#[tokio::test]
async fn a_non_json_success_body_is_a_decode_error_with_an_excerpt() {
    let error = describe_with(Reply::new(
        200,
        "<html><body>Gateway says hello</body></html>",
    ))
    .await;

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(
        matches!(decode.kind(), DecodeErrorKind::NotJson { .. }),
        "{decode:?}"
    );
    assert!(
        decode.excerpt().starts_with("<html><body>Gateway"),
        "{decode:?}"
    );
    assert!(error.to_string().contains("<html><body>Gateway"), "{error}");
}

#[tokio::test]
async fn an_array_success_body_is_a_decode_error() {
    let error = describe_with(Reply::new(200, r#"[{"RequestId":"x"}]"#)).await;

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(
        decode.kind(),
        &DecodeErrorKind::NotAnObject { found: "array" }
    );
}

#[tokio::test]
async fn a_body_cut_short_is_a_decode_error() {
    let error = describe_with(Reply::new(200, r#"{"RequestId":"req-cut","Sta"#)).await;

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.kind(), &DecodeErrorKind::Truncated);
    assert!(decode.excerpt().contains("req-cut"));
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_decode_error() {
    let error = describe_with(Reply::new(200, r#"{"Status":"Running"}"#)).await;

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(
        matches!(decode.kind(), DecodeErrorKind::Shape { detail } if detail.contains("RequestId")),
        "{decode:?}"
    );
}

#[tokio::test]
async fn an_error_status_without_an_error_body_keeps_the_status() {
    let error = describe_with(
        Reply::new(502, "<html>Bad Gateway</html>").header("x-acs-request-id", "req-502"),
    )
    .await;

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.status(), 502);
    assert_eq!(decode.kind(), &DecodeErrorKind::NoErrorCode);
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.request_id(), Some("req-502"));
}

#[tokio::test]
async fn an_empty_error_body_keeps_the_status() {
    let error = describe_with(Reply::new(403, "")).await;

    assert!(
        matches!(&error, Error::Decode(d) if d.kind() == &DecodeErrorKind::Empty && d.status() == 403)
    );
    assert!(error.to_string().contains("HTTP 403"), "{error}");
}

#[tokio::test]
async fn a_connection_refused_is_a_transport_error_naming_the_host_but_no_query() {
    let url = refused_url().await;
    let client = dds_api::Client::builder()
        .endpoint(&url)
        .credentials(credentials())
        .signature_version(dds_api::signing::SignatureVersion::V1)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    let error = client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(!transport.may_have_been_sent());
    let line = error.to_string();
    assert!(line.contains(&url), "{line}");
    assert!(!line.contains("Signature"), "{line}");
    assert!(!line.contains(ACCESS_KEY_ID), "{line}");
    assert!(!format!("{error:?}").contains(ACCESS_KEY_ID));
    assert!(error.is_transport() && !error.is_timeout());
}
