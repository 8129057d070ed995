//! Running one operation: the client (or the embedded emulator), the call or the dry run,
//! and the wait.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use dds_api::Request;
use dds_api::credentials::{Credentials, DefaultChain};
use dds_api::operation::OperationMeta;
use dds_api::operations::describe_db_instance_attribute::DescribeDbInstanceAttribute;
use dds_api::signing::{SignatureVersion, percent_encode};
use dds_api::waiter::WaitError;
use dds_api::{Client, PreparedRequest};
use dds_emulator::{Config as EmulatorConfig, Emulator};
use serde_json::{Map, Value};

use crate::cli::{
    GlobalOptions, INSTANCE_PARAMETER, OutputFormat, SignatureVersionArg, WaitOptions,
};
use crate::exit::{Exit, Failure};
use crate::output;
use crate::wait_display::WaitDisplay;

/// The region used when neither `--region` nor `ALIBABA_CLOUD_REGION_ID` gives one: the
/// central endpoint's region.
pub const DEFAULT_REGION: &str = "cn-hangzhou";

/// Time between status polls with `--emulator`, whose restarts take seconds, not minutes.
const EMULATOR_POLL_INTERVAL: Duration = Duration::from_millis(200);

/// Everything needed to run one operation, parsed and checked.
#[derive(Debug)]
pub struct Invocation {
    /// The operation.
    pub meta: &'static OperationMeta,
    /// Its wire parameters, checked against the spec.
    pub params: Vec<(String, String)>,
    /// The global options.
    pub globals: GlobalOptions,
    /// `--wait` and its settings.
    pub wait: WaitOptions,
}

/// Runs an invocation, printing the answer; a failure is answered for the caller to report.
pub async fn run(invocation: Invocation) -> Result<(), Failure> {
    let globals = &invocation.globals;

    // The emulator lives for this command only; its state file, when given, carries its
    // instances from one command to the next.
    let emulator = if globals.emulator {
        let mut config = EmulatorConfig::default();
        if let Some(path) = &globals.emulator_state {
            config = config.state_file(path);
        }
        let emulator = Emulator::start(config).await.map_err(|error| {
            Failure::new(
                Exit::Failure,
                format!("the embedded emulator could not start: {error}."),
            )
        })?;
        tracing::debug!(url = emulator.url(), "embedded emulator started");
        Some(emulator)
    } else {
        None
    };

    let result = run_against(&invocation, emulator.as_ref()).await;
    if let Some(emulator) = emulator {
        emulator.stop().await;
    }
    result
}

async fn run_against(invocation: &Invocation, emulator: Option<&Emulator>) -> Result<(), Failure> {
    let Invocation {
        meta,
        params,
        globals,
        wait,
    } = invocation;
    let client = client(globals, emulator)?;

    if globals.dry_run {
        let prepared = client
            .prepare_dynamic(meta, params.clone())
            .await
            .map_err(|error| Failure::of_call(meta, &error))?;
        print(&dry_run_view(&prepared), globals.output);
        return Ok(());
    }

    let answer = client
        .call_dynamic(meta, params.clone())
        .await
        .map_err(|error| Failure::of_call(meta, &error))?;
    print(&answer, globals.output);

    if wait.wait {
        let instance_id = params
            .iter()
            .find(|(name, _)| name == INSTANCE_PARAMETER)
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        let poll_interval = wait.poll_interval.unwrap_or(if emulator.is_some() {
            EMULATOR_POLL_INTERVAL
        } else {
            dds_api::waiter::WaitSettings::DEFAULT_POLL_INTERVAL
        });
        let display = WaitDisplay::start(&instance_id);
        let reporter = display.reporter();
        let outcome = client
            .wait_until_running(instance_id.clone())
            .poll_interval(poll_interval)
            .timeout(wait.timeout)
            .on_status(move |status, elapsed| reporter.status(status, elapsed))
            .await;
        match outcome {
            Ok(done) => display.finish(&done),
            Err(error) => {
                display.abandon();
                return Err(wait_failure(meta, &error));
            }
        }
    }
    Ok(())
}

