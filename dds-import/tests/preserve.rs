//! Re-import over existing spec files: what the metadata states wins, what a person added
//! survives, and an invalid existing file stops the import before anything is written.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{base, data, fresh_dir, overlay, read_spec, snapshot_dir};
use dds_import::ImportError;
use dds_import::spec::{EnumValue, Product};

/// A spec directory holding the hand-edited files, re-imported.
fn reimported_over_hand_files(test: &str) -> (PathBuf, dds_import::Outcome) {
    let out = fresh_dir(test);
    for name in ["ModifyWidgetTLS.json", "product.json"] {
        fs::copy(data("hand").join(name), out.join(name)).unwrap();
    }
    let outcome = dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    (out, outcome)
}

fn named(value: &str, name: &str, description: Option<&str>) -> EnumValue {
    EnumValue::Named {
        value: value.to_owned(),
        name: Some(name.to_owned()),
        description: description.map(str::to_owned),
    }
}

#[test]
fn hand_written_texts_and_rust_names_survive() {
    let (out, _) = reimported_over_hand_files("preserve-texts");
    let spec = read_spec(&out, "ModifyWidgetTLS");

    assert_eq!(
        spec.summary.as_deref(),
        Some("Turns TLS on or off for a widget.")
    );
    assert!(spec.description.unwrap().starts_with("Written by a person"));
    let widget = &spec.parameters[0];
    assert_eq!(widget.rust_name.as_deref(), Some("widget"));
    assert_eq!(widget.description.as_deref(), Some("The widget to change."));
    let request_id = &spec.response.as_ref().unwrap().properties.as_ref().unwrap()[0].1;
    assert_eq!(
        request_id.description.as_deref(),
        Some("Id of the request.")
    );
}

#[test]
fn enum_names_given_by_hand_survive_on_the_metadata_values() {
    let (out, outcome) = reimported_over_hand_files("preserve-enums");
    let spec = read_spec(&out, "ModifyWidgetTLS");

    let action = spec
        .parameters
        .iter()
        .find(|p| p.name.as_deref() == Some("TLSAction"))
        .unwrap();
    assert_eq!(action.enum_name.as_deref(), Some("TlsAction"));
    assert_eq!(
        action.enum_values.clone().unwrap(),
        [
            named("Open", "Enable", Some("Turns TLS on.")),
            EnumValue::Plain("Close".to_owned()),
            EnumValue::Plain("Renew".to_owned()),
        ]
    );
    let mode = spec
        .parameters
        .iter()
        .find(|p| p.name.as_deref() == Some("SwitchMode"))
        .unwrap();
    assert_eq!(
        mode.enum_values.clone().unwrap(),
        [
            named("0", "Immediately", None),
            named("1", "MaintenanceWindow", None)
        ]
    );
    // `Toggle` is a value the metadata does not list: the metadata's list wins, and says so.
    let report = outcome.report.render_full();
    assert!(
        report.contains("overridden  ModifyWidgetTLS.TLSAction: enum (file value \"Toggle\""),
        "{report}"
    );
}

#[test]
fn parameters_and_error_codes_added_by_hand_survive_in_place() {
    let (out, _) = reimported_over_hand_files("preserve-additions");
    let spec = read_spec(&out, "ModifyWidgetTLS");

    let names: Vec<_> = spec
        .parameters
        .iter()
        .map(|p| p.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["WidgetId", "DryRun", "TLSAction", "SwitchMode"]);
    let codes: Vec<_> = spec.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["TLSAlreadyOpen", "WidgetNotFound"]);
    let props: Vec<_> = spec
        .response
        .unwrap()
        .properties
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(props, ["RequestId", "TaskId"]);
    assert_eq!(spec.parameters[0].pattern.as_deref(), Some("w-[0-9]+"));
}

#[test]
fn a_hand_made_response_example_is_kept() {
    let (out, _) = reimported_over_hand_files("preserve-example");
    let spec = read_spec(&out, "ModifyWidgetTLS");
    let example = spec.response_example.unwrap();
    assert_eq!(
        example.get("RequestId").and_then(|v| v.as_str()),
        Some("hand-made")
    );
}

