//! Signing as the SDK does it and verification as the emulator does it: encoding rules, the
//! parameters and headers each version adds, STS tokens, the `Authorization` header and
//! what verification rejects.

use dds_api::credentials::Credentials;
use dds_api::signing::{
    self, HttpMethod, SignatureVersion, SigningRequest, format_timestamp, parse_timestamp,
    percent_encode, sha256_hex, v1, v3,
};
use time::macros::datetime;

const NONCE: &str = "0123456789abcdef0123456789abcdef";

fn params(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn keys() -> Credentials {
    Credentials::new("LTAI-test-id", "test-secret-value")
}

fn sts_keys() -> Credentials {
    keys().with_security_token("sts-token-value")
}

/// A signed request as the server receives it: the query decoded from the wire, the headers,
/// and the query string as sent.
#[derive(Clone)]
struct Sent {
    raw_query: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

fn sign(
    op_params: &[(String, String)],
    credentials: &Credentials,
    version: SignatureVersion,
) -> Sent {
    let request = SigningRequest {
        method: HttpMethod::Post,
        host: "127.0.0.1:8080",
        path: "/",
        action: "ModifyDBInstanceSSL",
        version: "2015-12-01",
        params: op_params,
        body: b"",
    };
    let signed = signing::sign(
        &request,
        credentials,
        version,
        datetime!(2026-12-03 13:00:00 UTC),
        NONCE,
    );
    Sent {
        query: signed.query_pairs(),
        headers: signed.header_pairs(),
        raw_query: signed.query,
    }
}

fn value_of<'a>(list: &'a [(String, String)], name: &str) -> Option<&'a str> {
    list.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn verify_v3(signed: &Sent, method: &str, secret: &str) -> Result<(), v3::V3VerifyError> {
    let authorization =
        v3::Authorization::parse(value_of(&signed.headers, "authorization").unwrap())
            .expect("the signer writes a valid Authorization header");
    let received = v3::ReceivedRequest {
        method,
        path: "/",
        query: &signed.query,
        headers: &signed.headers,
        payload_sha256: &sha256_hex(b""),
    };
    v3::verify(&received, &authorization, secret)
}

#[test]
fn percent_encoding_follows_rfc_3986_on_utf8_bytes() {
    assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
    assert_eq!(percent_encode("a b"), "a%20b");
    assert_eq!(percent_encode("*"), "%2A");
    assert_eq!(percent_encode("+/=&:"), "%2B%2F%3D%26%3A");
    assert_eq!(percent_encode("é"), "%C3%A9");
    assert_eq!(percent_encode("\u{1F600}"), "%F0%9F%98%80");
    assert_eq!(percent_encode("!'()"), "%21%27%28%29");
}

#[test]
fn v1_sorts_keys_by_byte_order_and_keeps_empty_values() {
    let canonical = v1::canonicalized_query(params(&[
        ("SignatureMethod", "HMAC-SHA1"),
        ("SSLAction", "Open"),
        ("Empty", ""),
        ("a", "lower case sorts last"),
    ]));
    assert_eq!(
        canonical,
        "Empty=&SSLAction=Open&SignatureMethod=HMAC-SHA1&a=lower%20case%20sorts%20last"
    );
}

#[test]
fn v1_string_to_sign_encodes_the_canonical_query_a_second_time() {
    let string_to_sign = v1::string_to_sign("POST", params(&[("Name", "a b")]));
    assert_eq!(string_to_sign, "POST&%2F&Name%3Da%2520b");
}

#[test]
fn v1_leaves_the_signature_parameter_out_of_the_string_to_sign() {
    let with = v1::string_to_sign("GET", params(&[("A", "1"), ("Signature", "x")]));
    let without = v1::string_to_sign("GET", params(&[("A", "1")]));
    assert_eq!(with, without);
}

#[test]
fn v3_canonical_query_is_sorted_with_encoded_values_and_empty_values_as_key_equals() {
    let canonical = v3::canonical_query(params(&[
        ("Tag.1.Value", "a b*~"),
        ("DBInstanceId", "dds-1"),
        ("Empty", ""),
    ]));
    assert_eq!(canonical, "DBInstanceId=dds-1&Empty=&Tag.1.Value=a%20b%2A~");
}

#[test]
fn timestamps_are_written_in_utc_whatever_the_offset() {
    assert_eq!(
        format_timestamp(datetime!(2026-01-01 07:30:05 +08:00)),
        "2025-12-31T23:30:05Z"
    );
    let parsed = parse_timestamp("2025-12-31T23:30:05Z").unwrap();
    assert_eq!(parsed, datetime!(2025-12-31 23:30:05 UTC));
    let error = parse_timestamp("2025-12-31T23:30:05+08:00").unwrap_err();
    assert!(
        error.to_string().contains("yyyy-MM-ddTHH:mm:ssZ"),
        "{error}"
    );
}

#[test]
fn nonces_are_128_random_bits_as_32_lower_case_hex_characters() {
    let first = signing::new_nonce().unwrap();
    let second = signing::new_nonce().unwrap();
    for nonce in [&first, &second] {
        assert_eq!(nonce.len(), 32, "{nonce}");
        assert!(
            nonce
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
    }
    assert_ne!(first, second);
}

#[test]
fn the_default_signature_version_is_v3() {
    assert_eq!(SignatureVersion::default(), SignatureVersion::V3);
}

#[test]
fn v1_signing_puts_the_common_parameters_and_the_signature_in_the_query() {
    let op = params(&[("DBInstanceId", "dds-1"), ("SSLAction", "Open")]);
    let signed = sign(&op, &keys(), SignatureVersion::V1);

    let expected = [
        ("DBInstanceId", "dds-1"),
        ("SSLAction", "Open"),
        ("Action", "ModifyDBInstanceSSL"),
        ("Version", "2015-12-01"),
        ("Format", "JSON"),
        ("AccessKeyId", "LTAI-test-id"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", NONCE),
        ("Timestamp", "2026-12-03T13:00:00Z"),
    ];
    for (name, value) in expected {
        assert_eq!(value_of(&signed.query, name), Some(value), "{name}");
    }
    assert_eq!(value_of(&signed.query, "SecurityToken"), None);
    let signature = value_of(&signed.query, "Signature").expect("signed");
    assert_eq!(
        signature,
        v1::signature(
            "test-secret-value",
            &v1::string_to_sign("POST", &signed.query)
        )
    );
    assert_eq!(signed.query.len(), expected.len() + 1);
    assert_eq!(
        signed.headers,
        params(&[("accept", "application/json")]),
        "V1 sends no signing headers"
    );
    assert_eq!(
        v1::verify("POST", &signed.query, "test-secret-value"),
        Ok(())
    );
}

#[test]
fn v3_signing_sends_the_operation_parameters_in_the_query_and_signs_the_acs_headers() {
    let op = params(&[("DBInstanceId", "dds-1"), ("SSLAction", "Open")]);
    let signed = sign(&op, &keys(), SignatureVersion::V3);

    assert_eq!(signed.query, op);
    let expected = [
        ("host", "127.0.0.1:8080"),
        ("x-acs-action", "ModifyDBInstanceSSL"),
        ("x-acs-version", "2015-12-01"),
        ("x-acs-date", "2026-12-03T13:00:00Z"),
        ("x-acs-signature-nonce", NONCE),
        ("x-acs-content-sha256", &sha256_hex(b"") as &str),
        ("accept", "application/json"),
    ];
    for (name, value) in expected {
        assert_eq!(value_of(&signed.headers, name), Some(value), "{name}");
    }
    assert_eq!(value_of(&signed.headers, "x-acs-security-token"), None);

    let authorization =
        v3::Authorization::parse(value_of(&signed.headers, "authorization").unwrap()).unwrap();
    assert_eq!(authorization.access_key_id(), "LTAI-test-id");
    assert_eq!(
        authorization.signed_headers().join(";"),
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
    );
    assert_eq!(verify_v3(&signed, "POST", "test-secret-value"), Ok(()));
}

#[test]
fn v1_carries_the_sts_token_as_a_signed_security_token_parameter() {
    let signed = sign(&[], &sts_keys(), SignatureVersion::V1);
    assert_eq!(
        value_of(&signed.query, "SecurityToken"),
        Some("sts-token-value")
    );
    assert_eq!(
        v1::verify("POST", &signed.query, "test-secret-value"),
        Ok(())
    );

    let mut forged = signed.query.clone();
    forged
        .iter_mut()
        .find(|(n, _)| n == "SecurityToken")
        .unwrap()
        .1 = "other-token".into();
    assert!(matches!(
        v1::verify("POST", &forged, "test-secret-value"),
        Err(v1::V1VerifyError::Mismatch(_))
    ));
}

#[test]
fn v3_carries_the_sts_token_as_a_signed_header() {
    let signed = sign(&[], &sts_keys(), SignatureVersion::V3);
    assert_eq!(
        value_of(&signed.headers, "x-acs-security-token"),
        Some("sts-token-value")
    );
    let authorization =
        v3::Authorization::parse(value_of(&signed.headers, "authorization").unwrap()).unwrap();
    assert!(
        authorization
            .signed_headers()
            .contains(&"x-acs-security-token".to_owned())
    );
    assert_eq!(verify_v3(&signed, "POST", "test-secret-value"), Ok(()));

    let mut forged = signed.clone();
    forged
        .headers
        .iter_mut()
        .find(|(n, _)| n == "x-acs-security-token")
        .unwrap()
        .1 = "other-token".into();
    assert!(matches!(
        verify_v3(&forged, "POST", "test-secret-value"),
        Err(v3::V3VerifyError::Mismatch(_))
    ));
}

#[test]
fn v1_verification_rejects_a_changed_parameter_and_returns_the_servers_string_to_sign() {
    let signed = sign(
        &params(&[("SSLAction", "Open")]),
        &keys(),
        SignatureVersion::V1,
    );
    let mut changed = signed.query.clone();
    for (name, value) in &mut changed {
        if name == "SSLAction" {
            *value = "Close".into();
        }
    }

    let error = v1::verify("POST", &changed, "test-secret-value").unwrap_err();
    assert_eq!(error.gateway_code(), "SignatureDoesNotMatch");
    let v1::V1VerifyError::Mismatch(mismatch) = error else {
        panic!("expected a mismatch, got {error:?}");
    };
    assert_eq!(
        mismatch.string_to_sign(),
        v1::string_to_sign("POST", &changed)
    );
    assert!(mismatch.string_to_sign().contains("SSLAction%3DClose"));
}

#[test]
fn v1_verification_names_missing_or_unsupported_signature_parameters() {
    let signed = sign(&[], &keys(), SignatureVersion::V1);
    let without = |name: &str| -> Vec<(String, String)> {
        signed
            .query
            .iter()
            .filter(|(n, _)| n != name)
            .cloned()
            .collect()
    };
    let with = |name: &str, value: &str| -> Vec<(String, String)> {
        let mut list = without(name);
        list.push((name.to_owned(), value.to_owned()));
        list
    };

    let missing = v1::verify("POST", without("Signature"), "s").unwrap_err();
    assert_eq!(missing, v1::V1VerifyError::Missing("Signature"));
    assert_eq!(missing.gateway_code(), "IncompleteSignature");
    assert_eq!(
        v1::verify("POST", without("SignatureMethod"), "s"),
        Err(v1::V1VerifyError::Missing("SignatureMethod"))
    );
    let method = v1::verify("POST", with("SignatureMethod", "HMAC-SHA256"), "s").unwrap_err();
    assert_eq!(method.gateway_code(), "InvalidSignatureMethod");
    assert!(method.to_string().contains("HMAC-SHA256"), "{method}");
    assert_eq!(
        v1::verify("POST", with("SignatureVersion", "2.0"), "s"),
        Err(v1::V1VerifyError::UnsupportedVersion("2.0".into()))
    );
}

#[test]
fn v1_verification_accepts_a_decoded_parameter_map() {
    let signed = sign(
        &params(&[("Tag.1.Key", "a b")]),
        &keys(),
        SignatureVersion::V1,
    );
    let map: std::collections::BTreeMap<String, String> = signed.query.iter().cloned().collect();
    assert_eq!(v1::verify("POST", &map, "test-secret-value"), Ok(()));
}

#[test]
fn v3_verification_uses_the_headers_the_request_says_it_signed() {
    // A client that signs more headers than the SDK does, with the port in `host` and
    // header names in mixed case on the wire.
    let headers = params(&[
        ("Host", "127.0.0.1:8080"),
        ("Accept", "application/json"),
        ("User-Agent", "AlibabaCloud (Linux) Python/3.12 TeaDSL/1"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("x-acs-action", "DescribeDBInstanceSSL"),
        ("x-acs-version", "2015-12-01"),
        ("x-acs-date", "2026-12-03T13:00:00Z"),
        ("x-acs-signature-nonce", NONCE),
        ("x-acs-content-sha256", &sha256_hex(b"")),
        ("x-acs-credentials-provider", "static_ak"),
    ]);
    let query = params(&[("DBInstanceId", "dds-1")]);
    let mut names: Vec<String> = headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    names.sort();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let canonical_request = v3::canonical_request(
        "POST",
        "/",
        &v3::canonical_query(&query),
        &v3::canonical_headers(&headers, &names).unwrap(),
        &names.join(";"),
        &sha256_hex(b""),
    );
    let signature = v3::signature("secret", &v3::string_to_sign(&canonical_request));
    let authorization = v3::Authorization::parse(&v3::authorization_header(
        "id",
        &names.join(";"),
        &signature,
    ))
    .unwrap();

    let payload = sha256_hex(b"");
    let mut received = v3::ReceivedRequest {
        method: "POST",
        path: "/",
        query: &query,
        headers: &headers,
        payload_sha256: &payload,
    };
    assert_eq!(v3::verify(&received, &authorization, "secret"), Ok(()));

    let changed_agent = params(&[("User-Agent", "something else")]);
    let mut other = headers.clone();
    other.retain(|(n, _)| n != "User-Agent");
    other.extend(changed_agent);
    received.headers = &other;
    assert!(matches!(
        v3::verify(&received, &authorization, "secret"),
        Err(v3::V3VerifyError::Mismatch(_))
    ));
}

#[test]
fn v3_verification_requires_the_core_headers_to_be_signed() {
    let signed = sign(&[], &keys(), SignatureVersion::V3);
    let header = value_of(&signed.headers, "authorization").unwrap();
    let weakened = header.replace("host;", "");
    let authorization = v3::Authorization::parse(&weakened).unwrap();
    let received = v3::ReceivedRequest {
        method: "POST",
        path: "/",
        query: &signed.query,
        headers: &signed.headers,
        payload_sha256: &sha256_hex(b""),
    };
    let error = v3::verify(&received, &authorization, "test-secret-value").unwrap_err();
    assert_eq!(error, v3::V3VerifyError::HeaderNotSigned("host".into()));
    assert_eq!(error.gateway_code(), "IncompleteSignature");
}

#[test]
fn v3_verification_requires_a_present_security_token_to_be_signed() {
    let signed = sign(&[], &keys(), SignatureVersion::V3);
    let mut headers = signed.headers.clone();
    headers.push(("x-acs-security-token".into(), "smuggled".into()));
    let authorization =
        v3::Authorization::parse(value_of(&signed.headers, "authorization").unwrap()).unwrap();
    let received = v3::ReceivedRequest {
        method: "POST",
        path: "/",
        query: &signed.query,
        headers: &headers,
        payload_sha256: &sha256_hex(b""),
    };
    assert_eq!(
        v3::verify(&received, &authorization, "test-secret-value"),
        Err(v3::V3VerifyError::HeaderNotSigned(
            "x-acs-security-token".into()
        ))
    );
}

#[test]
fn v3_verification_names_a_signed_header_that_the_request_lacks() {
    let signed = sign(&[], &keys(), SignatureVersion::V3);
    let headers: Vec<(String, String)> = signed
        .headers
        .iter()
        .filter(|(n, _)| n != "x-acs-date")
        .cloned()
        .collect();
    let authorization =
        v3::Authorization::parse(value_of(&signed.headers, "authorization").unwrap()).unwrap();
    let received = v3::ReceivedRequest {
        method: "POST",
        path: "/",
        query: &signed.query,
        headers: &headers,
        payload_sha256: &sha256_hex(b""),
    };
    let error = v3::verify(&received, &authorization, "test-secret-value").unwrap_err();
    assert_eq!(
        error,
        v3::V3VerifyError::SignedHeaderAbsent("x-acs-date".into())
    );
}

#[test]
fn v3_mismatch_reports_the_servers_canonical_request_and_string_to_sign() {
    let signed = sign(&[], &keys(), SignatureVersion::V3);
    let Err(v3::V3VerifyError::Mismatch(mismatch)) = verify_v3(&signed, "GET", "test-secret-value")
    else {
        panic!("a changed method must not verify");
    };
    assert!(mismatch.canonical_request().starts_with("GET\n/\n"));
    assert_eq!(
        mismatch.string_to_sign(),
        v3::string_to_sign(mismatch.canonical_request())
    );
}

#[test]
fn authorization_header_parsing_accepts_the_official_shape_with_optional_spaces() {
    let signature = "a".repeat(64);
    let parsed = v3::Authorization::parse(&format!(
        "ACS3-HMAC-SHA256 Credential=id, SignedHeaders=host;x-acs-date, Signature={signature}"
    ))
    .unwrap();
    assert_eq!(parsed.access_key_id(), "id");
    assert_eq!(parsed.signed_headers(), ["host", "x-acs-date"]);
    assert_eq!(parsed.signature(), signature);
    let reordered: v3::Authorization =
        format!("ACS3-HMAC-SHA256 Signature={signature},SignedHeaders=host,Credential=id")
            .parse()
            .unwrap();
    assert_eq!(reordered.access_key_id(), "id");
}

#[test]
fn authorization_header_parsing_says_what_is_wrong_without_repeating_the_signature() {
    use v3::AuthorizationError as E;
    let sig = "0123456789abcdef".repeat(4);
    let cases = [
        (
            format!("ACS3-HMAC-SM3 Credential=id,SignedHeaders=host,Signature={sig}"),
            E::UnsupportedAlgorithm("ACS3-HMAC-SM3".into()),
        ),
        (String::new(), E::UnsupportedAlgorithm(String::new())),
        (
            format!("ACS3-HMAC-SHA256 SignedHeaders=host,Signature={sig}"),
            E::MissingField("Credential"),
        ),
        (
            format!("ACS3-HMAC-SHA256 Credential=id,Signature={sig}"),
            E::MissingField("SignedHeaders"),
        ),
        (
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host".to_owned(),
            E::MissingField("Signature"),
        ),
        (
            format!("ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature={sig}"),
            E::EmptyField("Credential"),
        ),
        (
            format!("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=,Signature={sig}"),
            E::EmptyField("SignedHeaders"),
        ),
        (
            format!(
                "ACS3-HMAC-SHA256 Credential=id,Credential=id,SignedHeaders=host,Signature={sig}"
            ),
            E::DuplicateField("Credential"),
        ),
        (
            format!("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=Host,Signature={sig}"),
            E::InvalidHeaderName("Host".into()),
        ),
        (
            format!("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;;x,Signature={sig}"),
            E::InvalidHeaderName(String::new()),
        ),
        (
            format!(
                "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature={}",
                sig.to_uppercase()
            ),
            E::InvalidSignature,
        ),
        (
            "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=abc".to_owned(),
            E::InvalidSignature,
        ),
        (
            format!("ACS3-HMAC-SHA256 Credential=id,Region=x,SignedHeaders=host,Signature={sig}"),
            E::UnknownField("Region".into()),
        ),
        (
            format!("ACS3-HMAC-SHA256 Credential=id SignedHeaders=host Signature={sig}"),
            E::InvalidCredential,
        ),
        (
            "ACS3-HMAC-SHA256 garbage".to_owned(),
            E::Malformed("expected `Name=value` fields separated by `,`"),
        ),
    ];
    for (header, expected) in cases {
        let error = v3::Authorization::parse(&header).unwrap_err();
        assert_eq!(error, expected, "{header}");
        assert!(!error.to_string().contains(&sig), "{error}");
        assert!(!error.to_string().contains(&sig.to_uppercase()), "{error}");
    }
}

#[test]
fn both_versions_send_the_query_in_canonical_order_and_encoding() {
    // Names chosen to fall between the common parameters when sorted.
    let op = params(&[
        ("Zone", "cn-hangzhou-h"),
        ("SignatureA", "x"),
        ("Accept", "a b+c/d"),
        ("B", ""),
        ("Tag.1.Key", "é"),
    ]);
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let signed = sign(&op, &sts_keys(), version);
        // V1's `Signature` is appended after the signed pairs.
        let signed_pairs: Vec<_> = signed
            .query
            .iter()
            .filter(|(name, _)| name != "Signature")
            .cloned()
            .collect();
        let mut sorted = signed_pairs.clone();
        sorted.sort();
        assert_eq!(signed_pairs, sorted, "{version}");
        if version == SignatureVersion::V1 {
            assert_eq!(
                signed.query.last().map(|(name, _)| name.as_str()),
                Some("Signature")
            );
        }
        // Each pair is written `enc(name)=enc(value)`, in the order above: the canonical
        // query the signature covers, then (V1) the signature.
        let expected: Vec<String> = signed
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect();
        let expected = expected.join("&");
        assert_eq!(signed.raw_query, expected, "{version}");
        assert!(
            signed.raw_query.contains("Accept=a%20b%2Bc%2Fd"),
            "{version}"
        );
    }
    let v1 = sign(&op, &sts_keys(), SignatureVersion::V1);
    assert_eq!(v1::verify("POST", &v1.query, "test-secret-value"), Ok(()));
    let v3 = sign(&op, &sts_keys(), SignatureVersion::V3);
    assert_eq!(verify_v3(&v3, "POST", "test-secret-value"), Ok(()));
}

#[test]
fn v3_canonical_headers_trim_values_and_join_repeated_ones_sorted() {
    let headers = params(&[
        ("X-Acs-Tag", " b "),
        ("host", " example.com "),
        ("x-acs-tag", "a"),
        ("x-acs-other", "ignored: not signed"),
    ]);
    assert_eq!(
        v3::canonical_headers(&headers, &["host", "x-acs-tag"]).unwrap(),
        "host:example.com\nx-acs-tag:a,b\n"
    );
    assert_eq!(
        v3::canonical_headers(&headers, &["x-acs-missing"]),
        Err(v3::V3VerifyError::SignedHeaderAbsent(
            "x-acs-missing".to_owned()
        ))
    );
}
