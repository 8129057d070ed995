//! Secrets (AccessKey secrets, security tokens, signatures) never appear in `Debug`,
//! `Display`, error messages or logs, including TRACE-level logs while signing, verifying
//! and while credential providers fail.

use std::io::Write;
use std::sync::{Arc, Mutex};

use dds_api::credentials::{
    CliProfileProvider, Credentials, DefaultChain, EnvironmentProvider, IniFileProvider,
    ProvideCredentials, Secret, StaticEnv,
};
use dds_api::signing::{self, HttpMethod, SignatureVersion, SigningRequest, v1, v3};
use time::macros::datetime;

const SECRET: &str = "S3cr3t-Value-7f9a";
const TOKEN: &str = "T0ken-Value-c41e";

/// Runs `body` with a TRACE-level subscriber and returns everything it logged.
fn logs_of(body: impl FnOnce()) -> String {
    #[derive(Clone)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let buffer = Buffer(Arc::new(Mutex::new(Vec::new())));
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, body);
    let bytes = buffer.0.lock().unwrap().clone();
    String::from_utf8(bytes).unwrap()
}

fn assert_clean(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked into:\n{text}");
    }
}

fn sts() -> Credentials {
    Credentials::new("LTAI-visible-id", SECRET).with_security_token(TOKEN)
}

fn sign(version: SignatureVersion) -> signing::SignedRequest<'static> {
    let params = vec![("DBInstanceId".to_owned(), "dds-1".to_owned())];
    let request = SigningRequest {
        method: HttpMethod::Post,
        host: "mongodb.aliyuncs.com",
        path: "/",
        action: "DescribeDBInstanceSSL",
        version: "2015-12-01",
        params: &params,
        body: b"",
    };
    signing::sign(
        &request,
        &sts(),
        version,
        datetime!(2026-12-03 13:00:00 UTC),
        "0123456789abcdef0123456789abcdef",
    )
    .into_owned()
}

fn signature_of(signed: &signing::SignedRequest) -> String {
    signed
        .query_pairs()
        .into_iter()
        .chain(signed.header_pairs())
        .find(|(name, _)| name == "Signature" || name == "authorization")
        .map(|(name, value)| {
            if name == "authorization" {
                v3::Authorization::parse(&value)
                    .unwrap()
                    .signature()
                    .to_owned()
            } else {
                value
            }
        })
        .expect("a signature")
}

#[test]
fn secrets_print_as_stars() {
    let secret = Secret::new(SECRET);
    assert_eq!(format!("{secret}"), "***");
    assert_eq!(format!("{secret:?}"), "***");
    let debug = format!("{:?} {:#?}", sts(), sts());
    assert_clean(&debug, &[SECRET, TOKEN]);
    assert!(
        debug.contains("LTAI-visible-id"),
        "the key id is not secret: {debug}"
    );
}

#[test]
fn signed_requests_hide_signature_and_token_in_debug() {
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let signed = sign(version);
        let signature = signature_of(&signed);
        let debug = format!("{signed:?} {signed:#?}");
        assert_clean(&debug, &[SECRET, TOKEN, &signature]);
        assert!(debug.contains("DBInstanceId"), "{debug}");
    }
}

#[test]
fn signing_at_trace_level_logs_no_secret() {
    let mut signatures = Vec::new();
    let logs = logs_of(|| {
        for version in [SignatureVersion::V1, SignatureVersion::V3] {
            signatures.push(signature_of(&sign(version)));
        }
    });
    assert!(
        logs.contains("signed request"),
        "signing logs at trace level: {logs}"
    );
    let signatures: Vec<&str> = signatures.iter().map(String::as_str).collect();
    assert_clean(&logs, &[SECRET, TOKEN]);
    assert_clean(&logs, &signatures);
}

#[test]
fn verification_errors_carry_no_secret_in_debug_or_display() {
    let signed = sign(SignatureVersion::V1);
    let signature = signature_of(&signed);
    let error = v1::verify("GET", signed.query_pairs(), SECRET).unwrap_err();
    let text = format!("{error} {error:?}");
    assert_clean(&text, &[SECRET, TOKEN, &signature]);

    let signed = sign(SignatureVersion::V3);
    let signature = signature_of(&signed);
    let header = signed.header("authorization").unwrap();
    let authorization = v3::Authorization::parse(header).unwrap();
    let (query, headers) = (signed.query_pairs(), signed.header_pairs());
    assert_clean(&format!("{authorization:?}"), &[&signature]);
    let received = v3::ReceivedRequest {
        method: "GET",
        path: "/",
        query: &query,
        headers: &headers,
        payload_sha256: &signing::sha256_hex(b""),
    };
    assert_clean(&format!("{received:?}"), &[TOKEN, &signature]);
    let error = v3::verify(&received, &authorization, SECRET).unwrap_err();
    assert_clean(&format!("{error} {error:?}"), &[SECRET, TOKEN, &signature]);
}

#[test]
fn failing_providers_at_trace_level_log_and_report_no_secret() {
    let home = tempfile::tempdir().unwrap();
    // Files that hold secrets but fail: an unsupported mode, a broken JSON file right after
    // a secret, an INI section with an invalid line next to a secret.
    let cli = home.path().join(".aliyun/config.json");
    std::fs::create_dir_all(cli.parent().unwrap()).unwrap();
    std::fs::write(
        &cli,
        format!(
            r#"{{"current":"r","profiles":[{{"name":"r","mode":"RamRoleArn","access_key_id":"x","access_key_secret":"{SECRET}","sts_token":"{TOKEN}"}}]}}"#
        ),
    )
    .unwrap();
    let ini = home.path().join(".alibabacloud/credentials");
    std::fs::create_dir_all(ini.parent().unwrap()).unwrap();
    std::fs::write(
        &ini,
        format!("[default]\ntype = access_key\naccess_key_secret {SECRET}\n"),
    )
    .unwrap();
    let env = Arc::new(
        StaticEnv::new()
            .with_home(home.path())
            .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
            .with_var("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN),
    );

    let mut messages = Vec::new();
    let logs = logs_of(|| {
        let chain = DefaultChain::with_env(env.clone());
        let error = chain.provide().unwrap_err();
        messages.push(format!("{error} {error:?} {chain:?}"));
        for provider in [
            Box::new(EnvironmentProvider::with_env(env.clone())) as Box<dyn ProvideCredentials>,
            Box::new(CliProfileProvider::with_env(env.clone())),
            Box::new(IniFileProvider::with_env(env.clone())),
        ] {
            let error = provider.provide().unwrap_err();
            messages.push(format!("{error} {error:?} {provider:?}"));
        }

        std::fs::write(
            &cli,
            format!(r#"{{"profiles":[{{"access_key_secret":"{SECRET}" "#),
        )
        .unwrap();
        let error = CliProfileProvider::with_env(env.clone())
            .provide()
            .unwrap_err();
        messages.push(format!("{error} {error:?}"));
    });

    assert!(
        logs.contains("no credentials from source"),
        "chain failures are logged: {logs}"
    );
    assert_clean(&logs, &[SECRET, TOKEN]);
    for message in &messages {
        assert_clean(message, &[SECRET, TOKEN]);
    }
}
