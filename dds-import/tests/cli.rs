//! The `dds-import` command: arguments, exit codes, what it prints and the report file.

mod common;

use std::process::Command;

use common::{base, fresh_dir, overlay};

fn dds_import() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dds-import"))
}

#[test]
fn a_run_writes_the_specs_prints_the_report_and_counts_and_writes_the_full_report() {
    let out = fresh_dir("cli-run");
    let report = out.with_extension("report.txt");

    let run = dds_import()
        .arg("--base")
        .arg(base())
        .arg("--overlay")
        .arg(overlay())
        .arg("--out")
        .arg(out.join("specs"))
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();

    assert!(run.status.success());
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("unsupported ModifyWidgetTLS.Body: in"),
        "{stderr}"
    );
    assert!(
        stderr.contains("dds-import: 5 created, 0 updated, 0 unchanged"),
        "{stderr}"
    );
    // Prose entries are counted on stderr and listed one by one in the report file.
    assert!(
        !stderr.contains("prose       DescribeWidgets: title"),
        "{stderr}"
    );
    let full = std::fs::read_to_string(&report).unwrap();
    assert!(
        full.contains("prose       DescribeWidgets: title"),
        "{full}"
    );
    assert!(out.join("specs/DescribeWidgets.json").is_file());
}

#[test]
fn a_missing_required_argument_is_named_and_exits_with_status_2() {
    let run = dds_import().arg("--base").arg(base()).output().unwrap();

    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("`--out` is required"), "{stderr}");
}

#[test]
fn an_unreadable_metadata_file_is_named_and_nothing_is_written() {
    let out = fresh_dir("cli-missing-file");
    let run = dds_import()
        .arg("--base")
        .arg(out.join("no-such.json"))
        .arg("--out")
        .arg(out.join("specs"))
        .output()
        .unwrap();

    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("no-such.json"), "{stderr}");
    assert!(!out.join("specs").exists());
}

#[test]
fn a_file_that_is_not_metadata_is_rejected_with_the_reason() {
    let out = fresh_dir("cli-not-metadata");
    let bogus = out.join("bogus.json");
    std::fs::write(&bogus, "{\"hello\": 1}").unwrap();

    let run = dds_import()
        .arg("--base")
        .arg(&bogus)
        .arg("--out")
        .arg(out.join("specs"))
        .output()
        .unwrap();

    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("bogus.json: not API metadata: missing `info`"),
        "{stderr}"
    );
}
