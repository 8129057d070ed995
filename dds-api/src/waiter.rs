//! Waiting for an instance to settle after a change, by polling `DescribeDBInstanceAttribute`.
//!
//! A change such as `ModifyDBInstanceSSL` restarts the instance: its `DBInstanceStatus` goes
//! from `Running` to a transitional state (`SSLModifying`) and back. The call itself returns
//! at once; [`Client::wait_until_running`](crate::Client::wait_until_running) polls until the
//! instance is `Running` again, reporting every status it reads.
//!
//! # The window right after a change
//!
//! The real service flips the instance to its transitional state a little after the change
//! call has returned, so the first reads after a change may still say `Running`. Returning on
//! that first `Running` would end the wait before the restart has even begun. The waiter
//! therefore keeps polling while it has read nothing but the target state, for at most the
//! *settle time* (counted from the start of the wait, default
//! [`WaitSettings::DEFAULT_SETTLE_TIME`]):
//!
//! - once it has read any other state, the next read of the target state ends the wait;
//! - if the settle time passes with only the target state read, the change either finished
//!   between two polls or does not restart the instance (such as a change scheduled for the
//!   maintenance window), and the wait ends successfully.
//!
//! A settle time of zero makes the waiter return on the first read of the target state, which
//! is what a caller wants when it did not just make a change.
//!
//! Limitation: the default settle time is a judgement of how long the real service takes to
//! show the transitional state, not a measured figure; a caller that knows better sets it.
//!
//! # Failures while polling
//!
//! A poll that fails in a way a later poll may not (a timeout, a broken connection,
//! throttling, a server-side error) is logged and the waiter polls again; only the wait's own
//! time limit ends it. Any other failure (the instance does not exist, the credentials are
//! refused) ends the wait at once with that error.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

use crate::client::{Client, Error};
use crate::operations::describe_db_instance_attribute::DescribeDbInstanceAttributeError;

/// The status an instance has when no change is in progress.
pub const RUNNING: &str = "Running";

/// The code the service answers for an instance that does not exist.
const NOT_FOUND_CODE: &str = "InvalidDBInstanceId.NotFound";

/// The error of a poll: a failed `DescribeDBInstanceAttribute` call.
pub type PollError = Error<DescribeDbInstanceAttributeError>;

/// How long and how often a waiter polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitSettings {
    /// Time between the start of one poll and the start of the next.
    pub poll_interval: Duration,
    /// The longest the whole wait may take.
    pub timeout: Duration,
    /// How long to keep polling while only the target state has been read (see the module
    /// documentation). Capped by `timeout`.
    pub settle_time: Duration,
}

impl WaitSettings {
    /// Default time between polls.
    pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(2);
    /// Default limit of a wait. An SSL change restarts every node of the instance, which
    /// takes minutes on the real service.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);
    /// Default settle time.
    pub const DEFAULT_SETTLE_TIME: Duration = Duration::from_secs(10);
}

impl Default for WaitSettings {
    fn default() -> Self {
        WaitSettings {
            poll_interval: Self::DEFAULT_POLL_INTERVAL,
            timeout: Self::DEFAULT_TIMEOUT,
            settle_time: Self::DEFAULT_SETTLE_TIME,
        }
    }
}

/// How a wait ended successfully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalStatus {
    /// The status read last: the target state.
    pub status: String,
    /// Time from the start of the wait to the last read.
    pub elapsed: Duration,
    /// How many polls were made, failed ones included.
    pub polls: u32,
    /// Every status read, in order, each once per run of equal reads
    /// (`["Running", "SSLModifying", "Running"]`).
    pub passed_through: Vec<String>,
}

/// Why a wait did not end with the instance in the target state.
///
/// `E` is the error of the polling call; for [`Client::wait_until_running`] it is a
/// [`PollError`], a failed `DescribeDBInstanceAttribute` call.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<E = PollError> {
    /// The time limit passed before the instance reached the target state.
    Timeout {
        /// The instance waited for.
        instance_id: String,
        /// The time limit.
        limit: Duration,
        /// The last status read, if any poll succeeded.
        last_status: Option<String>,
        /// The failure of the last poll, when the last poll failed.
        last_error: Option<E>,
    },
    /// The service answered that there is no such instance.
    NotFound {
        /// The instance waited for.
        instance_id: String,
    },
    /// A poll failed in a way polling again would not fix.
    Call(E),
}

