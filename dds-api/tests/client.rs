//! The client on the wire: what it sends (method, query, body, headers, signature fields,
//! user agent, STS token), validation before sending, the dynamic call and the dry run, and
//! the builder's checks.

mod harness;

use dds_api::credentials::{Credentials, CredentialsError, ProvideCredentials};
use dds_api::endpoint::{EndpointError, Scheme};
use dds_api::signing::SignatureVersion;
use dds_api::{Client, ConfigError, Error};
use harness::*;

#[tokio::test]
async fn a_successful_answer_is_decoded_into_the_response() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server.client_builder().build().unwrap();

    let response = client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    assert_eq!(response.request_id, "req-1");
    assert_eq!(response.status.as_deref(), Some("Running"));
}

#[tokio::test]
async fn post_carries_every_parameter_in_the_query_and_an_empty_body() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server.client_builder().build().unwrap();
    let mut request = ModifyThing::new("dds-bp1 with space*");
    request.engine = Some("MongoDB".to_owned());

    client.call(request).await.unwrap();

    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert!(r.body.is_empty(), "body: {:?}", r.body);
    assert_eq!(r.header("content-length"), Some("0"));
    assert_eq!(r.param("DBInstanceId"), Some("dds-bp1 with space*"));
    assert_eq!(r.param("Engine"), Some("MongoDB"));
    // RFC 3986 encoding on the wire, as signed: a space is %20 and `*` is %2A.
    assert!(
        r.raw_query
            .contains("DBInstanceId=dds-bp1%20with%20space%2A"),
        "{}",
        r.raw_query
    );
}

#[tokio::test]
async fn an_operation_whose_first_method_is_get_is_sent_with_get() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server.client_builder().build().unwrap();

    client.call(ListThings::new("dds-bp1")).await.unwrap();

    let r = &server.received()[0];
    assert_eq!(r.method, "GET");
    assert_eq!(r.param("DBInstanceId"), Some("dds-bp1"));
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn v3_is_the_default_and_sends_the_acs3_headers() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server.client_builder().build().unwrap();
    assert_eq!(client.signature_version(), SignatureVersion::V3);

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    let r = &server.received()[0];
    assert_eq!(r.header("x-acs-action"), Some("DescribeThing"));
    assert_eq!(r.header("x-acs-version"), Some("2015-12-01"));
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(r.header("host"), Some(server.addr.to_string().as_str()));
    assert_eq!(r.header("x-acs-signature-nonce").map(str::len), Some(32));
    let authorization = r.header("authorization").unwrap();
    assert!(
        authorization.starts_with(&format!("ACS3-HMAC-SHA256 Credential={ACCESS_KEY_ID},")),
        "{authorization}"
    );
    assert_eq!(
        r.param("Action"),
        None,
        "V3 names the action in a header only"
    );
    assert_eq!(r.header("x-acs-security-token"), None);
}

#[tokio::test]
async fn v1_puts_the_signature_fields_and_format_json_in_the_query() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server
        .client_builder()
        .signature_version(SignatureVersion::V1)
        .build()
        .unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    let r = &server.received()[0];
    assert_eq!(r.param("Action"), Some("DescribeThing"));
    assert_eq!(r.param("Version"), Some("2015-12-01"));
    assert_eq!(r.param("Format"), Some("JSON"));
    assert_eq!(r.param("AccessKeyId"), Some(ACCESS_KEY_ID));
    assert_eq!(r.param("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(r.param("SignatureVersion"), Some("1.0"));
    assert!(r.param("Signature").is_some_and(|s| !s.is_empty()));
    assert!(r.param("SecurityToken").is_none());
    assert_eq!(r.header("authorization"), None);
}

#[tokio::test]
async fn the_sts_token_travels_as_the_security_token_parameter_in_v1() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server
        .client_builder()
        .credentials(sts_credentials())
        .signature_version(SignatureVersion::V1)
        .build()
        .unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    let r = &server.received()[0];
    assert_eq!(r.param("SecurityToken"), Some(SECURITY_TOKEN));
    assert_eq!(r.header("x-acs-security-token"), None);
}

#[tokio::test]
async fn the_sts_token_travels_in_the_x_acs_security_token_header_in_v3() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server
        .client_builder()
        .credentials(sts_credentials())
        .build()
        .unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    let r = &server.received()[0];
    assert_eq!(r.header("x-acs-security-token"), Some(SECURITY_TOKEN));
    assert!(r.param("SecurityToken").is_none());
    let authorization = r.header("authorization").unwrap();
    assert!(
        authorization.contains("x-acs-security-token"),
        "the token header is signed: {authorization}"
    );
}

