//! The generated registry and product facts.

use dds_api::operation::{HttpMethod, OperationKind};
use dds_api::operations::{self, OPERATIONS};

/// The spec directory `dds-api` compiles (`dds_macros::product!("../specs/dds/2015-12-01")`).
fn spec_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/dds/2015-12-01")
}

/// The actions of the spec files, by file name, sorted the way the generator sorts them.
fn spec_actions() -> Vec<String> {
    let mut actions: Vec<String> = std::fs::read_dir(spec_dir())
        .expect("the spec directory is readable")
        .map(|entry| entry.expect("a directory entry").file_name())
        .filter_map(|name| name.to_str()?.strip_suffix(".json").map(str::to_owned))
        .filter(|stem| stem != "product")
        .collect();
    actions.sort();
    actions
}

#[test]
fn the_registry_lists_every_spec_in_action_order() {
    let actions: Vec<&str> = OPERATIONS.iter().map(|meta| meta.action).collect();
    assert_eq!(actions, spec_actions());
    // The hand-written operations are among them, with their own module.
    for (action, module_meta) in [
        (
            "DescribeDBInstanceAttribute",
            &operations::describe_db_instance_attribute::META,
        ),
        (
            "DescribeDBInstanceSSL",
            &operations::describe_db_instance_ssl::META,
        ),
        (
            "ModifyDBInstanceSSL",
            &operations::modify_db_instance_ssl::META,
        ),
    ] {
        let registered = operations::operation(action).expect("registered");
        assert!(std::ptr::eq(registered, module_meta), "{action}");
    }
}

#[test]
fn every_operation_has_its_own_names() {
    let mut rust_names: Vec<&str> = OPERATIONS.iter().map(|meta| meta.rust_name).collect();
    let mut cli_names: Vec<&str> = OPERATIONS.iter().map(|meta| meta.cli_name).collect();
    rust_names.sort_unstable();
    rust_names.dedup();
    cli_names.sort_unstable();
    cli_names.dedup();
    assert_eq!(rust_names.len(), OPERATIONS.len());
    assert_eq!(cli_names.len(), OPERATIONS.len());
}

#[test]
fn modify_db_instance_ssl_sends_its_own_action() {
    // One version of the upstream documentation names DescribeDBInstanceSSL here; the
    // service expects ModifyDBInstanceSSL.
    use dds_api::Request;
    assert_eq!(
        dds_api::operations::ModifyDbInstanceSsl::META.action,
        "ModifyDBInstanceSSL"
    );
    assert_eq!(
        operations::modify_db_instance_ssl::META.action,
        "ModifyDBInstanceSSL"
    );
    assert_eq!(
        operations::describe_db_instance_ssl::META.action,
        "DescribeDBInstanceSSL"
    );
}

#[test]
fn meta_describes_the_operation() {
    let meta = operations::operation("ModifyDBInstanceSSL").expect("registered");
    assert_eq!(meta.rust_name, "ModifyDbInstanceSsl");
    assert_eq!(meta.cli_name, "modify-db-instance-ssl");
    assert_eq!(meta.kind, OperationKind::Write);
    assert_eq!(meta.method(), HttpMethod::Post);
    assert_eq!(meta.methods, [HttpMethod::Post, HttpMethod::Get]);

    let wire_names: Vec<&str> = meta.parameters.iter().map(|p| p.wire_name).collect();
    assert_eq!(wire_names, ["DBInstanceId", "SSLAction", "SwitchMode"]);
    let ssl_action = meta.parameter("SSLAction").expect("parameter");
    assert!(ssl_action.required);
    assert_eq!(ssl_action.enum_values, ["Open", "Close", "Update"]);
    assert_eq!(
        meta.parameter("SwitchMode").expect("parameter").enum_values,
        ["0", "1"]
    );

    let not_found = meta
        .error("InvalidDBInstanceId.NotFound")
        .expect("documented");
    assert_eq!(not_found.status, 404);
    assert_eq!(meta.errors.len(), 10);

    let read = operations::operation("DescribeDBInstanceAttribute").expect("registered");
    assert_eq!(read.kind, OperationKind::Read);
    assert!(operations::operation("DescribeDedicatedHosts").is_none());
}

#[test]
fn product_facts_come_from_product_json() {
    assert_eq!(operations::PRODUCT, "Dds");
    assert_eq!(operations::VERSION, "2015-12-01");
    assert_eq!(operations::STYLE, "RPC");
}

#[test]
fn endpoints_follow_the_table_not_a_pattern() {
    assert_eq!(
        operations::endpoint("cn-hangzhou"),
        Some("mongodb.aliyuncs.com")
    );
    assert_eq!(
        operations::endpoint("cn-shanghai"),
        Some("mongodb.aliyuncs.com")
    );
    assert_eq!(
        operations::endpoint("cn-zhangjiakou"),
        Some("mongodb.cn-zhangjiakou.aliyuncs.com")
    );
    // The newer table moved these regions to their own hosts, and added cn-wuhan-lr.
    assert_eq!(
        operations::endpoint("cn-hongkong"),
        Some("mongodb.cn-hongkong.aliyuncs.com")
    );
    assert_eq!(
        operations::endpoint("cn-wuhan-lr"),
        Some("mongodb.cn-wuhan-lr.aliyuncs.com")
    );
    assert_eq!(operations::endpoint("xx-nowhere-1"), None);
    assert!(
        operations::ENDPOINTS
            .iter()
            .all(|(_, host)| !host.starts_with("dds."))
    );
    assert_eq!(operations::ENDPOINTS.len(), 35);
}

#[test]
fn response_shapes_are_described() {
    use dds_api::operation::ShapeMeta;
    let meta = operations::operation("DescribeDBInstanceSSL").expect("registered");
    let ShapeMeta::Object(properties) = meta.response else {
        panic!("the response is an object");
    };
    let names: Vec<&str> = properties.iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        ["RequestId", "SSLStatus", "CertCommonName", "SSLExpiredTime"]
    );
    let status = &properties[1];
    assert!(
        matches!(status.shape, ShapeMeta::String { enum_values } if *enum_values == ["Open", "Closed"])
    );
    assert_eq!(status.example, Some("\"Open\""));
}
