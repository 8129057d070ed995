//! Every metadata construct that is not mapped is named in the report with its category;
//! nothing is dropped silently.

mod common;

use common::{base, overlay};

fn report() -> String {
    let text = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
    let (b, o) = (base(), overlay());
    dds_import::plan((&b, &text(&b)), Some((&o, &text(&o))), &|_| None)
        .unwrap()
        .report
        .render_full()
}

#[test]
fn unmapped_facts_are_reported_as_unsupported_by_location_and_key() {
    let report = report();
    for line in [
        "unsupported DescribeWidgets.Shape: allowEmptyValue",
        "unsupported DescribeWidgets.Retired: docRequired",
        "unsupported DescribeWidgets.response.Widgets.Widget[].Linked: $ref",
        "unsupported DescribeWidgets.response.Widgets.Widget[].Grid: items (array of arrays",
        "unsupported DescribeWidgets.response.Widgets.Widget[].Enabled: default",
        "unsupported ModifyWidgetTLS.Body: in",
        "unsupported ModifyWidgetTLS.Mystery: exclusiveMinimum (unknown key)",
        "unsupported ModifyWidgetTLS: staticInfo.returnType",
        "unsupported DescribeWidgets: systemTags.riskType",
        "unsupported RetireWidget: schemes (only https)",
        "unsupported DescribeWidgets.PageSize: enum (on a parameter of type int32 (the spec format has enums on strings only): [10, 20, 50, 100] left out)",
    ] {
        assert!(report.contains(line), "missing `{line}` in:\n{report}");
    }
}

#[test]
fn upstream_prose_and_samples_are_reported_as_dropped_on_purpose() {
    let report = report();
    for line in [
        "prose       DescribeWidgets: title",
        "prose       DescribeWidgets: summary",
        "prose       DescribeWidgets.RegionId: description",
        "prose       DescribeWidgets.Shape: enumValueTitles",
        "prose       DescribeWidgets.errorCodes.404.RegionNotFound: description",
        "sample      DescribeWidgets.RegionId: example",
        "sample      DescribeWidgets: responseDemo.example (xml)",
        "implied     DescribeWidgets.RegionId: in (query)",
    ] {
        assert!(report.contains(line), "missing `{line}` in:\n{report}");
    }
}

#[test]
fn wrong_values_are_reported_as_rejected_and_left_out() {
    let report = report();
    for line in [
        "rejected    DescribeWidgets.Legacy: default (\"ture\" not a boolean",
        "rejected    DescribeWidgets.Label: name (listed twice with the same facts",
        "rejected    ModifyWidgetTLS: responseDemo.example (the JSON example does not parse",
    ] {
        assert!(report.contains(line), "missing `{line}` in:\n{report}");
    }
}

#[test]
fn decisions_the_importer_made_are_reported_as_derived() {
    let report = report();
    for line in [
        "derived     DescribeWidgets: operationType (read from systemTags.operationType list)",
        "derived     ModifyWidgetTLS: operationType (readAndWrite written as write",
        "derived     RestartWidgetNode: operationType (write from the action verb",
        "derived     DescribeWidgets: methods (POST moved first)",
        "derived     DescribeWidgets.Shape: enum (value \"3d\" named V3d)",
        "derived     DescribeWidgets.errors.Region_NotFound: name (RegionNotFound2: the variant RegionNotFound is taken by another code)",
    ] {
        assert!(report.contains(line), "missing `{line}` in:\n{report}");
    }
}

#[test]
fn the_report_ends_with_counts_per_category_and_key() {
    let report = report();
    assert!(report.contains("counts (category key: entries):\n"));
    assert!(
        report.contains("  unsupported allowEmptyValue: 1\n"),
        "{report}"
    );
}
