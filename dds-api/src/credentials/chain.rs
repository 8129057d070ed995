//! The default chain: the official order of sources, first success wins.

use std::sync::Arc;

use super::cli_profile::{CLI_PROFILE_DISABLED_VAR, CliProfileProvider};
use super::env::{Env, EnvironmentProvider, ProcessEnv};
use super::ini_file::IniFileProvider;
use super::{Credentials, CredentialsError, ProvideCredentials};

/// Tries the official sources in order and keeps the first that gives credentials:
/// the environment variables, the `aliyun` CLI profile file, the SDKs' INI file.
///
/// When all fail, the error lists every source with its reason. With an explicit profile
/// ([`DefaultChain::profile`], the CLI's `--profile NAME`), only the two files are asked,
/// both for that profile: asking for a profile by name means the environment's keys are not
/// what is wanted.
///
/// Limitation: the official chain goes on to OIDC role federation, ECS instance roles
/// (metadata service at 100.100.100.200) and a credentials URI; this one stops after the INI
/// file.
#[derive(Debug, Clone)]
pub struct DefaultChain {
    env: Arc<dyn Env>,
    profile: Option<String>,
}

impl DefaultChain {
    /// The chain over the process environment and home directory.
    pub fn new() -> Self {
        DefaultChain::with_env(Arc::new(ProcessEnv))
    }

    /// The chain over the given environment.
    pub fn with_env(env: Arc<dyn Env>) -> Self {
        DefaultChain { env, profile: None }
    }

    /// Selects a profile by name in the CLI file and in the INI file, and skips the
    /// environment variables.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The providers this chain asks, in order.
    pub fn providers(&self) -> Vec<Box<dyn ProvideCredentials>> {
        let mut providers: Vec<Box<dyn ProvideCredentials>> = Vec::new();
        let mut cli = CliProfileProvider::with_env(self.env.clone());
        let mut ini = IniFileProvider::with_env(self.env.clone());
        match &self.profile {
            Some(name) => {
                cli = cli.profile(name.clone());
                ini = ini.profile(name.clone());
            }
            None => providers.push(Box::new(EnvironmentProvider::with_env(self.env.clone()))),
        }
        let cli_disabled = self
            .env
            .var(CLI_PROFILE_DISABLED_VAR)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if !cli_disabled {
            providers.push(Box::new(cli));
        }
        providers.push(Box::new(ini));
        providers
    }
}

impl Default for DefaultChain {
    fn default() -> Self {
        DefaultChain::new()
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide(&self) -> Result<Credentials, CredentialsError> {
        let mut failures = Vec::new();
        for provider in self.providers() {
            match provider.provide() {
                Ok(credentials) => {
                    tracing::debug!(
                        source = provider.name(),
                        sts = credentials.security_token.is_some(),
                        "credentials found"
                    );
                    return Ok(credentials);
                }
                Err(error) => {
                    tracing::debug!(source = provider.name(), %error, "no credentials from source");
                    failures.push((provider.name(), error));
                }
            }
        }
        Err(CredentialsError::NoneFound { failures })
    }

    fn name(&self) -> &'static str {
        "default chain"
    }
}
