//! From a parameter's spec to its option and back to wire parameters, over hand-written
//! operations that use every parameter type and style (the real registry need not).

use dds_api::operation::{
    HttpMethod, OperationKind, OperationMeta, ParamMeta, ParamStyle, ShapeMeta, TypeMeta,
};
use dds_api::validation::Rule;
use dds_api::{ValidationErrors, WireParams};
use dds_cli::cli::{self, GlobalOptions};
use dds_cli::exit::Exit;

const fn param(wire_name: &'static str, rust_name: &'static str, ty: TypeMeta) -> ParamMeta {
    ParamMeta {
        wire_name,
        rust_name,
        description: "",
        ty,
        style: ParamStyle::Simple,
        required: false,
        enum_values: &[],
        minimum: None,
        maximum: None,
        min_length: None,
        max_length: None,
        max_items: None,
        pattern: None,
        default: None,
    }
}

static TAG_FIELDS: [ParamMeta; 2] = [
    param("Key", "key", TypeMeta::String),
    param("Value", "value", TypeMeta::String),
];
static NODE_FIELDS: [ParamMeta; 2] = [
    param("Class", "class", TypeMeta::String),
    param("Storage", "storage", TypeMeta::Int32),
];
static TAG_ITEM: TypeMeta = TypeMeta::Object(&TAG_FIELDS);
static NODE_ITEM: TypeMeta = TypeMeta::Object(&NODE_FIELDS);
static STRING_ITEM: TypeMeta = TypeMeta::String;

static WIDGET_PARAMS: [ParamMeta; 13] = [
    ParamMeta {
        required: true,
        ..param("RegionId", "region_id", TypeMeta::String)
    },
    ParamMeta {
        required: true,
        description: "Id of the widget. Assigned by the service.",
        ..param("WidgetId", "widget_id", TypeMeta::String)
    },
    ParamMeta {
        minimum: Some(1.0),
        maximum: Some(100.0),
        ..param("Size", "size", TypeMeta::Int32)
    },
    param("Count", "count", TypeMeta::Int64),
    ParamMeta {
        minimum: Some(0.0),
        maximum: Some(1.0),
        ..param("Ratio", "ratio", TypeMeta::Number)
    },
    param("Enabled", "enabled", TypeMeta::Boolean),
    ParamMeta {
        enum_values: &["Fast", "Slow"],
        ..param("Mode", "mode", TypeMeta::String)
    },
    param("Region", "region", TypeMeta::String),
    ParamMeta {
        style: ParamStyle::Flat,
        max_items: Some(3),
        ..param("ResourceId", "resource_id", TypeMeta::Array(&STRING_ITEM))
    },
    ParamMeta {
        style: ParamStyle::Flat,
        ..param("Tag", "tag", TypeMeta::Array(&TAG_ITEM))
    },
    ParamMeta {
        style: ParamStyle::Flat,
        ..param("Node", "node", TypeMeta::Array(&NODE_ITEM))
    },
    ParamMeta {
        style: ParamStyle::Json,
        ..param("Extra", "extra", TypeMeta::Object(&NODE_FIELDS))
    },
    ParamMeta {
        max_length: Some(5),
        ..param("Name", "name", TypeMeta::String)
    },
];

static EMPTY_RESPONSE: ShapeMeta = ShapeMeta::Object(&[]);

/// The rules the hand-written operation's "generated" check enforces beyond types.
fn check_widget(params: &WireParams) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if let Some(name) = params.get("Name").filter(|n| n.chars().count() > 5) {
        errors.push(
            "Name",
            Rule::MaxLength {
                max: 5,
                found: name.chars().count() as u64,
            },
        );
    }
    let items = params
        .keys()
        .filter(|k| k.starts_with("ResourceId."))
        .count() as u64;
    if items > 3 {
        errors.push(
            "ResourceId",
            Rule::MaxItems {
                max: 3,
                found: items,
            },
        );
    }
    errors.into_result(())
}

fn accept_all(_: &WireParams) -> Result<(), ValidationErrors> {
    Ok(())
}

// These operations exist only to drive the command-line parsing; nothing is decoded.
fn accept_any_body(_: &[u8]) -> Result<(), String> {
    Ok(())
}

static CREATE_WIDGET: OperationMeta = OperationMeta {
    action: "CreateWidget",
    rust_name: "CreateWidget",
    cli_name: "create-widget",
    summary: "Creates a widget.",
    description: "",
    methods: &[HttpMethod::Post],
    kind: OperationKind::Read,
    parameters: &WIDGET_PARAMS,
    response: &EMPTY_RESPONSE,
    errors: &[],
    check_wire: check_widget,
    reencode_wire: |params| check_widget(params).map(|()| params.clone().into_iter().collect()),
    response_example: None,
    decode_response: accept_any_body,
};

