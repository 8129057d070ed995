//! What the generator says about wrong specs: every problem, with file, JSON path,
//! line:column, what was expected and what was found. (The same messages reach the compiler
//! as `compile_error!`s; see dds-macros/tests/ui.)

use dds_codegen::{Options, Source, SpecDir};

const PRODUCT: &str =
    r#"{ "product": "T", "version": "1", "style": "RPC", "endpoints": { "r": "h" } }"#;

/// The diagnostics for operation files given as (file name, text), one line each.
fn diagnostics(files: &[(&str, &str)]) -> Vec<String> {
    let specs = SpecDir {
        product: Source::new("specs/product.json", PRODUCT),
        operations: files
            .iter()
            .map(|(name, text)| Source::new(format!("specs/{name}"), *text))
            .collect(),
    };
    match dds_codegen::generate(&specs, false, Options::default()) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.iter().map(ToString::to_string).collect(),
    }
}

/// A minimal valid operation named `action` with these parameters and response properties.
fn op(action: &str, parameters: &str, properties: &str) -> String {
    format!(
        r#"{{
  "action": "{action}",
  "summary": "s",
  "methods": ["POST"],
  "operationType": "read",
  "parameters": [{parameters}],
  "response": {{ "type": "object", "properties": {{{properties}}} }}
}}"#
    )
}

#[test]
fn a_valid_spec_has_no_diagnostics() {
    let text = op(
        "Good",
        r#"{ "name": "Id", "type": "string", "required": true }"#,
        r#""RequestId": { "type": "string" }"#,
    );
    assert_eq!(diagnostics(&[("Good.json", &text)]), Vec::<String>::new());
}

#[test]
fn the_file_name_must_be_the_action() {
    let text = op("Good", "", "");
    assert_eq!(
        diagnostics(&[("Bad.json", &text)]),
        [
            "specs/Bad.json:2:13: action: expected the file name to be `Good.json` (the action), found `Bad.json`"
        ]
    );
}

#[test]
fn keys_that_do_not_fit_the_type_are_reported_where_they_are() {
    let text = op(
        "Keys",
        r#"{ "name": "Flag", "type": "boolean", "maxLength": 3, "minimum": 1, "maxItems": 2, "style": "json", "items": { "type": "string" } }"#,
        "",
    );
    assert_eq!(
        diagnostics(&[("Keys.json", &text)]),
        [
            "specs/Keys.json:6:68: parameters[0].maxLength: expected `maxLength` only on a string parameter, found type `boolean`",
            "specs/Keys.json:6:82: parameters[0].minimum: expected `minimum` only on int32, int64 or number, found type `boolean`",
            "specs/Keys.json:6:97: parameters[0].maxItems: expected `maxItems` only on an array, found type `boolean`",
            "specs/Keys.json:6:109: parameters[0].style: expected `style` only on an array or object, found type `boolean`",
            "specs/Keys.json:6:126: parameters[0].items: expected `items` only on an array, found type `boolean`",
        ]
    );
}

#[test]
fn defaults_patterns_and_bounds_are_checked() {
    let text = op(
        "Rules",
        r#"{ "name": "Size", "type": "int32", "default": "big", "minimum": 5, "maximum": 1 },
    { "name": "Name", "type": "string", "pattern": "(unclosed", "minLength": 3, "maxLength": 2 },
    { "name": "Mode", "type": "string", "enum": ["A", "B"], "default": "C" }"#,
        "",
    );
    let found = diagnostics(&[("Rules.json", &text)]);
    let expected_parts = [
        "parameters[0].default: expected a default of type `int32`, found \"big\"",
        "parameters[0].minimum: expected `minimum` <= `maximum`, found 5 > 1",
        "parameters[1].pattern: expected a valid regular expression, found \"(unclosed\"",
        "parameters[1].minLength: expected `minLength` <= `maxLength`, found 3 > 2",
        "parameters[2].default: expected the default to be one of the enum values, found \"C\"",
    ];
    assert_eq!(found.len(), expected_parts.len(), "{found:#?}");
    for part in expected_parts {
        assert!(
            found.iter().any(|d| d.contains(part)),
            "missing {part:?} in {found:#?}"
        );
    }
}

#[test]
fn enum_values_and_error_codes_must_map_to_distinct_rust_names() {
    let text = r#"{
  "action": "Names",
  "summary": "s",
  "methods": ["POST"],
  "operationType": "write",
  "parameters": [ { "name": "Mode", "type": "string", "enum": ["on-off", "OnOff", "On"] } ],
  "response": { "type": "object" },
  "errors": [
    { "code": "Quota.Exceeded", "status": 400 },
    { "code": "QuotaExceeded", "status": 400 },
    { "code": "Unhandled", "status": 500 },
    { "code": "Quota.Exceeded", "status": 403 }
  ]
}"#;
    assert_eq!(
        diagnostics(&[("Names.json", text)]),
        [
            "specs/Names.json:6:74: parameters[0].enum[1]: enum values \"on-off\" and \"OnOff\" both map to the variant `OnOff`; give one a `name`",
            "specs/Names.json:10:15: errors[1].code: error codes \"Quota.Exceeded\" and \"QuotaExceeded\" both map to the variant `QuotaExceeded`; give one a `name`",
            "specs/Names.json:11:15: errors[2].code: expected a code usable as a Rust variant name, found \"Unhandled\"; give it a `name`",
            "specs/Names.json:12:15: errors[3].code: duplicate error code \"Quota.Exceeded\"",
        ]
    );
}