impl<E> WaitError<E> {
    /// Whether the wait ran out of time (as opposed to failing).
    pub fn is_timeout(&self) -> bool {
        matches!(self, WaitError::Timeout { .. })
    }

    /// The polling call's error, when a poll ended the wait.
    pub fn call_error(&self) -> Option<&E> {
        match self {
            WaitError::Call(error) => Some(error),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Timeout {
                instance_id,
                limit,
                last_status,
                last_error,
            } => {
                write!(
                    f,
                    "instance {instance_id} did not become Running within {}",
                    DisplayDuration(*limit)
                )?;
                match (last_status, last_error) {
                    (_, Some(error)) => write!(f, "; the last poll failed: {error}"),
                    (Some(status), None) => write!(f, "; its status is still {status}"),
                    (None, None) => Ok(()),
                }
            }
            WaitError::NotFound { instance_id } => write!(
                f,
                "instance {instance_id} was not found while waiting for it to become Running"
            ),
            WaitError::Call(error) => write!(f, "waiting for the instance failed: {error}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for WaitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Call(error) => Some(error),
            WaitError::Timeout {
                last_error: Some(error),
                ..
            } => Some(error),
            _ => None,
        }
    }
}

/// Waits for one instance to be `Running`; built by [`Client::wait_until_running`], run by
/// `.await`.
///
/// ```no_run
/// # async fn example(client: &dds_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
///
/// use dds_api::operations::modify_db_instance_ssl::SslAction;
///
/// client
///     .modify_db_instance_ssl()
///     .db_instance_id("dds-bp1example")
///     .ssl_action(SslAction::Open)
///     .send()
///     .await?;
/// let done = client
///     .wait_until_running("dds-bp1example")
///     .poll_interval(Duration::from_secs(5))
///     .timeout(Duration::from_secs(30 * 60))
///     .on_status(|status, elapsed| eprintln!("{status} after {elapsed:?}"))
///     .await?;
/// println!("passed through {}", done.passed_through.join(" -> "));
/// # Ok(())
/// # }
/// ```
#[must_use = "a waiter does nothing until it is awaited"]
pub struct InstanceStatusWaiter<'c> {
    client: &'c Client,
    instance_id: String,
    settings: WaitSettings,
    on_status: Option<OnStatus<'c>>,
}

impl fmt::Debug for InstanceStatusWaiter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstanceStatusWaiter")
            .field("instance_id", &self.instance_id)
            .field("settings", &self.settings)
            .field("on_status", &self.on_status.as_ref().map(|_| ".."))
            .finish()
    }
}

impl<'c> InstanceStatusWaiter<'c> {
    /// Time between the start of one poll and the start of the next; default 2 s.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.settings.poll_interval = interval;
        self
    }

    /// The longest the wait may take; default 20 minutes.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// How long to keep polling while the instance reads `Running` without having shown a
    /// change (see the [module documentation](self)); default 10 s, zero to return on the
    /// first `Running`.
    pub fn settle_time(mut self, settle_time: Duration) -> Self {
        self.settings.settle_time = settle_time;
        self
    }

    /// All settings at once.
    pub fn settings(mut self, settings: WaitSettings) -> Self {
        self.settings = settings;
        self
    }

    /// Called after every successful poll with the status read and the time since the wait
    /// began, so a caller can show the states the instance passes through.
    pub fn on_status(mut self, callback: impl FnMut(&str, Duration) + Send + 'c) -> Self {
        self.on_status = Some(Box::new(callback));
        self
    }

    async fn run(self) -> Result<FinalStatus, WaitError> {
        let client = self.client;
        let instance_id = self.instance_id;
        let probe = || {
            let id = instance_id.clone();
            async move {
                let answer = client
                    .describe_db_instance_attribute()
                    .db_instance_id(id.as_str())
                    .send()
                    .await;
                match answer {
                    Ok(answer) => {
                        let found = answer
                            .db_instances
                            .into_iter()
                            .flat_map(|list| list.db_instance)
                            .find(|instance| {
                                instance.db_instance_id.as_deref().is_none_or(|i| i == id)
                            });
                        match found {
                            Some(instance) => {
                                PollOutcome::Status(instance.db_instance_status.unwrap_or_default())
                            }
                            None => PollOutcome::Missing,
                        }
                    }
                    Err(error) if error.code() == Some(NOT_FOUND_CODE) => PollOutcome::Missing,
                    Err(error) if is_transient(&error) => PollOutcome::Transient(error),
                    Err(error) => PollOutcome::Failed(error),
                }
            }
        };
        poll_until(&instance_id, RUNNING, self.settings, probe, self.on_status).await
    }
}

