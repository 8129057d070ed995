//! Every operation decodes its documented example answer through its generated response type,
//! and the metadata carries the example exactly as the spec states it.

use dds_api::operations::{self, OPERATIONS};
use serde_json::Value;

/// The spec directory `dds-api` compiles (`dds_macros::product!("../specs/dds/2015-12-01")`).
fn spec_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/dds/2015-12-01")
}

/// The `responseExample` of a spec file, read from the file itself.
fn spec_example(action: &str) -> Option<Value> {
    let path = spec_dir().join(format!("{action}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let spec: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    spec.get("responseExample").cloned()
}

#[test]
fn every_documented_example_decodes_into_the_operations_response_type() {
    let mut failures = Vec::new();
    let mut with_example = 0;
    for meta in OPERATIONS {
        let Some(example) = meta.response_example else {
            continue;
        };
        with_example += 1;
        if let Err(error) = (meta.decode_response)(example.as_bytes()) {
            failures.push(format!("{}: {error}", meta.action));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(with_example > 0);
}

#[test]
fn the_metadata_carries_each_spec_files_example() {
    for meta in OPERATIONS {
        let in_meta = meta
            .response_example
            .map(|text| serde_json::from_str::<Value>(text).expect("the example is JSON"));
        assert_eq!(in_meta, spec_example(meta.action), "{}", meta.action);
    }
}

/// The 12 operations only the 2025 metadata snapshot lists come without an example; the
/// other 111 have the one the 2024 snapshot documents.
#[test]
fn operations_without_a_documented_example_are_the_ones_the_metadata_gave_none() {
    let without: Vec<&str> = OPERATIONS
        .iter()
        .filter(|meta| meta.response_example.is_none())
        .map(|meta| meta.action)
        .collect();
    assert_eq!(
        without.len(),
        12,
        "operations without responseExample: {without:?}"
    );
    assert_eq!(OPERATIONS.len() - without.len(), 111);
}

#[test]
fn the_typed_decoder_refuses_what_the_response_type_cannot_hold() {
    let meta = operations::operation("DescribeDBInstanceAttribute").expect("registered");
    let not_an_object = (meta.decode_response)(b"[]").unwrap_err();
    assert!(not_an_object.contains("not an object"), "{not_an_object}");
    let wrong_type = (meta.decode_response)(
        br#"{"DBInstances": {"DBInstance": [{"DBInstanceStorage": "twenty"}]}}"#,
    )
    .unwrap_err();
    assert!(wrong_type.contains("does not match"), "{wrong_type}");
    assert_eq!(
        (meta.decode_response)(br#"{"RequestId": "x", "DBInstances": {"DBInstance": []}}"#),
        Ok(())
    );
}
