//! The generated code of each operation spec, formatted, as reviewed snapshots.
//!
//! A change to the generator shows up here as a diff of readable Rust; review it with
//! `cargo insta review`.

use std::path::Path;

use dds_codegen::{Options, Source, SpecDir};

const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/dds/2015-12-01");

fn source(name: &str) -> Source {
    let path = Path::new(SPECS).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Source::new(format!("specs/dds/2015-12-01/{name}"), text)
}

/// The formatted code generated for one operation (with the product file beside it).
fn generated(action: &str) -> String {
    let specs = SpecDir {
        product: source("product.json"),
        operations: vec![source(&format!("{action}.json"))],
    };
    let tokens = dds_codegen::generate(&specs, false, Options::default())
        .unwrap_or_else(|diagnostics| panic!("{diagnostics:#?}"));
    dds_codegen::pretty(&tokens).expect("the generated code parses as a Rust file")
}

#[test]
fn modify_db_instance_ssl() {
    insta::assert_snapshot!(generated("ModifyDBInstanceSSL"));
}

#[test]
fn describe_db_instance_ssl() {
    insta::assert_snapshot!(generated("DescribeDBInstanceSSL"));
}

#[test]
fn describe_db_instance_attribute() {
    insta::assert_snapshot!(generated("DescribeDBInstanceAttribute"));
}

/// The made-up operation of `dds-api`'s tests, which uses every feature of the format.
#[test]
fn fixture_with_lists_objects_and_json_parameters() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dds-api/tests/specs/fixture");
    let read = |name: &str| {
        let text = std::fs::read_to_string(dir.join(name)).expect("fixture spec");
        Source::new(format!("fixture/{name}"), text)
    };
    let specs = SpecDir {
        product: read("product.json"),
        operations: vec![read("CreateThing.json")],
    };
    let tokens = dds_codegen::generate(&specs, false, Options { client: false })
        .unwrap_or_else(|diagnostics| panic!("{diagnostics:#?}"));
    insta::assert_snapshot!(dds_codegen::pretty(&tokens).expect("parses"));
}