impl<'c> IntoFuture for InstanceStatusWaiter<'c> {
    type Output = Result<FinalStatus, WaitError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// Failures a later poll may not have: time limits, broken connections, throttling and
/// server-side errors.
fn is_transient(error: &PollError) -> bool {
    error.is_timeout()
        || error.is_transport()
        || error.is_throttling()
        || error.status().is_some_and(|status| status >= 500)
}

impl Client {
    /// A waiter that polls `DescribeDBInstanceAttribute` until the instance is `Running`,
    /// for use right after a change such as `ModifyDBInstanceSSL`; see [`crate::waiter`].
    pub fn wait_until_running(&self, instance_id: impl Into<String>) -> InstanceStatusWaiter<'_> {
        InstanceStatusWaiter {
            client: self,
            instance_id: instance_id.into(),
            settings: WaitSettings::default(),
            on_status: None,
        }
    }
}

/// What one poll found.
#[derive(Debug)]
pub(crate) enum PollOutcome<E> {
    /// The instance's status.
    Status(String),
    /// The answer did not list the instance.
    Missing,
    /// The poll failed; a later one may succeed.
    Transient(E),
    /// The poll failed for good.
    Failed(E),
}

/// A callback told every status read and the time since the wait began.
pub(crate) type OnStatus<'a> = Box<dyn FnMut(&str, Duration) + Send + 'a>;

/// Polls `probe` until it reads `target` (subject to the settle rule), the time limit passes,
/// or a poll fails for good.
pub(crate) async fn poll_until<E, P, F>(
    instance_id: &str,
    target: &str,
    settings: WaitSettings,
    mut probe: P,
    mut on_status: Option<OnStatus<'_>>,
) -> Result<FinalStatus, WaitError<E>>
where
    P: FnMut() -> F,
    F: Future<Output = PollOutcome<E>>,
{
    let started = Instant::now();
    let deadline = started + settings.timeout;
    let settle_until = started + settings.settle_time.min(settings.timeout);
    let mut polls = 0u32;
    let mut passed_through: Vec<String> = Vec::new();
    let mut left_target = false;
    let mut last_error: Option<E>;

    loop {
        let poll_started = Instant::now();
        polls += 1;
        let outcome = probe().await;
        let elapsed = started.elapsed();

        let mut at_target = false;
        match outcome {
            PollOutcome::Status(status) => {
                tracing::debug!(instance_id, %status, poll = polls, elapsed_ms = elapsed.as_millis() as u64, "instance status");
                last_error = None;
                if let Some(callback) = on_status.as_mut() {
                    callback(&status, elapsed);
                }
                at_target = status == target;
                if !at_target {
                    left_target = true;
                }
                if passed_through.last() != Some(&status) {
                    passed_through.push(status);
                }
                // Past the settle time with only the target read: the change is over, or
                // never showed.
                if at_target && (left_target || Instant::now() >= settle_until) {
                    return Ok(FinalStatus {
                        status: target.to_owned(),
                        elapsed,
                        polls,
                        passed_through,
                    });
                }
            }
            PollOutcome::Missing => {
                return Err(WaitError::NotFound {
                    instance_id: instance_id.to_owned(),
                });
            }
            PollOutcome::Transient(error) => {
                tracing::debug!(instance_id, poll = polls, "poll failed; polling again");
                last_error = Some(error);
            }
            PollOutcome::Failed(error) => return Err(WaitError::Call(error)),
        }

        let now = Instant::now();
        if now >= deadline {
            return Err(WaitError::Timeout {
                instance_id: instance_id.to_owned(),
                limit: settings.timeout,
                last_status: passed_through.last().cloned(),
                last_error,
            });
        }
        // Wake for the next poll, or at the end of the settle time when only the target has
        // been read (so a settled instance is not kept waiting a whole interval), or at the
        // deadline for a last look.
        let mut wake = (poll_started + settings.poll_interval).min(deadline);
        if at_target && !left_target && settle_until > now {
            wake = wake.min(settle_until);
        }
        tokio::time::sleep_until(wake).await;
    }
}

