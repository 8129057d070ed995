//! Decoding response bodies: wire names, optional fields, lenient numbers and lists.

use dds_api::operations::describe_db_instance_attribute::{DbInstanceType, LockMode};
use dds_api::operations::describe_db_instance_ssl::SslStatus;
use dds_api::operations::{DescribeDbInstanceAttributeResponse, DescribeDbInstanceSslResponse};

/// The `responseExample` of a spec file.
fn example(action: &str) -> String {
    let path = format!(
        "{}/../specs/dds/2015-12-01/{action}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("spec file"))
            .expect("spec JSON");
    spec["responseExample"].to_string()
}

#[test]
fn the_documented_example_of_describe_db_instance_attribute_decodes() {
    let body = example("DescribeDBInstanceAttribute");
    let response: DescribeDbInstanceAttributeResponse =
        serde_json::from_str(&body).expect("decodes");
    assert_eq!(
        response.request_id.as_deref(),
        Some("A935A8EE-A6CC-53DE-98BA-20ABAA7E632B")
    );

    let instances = response.db_instances.expect("DBInstances").db_instance;
    assert_eq!(instances.len(), 1);
    let instance = &instances[0];
    assert_eq!(instance.db_instance_type, Some(DbInstanceType::Replicate));
    assert_eq!(instance.lock_mode, Some(LockMode::Unlock));
    assert_eq!(instance.engine_version.as_deref(), Some("4.4"));
    assert_eq!(instance.max_iops, Some(1000));
    assert_eq!(instance.db_instance_release_protection, Some(false));

    let replica_sets = &instance
        .replica_sets
        .as_ref()
        .expect("ReplicaSets")
        .replica_set;
    assert_eq!(replica_sets[0].connection_port.as_deref(), Some("3717"));
    let mongos = &instance
        .mongos_list
        .as_ref()
        .expect("MongosList")
        .mongos_attribute;
    assert_eq!(
        mongos[0].connect_sting.as_deref(),
        Some("s-bp1d8c262a15****.mongodb.rds.aliyuncs.com")
    );
    let tags = &instance.tags.as_ref().expect("Tags").tag;
    assert_eq!(
        (tags[0].key.as_deref(), tags[0].value.as_deref()),
        (Some("test"), Some("api"))
    );
}

#[test]
fn the_documented_example_of_describe_db_instance_ssl_decodes() {
    let response: DescribeDbInstanceSslResponse =
        serde_json::from_str(&example("DescribeDBInstanceSSL")).expect("decodes");
    assert_eq!(response.ssl_status, Some(SslStatus::Open));
    assert_eq!(
        response.ssl_expired_time.as_deref(),
        Some("2020-03-11T02:28:25Z")
    );
}

#[test]
fn numbers_and_booleans_sent_as_strings_are_accepted() {
    let body = r#"{"DBInstances": {"DBInstance": [{"MaxIOPS": "8000", "ProvisionedIops": "1960",
        "Encrypted": "True", "DBInstanceStorage": 20}]}}"#;
    let response: DescribeDbInstanceAttributeResponse =
        serde_json::from_str(body).expect("decodes");
    let instance = &response.db_instances.expect("DBInstances").db_instance[0];
    assert_eq!(instance.max_iops, Some(8000));
    assert_eq!(instance.provisioned_iops, Some(1960));
    assert_eq!(instance.encrypted, Some(true));
    assert_eq!(instance.db_instance_storage, Some(20));
}

#[test]
fn strings_sent_as_numbers_are_accepted() {
    let body = r#"{"DBInstances": {"DBInstance": [{"ReplicaSets": {"ReplicaSet": [{"ConnectionPort": 3717}]}}]}}"#;
    let response: DescribeDbInstanceAttributeResponse =
        serde_json::from_str(body).expect("decodes");
    let instance = &response.db_instances.expect("DBInstances").db_instance[0];
    let port = &instance
        .replica_sets
        .as_ref()
        .expect("ReplicaSets")
        .replica_set[0]
        .connection_port;
    assert_eq!(port.as_deref(), Some("3717"));
}

#[test]
fn a_single_object_stands_for_a_list_of_one() {
    // What the gateway's XML-to-JSON conversion produces for a list with one item.
    let body = r#"{"DBInstances": {"DBInstance": {"DBInstanceId": "dds-1", "Tags": {"Tag": {"Key": "k", "Value": "v"}}}}}"#;
    let response: DescribeDbInstanceAttributeResponse =
        serde_json::from_str(body).expect("decodes");
    let instances = response.db_instances.expect("DBInstances").db_instance;
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].db_instance_id.as_deref(), Some("dds-1"));
    assert_eq!(instances[0].tags.as_ref().expect("Tags").tag.len(), 1);
}