#[test]
fn facts_the_metadata_states_win_over_the_file_and_are_reported() {
    let (out, outcome) = reimported_over_hand_files("preserve-facts");
    let spec = read_spec(&out, "ModifyWidgetTLS");

    let action = spec
        .parameters
        .iter()
        .find(|p| p.name.as_deref() == Some("TLSAction"))
        .unwrap();
    assert_eq!(action.required, Some(true));
    assert_eq!(spec.operation_type.as_deref(), Some("write"));
    assert_eq!(
        (spec.errors[0].status, spec.errors[0].message.as_deref()),
        (403, Some("TLS is already open."))
    );
    let report = outcome.report.render_full();
    for line in [
        "overridden  ModifyWidgetTLS.TLSAction: required",
        "overridden  ModifyWidgetTLS: operationType",
        "overridden  ModifyWidgetTLS.errors.TLSAlreadyOpen: status",
        "overridden  ModifyWidgetTLS.errors.TLSAlreadyOpen: message",
    ] {
        assert!(report.contains(line), "missing `{line}` in:\n{report}");
    }
}

#[test]
fn endpoints_only_the_file_has_survive_and_metadata_hosts_win() {
    let (out, _) = reimported_over_hand_files("preserve-product");
    let text = fs::read_to_string(out.join("product.json")).unwrap();
    let product = Product::from_json_text(&text).unwrap();
    let host = |region: &str| {
        product
            .endpoints
            .iter()
            .find(|(r, _)| r == region)
            .map(|(_, h)| h.as_str())
    };

    assert_eq!(host("xx-west-9"), Some("wdg.xx-west-9.aliyuncs.com"));
    assert_eq!(host("xx-north-1"), Some("wdg.aliyuncs.com"));
    // The file's regions first, in its order; then the metadata's other regions, sorted.
    let regions: Vec<_> = product.endpoints.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        regions,
        ["xx-west-9", "xx-north-1", "xx-east-1", "xx-south-1"]
    );
}

#[test]
fn an_edit_made_after_import_survives_the_next_import_and_a_third_run_changes_nothing() {
    let out = fresh_dir("preserve-edit-cycle");
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    let path = out.join("RetireWidget.json");
    let text = fs::read_to_string(&path).unwrap();
    let edited = text.replace(
        "\"summary\": \"Retire widget.\",",
        "\"summary\": \"Retires a widget for good.\",\n  \"description\": \"Added by hand.\",",
    );
    assert_ne!(edited, text);
    fs::write(&path, &edited).unwrap();

    let second = dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
    assert!(second.updated.is_empty(), "{:?}", second.updated);

    let before = snapshot_dir(&out);
    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    assert_eq!(snapshot_dir(&out), before);
}

#[test]
fn re_importing_over_hand_files_is_stable_on_the_second_run() {
    let (out, _) = reimported_over_hand_files("preserve-stable");
    let before = snapshot_dir(&out);
    let again = dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    assert!(again.updated.is_empty(), "{:?}", again.updated);
    assert_eq!(snapshot_dir(&out), before);
}

#[test]
fn spec_files_of_operations_the_metadata_does_not_know_are_left_alone() {
    let out = fresh_dir("preserve-foreign");
    let own = "{ \"action\": \"PolishWidget\" }\n";
    fs::write(out.join("PolishWidget.json"), own).unwrap();
    let outcome = dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    assert_eq!(outcome.untouched, ["PolishWidget.json"]);
    assert_eq!(
        fs::read_to_string(out.join("PolishWidget.json")).unwrap(),
        own
    );
}

#[test]
fn an_invalid_existing_spec_stops_the_import_and_names_the_key() {
    let out = fresh_dir("preserve-invalid");
    let broken = "{ \"action\": \"ModifyWidgetTLS\", \"parameters\": [ { \"name\": \"WidgetId\", \"type\": \"string\", \"descripton\": \"typo\" } ] }";
    fs::write(out.join("ModifyWidgetTLS.json"), broken).unwrap();

    let err = dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap_err();

    let ImportError::ExistingSpec { path, errors } = &err else {
        panic!("{err}");
    };
    assert_eq!(path, Path::new("ModifyWidgetTLS.json"));
    assert_eq!(errors[0].path, "parameters[0].descripton");
    assert!(
        err.to_string().contains("unknown key `descripton`"),
        "{err}"
    );
    // Nothing was written, the broken file included.
    assert_eq!(
        snapshot_dir(&out),
        [("ModifyWidgetTLS.json".to_owned(), broken.to_owned())]
    );
}

