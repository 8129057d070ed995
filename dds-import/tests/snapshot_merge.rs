//! Merging an older snapshot (response shapes, examples, error codes) with a newer one
//! (parameters only): nothing either states is lost, and the newer wins where both speak.

mod common;

use common::{base, fresh_dir, overlay, read_spec};
use dds_import::spec::{EnumValue, Product};

#[test]
fn operations_are_the_union_of_both_snapshots() {
    let out = fresh_dir("merge-union");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    for action in [
        "DescribeWidgets",
        "ModifyWidgetTLS",
        "RetireWidget",
        "RestartWidgetNode",
    ] {
        assert_eq!(read_spec(&out, action).action, action);
    }
}

#[test]
fn parameters_come_from_the_newer_snapshot_with_its_constraints() {
    let out = fresh_dir("merge-params");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    let spec = read_spec(&out, "ModifyWidgetTLS");

    let names: Vec<_> = spec
        .parameters
        .iter()
        .map(|p| p.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["WidgetId", "TLSAction", "SwitchMode"]);
    let action = &spec.parameters[1];
    let values: Vec<_> = action
        .enum_values
        .as_ref()
        .unwrap()
        .iter()
        .map(EnumValue::value)
        .collect();
    assert_eq!(values, ["Open", "Close", "Renew"]);

    let page_size = &read_spec(&out, "DescribeWidgets").parameters[1];
    assert_eq!(page_size.maximum.as_ref().unwrap().as_i64(), Some(100));
}

#[test]
fn a_key_the_newer_snapshot_never_uses_is_kept_from_the_older_one() {
    let out = fresh_dir("merge-silent-keys");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    let spec = read_spec(&out, "DescribeWidgets");

    // The newer file has no `default` and no `pattern` anywhere: silence is not removal.
    assert_eq!(spec.parameters[1].default.as_deref(), Some("20"));
    let label_value = &spec.parameters[4]
        .items
        .as_ref()
        .unwrap()
        .properties
        .as_ref()
        .unwrap()[1];
    assert_eq!(label_value.pattern.as_deref(), Some("[a-z]+"));
}

#[test]
fn a_parameter_the_newer_snapshot_no_longer_lists_is_left_out_and_reported() {
    let text = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
    let (b, o) = (base(), overlay());
    let plan = dds_import::plan((&b, &text(&b)), Some((&o, &text(&o))), &|_| None).unwrap();

    assert!(!plan.files["DescribeWidgets.json"].contains("\"Retired\""));
    let report = plan.report.render_full();
    assert!(
        report.contains("merged      DescribeWidgets.Retired: parameter"),
        "{report}"
    );
}

#[test]
fn responses_examples_and_errors_come_from_the_snapshot_that_has_them() {
    let out = fresh_dir("merge-responses");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    let spec = read_spec(&out, "DescribeWidgets");

    let response = spec.response.unwrap();
    let keys: Vec<_> = response
        .properties
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, ["RequestId", "TotalCount", "Widgets"]);
    assert!(spec.response_example.is_some());
    let codes: Vec<_> = spec
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.status, e.name.as_deref()))
        .collect();
    // `Region_NotFound` maps to the variant `RegionNotFound` too: it is kept, named apart.
    assert_eq!(
        codes,
        [
            ("InvalidShape", 400, None),
            ("RegionNotFound", 404, None),
            ("Region_NotFound", 404, Some("RegionNotFound2"))
        ]
    );
}

#[test]
fn methods_come_from_the_newer_snapshot_with_post_first() {
    let out = fresh_dir("merge-methods");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    // The older snapshot lists GET first; both list both: the SDK sends POST.
    assert_eq!(read_spec(&out, "DescribeWidgets").methods, ["POST", "GET"]);
    assert_eq!(read_spec(&out, "RestartWidgetNode").methods, ["GET"]);
}

#[test]
fn endpoints_are_the_union_and_the_newer_host_wins() {
    let out = fresh_dir("merge-endpoints");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    let text = std::fs::read_to_string(out.join("product.json")).unwrap();
    let product = Product::from_json_text(&text).unwrap();

    assert_eq!(
        product.endpoints,
        [
            (
                "xx-east-1".to_owned(),
                "wdg.xx-east-1.aliyuncs.com".to_owned()
            ),
            ("xx-north-1".to_owned(), "wdg.aliyuncs.com".to_owned()),
            (
                "xx-south-1".to_owned(),
                "wdg.xx-south-1.aliyuncs.com".to_owned()
            ),
        ]
    );
    assert_eq!(
        (product.product.as_str(), product.version.as_str()),
        ("Wdg", "2020-01-01")
    );
}

#[test]
fn the_older_snapshot_alone_is_a_valid_import() {
    let out = fresh_dir("merge-base-only");
    dds_import::import_dir(&base(), None, &out).unwrap();

    let spec = read_spec(&out, "ModifyWidgetTLS");
    let names: Vec<_> = spec
        .parameters
        .iter()
        .map(|p| p.name.clone().unwrap())
        .collect();
    // `Body` travels in the body upstream: kept (and reported), never dropped silently.
    assert_eq!(names, ["WidgetId", "TLSAction", "Body", "Mystery"]);
}

#[test]
fn an_operation_without_a_documented_answer_gets_the_common_request_id_answer() {
    let out = fresh_dir("merge-no-response");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    let response = read_spec(&out, "RestartWidgetNode").response.unwrap();
    let props = response.properties.unwrap();
    assert_eq!(response.ty, "object");
    assert_eq!(props.len(), 1);
    assert_eq!(
        (props[0].0.as_str(), props[0].1.ty.as_str()),
        ("RequestId", "string")
    );
}
