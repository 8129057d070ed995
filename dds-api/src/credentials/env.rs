//! The process environment as providers see it, and the environment-variable provider.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Credentials, CredentialsError, ProvideCredentials, Secret};

/// `ALIBABA_CLOUD_ACCESS_KEY_ID`: the AccessKeyId.
pub const ACCESS_KEY_ID_VAR: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`: the AccessKey secret.
pub const ACCESS_KEY_SECRET_VAR: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// `ALIBABA_CLOUD_SECURITY_TOKEN`: the STS token, for temporary credentials.
pub const SECURITY_TOKEN_VAR: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// `ALIBABA_CLOUD_PROFILE`: the profile to use from the CLI file and the INI file.
pub const PROFILE_VAR: &str = "ALIBABA_CLOUD_PROFILE";

/// Where providers look up environment variables and the home directory.
///
/// [`ProcessEnv`] reads the real process; [`StaticEnv`] is a fixed set, so that tests (and
/// programs that want to) can run providers without touching the process's environment.
pub trait Env: Send + Sync + fmt::Debug {
    /// The value of an environment variable, `None` when unset or not UTF-8.
    fn var(&self, name: &str) -> Option<String>;
    /// The user's home directory, where `~/.aliyun` and `~/.alibabacloud` live.
    fn home_dir(&self) -> Option<PathBuf>;
}

/// The environment of the running process: `std::env`, and `HOME` (`USERPROFILE` on
/// Windows) as the home directory.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn home_dir(&self) -> Option<PathBuf> {
        let name = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
        std::env::var_os(name)
            .filter(|home| !home.is_empty())
            .map(PathBuf::from)
    }
}

/// A fixed environment: the variables and home directory it was built with, nothing else.
///
/// ```
/// use dds_api::credentials::{Env, StaticEnv};
/// let env = StaticEnv::new()
///     .with_var("ALIBABA_CLOUD_PROFILE", "work")
///     .with_home("/home/me");
/// assert_eq!(env.var("ALIBABA_CLOUD_PROFILE").as_deref(), Some("work"));
/// assert_eq!(env.var("HOME"), None);
/// ```
#[derive(Clone, Default)]
pub struct StaticEnv {
    vars: BTreeMap<String, String>,
    home: Option<PathBuf>,
}

impl StaticEnv {
    /// An empty environment without a home directory.
    pub fn new() -> Self {
        StaticEnv::default()
    }

    /// Sets a variable.
    pub fn with_var(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// Sets the home directory.
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }
}

impl Env for StaticEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn home_dir(&self) -> Option<PathBuf> {
        self.home.clone()
    }
}

impl fmt::Debug for StaticEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Variable values may be secrets (the environment provider reads keys from here).
        f.debug_struct("StaticEnv")
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .field("home", &self.home)
            .finish()
    }
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and,
/// for STS, `ALIBABA_CLOUD_SECURITY_TOKEN`.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Arc<dyn Env>,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        EnvironmentProvider::with_env(Arc::new(ProcessEnv))
    }

    /// Reads the given environment.
    pub fn with_env(env: Arc<dyn Env>) -> Self {
        EnvironmentProvider { env }
    }
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        EnvironmentProvider::new()
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        let required = |name: &'static str| match self.env.var(name) {
            None => Err(CredentialsError::EnvNotSet { name }),
            Some(value) if value.trim().is_empty() => Err(CredentialsError::EnvEmpty { name }),
            Some(value) => Ok(value),
        };
        let access_key_id = required(ACCESS_KEY_ID_VAR)?;
        let access_key_secret = required(ACCESS_KEY_SECRET_VAR)?;

        let mut credentials = Credentials::new(access_key_id, Secret::new(access_key_secret));
        // An empty token variable is treated as unset: shells often export it empty.
        if let Some(token) = self
            .env
            .var(SECURITY_TOKEN_VAR)
            .filter(|t| !t.trim().is_empty())
        {
            credentials = credentials.with_security_token(token);
        }
        Ok(credentials)
    }

    fn name(&self) -> &'static str {
        "environment"
    }
}
