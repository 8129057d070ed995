//! Wrong and odd specs: the generator answers each with located diagnostics (file, JSON
//! path, line and column) or with code that parses, and never panics.

use std::panic::{AssertUnwindSafe, catch_unwind};

use dds_codegen::{Diagnostic, Options, Source, SpecDir};

const PRODUCT: &str = r#"{ "product": "Dds", "version": "2015-12-01", "style": "RPC",
  "endpoints": { "cn-hangzhou": "mongodb.aliyuncs.com" } }"#;

/// An operation spec `DoIt` with the given parameters, response properties and errors.
fn op(parameters: &str, response: &str, errors: &str) -> String {
    format!(
        r#"{{
  "action": "DoIt",
  "summary": "Does it.",
  "methods": ["POST"],
  "operationType": "read",
  "parameters": [{parameters}],
  "response": {{ "type": "object", "properties": {{ "RequestId": {{ "type": "string" }}{response} }} }},
  "errors": [{errors}]
}}"#
    )
}

/// Generates, turning a panic into a test failure that names the spec.
fn generate(text: &str) -> Result<String, Vec<Diagnostic>> {
    let specs = SpecDir {
        product: Source::new("specs/product.json", PRODUCT),
        operations: vec![Source::new("specs/DoIt.json", text)],
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        dds_codegen::generate(&specs, false, Options { client: false })
    }));
    match result {
        Ok(Ok(tokens)) => Ok(dds_codegen::pretty(&tokens)
            .unwrap_or_else(|e| panic!("generated code does not parse ({e}) for:\n{text}"))),
        Ok(Err(diagnostics)) => Err(diagnostics),
        Err(_) => panic!("the generator panicked on:\n{text}"),
    }
}

/// The spec must be refused with a diagnostic located in the file whose message contains
/// `needle`.
#[track_caller]
fn assert_refused(text: &str, needle: &str) {
    match generate(text) {
        Ok(code) => panic!("accepted (expected `{needle}`):\n{text}\n---\n{code}"),
        Err(diagnostics) => {
            assert!(
                diagnostics.iter().any(|d| d.message.contains(needle)
                    && d.file == "specs/DoIt.json"
                    && d.position.is_some()),
                "no located diagnostic containing `{needle}`: {:#?}",
                diagnostics
            );
        }
    }
}

#[test]
fn parameters_whose_rust_names_collide_are_refused() {
    assert_refused(
        &op(
            r#"{ "name": "DBInstanceId", "type": "string" }, { "name": "DbInstanceId", "type": "string" }"#,
            "",
            "",
        ),
        "db_instance_id",
    );
}

#[test]
fn enum_values_whose_rust_names_collide_are_refused() {
    assert_refused(
        &op(
            r#"{ "name": "Mode", "type": "string", "enum": ["open", "Open"] }"#,
            "",
            "",
        ),
        "Open",
    );
}

#[test]
fn contradictory_bounds_are_refused() {
    assert_refused(
        &op(
            r#"{ "name": "Count", "type": "int32", "minimum": 10, "maximum": 1 }"#,
            "",
            "",
        ),
        "minimum",
    );
    assert_refused(
        &op(
            r#"{ "name": "Text", "type": "string", "minLength": 5, "maxLength": 1 }"#,
            "",
            "",
        ),
        "minLength",
    );
}

#[test]
fn a_pattern_that_is_not_a_regular_expression_is_refused() {
    assert_refused(
        &op(
            r#"{ "name": "Text", "type": "string", "pattern": "[a-" }"#,
            "",
            "",
        ),
        "regular expression",
    );
}

#[test]
fn a_default_outside_the_enum_or_the_type_is_refused() {
    assert_refused(
        &op(
            r#"{ "name": "Mode", "type": "string", "enum": ["A", "B"], "default": "C" }"#,
            "",
            "",
        ),
        "default",
    );
    assert_refused(
        &op(
            r#"{ "name": "Count", "type": "int32", "default": "ten" }"#,
            "",
            "",
        ),
        "default",
    );
}

