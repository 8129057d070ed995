//! The `dds-emulator` command: a local Dds endpoint.

use std::io::IsTerminal as _;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use dds_api::credentials::Credentials;
use dds_emulator::{Config, Emulator, Fixture};

/// A local Dds (ApsaraDB for MongoDB) endpoint, as strict as the real gateway, with
/// simulated instances.
// No `Debug`: the access keys hold secrets.
#[derive(Parser)]
#[command(name = "dds-emulator", version)]
struct Options {
    /// Address to listen on. Loopback by default.
    #[arg(long, default_value = "127.0.0.1")]
    address: IpAddr,

    /// Port to listen on; 0 picks a free one (the chosen URL is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// An accepted access key pair as ID:SECRET; repeat for several. Prefer the environment
    /// variable (comma-separated pairs) over the command line, where other users can read it.
    /// Without any, the built-in pair `emulator-access-key-id:emulator-access-key-secret`.
    #[arg(
        long = "access-key",
        value_name = "ID:SECRET",
        env = "DDS_EMULATOR_ACCESS_KEYS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    access_keys: Vec<String>,

    /// JSON fixture with the instances to start with (format in the README). Without it, the
    /// built-in set.
    #[arg(long, value_name = "PATH")]
    fixture: Option<PathBuf>,

    /// File that keeps the instances' state across restarts, rewritten atomically on every
    /// change. When it exists it wins over --fixture.
    #[arg(long, value_name = "PATH")]
    state_file: Option<PathBuf>,

    /// How long an SSL change keeps an instance in SSLModifying, e.g. `3s`, `500ms`, `0s`.
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = parse_duration)]
    restart_time: Duration,

    /// Refuse requests beyond this many per second per AccessKeyId with Throttling.User.
    #[arg(long, value_name = "PER_SECOND")]
    throttle: Option<u32>,

    /// `HostId` written into error answers.
    #[arg(long, default_value = Config::DEFAULT_HOST_ID)]
    host_id: String,

    /// Log at debug level instead of info.
    #[arg(long)]
    verbose: bool,
}

/// Parses `ID:SECRET`. Kept out of clap's value parsing on purpose: clap repeats a value it
/// refuses in its error message, and this one holds a secret.
fn parse_access_key(text: &str, position: usize) -> Result<Credentials, String> {
    match text.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok(Credentials::new(id, secret))
        }
        _ => Err(format!(
            "access key #{position} is not of the form ID:SECRET with neither part empty"
        )),
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = match text.strip_suffix("ms") {
        Some(number) => (number, 0.001),
        None => match text.strip_suffix('s') {
            Some(number) => (number, 1.0),
            None => return Err(format!("{text:?} needs a unit: `s` or `ms`")),
        },
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{number:?} is not a number"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("{text:?} is not a duration of zero or more"));
    }
    Ok(Duration::from_secs_f64(value * unit))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let options = Options::parse();
    tracing_subscriber::fmt()
        .with_max_level(if options.verbose {
            tracing::Level::DEBUG
        } else {
            tracing::Level::INFO
        })
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();

    match run(options).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("dds-emulator: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> Result<(), String> {
    let mut config = Config::default()
        .address(SocketAddr::new(options.address, options.port))
        .restart_time(options.restart_time)
        .host_id(options.host_id);
    if !options.access_keys.is_empty() {
        let keys = options
            .access_keys
            .iter()
            .enumerate()
            .map(|(i, text)| parse_access_key(text, i + 1))
            .collect::<Result<Vec<_>, _>>()?;
        config = config.access_keys(keys);
    }
    if let Some(path) = &options.fixture {
        config = config.fixture(Fixture::from_file(path).map_err(|e| e.to_string())?);
    }
    if let Some(path) = options.state_file {
        config = config.state_file(path);
    }
    if let Some(per_second) = options.throttle {
        config = config.throttle(per_second);
    }

    let emulator = Emulator::start(config).await.map_err(|e| e.to_string())?;
    // The one line on standard output: scripts and tests read the URL from it.
    println!("listening on {}", emulator.url());

    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    emulator.stop().await;
    Ok(())
}