#[tokio::test]
async fn the_user_agent_names_the_crate_and_its_version() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server.client_builder().build().unwrap();

    client.call(DescribeThing::new("dds-bp1")).await.unwrap();

    let agent = server.received()[0]
        .header("user-agent")
        .unwrap()
        .to_owned();
    assert!(
        agent.starts_with(&format!("dds-api/{} ", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
}

#[tokio::test]
async fn an_invalid_request_is_refused_before_anything_is_sent() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server.client_builder().build().unwrap();
    let mut request = ModifyThing::new("");
    request.engine = Some("Redis".to_owned());

    let error = client.call(request).await.unwrap_err();

    let Error::Validation(violations) = &error else {
        panic!("expected a validation error, got {error:?}");
    };
    let names: Vec<_> = violations
        .violations()
        .iter()
        .map(|v| v.parameter.as_str())
        .collect();
    assert_eq!(names, ["DBInstanceId", "Engine"]);
    assert!(error.is_validation());
    assert!(error.to_string().contains("nothing was sent"), "{error}");
    assert!(server.received().is_empty());
}

/// A provider that never has credentials.
#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        Err(CredentialsError::EnvNotSet {
            name: "ALIBABA_CLOUD_ACCESS_KEY_ID",
        })
    }
}

#[tokio::test]
async fn a_call_without_credentials_fails_before_sending() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = Client::builder()
        .endpoint(server.url())
        .credentials_provider(NoCredentials)
        .build()
        .unwrap();

    let error = client
        .call(DescribeThing::new("dds-bp1"))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Credentials(_)), "{error:?}");
    assert!(
        error.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{error}"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn credentials_with_a_line_break_are_refused_before_sending_and_not_repeated() {
    // In V3 the AccessKeyId (in `authorization`) and the token travel in headers, which
    // cannot hold a line break: such a call must not be reported as a broken connection
    // that may have applied a write, nor be retried.
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let cases = [
        (
            credentials().with_security_token("CAISline\nInjected: 1"),
            "security token",
        ),
        (
            Credentials::new("LTAIline\r\nInjected", "secret"),
            "AccessKeyId",
        ),
    ];
    for (credentials, field) in cases {
        for version in [SignatureVersion::V3, SignatureVersion::V1] {
            let client = server
                .client_builder()
                .credentials(credentials.clone())
                .signature_version(version)
                .build()
                .unwrap();

            let error = client.call(ModifyThing::new("dds-bp1")).await.unwrap_err();

            assert!(
                matches!(
                    &error,
                    Error::Credentials(CredentialsError::ControlCharacter { field: f }) if *f == field
                ),
                "{version}: {error:?}"
            );
            let shown = format!("{error} {error:?}");
            assert!(shown.contains(field), "{shown}");
            assert!(!shown.contains("Injected"), "{shown}");
        }
    }
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn the_dynamic_call_sends_wire_parameters_and_answers_json() {
    let server = Server::start(vec![Reply::ok("req-9")]).await;
    let client = server.client_builder().build().unwrap();

    let answer = client
        .call_dynamic(
            &MODIFY_THING,
            vec![("DBInstanceId".to_owned(), "dds-bp1".to_owned())],
        )
        .await
        .unwrap();

    assert_eq!(answer["RequestId"], "req-9");
    let r = &server.received()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.header("x-acs-action"), Some("ModifyThing"));
    assert_eq!(r.param("DBInstanceId"), Some("dds-bp1"));
}

