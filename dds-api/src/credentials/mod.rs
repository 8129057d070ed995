//! Access keys, and where they come from.
//!
//! [`Credentials`] is what signing needs: an AccessKeyId, its secret and, for STS, a security
//! token. The secret parts live in [`Secret`], whose `Debug` and `Display` print `***`.
//!
//! Providers find credentials the way the official tools do; [`DefaultChain`] tries them in
//! the official order and keeps the first that works.
//! Limitation: instance roles (ECS metadata at 100.100.100.200), RAM role assumption and OIDC
//! are not supported; only keys and STS tokens that are written down somewhere are found.

mod chain;
mod cli_profile;
mod env;
mod ini_file;

use std::fmt;
use std::path::{Path, PathBuf};

pub use chain::DefaultChain;
pub use cli_profile::{CLI_PROFILE_DISABLED_VAR, CONFIG_FILE_VAR, CliProfileProvider};
pub use env::{
    ACCESS_KEY_ID_VAR, ACCESS_KEY_SECRET_VAR, Env, EnvironmentProvider, PROFILE_VAR, ProcessEnv,
    SECURITY_TOKEN_VAR, StaticEnv,
};
pub use ini_file::{CREDENTIALS_FILE_VAR, IniFileProvider};

/// A value that must not be shown: an AccessKey secret or a security token.
///
/// `Debug` and `Display` print `***`; [`Secret::expose`] is the one way to the text, so each
/// use is easy to find.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret text, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// An AccessKey pair, with a security token when it comes from STS.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Credentials {
    /// The AccessKeyId (not secret: it names the key, and is sent in every request).
    pub access_key_id: String,
    /// The AccessKey secret.
    pub access_key_secret: Secret,
    /// The STS security token, for temporary credentials.
    pub security_token: Option<Secret>,
}

impl Credentials {
    /// Long-term AccessKey credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// Temporary STS credentials.
    pub fn with_security_token(mut self, security_token: impl Into<Secret>) -> Self {
        self.security_token = Some(security_token.into());
        self
    }

    /// Refuses an AccessKeyId or security token holding a control character other than tab.
    ///
    /// V3 sends both in headers (`authorization`, `x-acs-security-token`), where such a byte
    /// is not allowed: the HTTP client would fail the attempt, and that failure would read as
    /// a broken connection after sending. No real key or token has one; it is a copying
    /// mistake (a trailing line break), so it is refused in V1 too.
    pub(crate) fn check_sendable(&self) -> Result<(), CredentialsError> {
        // The bytes an HTTP header value may not hold (RFC 9110's field-value).
        let invalid = |text: &str| text.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f);
        if invalid(&self.access_key_id) {
            return Err(CredentialsError::ControlCharacter {
                field: "AccessKeyId",
            });
        }
        if self
            .security_token
            .as_ref()
            .is_some_and(|token| invalid(token.expose()))
        {
            return Err(CredentialsError::ControlCharacter {
                field: "security token",
            });
        }
        Ok(())
    }
}

/// A source of credentials.
///
/// `provide` is called for each call the client makes, so a provider may return fresh
/// credentials as they rotate; the ones here read their source every time.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials, or why this source has none.
    fn provide(&self) -> Result<Credentials, CredentialsError>;

    /// A short name of the source, for errors and logs (`environment`).
    fn name(&self) -> &'static str {
        "custom provider"
    }
}

/// Always the same credentials, given in code.
#[derive(Debug, Clone)]
pub struct StaticProvider {
    credentials: Credentials,
}

impl StaticProvider {
    /// A provider of these credentials.
    pub fn new(credentials: Credentials) -> Self {
        StaticProvider { credentials }
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        Ok(self.credentials.clone())
    }

    fn name(&self) -> &'static str {
        "static credentials"
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for std::sync::Arc<P> {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        (**self).provide()
    }

    fn name(&self) -> &'static str {
        (**self).name()
    }
}

/// Why no credentials were found. Messages name the variable, file, profile and field, and
/// never contain a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// An environment variable is not set.
    #[error("environment variable {name} is not set")]
    EnvNotSet {
        /// The variable.
        name: &'static str,
    },
    /// An environment variable is set but empty.
    #[error("environment variable {name} is set but empty")]
    EnvEmpty {
        /// The variable.
        name: &'static str,
    },
    /// There is no home directory to find a file in.
    #[error("cannot locate {file}: the home directory is unknown (HOME is not set)")]
    NoHome {
        /// The file that was looked for, as `~/...`.
        file: &'static str,
    },
    /// The file does not exist.
    #[error("file not found at {}", path.display())]
    FileNotFound {
        /// Where the file was looked for.
        path: PathBuf,
    },
    /// The file exists but cannot be read.
    #[error("cannot read {}: {reason}", path.display())]
    FileUnreadable {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// The file's content does not have the expected shape.
    #[error("{} is not a valid credentials file: {reason}", path.display())]
    InvalidFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, by line or key; never a value.
        reason: String,
    },
    /// The profile is not in the file.
    #[error(
        "profile `{profile}` is not in {} (profiles there: {})",
        path.display(),
        if available.is_empty() { "none".to_owned() } else { available.join(", ") }
    )]
    ProfileNotFound {
        /// The file.
        path: PathBuf,
        /// The profile that was asked for.
        profile: String,
        /// The profiles the file has.
        available: Vec<String>,
    },
    /// The profile is switched off (`enable = false`).
    #[error("profile `{profile}` in {} is disabled (enable = false)", path.display())]
    ProfileDisabled {
        /// The file.
        path: PathBuf,
        /// The profile.
        profile: String,
    },
    /// The profile uses a mode or type this SDK does not support.
    #[error(
        "profile `{profile}` in {} uses mode `{mode}`, which is not supported (supported: {supported})",
        path.display()
    )]
    UnsupportedMode {
        /// The file.
        path: PathBuf,
        /// The profile.
        profile: String,
        /// The mode (`mode` in the CLI file, `type` in the INI file).
        mode: String,
        /// The modes that are supported.
        supported: &'static str,
    },
    /// The profile lacks a key, or has it empty.
    #[error("profile `{profile}` in {} has no `{field}`", path.display())]
    MissingField {
        /// The file.
        path: PathBuf,
        /// The profile.
        profile: String,
        /// The missing key.
        field: &'static str,
    },
    /// The AccessKeyId or the security token holds a line break or another control
    /// character, which no real one has and an HTTP header cannot carry.
    #[error("the {field} holds a line break or another control character; check how it was copied")]
    ControlCharacter {
        /// `AccessKeyId` or `security token`.
        field: &'static str,
    },
    /// Every source of a chain failed; each one's reason, in order.
    #[error("no credentials found: {}", describe_failures(failures))]
    NoneFound {
        /// The source name and its failure, in the order they were asked.
        failures: Vec<(&'static str, CredentialsError)>,
    },
}

fn describe_failures(failures: &[(&'static str, CredentialsError)]) -> String {
    if failures.is_empty() {
        return "no sources were asked".to_owned();
    }
    failures
        .iter()
        .map(|(source, error)| format!("{source}: {error}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Reads a credentials file, telling "not there" apart from "not readable".
fn read_file(path: &Path) -> Result<String, CredentialsError> {
    std::fs::read_to_string(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => CredentialsError::FileNotFound {
            path: path.to_owned(),
        },
        _ => CredentialsError::FileUnreadable {
            path: path.to_owned(),
            reason: error.to_string(),
        },
    })
}
