//! When a failed attempt is tried again, and how long the client waits first.
//!
//! # What is retried
//!
//! | failure | read operation | write operation |
//! |---|---|---|
//! | connecting failed (refused, DNS, TLS handshake, connect timeout): nothing was sent | yes | yes |
//! | throttling: a `Throttling*` code or HTTP 429 | yes | yes |
//! | `ServiceUnavailable` code or HTTP 503 | yes | yes |
//! | other 5xx (`InternalError`, 500, 502, 504, ...) | yes | only with [`RetryPolicy::retry_writes_after_send`] |
//! | the attempt timed out, or the connection broke after the request was written | yes | only with [`RetryPolicy::retry_writes_after_send`] |
//! | any other error answer (4xx), a validation or a decode error | no | no |
//!
//! Why writes differ: throttling and `ServiceUnavailable` are the gateway refusing the request
//! before the operation runs, so repeating it cannot apply a change twice. An
//! `InternalError`, a 502 or 504 from a proxy, a timeout or a reset connection leave open
//! whether the change was applied; repeating it could apply it twice (or fail confusingly
//! with "already enabled"), so the caller decides.
//!
//! # How long the client waits
//!
//! When the answer carries `x-acs-retry-after`, the client waits that many **milliseconds**,
//! as Alibaba's own clients do (`alibabacloud-tea-openapi` hands the header's integer to its
//! retry policy, which sleeps that many milliseconds; values that are not a positive integer
//! are ignored). Otherwise it waits a random time between zero and `base_delay * 2^(n-1)`
//! before retry `n`, at most `max_delay` ("full jitter"). A wait that would end after the
//! call's deadline is not started: the last error is returned instead.
//!
//! Every attempt is signed afresh, with a new nonce and timestamp.

use std::fmt;
use std::future::Future;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// Waits for a while; injectable so that tests can observe the waits without sleeping.
pub trait Sleep: fmt::Debug + Send + Sync + 'static {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// Sleeps on the tokio timer (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// How failed attempts are retried. See the [module documentation](self) for what is retried.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    retry_writes_after_send: bool,
    sleep: Arc<dyn Sleep>,
}

impl RetryPolicy {
    /// Attempts per call by default, the first one included.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
    /// The wait before the first retry is at most this long by default.
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(200);
    /// No computed wait is longer than this by default.
    pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(20);

    /// The default policy: 3 attempts, waits from 200 ms doubling up to 20 s, write
    /// operations not retried once they may have reached the server.
    pub fn new() -> Self {
        Self {
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            base_delay: Self::DEFAULT_BASE_DELAY,
            max_delay: Self::DEFAULT_MAX_DELAY,
            retry_writes_after_send: false,
            sleep: Arc::new(TokioSleep),
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self::new().max_attempts(1)
    }

    /// Attempts per call, the first one included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Upper bound of the random wait before the first retry; it doubles with each retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Upper bound of every computed wait. Does not shorten a server's `x-acs-retry-after`.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Also retry write operations after a failure that leaves open whether the server
    /// applied the change (timeout, broken connection, `InternalError` and other 5xx).
    /// Only sensible when repeating the operation is harmless.
    pub fn retry_writes_after_send(mut self, retry: bool) -> Self {
        self.retry_writes_after_send = retry;
        self
    }

    /// Replaces how the client waits between attempts (tests use one that records the waits
    /// and returns at once).
    pub fn sleep_impl(mut self, sleep: impl Sleep) -> Self {
        self.sleep = Arc::new(sleep);
        self
    }

    /// Attempts per call, the first one included.
    pub(crate) fn attempt_limit(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn sleeper(&self) -> &dyn Sleep {
        self.sleep.as_ref()
    }

    /// The wait before retry number `retry` (1 for the first retry): uniform in
    /// `[0, min(max_delay, base_delay * 2^(retry-1))]`.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .base_delay
            .saturating_mul(factor)
            .min(self.max_delay)
            .as_nanos()
            .min(u64::MAX as u128) as u64;
        if ceiling == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % (ceiling + 1))
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// A random number for jitter. Not for secrets: std's per-instance random hasher keys are
/// enough to spread clients' retries apart.
fn random_u64() -> u64 {
    std::collections::hash_map::RandomState::new().hash_one(std::time::Instant::now())
}

/// How a failed attempt relates to retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Connecting failed; the request was not sent.
    NotSent,
    /// The gateway refused the request before running it (throttling, service unavailable).
    Refused,
    /// The request may have been received and acted on (timeout, reset, 5xx).
    MaybeApplied,
    /// Retrying will not help.
    Final,
}

impl Failure {
    /// Classifies an error answer by status and code.
    pub(crate) fn of_answer(status: u16, code: Option<&str>) -> Self {
        let code = code.unwrap_or("");
        let throttled = status == 429 || crate::error::code_in_family(code, "Throttling");
        let unavailable = status == 503 || crate::error::code_in_family(code, "ServiceUnavailable");
        if throttled || unavailable {
            Failure::Refused
        } else if status >= 500 || crate::error::code_in_family(code, "InternalError") {
            Failure::MaybeApplied
        } else {
            Failure::Final
        }
    }

    /// Whether this failure is retried for an operation of the given kind.
    pub(crate) fn is_retryable(self, is_write: bool, policy: &RetryPolicy) -> bool {
        match self {
            Failure::NotSent | Failure::Refused => true,
            Failure::MaybeApplied => !is_write || policy.retry_writes_after_send,
            Failure::Final => false,
        }
    }

    /// A short name for logs.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Failure::NotSent => "not sent",
            Failure::Refused => "refused by the gateway",
            Failure::MaybeApplied => "may have been applied",
            Failure::Final => "final",
        }
    }
}

/// Reads `x-acs-retry-after`: a positive whole number of milliseconds, else `None`.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    match value.trim().parse::<u64>() {
        Ok(ms) if ms > 0 => Some(Duration::from_millis(ms)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_the_doubling_ceiling_and_the_cap() {
        let policy = RetryPolicy::new()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(3) <= Duration::from_millis(350));
            assert!(policy.backoff(40) <= Duration::from_millis(350));
        }
    }

    #[test]
    fn backoff_is_jittered() {
        let policy = RetryPolicy::new().base_delay(Duration::from_secs(10));
        let waits: std::collections::HashSet<_> = (0..20).map(|_| policy.backoff(1)).collect();
        assert!(waits.len() > 1, "20 waits were all {waits:?}");
    }

    #[test]
    fn retry_after_is_a_positive_number_of_milliseconds() {
        assert_eq!(parse_retry_after("1500"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_millis(7)));
        assert_eq!(parse_retry_after("0"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after(""), None);
    }

    #[test]
    fn classifies_answers() {
        assert_eq!(
            Failure::of_answer(400, Some("Throttling.User")),
            Failure::Refused
        );
        assert_eq!(Failure::of_answer(429, None), Failure::Refused);
        assert_eq!(
            Failure::of_answer(503, Some("ServiceUnavailable")),
            Failure::Refused
        );
        assert_eq!(
            Failure::of_answer(500, Some("InternalError")),
            Failure::MaybeApplied
        );
        assert_eq!(Failure::of_answer(502, None), Failure::MaybeApplied);
        assert_eq!(
            Failure::of_answer(400, Some("InvalidParameter")),
            Failure::Final
        );
        assert_eq!(Failure::of_answer(404, Some("ThrottlingX")), Failure::Final);
    }
}
