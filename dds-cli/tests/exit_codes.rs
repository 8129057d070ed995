//! Every documented exit code, each from a failure of its kind.
//!
//! 0 success, 2 usage, 3 validation, 4 service error, 5 network, 6 timeout (call or wait),
//! 7 credentials or configuration.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::thread;

use common::{REPLICA_SET, REPLICA_SET_WITH_SSL, dds_run, dds_with_credentials, run};

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_successful_call_exits_0() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(
        home.path(),
        &[
            "--emulator",
            "describe-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn a_wrong_command_line_exits_2() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["no-such-operation"][..],
        &[
            "describe-db-instance-ssl",
            "--db-instance-id",
            "x",
            "--no-such-option",
        ],
        // Waiting is offered on changes only.
        &[
            "--emulator",
            "describe-db-instance-ssl",
            "--db-instance-id",
            "x",
            "--wait",
        ],
        &[
            "--output",
            "xml",
            "describe-db-instance-ssl",
            "--db-instance-id",
            "x",
        ],
        &[
            "--timeout",
            "soon",
            "describe-db-instance-ssl",
            "--db-instance-id",
            "x",
        ],
        &[
            "--emulator-state",
            "s.json",
            "describe-db-instance-ssl",
            "--db-instance-id",
            "x",
        ],
        // The emulator is its own endpoint.
        &[
            "--emulator",
            "--endpoint",
            "http://127.0.0.1:1",
            "describe-db-instance-ssl",
            "--db-instance-id",
            "x",
        ],
        // An option without its value.
        &[
            "describe-db-instance-ssl",
            "--db-instance-id",
            "x",
            "--timeout",
        ],
        &[],
    ] {
        let run = dds_run(home.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn parameters_that_break_the_spec_exit_3_before_credentials_are_looked_for() {
    let home = tempfile::tempdir().unwrap();
    // No credentials anywhere: a validation failure must come first.
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "modify-db-instance-ssl",
                "--db-instance-id",
                REPLICA_SET,
                "--ssl-action",
                "Opn",
            ],
            "possible values: Open, Close, Update",
        ),
        (
            &["modify-db-instance-ssl", "--ssl-action", "Open"],
            "--db-instance-id",
        ),
        (
            &[
                "describe-db-instance-attribute",
                "--db-instance-id",
                "x",
                "--is-delete",
                "maybe",
            ],
            "possible values: true, false",
        ),
    ];
    for (args, expected) in cases {
        let run = dds_run(home.path(), args);
        assert_eq!(run.code, 3, "{args:?}: {run:?}");
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_service_error_exits_4_with_code_message_request_id_and_link_in_one_paragraph() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(
        home.path(),
        &[
            "--emulator",
            "modify-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET_WITH_SSL,
            "--ssl-action",
            "Open",
        ],
    );
    assert_eq!(run.code, 4, "{run:?}");
    let message = run.stderr.trim_end();
    assert_eq!(message.lines().count(), 1, "one paragraph: {message}");
    assert!(
        message.starts_with("error: ModifyDBInstanceSSL failed"),
        "{message}"
    );
    for part in [
        "SSLAlreadyEnabled",
        "HTTP 400",
        "SSL have already been enabled",
        "Request id ",
        "https://api.aliyun.com/troubleshoot?q=SSLAlreadyEnabled",
    ] {
        assert!(message.contains(part), "{part} missing from: {message}");
    }
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn an_unreachable_endpoint_exits_5() {
    let home = tempfile::tempdir().unwrap();
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let run = run(dds_with_credentials(home.path()).args([
        "--endpoint",
        &endpoint,
        "describe-db-instance-ssl",
        "--db-instance-id",
        REPLICA_SET,
    ]));
    assert_eq!(run.code, 5, "{run:?}");
    assert!(run.stderr.contains(&endpoint), "{}", run.stderr);
}

#[test]
fn a_call_without_an_answer_in_time_exits_6() {
    // A server that accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            let mut buffer = [0u8; 1024];
            let _ = stream.read(&mut buffer);
            held.push(stream);
        }
    });

    let home = tempfile::tempdir().unwrap();
    let run = run(dds_with_credentials(home.path()).args([
        "--endpoint",
        &endpoint,
        "--timeout",
        "1s",
        "describe-db-instance-ssl",
        "--db-instance-id",
        REPLICA_SET,
    ]));
    assert_eq!(run.code, 6, "{run:?}");
    assert!(run.stderr.contains("timed out"), "{}", run.stderr);
}

#[test]
fn a_wait_that_runs_out_of_time_exits_6_not_0() {
    // The emulator's restart takes 3 s; the wait allows 1 s.
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(
        home.path(),
        &[
            "--emulator",
            "modify-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
            "--ssl-action",
            "Open",
            "--wait",
            "--wait-timeout",
            "1s",
        ],
    );
    assert_eq!(run.code, 6, "{run:?}");
    assert!(
        run.stderr.contains("did not become Running within 1.0s")
            && run.stderr.contains("still SSLModifying"),
        "{}",
        run.stderr
    );
    // The change itself was accepted and its answer printed.
    assert!(run.stdout.contains("RequestId"), "{}", run.stdout);
}

#[test]
fn missing_credentials_exit_7_naming_every_source_tried() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(
        home.path(),
        &["describe-db-instance-ssl", "--db-instance-id", REPLICA_SET],
    );
    assert_eq!(run.code, 7, "{run:?}");
    for source in [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        ".aliyun/config.json",
        ".alibabacloud/credentials",
    ] {
        assert!(run.stderr.contains(source), "{source}: {}", run.stderr);
    }
}

#[test]
fn an_unknown_profile_exits_7_naming_it() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        r#"{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"a","access_key_secret":"b"}]}"#,
    )
    .unwrap();
    let run = dds_run(
        home.path(),
        &[
            "--profile",
            "staging",
            "describe-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
        ],
    );
    assert_eq!(run.code, 7, "{run:?}");
    assert!(run.stderr.contains("staging"), "{}", run.stderr);
}

#[test]
fn a_region_without_an_endpoint_exits_7() {
    let home = tempfile::tempdir().unwrap();
    let run = run(dds_with_credentials(home.path()).args([
        "--region",
        "xx-nowhere-1",
        "describe-db-instance-ssl",
        "--db-instance-id",
        REPLICA_SET,
    ]));
    assert_eq!(run.code, 7, "{run:?}");
    assert!(run.stderr.contains("xx-nowhere-1"), "{}", run.stderr);
}
