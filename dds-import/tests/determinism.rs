//! The importer's output is a pure function of its inputs: fixed key order, stable bytes,
//! and a second run over its own output changes nothing.

mod common;

use std::fs;

use common::{base, data, fresh_dir, overlay, snapshot_dir};

#[test]
fn import_writes_exactly_the_golden_files() {
    let out = fresh_dir("golden");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    let golden = data("golden");
    if std::env::var_os("DDS_IMPORT_BLESS").is_some() {
        let _ = fs::remove_dir_all(&golden);
        fs::create_dir_all(&golden).unwrap();
        for (name, content) in snapshot_dir(&out) {
            fs::write(golden.join(name), content).unwrap();
        }
    }
    let written = snapshot_dir(&out);
    let expected = snapshot_dir(&golden);
    let names =
        |files: &[(String, String)]| files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&written), names(&expected));
    for ((name, got), (_, want)) in written.iter().zip(&expected) {
        assert_eq!(got, want, "{name} differs from tests/data/golden/{name}");
    }
}

#[test]
fn a_second_import_over_its_own_output_changes_no_byte() {
    let out = fresh_dir("twice");
    let first = dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    assert_eq!(first.created.len(), 5);
    let before = snapshot_dir(&out);

    let second = dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    assert!(
        second.created.is_empty() && second.updated.is_empty(),
        "{second:?}"
    );
    assert_eq!(second.unchanged.len(), 5);
    assert_eq!(snapshot_dir(&out), before);
}

#[test]
fn files_are_two_space_indented_with_a_trailing_newline_and_keys_in_fixed_order() {
    let out = fresh_dir("format");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    let text = fs::read_to_string(out.join("DescribeWidgets.json")).unwrap();

    assert!(text.starts_with("{\n  \"action\": \"DescribeWidgets\",\n  \"summary\""));
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
    let order = [
        "\"action\"",
        "\"summary\"",
        "\"methods\"",
        "\"operationType\"",
        "\"parameters\"",
        "\"response\"",
        "\"responseExample\"",
        "\"errors\"",
    ];
    let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
}
