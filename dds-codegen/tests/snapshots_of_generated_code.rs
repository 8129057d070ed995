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
