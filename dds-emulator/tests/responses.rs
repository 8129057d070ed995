//! Answers match the SDK's generated response types, and operations without hand-written
//! behaviour answer from their spec's response shape.

mod support;

use dds_api::operation::{
    ErrorMeta, HttpMethod, OperationKind, OperationMeta, ParamMeta, ParamStyle, PropertyMeta,
    ShapeMeta, TypeMeta,
};
use dds_api::operations::describe_db_instance_attribute::{
    DbInstanceType, DescribeDbInstanceAttributeResponse, LockMode,
};
use dds_api::operations::describe_db_instance_ssl::DescribeDbInstanceSslResponse;
use dds_api::validation::{Rule, ValidationErrors};
use dds_api::{WireParams, operations};
use dds_emulator::{Config, DEMO_LOCKED, DEMO_RS44_SSL, DEMO_SHARDED, Emulator};
use support::Call;

#[tokio::test]
async fn describe_db_instance_attribute_decodes_into_the_generated_response_type() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    for (id, expected_type, lock_mode, engine_version) in [
        (
            DEMO_RS44_SSL,
            DbInstanceType::Replicate,
            LockMode::Unlock,
            "4.4",
        ),
        (
            DEMO_SHARDED,
            DbInstanceType::Sharding,
            LockMode::Unlock,
            "4.4",
        ),
        (
            DEMO_LOCKED,
            DbInstanceType::Replicate,
            LockMode::ManualLock,
            "4.2",
        ),
    ] {
        let reply = Call::new("DescribeDBInstanceAttribute")
            .param("DBInstanceId", id)
            .send(&emulator)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let response: DescribeDbInstanceAttributeResponse =
            serde_json::from_str(&reply.text).expect("the SDK's type decodes the answer");
        assert!(response.request_id.is_some());
        let instances = response
            .db_instances
            .map(|list| list.db_instance)
            .expect("DBInstances.DBInstance");
        assert_eq!(instances.len(), 1);
        let instance = &instances[0];
        assert_eq!(instance.db_instance_id.as_deref(), Some(id));
        assert_eq!(instance.db_instance_status.as_deref(), Some("Running"));
        assert_eq!(instance.db_instance_type, Some(expected_type));
        assert_eq!(instance.lock_mode, Some(lock_mode));
        assert_eq!(instance.engine_version.as_deref(), Some(engine_version));
        assert_eq!(instance.db_instance_storage, Some(20));
    }
}

#[tokio::test]
async fn describe_db_instance_ssl_decodes_into_the_generated_response_type() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let reply = Call::new("DescribeDBInstanceSSL")
        .param("DBInstanceId", DEMO_RS44_SSL)
        .send(&emulator)
        .await;
    let response: DescribeDbInstanceSslResponse = serde_json::from_str(&reply.text).unwrap();
    assert_eq!(
        response.cert_common_name.as_deref(),
        Some("dds-demo-rs44-ssl.mongodb.rds.aliyuncs.com")
    );
    assert_eq!(
        response.ssl_expired_time.as_deref(),
        Some("2027-06-30T00:00:00Z")
    );
}

#[tokio::test]
async fn every_registered_operation_is_routed_and_checks_its_parameters() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    for meta in operations::OPERATIONS {
        // Sent the way the SDK sends it: some operations accept only GET.
        let mut call = Call::new(meta.action);
        call.method = meta.method();
        let reply = call.send(&emulator).await;
        match meta.parameters.iter().find(|p| p.required) {
            // The first required parameter in spec order is the one reported missing.
            Some(param) => {
                reply.assert_error(400, &format!("Missing{}", param.wire_name));
            }
            None => {
                let body = reply.assert_ok();
                assert!(body["RequestId"].is_string(), "{}: {body}", meta.action);
            }
        }
    }
}

