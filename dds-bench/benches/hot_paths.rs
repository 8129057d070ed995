//! Micro-benchmarks of the SDK's hot paths, with the floors the signers are measured against.
//!
//! `cargo bench -p dds-bench --bench hot_paths`. Every benchmark works on the same fixed
//! ModifyDBInstanceSSL request, credentials, instant and nonce (see `dds_bench::fixtures`), so
//! a signer and its floor hash exactly the same bytes (the `floors` test checks that).

use std::hint::black_box;

use dds_api::operation::Request;
use dds_api::signing::{self, SignatureVersion, v1, v3};
use dds_bench::{fixtures, floor};
use divan::Bencher;

fn main() {
    divan::main();
}

/// The request as the SDK prepares it before signing.
mod request {
    use super::*;

    /// The builder with every parameter set, and its checks.
    #[divan::bench]
    fn build() -> dds_api::operations::ModifyDbInstanceSsl {
        fixtures::modify_db_instance_ssl().expect("valid")
    }

    #[divan::bench]
    fn validate(bencher: Bencher) {
        let request = fixtures::modify_db_instance_ssl().expect("valid");
        bencher.bench_local(|| black_box(&request).validate());
    }

    /// Serializing to wire parameters.
    #[divan::bench]
    fn to_wire(bencher: Bencher) {
        let request = fixtures::modify_db_instance_ssl().expect("valid");
        bencher.bench_local(|| black_box(&request).to_wire());
    }

    /// All three, as `Client::call` runs them (the builder checks, `call` checks again).
    #[divan::bench]
    fn build_validate_to_wire() -> Vec<(String, String)> {
        let request = fixtures::modify_db_instance_ssl().expect("valid");
        request.validate().expect("valid");
        request.to_wire()
    }
}

/// Signature V1 (HMAC-SHA1): the SDK's signer, from wire parameters to the signed query.
mod sign_v1 {
    use super::*;

    #[divan::bench]
    fn signer(bencher: Bencher) {
        let params = wire_params();
        let request = fixtures::signing_request(&params);
        let credentials = fixtures::credentials();
        let timestamp = fixtures::timestamp();
        bencher.bench_local(|| {
            drop(black_box(signing::sign(
                black_box(&request),
                &credentials,
                SignatureVersion::V1,
                timestamp,
                fixtures::NONCE,
            )))
        });
    }

    /// HMAC-SHA1 + Base64 of the same string to sign.
    #[divan::bench]
    fn floor(bencher: Bencher) {
        let string_to_sign = fixtures::v1_string_to_sign(&wire_params());
        let key = format!("{}&", fixtures::ACCESS_KEY_SECRET);
        bencher.bench_local(|| {
            drop(black_box(floor::v1(
                key.as_bytes(),
                black_box(&string_to_sign),
            )))
        });
    }

    /// The emulator's side: checking a signed request, with its query decoded.
    #[divan::bench]
    fn verify(bencher: Bencher) {
        let params = wire_params();
        let credentials = fixtures::credentials();
        let query = signing::sign(
            &fixtures::signing_request(&params),
            &credentials,
            SignatureVersion::V1,
            fixtures::timestamp(),
            fixtures::NONCE,
        )
        .query_pairs();
        bencher.bench_local(|| {
            v1::verify("POST", black_box(&query), fixtures::ACCESS_KEY_SECRET)
                .expect("the signature matches")
        });
    }
}

/// Signature V3 (ACS3-HMAC-SHA256): the SDK's signer, from wire parameters to the signed
/// headers.
mod sign_v3 {
    use super::*;

    #[divan::bench]
    fn signer(bencher: Bencher) {
        let params = wire_params();
        let request = fixtures::signing_request(&params);
        let credentials = fixtures::credentials();
        let timestamp = fixtures::timestamp();
        bencher.bench_local(|| {
            drop(black_box(signing::sign(
                black_box(&request),
                &credentials,
                SignatureVersion::V3,
                timestamp,
                fixtures::NONCE,
            )))
        });
    }

    /// SHA-256 of the same canonical request, then HMAC-SHA256 of the string to sign, in hex.
    #[divan::bench]
    fn floor(bencher: Bencher) {
        let canonical_request = fixtures::v3_canonical_request(&wire_params());
        let secret = fixtures::ACCESS_KEY_SECRET.as_bytes();
        bencher.bench_local(|| drop(black_box(floor::v3(secret, black_box(&canonical_request)))));
    }

    /// The emulator's side: parsing the `Authorization` header and checking the signature.
    #[divan::bench]
    fn verify(bencher: Bencher) {
        let params = wire_params();
        let credentials = fixtures::credentials();
        let signed = signing::sign(
            &fixtures::signing_request(&params),
            &credentials,
            SignatureVersion::V3,
            fixtures::timestamp(),
            fixtures::NONCE,
        );
        let authorization = signed
            .header("authorization")
            .expect("V3 signs into an authorization header")
            .to_owned();
        let (query, headers) = (signed.query_pairs(), signed.header_pairs());
        let payload_sha256 = signing::sha256_hex(b"");
        let received = v3::ReceivedRequest {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            payload_sha256: &payload_sha256,
        };
        bencher.bench_local(|| {
            let parsed = v3::Authorization::parse(black_box(&authorization)).expect("well formed");
            v3::verify(&received, &parsed, fixtures::ACCESS_KEY_SECRET)
                .expect("the signature matches")
        });
    }
}

/// What every attempt takes from the outside world besides the signature: a nonce (128 bits
/// from the operating system) and the time.
mod attempt {
    use super::*;

    #[divan::bench]
    fn new_nonce() -> String {
        signing::new_nonce().expect("the system's random source works")
    }

    #[divan::bench]
    fn now() -> time::OffsetDateTime {
        signing::now()
    }
}

/// Decoding a successful DescribeDBInstanceAttribute answer into the typed response.
mod response {
    use super::*;
    use dds_api::operations::DescribeDbInstanceAttribute;

    type Response = <DescribeDbInstanceAttribute as Request>::Response;

    #[divan::bench]
    fn decode_describe_db_instance_attribute(bencher: Bencher) {
        let body = fixtures::describe_db_instance_attribute_body();
        bencher
            .counter(divan::counter::BytesCount::of_slice(&body))
            .bench_local(|| {
                serde_json::from_slice::<Response>(black_box(&body)).expect("the example decodes")
            });
    }

    /// The same answer decoded as the client decodes a body (`decode_body` in dds-api's
    /// `response.rs`): its UTF-8 checked once, then parsed as text, which spares
    /// `serde_json` checking each string on its own.
    #[divan::bench]
    fn decode_describe_db_instance_attribute_as_the_client_does(bencher: Bencher) {
        let body = fixtures::describe_db_instance_attribute_body();
        bencher
            .counter(divan::counter::BytesCount::of_slice(&body))
            .bench_local(|| {
                let text = std::str::from_utf8(black_box(&body)).expect("the example is UTF-8");
                serde_json::from_str::<Response>(text).expect("the example decodes")
            });
    }
}

fn wire_params() -> Vec<(String, String)> {
    fixtures::modify_db_instance_ssl().expect("valid").to_wire()
}