#[test]
fn an_error_name_tells_apart_codes_that_map_to_one_variant() {
    let text = |second: &str, third: &str| {
        format!(
            r#"{{
  "action": "Names",
  "summary": "s",
  "methods": ["POST"],
  "operationType": "write",
  "response": {{ "type": "object" }},
  "errors": [
    {{ "code": "Zone_NotFound", "status": 404 }},
    {{ "code": "ZoneNotFound", "status": 404{second} }},
    {{ "code": "Other", "status": 400{third} }}
  ]
}}"#
        )
    };
    let named = text(r#", "name": "ZoneNotFound2""#, "");
    assert_eq!(diagnostics(&[("Names.json", &named)]), Vec::<String>::new());

    let generated = dds_codegen::pretty(
        &dds_codegen::generate(
            &SpecDir {
                product: Source::new("specs/product.json", PRODUCT),
                operations: vec![Source::new("specs/Names.json", named.as_str())],
            },
            false,
            Options::default(),
        )
        .expect("valid"),
    )
    .expect("parses");
    assert!(
        generated.contains("ZoneNotFound2(::dds_api::ServiceError)"),
        "{generated}"
    );
    assert!(
        generated.contains(r#""ZoneNotFound" => Self::ZoneNotFound2(error)"#),
        "{generated}"
    );
    assert!(
        generated.contains(r#""Zone_NotFound" => Self::ZoneNotFound(error)"#),
        "{generated}"
    );

    // A name that clashes, or is no UpperCamelCase variant, is an error at the name.
    let clash = text(r#", "name": "Other""#, "");
    assert_eq!(
        diagnostics(&[("Names.json", &clash)]),
        [
            "specs/Names.json:10:15: errors[2].code: error codes \"ZoneNotFound\" and \"Other\" both map to the variant `Other`; give one a `name`"
        ]
    );
    let bad = text("", r#", "name": "not_camel""#);
    assert_eq!(
        diagnostics(&[("Names.json", &bad)]),
        [
            "specs/Names.json:9:15: errors[1].code: error codes \"Zone_NotFound\" and \"ZoneNotFound\" both map to the variant `ZoneNotFound`; give one a `name`",
            "specs/Names.json:10:47: errors[2].name: expected an UpperCamelCase Rust variant name other than `Unhandled`, found \"not_camel\"",
        ]
    );
}

#[test]
fn problems_of_every_file_are_reported_together() {
    let first = op("First", r#"{ "name": "A", "type": "strin" }"#, "");
    let second = "{ \"action\": \"Second\" ";
    let found = diagnostics(&[("First.json", &first), ("Second.json", second)]);
    assert_eq!(
        found,
        [
            "specs/First.json:6:41: parameters[0].type: unknown type \"strin\"; expected one of: string, int32, int64, boolean, number, array, object",
            "specs/Second.json:1:21: malformed JSON: EOF while parsing an object",
        ]
    );
}

#[test]
fn actions_that_share_a_module_are_reported() {
    let found = diagnostics(&[
        ("DescribeDBInstance.json", &op("DescribeDBInstance", "", "")),
        ("DescribeDbInstance.json", &op("DescribeDbInstance", "", "")),
    ]);
    assert_eq!(
        found,
        [
            "specs/DescribeDbInstance.json:2:13: action: actions `DescribeDBInstance` (specs/DescribeDBInstance.json) \
             and `DescribeDbInstance` both map to the module `describe_db_instance`"
        ]
    );
}

#[test]
fn a_wrong_product_file_is_reported() {
    let specs = SpecDir {
        product: Source::new(
            "specs/product.json",
            r#"{ "product": "T", "version": 1, "style": "REST", "endpoints": { "r": "" } }"#,
        ),
        operations: Vec::new(),
    };
    let found: Vec<String> = dds_codegen::generate(&specs, false, Options::default())
        .expect_err("invalid")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "specs/product.json:1:30: version: expected a string, found the number 1",
            "specs/product.json:1:42: style: expected \"RPC\" (the only style supported), found \"REST\"",
            "specs/product.json:1:70: endpoints.r: expected an endpoint host name, found the string \"\"",
        ]
    );
}

#[test]
fn parameters_may_not_take_the_builders_own_names() {
    let text = op(
        "Own",
        r#"{ "name": "Build", "type": "string" }, { "name": "Client", "type": "string", "rustName": "client_name" }"#,
        "",
    );
    assert_eq!(
        diagnostics(&[("Own.json", &text)]),
        [
            "specs/Own.json:6:28: parameters[0].name: expected a name other than `build` (the builder's own), found \"Build\"; give it a `rustName`"
        ]
    );
}