fn wait_failure(meta: &OperationMeta, error: &WaitError) -> Failure {
    let accepted = format!("{} was accepted, but", meta.action);
    match error {
        WaitError::Timeout { instance_id, .. } => Failure::new(
            Exit::Timeout,
            format!(
                "{accepted} {error}. The change goes on; check it with `dds \
                 describe-db-instance-attribute --db-instance-id {instance_id}`."
            ),
        ),
        WaitError::NotFound { .. } => Failure::new(Exit::Service, format!("{accepted} {error}.")),
        WaitError::Call(call) => {
            let inner = Failure::of_call(DescribeDbInstanceAttribute::META, call);
            Failure::new(
                inner.exit,
                format!(
                    "{accepted} waiting for the instance failed: {}",
                    inner.message
                ),
            )
        }
        other => Failure::new(Exit::Failure, format!("{accepted} {other}.")),
    }
}

/// Builds the client from the global options, or for the embedded emulator.
fn client(globals: &GlobalOptions, emulator: Option<&Emulator>) -> Result<Client, Failure> {
    let mut builder = Client::builder().signature_version(match globals.signature_version {
        SignatureVersionArg::V1 => SignatureVersion::V1,
        SignatureVersionArg::V3 => SignatureVersion::V3,
    });
    if let Some(timeout) = globals.timeout {
        builder = builder.deadline(timeout);
        if timeout < dds_api::Timeouts::DEFAULT_ATTEMPT {
            builder = builder.attempt_timeout(timeout);
        }
    }
    match emulator {
        Some(emulator) => {
            builder = builder
                .endpoint(emulator.url())
                .credentials(Credentials::new(
                    EmulatorConfig::DEFAULT_ACCESS_KEY_ID,
                    EmulatorConfig::DEFAULT_ACCESS_KEY_SECRET,
                ));
            if let Some(region) = &globals.region {
                builder = builder.region(region.clone());
            }
        }
        None => {
            builder = builder.region(region(globals));
            if let Some(endpoint) = &globals.endpoint {
                builder = builder.endpoint(endpoint.clone());
            }
            let mut chain = DefaultChain::new();
            if let Some(profile) = &globals.profile {
                chain = chain.profile(profile.clone());
            }
            builder = builder.credentials_provider(chain);
        }
    }
    builder.build().map_err(|error| {
        Failure::new(
            Exit::Config,
            format!("the client cannot be set up: {error}."),
        )
    })
}

/// The region: `--region`, else `ALIBABA_CLOUD_REGION_ID`, else the default.
pub fn region(globals: &GlobalOptions) -> String {
    globals
        .region
        .clone()
        .or_else(|| {
            std::env::var("ALIBABA_CLOUD_REGION_ID")
                .ok()
                .filter(|r| !r.trim().is_empty())
        })
        .unwrap_or_else(|| DEFAULT_REGION.to_owned())
}

/// The dry run's view of a request: method, URL, query and headers, with the signature,
/// the AccessKeyId, the security token and any password parameter redacted.
fn dry_run_view(prepared: &PreparedRequest) -> Value {
    const REDACTED: &str = "<redacted>";
    let query: Vec<(String, String)> = prepared
        .query_redacted()
        .into_iter()
        .map(|(name, value)| {
            // Account passwords are the user's secrets too.
            if name.to_ascii_lowercase().contains("password") {
                (name, REDACTED.to_owned())
            } else {
                (name, value)
            }
        })
        .collect();
    let encoded: Vec<String> = query
        .iter()
        .map(|(name, value)| {
            let value = if value == REDACTED {
                value.clone()
            } else {
                percent_encode(value)
            };
            format!("{}={value}", percent_encode(name))
        })
        .collect();
    let url = format!("{}/?{}", prepared.endpoint(), encoded.join("&"));
    let object = |pairs: Vec<(String, String)>| -> Value {
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect::<Map<_, _>>(),
        )
    };
    serde_json::json!({
        "method": prepared.method().as_str(),
        "url": url,
        "query": object(query),
        "headers": object(prepared.headers_redacted()),
    })
}

/// Prints an answer on stdout: JSON by default, pretty when stdout is a terminal.
fn print(value: &Value, format: Option<OutputFormat>) {
    let stdout = std::io::stdout();
    let pretty = stdout.is_terminal();
    let text = output::render(value, format.unwrap_or(OutputFormat::Json), pretty);
    let mut lock = stdout.lock();
    // A closed pipe (`dds ... | head`) is not an error worth a message.
    let _ = writeln!(lock, "{text}");
}
