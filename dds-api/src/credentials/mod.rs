//! Access keys, and where they come from.
//!
//! [`Credentials`] is what signing needs: an AccessKeyId, its secret and, for STS, a security
//! token. The secret parts live in [`Secret`], whose `Debug` and `Display` print `***`.
//!
//! Providers find credentials the way the official tools do; [`DefaultChain`] tries them in
//! the official order and keeps the first that works.
//! Limitation: instance roles (ECS metadata at 100.100.100.200), RAM role assumption and OIDC
//! are not supported; only keys and STS tokens that are written down somewhere are found.

use std::fmt;

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
}
