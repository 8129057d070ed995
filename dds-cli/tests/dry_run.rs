//! `--dry-run`: the request that would be sent, with nothing sent and nothing secret shown.

mod common;

use std::net::TcpListener;

use common::{
    ACCESS_KEY_ID, ACCESS_KEY_SECRET, REPLICA_SET, Run, SECURITY_TOKEN, dds_run,
    dds_with_credentials, json, run,
};

const REDACTED: &str = "<redacted>";

/// An endpoint nothing listens on: a dry run that tried to send would fail with exit 5.
fn closed_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

fn dry_run_with_sts(signature_version: &str) -> Run {
    let home = tempfile::tempdir().unwrap();
    run(dds_with_credentials(home.path())
        .env("ALIBABA_CLOUD_SECURITY_TOKEN", SECURITY_TOKEN)
        .args([
            "-vv",
            "--dry-run",
            "--signature-version",
            signature_version,
            "--endpoint",
            &closed_endpoint(),
            "modify-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
            "--ssl-action",
            "Open",
        ]))
}

fn assert_no_secret(run: &Run) {
    for secret in [ACCESS_KEY_ID, ACCESS_KEY_SECRET, SECURITY_TOKEN] {
        assert!(
            !run.stdout.contains(secret),
            "stdout shows {secret}: {}",
            run.stdout
        );
        assert!(
            !run.stderr.contains(secret),
            "the logs show {secret}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_v3_dry_run_sends_nothing_and_hides_signature_key_id_and_token() {
    let run = dry_run_with_sts("v3");
    assert_eq!(run.code, 0, "{run:?}");
    assert_no_secret(&run);

    let request = json(&run);
    assert_eq!(request["method"], "POST");
    assert_eq!(request["query"]["DBInstanceId"], REPLICA_SET);
    assert_eq!(request["query"]["SSLAction"], "Open");
    let headers = &request["headers"];
    assert_eq!(headers["x-acs-action"], "ModifyDBInstanceSSL");
    assert_eq!(headers["x-acs-security-token"], REDACTED);
    let authorization = headers["authorization"].as_str().unwrap();
    assert!(
        authorization.starts_with("ACS3-HMAC-SHA256 Credential=<redacted>,")
            && authorization.ends_with(",Signature=<redacted>"),
        "{authorization}"
    );
}

#[test]
fn a_v1_dry_run_sends_nothing_and_hides_signature_key_id_and_token() {
    let run = dry_run_with_sts("v1");
    assert_eq!(run.code, 0, "{run:?}");
    assert_no_secret(&run);

    let request = json(&run);
    let query = &request["query"];
    assert_eq!(query["Action"], "ModifyDBInstanceSSL");
    assert_eq!(query["SignatureMethod"], "HMAC-SHA1");
    for hidden in ["Signature", "AccessKeyId", "SecurityToken"] {
        assert_eq!(query[hidden], REDACTED, "{hidden}");
    }
    let url = request["url"].as_str().unwrap();
    assert!(url.contains("&Signature=<redacted>"), "{url}");
    assert!(url.contains("AccessKeyId=<redacted>"), "{url}");
}

#[test]
fn a_dry_run_against_the_emulator_hides_its_key_too() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(
        home.path(),
        &[
            "--emulator",
            "--dry-run",
            "--signature-version",
            "v1",
            "modify-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
            "--ssl-action",
            "Open",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    for secret in [
        dds_emulator::Config::DEFAULT_ACCESS_KEY_ID,
        dds_emulator::Config::DEFAULT_ACCESS_KEY_SECRET,
    ] {
        assert!(!run.stdout.contains(secret), "{}", run.stdout);
    }
    let request = json(&run);
    assert!(
        request["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert_eq!(request["query"]["Signature"], REDACTED);
}

#[test]
fn a_dry_run_still_checks_the_parameters_first() {
    let home = tempfile::tempdir().unwrap();
    let run = dds_run(
        home.path(),
        &[
            "--emulator",
            "--dry-run",
            "modify-db-instance-ssl",
            "--db-instance-id",
            REPLICA_SET,
            "--ssl-action",
            "Reopen",
        ],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stdout.is_empty());
}
