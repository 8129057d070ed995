//! The floors hash exactly what the signers hash: a floor that computed something else would
//! make the signer-to-floor ratio meaningless.

use dds_api::operation::Request;
use dds_api::signing::{self, SignatureVersion};
use dds_bench::{fixtures, floor};

fn wire_params() -> Vec<(String, String)> {
    fixtures::modify_db_instance_ssl()
        .expect("the benchmark request is valid")
        .to_wire()
}

fn signed(version: SignatureVersion) -> signing::SignedRequest<'static> {
    let params = wire_params();
    signing::sign(
        &fixtures::signing_request(&params),
        &fixtures::credentials(),
        version,
        fixtures::timestamp(),
        fixtures::NONCE,
    )
    .into_owned()
}

#[test]
fn the_v1_floor_computes_the_signature_the_v1_signer_sends() {
    let signed = signed(SignatureVersion::V1);
    let query = signed.query_pairs();
    let sent = query
        .iter()
        .find(|(name, _)| name == "Signature")
        .map(|(_, value)| value.as_str());

    let key = format!("{}&", fixtures::ACCESS_KEY_SECRET);
    let floor = floor::v1(key.as_bytes(), &fixtures::v1_string_to_sign(&wire_params()));

    assert_eq!(sent, Some(floor.as_str()));
}

#[test]
fn the_v3_floor_computes_the_signature_the_v3_signer_sends() {
    let signed = signed(SignatureVersion::V3);
    let authorization = signed
        .header("authorization")
        .expect("V3 signs into an authorization header");

    let floor = floor::v3(
        fixtures::ACCESS_KEY_SECRET.as_bytes(),
        &fixtures::v3_canonical_request(&wire_params()),
    );

    assert!(
        authorization.ends_with(&format!(",Signature={floor}")),
        "floor {floor} is not the signature of {authorization}"
    );
}

#[test]
fn the_response_fixture_decodes_as_a_describe_db_instance_attribute_answer() {
    type Response = <dds_api::operations::DescribeDbInstanceAttribute as Request>::Response;
    let body = fixtures::describe_db_instance_attribute_body();

    let decoded: Response = serde_json::from_slice(&body).expect("the example decodes");

    assert!(format!("{decoded:?}").contains("dds-bp11483712c1"));
}
