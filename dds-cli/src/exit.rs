//! Exit codes, and failures told in one paragraph.

use std::fmt;
use std::process::ExitCode;

use dds_api::{Error, OperationError, OperationMeta, ServiceError};

/// What the exit code of `dds` says. Documented in the README; scripts rely on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the call (and the wait, with `--wait`) succeeded.
    Success = 0,
    /// 1: something failed that is none of the below (the embedded emulator would not
    /// start, an answer could not be read).
    Failure = 1,
    /// 2: the command line is wrong: an unknown subcommand or option, a missing value, a
    /// malformed global option.
    Usage = 2,
    /// 3: the parameters break the operation's spec (missing, wrong type, not an allowed
    /// value, out of range, too long); nothing was sent.
    Validation = 3,
    /// 4: the service answered with an error (including a gateway error such as a bad
    /// signature or throttling), or the instance waited for disappeared.
    Service = 4,
    /// 5: the endpoint could not be reached or the connection broke.
    Network = 5,
    /// 6: the call or the `--wait` ran out of time.
    Timeout = 6,
    /// 7: no credentials were found, or the region, endpoint or profile is not usable.
    Config = 7,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// A failure to report: the exit code and the paragraph printed on stderr.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub exit: Exit,
    /// What happened, in one paragraph.
    pub message: String,
}

impl Failure {
    /// A failure with this code and message.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Failure {
            exit,
            message: message.into(),
        }
    }

    /// A failed call of `meta`, classified and told in one paragraph.
    pub fn of_call<E: OperationError>(meta: &OperationMeta, error: &Error<E>) -> Self {
        let action = meta.action;
        match error {
            Error::Validation(errors) => {
                let list: Vec<String> = errors.violations().iter().map(|v| v.to_string()).collect();
                Failure::new(
                    Exit::Validation,
                    format!(
                        "{action} was not sent: the parameters break its spec: {}.",
                        list.join("; ")
                    ),
                )
            }
            Error::Credentials(error) => Failure::new(
                Exit::Config,
                format!(
                    "{action} was not sent: {error}. Set ALIBABA_CLOUD_ACCESS_KEY_ID and \
                     ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure a profile with `aliyun \
                     configure`, or write ~/.alibabacloud/credentials."
                ),
            ),
            Error::Timeout(timeout) => Failure::new(
                Exit::Timeout,
                format!("{action} timed out: {timeout}.{}", maybe_applied(meta)),
            ),
            Error::Transport(transport) => Failure::new(
                Exit::Network,
                format!(
                    "{action} failed on the network: {transport}.{}",
                    if transport.may_have_been_sent() {
                        maybe_applied(meta)
                    } else {
                        ""
                    }
                ),
            ),
            Error::Decode(decode) => Failure::new(
                Exit::Failure,
                format!("{action} got an answer that could not be read: {decode}."),
            ),
            Error::Gateway(gateway) => Failure::new(
                Exit::Service,
                service_paragraph(action, gateway.service_error(), Some(gateway.kind().hint())),
            ),
            Error::Service(service) => Failure::new(
                Exit::Service,
                service_paragraph(action, service.service_error(), None),
            ),
            other => Failure::new(Exit::Failure, format!("{action} failed: {other}.")),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn maybe_applied(meta: &OperationMeta) -> &'static str {
    match meta.kind {
        dds_api::operation::OperationKind::Write => {
            " The request may have reached the service, so the change may have been applied; \
             check before repeating it."
        }
        dds_api::operation::OperationKind::Read => "",
    }
}

/// `ModifyDBInstanceSSL failed: the service answered SSLAlreadyEnabled (HTTP 400): SSL have
/// already been enabled. Request id ...; see <Recommend>.`
fn service_paragraph(action: &str, error: &ServiceError, hint: Option<&str>) -> String {
    let message = error
        .message()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut text = format!(
        "{action} failed: the service answered {} (HTTP {}): {}",
        error.code(),
        error.status(),
        message.trim_end_matches('.'),
    );
    text.push('.');
    if let Some(hint) = hint {
        text.push_str(&format!(" Hint: {hint}."));
    }
    if let Some(id) = error.request_id() {
        text.push_str(&format!(" Request id {id}."));
    }
    if let Some(link) = error.recommend() {
        text.push_str(&format!(" See {link}"));
    }
    text
}
