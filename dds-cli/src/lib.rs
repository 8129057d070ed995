//! The `dds` command: every operation of the Dds API from the command line.
//!
//! The subcommands are built at run time from the SDK's operation registry
//! (`dds_api::operations::OPERATIONS`), one per operation, with one option per parameter;
//! a new spec becomes a new subcommand without any code here. The library form exists so
//! that the command can be built and tested over any set of operations.

#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

pub mod cli;
pub mod duration;
pub mod exit;
pub mod logging;
pub mod output;
pub mod params;
pub mod run;
pub mod wait_display;

use std::collections::BTreeSet;
use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use dds_api::OperationMeta;
use dds_api::operation::WireParams;

use crate::cli::{COMPLETIONS, WaitOptions};
use crate::exit::{Exit, Failure};
use crate::run::Invocation;

/// Runs `dds` with these arguments (the program name first) over these operations, printing
/// the answer or the failure; answers the exit code.
pub fn main<I, T>(args: I, operations: &'static [&'static OperationMeta]) -> Exit
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut command = cli::command(operations);
    let matches = match command.try_get_matches_from_mut(args) {
        Ok(matches) => matches,
        Err(error) => {
            let exit = clap_exit(&error, &params::parameter_longs(operations));
            let _ = error.print();
            return exit;
        }
    };
    let globals = match cli::global_options(&matches) {
        Ok(globals) => globals,
        Err(error) => {
            let _ = error.print();
            return Exit::Usage;
        }
    };
    logging::init(globals.verbose);

    let Some((name, sub_matches)) = matches.subcommand() else {
        return Exit::Usage;
    };
    if name == COMPLETIONS {
        let Some(&shell) = sub_matches.get_one::<clap_complete::Shell>("shell") else {
            return Exit::Usage;
        };
        clap_complete::generate(shell, &mut command, "dds", &mut std::io::stdout());
        return Exit::Success;
    }
    let Some(meta) = operations.iter().copied().find(|m| m.cli_name == name) else {
        eprintln!("error: unknown operation {name}");
        return Exit::Usage;
    };

    let invocation = match invocation(meta, sub_matches, globals) {
        Ok(invocation) => invocation,
        Err(failure) => return report(failure),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return report(Failure::new(
                Exit::Failure,
                format!("the async runtime could not start: {error}."),
            ));
        }
    };
    match runtime.block_on(run::run(invocation)) {
        Ok(()) => Exit::Success,
        Err(failure) => report(failure),
    }
}

/// Turns the parsed options of an operation into checked wire parameters: the region fills
/// in a `RegionId` parameter that was not given, and the SDK's validation of the operation
/// runs on the result.
pub fn invocation(
    meta: &'static OperationMeta,
    matches: &clap::ArgMatches,
    globals: cli::GlobalOptions,
) -> Result<Invocation, Failure> {
    let mut params = params::wire_params(meta, matches);

    // Like the `aliyun` tool, the region of the call is the RegionId parameter unless given.
    if meta.parameter(params::REGION_PARAMETER).is_some()
        && !params
            .iter()
            .any(|(name, _)| name == params::REGION_PARAMETER)
    {
        params.push((params::REGION_PARAMETER.to_owned(), run::region(&globals)));
    }

    // The SDK's own validation, so that the command line and the SDK agree; every
    // violation at once, and nothing sent.
    let wire: WireParams = params.iter().cloned().collect();
    if let Err(errors) = (meta.check_wire)(&wire) {
        let list: Vec<String> = errors.violations().iter().map(|v| v.to_string()).collect();
        return Err(Failure::new(
            Exit::Validation,
            format!(
                "{} was not sent: the parameters break its spec: {}.",
                meta.action,
                list.join("; ")
            ),
        ));
    }

    Ok(Invocation {
        meta,
        params,
        globals,
        wait: WaitOptions::from_matches(matches),
    })
}

fn report(failure: Failure) -> Exit {
    eprintln!("error: {}", failure.message);
    failure.exit
}

/// The exit code of a command line clap refused: a parameter's value or absence breaks the
/// spec (validation), anything else is a usage error; help and version are a success.
fn clap_exit(error: &clap::Error, parameter_longs: &BTreeSet<String>) -> Exit {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Exit::Success,
        // An option given without its value is a mistake of the command line.
        ErrorKind::InvalidValue if matches!(error.get(ContextKind::InvalidValue), Some(ContextValue::String(v)) if v.is_empty()) => {
            Exit::Usage
        }
        ErrorKind::InvalidValue
        | ErrorKind::ValueValidation
        | ErrorKind::MissingRequiredArgument => {
            let args: Vec<&str> = match error.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(arg)) => vec![arg.as_str()],
                Some(ContextValue::Strings(args)) => args.iter().map(String::as_str).collect(),
                _ => Vec::new(),
            };
            let is_parameter = |arg: &&str| {
                let long = arg.split([' ', '=']).next().unwrap_or("");
                parameter_longs.contains(long)
            };
            if !args.is_empty() && args.iter().all(is_parameter) {
                Exit::Validation
            } else {
                Exit::Usage
            }
        }
        _ => Exit::Usage,
    }
}