#[tokio::test]
async fn every_registered_operation_answers_a_valid_request_with_what_its_response_type_decodes() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let mut failures = Vec::new();
    for meta in operations::OPERATIONS {
        let mut call = Call::new(meta.action);
        call.method = meta.method();
        for (name, value) in minimal_valid_parameters(meta) {
            call = call.param(&name, &value);
        }
        let reply = call.send(&emulator).await;
        if reply.status != 200 {
            failures.push(format!(
                "{}: HTTP {}: {}",
                meta.action, reply.status, reply.text
            ));
            continue;
        }
        if let Err(error) = (meta.decode_response)(reply.text.as_bytes()) {
            failures.push(format!("{}: {error}", meta.action));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn an_operation_without_behaviour_answers_with_its_documented_example() {
    let emulator = Emulator::start(Config::default()).await.unwrap();
    let meta = operations::operation("DescribeRegions").expect("registered");
    let example: serde_json::Value =
        serde_json::from_str(meta.response_example.expect("documented")).unwrap();
    let mut call = Call::new(meta.action);
    call.method = meta.method();
    let body = call.send(&emulator).await.assert_ok();
    assert_eq!(body["Regions"], example["Regions"]);
    assert_ne!(
        body["RequestId"], example["RequestId"],
        "a fresh request id"
    );
}

/// The required parameters of `meta` with the smallest values its metadata allows, on the
/// demo instance that has SSL on (the hand-written operations look instances up).
fn minimal_valid_parameters(meta: &OperationMeta) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for param in meta.parameters.iter().filter(|p| p.required) {
        minimal_value(param.wire_name, param, &mut out);
    }
    let params: WireParams = out.iter().cloned().collect();
    assert_eq!(
        (meta.check_wire)(&params),
        Ok(()),
        "{}: {params:?}",
        meta.action
    );
    out
}

fn minimal_value(name: &str, param: &ParamMeta, out: &mut Vec<(String, String)>) {
    match (param.wire_name, param.ty) {
        ("DBInstanceId", _) => out.push((name.to_owned(), DEMO_RS44_SSL.to_owned())),
        // Opening SSL where it is open is refused; renewing the certificate is not.
        ("SSLAction", _) => out.push((name.to_owned(), String::from("Update"))),
        (_, TypeMeta::Array(item)) => minimal_item(&format!("{name}.1"), item, out),
        (_, TypeMeta::Object(fields)) => minimal_fields(name, fields, out),
        _ => out.push((name.to_owned(), minimal_scalar(param.ty, Some(param)))),
    }
}

fn minimal_item(name: &str, item: &TypeMeta, out: &mut Vec<(String, String)>) {
    match item {
        TypeMeta::Array(inner) => minimal_item(&format!("{name}.1"), inner, out),
        TypeMeta::Object(fields) => minimal_fields(name, fields, out),
        ty => out.push((name.to_owned(), minimal_scalar(*ty, None))),
    }
}

/// The required fields of an object, or its first one: an empty object is not sent.
fn minimal_fields(name: &str, fields: &[ParamMeta], out: &mut Vec<(String, String)>) {
    let required: Vec<&ParamMeta> = fields.iter().filter(|f| f.required).collect();
    let chosen = if required.is_empty() {
        fields.iter().take(1).collect()
    } else {
        required
    };
    for field in chosen {
        minimal_value(&format!("{name}.{}", field.wire_name), field, out);
    }
}

fn minimal_scalar(ty: TypeMeta, param: Option<&ParamMeta>) -> String {
    if let Some(value) = param.and_then(|p| p.enum_values.first()) {
        return (*value).to_owned();
    }
    assert!(
        param.and_then(|p| p.pattern).is_none(),
        "no minimal value for a pattern"
    );
    let minimum = param.and_then(|p| p.minimum);
    let maximum = param.and_then(|p| p.maximum);
    match ty {
        TypeMeta::Boolean => String::from("true"),
        TypeMeta::Int32 | TypeMeta::Int64 | TypeMeta::Number => {
            let value = minimum.unwrap_or(1.0).min(maximum.unwrap_or(f64::MAX));
            value.to_string()
        }
        _ => {
            let length = param.and_then(|p| p.min_length).unwrap_or(1).max(1);
            "a".repeat(usize::try_from(length).expect("a small length"))
        }
    }
}

// An operation the emulator has no code for, described only by its metadata, the way the
// generator describes every spec.
static STRING: ShapeMeta = ShapeMeta::String { enum_values: &[] };
static INTEGER: ShapeMeta = ShapeMeta::Integer;
static REGION: ShapeMeta = ShapeMeta::Object(&[
    PropertyMeta {
        name: "RegionId",
        shape: &STRING,
        example: Some("\"cn-hangzhou\""),
    },
    PropertyMeta {
        name: "ZoneCount",
        shape: &INTEGER,
        example: Some("3"),
    },
]);
static REGION_LIST: ShapeMeta = ShapeMeta::Array(&REGION);
static REGIONS: ShapeMeta = ShapeMeta::Object(&[PropertyMeta {
    name: "DdsRegion",
    shape: &REGION_LIST,
    example: Some(r#"[{"RegionId": "cn-beijing", "ZoneCount": 2}]"#),
}]);
static RESPONSE: ShapeMeta = ShapeMeta::Object(&[
    PropertyMeta {
        name: "RequestId",
        shape: &STRING,
        example: Some("\"EXAMPLE-ID\""),
    },
    PropertyMeta {
        name: "Regions",
        shape: &REGIONS,
        example: None,
    },
]);

fn check_regions(params: &WireParams) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    match params.get("AcceptLanguage").map(String::as_str) {
        None => errors.push("AcceptLanguage", Rule::Required),
        Some("zh" | "en") => {}
        Some(other) => errors.push(
            "AcceptLanguage",
            Rule::Enum {
                found: other.to_owned(),
                allowed: vec![String::from("zh"), String::from("en")],
            },
        ),
    }
    errors.into_result(())
}

static DESCRIBE_REGIONS: OperationMeta = OperationMeta {
    action: "DescribeRegions",
    rust_name: "DescribeRegions",
    cli_name: "describe-regions",
    summary: "Lists regions.",
    description: "",
    methods: &[HttpMethod::Post, HttpMethod::Get],
    kind: OperationKind::Read,
    parameters: &[ParamMeta {
        wire_name: "AcceptLanguage",
        rust_name: "accept_language",
        description: "",
        ty: TypeMeta::String,
        style: ParamStyle::Simple,
        required: true,
        enum_values: &["zh", "en"],
        minimum: None,
        maximum: None,
        min_length: None,
        max_length: None,
        max_items: None,
        pattern: None,
        default: None,
    }],
    response: &RESPONSE,
    errors: &[ErrorMeta {
        code: "InvalidParam",
        status: 400,
        message: "Specified parameters is not valid.",
    }],
    check_wire: check_regions,
    // Described by its metadata only: there is no typed request or response to run.
    reencode_wire: |params| check_regions(params).map(|()| params.clone().into_iter().collect()),
    response_example: None,
    decode_response: |body| {
        serde_json::from_slice::<serde_json::Value>(body)
            .map(drop)
            .map_err(|e| e.to_string())
    },
};
static ONLY_REGIONS: &[&OperationMeta] = &[&DESCRIBE_REGIONS];

#[tokio::test]
async fn an_operation_without_behaviour_answers_from_its_shape_after_full_checks() {
    let emulator = Emulator::start(Config::default().operations(ONLY_REGIONS))
        .await
        .unwrap();

    Call::new("DescribeRegions")
        .send(&emulator)
        .await
        .assert_error(400, "MissingAcceptLanguage");
    Call::new("DescribeRegions")
        .param("AcceptLanguage", "fr")
        .send(&emulator)
        .await
        .assert_error(400, "InvalidParameter");
    let mut unsigned = Call::new("DescribeRegions").param("AcceptLanguage", "en");
    unsigned.credentials = dds_api::credentials::Credentials::new("nobody", "x");
    unsigned
        .send(&emulator)
        .await
        .assert_error(404, "InvalidAccessKeyId.NotFound");

    let reply = Call::new("DescribeRegions")
        .param("AcceptLanguage", "en")
        .send(&emulator)
        .await;
    let body = reply.assert_ok();
    assert_ne!(
        body["RequestId"], "EXAMPLE-ID",
        "a real request id, not the example"
    );
    assert_eq!(
        body["Regions"],
        serde_json::json!({"DdsRegion": [{"RegionId": "cn-beijing", "ZoneCount": 2}]})
    );

    let mut call = Call::new("DescribeRegions").param("AcceptLanguage", "en");
    call.no_accept = true;
    let reply = call.send(&emulator).await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.text.contains(
            "<Regions><DdsRegion><RegionId>cn-beijing</RegionId><ZoneCount>2</ZoneCount></DdsRegion></Regions>"
        ),
        "{}",
        reply.text
    );
    assert!(
        reply.text.contains("<DescribeRegionsResponse><RequestId>"),
        "{}",
        reply.text
    );
}