static RESTART_PARAMS: [ParamMeta; 1] = [ParamMeta {
    required: true,
    ..param("DBInstanceId", "db_instance_id", TypeMeta::String)
}];

static RESTART_INSTANCE: OperationMeta = OperationMeta {
    action: "RestartDBInstance",
    rust_name: "RestartDbInstance",
    cli_name: "restart-db-instance",
    summary: "Restarts an instance.",
    description: "",
    methods: &[HttpMethod::Post],
    kind: OperationKind::Write,
    parameters: &RESTART_PARAMS,
    response: &EMPTY_RESPONSE,
    errors: &[],
    check_wire: accept_all,
    reencode_wire: |params| Ok(params.clone().into_iter().collect()),
    response_example: None,
    decode_response: accept_any_body,
};

static OPERATIONS: &[&OperationMeta] = &[&CREATE_WIDGET, &RESTART_INSTANCE];

/// Parses a `create-widget` command line into its wire parameters.
fn wire(args: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut argv = vec!["dds", "create-widget", "--widget-id", "w-1"];
    argv.extend_from_slice(args);
    let matches = cli::command(OPERATIONS)
        .try_get_matches_from(argv)
        .map_err(|e| e.to_string())?;
    let globals: GlobalOptions = cli::global_options(&matches).unwrap();
    let (_, sub) = matches.subcommand().unwrap();
    dds_cli::invocation(&CREATE_WIDGET, sub, globals)
        .map(|invocation| invocation.params)
        .map_err(|failure| failure.message)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The wire parameters other than the two every test gives.
fn own(params: Vec<(String, String)>) -> Vec<(String, String)> {
    params
        .into_iter()
        .filter(|(k, _)| k != "WidgetId" && k != "RegionId")
        .collect()
}

#[test]
fn options_are_kebab_case_rust_names_and_the_wire_name_is_an_alias() {
    assert_eq!(
        own(wire(&["--size", "5"]).unwrap()),
        pairs(&[("Size", "5")])
    );
    assert_eq!(
        own(wire(&["--Size", "5"]).unwrap()),
        pairs(&[("Size", "5")])
    );
}

#[test]
fn region_id_is_filled_in_from_the_global_region_unless_given() {
    let params = wire(&["--region", "cn-shanghai"]).unwrap();
    assert!(
        params.contains(&("RegionId".into(), "cn-shanghai".into())),
        "{params:?}"
    );
    let params = wire(&["--region", "cn-shanghai", "--region-id", "cn-beijing"]).unwrap();
    assert!(
        params.contains(&("RegionId".into(), "cn-beijing".into())),
        "{params:?}"
    );
    assert!(!params.contains(&("RegionId".into(), "cn-shanghai".into())));
}

#[test]
fn a_parameter_named_like_a_global_option_gets_the_param_prefix() {
    assert_eq!(
        own(wire(&["--region", "cn-shanghai", "--param-region", "north"]).unwrap()),
        pairs(&[("Region", "north")])
    );
}

#[test]
fn integers_are_checked_against_their_type_and_the_spec_range() {
    assert_eq!(
        own(wire(&["--count", "9000000000"]).unwrap()),
        pairs(&[("Count", "9000000000")])
    );
    for (args, expected) in [
        (&["--size", "0"][..], "below the minimum 1"),
        (&["--size", "101"], "above the maximum 100"),
        (
            &["--size", "3000000000"],
            "not a whole number of type int32",
        ),
        (&["--size", "ten"], "not a whole number"),
        (&["--count", "1.5"], "not a whole number of type int64"),
    ] {
        let error = wire(args).unwrap_err();
        assert!(error.contains(expected), "{args:?}: {error}");
    }
}

#[test]
fn numbers_are_checked_against_the_spec_range() {
    assert_eq!(
        own(wire(&["--ratio", "0.25"]).unwrap()),
        pairs(&[("Ratio", "0.25")])
    );
    assert!(
        wire(&["--ratio", "1.5"])
            .unwrap_err()
            .contains("above the maximum 1")
    );
    assert!(
        wire(&["--ratio", "NaN"])
            .unwrap_err()
            .contains("not a number")
    );
}

#[test]
fn booleans_take_true_or_false() {
    assert_eq!(
        own(wire(&["--enabled", "true"]).unwrap()),
        pairs(&[("Enabled", "true")])
    );
    assert!(
        wire(&["--enabled", "yes"])
            .unwrap_err()
            .contains("true, false")
    );
}

#[test]
fn enum_values_are_checked_and_listed_in_help() {
    assert_eq!(
        own(wire(&["--mode", "Slow"]).unwrap()),
        pairs(&[("Mode", "Slow")])
    );
    assert!(
        wire(&["--mode", "slow"])
            .unwrap_err()
            .contains("[possible values: Fast, Slow]")
    );
    let help = cli::command(OPERATIONS)
        .find_subcommand_mut("create-widget")
        .unwrap()
        .render_long_help()
        .to_string();
    assert!(help.contains("[possible values: Fast, Slow]"), "{help}");
    assert!(
        help.contains("Id of the widget. Assigned by the service."),
        "{help}"
    );
}

#[test]
fn a_repeated_option_makes_a_list_numbered_from_1() {
    assert_eq!(
        own(wire(&["--resource-id", "a", "--resource-id", "b"]).unwrap()),
        pairs(&[("ResourceId.1", "a"), ("ResourceId.2", "b")])
    );
}

#[test]
fn tags_take_key_equals_value_and_a_bare_key() {
    assert_eq!(
        own(wire(&["--tag", "env=prod", "--tag", "formula=a=b", "--tag", "team"]).unwrap()),
        pairs(&[
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Tag.2.Key", "formula"),
            ("Tag.2.Value", "a=b"),
            ("Tag.3.Key", "team"),
        ])
    );
}

#[test]
fn object_items_take_field_pairs_or_a_json_object() {
    assert_eq!(
        own(wire(&[
            "--node",
            "Class=dds.mongo.mid,Storage=20",
            "--node",
            r#"{"Class":"dds.mongo.large","Storage":40}"#,
        ])
        .unwrap()),
        pairs(&[
            ("Node.1.Class", "dds.mongo.mid"),
            ("Node.1.Storage", "20"),
            ("Node.2.Class", "dds.mongo.large"),
            ("Node.2.Storage", "40"),
        ])
    );
    let error = wire(&["--node", "Klass=x"]).unwrap_err();
    assert!(
        error.contains("no field \"Klass\" (fields: Class, Storage)"),
        "{error}"
    );
}

#[test]
fn json_style_parameters_take_json_text_and_send_it_compact() {
    assert_eq!(
        own(wire(&["--extra", r#"{ "Class": "x", "Storage": 1 }"#]).unwrap()),
        pairs(&[("Extra", r#"{"Class":"x","Storage":1}"#)])
    );
    assert!(
        wire(&["--extra", "{Class: x}"])
            .unwrap_err()
            .contains("takes JSON text")
    );
}

#[test]
fn the_sdk_validation_reports_every_violation_at_once() {
    let error = wire(&[
        "--name",
        "too long",
        "--resource-id",
        "1",
        "--resource-id",
        "2",
        "--resource-id",
        "3",
        "--resource-id",
        "4",
    ])
    .unwrap_err();
    assert!(error.starts_with("CreateWidget was not sent"), "{error}");
    assert!(
        error.contains("Name must be at most 5 characters long, found 8"),
        "{error}"
    );
    assert!(
        error.contains("ResourceId must have at most 3 items, found 4"),
        "{error}"
    );
}

#[test]
fn spec_violations_exit_3_and_command_line_mistakes_exit_2() {
    let run = |args: &[&str]| {
        let mut argv = vec!["dds", "create-widget"];
        argv.extend_from_slice(args);
        dds_cli::main(argv, OPERATIONS)
    };
    assert_eq!(run(&["--widget-id", "w", "--size", "0"]), Exit::Validation);
    assert_eq!(
        run(&["--widget-id", "w", "--mode", "Medium"]),
        Exit::Validation
    );
    assert_eq!(
        run(&["--size", "5"]),
        Exit::Validation,
        "WidgetId is required"
    );
    assert_eq!(
        run(&["--widget-id", "w", "--name", "longer"]),
        Exit::Validation
    );
    assert_eq!(run(&["--widget-id", "w", "--no-such"]), Exit::Usage);
    assert_eq!(run(&["--widget-id", "w", "--output", "yaml"]), Exit::Usage);
    assert_eq!(run(&["--widget-id", "w", "--size"]), Exit::Usage);
}

#[test]
fn wait_is_offered_on_changes_to_one_instance_only() {
    let mut command = cli::command(OPERATIONS);
    let restart = command
        .find_subcommand_mut("restart-db-instance")
        .unwrap()
        .render_long_help()
        .to_string();
    assert!(restart.contains("--wait"), "{restart}");
    assert!(restart.contains("--wait-timeout <DURATION>"), "{restart}");
    let widget = command
        .find_subcommand_mut("create-widget")
        .unwrap()
        .render_long_help()
        .to_string();
    assert!(!widget.contains("--wait"), "{widget}");
}
