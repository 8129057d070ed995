//! Checking requests against their spec: every rule, every violation at once, named by the
//! parameter's wire name.

mod fixture;

use dds_api::Request;
use dds_api::operations::ModifyDbInstanceSsl;
use dds_api::operations::modify_db_instance_ssl::{SslAction, SwitchMode};
use dds_api::validation::{Rule, Violation};
use fixture::create_thing::{CreateThing, Extra, Filter, Tag};

fn violations(errors: dds_api::ValidationErrors) -> Vec<(String, Rule)> {
    errors
        .violations()
        .iter()
        .map(|Violation { parameter, rule }| (parameter.clone(), rule.clone()))
        .collect()
}

fn thing(name: &str) -> CreateThing {
    CreateThing::builder()
        .name(name)
        .build()
        .expect("a valid thing")
}

#[test]
fn the_builder_reports_every_missing_required_parameter() {
    let errors = ModifyDbInstanceSsl::builder()
        .build()
        .expect_err("incomplete");
    assert_eq!(
        violations(errors),
        [
            ("DBInstanceId".to_owned(), Rule::Required),
            ("SSLAction".to_owned(), Rule::Required)
        ]
    );
}

#[test]
fn the_builder_builds_a_complete_request() {
    let request = ModifyDbInstanceSsl::builder()
        .db_instance_id("dds-bp1")
        .ssl_action(SslAction::Update)
        .switch_mode(SwitchMode::MaintenanceWindow)
        .build()
        .expect("complete");
    assert_eq!(request.db_instance_id, "dds-bp1");
    assert_eq!(request.ssl_action, SslAction::Update);
    assert_eq!(request.switch_mode, Some(SwitchMode::MaintenanceWindow));
    assert_eq!(request.validate(), Ok(()));
}

#[test]
fn missing_parameters_and_broken_rules_are_reported_together() {
    let errors = CreateThing::builder()
        .count(0)
        .ratio(1.5)
        .build()
        .expect_err("invalid");
    assert_eq!(
        violations(errors),
        [
            ("Name".to_owned(), Rule::Required),
            (
                "Count".to_owned(),
                Rule::Minimum {
                    minimum: "1".to_owned(),
                    found: "0".to_owned()
                }
            ),
            (
                "Ratio".to_owned(),
                Rule::Maximum {
                    maximum: "1".to_owned(),
                    found: "1.5".to_owned()
                }
            ),
        ]
    );
}

#[test]
fn validate_reports_all_violations_with_wire_names_and_list_positions() {
    let mut request = thing("ok");
    request.name = "A".to_owned();
    request.count = Some(101);
    request.size = Some(-6_000_000_000);
    request.tag = Some(vec![
        Tag {
            key: "fine".to_owned(),
            value: None,
        },
        Tag {
            key: "too-long".to_owned(),
            value: Some("v".to_owned()),
        },
    ]);
    request.zone_id = Some(vec![
        "a".to_owned(),
        "b".to_owned(),
        "c-is-too-long".to_owned(),
    ]);
    request.port = Some(vec![80, 0]);
    request.filter = Some(Filter {
        status: None,
        limit: Some(51),
    });
    request.extra = Some(Extra {
        owner: String::new(),
        shards: Some(0),
        labels: None,
    });
    request.scopes = Some(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]);

    assert_eq!(
        violations(request.validate().expect_err("invalid")),
        [
            ("Name".to_owned(), Rule::MinLength { min: 2, found: 1 }),
            (
                "Name".to_owned(),
                Rule::Pattern {
                    pattern: "[a-z][a-z0-9-]*"
                }
            ),
            (
                "Count".to_owned(),
                Rule::Maximum {
                    maximum: "100".to_owned(),
                    found: "101".to_owned()
                }
            ),
            (
                "Size".to_owned(),
                Rule::Minimum {
                    minimum: "-5000000000".to_owned(),
                    found: "-6000000000".to_owned()
                }
            ),
            ("Tag.2.Key".to_owned(), Rule::MaxLength { max: 5, found: 8 }),
            ("ZoneId".to_owned(), Rule::MaxItems { max: 2, found: 3 }),
            ("ZoneId.3".to_owned(), Rule::MaxLength { max: 8, found: 13 }),
            (
                "Port.2".to_owned(),
                Rule::Minimum {
                    minimum: "1".to_owned(),
                    found: "0".to_owned()
                }
            ),
            (
                "Filter.Limit".to_owned(),
                Rule::Maximum {
                    maximum: "50".to_owned(),
                    found: "51".to_owned()
                }
            ),
            (
                "Extra.Owner".to_owned(),
                Rule::MinLength { min: 1, found: 0 }
            ),
            (
                "Extra.Shards".to_owned(),
                Rule::Minimum {
                    minimum: "1".to_owned(),
                    found: "0".to_owned()
                }
            ),
            ("Scopes".to_owned(), Rule::MaxItems { max: 2, found: 3 }),
        ]
    );
}

#[test]
fn the_pattern_must_match_the_whole_value() {
    let mut request = thing("ok");
    request.name = "ok!".to_owned();
    assert_eq!(
        violations(request.validate().expect_err("invalid")),
        [(
            "Name".to_owned(),
            Rule::Pattern {
                pattern: "[a-z][a-z0-9-]*"
            }
        )]
    );
}

#[test]
fn lengths_count_characters_not_bytes() {
    // Ten characters, thirty bytes.
    let mut request = thing("ok");
    request.name = "a".repeat(10);
    assert_eq!(request.validate(), Ok(()));
    request.tag = Some(vec![Tag {
        key: "数据库名字".to_owned(),
        value: None,
    }]);
    assert_eq!(request.validate(), Ok(()));
}

#[test]
fn violations_read_as_sentences() {
    let errors = CreateThing::builder()
        .count(0)
        .build()
        .expect_err("invalid");
    assert_eq!(
        errors.to_string(),
        "invalid request: Name is required but missing; Count must be at least 1, found 0"
    );
}
