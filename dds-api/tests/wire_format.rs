//! Requests as wire parameters: flattening, JSON parameters, and parsing them back with the
//! same rules (what the emulator does with an incoming request).

mod fixture;

use dds_api::operations::modify_db_instance_ssl::{SslAction, SwitchMode};
use dds_api::operations::{DescribeDbInstanceAttribute, ModifyDbInstanceSsl};
use dds_api::validation::Rule;
use dds_api::{Request, WireParams};
use fixture::create_thing::{CreateThing, Extra, Filter, Level, Tag};

fn params(pairs: &[(&str, &str)]) -> WireParams {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn rules(errors: dds_api::ValidationErrors) -> Vec<(String, Rule)> {
    errors
        .violations()
        .iter()
        .map(|v| (v.parameter.clone(), v.rule.clone()))
        .collect()
}

#[test]
fn scalars_and_enums_travel_as_their_wire_text() {
    let request = ModifyDbInstanceSsl {
        db_instance_id: "dds-bp1".to_owned(),
        ssl_action: SslAction::Open,
        switch_mode: Some(SwitchMode::Immediately),
    };
    assert_eq!(
        request.to_wire(),
        [
            ("DBInstanceId".to_owned(), "dds-bp1".to_owned()),
            ("SSLAction".to_owned(), "Open".to_owned()),
            ("SwitchMode".to_owned(), "0".to_owned()),
        ]
    );
}

#[test]
fn absent_optional_parameters_are_not_sent() {
    let request = DescribeDbInstanceAttribute::builder()
        .db_instance_id("dds-1")
        .build()
        .expect("valid");
    assert_eq!(
        request.to_wire(),
        [("DBInstanceId".to_owned(), "dds-1".to_owned())]
    );
}

#[test]
fn lists_and_objects_are_flattened_counting_from_one() {
    let mut request = CreateThing::builder().name("ab").build().expect("valid");
    request.tag = Some(vec![
        Tag {
            key: "k1".to_owned(),
            value: Some("v1".to_owned()),
        },
        Tag {
            key: "k2".to_owned(),
            value: None,
        },
    ]);
    request.zone_id = Some(vec!["z1".to_owned(), "z2".to_owned()]);
    request.filter = Some(Filter {
        status: None,
        limit: Some(5),
    });
    request.level = Some(Level::High);
    request.type_ = Some("t".to_owned());

    let wire: Vec<(String, String)> = request.to_wire();
    let expected = [
        ("Name", "ab"),
        ("Level", "1"),
        ("Type", "t"),
        ("Tag.1.Key", "k1"),
        ("Tag.1.Value", "v1"),
        ("Tag.2.Key", "k2"),
        ("ZoneId.1", "z1"),
        ("ZoneId.2", "z2"),
        ("Filter.Limit", "5"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(wire, expected);
}

#[test]
fn json_parameters_travel_as_one_encoded_value() {
    let mut request = CreateThing::builder().name("ab").build().expect("valid");
    request.extra = Some(Extra {
        owner: "me".to_owned(),
        shards: None,
        labels: Some(vec!["a b".to_owned()]),
    });
    request.scopes = Some(vec!["x".to_owned()]);
    let wire: WireParams = request.to_wire().into_iter().collect();
    assert_eq!(wire["Extra"], r#"{"Owner":"me","Labels":["a b"]}"#);
    assert_eq!(wire["Scopes"], r#"["x"]"#);
    assert_eq!(CreateThing::from_wire(&wire), Ok(request));
}

#[test]
fn values_are_kept_exactly_whatever_their_characters() {
    for value in [
        "",
        " ",
        "a b",
        "*",
        "~",
        "/",
        "+",
        "=",
        "&",
        "%",
        "%20",
        "a&b=c",
        "数据库",
        "é\u{1F600}",
        "\n\t",
    ] {
        let request = DescribeDbInstanceAttribute::builder()
            .db_instance_id(value)
            .resource_group_id(value)
            .build()
            .expect("valid");
        let wire: WireParams = request.to_wire().into_iter().collect();
        assert_eq!(wire["DBInstanceId"], value);
        assert_eq!(
            DescribeDbInstanceAttribute::from_wire(&wire),
            Ok(request),
            "value {value:?}"
        );
    }
}

#[test]
fn booleans_are_read_in_any_letter_case() {
    for (text, expected) in [
        ("true", true),
        ("True", true),
        ("TRUE", true),
        ("false", false),
        ("False", false),
    ] {
        let request = DescribeDbInstanceAttribute::from_wire(&params(&[
            ("DBInstanceId", "d"),
            ("IsDelete", text),
        ]))
        .expect("valid");
        assert_eq!(request.is_delete, Some(expected), "{text}");
    }
}

#[test]
fn parsing_reports_every_problem_at_once() {
    let errors = CreateThing::from_wire(&params(&[
        ("Count", "seven"),
        ("Enabled", "yes"),
        ("Mode", "Slow"),
        ("Ratio", "2"),
        ("Tag.1.Value", "no key"),
        ("Extra", "{not json"),
    ]))
    .expect_err("invalid");
    assert_eq!(
        rules(errors),
        [
            ("Name".to_owned(), Rule::Required),
            (
                "Count".to_owned(),
                Rule::Type {
                    expected: "int32",
                    found: "seven".to_owned()
                }
            ),
            (
                "Ratio".to_owned(),
                Rule::Maximum {
                    maximum: "1".to_owned(),
                    found: "2".to_owned()
                }
            ),
            (
                "Enabled".to_owned(),
                Rule::Type {
                    expected: "boolean",
                    found: "yes".to_owned()
                }
            ),
            (
                "Mode".to_owned(),
                Rule::Enum {
                    found: "Slow".to_owned(),
                    allowed: vec!["Fast".to_owned(), "Safe".to_owned()]
                }
            ),
            ("Tag.1.Key".to_owned(), Rule::Required),
            (
                "Extra".to_owned(),
                Rule::Type {
                    expected: "JSON",
                    found: "{not json".to_owned()
                }
            ),
        ]
    );
}

#[test]
fn enum_values_are_matched_exactly() {
    let errors =
        ModifyDbInstanceSsl::from_wire(&params(&[("DBInstanceId", "d"), ("SSLAction", "open")]))
            .expect_err("invalid");
    assert_eq!(
        rules(errors),
        [(
            "SSLAction".to_owned(),
            Rule::Enum {
                found: "open".to_owned(),
                allowed: vec!["Open".to_owned(), "Close".to_owned(), "Update".to_owned()]
            }
        )]
    );
}

#[test]
fn list_numbering_must_start_at_one_without_gaps() {
    let errors = CreateThing::from_wire(&params(&[
        ("Name", "ab"),
        ("ZoneId.1", "a"),
        ("ZoneId.3", "c"),
    ]))
    .expect_err("gap");
    let found = rules(errors);
    assert_eq!(found.len(), 1);
    assert!(
        matches!(&found[0], (name, Rule::ListIndex { detail }) if name == "ZoneId" && detail.contains("ZoneId.2"))
    );

    let errors =
        CreateThing::from_wire(&params(&[("Name", "ab"), ("ZoneId.0", "a")])).expect_err("zero");
    assert!(matches!(&rules(errors)[0], (name, Rule::ListIndex { .. }) if name == "ZoneId"));
}

#[test]
fn list_limits_apply_when_parsing_too() {
    let errors = CreateThing::from_wire(&params(&[
        ("Name", "ab"),
        ("ZoneId.1", "a"),
        ("ZoneId.2", "b"),
        ("ZoneId.3", "c"),
        ("Port.1", "70000"),
    ]))
    .expect_err("too many");
    assert_eq!(
        rules(errors),
        [
            ("ZoneId".to_owned(), Rule::MaxItems { max: 2, found: 3 }),
            (
                "Port.1".to_owned(),
                Rule::Maximum {
                    maximum: "65535".to_owned(),
                    found: "70000".to_owned()
                }
            ),
        ]
    );
}

#[test]
fn unknown_and_common_parameters_are_ignored() {
    let request = ModifyDbInstanceSsl::from_wire(&params(&[
        ("Action", "ModifyDBInstanceSSL"),
        ("Version", "2015-12-01"),
        ("SignatureNonce", "abc"),
        ("DBInstanceId", "d"),
        ("SSLAction", "Close"),
        ("Whatever", "x"),
    ]))
    .expect("valid");
    assert_eq!(request.ssl_action, SslAction::Close);
}

#[test]
fn meta_check_wire_applies_the_same_rules() {
    let meta = <ModifyDbInstanceSsl as Request>::META;
    assert_eq!(
        (meta.check_wire)(&params(&[("DBInstanceId", "d"), ("SSLAction", "Open")])),
        Ok(())
    );
    let errors = (meta.check_wire)(&params(&[("SwitchMode", "2")])).expect_err("invalid");
    assert_eq!(errors.violations().len(), 3);
}
