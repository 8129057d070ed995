//! Credentials from the SDKs' shared INI file, `~/.alibabacloud/credentials`.
//!
//! ```ini
//! [default]
//! type = access_key
//! access_key_id = ...
//! access_key_secret = ...
//! ```
//!
//! The section is the one asked for ([`IniFileProvider::profile`]), else the
//! `ALIBABA_CLOUD_PROFILE` variable, else `default`. `ALIBABA_CLOUD_CREDENTIALS_FILE` moves
//! the file. A section with `enable = false` is skipped, as the official SDKs do.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::env::{Env, PROFILE_VAR, ProcessEnv};
use super::{Credentials, CredentialsError, ProvideCredentials, Secret, read_file};

/// `ALIBABA_CLOUD_CREDENTIALS_FILE`: path of the INI credentials file.
pub const CREDENTIALS_FILE_VAR: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

/// Credentials from a section of the SDKs' INI file, `type = access_key`.
///
/// Limitation: the other types of the official format (`ecs_ram_role`, `ram_role_arn`,
/// `oidc_role_arn`, `rsa_key_pair`) need a network call and are reported as unsupported. The
/// official format has no type for a written-down STS token; use the environment or a CLI
/// `StsToken` profile for those.
#[derive(Debug, Clone)]
pub struct IniFileProvider {
    env: Arc<dyn Env>,
    profile: Option<String>,
}

impl IniFileProvider {
    /// Reads the file the process environment points at.
    pub fn new() -> Self {
        IniFileProvider::with_env(Arc::new(ProcessEnv))
    }

    /// Reads the file that `env` points at (its home directory or
    /// `ALIBABA_CLOUD_CREDENTIALS_FILE`).
    pub fn with_env(env: Arc<dyn Env>) -> Self {
        IniFileProvider { env, profile: None }
    }

    /// Uses this section, whatever `ALIBABA_CLOUD_PROFILE` says.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The file this provider reads.
    pub fn path(&self) -> Result<PathBuf, CredentialsError> {
        match self.env.var(CREDENTIALS_FILE_VAR) {
            Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
            _ => self
                .env
                .home_dir()
                .map(|home| home.join(".alibabacloud").join("credentials"))
                .ok_or(CredentialsError::NoHome {
                    file: "~/.alibabacloud/credentials",
                }),
        }
    }
}

impl Default for IniFileProvider {
    fn default() -> Self {
        IniFileProvider::new()
    }
}

impl ProvideCredentials for IniFileProvider {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        let path = self.path()?;
        let text = read_file(&path)?;
        let sections = parse_ini(&text, &path)?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.var(PROFILE_VAR).filter(|p| !p.is_empty()))
            .unwrap_or_else(|| "default".to_owned());

        let (_, entries) = sections
            .iter()
            .find(|(section, _)| *section == name)
            .ok_or_else(|| CredentialsError::ProfileNotFound {
                path: path.clone(),
                profile: name.clone(),
                available: sections.iter().map(|(s, _)| s.clone()).collect(),
            })?;
        let get = |key: &str| {
            entries
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let field = |field: &'static str| match get(field) {
            Some(value) if !value.is_empty() => Ok(value.to_owned()),
            _ => Err(CredentialsError::MissingField {
                path: path.clone(),
                profile: name.clone(),
                field,
            }),
        };

        if get("enable").is_some_and(|v| v.eq_ignore_ascii_case("false")) {
            return Err(CredentialsError::ProfileDisabled {
                path: path.clone(),
                profile: name.clone(),
            });
        }
        match field("type")?.as_str() {
            "access_key" => Ok(Credentials::new(
                field("access_key_id")?,
                Secret::new(field("access_key_secret")?),
            )),
            other => Err(CredentialsError::UnsupportedMode {
                path: path.clone(),
                profile: name.clone(),
                mode: other.to_owned(),
                supported: "access_key",
            }),
        }
    }

    fn name(&self) -> &'static str {
        "credentials file"
    }
}

type Section = (String, Vec<(String, String)>);

/// Reads `[section]` headers and `key = value` lines. Lines starting with `#` or `;` are
/// comments, and so is the rest of a line from a ` #` or ` ;` on (the official examples put
/// comments there). Errors name the line, never its text, which may hold a secret.
fn parse_ini(text: &str, path: &Path) -> Result<Vec<Section>, CredentialsError> {
    let mut sections: Vec<Section> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        let invalid = |reason: &str| CredentialsError::InvalidFile {
            path: path.to_owned(),
            reason: format!("line {}: {reason}", index + 1),
        };
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .ok_or_else(|| invalid("a section header must end with `]`"))?;
            sections.push((name.trim().to_owned(), Vec::new()));
        } else if let Some((key, value)) = line.split_once('=') {
            let (_, entries) = sections
                .last_mut()
                .ok_or_else(|| invalid("a `key = value` line comes before any `[section]`"))?;
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            entries.push((key.trim().to_owned(), value.to_owned()));
        } else {
            return Err(invalid("expected `[section]` or `key = value`"));
        }
    }
    Ok(sections)
}

fn strip_comment(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') || trimmed.starts_with(';') {
        return "";
    }
    let bytes = line.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        if (byte == b'#' || byte == b';') && i > 0 && bytes[i - 1].is_ascii_whitespace() {
            return &line[..i];
        }
    }
    line
}
