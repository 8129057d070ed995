//! Shared by the CLI's test files: the `dds` binary in a clean environment, and its output.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// A demo replica set of the emulator's default instances: engine 4.0, SSL closed, Running.
pub const REPLICA_SET: &str = "dds-demo-rs40";
/// A demo replica set whose SSL is already open.
pub const REPLICA_SET_WITH_SSL: &str = "dds-demo-rs44-ssl";

/// Credentials a test puts in the environment; none of them may ever be printed.
pub const ACCESS_KEY_ID: &str = "LTAI5tCliTestKeyId77";
pub const ACCESS_KEY_SECRET: &str = "CliTestSecretThatMustNeverBePrinted";
pub const SECURITY_TOKEN: &str = "CAISCliTestStsTokenThatMustNeverBePrinted";

/// `dds` with an empty environment and a home directory without credential files, so that
/// nothing on the machine running the tests changes the outcome.
pub fn dds(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dds"));
    command.env_clear().env("HOME", home);
    command
}

/// `dds` with the test credentials in the environment.
pub fn dds_with_credentials(home: &Path) -> Command {
    let mut command = dds(home);
    command
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET);
    command
}

/// The outcome of a run, with text output.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(command: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the dds binary runs");
    Run {
        code: status.code().expect("dds exits with a code, not a signal"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `dds` with these arguments in a clean environment.
pub fn dds_run(home: &Path, args: &[&str]) -> Run {
    run(dds(home).args(args))
}

/// The JSON document a run printed on stdout.
pub fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(run.stdout.trim())
        .unwrap_or_else(|error| panic!("stdout is not one JSON document ({error}): {run:?}"))
}
