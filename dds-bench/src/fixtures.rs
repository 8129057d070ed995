//! The inputs of the benchmarks: one request, one set of credentials, one instant and nonce,
//! one answer. Fixed values, so that every run signs exactly the same bytes.

use dds_api::credentials::Credentials;
use dds_api::operation::Request;
use dds_api::operations::ModifyDbInstanceSsl;
use dds_api::operations::modify_db_instance_ssl::{SslAction, SwitchMode};
use dds_api::signing::{self, HttpMethod, SigningRequest, v3};
use time::OffsetDateTime;

/// The instance the benchmark request names (an id of the real service's shape).
pub const INSTANCE_ID: &str = "dds-bp1a2b3c4d5e6f7g8";
/// The AccessKeyId the benchmarks sign with.
pub const ACCESS_KEY_ID: &str = "LTAI5tBenchmarkKeyId0001";
/// Its secret. It protects nothing; it has the length of a real one.
pub const ACCESS_KEY_SECRET: &str = "BenchmarkSecretOfThirtyCharsXY";
/// The endpoint host the V3 signature covers.
pub const HOST: &str = "mongodb.aliyuncs.com";
/// The nonce of every signature the micro-benchmarks compute.
pub const NONCE: &str = "3f6c1e0a9b8d4c2e7f5a1b0c9d8e7f6a";
/// The instant of every signature the micro-benchmarks compute.
pub const TIMESTAMP: &str = "2026-12-03T14:00:00Z";

/// The ModifyDBInstanceSSL request the micro-benchmarks build: every parameter set.
pub fn modify_db_instance_ssl() -> Result<ModifyDbInstanceSsl, dds_api::ValidationErrors> {
    ModifyDbInstanceSsl::builder()
        .db_instance_id(INSTANCE_ID)
        .ssl_action(SslAction::Update)
        .switch_mode(SwitchMode::MaintenanceWindow)
        .build()
}

/// The benchmark credentials.
pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
}

/// [`TIMESTAMP`] as an instant.
pub fn timestamp() -> OffsetDateTime {
    signing::parse_timestamp(TIMESTAMP).expect("TIMESTAMP is in the gateway's format")
}

/// What the transport hands the signer for `params`, as the SDK fills it for
/// ModifyDBInstanceSSL.
pub fn signing_request(params: &[(String, String)]) -> SigningRequest<'_> {
    let meta = ModifyDbInstanceSsl::META;
    SigningRequest {
        method: meta.method(),
        host: HOST,
        path: "/",
        action: meta.action,
        version: dds_api::operations::VERSION,
        params,
        body: &[],
    }
}

/// The V1 string to sign of the benchmark request, with every parameter the signer adds:
/// the input of the V1 floor.
pub fn v1_string_to_sign(params: &[(String, String)]) -> String {
    let request = signing_request(params);
    let timestamp = signing::format_timestamp(timestamp());
    let mut all: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.extend([
        ("Action", request.action),
        ("Version", request.version),
        ("Format", "JSON"),
        ("AccessKeyId", ACCESS_KEY_ID),
        ("SignatureMethod", signing::v1::SIGNATURE_METHOD),
        ("SignatureVersion", signing::v1::SIGNATURE_VERSION),
        ("SignatureNonce", NONCE),
        ("Timestamp", &timestamp),
    ]);
    signing::v1::string_to_sign(request.method.as_str(), all)
}

/// The V3 canonical request of the benchmark request, with the headers the signer signs:
/// the input of the V3 floor.
pub fn v3_canonical_request(params: &[(String, String)]) -> String {
    let request = signing_request(params);
    let timestamp = signing::format_timestamp(timestamp());
    let payload = signing::sha256_hex(request.body);
    let headers = [
        ("host", request.host),
        ("x-acs-action", request.action),
        ("x-acs-content-sha256", &payload),
        ("x-acs-date", &timestamp),
        ("x-acs-signature-nonce", NONCE),
        ("x-acs-version", request.version),
    ];
    let names: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
    let canonical_headers =
        v3::canonical_headers(&headers, &names).expect("every named header is present");
    v3::canonical_request(
        HttpMethod::Post.as_str(),
        request.path,
        &v3::canonical_query(params),
        &canonical_headers,
        &names.join(";"),
        &payload,
    )
}

/// The body of a successful DescribeDBInstanceAttribute answer: the response example of the
/// operation's spec (a sharded 4.4 instance with mongos, shard and config server lists).
pub fn describe_db_instance_attribute_body() -> Vec<u8> {
    const SPEC: &str = include_str!("../../specs/dds/2015-12-01/DescribeDBInstanceAttribute.json");
    let spec: serde_json::Value = serde_json::from_str(SPEC).expect("the spec is JSON");
    let example = spec
        .get("responseExample")
        .expect("the DescribeDBInstanceAttribute spec has a response example");
    serde_json::to_vec(example).expect("a JSON value serializes")
}
