//! The main job, end to end against the embedded emulator: open SSL on a replica set, wait
//! for the restart, and see SSL open afterwards.

mod common;

use common::{REPLICA_SET, dds_run, json};

#[test]
fn opening_ssl_with_wait_returns_after_the_restart_and_describe_then_shows_ssl_open() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("emulator-state.json");
    let state = state.to_str().unwrap();

    let modify = dds_run(
        home.path(),
        &[
            "--emulator",
            "--emulator-state",
            state,
            "modify-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
            "--ssl-action",
            "Open",
            "--wait",
        ],
    );
    assert_eq!(modify.code, 0, "{modify:?}");
    assert!(json(&modify)["RequestId"].is_string(), "{modify:?}");

    // Off a terminal the wait reports each status change on stderr: the restart, then
    // Running again.
    let modifying = modify
        .stderr
        .find(&format!("{REPLICA_SET} is SSLModifying"));
    let running = modify.stderr.rfind(&format!("{REPLICA_SET} is Running"));
    assert!(
        matches!((modifying, running), (Some(m), Some(r)) if m < r),
        "the wait should show SSLModifying, then Running: {}",
        modify.stderr
    );

    // A second command, a second emulator, the same instance state.
    let ssl = dds_run(
        home.path(),
        &[
            "--emulator",
            "--emulator-state",
            state,
            "describe-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
        ],
    );
    assert_eq!(ssl.code, 0, "{ssl:?}");
    assert_eq!(json(&ssl)["SSLStatus"], "Open", "{ssl:?}");

    let attribute = dds_run(
        home.path(),
        &[
            "--emulator",
            "--emulator-state",
            state,
            "describe-db-instance-attribute",
            "--db-instance-id",
            REPLICA_SET,
        ],
    );
    assert_eq!(attribute.code, 0, "{attribute:?}");
    assert_eq!(
        json(&attribute)["DBInstances"]["DBInstance"][0]["DBInstanceStatus"],
        "Running"
    );
}

#[test]
fn an_operation_is_reachable_by_its_action_name() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(
        home.path(),
        &[
            "--emulator",
            "DescribeDBInstanceSSL",
            "--DBInstanceId",
            REPLICA_SET,
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(json(&run)["SSLStatus"], "Closed");
}

#[test]
fn without_a_state_file_every_command_starts_from_the_default_instances() {
    let home = tempfile::tempdir().unwrap();
    let modify = dds_run(
        home.path(),
        &[
            "--emulator",
            "modify-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
            "--ssl-action",
            "Open",
        ],
    );
    assert_eq!(modify.code, 0, "{modify:?}");

    let ssl = dds_run(
        home.path(),
        &[
            "--emulator",
            "describe-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
        ],
    );
    assert_eq!(json(&ssl)["SSLStatus"], "Closed");
}

#[test]
fn table_output_lines_up_the_answer_fields() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(
        home.path(),
        &[
            "--emulator",
            "--output",
            "table",
            "describe-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.contains(&"SSLStatus       Closed"), "{}", run.stdout);
    assert!(
        lines.iter().any(|l| l.starts_with("RequestId       ")),
        "{}",
        run.stdout
    );
}
