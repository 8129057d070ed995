//! `RegionId` is a parameter of many operations and a common parameter some clients add on
//! their own. The SDK sends it only as the operation's parameter, once: the client's region
//! picks the endpoint and is never added to the parameters.

use dds_api::Client;
use dds_api::credentials::Credentials;
use dds_api::operations::{DescribeAvailabilityZones, DescribeDbInstanceSsl};
use dds_api::signing::SignatureVersion;

fn client(version: SignatureVersion) -> Client {
    Client::builder()
        .region("cn-beijing")
        .endpoint("http://127.0.0.1:9")
        .credentials(Credentials::new("test-id", "test-secret"))
        .signature_version(version)
        .build()
        .expect("a valid client")
}

fn region_ids(query: &[(String, String)]) -> Vec<&str> {
    query
        .iter()
        .filter(|(name, _)| name == "RegionId")
        .map(|(_, value)| value.as_str())
        .collect()
}

#[tokio::test]
async fn an_operations_region_id_is_sent_once_and_wins_over_the_clients_region() {
    let request = DescribeAvailabilityZones::builder()
        .region_id("cn-hangzhou")
        .build()
        .expect("valid");
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let prepared = client(version).prepare(&request).await.expect("signed");
        assert_eq!(
            region_ids(&prepared.query_redacted()),
            ["cn-hangzhou"],
            "{version:?}"
        );
        assert!(
            prepared
                .headers_redacted()
                .iter()
                .all(|(name, _)| !name.eq_ignore_ascii_case("RegionId")),
            "{version:?}"
        );
    }
}

#[tokio::test]
async fn the_clients_region_is_not_added_to_an_operation_without_region_id() {
    let request = DescribeDbInstanceSsl::builder()
        .db_instance_id("dds-bp1")
        .build()
        .expect("valid");
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let prepared = client(version).prepare(&request).await.expect("signed");
        assert_eq!(
            region_ids(&prepared.query_redacted()),
            Vec::<&str>::new(),
            "{version:?}"
        );
    }
}

#[tokio::test]
async fn a_dynamic_call_refuses_region_id_given_twice() {
    let meta = dds_api::operations::operation("DescribeAvailabilityZones").expect("registered");
    let error = client(SignatureVersion::V3)
        .prepare_dynamic(
            meta,
            vec![
                ("RegionId".to_owned(), "cn-hangzhou".to_owned()),
                ("RegionId".to_owned(), "cn-beijing".to_owned()),
            ],
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("RegionId"), "{error}");
}
