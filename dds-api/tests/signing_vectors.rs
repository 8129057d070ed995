//! Alibaba Cloud's published worked examples for signatures V1 and V3, kept as data files in
//! `tests/data/signing/` (one file per case: every input and every expected output). Each
//! case is checked step by step, through the verifier, and through the SDK's `sign` entry.

use std::fs;
use std::path::PathBuf;

use dds_api::credentials::Credentials;
use dds_api::signing::{
    self, HttpMethod, SignatureVersion, SigningRequest, parse_timestamp, sha256_hex, v1, v3,
};
use serde_json::Value;

fn cases(version: &str) -> Vec<(PathBuf, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/signing");
    let mut cases = Vec::new();
    for entry in fs::read_dir(&dir).expect("tests/data/signing exists") {
        let path = entry.expect("readable directory entry").path();
        if path.extension().is_some_and(|ext| ext == "json") {
            let text = fs::read_to_string(&path).expect("readable vector file");
            let case: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()));
            if case["version"] == version {
                cases.push((path, case));
            }
        }
    }
    assert!(
        !cases.is_empty(),
        "no {version} vectors in {}",
        dir.display()
    );
    cases
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector field `{key}` must be a string"))
}

fn pairs(value: &Value) -> Vec<(String, String)> {
    value
        .as_object()
        .expect("a JSON object of strings")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("string value").to_owned()))
        .collect()
}

fn method(text: &str) -> HttpMethod {
    match text {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        other => panic!("unexpected method {other}"),
    }
}

/// Runs the SDK's `sign` with the case's `sign` block (cases signed with headers this SDK
/// does not sign have none).
fn sign_case(case: &Value, version: SignatureVersion) -> signing::SignedRequest<'static> {
    let input = &case["sign"];
    let params = pairs(&input["params"]);
    let request = SigningRequest {
        method: method(str_of(case, "method")),
        host: str_of(input, "host"),
        path: str_of(input, "path"),
        action: str_of(input, "action"),
        version: str_of(input, "version"),
        params: &params,
        body: b"",
    };
    let mut credentials = Credentials::new(
        str_of(input, "access_key_id"),
        str_of(case, "access_key_secret"),
    );
    if let Some(token) = input["security_token"].as_str() {
        credentials = credentials.with_security_token(token);
    }
    let timestamp = parse_timestamp(str_of(input, "timestamp")).expect("vector timestamp parses");
    signing::sign(
        &request,
        &credentials,
        version,
        timestamp,
        str_of(input, "nonce"),
    )
    .into_owned()
}

#[test]
fn v1_vectors_give_the_published_string_to_sign_and_signature() {
    for (path, case) in cases("V1") {
        let params = pairs(&case["params"]);
        let expected = &case["expected"];

        let string_to_sign = v1::string_to_sign(str_of(&case, "method"), &params);
        assert_eq!(
            string_to_sign,
            str_of(expected, "string_to_sign"),
            "{}",
            path.display()
        );

        let signature = v1::signature(str_of(&case, "access_key_secret"), &string_to_sign);
        assert_eq!(
            signature,
            str_of(expected, "signature"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn v1_vectors_pass_verification_with_their_signature() {
    for (path, case) in cases("V1") {
        let mut params = pairs(&case["params"]);
        params.push((
            "Signature".into(),
            str_of(&case["expected"], "signature").into(),
        ));
        let result = v1::verify(
            str_of(&case, "method"),
            &params,
            str_of(&case, "access_key_secret"),
        );
        assert_eq!(result, Ok(()), "{}", path.display());
    }
}

#[test]
fn v1_vectors_are_reproduced_by_the_sdk_signer() {
    let with_sign_block = cases("V1")
        .into_iter()
        .filter(|(_, case)| case.get("sign").is_some());
    for (path, case) in with_sign_block {
        let signed = sign_case(&case, SignatureVersion::V1);

        let mut sent = signed.query_pairs();
        let mut published = pairs(&case["params"]);
        published.push((
            "Signature".into(),
            str_of(&case["expected"], "signature").into(),
        ));
        sent.sort();
        published.sort();
        assert_eq!(sent, published, "{}", path.display());
    }
}

#[test]
fn v3_vectors_give_the_published_hashes_and_signature() {
    for (path, case) in cases("V3") {
        let expected = &case["expected"];
        let query = pairs(&case["query"]);
        let headers = pairs(&case["headers"]);
        let signed: Vec<&str> = str_of(&case, "signed_headers").split(';').collect();

        let payload = sha256_hex(str_of(&case, "body").as_bytes());
        assert_eq!(
            payload,
            str_of(expected, "payload_sha256"),
            "{}",
            path.display()
        );

        let canonical_headers = v3::canonical_headers(&headers, &signed).expect("headers present");
        let canonical_request = v3::canonical_request(
            str_of(&case, "method"),
            str_of(&case, "path"),
            &v3::canonical_query(&query),
            &canonical_headers,
            str_of(&case, "signed_headers"),
            &payload,
        );
        assert_eq!(
            canonical_request,
            str_of(expected, "canonical_request"),
            "{}",
            path.display()
        );
        assert_eq!(
            sha256_hex(canonical_request.as_bytes()),
            str_of(expected, "canonical_request_sha256"),
            "{}: canonical request was\n{canonical_request}",
            path.display()
        );

        let string_to_sign = v3::string_to_sign(&canonical_request);
        assert_eq!(
            string_to_sign,
            str_of(expected, "string_to_sign"),
            "{}",
            path.display()
        );

        let signature = v3::signature(str_of(&case, "access_key_secret"), &string_to_sign);
        assert_eq!(
            signature,
            str_of(expected, "signature"),
            "{}",
            path.display()
        );

        let authorization = v3::authorization_header(
            str_of(&case, "access_key_id"),
            str_of(&case, "signed_headers"),
            &signature,
        );
        assert_eq!(
            authorization,
            str_of(expected, "authorization"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn v3_vectors_pass_verification_with_their_authorization_header() {
    for (path, case) in cases("V3") {
        let query = pairs(&case["query"]);
        let headers = pairs(&case["headers"]);
        let payload = sha256_hex(str_of(&case, "body").as_bytes());
        let authorization = v3::Authorization::parse(str_of(&case["expected"], "authorization"))
            .expect("published Authorization parses");
        assert_eq!(
            authorization.access_key_id(),
            str_of(&case, "access_key_id")
        );

        let received = v3::ReceivedRequest {
            method: str_of(&case, "method"),
            path: str_of(&case, "path"),
            query: &query,
            headers: &headers,
            payload_sha256: &payload,
        };
        let result = v3::verify(
            &received,
            &authorization,
            str_of(&case, "access_key_secret"),
        );
        assert_eq!(result, Ok(()), "{}", path.display());
    }
}

#[test]
fn v3_vectors_are_reproduced_by_the_sdk_signer() {
    let with_sign_block = cases("V3")
        .into_iter()
        .filter(|(_, case)| case.get("sign").is_some());
    for (path, case) in with_sign_block {
        let signed = sign_case(&case, SignatureVersion::V3);

        assert_eq!(
            signed.query_pairs().len(),
            pairs(&case["query"]).len(),
            "{}",
            path.display()
        );
        let header = |name: &str| {
            signed
                .header(name)
                .unwrap_or_else(|| panic!("{}: no {name} header", path.display()))
        };
        assert_eq!(
            header("authorization"),
            str_of(&case["expected"], "authorization"),
            "{}",
            path.display()
        );
        for (name, value) in pairs(&case["headers"]) {
            assert_eq!(header(&name), value, "{}: header {name}", path.display());
        }
    }
}