/// A duration as a person reads it: `1.5s`, `20m`, `250ms`.
pub(crate) struct DisplayDuration(pub(crate) Duration);

impl fmt::Display for DisplayDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d.as_millis() < 1000 {
            write!(f, "{}ms", d.as_millis())
        } else if d.as_secs().is_multiple_of(60) && d.subsec_millis() == 0 && d.as_secs() >= 60 {
            write!(f, "{}m", d.as_secs() / 60)
        } else {
            write!(f, "{:.1}s", d.as_secs_f64())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A probe answering scripted outcomes, repeating the last one forever.
    fn scripted(
        script: Vec<PollOutcome<&'static str>>,
    ) -> impl FnMut() -> std::future::Ready<PollOutcome<&'static str>> {
        let mut script: VecDeque<_> = script.into();
        move || {
            let next = if script.len() > 1 {
                script.pop_front().unwrap()
            } else {
                match script.front().unwrap() {
                    PollOutcome::Status(s) => PollOutcome::Status(s.clone()),
                    PollOutcome::Missing => PollOutcome::Missing,
                    PollOutcome::Transient(e) => PollOutcome::Transient(*e),
                    PollOutcome::Failed(e) => PollOutcome::Failed(*e),
                }
            };
            std::future::ready(next)
        }
    }

    fn status(s: &str) -> PollOutcome<&'static str> {
        PollOutcome::Status(s.to_owned())
    }

    fn quick(settle: Duration, timeout: Duration) -> WaitSettings {
        WaitSettings {
            poll_interval: Duration::from_millis(5),
            timeout,
            settle_time: settle,
        }
    }

    const LONG: Duration = Duration::from_secs(30);

    #[tokio::test]
    async fn a_running_read_before_the_change_shows_does_not_end_the_wait() {
        let probe = scripted(vec![
            status("Running"),
            status("Running"),
            status("SSLModifying"),
            status("SSLModifying"),
            status("Running"),
        ]);
        let done = poll_until("dds-1", "Running", quick(LONG, LONG), probe, None)
            .await
            .unwrap();
        assert_eq!(done.passed_through, ["Running", "SSLModifying", "Running"]);
        assert_eq!(done.polls, 5);
        assert_eq!(done.status, "Running");
    }

    #[tokio::test]
    async fn only_running_reads_end_the_wait_once_the_settle_time_has_passed() {
        let settle = Duration::from_millis(40);
        let probe = scripted(vec![status("Running")]);
        let done = poll_until("dds-1", "Running", quick(settle, LONG), probe, None)
            .await
            .unwrap();
        assert!(done.elapsed >= settle, "returned after {:?}", done.elapsed);
        assert!(done.polls >= 2);
        assert_eq!(done.passed_through, ["Running"]);
    }

    #[tokio::test]
    async fn a_zero_settle_time_returns_on_the_first_running_read() {
        let probe = scripted(vec![status("Running"), status("SSLModifying")]);
        let done = poll_until("dds-1", "Running", quick(Duration::ZERO, LONG), probe, None)
            .await
            .unwrap();
        assert_eq!(done.polls, 1);
    }

    #[tokio::test]
    async fn every_status_read_is_reported_with_the_time_since_the_start() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let probe = scripted(vec![
            status("SSLModifying"),
            status("SSLModifying"),
            status("Running"),
        ]);
        let callback: OnStatus<'_> = Box::new(move |status, elapsed| {
            sink.lock().unwrap().push((status.to_owned(), elapsed));
        });
        poll_until("dds-1", "Running", quick(LONG, LONG), probe, Some(callback))
            .await
            .unwrap();
        let seen = seen.lock().unwrap();
        let statuses: Vec<&str> = seen.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(statuses, ["SSLModifying", "SSLModifying", "Running"]);
        assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1));
    }

    #[tokio::test]
    async fn the_time_limit_ends_the_wait_with_the_last_status() {
        let probe = scripted(vec![status("Running"), status("SSLModifying")]);
        let error = poll_until(
            "dds-1",
            "Running",
            quick(LONG, Duration::from_millis(30)),
            probe,
            None,
        )
        .await
        .unwrap_err();
        assert!(error.is_timeout());
        match &error {
            WaitError::Timeout {
                last_status,
                last_error,
                ..
            } => {
                assert_eq!(last_status.as_deref(), Some("SSLModifying"));
                assert!(last_error.is_none());
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert_eq!(
            error.to_string(),
            "instance dds-1 did not become Running within 30ms; its status is still SSLModifying"
        );
    }

    #[tokio::test]
    async fn transient_failures_are_polled_through() {
        let probe = scripted(vec![
            status("SSLModifying"),
            PollOutcome::Transient("connection reset"),
            PollOutcome::Transient("throttled"),
            status("Running"),
        ]);
        let done = poll_until("dds-1", "Running", quick(LONG, LONG), probe, None)
            .await
            .unwrap();
        assert_eq!(done.polls, 4);
        assert_eq!(done.passed_through, ["SSLModifying", "Running"]);
    }

    #[tokio::test]
    async fn a_timeout_after_failed_polls_carries_the_last_failure() {
        let probe = scripted(vec![
            status("SSLModifying"),
            PollOutcome::Transient("connection refused"),
        ]);
        let error = poll_until(
            "dds-1",
            "Running",
            quick(LONG, Duration::from_millis(30)),
            probe,
            None,
        )
        .await
        .unwrap_err();
        match error {
            WaitError::Timeout {
                last_error: Some("connection refused"),
                last_status: Some(status),
                ..
            } => assert_eq!(status, "SSLModifying"),
            other => panic!("expected a timeout with the last failure, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_lasting_failure_ends_the_wait_at_once() {
        let probe = scripted(vec![
            status("SSLModifying"),
            PollOutcome::Failed("InvalidAccessKeyId.NotFound"),
            status("Running"),
        ]);
        let error = poll_until("dds-1", "Running", quick(LONG, LONG), probe, None)
            .await
            .unwrap_err();
        assert!(!error.is_timeout());
        assert_eq!(error.call_error(), Some(&"InvalidAccessKeyId.NotFound"));
    }

    #[tokio::test]
    async fn an_instance_missing_from_the_answer_ends_the_wait() {
        let probe = scripted(vec![status("SSLModifying"), PollOutcome::Missing]);
        let error = poll_until("dds-9", "Running", quick(LONG, LONG), probe, None)
            .await
            .unwrap_err();
        assert!(matches!(error, WaitError::NotFound { ref instance_id } if instance_id == "dds-9"));
    }

    #[test]
    fn durations_read_as_a_person_writes_them() {
        assert_eq!(
            DisplayDuration(Duration::from_millis(250)).to_string(),
            "250ms"
        );
        assert_eq!(
            DisplayDuration(Duration::from_millis(1500)).to_string(),
            "1.5s"
        );
        assert_eq!(
            DisplayDuration(Duration::from_secs(1200)).to_string(),
            "20m"
        );
        assert_eq!(
            DisplayDuration(Duration::from_secs(90)).to_string(),
            "90.0s"
        );
    }
}
