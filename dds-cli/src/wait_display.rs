//! Showing a wait: a spinner with the instance's status and the elapsed time on a terminal,
//! one line per status change otherwise (logs, CI, tests).
//!
//! The waiting itself is the SDK's ([`dds_api::waiter`]); this only shows what it reports.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dds_api::waiter::FinalStatus;
use indicatif::{ProgressBar, ProgressStyle};

/// The display of one wait, on stderr.
#[derive(Debug)]
pub struct WaitDisplay {
    instance_id: String,
    spinner: Option<ProgressBar>,
    last: Arc<Mutex<Option<String>>>,
}

/// What the waiter's status callback holds: sends each status read to the display.
#[derive(Debug, Clone)]
pub struct Reporter {
    instance_id: String,
    spinner: Option<ProgressBar>,
    last: Arc<Mutex<Option<String>>>,
}

impl WaitDisplay {
    /// Starts showing a wait for `instance_id`.
    pub fn start(instance_id: &str) -> Self {
        let spinner = std::io::stderr().is_terminal().then(|| {
            let spinner = ProgressBar::new_spinner();
            spinner.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            spinner.set_message(format!("waiting for {instance_id}"));
            spinner.enable_steady_tick(Duration::from_millis(100));
            spinner
        });
        WaitDisplay {
            instance_id: instance_id.to_owned(),
            spinner,
            last: Arc::new(Mutex::new(None)),
        }
    }

    /// The callback side.
    pub fn reporter(&self) -> Reporter {
        Reporter {
            instance_id: self.instance_id.clone(),
            spinner: self.spinner.clone(),
            last: Arc::clone(&self.last),
        }
    }

    /// The wait succeeded: one closing line.
    pub fn finish(self, done: &FinalStatus) {
        let line = format!(
            "{} is {} ({}, {:.1}s)",
            self.instance_id,
            done.status,
            done.passed_through.join(" -> "),
            done.elapsed.as_secs_f64()
        );
        match &self.spinner {
            Some(spinner) => {
                // The closing line has its own elapsed time; the spinner's would repeat it.
                if let Ok(style) = ProgressStyle::with_template("{msg}") {
                    spinner.set_style(style);
                }
                spinner.finish_with_message(line);
            }
            None => eprintln!("{line}"),
        }
    }

    /// The wait failed; the failure is reported by the caller.
    pub fn abandon(self) {
        if let Some(spinner) = &self.spinner {
            spinner.abandon();
        }
    }
}

impl Reporter {
    /// Shows one status read.
    pub fn status(&self, status: &str, elapsed: Duration) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let changed = last.as_deref() != Some(status);
        *last = Some(status.to_owned());
        drop(last);
        match &self.spinner {
            Some(spinner) => spinner.set_message(format!("{} is {status}", self.instance_id)),
            None if changed => eprintln!(
                "waiting: {} is {status} ({:.1}s)",
                self.instance_id,
                elapsed.as_secs_f64()
            ),
            None => {}
        }
    }
}