#[test]
fn empty_elements_and_nulls_are_absent_values() {
    let body = r#"{"RequestId": null, "DBInstances": {"DBInstance": [{"Tags": "", "MaxIOPS": "", "ReplicaSets": {"ReplicaSet": null}}]}}"#;
    let response: DescribeDbInstanceAttributeResponse =
        serde_json::from_str(body).expect("decodes");
    assert_eq!(response.request_id, None);
    let instance = &response.db_instances.expect("DBInstances").db_instance[0];
    assert_eq!(instance.tags, None);
    assert_eq!(instance.max_iops, None);
    assert!(
        instance
            .replica_sets
            .as_ref()
            .expect("ReplicaSets")
            .replica_set
            .is_empty()
    );
}

#[test]
fn an_empty_body_decodes_to_a_response_without_values() {
    for body in ["{}", "null"] {
        let response: DescribeDbInstanceSslResponse = serde_json::from_str(body).expect("decodes");
        assert_eq!(response.request_id, None);
    }
}

#[test]
fn missing_fields_are_none_and_unknown_fields_are_ignored() {
    let body = r#"{"RequestId": "R", "SomethingNew": {"deep": [1, 2]}}"#;
    let response: DescribeDbInstanceSslResponse = serde_json::from_str(body).expect("decodes");
    assert_eq!(response.request_id.as_deref(), Some("R"));
    assert_eq!(response.ssl_status, None);
    assert_eq!(response.cert_common_name, None);
}

#[test]
fn undocumented_enum_values_are_kept() {
    let body = r#"{"SSLStatus": "Pending"}"#;
    let response: DescribeDbInstanceSslResponse = serde_json::from_str(body).expect("decodes");
    let status = response.ssl_status.expect("SSLStatus");
    assert_eq!(status, SslStatus::Unknown("Pending".to_owned()));
    assert_eq!(status.as_str(), "Pending");
}

#[test]
fn a_value_of_the_wrong_kind_is_an_error_naming_it() {
    let body = r#"{"DBInstances": {"DBInstance": [{"MaxIOPS": "lots"}]}}"#;
    let error =
        serde_json::from_str::<DescribeDbInstanceAttributeResponse>(body).expect_err("rejected");
    assert!(error.to_string().contains("lots"), "{error}");
}

#[test]
fn members_in_another_order_with_unknown_ones_between_decode_the_same() {
    let in_order = example("DescribeDBInstanceAttribute");
    let expected: DescribeDbInstanceAttributeResponse =
        serde_json::from_str(&in_order).expect("decodes");
    // Every object's members reversed, with an unknown member before each known one.
    fn reverse(value: serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(members) => {
                let mut out = serde_json::Map::new();
                for (name, value) in members.into_iter().rev() {
                    out.insert(format!("Unknown{name}"), serde_json::json!({"x": [1]}));
                    out.insert(name, reverse(value));
                }
                serde_json::Value::Object(out)
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(reverse).collect())
            }
            other => other,
        }
    }
    let reordered = reverse(serde_json::from_str(&in_order).expect("JSON")).to_string();
    assert_ne!(reordered, in_order);
    let decoded: DescribeDbInstanceAttributeResponse =
        serde_json::from_str(&reordered).expect("decodes");
    assert_eq!(decoded, expected);
}

#[test]
fn a_repeated_member_keeps_its_last_value_and_escaped_names_are_matched() {
    let body = r#"{"RequestId": "first", "SSLStatus": "Open", "Request\u0049d": "last",
        "\u0053SLStatus": "Closed", "SSLStatus": "Pending"}"#;
    let response: DescribeDbInstanceSslResponse = serde_json::from_str(body).expect("decodes");
    assert_eq!(response.request_id.as_deref(), Some("last"));
    assert_eq!(
        response.ssl_status,
        Some(SslStatus::Unknown("Pending".to_owned()))
    );
}

#[test]
fn an_empty_text_body_decodes_to_a_response_without_values_and_other_text_is_refused() {
    let response: DescribeDbInstanceSslResponse = serde_json::from_str(r#""  ""#).expect("decodes");
    assert_eq!(response.request_id, None);
    let error = serde_json::from_str::<DescribeDbInstanceSslResponse>(r#""x""#).unwrap_err();
    assert!(
        error
            .to_string()
            .contains(r#"expected an object, found the string "x""#),
        "{error}"
    );
}

#[test]
fn any_deserializer_gives_the_same_response_as_json_text() {
    // `serde_json::Value` hands over owned strings and names, not borrowed ones.
    let body = example("DescribeDBInstanceAttribute");
    let from_text: DescribeDbInstanceAttributeResponse =
        serde_json::from_str(&body).expect("decodes");
    let value: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let from_value: DescribeDbInstanceAttributeResponse =
        serde_json::from_value(value).expect("decodes");
    assert_eq!(from_value, from_text);
}

#[test]
fn the_error_path_names_the_list_item() {
    let body = r#"{"DBInstances": {"DBInstance": [{}, {"MaxIOPS": "lots"}]}}"#;
    let error =
        serde_json::from_str::<DescribeDbInstanceAttributeResponse>(body).expect_err("rejected");
    assert!(
        error.to_string().starts_with(
            r#"DBInstances.DBInstance[1].MaxIOPS: expected a 32-bit integer, found the string "lots""#
        ),
        "{error}"
    );
}
