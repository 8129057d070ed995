//! Properties of signing and verification over generated input: any text signs, the
//! verifier accepts exactly what was signed, and any change to a parameter, the method, the
//! secret or (V3) a signed header is rejected.

use dds_api::credentials::Credentials;
use dds_api::signing::{
    self, HttpMethod, SignatureVersion, SigningRequest, percent_encode, sha256_hex, v1, v3,
};
use proptest::prelude::*;
use time::macros::datetime;

const SECRET: &str = "property-secret";

/// Parameter names like the specs' (`Tag.1.Key`), and values of any Unicode text.
fn op_params() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::btree_map(
        "[A-Z][A-Za-z0-9]{0,8}(\\.[0-9]\\.[A-Za-z]{1,4})?",
        any::<String>(),
        0..6,
    )
    .prop_map(|map| map.into_iter().collect())
}

/// Parameters in any order, names repeating, among them the V1 common names (`Action`,
/// `Timestamp`, `Signature`, ...), names that sort between or next to them, and any text.
fn clashing_params() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        prop::sample::select(
            &[
                "AccessKeyId",
                "Action",
                "Format",
                "SecurityToken",
                "SignatureMethod",
                "SignatureNonce",
                "SignatureVersion",
                "Timestamp",
                "Version",
                "Signature",
                "",
                "A",
                "Actio",
                "Actionz",
                "B",
                "S",
                "Se",
                "SignatureN",
                "Signaturez",
                "Tz",
                "Z",
            ][..]
        )
        .prop_map(str::to_owned),
        any::<String>(),
    ];
    let value = prop_oneof![
        prop::sample::select(&["", "DescribeDBInstanceAttribute", "JSON", "2015-12-01", "é"][..])
            .prop_map(str::to_owned),
        any::<String>(),
    ];
    proptest::collection::vec((name, value), 0..8)
}

fn method() -> impl Strategy<Value = HttpMethod> {
    prop_oneof![Just(HttpMethod::Get), Just(HttpMethod::Post)]
}

fn version() -> impl Strategy<Value = SignatureVersion> {
    prop_oneof![Just(SignatureVersion::V1), Just(SignatureVersion::V3)]
}

fn credentials(sts: bool) -> Credentials {
    let keys = Credentials::new("LTAI-prop", SECRET);
    if sts {
        keys.with_security_token("token/+= value")
    } else {
        keys
    }
}