#[tokio::test]
async fn the_dynamic_call_checks_parameters_by_the_metadata_before_sending() {
    let server = Server::start(vec![Reply::ok("req-9")]).await;
    let client = server.client_builder().build().unwrap();

    let missing = client
        .call_dynamic(
            &MODIFY_THING,
            vec![("Engine".to_owned(), "MongoDB".to_owned())],
        )
        .await
        .unwrap_err();
    let twice = client
        .call_dynamic(
            &MODIFY_THING,
            vec![
                ("DBInstanceId".to_owned(), "a".to_owned()),
                ("DBInstanceId".to_owned(), "b".to_owned()),
            ],
        )
        .await
        .unwrap_err();

    assert!(
        missing.to_string().contains("DBInstanceId is required"),
        "{missing}"
    );
    assert!(
        twice
            .to_string()
            .contains("DBInstanceId is given more than once"),
        "{twice}"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn the_dynamic_call_answers_a_documented_code_as_a_bare_service_error() {
    let server = Server::start(vec![Reply::error(
        404,
        "InvalidDBInstanceId.NotFound",
        "Specified instance does not exist.",
        "req-4",
    )])
    .await;
    let client = server.client_builder().build().unwrap();

    let error = client
        .call_dynamic(
            &DESCRIBE_THING,
            vec![("DBInstanceId".to_owned(), "x".to_owned())],
        )
        .await
        .unwrap_err();

    let Error::Service(service) = &error else {
        panic!("expected a service error, got {error:?}");
    };
    assert_eq!(service.code, "InvalidDBInstanceId.NotFound");
    assert_eq!(service.request_id.as_deref(), Some("req-4"));
}

#[tokio::test]
async fn a_dry_run_shows_the_request_with_signature_key_id_and_token_redacted() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let client = server
            .client_builder()
            .credentials(sts_credentials())
            .signature_version(version)
            .build()
            .unwrap();

        let prepared = client
            .prepare(&DescribeThing::new("dds-bp1"))
            .await
            .unwrap();
        let shown = format!("{prepared}\n{prepared:?}");

        assert!(shown.contains("DescribeThing"), "{shown}");
        assert!(shown.contains("dds-bp1"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        for secret in [
            ACCESS_KEY_ID,
            ACCESS_KEY_SECRET,
            SECURITY_TOKEN,
            "CAIStsToken",
        ] {
            assert!(!shown.contains(secret), "{version}: {secret} in {shown}");
        }
        match version {
            SignatureVersion::V1 => {
                assert!(shown.contains("Signature=<redacted>"), "{shown}");
                assert!(shown.contains("SignatureNonce="), "{shown}");
            }
            SignatureVersion::V3 => {
                assert!(
                    shown.contains("authorization: ACS3-HMAC-SHA256 Credential=<redacted>,"),
                    "{shown}"
                );
                assert!(shown.contains("Signature=<redacted>"), "{shown}");
                assert!(
                    shown.contains("x-acs-security-token: <redacted>"),
                    "{shown}"
                );
            }
        }
    }
    assert!(server.received().is_empty(), "a dry run sends nothing");
}

#[tokio::test]
async fn a_dynamic_dry_run_validates_and_sends_nothing() {
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = server.client_builder().build().unwrap();

    let prepared = client
        .prepare_dynamic(
            &LIST_THINGS,
            vec![("DBInstanceId".to_owned(), "dds-bp1".to_owned())],
        )
        .await
        .unwrap();
    let invalid = client.prepare_dynamic(&LIST_THINGS, Vec::new()).await;

    assert!(
        prepared
            .to_string()
            .starts_with(&format!("GET {}/?", server.url()))
    );
    assert!(matches!(invalid, Err(Error::Validation(_))));
    assert!(server.received().is_empty());
}

#[test]
fn a_client_debug_shows_no_credentials() {
    let client = Client::builder()
        .region("cn-hangzhou")
        .credentials(sts_credentials())
        .build()
        .unwrap();
    let shown = format!("{client:?}");

    assert!(shown.contains("mongodb.aliyuncs.com"), "{shown}");
    for secret in [ACCESS_KEY_ID, ACCESS_KEY_SECRET, SECURITY_TOKEN] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[test]
fn clones_share_one_client() {
    let client = Client::builder()
        .endpoint("mongodb.aliyuncs.com")
        .build()
        .unwrap();
    let clone = client.clone();
    assert_eq!(format!("{client:?}"), format!("{clone:?}"));
}

#[test]
fn an_endpoint_without_a_scheme_means_https() {
    let client = Client::builder()
        .endpoint("mongodb.aliyuncs.com")
        .build()
        .unwrap();
    assert_eq!(client.endpoint().scheme(), Scheme::Https);
    assert_eq!(
        client.endpoint().to_string(),
        "https://mongodb.aliyuncs.com"
    );
}

#[test]
fn the_builder_refuses_incomplete_or_invalid_settings() {
    assert_eq!(
        Client::builder().build().unwrap_err(),
        ConfigError::Endpoint(EndpointError::NothingGiven)
    );
    assert!(matches!(
        Client::builder()
            .endpoint("https://h/path")
            .build()
            .unwrap_err(),
        ConfigError::Endpoint(EndpointError::Invalid { .. })
    ));
    assert!(matches!(
        Client::builder()
            .region("xx-nowhere-9")
            .build()
            .unwrap_err(),
        ConfigError::Endpoint(EndpointError::UnknownRegion { .. })
    ));
    assert_eq!(
        Client::builder()
            .endpoint("h")
            .attempt_timeout(std::time::Duration::ZERO)
            .build()
            .unwrap_err(),
        ConfigError::ZeroTimeout {
            setting: "attempt_timeout"
        }
    );
}

#[tokio::test]
async fn an_https_endpoint_goes_through_tls_and_a_failed_handshake_is_a_transport_error() {
    // The server speaks plain HTTP; the client's TLS handshake (rustls with the ring provider)
    // fails before any request is written.
    let server = Server::start(vec![Reply::ok("req-1")]).await;
    let client = Client::builder()
        .endpoint(format!("https://{}", server.addr))
        .credentials(credentials())
        .retry_policy(dds_api::RetryPolicy::disabled())
        .build()
        .unwrap();

    let error = client.call(ModifyThing::new("dds-bp1")).await.unwrap_err();

    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(!transport.may_have_been_sent());
    assert!(
        error
            .to_string()
            .starts_with(&format!("could not connect to https://{}: ", server.addr)),
        "{error}"
    );
    assert!(server.received().is_empty());
}

#[test]
fn calls_are_send_so_they_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::builder()
        .endpoint("mongodb.aliyuncs.com")
        .credentials(credentials())
        .build()
        .unwrap();

    let call = client.call(DescribeThing::new("dds-bp1"));
    let dynamic = client.call_dynamic(&DESCRIBE_THING, Vec::new());
    let prepare = client.prepare_dynamic(&DESCRIBE_THING, Vec::new());

    assert_send(&call);
    assert_send(&dynamic);
    assert_send(&prepare);
    fn assert_sync_clone<T: Send + Sync + Clone>(_: &T) {}
    assert_sync_clone(&client);
}