#[test]
fn duplicate_error_codes_are_refused() {
    assert_refused(
        &op(
            "",
            "",
            r#"{ "code": "Busy", "status": 400 }, { "code": "Busy", "status": 403 }"#,
        ),
        "Busy",
    );
}

#[test]
fn error_codes_whose_variants_collide_are_refused() {
    assert_refused(
        &op(
            "",
            "",
            r#"{ "code": "SSL.NotFound", "status": 404 }, { "code": "SslNotFound", "status": 404 }"#,
        ),
        "SslNotFound",
    );
}

#[test]
fn parameter_names_that_are_not_identifiers_are_refused_or_renamed() {
    // Keywords that cannot be raw identifiers, names starting with a digit, empty names,
    // non-ASCII names: each is refused with a diagnostic or generates code that parses.
    for name in [
        "Self", "self", "super", "crate", "_", "1Count", "", "名前", "A B", "Type",
    ] {
        let text = op(
            &format!(r#"{{ "name": "{name}", "type": "string" }}"#),
            "",
            "",
        );
        if let Err(diagnostics) = generate(&text) {
            assert!(
                diagnostics.iter().all(|d| d.position.is_some()),
                "{name:?}: {diagnostics:#?}"
            );
        }
    }
}

#[test]
fn response_property_and_enum_names_that_are_not_identifiers_are_refused_or_renamed() {
    for name in ["Self", "self", "_", "9Lives", "A-B"] {
        let text = op(
            "",
            &format!(r#", "{name}": {{ "type": "string", "enum": ["x", "{name}"] }}"#),
            "",
        );
        if let Err(diagnostics) = generate(&text) {
            assert!(
                diagnostics.iter().all(|d| d.position.is_some()),
                "{name:?}: {diagnostics:#?}"
            );
        }
    }
}

#[test]
fn every_problem_of_a_file_is_reported_at_once_with_its_line() {
    let text = op(
        r#"{ "name": "A", "type": "strnig" },
    { "name": "B", "type": "int32", "minimum": 5, "maximum": 1 },
    { "name": "C", "type": "string", "requried": true }"#,
        "",
        r#"{ "code": "X" }"#,
    );
    let diagnostics = generate(&text).expect_err("four problems");
    let lines: Vec<usize> = diagnostics
        .iter()
        .filter_map(|d| d.position.map(|(line, _)| line))
        .collect();
    assert!(diagnostics.len() >= 4, "{diagnostics:#?}");
    // The three parameter problems are on lines 6, 7 and 8 of the text.
    for line in [6, 7, 8] {
        assert!(lines.contains(&line), "line {line}: {diagnostics:#?}");
    }
}

#[test]
fn enum_values_and_rust_names_that_are_keywords_are_refused() {
    // `Self` as an enum value would be a variant named `Self`; `type` as a `rustName` a field
    // named `type`: neither parses.
    assert_refused(
        &op(
            "",
            r#", "Mode": { "type": "string", "enum": ["Open", "Self"] }"#,
            "",
        ),
        "\"Self\"",
    );
    assert_refused(
        &op(
            r#"{ "name": "Mode", "type": "string", "enum": ["Self", "Super"] }"#,
            "",
            "",
        ),
        "\"Self\"",
    );
    for rust_name in ["type", "self", "Self", "fn"] {
        assert_refused(
            &op(
                &format!(r#"{{ "name": "Kind", "type": "string", "rustName": "{rust_name}" }}"#),
                "",
                "",
            ),
            "Kind",
        );
    }
    assert_refused(
        &op(
            r#"{ "name": "Mode", "type": "string", "enumName": "Self", "enum": ["A"] }"#,
            "",
            "",
        ),
        "Self",
    );
}

#[test]
fn a_pattern_that_only_compiles_on_its_own_is_refused() {
    // The runtime matches whole values with `^(?:pattern)$`. In verbose mode a trailing
    // comment swallows the closing parenthesis: the pattern compiles alone but not there,
    // and every value would be refused at run time.
    assert_refused(
        &op(
            r#"{ "name": "Text", "type": "string", "pattern": "(?x)[a-z]+ # letters" }"#,
            "",
            "",
        ),
        "regular expression",
    );
}
