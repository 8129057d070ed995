//! `-v` and `-vv`: the SDK's tracing events on stderr.

use std::io::IsTerminal;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The crates of this project, whose events `-v` shows.
const OWN_CRATES: &[&str] = &["dds_api", "dds_cli", "dds_emulator"];

/// Sends log events to stderr: warnings of this project's crates by default, their debug
/// events with `-v`, and everything at trace level (HTTP client included) with `-vv`.
pub fn init(verbosity: u8) {
    let (own, others) = match verbosity {
        0 => (LevelFilter::WARN, LevelFilter::OFF),
        1 => (LevelFilter::DEBUG, LevelFilter::WARN),
        _ => (LevelFilter::TRACE, LevelFilter::TRACE),
    };
    let filter = OWN_CRATES
        .iter()
        .fold(Targets::new().with_default(others), |targets, name| {
            targets.with_target(*name, own)
        });
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(verbosity > 1);
    // A second initialisation (tests calling in twice) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}
