//! The imported specs are specs the codegen accepts: every committed file of
//! `specs/dds/2015-12-01` passes `dds_codegen`'s reading, checks and expansion.

mod common;

use std::path::Path;

use common::{base, fresh_dir, overlay};

fn generate(dir: &Path) -> Result<usize, String> {
    let specs =
        dds_codegen::load::spec_dir(dir, &dir.display().to_string()).map_err(|d| render(&d))?;
    let count = specs.operations.len();
    let options = dds_codegen::Options { client: false };
    dds_codegen::generate(&specs, false, options)
        .map(|_| count)
        .map_err(|d| render(&d))
}

fn render(diagnostics: &[dds_codegen::Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

#[test]
fn every_committed_dds_spec_passes_the_codegen_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/dds/2015-12-01");

    match generate(&dir) {
        // The union of both metadata snapshots: 123 operations.
        Ok(count) => assert_eq!(count, 123),
        Err(diagnostics) => panic!("the codegen rejects imported specs:\n{diagnostics}"),
    }
}

#[test]
fn the_fixture_import_passes_the_codegen_checks_except_for_what_the_report_flags() {
    let out = fresh_dir("codegen-fixture");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    // The fixture keeps one construct the report calls unsupported: a response array of arrays.
    let diagnostics = generate(&out).unwrap_err();
    let lines: Vec<&str> = diagnostics.lines().collect();
    assert_eq!(lines.len(), 1, "{diagnostics}");
    assert!(lines[0].contains("Grid"), "{diagnostics}");
}