#[test]
fn a_value_described_by_hand_without_a_name_keeps_its_description_and_gets_a_name() {
    let out = fresh_dir("preserve-described-value");
    let hand = r#"{ "action": "ModifyWidgetTLS", "summary": "s", "methods": ["POST"], "operationType": "write",
      "parameters": [ { "name": "SwitchMode", "type": "string",
        "enum": [ { "value": "0", "description": "at once" }, "1" ] } ] }"#;
    fs::write(out.join("ModifyWidgetTLS.json"), hand).unwrap();

    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    let spec = read_spec(&out, "ModifyWidgetTLS");
    let mode = spec
        .parameters
        .iter()
        .find(|p| p.name.as_deref() == Some("SwitchMode"))
        .unwrap();
    assert_eq!(
        mode.enum_values.clone().unwrap(),
        [named("0", "V0", Some("at once")), named("1", "V1", None)]
    );
}

#[test]
fn the_order_a_person_gave_is_kept_and_new_metadata_entries_follow_their_predecessor() {
    let out = fresh_dir("preserve-order");
    let hand = r#"{ "action": "ModifyWidgetTLS", "summary": "s", "methods": ["POST"], "operationType": "write",
      "parameters": [
        { "name": "TLSAction", "type": "string" },
        { "name": "WidgetId", "type": "string" } ] }"#;
    fs::write(out.join("ModifyWidgetTLS.json"), hand).unwrap();

    dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    let spec = read_spec(&out, "ModifyWidgetTLS");
    let names: Vec<_> = spec
        .parameters
        .iter()
        .map(|p| p.name.clone().unwrap())
        .collect();
    // Metadata order is WidgetId, TLSAction, SwitchMode: SwitchMode follows TLSAction.
    assert_eq!(names, ["TLSAction", "SwitchMode", "WidgetId"]);
}

#[test]
fn error_names_given_in_the_file_survive_and_other_codes_of_the_same_variant_get_free_ones() {
    let out = fresh_dir("preserve-error-names");
    let hand = r#"{ "action": "ModifyWidgetTLS", "summary": "s", "methods": ["POST"], "operationType": "write",
      "errors": [
        { "code": "TLS_AlreadyOpen", "name": "TlsAlreadyOpen2", "status": 400 },
        { "code": "TLS.AlreadyOpen", "status": 400 } ] }"#;
    fs::write(out.join("ModifyWidgetTLS.json"), hand).unwrap();

    let outcome = dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();

    let spec = read_spec(&out, "ModifyWidgetTLS");
    let errors: Vec<_> = spec
        .errors
        .iter()
        .map(|e| (e.code.as_str(), e.name.as_deref()))
        .collect();
    // The metadata's `TLSAlreadyOpen` (placed first: no metadata code precedes it) maps to
    // `TlsAlreadyOpen` like `TLS.AlreadyOpen`; neither is spelled like the variant, so the
    // first in order keeps it, and the other gets the first number not taken.
    assert_eq!(
        errors,
        [
            ("TLSAlreadyOpen", None),
            ("TLS_AlreadyOpen", Some("TlsAlreadyOpen2")),
            ("TLS.AlreadyOpen", Some("TlsAlreadyOpen3")),
        ]
    );
    assert!(
        outcome.report.render_full().contains(
            "derived     ModifyWidgetTLS.errors.TLS.AlreadyOpen: name (TlsAlreadyOpen3: the variant TlsAlreadyOpen is taken by another code)"
        ),
        "{}",
        outcome.report.render_full()
    );

    // The names are stable: a second run changes nothing.
    let again = dds_import::import_dir(&base(), Some(&overlay()), &out).unwrap();
    assert!(again.updated.is_empty(), "{:?}", again.updated);
}
