//! The command line: global options (derived) and one subcommand per operation of the
//! registry (built at run time, so a new spec becomes a new subcommand with no CLI code).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, ArgAction, Args, Command, FromArgMatches, ValueEnum};
use dds_api::operation::{OperationKind, OperationMeta, TypeMeta};

use crate::duration::parse_duration;
use crate::params;

/// The subcommand that prints shell completions.
pub const COMPLETIONS: &str = "completions";

/// The parameter an operation must have for `--wait` to know which instance to watch.
pub const INSTANCE_PARAMETER: &str = "DBInstanceId";

/// Options every subcommand accepts, before or after its name.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalOptions {
    /// Region to call, e.g. cn-hangzhou; picks the endpoint and fills in a RegionId
    /// parameter that is not given [default: $ALIBABA_CLOUD_REGION_ID, else cn-hangzhou]
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Endpoint to call instead of the region's, e.g. https://mongodb.aliyuncs.com or
    /// http://127.0.0.1:8080
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,

    /// Credentials profile to use, from ~/.aliyun/config.json or ~/.alibabacloud/credentials
    /// (skips the environment variables)
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Signature version: v3 (ACS3-HMAC-SHA256) or v1 (HMAC-SHA1)
    #[arg(long, global = true, value_enum, value_name = "VERSION", default_value_t = SignatureVersionArg::V3)]
    pub signature_version: SignatureVersionArg,

    /// Output format [default: json, pretty-printed on a terminal]
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// Time limit of the call, retries included, e.g. 30s, 2m, 500ms [default: 60s]
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// Log to stderr: -v for the SDK's debug events, -vv for everything at trace level
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,

    /// Print the request that would be sent, signature, AccessKeyId and security token
    /// redacted, and send nothing
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// Start the embedded emulator with its demo instances and run the command against it
    #[arg(long, global = true, conflicts_with_all = ["endpoint", "profile"])]
    pub emulator: bool,

    /// With --emulator: keep the emulator's instances in this file, so that successive
    /// commands see each other's changes
    #[arg(long, global = true, value_name = "FILE", requires = "emulator")]
    pub emulator_state: Option<PathBuf>,
}

/// `--signature-version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignatureVersionArg {
    /// ACS3-HMAC-SHA256, what today's official SDKs send.
    V3,
    /// HMAC-SHA1, the older RPC signature.
    V1,
}

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The answer as JSON.
    Json,
    /// The answer as an aligned table.
    Table,
}

/// `--wait` and its settings, on operations that change one instance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitOptions {
    /// The instance must be `Running` again before the command ends.
    pub wait: bool,
    /// Time limit of the wait.
    pub timeout: Duration,
    /// Time between polls, when given.
    pub poll_interval: Option<Duration>,
}

impl WaitOptions {
    /// Reads the wait options of an operation's matches (all absent on other operations).
    pub fn from_matches(matches: &clap::ArgMatches) -> Self {
        let has = |id: &str| matches.try_contains_id(id).unwrap_or(false);
        WaitOptions {
            wait: has("wait") && matches.get_flag("wait"),
            timeout: if has("wait_timeout") {
                matches
                    .get_one::<Duration>("wait_timeout")
                    .copied()
                    .unwrap_or(DEFAULT_WAIT_TIMEOUT)
            } else {
                DEFAULT_WAIT_TIMEOUT
            },
            poll_interval: if has("poll_interval") {
                matches.get_one::<Duration>("poll_interval").copied()
            } else {
                None
            },
        }
    }
}

/// Default of `--wait-timeout`.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// Whether `--wait` makes sense for an operation: it changes something and names an
/// instance.
pub fn can_wait(meta: &OperationMeta) -> bool {
    meta.kind == OperationKind::Write
        && meta
            .parameter(INSTANCE_PARAMETER)
            .is_some_and(|p| matches!(p.ty, TypeMeta::String))
}

/// The whole `dds` command over these operations.
pub fn command(operations: &[&'static OperationMeta]) -> Command {
    // The global options go in first: deriving them would otherwise set the command's about
    // text from their own doc comment.
    let mut command = GlobalOptions::augment_args(Command::new("dds"))
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call Alibaba Cloud ApsaraDB for MongoDB (Dds 2015-12-01) from the command line")
        .long_about(
            "Call Alibaba Cloud ApsaraDB for MongoDB (Dds 2015-12-01) from the command line.\n\n\
             Every operation of the API is a subcommand, in kebab case (modify-db-instance-ssl) \
             or by its Action name (ModifyDBInstanceSSL). Answers are printed as JSON on \
             stdout; errors as one paragraph on stderr, with an exit code that tells what \
             kind of failure it was (see the README).",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new(COMPLETIONS)
                .about("Print a completion script for a shell")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        );
    for meta in operations {
        command = command.subcommand(operation_command(meta));
    }
    command
}

/// The subcommand of one operation.
pub fn operation_command(meta: &'static OperationMeta) -> Command {
    let mut long_about = meta.summary.trim().to_owned();
    if !meta.description.trim().is_empty() {
        long_about.push_str("\n\n");
        long_about.push_str(meta.description.trim());
    }
    long_about.push_str(&format!(
        "\n\nAction {} (API version 2015-12-01), a {} operation; also callable as `dds {}`.",
        meta.action,
        match meta.kind {
            OperationKind::Read => "read",
            OperationKind::Write => "write",
        },
        meta.action
    ));

    let mut command = Command::new(meta.cli_name)
        .about(meta.summary.trim().to_owned())
        .long_about(long_about)
        .next_help_heading("Parameters")
        .args(params::args(meta));
    if meta.action != meta.cli_name {
        command = command.alias(meta.action);
    }
    if can_wait(meta) {
        command = command.next_help_heading("Waiting").args(wait_args());
    }
    command
}

fn wait_args() -> [Arg; 3] {
    [
        Arg::new("wait")
            .long("wait")
            .action(ArgAction::SetTrue)
            .help("After the change, wait until the instance is Running again")
            .long_help(
                "After the change, poll DescribeDBInstanceAttribute until the instance is \
                 Running again, showing its status. The exit code tells a wait that timed out \
                 (6) from success (0).",
            ),
        Arg::new("wait_timeout")
            .long("wait-timeout")
            .value_name("DURATION")
            .value_parser(parse_duration)
            .requires("wait")
            .help("Longest time to wait [default: 20m]"),
        Arg::new("poll_interval")
            .long("poll-interval")
            .value_name("DURATION")
            .value_parser(parse_duration)
            .requires("wait")
            .help("Time between status polls [default: 2s; 200ms with --emulator]"),
    ]
}

/// The global options of parsed matches.
pub fn global_options(matches: &clap::ArgMatches) -> Result<GlobalOptions, clap::Error> {
    GlobalOptions::from_arg_matches(matches)
}
