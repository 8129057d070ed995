//! How metadata constructs map to the spec format: types, styles, constraints, operation type,
//! summaries and enum names.

mod common;

use common::{base, fresh_dir, overlay, read_spec};
use dds_import::spec::EnumValue;

fn imported(test: &str) -> std::path::PathBuf {
    let out = fresh_dir(test);
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    out
}

#[test]
fn integer_and_number_formats_map_to_sized_types() {
    let spec = read_spec(&imported("map-types"), "DescribeWidgets");
    let response = spec.response.unwrap();
    let props = response.properties.unwrap();
    assert_eq!(props[1].1.ty, "int64");
    let widget = props[2].1.properties.as_ref().unwrap()[0]
        .1
        .items
        .as_ref()
        .unwrap();
    let types: Vec<_> = widget
        .properties
        .as_ref()
        .unwrap()
        .iter()
        .map(|(k, s)| (k.as_str(), s.ty.as_str()))
        .collect();
    assert_eq!(
        types,
        [
            ("WidgetId", "string"),
            ("WidgetName", "string"),
            ("Weight", "number"),
            ("Ratio", "number"),
            ("Enabled", "boolean"),
            ("Extra", "object"),
            ("Meta", "object"),
            ("Grid", "array"),
        ]
    );
    assert_eq!(spec.parameters[1].ty, "int32");
}

#[test]
fn repeat_lists_are_flat_arrays_with_nested_object_items() {
    let spec = read_spec(&imported("map-style"), "DescribeWidgets");
    let label = &spec.parameters[4];
    assert_eq!(
        (label.ty.as_str(), label.style.as_deref()),
        ("array", Some("flat"))
    );
    assert_eq!(label.max_items, Some(5));
    let items = label.items.as_ref().unwrap();
    assert_eq!(items.ty, "object");
    let key = &items.properties.as_ref().unwrap()[0];
    assert_eq!(
        (key.name.as_deref(), key.required, key.max_length),
        (Some("Key"), Some(true), Some(64))
    );
}

#[test]
fn numeric_constraints_written_as_strings_become_numbers() {
    let spec = read_spec(&imported("map-numbers"), "DescribeWidgets");
    let page_size = &spec.parameters[1];
    assert_eq!(page_size.minimum.as_ref().unwrap().as_i64(), Some(10));
    assert_eq!(page_size.maximum.as_ref().unwrap().as_i64(), Some(100));
}

#[test]
fn operation_type_is_stated_or_derived_from_tags_or_the_verb() {
    let out = imported("map-operation-type");
    let op_type = |a| read_spec(&out, a).operation_type.unwrap();
    assert_eq!(op_type("DescribeWidgets"), "read"); // systemTags: list
    assert_eq!(op_type("ModifyWidgetTLS"), "write"); // readAndWrite
    assert_eq!(op_type("RetireWidget"), "write"); // empty tags, verb
    assert_eq!(op_type("RestartWidgetNode"), "write"); // newer snapshot only, verb
}

#[test]
fn summaries_are_made_from_the_action_name_and_no_upstream_prose_is_copied() {
    let out = imported("map-prose");
    assert_eq!(
        read_spec(&out, "ModifyWidgetTLS").summary.as_deref(),
        Some("Modify widget TLS.")
    );
    for file in std::fs::read_dir(&out).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(!text.contains("prose") && !text.contains("Prose"), "{text}");
        assert!(!text.contains("\"description\""), "{text}");
    }
}

#[test]
fn enum_values_that_cannot_name_themselves_get_explicit_names() {
    let spec = read_spec(&imported("map-enum-names"), "DescribeWidgets");
    let shape = spec.parameters[2].enum_values.clone().unwrap();
    let named = |value: &str, name: &str| EnumValue::Named {
        value: value.to_owned(),
        name: Some(name.to_owned()),
        description: None,
    };
    assert_eq!(
        shape,
        [
            named("round", "RoundLower"),
            EnumValue::Plain("Round".to_owned()),
            EnumValue::Plain("SQUARE".to_owned()),
            named("3d", "V3d"),
        ]
    );
}

#[test]
fn the_json_response_demo_becomes_the_response_example() {
    let spec = read_spec(&imported("map-example"), "DescribeWidgets");
    let example = spec.response_example.unwrap();
    assert_eq!(
        example.get("RequestId").and_then(|v| v.as_str()),
        Some("req-1")
    );
}

#[test]
fn text_in_the_upstream_language_inside_the_example_is_replaced_by_a_neutral_string() {
    let spec = read_spec(&imported("map-example-prose"), "DescribeWidgets");
    let example = spec.response_example.unwrap();
    let widget = &example
        .get("Widgets")
        .unwrap()
        .get("Widget")
        .unwrap()
        .as_array()
        .unwrap()[0];
    assert_eq!(widget.get("WidgetId").and_then(|v| v.as_str()), Some("w-1"));
    assert_eq!(
        widget.get("WidgetName").and_then(|v| v.as_str()),
        Some("example text")
    );
}

#[test]
fn objects_without_documented_properties_are_written_as_free_form_objects() {
    let spec = read_spec(&imported("map-free-form"), "DescribeWidgets");
    let response = spec.response.unwrap();
    let widget = response.properties.unwrap()[2]
        .1
        .properties
        .as_ref()
        .unwrap()[0]
        .1
        .items
        .clone()
        .unwrap();
    for field in ["Extra", "Meta"] {
        let (_, shape) = widget
            .properties
            .as_ref()
            .unwrap()
            .iter()
            .find(|(k, _)| k == field)
            .unwrap();
        assert_eq!(
            (shape.ty.as_str(), shape.properties.is_none()),
            ("object", true),
            "{field}"
        );
    }
}
