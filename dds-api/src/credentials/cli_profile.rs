//! Credentials from the `aliyun` command-line tool's profile file, `~/.aliyun/config.json`.
//!
//! ```json
//! { "current": "default",
//!   "profiles": [ { "name": "default", "mode": "AK", "access_key_id": "...",
//!                   "access_key_secret": "...", "sts_token": "", "region_id": "cn-hangzhou" } ] }
//! ```
//!
//! The profile is, in order: the one asked for ([`CliProfileProvider::profile`]), the
//! `ALIBABA_CLOUD_PROFILE` variable, the file's `current`, then `default`.
//! `ALIBABA_CLOUD_CONFIG_FILE` moves the file.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use super::env::{Env, PROFILE_VAR, ProcessEnv};
use super::{Credentials, CredentialsError, ProvideCredentials, Secret, read_file};

/// `ALIBABA_CLOUD_CONFIG_FILE`: path of the CLI profile file.
pub const CONFIG_FILE_VAR: &str = "ALIBABA_CLOUD_CONFIG_FILE";
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED`: `true` keeps the default chain away from the file.
pub const CLI_PROFILE_DISABLED_VAR: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// Credentials from a profile of the `aliyun` CLI's `config.json`, modes `AK` and `StsToken`.
///
/// Limitation: the modes that need a network call or another program (`RamRoleArn`,
/// `EcsRamRole`, `ChainableRamRoleArn`, `RsaKeyPair`, `External`, `CredentialsURI`, `OIDC`,
/// `CloudSSO`) are reported as unsupported.
#[derive(Debug, Clone)]
pub struct CliProfileProvider {
    env: Arc<dyn Env>,
    profile: Option<String>,
}

impl CliProfileProvider {
    /// Reads the file the process environment points at.
    pub fn new() -> Self {
        CliProfileProvider::with_env(Arc::new(ProcessEnv))
    }

    /// Reads the file that `env` points at (its home directory or `ALIBABA_CLOUD_CONFIG_FILE`).
    pub fn with_env(env: Arc<dyn Env>) -> Self {
        CliProfileProvider { env, profile: None }
    }

    /// Uses this profile, whatever `ALIBABA_CLOUD_PROFILE` and `current` say.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The file this provider reads.
    pub fn path(&self) -> Result<PathBuf, CredentialsError> {
        match self.env.var(CONFIG_FILE_VAR) {
            Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
            _ => self
                .env
                .home_dir()
                .map(|home| home.join(".aliyun").join("config.json"))
                .ok_or(CredentialsError::NoHome {
                    file: "~/.aliyun/config.json",
                }),
        }
    }
}

impl Default for CliProfileProvider {
    fn default() -> Self {
        CliProfileProvider::new()
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        let path = self.path()?;
        let text = read_file(&path)?;
        // Parsing into a `Value` first keeps serde's messages to syntax (line and column):
        // they never quote a value of the file.
        let config: Value =
            serde_json::from_str(&text).map_err(|error| CredentialsError::InvalidFile {
                path: path.clone(),
                reason: format!("not valid JSON ({error})"),
            })?;
        let invalid = |reason: &str| CredentialsError::InvalidFile {
            path: path.clone(),
            reason: reason.to_owned(),
        };

        let profiles = config
            .get("profiles")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("it has no `profiles` list"))?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.var(PROFILE_VAR).filter(|p| !p.is_empty()))
            .or_else(|| {
                config
                    .get("current")
                    .and_then(Value::as_str)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "default".to_owned());

        let profile = profiles
            .iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))
            .ok_or_else(|| CredentialsError::ProfileNotFound {
                path: path.clone(),
                profile: name.clone(),
                available: profiles
                    .iter()
                    .filter_map(|p| p.get("name").and_then(Value::as_str))
                    .map(str::to_owned)
                    .collect(),
            })?;

        let field = |field: &'static str| -> Result<String, CredentialsError> {
            match profile.get(field).and_then(Value::as_str) {
                Some(value) if !value.trim().is_empty() => Ok(value.to_owned()),
                _ => Err(CredentialsError::MissingField {
                    path: path.clone(),
                    profile: name.clone(),
                    field,
                }),
            }
        };
        match field("mode")?.as_str() {
            "AK" => Ok(Credentials::new(
                field("access_key_id")?,
                Secret::new(field("access_key_secret")?),
            )),
            "StsToken" => Ok(Credentials::new(
                field("access_key_id")?,
                Secret::new(field("access_key_secret")?),
            )
            .with_security_token(Secret::new(field("sts_token")?))),
            other => Err(CredentialsError::UnsupportedMode {
                path: path.clone(),
                profile: name.clone(),
                mode: other.to_owned(),
                supported: "AK, StsToken",
            }),
        }
    }

    fn name(&self) -> &'static str {
        "aliyun CLI profile"
    }
}