/// A signed request as the server receives it: the query decoded from the wire, the headers.
#[derive(Clone, Debug, PartialEq)]
struct Sent {
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

fn sign(
    params: &[(String, String)],
    method: HttpMethod,
    version: SignatureVersion,
    sts: bool,
) -> Sent {
    let request = SigningRequest {
        method,
        host: "mongodb.aliyuncs.com",
        path: "/",
        action: "DescribeDBInstanceAttribute",
        version: "2015-12-01",
        params,
        body: b"",
    };
    let credentials = credentials(sts);
    let signed = signing::sign(
        &request,
        &credentials,
        version,
        datetime!(2026-12-03 13:00:00 UTC),
        "00112233445566778899aabbccddeeff",
    );
    Sent {
        query: signed.query_pairs(),
        headers: signed.header_pairs(),
    }
}

/// Verifies `signed` the way the emulator would, as a request with `method`.
fn verify(
    signed: &Sent,
    version: SignatureVersion,
    method: &str,
    secret: &str,
) -> Result<(), String> {
    match version {
        SignatureVersion::V1 => {
            v1::verify(method, &signed.query, secret).map_err(|e| e.to_string())
        }
        SignatureVersion::V3 => {
            let header = signed
                .headers
                .iter()
                .find(|(n, _)| n == "authorization")
                .map(|(_, v)| v.as_str())
                .ok_or("no authorization header")?;
            let authorization = v3::Authorization::parse(header).map_err(|e| e.to_string())?;
            let payload = sha256_hex(b"");
            let received = v3::ReceivedRequest {
                method,
                path: "/",
                query: &signed.query,
                headers: &signed.headers,
                payload_sha256: &payload,
            };
            v3::verify(&received, &authorization, secret).map_err(|e| e.to_string())
        }
    }
}

/// The parameters an attacker could change: everything in the query except the signature.
fn changeable(signed: &Sent) -> Vec<usize> {
    (0..signed.query.len())
        .filter(|&i| signed.query[i].0 != "Signature")
        .collect()
}

proptest! {
    #[test]
    fn percent_encoding_leaves_only_unreserved_characters_and_decodes_back(text in any::<String>()) {
        let encoded = percent_encode(&text);
        let mut decoded = Vec::new();
        let bytes = encoded.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                prop_assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
                decoded.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                prop_assert!(bytes[i].is_ascii_alphanumeric() || b"-_.~".contains(&bytes[i]));
                decoded.push(bytes[i]);
                i += 1;
            }
        }
        prop_assert_eq!(decoded, text.as_bytes());
    }

    #[test]
    fn any_text_value_signs_and_verifies(
        params in op_params(),
        method in method(),
        version in version(),
        sts in any::<bool>(),
    ) {
        let signed = sign(&params, method, version, sts);
        prop_assert_eq!(verify(&signed, version, method.as_str(), SECRET), Ok(()));
    }

    #[test]
    fn the_order_parameters_come_in_does_not_change_what_is_sent(
        params in op_params(),
        version in version(),
        rotate in 0usize..6,
    ) {
        // `op_params` come sorted, which the signer takes as they are; rotated or reversed,
        // it sorts them first. Either way the same request goes out.
        let sorted = sign(&params, HttpMethod::Post, version, false);
        let mut rotated = params.clone();
        rotated.rotate_left(rotate.min(params.len()));
        prop_assert_eq!(&sign(&rotated, HttpMethod::Post, version, false), &sorted);
        let reversed: Vec<_> = params.iter().rev().cloned().collect();
        prop_assert_eq!(&sign(&reversed, HttpMethod::Post, version, false), &sorted);
    }

    #[test]
    fn parameters_clashing_with_the_common_ones_are_sent_in_canonical_order_and_verify(
        params in clashing_params(),
        sts in any::<bool>(),
    ) {
        let mut sorted = params.clone();
        sorted.sort();

        // V1: the operation's parameters but `Signature`, and the common ones, all sorted by
        // name then value, then the signature.
        let signed = sign(&params, HttpMethod::Post, SignatureVersion::V1, sts);
        let credentials = credentials(sts);
        let mut expected: Vec<(String, String)> =
            sorted.iter().filter(|(name, _)| name != "Signature").cloned().collect();
        expected.extend(
            [
                ("AccessKeyId", "LTAI-prop"),
                ("Action", "DescribeDBInstanceAttribute"),
                ("Format", "JSON"),
                ("SignatureMethod", "HMAC-SHA1"),
                ("SignatureNonce", "00112233445566778899aabbccddeeff"),
                ("SignatureVersion", "1.0"),
                ("Timestamp", "2026-12-03T13:00:00Z"),
                ("Version", "2015-12-01"),
            ]
            .into_iter()
            .chain(credentials.security_token.as_ref().map(|token| ("SecurityToken", token.expose())))
            .map(|(name, value)| (name.to_owned(), value.to_owned())),
        );
        expected.sort();
        let signature = v1::signature(SECRET, &v1::string_to_sign("POST", &expected));
        expected.push(("Signature".to_owned(), signature));
        prop_assert_eq!(&signed.query, &expected);
        // The verifier reads the first `SignatureMethod`/`SignatureVersion`; an operation's
        // own one that sorts first is refused, as the gateway would.
        let own_method = params
            .iter()
            .any(|(name, _)| name == "SignatureMethod" || name == "SignatureVersion");
        if !own_method {
            prop_assert_eq!(verify(&signed, SignatureVersion::V1, "POST", SECRET), Ok(()));
        }

        // V3: the operation's parameters, all of them, sorted.
        let signed = sign(&params, HttpMethod::Post, SignatureVersion::V3, sts);
        prop_assert_eq!(&signed.query, &sorted);
        prop_assert_eq!(verify(&signed, SignatureVersion::V3, "POST", SECRET), Ok(()));
    }

    #[test]
    fn a_changed_parameter_value_is_rejected(
        params in op_params(),
        version in version(),
        sts in any::<bool>(),
        pick in any::<prop::sample::Index>(),
        replacement in any::<String>(),
    ) {
        let signed = sign(&params, HttpMethod::Post, version, sts);
        let candidates = changeable(&signed);
        prop_assume!(!candidates.is_empty());
        let index = candidates[pick.index(candidates.len())];
        prop_assume!(signed.query[index].1 != replacement);

        let mut changed = signed.clone();
        changed.query[index].1 = replacement;
        prop_assert!(verify(&changed, version, "POST", SECRET).is_err());
    }

    #[test]
    fn an_added_or_removed_parameter_is_rejected(
        params in op_params(),
        version in version(),
        pick in any::<prop::sample::Index>(),
        extra_value in any::<String>(),
    ) {
        let signed = sign(&params, HttpMethod::Post, version, false);

        let mut added = signed.clone();
        added.query.push(("ZExtra".into(), extra_value));
        prop_assert!(verify(&added, version, "POST", SECRET).is_err());

        let candidates = changeable(&signed);
        prop_assume!(!candidates.is_empty());
        let mut removed = signed.clone();
        removed.query.remove(candidates[pick.index(candidates.len())]);
        prop_assert!(verify(&removed, version, "POST", SECRET).is_err());
    }

    #[test]
    fn a_changed_method_is_rejected(params in op_params(), version in version(), method in method()) {
        let signed = sign(&params, method, version, false);
        let other = match method { HttpMethod::Get => "POST", HttpMethod::Post => "GET" };
        prop_assert!(verify(&signed, version, other, SECRET).is_err());
    }

    #[test]
    fn another_secret_is_rejected(params in op_params(), version in version(), secret in any::<String>()) {
        prop_assume!(secret != SECRET);
        let signed = sign(&params, HttpMethod::Post, version, false);
        prop_assert!(verify(&signed, version, "POST", &secret).is_err());
    }

    #[test]
    fn a_changed_signed_header_is_rejected(
        params in op_params(),
        sts in any::<bool>(),
        pick in any::<prop::sample::Index>(),
        replacement in "[ -~]{0,40}",
    ) {
        let signed = sign(&params, HttpMethod::Post, SignatureVersion::V3, sts);
        let signed_names: Vec<usize> = (0..signed.headers.len())
            .filter(|&i| !matches!(signed.headers[i].0.as_str(), "authorization" | "accept"))
            .collect();
        let index = signed_names[pick.index(signed_names.len())];
        prop_assume!(signed.headers[index].1.trim() != replacement.trim());

        let mut changed = signed.clone();
        changed.headers[index].1 = replacement;
        prop_assert!(verify(&changed, SignatureVersion::V3, "POST", SECRET).is_err());
    }

    #[test]
    fn the_timestamp_is_what_a_general_formatter_writes(
        seconds in -62_000_000_000i64..253_402_300_799i64,
        offset_hours in -12i8..=14,
    ) {
        let instant = time::OffsetDateTime::from_unix_timestamp(seconds)
            .expect("in range")
            .to_offset(time::UtcOffset::from_hms(offset_hours, 0, 0).expect("valid offset"));
        let expected = instant
            .to_offset(time::UtcOffset::UTC)
            .format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .expect("formats");
        prop_assert_eq!(signing::format_timestamp(instant), expected);
    }

    #[test]
    fn the_v1_string_to_sign_is_the_encoded_canonical_query(params in op_params()) {
        let expected = format!("GET&%2F&{}", percent_encode(&v1::canonicalized_query(&params)));
        prop_assert_eq!(v1::string_to_sign("GET", &params), expected);
    }
}
